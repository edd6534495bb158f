/**
 * What the provider entries (`@fitbit-effect/node/google`, `/fitbit`) both export: the undici
 * `HttpClient`, the file token store, and the option and answer types of the Promise clients.
 *
 * @since 0.1.0
 */

/** A lean `HttpClient` straight on undici's dispatcher (the default of every layer and client here). */
export * as UndiciHttpClient from "./UndiciHttpClient.js"
/** A token store in a JSON file: atomic writes, mode 0600, survives restarts, safe across processes. */
export * as FileTokenStore from "./FileTokenStore.js"
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
