/**
 * `@fitbit-effect/core/testing`: what tests swap in for the network. `MockHttpClient` answers
 * requests from a handler and records them, as an `HttpClient` layer for any program or client.
 *
 * @since 0.1.0
 */

/** An `HttpClient` answering from a handler, recording every request. */
export * as MockHttpClient from "./MockHttpClient.js"
