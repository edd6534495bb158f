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
// kernel: provider-neutral (`./kernel.ts`)
export * from "./kernel.js"

// ---------------------------------------------------------------------------------------------
// the providers (each also an entry of its own: `@fitbit-effect/core/fitbit`, `/google`)
export * from "./fitbit/modules.js"
export * from "./google/modules.js"

// ---------------------------------------------------------------------------------------------
// across the providers

/** One read service over the Fitbit and Google Health backends, routed per user (migration). */
export * as HealthBridge from "./bridge/HealthBridge.js"
/** The legacy Fitbit Web API (fitbit-node calls) answered from Google Health: `LegacyFitbit.LegacyOnGoogle.layer`. */
export * as LegacyFitbit from "./bridge/legacy/LegacyFitbit.js"
