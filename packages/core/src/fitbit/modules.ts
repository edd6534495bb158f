/**
 * The Fitbit Web API's modules (configuration, OAuth, verbs, sessions, webhook, resources), as
 * re-exported by the root entry and by `@fitbit-effect/core/fitbit`.
 *
 * @since 0.1.0
 */
/** Fitbit: client configuration. */
export * as FitbitConfig from "./FitbitConfig.js"
/** Fitbit: the OAuth flow. */
export * as FitbitAuth from "./FitbitAuth.js"
/** Fitbit: the data API verbs. */
export * as FitbitHttp from "./FitbitHttp.js"
/** Fitbit: calls for stored users through a session. */
export * as FitbitSession from "./FitbitSession.js"
/** Fitbit: the webhook subscriber endpoint (verification, signature check, notifications). */
export * as FitbitWebhook from "./FitbitWebhook.js"
/** Fitbit: typed endpoints, Schemas of the answers and programs per resource group. */
export * as FitbitResources from "./FitbitResources.js"
