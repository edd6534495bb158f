/**
 * The public option and answer types the Promise clients share (`FitbitApiClient`,
 * `FitbitSessionClient`, `GoogleHealthClient`): client credentials, endpoint settings, the
 * `[body, response]` result of a verb and the token endpoint's JSON.
 *
 * @since 0.1.0
 */
import type * as HttpClient from "@effect/platform/HttpClient"
import type { ConfigInput, FitbitConfig, RateLimit, RetryPolicy } from "@fitbit-effect/core/fitbit"
import type * as Layer from "effect/Layer"

/**
 * The OAuth client's credentials.
 *
 * @since 0.1.0
 * @category models
 */
export type ClientCredentials = Pick<ConfigInput.CommonOptions, "clientId" | "clientSecret">

/**
 * Where a client sends its calls, how long it waits, and with which `HttpClient`. Every one
 * is optional; without them a client talks to its provider's production endpoints.
 *
 * @since 0.1.0
 * @category models
 */
export interface EndpointSettings extends Omit<ConfigInput.CommonOptions, "clientId" | "clientSecret"> {
  /** The `HttpClient` to send with (default: this package's undici client). */
  readonly httpClient?: Layer.Layer<HttpClient.HttpClient, unknown> | undefined
}

/**
 * The Fitbit Web API's settings beyond the endpoints: API version, introspection, units.
 *
 * @since 0.1.0
 * @category models
 */
export interface FitbitEndpointSettings extends EndpointSettings, Omit<FitbitConfig.Options, "clientId" | "clientSecret"> {}

/**
 * Retrying what is safe to repeat (core's `RetryPolicy`, honouring `Retry-After`): `true` for
 * core's default policy, `false` for none, or the policy's options.
 *
 * @since 0.1.0
 * @category models
 */
export type RetrySetting = boolean | RetryPolicy.Options

/**
 * The second element of a verb's result, the one response type of the Promise clients' verbs: what
 * fitbit-node users read from `request`'s response (`statusCode`, `statusMessage`, `headers`,
 * `body`), plus the method, the URL and the rate-limit state the answer reported.
 *
 * @since 0.1.0
 * @category models
 */
export interface VerbResponse<B = any> {
  readonly statusCode: number
  readonly statusMessage: string
  /** Header names lower-cased, as in Node's `IncomingMessage`. */
  readonly headers: Readonly<Record<string, string>>
  /** The parsed JSON body, the text when it was not JSON, `undefined` when empty. */
  readonly body: B
  readonly method: string
  /** The request URL without its query string. */
  readonly url: string
  /** The `Fitbit-Rate-Limit-*` state when the answer carried those headers (Google Health's never do). */
  readonly rateLimit: RateLimit.RateLimitState | undefined
}

/**
 * What a verb resolves with, for every HTTP status: `[body, response]`.
 *
 * @since 0.1.0
 * @category models
 */
export type VerbResult<B = any, R extends VerbResponse<B> = VerbResponse<B>> = [body: B, response: R]

/**
 * A token endpoint's success JSON (RFC 6749 §5.1), tokens in clear.
 *
 * @since 0.1.0
 * @category models
 */
export interface TokenEndpointJson {
  access_token: string
  expires_in: number
  refresh_token?: string
  scope: string
  token_type: string
}
