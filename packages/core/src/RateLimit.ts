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
 * Parses the `Fitbit-Rate-Limit-*` headers; `None` when they are absent or malformed.
 *
 * @since 0.1.0
 * @category decoding
 */
export const fromHeaders = (headers: HeaderBag, observedAt: number): Option.Option<RateLimitState> => {
  const limit = nonNegativeNumber(header(headers, "fitbit-rate-limit-limit"))
  const remaining = nonNegativeNumber(header(headers, "fitbit-rate-limit-remaining"))
  const resetSeconds = nonNegativeNumber(header(headers, "fitbit-rate-limit-reset"))
  if (limit === undefined || remaining === undefined || resetSeconds === undefined) return Option.none()
  // Every field was checked above: skip the constructor's schema validation.
  return Option.some(new RateLimitState({ limit, remaining, resetSeconds, observedAt }, true))
}

/**
 * Parses `Retry-After` as seconds, accepting both the delta-seconds and HTTP-date forms.
 *
 * @since 0.1.0
 * @category decoding
 */
export const retryAfterSeconds = (headers: HeaderBag, now: number): Option.Option<number> => {
  const raw = header(headers, "retry-after")
  if (raw === undefined) return Option.none()
  const seconds = nonNegativeNumber(raw)
  if (seconds !== undefined) return Option.some(seconds)
  const date = Date.parse(raw)
  if (Number.isNaN(date)) return Option.none()
  return Option.some(Math.max(0, Math.ceil((date - now) / 1000)))
}
