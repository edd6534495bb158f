/**
 * @fitbit-effect/emulator: a local Fitbit Web API for offline development and tests.
 *
 * @since 0.1.0
 */

/** Starting the emulator: `start`, `layer`, `startEmulator`. */
export * as Emulator from "./Emulator.js"
/** The in-process control handle and the `/__emulator` control routes. */
export * as Control from "./Control.js"
/** Deterministic generated data (steps, sleep, heart rate, weight…) shared by every API. */
export * as DataGenerator from "./DataGenerator.js"
/** The state every route group shares. */
export * as EmulatorState from "./EmulatorState.js"
/** Route groups and how they compose. */
export * as RouteGroup from "./RouteGroup.js"
/** Fault kinds and the fault queue. */
export * as Faults from "./Faults.js"
/** Apps and users, with the defaults. */
export * as Registry from "./Registry.js"
/** The emulator clock. */
export * as Clock from "./Clock.js"
/** Counters of what the emulator saw. */
export * as Counters from "./Counters.js"
/** Codes, grants and tokens. */
export * as Grants from "./Grants.js"
/** The rate limiter. */
export * as RateLimiter from "./RateLimiter.js"
/** Helpers for route groups: Fitbit error JSON, forms, Basic auth, counting. */
export * as Http from "./Http.js"
/** Fitbit's OAuth endpoints. */
export * as FitbitOAuth from "./fitbit/OAuth.js"
/** The Fitbit Web API data endpoints. */
export * as FitbitApi from "./fitbit/Api.js"
/** Writes users make through the API. */
export * as UserData from "./fitbit/UserData.js"
/** Webhooks: subscriber verification and signed notifications. */
export * as Webhooks from "./fitbit/Webhooks.js"
/** Fault injection middleware. */
export * as FaultMiddleware from "./FaultMiddleware.js"
/** The Google Health API v4 route group: Google OAuth, `/v4/` resources, subscriber verification. */
export * as Google from "./google/index.js"

export {
  /** Starts the emulator for Promise code. */
  startEmulator
} from "./Emulator.js"
export type {
  /** The handle of a running emulator. */
  EmulatorHandle,
  /** Options of the emulator. */
  EmulatorOptions
} from "./Emulator.js"
