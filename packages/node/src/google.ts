/**
 * `@fitbit-effect/node/google`: the Google Health API alone on Node (the ready layers, the Promise
 * client, the undici `HttpClient`, the file token store), on `@fitbit-effect/core/google`: a
 * program that only talks to Google Health loads none of the Fitbit Web API's schemas. The same
 * classes as the root entry's.
 *
 * @since 0.1.0
 */

/** Ready layers: Google Health configuration, `GoogleHealthHttp` and the undici `HttpClient` in one. */
export * as NodeGoogleHealth from "./NodeGoogleHealth.js"
/** The Google Health API v4 as Promises: Google OAuth, verbs, typed helpers for every resource. */
export {
  type AuthorizeUrlOptions,
  GoogleHealthClient,
  type GoogleHealthClientOptions,
  type GoogleTokenJson
} from "./GoogleHealthClient.js"
/** The undici `HttpClient`, the file token store, the Promise clients' shared types. */
export * from "./shared.js"
