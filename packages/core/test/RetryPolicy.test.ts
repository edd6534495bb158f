import { describe, expect, it } from "@effect/vitest"
import { HttpClient, HttpClientError } from "@effect/platform"
import { Duration, Effect, Fiber, Layer, Option, Schedule, TestClock, Tracer } from "effect"
import { Errors, FitbitConfig, FitbitHttp, RateLimitPolicy, RetryPolicy } from "@fitbit-effect/core"
import { MockHttpClient } from "@fitbit-effect/core/testing"
import { ACCESS_TOKEN, CLIENT_ID, CLIENT_SECRET, fitbitError, RATE_LIMIT_HEADERS } from "./fixtures.js"

/** A client on a scripted mock: answer n is `script[n]` (the last one repeats). */
const scripted = (script: ReadonlyArray<MockHttpClient.MockAnswer>, policy: RetryPolicy.Options = {}) => {
  const mock = MockHttpClient.make(() => script[Math.min(mock.requests.length - 1, script.length - 1)]!)
  const layer = FitbitHttp.layer.pipe(
    Layer.provideMerge(FitbitConfig.layer({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, timeout: "10 seconds" })),
    Layer.provideMerge(mock.layer),
    Layer.provideMerge(RetryPolicy.layer({ jitter: false, ...policy }))
  )
  return { mock, layer }
}

const ok = { status: 200, body: { ok: true }, headers: RATE_LIMIT_HEADERS }
const s500 = { status: 500, body: fitbitError("system", "oops") }
const s503 = { status: 503, body: "<html>busy</html>" }

/** Runs an effect while advancing the test clock until it completes. */
const withClock = <A, E, R>(self: Effect.Effect<A, E, R>, step = "1 second" as const, steps = 120) =>
  Effect.gen(function*() {
    const fiber = yield* Effect.fork(self)
    for (let i = 0; i < steps; i++) {
      const done = yield* Fiber.poll(fiber)
      if (Option.isSome(done)) break
      yield* TestClock.adjust(step)
    }
    return yield* Fiber.join(fiber)
  })

