/**
 * @fitbit-effect/core: the Fitbit Web API and the Google Health API v4 as Effect programs over
 * any `HttpClient`.
 *
 * Three rooms: the provider-neutral kernel (OAuth, sessions, token stores, the request pipeline,
 * retries, rate limits, errors), `Fitbit` (the legacy Fitbit Web API) and `GoogleHealth` (the
 * Google Health API v4), each provider with the same module names for the same role (`Config`,
 * `Auth`, `Http`, `Session`, `Webhook`, resources); plus `HealthBridge`, which reads across both.
 * Every module is also exported at the top level under its long name (`FitbitHttp`,
 * `GoogleHealthHttp`, …).
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
// the providers, as rooms

/** The legacy Fitbit Web API: `Config`, `Auth`, `Http`, `Session`, `Webhook`, `Resources`. */
export * as Fitbit from "./fitbit/index.js"
/** The Google Health API v4: `Config`, `Auth`, `Http`, `Session`, `Webhook` and its resources and data types. */
export * as GoogleHealth from "./google/index.js"

// ---------------------------------------------------------------------------------------------
// the provider modules under their long names

/** Fitbit: client configuration. */
export * as FitbitConfig from "./fitbit/Config.js"
/** Fitbit: the OAuth flow. */
export * as FitbitAuth from "./fitbit/Auth.js"
/** Fitbit: the data API verbs. */
export * as FitbitHttp from "./fitbit/Http.js"
/** Fitbit: calls for stored users through a session. */
export * as FitbitSession from "./fitbit/Session.js"
/** Fitbit: the webhook subscriber endpoint (verification, signature check, notifications). */
export * as FitbitWebhook from "./fitbit/Webhook.js"
/** Fitbit: typed endpoints, Schemas of the answers and programs per resource group. */
export * as FitbitResources from "./fitbit/resources/index.js"
/** Google Health: configuration service. */
export * as GoogleHealthConfig from "./google/Config.js"
/** Google Health: Google OAuth 2.0. */
export * as GoogleAuth from "./google/Auth.js"
/** Google Health: the `/v4` verbs. */
export * as GoogleHealthHttp from "./google/Http.js"
/** Google Health: calls for stored users. */
export * as GoogleHealthSession from "./google/Session.js"
/** Google Health: the webhook subscriber endpoint. */
export * as GoogleHealthWebhook from "./google/Webhook.js"
/** Google Health: `users/{user}` (identity, profile, settings). */
export * as GoogleUsers from "./google/resources/Users.js"
/** Google Health: data points and their custom methods. */
export * as GoogleDataPoints from "./google/resources/DataPoints.js"
/** Google Health: data-type schemas and the data-point decoder. */
export * as GoogleDataTypes from "./google/DataTypes.js"
/** Google Health: paired devices. */
export * as GooglePairedDevices from "./google/resources/PairedDevices.js"
/** Google Health: subscribers and subscriptions. */
export * as GoogleSubscribers from "./google/resources/Subscribers.js"
/** Google Health: SMART Health Links (manifest, files, decryption). */
export * as GoogleSharedLinks from "./google/resources/SharedLinks.js"
/** Google Health: long-running operations. */
export * as GoogleOperation from "./google/Operation.js"

// ---------------------------------------------------------------------------------------------
// across the providers

/** One read service over the Fitbit and Google Health backends, routed per user (migration). */
export * as HealthBridge from "./bridge/HealthBridge.js"
/** The legacy Fitbit Web API (fitbit-node calls) answered from Google Health: `LegacyFitbit.LegacyOnGoogle.layer`. */
export * as LegacyFitbit from "./bridge/legacy/index.js"
