/**
 * The Google Health API's modules (configuration, OAuth, verbs, sessions, webhook, resources, data
 * types and their rules, pagination), as re-exported by the root entry and by
 * `@fitbit-effect/core/google`.
 *
 * @since 0.1.0
 */
/** Google Health: configuration service. */
export * as GoogleHealthConfig from "./GoogleHealthConfig.js"
/** Google Health: Google OAuth 2.0. */
export * as GoogleAuth from "./GoogleAuth.js"
/** Google Health: the `/v4` verbs. */
export * as GoogleHealthHttp from "./GoogleHealthHttp.js"
/** Google Health: calls for stored users. */
export * as GoogleHealthSession from "./GoogleHealthSession.js"
/** Google Health: the webhook subscriber endpoint. */
export * as GoogleHealthWebhook from "./GoogleHealthWebhook.js"
/** Google Health: `users/{user}` (identity, profile, settings). */
export * as GoogleUsers from "./resources/GoogleUsers.js"
/** Google Health: data points and their custom methods. */
export * as GoogleDataPoints from "./resources/GoogleDataPoints.js"
/** Google Health: data-type schemas and the data-point decoder. */
export * as GoogleDataTypes from "./GoogleDataTypes.js"
/** Google Health: the rules Google publishes per data type (channel, methods, page size, filters, roll-up reach, scope). */
export * as GoogleDataTypeRules from "./GoogleDataTypeRules.js"
/** Google Health: closed-open civil date ranges (last n days, this week, a month) in a user's zone, as list filters. */
export * as CivilDateRange from "./CivilDateRange.js"
/** Google Health: paired devices. */
export * as GooglePairedDevices from "./resources/GooglePairedDevices.js"
/** Google Health: subscribers and subscriptions. */
export * as GoogleSubscribers from "./resources/GoogleSubscribers.js"
/** Google Health: SMART Health Links (manifest, files, decryption). */
export * as GoogleSharedLinks from "./resources/GoogleSharedLinks.js"
/** Google Health: long-running operations. */
export * as GoogleOperation from "./GoogleOperation.js"
/** Google Health: resource names (`users/{user}/dataTypes/{type}/dataPoints/{id}`), parsed and built. */
export * as GoogleResourceName from "./GoogleResourceName.js"
/** Google Health: page-token pagination as streams. */
export * as GooglePagination from "./GooglePagination.js"
