/**
 * `@fitbit-effect/core/kernel`: the provider-neutral kernel, which every entry re-exports: errors,
 * OAuth, PKCE, sessions, token stores, the HTTP exchange, retries, rate limits and configuration
 * input. For code that serves either provider (a token store, an `HttpClient` layer) and loads
 * neither provider's schemas.
 *
 * @since 0.1.0
 */

/** Tagged errors of every program (shared by both providers). */
export * as Errors from "./Errors.js"

/** Rate-limit state and headers. */
export * as RateLimit from "./RateLimit.js"
/** PKCE verifiers and challenges. */
export * as Pkce from "./Pkce.js"
/** One HTTP exchange with transport errors and timeouts. */
export * as HttpExchange from "./HttpExchange.js"
/** Generic OAuth 2.0 flow. */
export * as OAuth from "./OAuth.js"
/** OAuth `state` generation and verification. */
export * as OAuthState from "./OAuthState.js"
/** Token stores: per-user grants with compare-and-set (memory, KeyValueStore). */
export * as TokenStore from "./TokenStore.js"
/** Generic authenticated sessions: proactive/reactive single-flight refresh. */
export * as Session from "./Session.js"
/** Which failed calls are retried, and the backoff. */
export * as RetryPolicy from "./RetryPolicy.js"
/** Per-user rate-limit tracking and the policy when the budget is spent. */
export * as RateLimitPolicy from "./RateLimitPolicy.js"
/** Settings both providers read from configuration. */
export * as ConfigInput from "./ConfigInput.js"
