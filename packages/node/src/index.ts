/**
 * @fitbit-effect/node: what only Node has, on top of @fitbit-effect/core: ready layers on a
 * lean undici `HttpClient`, and the fitbit-node compatible Promise facade.
 *
 * @since 0.1.0
 */

/** Ready layers: configuration, `FitbitHttp` and the undici `HttpClient` in one. */
export * as NodeFitbit from "./NodeFitbit.js"
/** Ready layers: Google Health configuration, `GoogleHealthHttp` and the undici `HttpClient` in one. */
export * as NodeGoogleHealth from "./NodeGoogleHealth.js"
/** A lean `HttpClient` straight on undici's dispatcher (the default of every layer and client here). */
export * as UndiciHttpClient from "./UndiciHttpClient.js"
/** The fitbit-node 2.2.0 compatible Promise facade and its types. */
export {
  type AccessTokenJson,
  type ApiResponse,
  type ApiResult,
  type ExtraHeaders,
  FitbitApiClient,
  type FitbitApiClientOptions,
  type FitbitApiClientSettings,
  type IntrospectionJson,
  type RefreshedTokenJson,
  type UserId
} from "./FitbitApiClient.js"
/** What the token methods of the fitbit-node facade reject with. */
export { TokenEndpointError, type TokenErrorContext } from "./TokenEndpointError.js"
/** A token store in a JSON file: atomic writes, mode 0600, survives restarts, safe across processes. */
export * as FileTokenStore from "./FileTokenStore.js"
/** Per-user sessions for Promise code: refresh, retries, rate limits, `onRefresh`. */
export {
  FitbitSessionClient,
  type CallOptions,
  type FitbitSessionClientOptions,
  type SessionResponse,
  type TokenJson
} from "./FitbitSessionClient.js"
/** The Google Health API v4 as Promises: Google OAuth, verbs, typed helpers for every resource. */
export {
  type AuthorizeUrlOptions,
  GoogleHealthClient,
  type GoogleHealthClientOptions,
  type GoogleHealthResponse,
  type GoogleHealthResult,
  type GoogleTokenJson
} from "./GoogleHealthClient.js"
/** The option and answer types the Promise clients share. */
export type {
  ClientCredentials,
  EndpointSettings,
  FitbitEndpointSettings,
  RetrySetting,
  TokenEndpointJson,
  VerbResponse,
  VerbResult
} from "./ClientOptions.js"
