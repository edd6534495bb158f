/**
 * @fitbit-effect/core: the Fitbit Web API and the Google Health API v4 as Effect programs over
 * any `HttpClient`.
 *
 * Three rooms: the provider-neutral kernel (OAuth, sessions, token stores, the request pipeline,
 * retries, rate limits, errors), the legacy Fitbit Web API (`Fitbit*`) and the Google Health API
 * v4 (`Google*`), each provider with a module for the same role (`FitbitConfig`/`GoogleHealthConfig`,
 * `FitbitAuth`/`GoogleAuth`, `FitbitHttp`/`GoogleHealthHttp`, …); plus `HealthBridge`, which reads
 * across both, and `LegacyFitbit`, the Fitbit Web API answered from Google Health. Each module is
 * exported once, under one name.
 *
 * @since 0.1.0
 */

// ---------------------------------------------------------------------------------------------
// kernel: provider-neutral

/** Tagged errors of every program (shared by both providers). */
export * as Errors from "./Errors.js"

/** Rate-limit state and headers. */
export * as RateLimit from "./RateLimit.js"
/** PKCE verifiers and challenges. */
export * as Pkce from "./Pkce.js"
/** One HTTP exchange with transport errors and timeouts. */
export * as HttpExchange from "./HttpExchange.js"
/** Generic OAuth 2.0 flow. */
export * as OAuth from "./OAuth.js"
/** OAuth `state` generation and verification. */
export * as OAuthState from "./OAuthState.js"
/** Token stores: per-user grants with compare-and-set (memory, KeyValueStore). */
export * as TokenStore from "./TokenStore.js"
/** Generic authenticated sessions: proactive/reactive single-flight refresh. */
export * as Session from "./Session.js"
/** Which failed calls are retried, and the backoff. */
export * as RetryPolicy from "./RetryPolicy.js"
/** Per-user rate-limit tracking and the policy when the budget is spent. */
export * as RateLimitPolicy from "./RateLimitPolicy.js"
/** Settings both providers read from configuration. */
export * as ConfigInput from "./ConfigInput.js"

// ---------------------------------------------------------------------------------------------
// the providers

/** Fitbit: client configuration. */
export * as FitbitConfig from "./fitbit/FitbitConfig.js"
/** Fitbit: the OAuth flow. */
export * as FitbitAuth from "./fitbit/FitbitAuth.js"
/** Fitbit: the data API verbs. */
export * as FitbitHttp from "./fitbit/FitbitHttp.js"
/** Fitbit: calls for stored users through a session. */
export * as FitbitSession from "./fitbit/FitbitSession.js"
/** Fitbit: the webhook subscriber endpoint (verification, signature check, notifications). */
export * as FitbitWebhook from "./fitbit/FitbitWebhook.js"
/** Fitbit: typed endpoints, Schemas of the answers and programs per resource group. */
export * as FitbitResources from "./fitbit/FitbitResources.js"
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
export * as GoogleUsers from "./google/resources/GoogleUsers.js"
/** Google Health: data points and their custom methods. */
export * as GoogleDataPoints from "./google/resources/GoogleDataPoints.js"
/** Google Health: data-type schemas and the data-point decoder. */
export * as GoogleDataTypes from "./google/GoogleDataTypes.js"
/** Google Health: the rules Google publishes per data type (channel, methods, page size, filters, roll-up reach, scope). */
export * as GoogleDataTypeRules from "./google/GoogleDataTypeRules.js"
/** Google Health: paired devices. */
export * as GooglePairedDevices from "./google/resources/GooglePairedDevices.js"
/** Google Health: subscribers and subscriptions. */
export * as GoogleSubscribers from "./google/resources/GoogleSubscribers.js"
/** Google Health: SMART Health Links (manifest, files, decryption). */
export * as GoogleSharedLinks from "./google/resources/GoogleSharedLinks.js"
/** Google Health: long-running operations. */
export * as GoogleOperation from "./google/GoogleOperation.js"
/** Google Health: resource names (`users/{user}/dataTypes/{type}/dataPoints/{id}`), parsed and built. */
export * as GoogleResourceName from "./google/GoogleResourceName.js"
/** Google Health: page-token pagination as streams. */
export * as GooglePagination from "./google/GooglePagination.js"

// ---------------------------------------------------------------------------------------------
// across the providers

/** One read service over the Fitbit and Google Health backends, routed per user (migration). */
export * as HealthBridge from "./bridge/HealthBridge.js"
/** The legacy Fitbit Web API (fitbit-node calls) answered from Google Health: `LegacyFitbit.LegacyOnGoogle.layer`. */
export * as LegacyFitbit from "./bridge/legacy/LegacyFitbit.js"
