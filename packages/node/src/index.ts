/**
 * @fitbit-effect/node: what only Node has, on top of @fitbit-effect/core: ready layers on
 * `@effect/platform-node`'s undici `HttpClient`, and the fitbit-node compatible Promise facade.
 *
 * @since 0.1.0
 */

/** Ready layers: configuration, `FitbitHttp` and the undici `HttpClient` in one. */
export * as NodeFitbit from "./NodeFitbit.js"
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
  TokenEndpointError,
  type TokenErrorContext,
  type UserId
} from "./FitbitApiClient.js"
