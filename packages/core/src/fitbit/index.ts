/**
 * The legacy Fitbit Web API provider: the same module names as the Google Health provider
 * for the same roles.
 *
 * @since 0.1.0
 */

/** Client configuration (`FITBIT_*`). */
export * as Config from "./Config.js"
/** Fitbit's OAuth flow: authorize URL, code exchange, refresh, revoke, introspect. */
export * as Auth from "./Auth.js"
/** The data API verbs. */
export * as Http from "./Http.js"
/** Calls for stored users: token store, single-flight refresh. */
export * as Session from "./Session.js"
/** The webhook subscriber endpoint. */
export * as Webhook from "./Webhook.js"
/** Typed endpoints per resource group. */
export * as Resources from "./resources/index.js"
