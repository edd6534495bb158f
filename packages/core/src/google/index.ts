/**
 * `@fitbit-effect/core/google`: the kernel and the Google Health API only. A program that talks to
 * Google Health alone imports this entry and loads none of the Fitbit Web API's schemas, nor the
 * legacy bridge; the modules are the root entry's own (one copy of each class whichever entry loads
 * it).
 *
 * @since 0.1.0
 */
export * from "../kernel.js"
export * from "./modules.js"
