/**
 * @fitbit-effect/core: the Fitbit Web API as Effect programs over any `HttpClient`.
 *
 * @since 0.1.0
 */

/** Tagged errors of every program. */
export * as FitbitError from "./FitbitError.js"
/** Decoding non-2xx answers into tagged errors. */
export * as ErrorDecoder from "./ErrorDecoder.js"
/** Rate-limit headers. */
export * as RateLimit from "./RateLimit.js"
/** PKCE verifiers and challenges. */
export * as Pkce from "./Pkce.js"
/** fitbit-node compatible form encoding. */
export * as FormBody from "./FormBody.js"
/** URL, path, user-id and header checks. */
export * as Url from "./Url.js"
/** One HTTP exchange with transport errors and timeouts. */
export * as HttpExchange from "./HttpExchange.js"
/** One API call: rate-limit admission, send, error decoding, retries, span, last answer. */
export * as ApiCall from "./ApiCall.js"
/** Generic OAuth 2.0 flow. */
export * as OAuth from "./OAuth.js"
/** Fitbit client configuration. */
export * as FitbitConfig from "./FitbitConfig.js"
/** Fitbit's OAuth flow. */
export * as FitbitAuth from "./FitbitAuth.js"
/** Fitbit data API verbs. */
export * as FitbitHttp from "./FitbitHttp.js"
/** A recording HttpClient for tests. */
export * as MockHttpClient from "./MockHttpClient.js"
/** Token stores: per-user grants with compare-and-set (memory, KeyValueStore). */
export * as TokenStore from "./TokenStore.js"
/** Generic authenticated sessions: proactive/reactive single-flight refresh. */
export * as Session from "./Session.js"
/** Which failed calls are retried, and the backoff. */
export * as RetryPolicy from "./RetryPolicy.js"
/** Per-user rate-limit tracking and the policy when the budget is spent. */
export * as RateLimitPolicy from "./RateLimitPolicy.js"
/** OAuth `state` generation and verification. */
export * as OAuthState from "./OAuthState.js"
/** Fitbit calls for stored users through a session. */
export * as FitbitSession from "./FitbitSession.js"
/** Typed Fitbit endpoints: Schemas of the answers and programs per resource group. */
export * as FitbitResources from "./resources/index.js"
/** The Google Health API v4 backend (config, Google OAuth, verbs, resources, data types, webhook, session). */
export * as GoogleHealth from "./google/index.js"
// The Google Health modules also at the top level, for imports that name one module directly.
/** Google Health: configuration service. */
export * as GoogleHealthConfig from "./google/GoogleHealthConfig.js"
/** Google Health: Google OAuth 2.0. */
export * as GoogleAuth from "./google/GoogleAuth.js"
/** Google Health: the `/v4` verbs. */
export * as GoogleHealthHttp from "./google/GoogleHealthHttp.js"
/** Google Health: calls for stored users. */
export * as GoogleHealthSession from "./google/GoogleHealthSession.js"
/** Google Health: the webhook subscriber endpoint. */
export * as GoogleHealthWebhook from "./google/GoogleHealthWebhook.js"
/** Google Health: `users/{user}` (identity, profile, settings). */
export * as GoogleUsers from "./google/Users.js"
/** Google Health: data points and their custom methods. */
export * as GoogleDataPoints from "./google/DataPoints.js"
/** Google Health: data-type schemas and the data-point decoder. */
export * as GoogleDataTypes from "./google/DataTypes.js"
/** Google Health: paired devices. */
export * as GooglePairedDevices from "./google/PairedDevices.js"
/** Google Health: subscribers and subscriptions. */
export * as GoogleSubscribers from "./google/Subscribers.js"
/** Google Health: long-running operations. */
export * as GoogleOperation from "./google/Operation.js"
/** The subscriber endpoint of Fitbit webhooks: verification, signature check, notifications. */
export * as FitbitWebhook from "./FitbitWebhook.js"
/** One read service over the Fitbit and Google Health backends, routed per user (migration). */
export * as HealthBridge from "./HealthBridge.js"
