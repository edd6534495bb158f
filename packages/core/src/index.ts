/**
 * @fitbit-effect/core: the Fitbit Web API as Effect programs over any `HttpClient`.
 *
 * @since 0.1.0
 */

/** Tagged errors of every program. */
export * as FitbitError from "./FitbitError.js"
/** Decoding non-2xx answers into tagged errors. */
export * as ErrorDecoder from "./ErrorDecoder.js"
/** Rate-limit headers. */
export * as RateLimit from "./RateLimit.js"
/** PKCE verifiers and challenges. */
export * as Pkce from "./Pkce.js"
/** fitbit-node compatible form encoding. */
export * as FormBody from "./FormBody.js"
/** URL, path, user-id and header checks. */
export * as Url from "./Url.js"
/** One HTTP exchange with transport errors and timeouts. */
export * as HttpExchange from "./HttpExchange.js"
/** Generic OAuth 2.0 flow. */
export * as OAuth from "./OAuth.js"
/** Fitbit client configuration. */
export * as FitbitConfig from "./FitbitConfig.js"
/** Fitbit's OAuth flow. */
export * as FitbitAuth from "./FitbitAuth.js"
/** Fitbit data API verbs. */
export * as FitbitHttp from "./FitbitHttp.js"
/** A recording HttpClient for tests. */
export * as MockHttpClient from "./MockHttpClient.js"
