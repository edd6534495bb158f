/**
 * The Google Health API v4 backend: configuration, Google OAuth, the HTTP verbs, typed
 * resources, data-type schemas, pagination and the webhook endpoint, with the same module names
 * as the Fitbit provider for the same roles (`Config`, `Auth`, `Http`, `Session`, `Webhook`).
 *
 * @since 0.1.0
 */

/** Configuration service (`GOOGLE_HEALTH_*`). */
export * as Config from "./Config.js"
/** Google OAuth 2.0 (authorize URL, code exchange with PKCE, refresh, revoke). */
export * as Auth from "./Auth.js"
/** The `/v4` verbs with Google's error shapes decoded. */
export * as Http from "./Http.js"
/** Calls for stored users: token store, single-flight refresh. */
export * as Session from "./Session.js"
/** The webhook subscriber endpoint. */
export * as Webhook from "./Webhook.js"
/** Resource-name checks. */
export * as ResourceName from "./ResourceName.js"
/** Data-type schemas and the never-failing data-point decoder. */
export * as DataTypes from "./DataTypes.js"
/** Long-running operations. */
export * as Operation from "./Operation.js"
/** `nextPageToken` streams. */
export * as Pagination from "./Pagination.js"
/** `users/{user}`: identity, profile, settings. */
export * as Users from "./resources/Users.js"
/** `users/{user}/dataTypes/{dataType}/dataPoints`. */
export * as DataPoints from "./resources/DataPoints.js"
/** `users/{user}/pairedDevices`. */
export * as PairedDevices from "./resources/PairedDevices.js"
/** `projects/{project}/subscribers` and their subscriptions. */
export * as Subscribers from "./resources/Subscribers.js"
/** `shl/m` and `shl/r`: SMART Health Links (manifest, files, decryption). */
export * as SharedLinks from "./resources/SharedLinks.js"