describe("RetryPolicy in FitbitHttp", () => {
  it.effect("GET is retried on 5xx and transport errors, then succeeds", () => {
    const { layer, mock } = scripted([s500, "transport-error", s503, ok])
    return Effect.gen(function*() {
      const response = yield* withClock(FitbitHttp.get("/profile.json", ACCESS_TOKEN))
      expect(response.status).toBe(200)
      expect(mock.requests).toHaveLength(4)
    }).pipe(Effect.provide(layer))
  })

  it.effect("attempts are bounded: 1 + maxRetries, then the last error", () => {
    const { layer, mock } = scripted([s503], { maxRetries: 2 })
    return Effect.gen(function*() {
      const error = yield* withClock(Effect.flip(FitbitHttp.get("/profile.json", ACCESS_TOKEN)))
      expect(error._tag).toBe("ServerError")
      expect(mock.requests).toHaveLength(3)
    }).pipe(Effect.provide(layer))
  })

  it.effect("backoff waits grow exponentially (no answer before the wait is over)", () => {
    const { layer, mock } = scripted([s500, s500, ok], { baseDelay: "1 second", factor: 2 })
    return Effect.gen(function*() {
      const fiber = yield* Effect.fork(FitbitHttp.get("/profile.json", ACCESS_TOKEN))
      yield* TestClock.adjust("999 millis")
      expect(mock.requests).toHaveLength(1)
      yield* TestClock.adjust("1 millis")
      expect(mock.requests).toHaveLength(2)
      yield* TestClock.adjust("1999 millis")
      expect(mock.requests).toHaveLength(2)
      yield* TestClock.adjust("1 millis")
      expect((yield* Fiber.join(fiber)).status).toBe(200)
    }).pipe(Effect.provide(layer))
  })

  it.effect("429 honours Retry-After over a shorter backoff", () => {
    const { layer, mock } = scripted([{ status: 429, headers: { "retry-after": "7" } }, ok], { baseDelay: "1 second" })
    return Effect.gen(function*() {
      const fiber = yield* Effect.fork(FitbitHttp.get("/profile.json", ACCESS_TOKEN))
      yield* TestClock.adjust("6999 millis")
      expect(mock.requests).toHaveLength(1)
      yield* TestClock.adjust("1 millis")
      expect((yield* Fiber.join(fiber)).status).toBe(200)
      expect(mock.requests).toHaveLength(2)
    }).pipe(Effect.provide(layer))
  })

  it.effect("429 with a Retry-After beyond maxRetryAfter fails at once with RateLimited carrying it", () => {
    const { layer, mock } = scripted([{ status: 429, headers: { "retry-after": "1800" } }, ok])
    return Effect.gen(function*() {
      const error = yield* Effect.flip(FitbitHttp.get("/profile.json", ACCESS_TOKEN))
      expect(error._tag).toBe("RateLimited")
      expect(error).toMatchObject({ retryAfterSeconds: 1800 })
      expect(mock.requests).toHaveLength(1)
    }).pipe(Effect.provide(layer))
  })

  for (const method of ["POST", "PUT", "DELETE"] as const) {
    it.effect(`${method} is attempted once on 5xx, 429, a reset connection`, () => {
      const { layer, mock } = scripted([s500, { status: 429, headers: { "retry-after": "1" } }, "transport-error", ok])
      return Effect.gen(function*() {
        const http = yield* FitbitHttp.FitbitHttp
        const call = () => http.request({ method, path: "/activities.json", accessToken: ACCESS_TOKEN, body: { a: "1" } })
        expect((yield* withClock(Effect.flip(call())))._tag).toBe("ServerError")
        expect((yield* withClock(Effect.flip(call())))._tag).toBe("RateLimited")
        expect((yield* withClock(Effect.flip(call())))._tag).toBe("TransportError")
        expect(mock.requests).toHaveLength(3)
      }).pipe(Effect.provide(layer))
    })
  }

  it.effect("a write that opts in with idempotent: true is retried like a GET", () => {
    const { layer, mock } = scripted([s500, ok])
    return Effect.gen(function*() {
      const response = yield* withClock(FitbitHttp.put("/profile.json", ACCESS_TOKEN, { gender: "NA" }, { idempotent: true }))
      expect(response.status).toBe(200)
      expect(mock.requests).toHaveLength(2)
    }).pipe(Effect.provide(layer))
  })

  it.effect("a GET with idempotent: false is not retried", () => {
    const { layer, mock } = scripted([s500, ok])
    return Effect.gen(function*() {
      expect((yield* Effect.flip(FitbitHttp.get("/profile.json", ACCESS_TOKEN, { idempotent: false })))._tag).toBe(
        "ServerError"
      )
      expect(mock.requests).toHaveLength(1)
    }).pipe(Effect.provide(layer))
  })

  it.effect("a POST whose connection was refused (never sent) is retried", () => {
    let attempts = 0
    const refusing = HttpClient.make((request) =>
      Effect.suspend(() => {
        attempts++
        const refused = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:9"), { code: "ECONNREFUSED" })
        return attempts < 3
          ? Effect.fail(new HttpClientError.RequestError({ request, reason: "Transport", cause: new TypeError("fetch failed", { cause: refused }) }))
          : MockHttpClient.make(() => ok).client.execute(request)
      })
    )
    const layer = FitbitHttp.layer.pipe(
      Layer.provideMerge(FitbitConfig.layer({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET })),
      Layer.provideMerge(Layer.succeed(HttpClient.HttpClient, refusing)),
      Layer.provideMerge(RetryPolicy.layer({ jitter: false }))
    )
    return Effect.gen(function*() {
      const response = yield* withClock(FitbitHttp.post("/foods/log/water.json", ACCESS_TOKEN, { amount: "250" }))
      expect(response.status).toBe(200)
      expect(attempts).toBe(3)
    }).pipe(Effect.provide(layer))
  })

  it.effect("execute answers the last status after retries", () => {
    const { layer, mock } = scripted([s503], { maxRetries: 1 })
    return Effect.gen(function*() {
      const http = yield* FitbitHttp.FitbitHttp
      const response = yield* withClock(http.execute({ method: "GET", path: "/x.json", accessToken: "tok" }))
      expect(response.status).toBe(503)
      expect(mock.requests).toHaveLength(2)
    }).pipe(Effect.provide(layer))
  })

  it.effect("a custom Schedule replaces the backoff", () => {
    const { layer, mock } = scripted([s500], { schedule: Schedule.recurs(5) })
    return Effect.gen(function*() {
      yield* Effect.flip(FitbitHttp.get("/profile.json", ACCESS_TOKEN))
      expect(mock.requests).toHaveLength(6)
    }).pipe(Effect.provide(layer))
  })

  it.effect("a request that never answers fails with TimeoutError after the configured timeout, and is retried", () => {
    let attempts = 0
    const hanging = HttpClient.make(() => Effect.suspend(() => (attempts++, Effect.never)))
    const layer = FitbitHttp.layer.pipe(
      Layer.provideMerge(FitbitConfig.layer({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, timeout: "2 seconds" })),
      Layer.provideMerge(Layer.succeed(HttpClient.HttpClient, hanging)),
      Layer.provideMerge(RetryPolicy.layer({ jitter: false, maxRetries: 1 }))
    )
    return Effect.gen(function*() {
      const error = yield* withClock(Effect.flip(FitbitHttp.get("/profile.json", ACCESS_TOKEN)))
      expect(error).toMatchObject({ _tag: "TimeoutError", timeoutMillis: 2000 })
      expect(attempts).toBe(2)
      // A write that timed out may have reached the server: once only.
      attempts = 0
      yield* withClock(Effect.flip(FitbitHttp.post("/activities.json", ACCESS_TOKEN, { a: "1" })))
      expect(attempts).toBe(1)
    }).pipe(Effect.provide(layer))
  })
})

