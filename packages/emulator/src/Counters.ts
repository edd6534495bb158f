/**
 * What the emulator has seen: requests per route and per path, token-endpoint calls,
 * refreshes per user, data writes, rate-limit refusals and faults served.
 *
 * @since 0.1.0
 */

/**
 * A snapshot of the counters.
 *
 * @since 0.1.0
 * @category models
 */
export interface CountersSnapshot {
  /** Requests that reached a handler, by `METHOD /route/pattern` (e.g. `GET /:version/user/:userId/profile.json`). */
  readonly requestsByRoute: Record<string, number>
  /** Every request except control calls (faulted ones too), by `METHOD /actual/path`. */
  readonly requestsByPath: Record<string, number>
  /** Every request except control calls. */
  readonly requests: number
  /** Successful refresh-token grants, by user id. */
  readonly refreshesByUser: Record<string, number>
  /** Data writes that succeeded (POST, PUT, DELETE on the data API). */
  readonly writes: number
  /** Calls to the token endpoint (any outcome). */
  readonly tokenRequests: number
  /** Successful code exchanges. */
  readonly codeExchanges: number
  /** Successful revocations. */
  readonly revocations: number
  /** Requests refused with 429 by the rate limiter. */
  readonly rateLimited: number
  /** Requests answered by an injected fault. */
  readonly faults: number
  /**
   * Round trips in sequence: the longest chain of requests each of which arrived after the one
   * before it was answered (requests in flight together share a step). With a `delay` fault on
   * the paths a client calls, it counts how many of its requests waited for another.
   */
  readonly roundTrips: number
}

/**
 * Mutable counters.
 *
 * @since 0.1.0
 * @category models
 */
export interface Counters {
  readonly route: (key: string) => void
  readonly path: (key: string) => void
  readonly refresh: (userId: string) => void
  readonly bump: (name: "writes" | "tokenRequests" | "codeExchanges" | "revocations" | "rateLimited" | "faults") => void
  readonly snapshot: () => CountersSnapshot
  readonly reset: () => void
  /** A request arrived: its step in the chain of round trips, for {@link Counters.answered}. */
  readonly arrived: () => number
  /** The request of that step was answered. */
  readonly answered: (step: number) => void
}

/**
 * Makes zeroed counters.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (): Counters => {
  const fresh = () => ({
    requestsByRoute: {} as Record<string, number>,
    requestsByPath: {} as Record<string, number>,
    requests: 0,
    refreshesByUser: {} as Record<string, number>,
    writes: 0,
    tokenRequests: 0,
    codeExchanges: 0,
    revocations: 0,
    rateLimited: 0,
    faults: 0,
    roundTrips: 0
  })
  let state = fresh()
  /** The deepest step answered so far: a request arriving now is one step deeper. */
  let answeredDepth = 0
  const inc = (record: Record<string, number>, key: string) => {
    record[key] = (record[key] ?? 0) + 1
  }
  return {
    route: (key) => inc(state.requestsByRoute, key),
    path: (key) => {
      state.requests++
      inc(state.requestsByPath, key)
    },
    refresh: (userId) => inc(state.refreshesByUser, userId),
    bump: (name) => {
      state[name]++
    },
    snapshot: () => structuredClone(state),
    reset: () => {
      state = fresh()
      answeredDepth = 0
    },
    arrived: () => {
      const step = answeredDepth + 1
      if (step > state.roundTrips) state.roundTrips = step
      return step
    },
    answered: (step) => {
      if (step > answeredDepth) answeredDepth = step
    }
  }
}
