import { describe, expect, it } from "@effect/vitest"
import { Equal, Hash, Option, Schema } from "effect"
import { inspect } from "node:util"
import { RateLimit } from "@fitbit-effect/core"

describe("RateLimit", () => {
  it("reads the Fitbit headers case-insensitively, with resetAt from observedAt", () => {
    const state = Option.getOrThrow(
      RateLimit.fromHeaders({ "Fitbit-Rate-Limit-Limit": "150", "fitbit-rate-limit-remaining": "12", "FITBIT-RATE-LIMIT-RESET": " 900 " }, 5_000)
    )
    expect([state.limit, state.remaining, state.resetSeconds, state.observedAt]).toEqual([150, 12, 900, 5_000])
    expect(state.resetAt).toBe(5_000 + 900_000)
  })

  it("is None when a header is missing or malformed", () => {
    expect(Option.isNone(RateLimit.fromHeaders({}, 0))).toBe(true)
    expect(Option.isNone(RateLimit.fromHeaders({ "fitbit-rate-limit-limit": "150", "fitbit-rate-limit-remaining": "12" }, 0))).toBe(true)
    for (const bad of ["-1", "abc", "", "1e3", "NaN"]) {
      expect(Option.isNone(RateLimit.fromHeaders({ "fitbit-rate-limit-limit": "150", "fitbit-rate-limit-remaining": bad, "fitbit-rate-limit-reset": "1" }, 0))).toBe(true)
    }
  })

  it("takes the first value of a repeated header", () => {
    const state = RateLimit.fromHeaders({ "fitbit-rate-limit-limit": ["150", "100"], "fitbit-rate-limit-remaining": "1", "fitbit-rate-limit-reset": "2" }, 0)
    expect(Option.map(state, (s) => s.limit)).toEqual(Option.some(150))
  })

  it("Retry-After as seconds or as an HTTP date (never negative)", () => {
    const now = Date.UTC(2026, 10, 25, 19, 0, 0)
    expect(RateLimit.retryAfterSeconds({ "Retry-After": "120" }, now)).toEqual(Option.some(120))
    expect(RateLimit.retryAfterSeconds({ "retry-after": "Wed, 25 Nov 2026 19:02:00 GMT" }, now)).toEqual(Option.some(120))
    expect(RateLimit.retryAfterSeconds({ "retry-after": "Wed, 25 Nov 2026 18:00:00 GMT" }, now)).toEqual(Option.some(0))
    expect(RateLimit.retryAfterSeconds({ "retry-after": "soon" }, now)).toEqual(Option.none())
    expect(RateLimit.retryAfterSeconds({}, now)).toEqual(Option.none())
  })
})

describe("RateLimit.checkedState", () => {
  it("makes the instance the constructor makes: same class, fields, equality, hash, getter, rendering and schema", () => {
    const fields = { limit: 150, remaining: 12, resetSeconds: 90, observedAt: 1_700_000_000_000 }
    const built = new RateLimit.RateLimitState(fields)
    const checked = RateLimit.checkedState(fields)
    expect(checked).toBeInstanceOf(RateLimit.RateLimitState)
    expect(Equal.equals(checked, built)).toBe(true)
    expect(Hash.hash(checked)).toBe(Hash.hash(built))
    expect(checked.resetAt).toBe(built.resetAt)
    expect(Object.keys(checked)).toEqual(Object.keys(built))
    expect(inspect(checked)).toBe(inspect(built))
    expect(JSON.stringify(checked)).toBe(JSON.stringify(built))
    expect(Schema.is(RateLimit.RateLimitState)(checked)).toBe(true)
    expect(Equal.equals(checked, RateLimit.checkedState({ ...fields, remaining: 11 }))).toBe(false)
  })
})