describe("spans", () => {
  it.effect("one span per call with method, path template, status and attempts; no token anywhere", () => {
    const { layer } = scripted([s500, ok])
    const spans: Array<{ name: string; attributes: Map<string, unknown> }> = []
    const tracer = Tracer.make({
      span: (name, parent, context, links, startTime, kind) => {
        const attributes = new Map<string, unknown>()
        const span: Tracer.Span = {
          _tag: "Span",
          name,
          spanId: `s${spans.length}`,
          traceId: "t",
          parent,
          context,
          status: { _tag: "Started", startTime },
          attributes,
          links,
          sampled: true,
          kind,
          end: () => {},
          attribute: (key, value) => void attributes.set(key, value),
          event: () => {},
          addLinks: () => {}
        }
        spans.push({ name, attributes })
        return span
      },
      context: (f) => f()
    })
    return Effect.gen(function*() {
      yield* withClock(FitbitHttp.get("/activities/date/2026-11-25.json", ACCESS_TOKEN, { userId: "ABC123" }))
      const call = spans.find((s) => s.name === "fitbit GET")!
      expect(call.attributes.get("http.request.method")).toBe("GET")
      expect(call.attributes.get("fitbit.path")).toBe("/activities/date/{date}.json")
      expect(call.attributes.get("http.response.status_code")).toBe(200)
      expect(call.attributes.get("fitbit.attempts")).toBe(2)
      // The HttpClient's own spans (one per attempt) carry headers redacted.
      const everything = JSON.stringify(spans.map((s) => [s.name, [...s.attributes.entries()]]))
      const clientSpans = spans.filter((s) => s.name === "http.client GET")
      expect(clientSpans).toHaveLength(2)
      expect(clientSpans.map((s) => s.attributes.get("http.request.header.authorization"))).toEqual(["<redacted>", "<redacted>"])
      expect(everything).not.toContain(ACCESS_TOKEN)
      expect(everything).not.toContain(ACCESS_TOKEN.slice(0, 20))
    }).pipe(Effect.provide(layer), Effect.withTracer(tracer))
  })
})

