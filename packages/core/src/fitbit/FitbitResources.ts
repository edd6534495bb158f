/**
 * Typed Fitbit Web API endpoints: one namespace per resource group, each with Schemas of
 * the answers and Effect programs taking `(accessToken, params, options?)`.
 *
 * @since 0.1.0
 */

/** Call options, date/period checks, tolerant schema parts and pagination. */
export * as Common from "./resources/Common.js"
/** The user's profile. */
export * as Profile from "./resources/Profile.js"
/** Paired devices. */
export * as Devices from "./resources/Devices.js"
/** Activity summaries, time series, the log list and logging. */
export * as Activities from "./resources/Activities.js"
/** Heart-rate time series and intraday. */
export * as HeartRate from "./resources/HeartRate.js"
/** Sleep logs (API 1.2). */
export * as Sleep from "./resources/Sleep.js"
/** Weight and body-fat logs and time series. */
export * as Body from "./resources/Body.js"
/** Water logs (nutrition). */
export * as Water from "./resources/Water.js"
/** Webhook subscriptions. */
export * as Subscriptions from "./resources/Subscriptions.js"
