// The in-memory rate-limit tracker (count-down, observations, expiry, reserve, fail or wait),
// published quotas (windows aligned to the epoch, started by the first call), and the policy as a
// context reference: a tracker per client by default, one shared under RateLimitPolicy.layer(),
// the calling fiber's over the client's.
import { describe, expect, it } from "@effect/vitest"
import { Effect, Fiber, Layer, Option, TestClock } from "effect"
import { FitbitConfig, FitbitHttp, GoogleHealthConfig, GoogleHealthHttp, RateLimit, RateLimitPolicy, RetryPolicy } from "@fitbit-effect/core"
import { MockHttpClient } from "@fitbit-effect/core/testing"
import { ACCESS_TOKEN, CLIENT_ID, CLIENT_SECRET } from "./fixtures.js"

const request = { method: "GET", url: "https://api.test/1/user/-/profile.json" }

const state = (remaining: number, resetSeconds: number, observedAt: number, limit = 150) =>
  new RateLimit.RateLimitState({ limit, remaining, resetSeconds, observedAt })

const remainingOf = (tracker: RateLimitPolicy.RateLimitPolicyShape, key: string) =>
  Effect.map(tracker.current(key), Option.map((s) => s.remaining))

describe("the in-memory tracker", () => {
  it.effect("a key with no budget known is admitted and nothing is recorded for it", () =>
    Effect.gen(function*() {
      const tracker = yield* RateLimitPolicy.make()
      yield* tracker.admit("alice", request)
      expect(Option.isNone(yield* tracker.current("alice"))).toBe(true)
      expect((yield* tracker.snapshot).size).toBe(0)
    }))

  it.effect("admit counts an observed budget down, then refuses with RateLimited (rate_limit_budget_spent) until the reset", () =>
    Effect.gen(function*() {
      const tracker = yield* RateLimitPolicy.make()
      yield* TestClock.setTime(1_000_000)
      yield* tracker.observe("alice", state(2, 60, 1_000_000))
      yield* tracker.admit("alice", request)
      expect(yield* remainingOf(tracker, "alice")).toEqual(Option.some(1))
      yield* tracker.admit("alice", request)
      expect(yield* remainingOf(tracker, "alice")).toEqual(Option.some(0))
      yield* TestClock.adjust("15 seconds")
      const refused = yield* Effect.flip(tracker.admit("alice", request))
      expect(refused).toMatchObject({
        _tag: "RateLimited",
        status: 429,
        method: "GET",
        url: request.url,
        retryAfterSeconds: 45,
        errors: [{ errorType: RetryPolicy.BUDGET_SPENT }]
      })
      expect(refused.message).toContain("not sent")
      expect(refused.rateLimit?.resetAt).toBe(1_060_000)
      // Another key is not held; a new observation replaces the old state.
      yield* tracker.admit("bob", request)
      yield* tracker.observe("alice", state(10, 60, 1_015_000))
      yield* tracker.admit("alice", request)
      expect(yield* remainingOf(tracker, "alice")).toEqual(Option.some(9))
    }))

  it.effect("observeRejected: no budget for Retry-After seconds from now, the limit kept", () =>
    Effect.gen(function*() {
      const tracker = yield* RateLimitPolicy.make()
      yield* TestClock.setTime(50_000)
      yield* tracker.observe("alice", state(100, 600, 50_000))
      yield* tracker.observeRejected("alice", 30)
      yield* tracker.observeRejected("bob", 30)
      const alice = Option.getOrThrow(yield* tracker.current("alice"))
      expect([alice.limit, alice.remaining, alice.resetAt]).toEqual([150, 0, 80_000])
      expect(Option.getOrThrow(yield* tracker.current("bob")).limit).toBe(0)
      expect(yield* Effect.flip(tracker.admit("alice", request))).toMatchObject({ retryAfterSeconds: 30 })
      yield* TestClock.adjust("30 seconds")
      yield* tracker.admit("alice", request)
    }))

  it.effect("current and snapshot drop a state once its window has reset", () =>
    Effect.gen(function*() {
      const tracker = yield* RateLimitPolicy.make()
      yield* tracker.observe("soon", state(5, 10, 0))
      yield* tracker.observe("later", state(5, 100, 0))
      expect([...(yield* tracker.snapshot).keys()].sort()).toEqual(["later", "soon"])
      yield* TestClock.adjust("9999 millis")
      expect(Option.isSome(yield* tracker.current("soon"))).toBe(true)
      yield* TestClock.adjust("1 millis")
      expect(Option.isNone(yield* tracker.current("soon"))).toBe(true)
      const snapshot = yield* tracker.snapshot
      expect([...snapshot.keys()]).toEqual(["later"])
      expect(snapshot.get("later")?.remaining).toBe(5)
      yield* TestClock.adjust("90 seconds")
      expect((yield* tracker.snapshot).size).toBe(0)
    }))

  it.effect("reserve: the budget counts as spent with that many calls left", () =>
    Effect.gen(function*() {
      const tracker = yield* RateLimitPolicy.make({ reserve: 2 })
      yield* tracker.observe("alice", state(3, 60, 0))
      yield* tracker.admit("alice", request)
      expect(yield* remainingOf(tracker, "alice")).toEqual(Option.some(2))
      expect(yield* Effect.flip(tracker.admit("alice", request))).toMatchObject({ _tag: "RateLimited", retryAfterSeconds: 60 })
      // A quota no larger than the reserve admits nothing.
      expect(yield* Effect.flip(tracker.admit("bob", request, { limit: 2, windowMillis: 60_000 }))).toMatchObject({ _tag: "RateLimited" })
      yield* tracker.admit("carol", request, { limit: 3, windowMillis: 60_000 })
      expect(yield* remainingOf(tracker, "carol")).toEqual(Option.some(2))
    }))

  it.effect("onExhausted wait: the call waits for the reset, then goes; beyond maxWait it fails at once", () =>
    Effect.gen(function*() {
      const tracker = yield* RateLimitPolicy.make({ onExhausted: "wait", maxWait: "30 seconds" })
      yield* tracker.observe("alice", state(0, 20, 0))
      const waiting = yield* Effect.fork(tracker.admit("alice", request))
      yield* TestClock.adjust("19999 millis")
      expect(Option.isNone(yield* Fiber.poll(waiting)), "admitted before the reset").toBe(true)
      yield* TestClock.adjust("1 millis")
      const admitted = yield* Fiber.poll(waiting)
      expect(Option.map(admitted, (exit) => exit._tag), "not admitted at the reset").toEqual(Option.some("Success"))

      yield* tracker.observe("bob", state(0, 31, 20_000))
      const tooLong = yield* Effect.fork(Effect.flip(tracker.admit("bob", request)))
      yield* Effect.yieldNow()
      expect(Option.isSome(yield* Fiber.poll(tooLong)), "waited although the reset is beyond maxWait").toBe(true)
      expect(yield* Fiber.join(tooLong)).toMatchObject({ _tag: "RateLimited", retryAfterSeconds: 31 })
    }))
})

