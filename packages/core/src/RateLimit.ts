/**
 * Reading the rate-limit state an API reports in its response headers.
 *
 * Fitbit sends `Fitbit-Rate-Limit-Limit`, `Fitbit-Rate-Limit-Remaining` and
 * `Fitbit-Rate-Limit-Reset` (seconds until the hourly window resets) on every data
 * response, and `Retry-After` (seconds) with a 429. Parsing is pure: the caller
 * passes the time the response was seen.
 *
 * @since 0.1.0
 */
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"

/**
 * The rate-limit budget reported by one response.
 *
 * @since 0.1.0
 * @category models
 */
export class RateLimitState extends Schema.Class<RateLimitState>("RateLimitState")({
  /** Requests allowed in the window. */
  limit: Schema.Number,
  /** Requests left in the window. */
  remaining: Schema.Number,
  /** Seconds from `observedAt` until the window resets. */
  resetSeconds: Schema.Number,
  /** When the response was seen, in epoch milliseconds. */
  observedAt: Schema.Number
}) {
  /** When the window resets, in epoch milliseconds. */
  get resetAt(): number {
    return this.observedAt + this.resetSeconds * 1000
  }
}

/**
 * A state from fields already checked to be numbers: the instance `new RateLimitState(fields,
 * true)` makes (its class's prototype and these own fields, hence the same equality and hash), without
 * the constructor's copies of the fields. For the states read from every answer.
 *
 * @since 0.1.0
 * @category constructors
 */
export const checkedState = (fields: {
  readonly limit: number
  readonly remaining: number
  readonly resetSeconds: number
  readonly observedAt: number
}): RateLimitState => Object.assign(Object.create(RateLimitState.prototype) as RateLimitState, fields)

/**
 * The longest wait an answer can impose, in seconds: one hour (Fitbit's whole window; Google's
 * quotas are per minute). A `Retry-After`, a `RetryInfo` or a reported reset asking for more is
 * taken as one hour, so one answer cannot refuse a user's calls for longer (fleet-wide with a
 * shared policy); after it, the API is asked again.
 *
 * @since 0.1.0
 * @category constants
 */
export const MAX_WAIT_SECONDS = 3600

/**
 * A wait an answer asked for, bounded to [0, {@link MAX_WAIT_SECONDS}].
 *
 * @since 0.1.0
 * @category utils
 */
export const boundedWait = (seconds: number): number =>
  Number.isNaN(seconds) ? MAX_WAIT_SECONDS : Math.min(Math.max(seconds, 0), MAX_WAIT_SECONDS)

/** Headers as a case-insensitive lookup; Effect's `Headers` are already lower-cased. */
type HeaderBag = Readonly<Record<string, string | ReadonlyArray<string> | undefined>>

const header = (headers: HeaderBag, name: string): string | undefined => {
  const direct = headers[name]
  const value = direct ?? Object.entries(headers).find(([key]) => key.toLowerCase() === name)?.[1]
  if (value === undefined) return undefined
  return typeof value === "string" ? value : value[0]
}

const nonNegativeNumber = (value: string | undefined): number | undefined => {
  if (value === undefined) return undefined
  const trimmed = value.trim()
  if (!/^\d+(\.\d+)?$/.test(trimmed)) return undefined
  return Number(trimmed)
}

/**
 * Parses the `Fitbit-Rate-Limit-*` headers (the reset bounded to {@link MAX_WAIT_SECONDS}); `None`
 * when they are absent or malformed.
 *
 * @since 0.1.0
 * @category decoding
 */
export const fromHeaders = (headers: HeaderBag, observedAt: number): Option.Option<RateLimitState> => {
  const limit = nonNegativeNumber(header(headers, "fitbit-rate-limit-limit"))
  const remaining = nonNegativeNumber(header(headers, "fitbit-rate-limit-remaining"))
  const resetSeconds = nonNegativeNumber(header(headers, "fitbit-rate-limit-reset"))
  if (limit === undefined || remaining === undefined || resetSeconds === undefined) return Option.none()
  // Every field was checked above: no schema validation, and no constructor copies (read per answer).
  return Option.some(checkedState({ limit, remaining, resetSeconds: boundedWait(resetSeconds), observedAt }))
}

/**
 * Parses `Retry-After` as seconds, accepting both the delta-seconds and HTTP-date forms, bounded
 * to {@link MAX_WAIT_SECONDS}.
 *
 * @since 0.1.0
 * @category decoding
 */
export const retryAfterSeconds = (headers: HeaderBag, now: number): Option.Option<number> => {
  const raw = header(headers, "retry-after")
  if (raw === undefined) return Option.none()
  const seconds = nonNegativeNumber(raw)
  if (seconds !== undefined) return Option.some(boundedWait(seconds))
  const date = Date.parse(raw)
  if (Number.isNaN(date)) return Option.none()
  return Option.some(boundedWait(Math.ceil((date - now) / 1000)))
}
