/**
 * `@fitbit-effect/node/fitbit`: the Fitbit Web API alone on Node (the ready layers, per-user
 * sessions for Promise code, the undici `HttpClient`, the file token store), on
 * `@fitbit-effect/core/fitbit`: a program that only talks to Fitbit loads none of Google Health's
 * schemas. `FitbitApiClient` is the root entry's, since it serves both backends.
 *
 * @since 0.1.0
 */

/** Ready layers: configuration, `FitbitHttp` and the undici `HttpClient` in one. */
export * as NodeFitbit from "./NodeFitbit.js"
/** Per-user sessions for Promise code: refresh, retries, rate limits, `onRefresh`. */
export {
  FitbitSessionClient,
  type CallOptions,
  type FitbitSessionClientOptions,
  type SessionResponse,
  type TokenJson
} from "./FitbitSessionClient.js"
/** The undici `HttpClient`, the file token store, the Promise clients' shared types. */
export * from "./shared.js"
