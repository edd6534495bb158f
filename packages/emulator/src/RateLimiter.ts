/**
 * Fitbit's rate limit: a budget of requests per app-user pair per clock hour (150 by
 * default), reported in `Fitbit-Rate-Limit-*` headers, refused with 429 when spent.
 *
 * @since 0.1.0
 */

const HOUR = 3_600_000

/**
 * The outcome of counting one request.
 *
 * @since 0.1.0
 * @category models
 */
export interface Decision {
  readonly allowed: boolean
  readonly limit: number
  readonly remaining: number
  /** Seconds until the window resets (the top of the next hour). */
  readonly resetSeconds: number
}

/**
 * The limiter.
 *
 * @since 0.1.0
 * @category models
 */
export interface RateLimiter {
  /** Counts a request of a client for a user and says whether it may proceed. */
  readonly take: (clientId: string, userId: string) => Decision
  readonly setLimit: (perHour: number) => void
  readonly limit: () => number
  /** Forgets every count. */
  readonly reset: () => void
}

/**
 * The three `Fitbit-Rate-Limit-*` headers (and `Retry-After` when refused) of a decision.
 *
 * @since 0.1.0
 * @category requests
 */
export const headers = (decision: Decision): Record<string, string> => ({
  "Fitbit-Rate-Limit-Limit": String(decision.limit),
  "Fitbit-Rate-Limit-Remaining": String(decision.remaining),
  "Fitbit-Rate-Limit-Reset": String(decision.resetSeconds),
  ...(decision.allowed ? {} : { "Retry-After": String(decision.resetSeconds) })
})

/**
 * Makes a limiter on a clock.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (options: { readonly now: () => number; readonly perHour?: number | undefined }): RateLimiter => {
  let limit = options.perHour ?? 150
  const counts = new Map<string, { window: number; used: number }>()
  const check = (perHour: number) => {
    if (!(Number.isInteger(perHour) && perHour >= 0)) throw new TypeError("the rate limit must be a whole number >= 0")
    return perHour
  }
  check(limit)
  return {
    take: (clientId, userId) => {
      const now = options.now()
      const window = Math.floor(now / HOUR)
      const resetSeconds = Math.max(1, Math.ceil(((window + 1) * HOUR - now) / 1000))
      const key = `${clientId}:${userId}`
      let entry = counts.get(key)
      if (entry === undefined || entry.window !== window) {
        entry = { window, used: 0 }
        counts.set(key, entry)
      }
      if (entry.used >= limit) return { allowed: false, limit, remaining: 0, resetSeconds }
      entry.used++
      return { allowed: true, limit, remaining: limit - entry.used, resetSeconds }
    },
    setLimit: (perHour) => {
      limit = check(perHour)
    },
    limit: () => limit,
    reset: () => counts.clear()
  }
}