describe("a call that waited out a spent quota", () => {
  it.effect("is counted against the new window: the window's calls stay at its limit", () =>
    Effect.gen(function*() {
      const tracker = yield* RateLimitPolicy.make({ onExhausted: "wait", maxWait: "2 minutes" })
      const quota = { limit: 2, windowMillis: 60_000 }
      yield* tracker.admit("q", request, quota)
      yield* tracker.admit("q", request, quota)
      const third = yield* Effect.fork(tracker.admit("q", request, quota))
      yield* Effect.yieldNow()
      expect(Option.isNone(yield* Fiber.poll(third)), "sent while the window was spent").toBe(true)
      yield* TestClock.adjust("60 seconds")
      yield* Fiber.join(third)
      // Counted in the new window: one of its two calls is the one that waited.
      expect(yield* remainingOf(tracker, "q")).toEqual(Option.some(1))
      yield* tracker.admit("q", request, quota)
      const fifth = yield* Effect.fork(tracker.admit("q", request, quota))
      yield* Effect.yieldNow()
      expect(Option.isNone(yield* Fiber.poll(fifth)), "a third call in a window of two").toBe(true)
      yield* TestClock.adjust("60 seconds")
      yield* Fiber.join(fifth)
    }))

  it.effect("that finds the new window spent by others waits again", () =>
    Effect.gen(function*() {
      const tracker = yield* RateLimitPolicy.make({ onExhausted: "wait", maxWait: "2 minutes" })
      const quota = { limit: 1, windowMillis: 60_000 }
      yield* tracker.admit("r", request, quota)
      const waiters = yield* Effect.fork(Effect.all([tracker.admit("r", request, quota), tracker.admit("r", request, quota)], { concurrency: "unbounded" }))
      yield* Effect.yieldNow()
      yield* TestClock.adjust("60 seconds")
      // One of the two goes in the second window; the other waits for the third.
      expect(Option.isNone(yield* Fiber.poll(waiters))).toBe(true)
      yield* TestClock.adjust("60 seconds")
      yield* Fiber.join(waiters)
    }))
})

