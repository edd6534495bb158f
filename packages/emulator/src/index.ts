/**
 * @fitbit-effect/emulator: a local Fitbit Web API and Google Health API v4 for offline
 * development and tests. The entry holds what tests call: starting it (`startEmulator`,
 * `Emulator.start`/`layer`), its handle's types, the Google side's helpers and the generated
 * data tests compare against. Everything else (routes, state, counters) is reached through the
 * handle.
 *
 * @since 0.1.0
 */

/** Starting the emulator: `start`, `layer`, `startEmulator`, the `EmulatorService` tag. */
export * as Emulator from "./Emulator.js"
/** Deterministic generated data (steps, sleep, heart rate, weight…) shared by every API. */
export * as DataGenerator from "./DataGenerator.js"
/** The Google Health side: `grantTokens`, `healthUserIdOf`, `configure`, `verifyEndpoint`. */
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
/** A fault to inject (`injectFault`). */
export type { Fault } from "./Faults.js"
/** A registered app and user (`addApp`, `addUser`). */
export type { App, User } from "./Registry.js"
/** The request counters (`counters()`). */
export type { CountersSnapshot } from "./Counters.js"
/** Consent modes (`setConsent`). */
export type { ConsentMode } from "./EmulatorState.js"
