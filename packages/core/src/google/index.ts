/**
 * The Google Health API v4 backend: configuration, Google OAuth, the HTTP verbs, typed
 * resources, data-type schemas, pagination and the webhook endpoint.
 *
 * @since 0.1.0
 */

/** Configuration service (`GOOGLE_HEALTH_*`). */
export * as GoogleHealthConfig from "./GoogleHealthConfig.js"
/** Google OAuth 2.0 (authorize URL, code exchange with PKCE, refresh, revoke). */
export * as GoogleAuth from "./GoogleAuth.js"
/** The `/v4` verbs with Google's error shapes decoded. */
export * as GoogleHealthHttp from "./GoogleHealthHttp.js"
/** Resource-name checks. */
export * as ResourceName from "./ResourceName.js"
/** Data-type schemas and the never-failing data-point decoder. */
export * as DataTypes from "./DataTypes.js"
/** Long-running operations. */
export * as Operation from "./Operation.js"
/** `nextPageToken` streams. */
export * as Pagination from "./Pagination.js"
/** Calls for stored users: token store, single-flight refresh. */
export * as GoogleHealthSession from "./GoogleHealthSession.js"
/** `users/{user}`: identity, profile, settings. */
export * as Users from "./Users.js"
/** `users/{user}/dataTypes/{dataType}/dataPoints`. */
export * as DataPoints from "./DataPoints.js"
/** `users/{user}/pairedDevices`. */
export * as PairedDevices from "./PairedDevices.js"
/** `projects/{project}/subscribers` and their subscriptions. */
export * as Subscribers from "./Subscribers.js"
/** The webhook subscriber endpoint. */
export * as GoogleHealthWebhook from "./GoogleHealthWebhook.js"