describe("maxWait bounds all of a call's waits", () => {
  it.effect("a quota that never admits (no larger than the reserve): one wait to the reset, then RateLimited once maxWait is spent", () =>
    Effect.gen(function*() {
      const tracker = yield* RateLimitPolicy.make({ onExhausted: "wait", maxWait: "90 seconds", reserve: 1 })
      const call = yield* Effect.fork(Effect.either(tracker.admit("s", request, { limit: 1, windowMillis: 60_000 })))
      yield* TestClock.adjust("59 seconds")
      expect(Option.isNone(yield* Fiber.poll(call)), "gave up before the first reset").toBe(true)
      yield* TestClock.adjust("1 second")
      // At the reset it is spent again, and the next reset is past the 90 s it may wait in all.
      const outcome = yield* Fiber.join(call)
      expect(outcome._tag).toBe("Left")
      expect(outcome._tag === "Left" && outcome.left._tag).toBe("RateLimited")
    }))
})

describe("quotas", () => {
  const perMinute = { limit: 3, windowMillis: 60_000 }

  it("windowEnd: the end of the epoch-aligned window holding now", () => {
    expect(RateLimitPolicy.windowEnd(perMinute, 0)).toBe(60_000)
    expect(RateLimitPolicy.windowEnd(perMinute, 59_999)).toBe(60_000)
    expect(RateLimitPolicy.windowEnd(perMinute, 60_000)).toBe(120_000)
    expect(RateLimitPolicy.windowEnd(perMinute, 90_500)).toBe(120_000)
    expect(RateLimitPolicy.windowEnd({ limit: 1, windowMillis: 1000 }, 1_733_000_000_123)).toBe(1_733_000_001_000)
  })

  it.effect("the first call starts the window's budget and counts itself; a spent quota refuses until the window ends, then a new one starts", () =>
    Effect.gen(function*() {
      const tracker = yield* RateLimitPolicy.make()
      yield* TestClock.setTime(90_000)
      yield* tracker.admit("alice", request, perMinute)
      const started = Option.getOrThrow(yield* tracker.current("alice"))
      expect([started.limit, started.remaining, started.resetAt]).toEqual([3, 2, 120_000])
      yield* tracker.admit("alice", request, perMinute)
      yield* tracker.admit("alice", request, perMinute)
      expect(yield* Effect.flip(tracker.admit("alice", request, perMinute))).toMatchObject({
        _tag: "RateLimited",
        retryAfterSeconds: 30,
        errors: [{ errorType: RetryPolicy.BUDGET_SPENT }]
      })
      yield* TestClock.adjust("30 seconds")
      yield* tracker.admit("alice", request, perMinute)
      const next = Option.getOrThrow(yield* tracker.current("alice"))
      expect([next.remaining, next.resetAt]).toEqual([2, 180_000])
    }))

  it.effect("a budget the answers reported is counted instead of the quota while it lasts", () =>
    Effect.gen(function*() {
      const tracker = yield* RateLimitPolicy.make()
      yield* tracker.observe("alice", state(1, 600, 0))
      yield* tracker.admit("alice", request, perMinute)
      expect(yield* Effect.flip(tracker.admit("alice", request, perMinute))).toMatchObject({ retryAfterSeconds: 600 })
    }))
})

