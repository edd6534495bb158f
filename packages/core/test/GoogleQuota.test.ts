// Google's published quotas counted before sending (GoogleHealthConfig.quota over the
// RateLimitPolicy in context): 300 a minute per user and 120,000 per project by default, a call
// over either refused with RateLimited and nothing sent, the next minute serving again; `false`
// counts nothing. The SQL policy sharing them across instances: test/sql-stores.test.ts.
import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer, TestClock } from "effect"
import { GoogleHealthConfig, GoogleHealthHttp, RetryPolicy } from "@fitbit-effect/core"
import { MockHttpClient } from "@fitbit-effect/core/testing"

const CLIENT_ID = "123456789012-abcdefghij.apps.googleusercontent.com"
const ACCESS = "ya29.a0AfB_byC1d2e3f4g5h6i7j8k9l0m1n2o3p4q5r6s7t8u9v0w"

const setup = (quota: GoogleHealthConfig.Options["quota"]) => {
  const mock = MockHttpClient.make(() => ({ status: 200, body: {} }))
  const layer = GoogleHealthHttp.layer.pipe(
    Layer.provideMerge(GoogleHealthConfig.layer({ clientId: CLIENT_ID, ...(quota === undefined ? {} : { quota }) })),
    Layer.provideMerge(mock.layer),
    Layer.provideMerge(RetryPolicy.layer({ maxRetries: 0 }))
  )
  return { mock, layer }
}

const profile = (user?: string) => GoogleHealthHttp.get("/users/me/profile", ACCESS, user === undefined ? {} : { rateLimitKey: user })

describe("Google's quotas, counted before sending", () => {
  it("the defaults are Google's: 300 a minute per user, 120,000 per project", () =>
    Effect.gen(function*() {
      const config = yield* GoogleHealthConfig.make({ clientId: CLIENT_ID })
      expect(config.quota).toEqual({ perUserPerMinute: 300, perProjectPerMinute: 120_000 })
      expect((yield* GoogleHealthConfig.make({ clientId: CLIENT_ID, quota: false })).quota).toBeUndefined()
      const bad = yield* Effect.flip(GoogleHealthConfig.make({ clientId: CLIENT_ID, quota: { perUserPerMinute: 0 } }))
      expect(bad.field).toBe("quota.perUserPerMinute")
    }).pipe(Effect.runPromise))

  it.effect("per user: a call over the minute's quota is RateLimited and not sent; another user is not held; the next minute serves", () => {
    const { layer, mock } = setup({ perUserPerMinute: 3 })
    return Effect.gen(function*() {
      yield* TestClock.setTime(Date.parse("2026-12-05T10:00:30Z"))
      for (let i = 0; i < 3; i++) yield* profile("alex")
      const refused = yield* Effect.flip(profile("alex"))
      expect(refused._tag).toBe("RateLimited")
      expect(refused._tag === "RateLimited" && refused.retryAfterSeconds).toBe(30)
      expect(mock.requests).toHaveLength(3)
      yield* profile("sam")
      expect(mock.requests).toHaveLength(4)
      yield* TestClock.adjust("30 seconds")
      yield* profile("alex")
      expect(mock.requests).toHaveLength(5)
    }).pipe(Effect.provide(layer))
  })

  it.effect("per project: every call counts, with or without a user", () => {
    const { layer, mock } = setup({ perProjectPerMinute: 4 })
    return Effect.gen(function*() {
      yield* profile("alex")
      yield* profile("sam")
      yield* profile()
      yield* profile()
      const refused = yield* Effect.flip(profile("kim"))
      expect(refused._tag).toBe("RateLimited")
      expect(mock.requests).toHaveLength(4)
    }).pipe(Effect.provide(layer))
  })

  it.effect("quota: false counts nothing", () => {
    const { layer, mock } = setup(false)
    return Effect.gen(function*() {
      for (let i = 0; i < 400; i++) yield* profile("alex")
      expect(mock.requests).toHaveLength(400)
    }).pipe(Effect.provide(layer))
  })
})