describe("RateLimitPolicy", () => {
  const limited = (remaining: string, reset: string) => ({
    status: 200,
    body: {},
    headers: { "fitbit-rate-limit-limit": "150", "fitbit-rate-limit-remaining": remaining, "fitbit-rate-limit-reset": reset }
  })

  it.effect("tracks the budget per user and fails fast, unsent, when it is spent", () => {
    const { layer, mock } = scripted([limited("1", "600"), limited("0", "599")])
    return Effect.gen(function*() {
      const http = yield* FitbitHttp.FitbitHttp
      yield* FitbitHttp.get("/profile.json", ACCESS_TOKEN, { rateLimitKey: "alice" })
      yield* FitbitHttp.get("/profile.json", ACCESS_TOKEN, { rateLimitKey: "alice" })
      const state = Option.getOrThrow(yield* http.rateLimits!.current(RateLimitPolicy.keyOf("fitbit", "user", "alice")))
      expect([state.limit, state.remaining]).toEqual([150, 0])
      const error = yield* Effect.flip(FitbitHttp.get("/profile.json", ACCESS_TOKEN, { rateLimitKey: "alice" }))
      expect(error).toMatchObject({ _tag: "RateLimited", retryAfterSeconds: 599 })
      expect(mock.requests).toHaveLength(2)
      // Another user's budget is separate.
      yield* FitbitHttp.get("/profile.json", ACCESS_TOKEN, { rateLimitKey: "bob" })
      expect(mock.requests).toHaveLength(3)
      // After the reset the budget is back.
      yield* TestClock.adjust("600 seconds")
      yield* FitbitHttp.get("/profile.json", ACCESS_TOKEN, { rateLimitKey: "alice" })
      expect(mock.requests).toHaveLength(4)
    }).pipe(Effect.provide(layer))
  })

  it.effect("the wait policy holds the call until the reset", () => {
    const { layer, mock } = scripted([limited("0", "30"), ok])
    return Effect.gen(function*() {
      yield* FitbitHttp.get("/profile.json", ACCESS_TOKEN, { userId: "ABC123" })
      const fiber = yield* Effect.fork(FitbitHttp.get("/profile.json", ACCESS_TOKEN, { userId: "ABC123" }))
      yield* TestClock.adjust("29 seconds")
      expect(mock.requests).toHaveLength(1)
      yield* TestClock.adjust("1 second")
      expect((yield* Fiber.join(fiber)).status).toBe(200)
      expect(mock.requests).toHaveLength(2)
    }).pipe(Effect.provide(layer), Effect.provide(RateLimitPolicy.layer({ onExhausted: "wait" })))
  })

  it.effect("a 429 without rate-limit headers blocks the user's budget for Retry-After", () => {
    const { layer, mock } = scripted([{ status: 429, headers: { "retry-after": "120" } }, ok])
    return Effect.gen(function*() {
      const first = yield* Effect.flip(FitbitHttp.get("/profile.json", ACCESS_TOKEN, { rateLimitKey: "carol" }))
      expect(first).toMatchObject({ _tag: "RateLimited", retryAfterSeconds: 120 })
      const second = yield* Effect.flip(FitbitHttp.get("/profile.json", ACCESS_TOKEN, { rateLimitKey: "carol" }))
      expect(second).toMatchObject({ _tag: "RateLimited" })
      expect(second.message).toContain("not sent")
      expect(mock.requests).toHaveLength(1)
    }).pipe(Effect.provide(layer))
  })
})