describe("RateLimitPolicy.RateLimitPolicy: the reference", () => {
  /** A Fitbit service over a mock answering every call with a spent budget (0 left, 10 minutes to go). */
  const fitbitLayer = () => {
    const mock = MockHttpClient.make(() => ({
      status: 200,
      body: {},
      headers: { "fitbit-rate-limit-limit": "150", "fitbit-rate-limit-remaining": "0", "fitbit-rate-limit-reset": "600" }
    }))
    const layer = FitbitHttp.layer.pipe(
      Layer.provide(FitbitConfig.layer({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET })),
      Layer.provide(mock.layer)
    )
    return { mock, layer }
  }
  const profile = (service: FitbitHttp.FitbitHttpShape, key: string) =>
    service.request({ method: "GET", path: "/profile.json", accessToken: ACCESS_TOKEN, rateLimitKey: key })

  it.effect("the default is perClient(): each client keeps its own tracker", () =>
    Effect.gen(function*() {
      const policy = yield* RateLimitPolicy.RateLimitPolicy
      expect(policy).toEqual(RateLimitPolicy.perClient())
      const first = fitbitLayer()
      const second = fitbitLayer()
      const a = yield* Effect.provide(FitbitHttp.FitbitHttp, first.layer)
      const b = yield* Effect.provide(FitbitHttp.FitbitHttp, second.layer)
      expect(a.rateLimits).not.toBe(b.rateLimits)
      yield* profile(a, "alice")
      expect(yield* Effect.flip(profile(a, "alice"))).toMatchObject({ _tag: "RateLimited", retryAfterSeconds: 600 })
      expect(first.mock.requests).toHaveLength(1)
      // The other client has seen nothing of alice's budget: it sends.
      yield* profile(b, "alice")
      expect(second.mock.requests).toHaveLength(1)
    }))

  it.effect("layerPerClient(options): still a tracker per client, made with the options", () =>
    Effect.gen(function*() {
      const first = fitbitLayer()
      const second = fitbitLayer()
      const [a, b] = yield* Effect.all([
        Effect.provide(FitbitHttp.FitbitHttp, first.layer),
        Effect.provide(FitbitHttp.FitbitHttp, second.layer)
      ]).pipe(Effect.provide(RateLimitPolicy.layerPerClient({ onExhausted: "wait", maxWait: "15 minutes" })))
      expect(a.rateLimits).not.toBe(b.rateLimits)
      yield* profile(a, "alice")
      const waiting = yield* Effect.fork(profile(a, "alice"))
      yield* TestClock.adjust("599 seconds")
      expect(first.mock.requests, "sent before the reset").toHaveLength(1)
      yield* TestClock.adjust("1 second")
      yield* Fiber.join(waiting)
      expect(first.mock.requests).toHaveLength(2)
      expect(second.mock.requests).toHaveLength(0)
    }))

  it.effect("RateLimitPolicy.layer(): every client built under it shares one tracker, across providers", () =>
    Effect.gen(function*() {
      const fitbit = fitbitLayer()
      const google = MockHttpClient.make(() => ({ status: 200, body: {} }))
      const googleLayer = GoogleHealthHttp.layer.pipe(
        Layer.provide(GoogleHealthConfig.layer({ clientId: "123-app.apps.googleusercontent.com", quota: false })),
        Layer.provide(google.layer)
      )
      const [a, b, g] = yield* Effect.all([
        Effect.provide(FitbitHttp.FitbitHttp, fitbit.layer),
        Effect.provide(FitbitHttp.FitbitHttp, fitbit.layer),
        Effect.provide(GoogleHealthHttp.GoogleHealthHttp, googleLayer)
      ]).pipe(Effect.provide(RateLimitPolicy.layer()))
      expect(a.rateLimits).toBe(b.rateLimits)
      expect(g.rateLimits).toBe(a.rateLimits)
      yield* profile(a, "alice")
      // What one client learnt holds the others of its provider: nothing sent.
      expect(yield* Effect.flip(profile(b, "alice"))).toMatchObject({ _tag: "RateLimited", retryAfterSeconds: 600 })
      expect(fitbit.mock.requests).toHaveLength(1)
      // Another provider's budget of the same user key is another budget (the keys are namespaced).
      yield* g.request({ method: "GET", path: "/users/me/profile", accessToken: "ya29.token", rateLimitKey: "alice" })
      expect(google.requests).toHaveLength(1)
    }))

  it.effect("a tracker in the calling fiber's context wins over the client's: it refuses and it records; a PerClient value there changes nothing", () =>
    Effect.gen(function*() {
      const { layer, mock } = fitbitLayer()
      const service = yield* Effect.provide(FitbitHttp.FitbitHttp, layer)
      const fiberTracker = yield* RateLimitPolicy.make()
      yield* fiberTracker.observe(RateLimitPolicy.keyOf("fitbit", "user", "alice"), state(0, 60, 0))
      const underFiber = <A, E>(effect: Effect.Effect<A, E>) => Effect.provideService(effect, RateLimitPolicy.RateLimitPolicy, fiberTracker)

      expect(yield* Effect.flip(underFiber(profile(service, "alice")))).toMatchObject({ _tag: "RateLimited", retryAfterSeconds: 60 })
      expect(mock.requests).toHaveLength(0)
      // The client's own tracker knows nothing of it: without the fiber's tracker the call is sent.
      yield* profile(service, "alice")
      expect(mock.requests).toHaveLength(1)

      // What an answer reports goes to the fiber's tracker, not the client's.
      yield* underFiber(profile(service, "bob"))
      expect(yield* remainingOf(fiberTracker, RateLimitPolicy.keyOf("fitbit", "user", "bob"))).toEqual(Option.some(0))
      expect(Option.isNone(yield* service.rateLimits!.current(RateLimitPolicy.keyOf("fitbit", "user", "bob")))).toBe(true)

      // A PerClient policy in the fiber names no tracker: the client's own is used.
      yield* profile(service, "carol").pipe(
        Effect.provideService(RateLimitPolicy.RateLimitPolicy, RateLimitPolicy.perClient({ onExhausted: "wait" }))
      )
      expect(yield* remainingOf(service.rateLimits!, RateLimitPolicy.keyOf("fitbit", "user", "carol"))).toEqual(Option.some(0))
      expect(mock.requests).toHaveLength(3)
    }))
})
