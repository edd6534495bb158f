/**
 * Typed Fitbit Web API endpoints: one namespace per resource group, each with Schemas of
 * the answers and Effect programs taking `(accessToken, params, options?)`.
 *
 * @since 0.1.0
 */

/** Call options, date/period checks, tolerant schema parts and pagination. */
export * as Common from "./Common.js"
/** The user's profile. */
export * as Profile from "./Profile.js"
/** Paired devices. */
export * as Devices from "./Devices.js"
/** Activity summaries, time series, the log list and logging. */
export * as Activities from "./Activities.js"
/** Heart-rate time series and intraday. */
export * as HeartRate from "./HeartRate.js"
/** Sleep logs (API 1.2). */
export * as Sleep from "./Sleep.js"
/** Weight and body-fat logs and time series. */
export * as Body from "./Body.js"
/** Water logs (nutrition). */
export * as Water from "./Water.js"
/** Webhook subscriptions. */
export * as Subscriptions from "./Subscriptions.js"