describe("RetryPolicy.retry, on its own", () => {
  const server = new Errors.ServerError({ status: 503, method: "GET", url: "https://api.test/x", errors: [] })
  const notFound = new Errors.NotFound({ status: 404, method: "GET", url: "https://api.test/x", errors: [] })
  const limited = (seconds: number) =>
    new Errors.RateLimited({ status: 429, method: "GET", url: "https://api.test/x", errors: [], retryAfterSeconds: seconds })
  const neverSent = new Errors.TransportError({ method: "POST", url: "https://api.test/x", reason: "refused", sent: "no" })
  const immediate = (n: number) => RetryPolicy.make({ schedule: Schedule.recurs(n) })

  /** An attempt answering `values[n - 1]` (the last one repeats), recording the attempt numbers it got. */
  const answers = <A>(values: ReadonlyArray<A>) => {
    const seen: Array<number> = []
    const attempt = (n: number) => Effect.sync(() => (seen.push(n), values[Math.min(n, values.length) - 1]!))
    return { attempt, seen }
  }
  const judged = (value: string) => value === "503" ? server : value === "404" ? notFound : value === "429" ? limited(5) : undefined

  it.effect("the reference's default is the default policy; layer(options) and never are policies like it", () =>
    Effect.gen(function*() {
      expect(yield* RetryPolicy.RetryPolicy).toBe(RetryPolicy.defaultPolicy)
      const layered = yield* Effect.provide(RetryPolicy.RetryPolicy, RetryPolicy.layer({ maxRetryAfter: "5 seconds" }))
      expect(Duration.toMillis(layered.maxRetryAfter)).toBe(5000)
      expect(Duration.toMillis(RetryPolicy.defaultPolicy.maxRetryAfter)).toBe(30_000)
      const { attempt, seen } = answers(["503"])
      expect(yield* RetryPolicy.retry(RetryPolicy.never, "idempotent", attempt, judged)).toBe("503")
      expect(seen).toEqual([1])
    }))

  it.effect("a success judged a failure by failureOf is retried, each attempt numbered, until one is not", () =>
    Effect.gen(function*() {
      const { attempt, seen } = answers(["503", "503", "200"])
      expect(yield* RetryPolicy.retry(immediate(5), "idempotent", attempt, judged)).toBe("200")
      expect(seen).toEqual([1, 2, 3])
      // Without failureOf every success stands.
      const plain = answers(["503", "200"])
      expect(yield* RetryPolicy.retry(immediate(5), "idempotent", plain.attempt)).toBe("503")
      expect(plain.seen).toEqual([1])
    }))

  it.effect("when the schedule is done the last value stands (not a failure, not the first value)", () =>
    Effect.gen(function*() {
      const { attempt, seen } = answers(["503 first", "503 second", "503"])
      const byPrefix = (value: string) => value.startsWith("503") ? server : undefined
      expect(yield* RetryPolicy.retry(immediate(2), "idempotent", attempt, byPrefix)).toBe("503")
      expect(seen).toEqual([1, 2, 3])
      // And a failure that is not worth another attempt stops at once, its value standing.
      const final = answers(["404", "200"])
      expect(yield* RetryPolicy.retry(immediate(5), "idempotent", final.attempt, judged)).toBe("404")
      expect(final.seen).toEqual([1])
    }))

  it.effect("unsafe calls: an answer judged a failure is never repeated; a failure that was never sent is", () =>
    Effect.gen(function*() {
      const answered = answers(["503", "200"])
      expect(yield* RetryPolicy.retry(immediate(5), "unsafe", answered.attempt, judged)).toBe("503")
      expect(answered.seen).toEqual([1])
      let n = 0
      const refusedTwice = Effect.suspend(() => ++n <= 2 ? Effect.fail(neverSent) : Effect.succeed("sent"))
      expect(yield* RetryPolicy.retry(immediate(5), "unsafe", () => refusedTwice)).toBe("sent")
      expect(n).toBe(3)
    }))

  it.effect("the wait is raised to the Retry-After of the judged failure", () =>
    Effect.gen(function*() {
      const { attempt, seen } = answers(["429", "200"])
      const policy = RetryPolicy.make({ jitter: false, baseDelay: "1 second" })
      const fiber = yield* Effect.fork(RetryPolicy.retry(policy, "idempotent", attempt, judged))
      yield* TestClock.adjust("4999 millis")
      expect(seen, "attempted again before Retry-After").toEqual([1])
      yield* TestClock.adjust("1 millis")
      expect(yield* Fiber.join(fiber)).toBe("200")
      expect(seen).toEqual([1, 2])
    }))

  it("safetyOf and shouldRetry: reads are idempotent unless told; writes retry only what was never sent; a long Retry-After is not waited for", () => {
    expect(["GET", "HEAD", "OPTIONS", "POST", "PUT", "DELETE"].map((m) => RetryPolicy.safetyOf(m)))
      .toEqual(["idempotent", "idempotent", "idempotent", "unsafe", "unsafe", "unsafe"])
    expect(RetryPolicy.safetyOf("POST", true)).toBe("idempotent")
    expect(RetryPolicy.safetyOf("GET", false)).toBe("unsafe")
    const policy = RetryPolicy.defaultPolicy
    expect(RetryPolicy.shouldRetry(policy, server, "idempotent")).toBe(true)
    expect(RetryPolicy.shouldRetry(policy, notFound, "idempotent")).toBe(false)
    expect(RetryPolicy.shouldRetry(policy, server, "unsafe")).toBe(false)
    expect(RetryPolicy.shouldRetry(policy, neverSent, "unsafe")).toBe(true)
    expect(RetryPolicy.shouldRetry(policy, new Errors.TransportError({ method: "POST", url: "u", reason: "reset", sent: "maybe" }), "unsafe")).toBe(false)
    expect(RetryPolicy.shouldRetry(policy, limited(30), "idempotent")).toBe(true)
    expect(RetryPolicy.shouldRetry(policy, limited(31), "idempotent")).toBe(false)
    const spent = new Errors.RateLimited({
      status: 429,
      method: "GET",
      url: "u",
      errors: [new Errors.ErrorEntry({ errorType: RetryPolicy.BUDGET_SPENT, message: "not sent" })],
      retryAfterSeconds: 1
    })
    expect(RetryPolicy.shouldRetry(policy, spent, "idempotent")).toBe(false)
  })
})
