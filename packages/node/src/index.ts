/**
 * @fitbit-effect/node: what only Node has, on top of @fitbit-effect/core: ready layers on a
 * lean undici `HttpClient`, and the fitbit-node compatible Promise facade.
 *
 * @since 0.1.0
 */

/** Google Health alone: `NodeGoogleHealth`, `GoogleHealthClient`, and the shared parts below (also `@fitbit-effect/node/google`). */
export * from "./google.js"
/**
 * Fitbit alone: `NodeFitbit`, `FitbitSessionClient`, and the shared parts (also `@fitbit-effect/node/fitbit`):
 * `UndiciHttpClient`, `FileTokenStore`, the option and answer types of the Promise clients.
 */
export * from "./fitbit.js"
/** The fitbit-node 2.2.0 compatible Promise facade and its types. */
export {
  type AccessTokenJson,
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
