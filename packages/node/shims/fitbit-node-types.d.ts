// The fitbit-node drop-in's types, self-contained: the entry bundles its own copy of effect and
// core, so its declarations import nothing (no effect, @effect/platform or @fitbit-effect/core
// needs to be installed, and `skipLibCheck` is not needed). test/dropin-types.test.ts keeps
// them in step with the real class and type-checks a consumer against them.

/** A duration: milliseconds, or a text such as `"30 seconds"`. */
export type DurationInput =
  | number
  | `${number} ${"nanos" | "micros" | "millis" | "seconds" | "minutes" | "hours" | "days" | "weeks"}`
  | `${number} ${"nano" | "micro" | "milli" | "second" | "minute" | "hour" | "day" | "week"}`

/** Retrying what is safe to repeat (data calls only; writes never once they may have been sent). */
export interface RetryOptions {
  readonly maxRetries?: number | undefined
  readonly baseDelay?: DurationInput | undefined
  readonly factor?: number | undefined
  readonly maxDelay?: DurationInput | undefined
  readonly jitter?: boolean | undefined
  readonly maxRetryAfter?: DurationInput | undefined
}

/** What to do when a user's rate-limit budget is reported spent. */
export interface RateLimitOptions {
  readonly onExhausted?: "fail" | "wait" | undefined
  readonly maxWait?: DurationInput | undefined
  readonly reserve?: number | undefined
}

/** Everything but the credentials. */
export interface FitbitApiClientSettings {
  /** `"fitbit"` (default) or `"google-health"`: legacy paths answered from the Google Health API. */
  readonly backend?: "fitbit" | "google-health" | undefined
  /** One origin for every endpoint, e.g. the emulator (`http://127.0.0.1:8787`). */
  readonly baseUrl?: string | undefined
  readonly authorizeUrl?: string | undefined
  readonly tokenUrl?: string | undefined
  readonly revokeUrl?: string | undefined
  readonly introspectUrl?: string | undefined
  /** Origin (and optional prefix) of the data API. */
  readonly apiBaseUrl?: string | undefined
  /** `1`, `1.1` or `1.2` (default `1.2`). */
  readonly apiVersion?: string | undefined
  /** `en_US` (imperial), `en_GB`, or anything else (metric). */
  readonly acceptLanguage?: string | undefined
  /** Per-request timeout (default 30 seconds). */
  readonly timeout?: DurationInput | undefined
  /** Retry what is safe to repeat; `true` takes the defaults (default off, like fitbit-node). */
  readonly retry?: boolean | RetryOptions | undefined
  /** Refuse a user's call once the budget is reported spent (default off, like fitbit-node). */
  readonly rateLimit?: boolean | RateLimitOptions | undefined
}

/** The options object form of the constructor. */
export interface FitbitApiClientOptions extends FitbitApiClientSettings {
  readonly clientId: string
  /** Absent for a public client with PKCE. */
  readonly clientSecret?: string | undefined
}

/** `-` (default), a Fitbit user id, or `false` for paths without a user segment. */
export type UserId = string | false | null | undefined

/** Extra headers, merged over `Authorization` (never `Host`, `Content-Length` or hop-by-hop ones). */
export type ExtraHeaders = Readonly<Record<string, string | undefined>> | null | undefined

/** The `Fitbit-Rate-Limit-*` state of an answer. */
export interface RateLimitState {
  readonly limit: number
  readonly remaining: number
  readonly resetSeconds: number
  readonly observedAt: number
  readonly resetAt: number
}

/** The second element of a verb's result. */
export interface VerbResponse<B = any> {
  readonly statusCode: number
  readonly statusMessage: string
  readonly headers: Readonly<Record<string, string>>
  readonly body: B
  readonly method: string
  readonly url: string
  readonly rateLimit: RateLimitState | undefined
}

/** What `get`, `post`, `put` and `delete` resolve with, for every HTTP status. */
export type VerbResult<B = any> = [body: B, response: VerbResponse<B>]

/** The token endpoint's answer. */
export interface AccessTokenJson {
  access_token: string
  expires_in: number
  refresh_token?: string
  scope: string
  token_type: string
  user_id?: string
}

/** A refresh's answer, with when the new access token expires. */
export interface RefreshedTokenJson extends AccessTokenJson {
  expires_at: Date
}

/** An RFC 7662 introspection answer. */
export interface IntrospectionJson {
  active: boolean
  scope?: string | undefined
  client_id?: string | undefined
  user_id?: string | undefined
  token_type?: string | undefined
  exp?: number | undefined
  iat?: number | undefined
}

/** fitbit-node 2.2.0's client, as Promises. */
export declare class FitbitApiClient {
  /** Changes the settings of clients constructed afterwards; answers the previous ones. */
  static setDefaults(settings?: FitbitApiClientSettings): FitbitApiClientSettings
  constructor(options: FitbitApiClientOptions)
  constructor(clientId: string, clientSecret?: string, settings?: FitbitApiClientSettings)
  readonly apiVersion: string
  readonly clientId: string
  readonly backend: "fitbit" | "google-health"
  getAuthorizeUrl(scope: string | ReadonlyArray<string>, redirectUrl: string, prompt?: string, state?: string): string
  getAccessToken(code: string, redirectUrl: string): Promise<AccessTokenJson>
  refreshAccessToken(accessToken: string, refreshToken: string, expiresIn?: number | string): Promise<RefreshedTokenJson>
  revokeAccessToken(accessToken: string): Promise<Record<string, never>>
  introspectAccessToken(token: string, bearer?: string): Promise<IntrospectionJson>
  get(path: string, accessToken: string, userId?: UserId, extraHeaders?: ExtraHeaders): Promise<VerbResult>
  post(path: string, accessToken: string, data?: Record<string, unknown> | string | null, userId?: UserId, extraHeaders?: ExtraHeaders): Promise<VerbResult>
  put(path: string, accessToken: string, data?: Record<string, unknown> | string | null, userId?: UserId, extraHeaders?: ExtraHeaders): Promise<VerbResult>
  delete(path: string, accessToken: string, userId?: UserId, extraHeaders?: ExtraHeaders): Promise<VerbResult>
  /** Every page of a list, following `pagination.next`, as `[body, response]` pairs. */
  pages(path: string, accessToken: string, options?: { readonly userId?: UserId; readonly extraHeaders?: ExtraHeaders; readonly maxPages?: number }): AsyncIterable<VerbResult>
  getUrl(path: string, userId?: UserId): string
  mergeHeaders(accessToken: string, extraHeaders?: ExtraHeaders): Record<string, string>
  /** Frees the connection pool; later calls reject with `ClientClosed`. */
  close(): Promise<void>
  dispose(): Promise<void>
  toJSON(): { readonly _id: "FitbitApiClient"; readonly clientId: string; readonly apiVersion: string; readonly apiBaseUrl: string }
  toString(): string
}
