/**
 * Turning a non-2xx HTTP answer into the right tagged error.
 *
 * Reads all three error shapes this library meets: Fitbit's `{"errors": [...]}`, Google's
 * `{"error": {"code", "message", "status", "details"}}` and OAuth's `{"error", "error_description"}`.
 * A non-JSON or empty body still yields the tag its status implies. Messages are scrubbed
 * of anything that looks like a token before they are kept. Pure.
 *
 * @since 0.1.0
 */
import * as Option from "effect/Option"
import * as Predicate from "effect/Predicate"
import * as Errors from "../Errors.js"
import * as RateLimit from "../RateLimit.js"

const JWT = /eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g
const BEARER = /(bearer\s+)[^\s"',;]+/gi
const BASIC = /(basic\s+)[A-Za-z0-9+/=._~-]{8,}/gi
const LONG_OPAQUE = /[A-Za-z0-9_-]{32,}/g

/**
 * Replaces each given secret (4 characters or more) in a text by `[redacted]`; nothing else.
 *
 * @since 0.1.0
 * @category formatting
 */
export const scrubSecrets = (text: string, secrets: ReadonlyArray<string>): string => {
  let out = text
  for (const secret of secrets) {
    if (secret.length >= 4 && out.includes(secret)) out = out.split(secret).join("[redacted]")
  }
  return out
}

/**
 * A parsed error body with each given secret (and any JWT) replaced by `[redacted]` in every
 * string it holds, keys and structure kept: what a caller of the raw answer sees of a server
 * that echoes the request's token (Fitbit's 401 `expired_token` message does).
 *
 * @since 0.1.0
 * @category formatting
 */
export const scrubBody = (body: unknown, secrets: ReadonlyArray<string>, depth = 0): unknown => {
  if (typeof body === "string") return scrubSecrets(body, secrets).replace(JWT, "[redacted]")
  if (typeof body !== "object" || body === null) return body
  // Deeper than any error body the APIs send: not walked (a hostile body cannot overflow the stack).
  if (depth >= MAX_SCRUB_DEPTH) return NESTED_TOO_DEEP
  if (Array.isArray(body)) return body.map((item) => scrubBody(item, secrets, depth + 1))
  if (Predicate.isRecord(body)) {
    const out: Record<string, unknown> = {}
    for (const key of Object.keys(body)) {
      // Defined, not assigned: a key named `__proto__` stays a key and never becomes the copy's prototype.
      Object.defineProperty(out, key, { value: scrubBody(body[key], secrets, depth + 1), enumerable: true, writable: true, configurable: true })
    }
    return out
  }
  return body
}

/** How deep {@link scrubBody} walks an error body. */
const MAX_SCRUB_DEPTH = 64

/** What stands in a scrubbed body for what lies deeper than {@link MAX_SCRUB_DEPTH}. */
const NESTED_TOO_DEEP = "[nested too deep]"

/**
 * Removes tokens from a server-supplied message: the given secrets, JWTs, bearer and basic values and
 * long opaque strings (Fitbit echoes the expired token in `expired_token` messages).
 *
 * @since 0.1.0
 * @category formatting
 */
export const scrub = (text: string, secrets: ReadonlyArray<string> = []): string =>
  scrubSecrets(text, secrets)
    .replace(JWT, "[redacted]")
    .replace(BEARER, "$1[redacted]")
    .replace(BASIC, "$1[redacted]")
    .replace(LONG_OPAQUE, "[redacted]")

const str = (u: unknown): string | undefined => (typeof u === "string" ? u : undefined)

/**
 * Reads the error entries of a parsed error body of any of the three shapes; `[]` when it has none.
 *
 * @since 0.1.0
 * @category decoding
 */
export const entriesFromBody = (
  body: unknown,
  secrets: ReadonlyArray<string> = []
): Array<Errors.ErrorEntry> => {
  const entry = (errorType: string, message: string, fieldName?: string) =>
    new Errors.ErrorEntry({
      errorType,
      message: scrub(message, secrets),
      ...(fieldName === undefined ? {} : { fieldName })
    })
  if (!Predicate.isRecord(body)) return []
  // Fitbit: {"errors": [{"errorType", "fieldName"?, "message"}], "success": false}
  if (Array.isArray(body.errors)) {
    return body.errors.flatMap((e: unknown) =>
      Predicate.isRecord(e) && typeof e.errorType === "string"
        ? [entry(e.errorType, str(e.message) ?? "", str(e.fieldName))]
        : []
    )
  }
  const error = body.error
  // Google APIs: {"error": {"code", "message", "status", "details"}}
  if (Predicate.isRecord(error)) {
    const status = str(error.status) ?? (typeof error.code === "number" ? String(error.code) : "UNKNOWN")
    const details = Array.isArray(error.details) ? error.details : []
    const reason = details.flatMap((d: unknown) => (Predicate.isRecord(d) && typeof d.reason === "string" ? [d.reason] : []))[0]
    const fields = details.flatMap((d: unknown) =>
      Predicate.isRecord(d) && Array.isArray(d.fieldViolations)
        ? d.fieldViolations.flatMap((v: unknown) => (Predicate.isRecord(v) && typeof v.field === "string" ? [v.field] : []))
        : []
    )
    return [entry(reason ?? status, str(error.message) ?? "", fields[0])]
  }
  // OAuth 2.0 (RFC 6749 §5.2): {"error", "error_description"}
  if (typeof error === "string") {
    return [entry(error, str(body.error_description) ?? "")]
  }
  return []
}

const GOOGLE_STATUS: Record<string, string> = {
  UNAUTHENTICATED: "invalid_token",
  PERMISSION_DENIED: "insufficient_scope",
  ACCESS_TOKEN_SCOPE_INSUFFICIENT: "insufficient_scope",
  INVALID_ARGUMENT: "validation",
  FAILED_PRECONDITION: "validation",
  OUT_OF_RANGE: "validation",
  NOT_FOUND: "not_found",
  ALREADY_EXISTS: "conflict",
  ABORTED: "conflict",
  RESOURCE_EXHAUSTED: "rate_limited",
  RATE_LIMIT_EXCEEDED: "rate_limited",
  ACCESS_TOKEN_EXPIRED: "expired_token"
}

/** The normalised error kind of an entry: Fitbit's errorType, or Google's status mapped onto it. */
const kindOf = (entry: Errors.ErrorEntry): string => GOOGLE_STATUS[entry.errorType] ?? entry.errorType

/**
 * What the decoder needs to know of the failed exchange.
 *
 * @since 0.1.0
 * @category models
 */
export interface FailedResponse {
  readonly status: number
  readonly method: string
  readonly url: string
  /** The parsed body: JSON when it parsed, the text otherwise, `undefined` when empty. */
  readonly body: unknown
  readonly headers: Readonly<Record<string, string>>
  /** When the response was seen, epoch milliseconds. */
  readonly now: number
  /** Values to scrub from messages (the credentials of the request). */
  readonly secrets?: ReadonlyArray<string>
  /** The budget the answer reported, read by the provider (`ApiCall.Options.rateLimitOf`); none when absent. */
  readonly rateLimit?: Option.Option<RateLimit.RateLimitState> | undefined
}

/**
 * The delay of a Google `google.rpc.RetryInfo` error detail (`"retryDelay": "30s"`), in whole
 * seconds rounded up; none when the body has no such detail.
 *
 * @since 0.1.0
 * @category decoding
 */
export const retryInfoSeconds = (body: unknown): Option.Option<number> => {
  const error = Predicate.isRecord(body) ? body.error : undefined
  const details = Predicate.isRecord(error) && Array.isArray(error.details) ? error.details : []
  for (const d of details) {
    if (!Predicate.isRecord(d) || d["@type"] !== "type.googleapis.com/google.rpc.RetryInfo") continue
    const delay = typeof d.retryDelay === "string" ? /^(\d+(?:\.\d+)?)s$/.exec(d.retryDelay.trim()) : null
    if (delay !== null) return Option.some(RateLimit.boundedWait(Math.ceil(Number(delay[1]))))
  }
  return Option.none()
}

const WINDOWS: ReadonlyArray<readonly [RegExp, number]> = [
  [/\bper\s+(?:1\s+)?second\b/i, 1],
  [/\bper\s+(?:1\s+)?minute\b/i, 60],
  [/\bper\s+(?:1\s+)?hour\b/i, 3600],
  [/\bper\s+(?:1\s+)?day\b/i, 86_400]
]

/**
 * The wait a Google quota error implies when it says neither `Retry-After` nor `RetryInfo`: the
 * window its message names (`… 'Queries per minute' …`), counted to the window's next boundary
 * from `now` (epoch milliseconds); none when the message names no window.
 *
 * @since 0.1.0
 * @category decoding
 */
export const quotaWindowSeconds = (body: unknown, now: number): Option.Option<number> => {
  const error = Predicate.isRecord(body) ? body.error : undefined
  const message = Predicate.isRecord(error) && typeof error.message === "string" ? error.message : undefined
  if (message === undefined || !/quota/i.test(message)) return Option.none()
  for (const [pattern, seconds] of WINDOWS) {
    if (!pattern.test(message)) continue
    const windowMillis = seconds * 1000
    return Option.some(RateLimit.boundedWait(Math.max(1, Math.ceil((windowMillis - (now % windowMillis)) / 1000))))
  }
  return Option.none()
}

/**
 * Decodes a non-2xx response into its tagged error: the error type wins where it is
 * specific (`expired_token`, `invalid_grant`, …), the status decides otherwise.
 *
 * @since 0.1.0
 * @category decoding
 */
export const toApiFailure = (response: FailedResponse): Errors.ApiFailure => {
  const errors = entriesFromBody(response.body, response.secrets)
  const rateLimit = response.rateLimit ?? Option.none()
  const fields = {
    status: response.status,
    method: response.method,
    url: response.url,
    errors,
    ...(Option.isSome(rateLimit) ? { rateLimit: rateLimit.value } : {})
  }
  const kinds = new Set(errors.map(kindOf))
  const has = (kind: string) => kinds.has(kind)
  const status = response.status
  if (status === 429 || has("rate_limited")) {
    const retryAfter = RateLimit.retryAfterSeconds(response.headers, response.now).pipe(
      Option.orElse(() => retryInfoSeconds(response.body)),
      Option.orElse(() => quotaWindowSeconds(response.body, response.now)),
      Option.orElse(() => Option.map(rateLimit, (r) => r.resetSeconds))
    )
    return new Errors.RateLimited({
      ...fields,
      ...(Option.isSome(retryAfter) ? { retryAfterSeconds: retryAfter.value } : {})
    })
  }
  if (has("SERVICE_DISABLED") || has("accessNotConfigured")) return new Errors.SetupRequired({ ...fields, reason: "api_not_enabled" })
  if (has("ACCOUNT_NOT_LINKED")) return new Errors.SetupRequired({ ...fields, reason: "account_not_linked" })
  if (status === 401 && has("invalid_request")) return new Errors.SetupRequired({ ...fields, reason: "authorization_missing" })
  if (has("expired_token")) return new Errors.ExpiredToken(fields)
  if (has("invalid_grant")) return new Errors.InvalidGrant(fields)
  if (has("invalid_client") || has("unauthorized_client")) return new Errors.InvalidClient(fields)
  if (has("insufficient_scope") || has("insufficient_permissions")) return new Errors.InsufficientScope(fields)
  if (has("invalid_token")) return new Errors.InvalidToken(fields)
  if (has("not_found")) return new Errors.NotFound(fields)
  if (has("conflict")) return new Errors.Conflict(fields)
  if (has("validation") || has("invalid_request") || has("unsupported_grant_type") || has("invalid_scope")) {
    return new Errors.ValidationFailed(fields)
  }
  // 501 from a translation that has no answer for the path: the call cannot succeed, not a server fault.
  if (has("not_supported") || status === 501) return new Errors.ApiError(fields)
  if (status >= 500) return new Errors.ServerError(fields)
  switch (status) {
    case 400:
      return new Errors.ValidationFailed(fields)
    case 401:
      return new Errors.InvalidToken(fields)
    case 403:
      return new Errors.InsufficientScope(fields)
    case 404:
      return new Errors.NotFound(fields)
    case 409:
      return new Errors.Conflict(fields)
    default:
      return new Errors.ApiError(fields)
  }
}

/**
 * The Fitbit decoder: a 410 is the legacy API's retirement (`LegacyApiRetired`), anything else
 * decodes as {@link toApiFailure} does. The hook both Fitbit programs (`FitbitHttp`, Fitbit's OAuth
 * endpoints) pass.
 *
 * @since 0.1.0
 * @category decoding
 */
export const toFitbitFailure = (response: FailedResponse): Errors.ApiFailure =>
  response.status === 410
    ? new Errors.LegacyApiRetired({
      status: 410,
      method: response.method,
      url: response.url,
      errors: entriesFromBody(response.body, response.secrets)
    })
    : toApiFailure(response)

/** Drops keys named `__proto__` while JSON is parsed. */
const withoutProtoKeys = (key: string, value: unknown): unknown => (key === "__proto__" ? undefined : value)

/**
 * `JSON.parse` for JSON from the wire or a webhook, without `__proto__` keys: such a key is an own
 * property after `JSON.parse`, but it becomes an object's prototype wherever the JSON is copied key
 * by key (a schema's index signature, a spread), so it is dropped here, where every body is parsed.
 * Only a text that may spell the key (`__proto__`, or any `\u` escape) pays for the dropping.
 * Throws as `JSON.parse` does, and a `RangeError` for a document with such a key nested too deep
 * to walk.
 *
 * @since 0.1.0
 * @category decoding
 */
export const parseJson = (text: string): unknown =>
  text.includes("__proto__") || text.includes("\\u") ? JSON.parse(text, withoutProtoKeys) : JSON.parse(text)

/**
 * Parses a response body leniently ({@link parseJson}): JSON when it is JSON, the text otherwise,
 * `undefined` when empty.
 *
 * @since 0.1.0
 * @category decoding
 */
export const parseBody = (text: string): unknown => {
  if (text.length === 0) return undefined
  try {
    return parseJson(text)
  } catch {
    return text
  }
}
