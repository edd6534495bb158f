/**
 * `@fitbit-effect/core/fitbit`: the kernel and the Fitbit Web API only. A program that talks to
 * Fitbit alone imports this entry and loads none of Google Health's schemas; the modules are the
 * root entry's own (one copy of each class whichever entry loads it).
 *
 * @since 0.1.0
 */
export * from "../kernel.js"
export * from "./modules.js"
