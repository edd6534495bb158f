// The request pipeline step by step (judge, record, admit, the retry loop, the service), over a
// mock HttpClient this file controls: what is sent, how often, what comes back, under which
// policy (the calling fiber's, the service's, the default), and the span it leaves.
import { describe, expect, it } from "@effect/vitest"
import { HttpClient, HttpClientError, HttpClientRequest } from "@effect/platform"
import { Duration, Effect, Either, Fiber, Option, Schedule, TestClock } from "effect"
import { Errors, HttpExchange, RateLimit, RateLimitPolicy, RetryPolicy } from "@fitbit-effect/core"
import { MockHttpClient } from "@fitbit-effect/core/testing"
import * as ApiCall from "../../src/internal/apiCall.js"
import * as ErrorDecoder from "../../src/internal/errorDecoder.js"
import { ACCESS_TOKEN, fitbitError, printed, recordingTracer } from "../fixtures.js"

const URL = "https://api.test/v1/items/42"

/** The provider hooks of a test API; `judged` counts the calls of `decodeFailure`. */
const hooks = (overrides: Partial<ApiCall.Options> = {}) => {
  const judged: Array<number> = []
  const options: ApiCall.Options = {
    provider: "test",
    spanName: "test",
    attributePrefix: "test",
    templateOf: (path) => path.replace(/\/\d+$/, "/{id}"),
    decodeFailure: (response, secrets) => {
      judged.push(response.status)
      return ErrorDecoder.toApiFailure({ ...response, now: response.receivedAt, secrets })
    },
    timeout: Duration.seconds(10),
    ...overrides
  }
  return { options, judged }
}

/** A mock whose answer n is `script[n]` (the last one repeats). */
const scripted = (script: ReadonlyArray<MockHttpClient.MockAnswer>) => {
  const mock: MockHttpClient.MockHttpClient = MockHttpClient.make(() => script[Math.min(mock.requests.length - 1, script.length - 1)]!)
  return mock
}

/** The pipeline over `client`, built in the context the caller gives it. */
const pipelineOn = (client: HttpClient.HttpClient, options: ApiCall.Options) =>
  ApiCall.make(options).pipe(Effect.provideService(HttpClient.HttpClient, client))

const call = (method: "GET" | "POST", extra: Partial<ApiCall.Call> = {}): ApiCall.Call => ({
  method,
  path: "/items/42",
  prepare: Either.right({
    http: method === "GET"
      ? HttpClientRequest.get(URL).pipe(HttpClientRequest.bearerToken(ACCESS_TOKEN))
      : HttpClientRequest.post(URL).pipe(HttpClientRequest.bearerToken(ACCESS_TOKEN), HttpClientRequest.bodyText("{\"a\":1}")),
    secrets: [ACCESS_TOKEN]
  }),
  ...extra
})

/** Retries with no wait between attempts, at most `n` of them. */
const immediate = (n: number) => RetryPolicy.make({ schedule: Schedule.recurs(n) })

/** A client that fails its first `refusals` requests as a refused connection, then answers from `then`. */
const refusingFirst = (refusals: number, then: MockHttpClient.MockHttpClient) => {
  let attempts = 0
  const client = HttpClient.make((request) =>
    Effect.suspend(() => {
      attempts++
      if (attempts > refusals) return then.client.execute(request)
      const refused = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:9"), { code: "ECONNREFUSED" })
      return Effect.fail(new HttpClientError.RequestError({ request, reason: "Transport", cause: new TypeError("fetch failed", { cause: refused }) }))
    })
  )
  return { client, attempts: () => attempts }
}

const s503 = { status: 503, body: "<html>busy</html>" }
const ok = { status: 200, body: { ok: true } }
const echoedToken = { status: 401, body: fitbitError("expired_token", `Access token expired: ${ACCESS_TOKEN}`) }

describe("judge: each answer judged once", () => {
  it("a 2xx has no failure and is handed on as it came; any other status gets the provider's error and a scrubbed body", () => {
    const { judged, options } = hooks()
    const answer = (status: number, body: unknown): HttpExchange.ApiResponse => ({
      method: "GET",
      url: URL,
      status,
      headers: {},
      body,
      receivedAt: 0,
      rateLimit: Option.none()
    })
    const success = answer(200, { echo: ACCESS_TOKEN })
    const verdict = ApiCall.judge(options, success, [ACCESS_TOKEN])
    expect(verdict.failure).toBeUndefined()
    expect(verdict.response).toBe(success)
    expect(judged).toEqual([])

    const failed = ApiCall.judge(options, answer(401, echoedToken.body), [ACCESS_TOKEN])
    expect(failed.failure?._tag).toBe("ExpiredToken")
    expect(JSON.stringify(failed.response.body)).not.toContain(ACCESS_TOKEN)
    expect(JSON.stringify(failed.response.body)).toContain("[redacted]")
    expect(judged).toEqual([401])
  })

  it.effect("execute: one decodeFailure per answer, the last answer handed back scrubbed; request fails with its tagged error", () =>
    Effect.gen(function*() {
      const { judged, options } = hooks()
      const mock = scripted([echoedToken])
      const pipeline = yield* pipelineOn(mock.client, options).pipe(Effect.provideService(RetryPolicy.RetryPolicy, RetryPolicy.never))
      const response = yield* pipeline.execute(call("GET"))
      expect(response.status).toBe(401)
      expect(printed(response.body)).not.toContain(ACCESS_TOKEN)
      expect(response.body).toMatchObject({ errors: [{ errorType: "expired_token", message: "Access token expired: [redacted]" }] })
      expect(judged).toEqual([401])

      const error = yield* Effect.flip(pipeline.request(call("GET")))
      expect(error).toBeInstanceOf(Errors.ExpiredToken)
      expect(error).toMatchObject({ status: 401, method: "GET", url: URL })
      expect(printed(error)).not.toContain(ACCESS_TOKEN)
      expect(judged).toEqual([401, 401])
      expect(mock.requests).toHaveLength(2)
    }))

  it.effect("across retries each answer is judged once, and a 2xx not at all", () =>
    Effect.gen(function*() {
      const { judged, options } = hooks()
      const mock = scripted([s503, { status: 500 }, ok])
      const pipeline = yield* pipelineOn(mock.client, options)
      const response = yield* pipeline.request(call("GET")).pipe(Effect.provideService(RetryPolicy.RetryPolicy, immediate(5)))
      expect(response.status).toBe(200)
      expect(judged).toEqual([503, 500])
    }))
})

describe("prepare: a bad request", () => {
  it.effect("fails with its InvalidInput and sends nothing, from execute and request", () =>
    Effect.gen(function*() {
      const { judged, options } = hooks()
      const mock = scripted([ok])
      const pipeline = yield* pipelineOn(mock.client, options)
      const invalid = new Errors.InvalidInput({ field: "path", reason: "must not contain '..'" })
      const bad = call("GET", { prepare: Either.left(invalid), rateLimitKey: "alice" })
      expect(yield* Effect.flip(pipeline.execute(bad))).toBe(invalid)
      expect(yield* Effect.flip(pipeline.request(bad))).toBe(invalid)
      expect(mock.requests).toHaveLength(0)
      expect(judged).toEqual([])
      // Nothing was counted against the user either.
      expect(Option.isNone(yield* pipeline.rateLimits.current(RateLimitPolicy.keyOf("test", "user", "alice")))).toBe(true)
    }))
})

describe("retry: only what is safe to repeat", () => {
  it.effect("a GET answered 503 is sent again until answered, each attempt a request", () =>
    Effect.gen(function*() {
      const mock = scripted([s503, s503, ok])
      const pipeline = yield* pipelineOn(mock.client, hooks().options).pipe(Effect.provideService(RetryPolicy.RetryPolicy, immediate(3)))
      const response = yield* pipeline.request(call("GET"))
      expect(response.status).toBe(200)
      expect(mock.requests).toHaveLength(3)
    }))

  it.effect("the backoff waits between attempts on the clock (no second request before the wait is over)", () =>
    Effect.gen(function*() {
      const mock = scripted([s503, ok])
      const policy = RetryPolicy.make({ jitter: false, baseDelay: "2 seconds" })
      const pipeline = yield* pipelineOn(mock.client, hooks().options).pipe(Effect.provideService(RetryPolicy.RetryPolicy, policy))
      const fiber = yield* Effect.fork(pipeline.request(call("GET")))
      yield* TestClock.adjust("1999 millis")
      expect(mock.requests).toHaveLength(1)
      yield* TestClock.adjust("1 millis")
      expect((yield* Fiber.join(fiber)).status).toBe(200)
      expect(mock.requests).toHaveLength(2)
    }))

  it.effect("a POST is never repeated once answered (503, 429) or possibly sent (a reset connection)", () =>
    Effect.gen(function*() {
      for (const answer of [s503, { status: 429, headers: { "retry-after": "1" } }, "transport-error"] as const) {
        const mock = scripted([answer, ok])
        const pipeline = yield* pipelineOn(mock.client, hooks().options).pipe(Effect.provideService(RetryPolicy.RetryPolicy, immediate(3)))
        const error = yield* Effect.flip(pipeline.request(call("POST")))
        expect(error._tag).toBe(answer === "transport-error" ? "TransportError" : answer.status === 429 ? "RateLimited" : "ServerError")
        if (error._tag === "TransportError") expect(error.sent).toBe("maybe")
        expect(mock.requests, `after ${JSON.stringify(answer)}`).toHaveLength(1)
      }
    }))

  it.effect("a POST whose TransportError says sent: \"no\" is repeated, and answered", () =>
    Effect.gen(function*() {
      const refusing = refusingFirst(2, scripted([ok]))
      const pipeline = yield* pipelineOn(refusing.client, hooks().options).pipe(Effect.provideService(RetryPolicy.RetryPolicy, immediate(3)))
      expect((yield* pipeline.request(call("POST"))).status).toBe(200)
      expect(refusing.attempts()).toBe(3)
      // Refused every time: the last TransportError, still saying it was never sent.
      const always = refusingFirst(10, scripted([ok]))
      const failing = yield* pipelineOn(always.client, hooks().options).pipe(Effect.provideService(RetryPolicy.RetryPolicy, immediate(2)))
      const error = yield* Effect.flip(failing.request(call("POST")))
      expect(error).toMatchObject({ _tag: "TransportError", sent: "no", method: "POST", url: URL })
      expect(always.attempts()).toBe(3)
    }))

  it.effect("when retries are exhausted, execute answers the last answer and request fails with its error", () =>
    Effect.gen(function*() {
      const mock = scripted([{ status: 500, body: "first" }, { status: 502, body: "second" }, { status: 503, body: "last" }])
      const pipeline = yield* pipelineOn(mock.client, hooks().options).pipe(Effect.provideService(RetryPolicy.RetryPolicy, immediate(2)))
      const response = yield* pipeline.execute(call("GET"))
      expect([response.status, response.body]).toEqual([503, "last"])
      expect(mock.requests).toHaveLength(3)
      const error = yield* Effect.flip(pipeline.request(call("GET")))
      expect(error).toMatchObject({ _tag: "ServerError", status: 503 })
      expect(mock.requests).toHaveLength(6)
    }))
})

describe("the policies: the calling fiber's, then the service's, then the default", () => {
  it.effect("RetryPolicy: the fiber's wins over the service's, which wins over the default (3 retries)", () =>
    Effect.gen(function*() {
      const mock = scripted([s503])
      const attemptsOf = (effect: Effect.Effect<unknown, unknown>) =>
        Effect.gen(function*() {
          const before = mock.requests.length
          const fiber = yield* Effect.fork(Effect.exit(effect))
          // The default's waits are jittered, at most 250 ms, 500 ms, 1 s: 10 s covers them.
          yield* TestClock.adjust("10 seconds")
          const exit = yield* Fiber.poll(fiber)
          expect(Option.isSome(exit), "the call did not finish within 10 s of backoff").toBe(true)
          return mock.requests.length - before
        })
      const byDefault = yield* pipelineOn(mock.client, hooks().options)
      expect(yield* attemptsOf(byDefault.request(call("GET")))).toBe(4)

      const built = yield* pipelineOn(mock.client, hooks().options).pipe(Effect.provideService(RetryPolicy.RetryPolicy, immediate(1)))
      expect(yield* attemptsOf(built.request(call("GET")))).toBe(2)
      expect(yield* attemptsOf(built.request(call("GET")).pipe(Effect.provideService(RetryPolicy.RetryPolicy, immediate(4))))).toBe(5)
      expect(yield* attemptsOf(built.execute(call("GET")).pipe(Effect.provideService(RetryPolicy.RetryPolicy, RetryPolicy.never)))).toBe(1)
      // The service's policy stands again once the fiber no longer provides one.
      expect(yield* attemptsOf(built.request(call("GET")))).toBe(2)
    }))

  it.effect("AttemptTimeout in the calling fiber shortens the service's timeout; the TimeoutError names it", () =>
    Effect.gen(function*() {
      const mock = MockHttpClient.make(() => "no-answer")
      const pipeline = yield* pipelineOn(mock.client, hooks().options).pipe(Effect.provideService(RetryPolicy.RetryPolicy, RetryPolicy.never))

      const short = yield* Effect.fork(Effect.flip(
        pipeline.request(call("GET")).pipe(Effect.provideService(HttpExchange.AttemptTimeout, Option.some(Duration.seconds(2))))
      ))
      yield* TestClock.adjust("1999 millis")
      expect(Option.isNone(yield* Fiber.poll(short)), "timed out before the fiber's 2 s").toBe(true)
      yield* TestClock.adjust("1 millis")
      expect(yield* Fiber.join(short)).toMatchObject({ _tag: "TimeoutError", timeoutMillis: 2000, method: "GET", url: URL })

      const configured = yield* Effect.fork(Effect.flip(pipeline.request(call("GET"))))
      yield* TestClock.adjust("9999 millis")
      expect(Option.isNone(yield* Fiber.poll(configured)), "timed out before the configured 10 s").toBe(true)
      yield* TestClock.adjust("1 millis")
      expect(yield* Fiber.join(configured)).toMatchObject({ _tag: "TimeoutError", timeoutMillis: 10_000 })
    }))

  it.effect("AttemptTimeout bounds a client that declares its own, longer timeout; the service's own AttemptTimeout beats the configured one", () =>
    Effect.gen(function*() {
      const mock = MockHttpClient.make(() => "no-answer")
      // The client claims to bound each exchange in 10 s (the configured timeout) and its body: the pipeline adds no timer.
      const pipeline = yield* pipelineOn(mock.client, hooks().options).pipe(
        Effect.provideService(HttpExchange.ClientTimeout, Option.some(Duration.seconds(10))),
        Effect.provideService(HttpExchange.ClientBodyLimit, Option.some(HttpExchange.DEFAULT_MAX_BODY_BYTES)),
        Effect.provideService(RetryPolicy.RetryPolicy, RetryPolicy.never)
      )
      const unbounded = yield* Effect.fork(pipeline.request(call("GET")))
      yield* TestClock.adjust("1 minute")
      expect(Option.isNone(yield* Fiber.poll(unbounded)), "the pipeline bounded a client that declares the configured timeout").toBe(true)
      yield* Fiber.interrupt(unbounded)

      const fiber = yield* Effect.fork(Effect.flip(
        pipeline.request(call("GET")).pipe(Effect.provideService(HttpExchange.AttemptTimeout, Option.some(Duration.seconds(3))))
      ))
      yield* TestClock.adjust("3 seconds")
      expect(Option.map(yield* Fiber.poll(fiber), (exit) => exit._tag), "no TimeoutError at the fiber's 3 s").toEqual(Option.some("Success"))
      expect(yield* Fiber.join(fiber)).toMatchObject({ _tag: "TimeoutError", timeoutMillis: 3000 })

      const built = yield* pipelineOn(mock.client, hooks().options).pipe(
        Effect.provideService(HttpExchange.AttemptTimeout, Option.some(Duration.seconds(4))),
        Effect.provideService(RetryPolicy.RetryPolicy, RetryPolicy.never)
      )
      const own = yield* Effect.fork(Effect.flip(built.request(call("GET"))))
      yield* TestClock.adjust("4 seconds")
      expect(Option.isSome(yield* Fiber.poll(own)), "no TimeoutError at the service's 4 s").toBe(true)
      expect(yield* Fiber.join(own)).toMatchObject({ _tag: "TimeoutError", timeoutMillis: 4000 })
    }))
})

describe("record: the budget an answer reported", () => {
  const budget = (remaining: number, reset = 600) => ({
    "fitbit-rate-limit-limit": "150",
    "fitbit-rate-limit-remaining": String(remaining),
    "fitbit-rate-limit-reset": String(reset)
  })

  it.effect("a reported budget is observed for the call's key; a 429's Retry-After when none is reported; the spent budget refuses the next call unsent", () =>
    Effect.gen(function*() {
      const mock = scripted([
        { status: 200, body: {}, headers: budget(42) },
        { status: 200, body: {}, headers: budget(7) },
        { status: 429, headers: { "retry-after": "120" } },
        ok
      ])
      const pipeline = yield* pipelineOn(mock.client, hooks({ rateLimitOf: RateLimit.fromHeaders }).options).pipe(
        Effect.provideService(RetryPolicy.RetryPolicy, RetryPolicy.never)
      )
      yield* TestClock.setTime(1_000_000)
      yield* pipeline.request(call("GET", { rateLimitKey: "alice" }))
      const reported = Option.getOrThrow(yield* pipeline.rateLimits.current(RateLimitPolicy.keyOf("test", "user", "alice")))
      expect([reported.limit, reported.remaining, reported.resetAt]).toEqual([150, 42, 1_000_000 + 600_000])
      // No key: the budget it reported is recorded for no one.
      yield* pipeline.request(call("GET"))
      expect([...(yield* pipeline.rateLimits.snapshot).keys()]).toEqual([RateLimitPolicy.keyOf("test", "user", "alice")])

      expect(yield* Effect.flip(pipeline.request(call("GET", { rateLimitKey: "bob" })))).toMatchObject({ status: 429, retryAfterSeconds: 120 })
      expect(mock.requests).toHaveLength(3)
      const rejected = Option.getOrThrow(yield* pipeline.rateLimits.current(RateLimitPolicy.keyOf("test", "user", "bob")))
      expect([rejected.remaining, rejected.resetAt]).toEqual([0, 1_000_000 + 120_000])
      const refused = yield* Effect.flip(pipeline.request(call("GET", { rateLimitKey: "bob" })))
      expect(refused).toMatchObject({ _tag: "RateLimited", retryAfterSeconds: 120, errors: [{ errorType: RetryPolicy.BUDGET_SPENT }] })
      expect(mock.requests).toHaveLength(3)
    }))

  it.effect("record itself: the reported budget wins over Retry-After; nothing to record is undefined", () =>
    Effect.gen(function*() {
      const tracker = yield* RateLimitPolicy.make()
      const state = new RateLimit.RateLimitState({ limit: 150, remaining: 0, resetSeconds: 30, observedAt: 0 })
      const response = (status: number, rateLimit: Option.Option<RateLimit.RateLimitState>): HttpExchange.ApiResponse => ({
        method: "GET",
        url: URL,
        status,
        headers: { "retry-after": "900" },
        body: undefined,
        receivedAt: 0,
        rateLimit
      })
      const limited = (rateLimit: Option.Option<RateLimit.RateLimitState>) =>
        ApiCall.judge(hooks().options, response(429, rateLimit), [])
      expect(ApiCall.record(tracker, "k", ApiCall.judge(hooks().options, response(200, Option.none()), []))).toBeUndefined()
      expect(ApiCall.record(tracker, "k", ApiCall.judge(hooks().options, response(503, Option.none()), []))).toBeUndefined()
      yield* ApiCall.record(tracker, "reported", limited(Option.some(state)))!
      expect(Option.getOrThrow(yield* tracker.current("reported")).resetSeconds).toBe(30)
      yield* ApiCall.record(tracker, "rejected", limited(Option.none()))!
      expect(Option.getOrThrow(yield* tracker.current("rejected")).resetSeconds).toBe(900)
    }))
})

describe("admit: the quotas counted before sending", () => {
  const quotas = {
    perUser: { limit: 2, windowMillis: 60_000 },
    perProject: { id: "project", limit: 3, windowMillis: 60_000 }
  }

  it.effect("per user and per project: a call over either is RateLimited (rate_limit_budget_spent), not sent, until the window ends", () =>
    Effect.gen(function*() {
      const mock = scripted([ok])
      const pipeline = yield* pipelineOn(mock.client, hooks({ quotas }).options).pipe(
        Effect.provideService(RetryPolicy.RetryPolicy, RetryPolicy.never)
      )
      yield* TestClock.setTime(15_000)
      yield* pipeline.request(call("GET", { rateLimitKey: "alice" }))
      yield* pipeline.request(call("GET", { rateLimitKey: "alice" }))
      const overUser = yield* Effect.flip(pipeline.request(call("GET", { rateLimitKey: "alice" })))
      expect(overUser).toMatchObject({ _tag: "RateLimited", status: 429, retryAfterSeconds: 45, errors: [{ errorType: RetryPolicy.BUDGET_SPENT }] })
      expect(overUser.message).toContain("not sent")
      expect(mock.requests).toHaveLength(2)
      // Another user still has a budget: the call the project's quota has left.
      yield* pipeline.request(call("GET", { rateLimitKey: "bob" }))
      expect(mock.requests).toHaveLength(3)
      // The project's quota is spent for every call, with a user or without.
      expect(yield* Effect.flip(pipeline.request(call("GET", { rateLimitKey: "carol" })))).toMatchObject({ _tag: "RateLimited", retryAfterSeconds: 45 })
      expect(yield* Effect.flip(pipeline.execute(call("GET")))).toMatchObject({ _tag: "RateLimited" })
      expect(mock.requests).toHaveLength(3)
      yield* TestClock.adjust("45 seconds")
      yield* pipeline.request(call("GET", { rateLimitKey: "alice" }))
      expect(mock.requests).toHaveLength(4)
    }))

  it.effect("a call refused by the user's quota is not counted against the project's: one user spinning on a spent budget holds no one else", () =>
    Effect.gen(function*() {
      const mock = scripted([ok])
      const pipeline = yield* pipelineOn(mock.client, hooks({ quotas }).options).pipe(
        Effect.provideService(RetryPolicy.RetryPolicy, RetryPolicy.never)
      )
      yield* pipeline.request(call("GET", { rateLimitKey: "alice" }))
      yield* pipeline.request(call("GET", { rateLimitKey: "alice" }))
      for (let i = 0; i < 5; i++) {
        expect((yield* Effect.flip(pipeline.request(call("GET", { rateLimitKey: "alice" }))))._tag).toBe("RateLimited")
      }
      expect(Option.getOrThrow(yield* pipeline.rateLimits.current(RateLimitPolicy.keyOf("test", "project", "project"))).remaining).toBe(1)
      yield* pipeline.request(call("GET", { rateLimitKey: "bob" }))
      expect(mock.requests).toHaveLength(3)
    }))

  it("admit itself: nothing to count (no key, no project quota) is undefined", () => {
    const tracker = Effect.runSync(RateLimitPolicy.make())
    const http = HttpClientRequest.get(`${URL}?secret=1`)
    expect(ApiCall.admit(tracker, {}, http)).toBeUndefined()
    expect(ApiCall.admit(tracker, { user: { key: "alice" } }, http)).toBeDefined()
    expect(ApiCall.admit(tracker, { project: { key: "project", quota: quotas.perProject } }, http)).toBeDefined()
  })
})

describe("the span of a call", () => {
  it.effect("with a tracer: one span per call with method, path template, attempts, status, and error.type of a failure", () =>
    Effect.gen(function*() {
      const { spans, tracer } = recordingTracer()
      const mock = scripted([s503, ok])
      const pipeline = yield* pipelineOn(mock.client, hooks().options).pipe(Effect.provideService(RetryPolicy.RetryPolicy, immediate(3)))
      const calls = () => spans.filter((s) => s.name.startsWith("test "))
      yield* pipeline.request(call("GET")).pipe(Effect.withTracer(tracer))
      expect(calls()).toHaveLength(1)
      const answered = calls()[0]!
      expect(answered.name).toBe("test GET")
      expect(answered.ended).toBe(true)
      expect(Object.fromEntries(answered.attributes)).toMatchObject({
        "http.request.method": "GET",
        "test.path": "/items/{id}",
        "test.attempts": 2,
        "http.response.status_code": 200
      })
      expect(answered.attributes.has("error.type")).toBe(false)

      // A failed answer: its status and its tag (execute too, which answers with it).
      const busy = yield* pipelineOn(scripted([s503]).client, hooks().options).pipe(Effect.provideService(RetryPolicy.RetryPolicy, immediate(3)))
      yield* busy.execute(call("POST")).pipe(Effect.withTracer(tracer))
      expect(Object.fromEntries(calls()[1]!.attributes)).toMatchObject({
        "http.request.method": "POST",
        "test.attempts": 1,
        "http.response.status_code": 503,
        "error.type": "ServerError"
      })

      // No answer: the tag alone.
      const refusing = refusingFirst(10, scripted([ok]))
      const unreachable = yield* pipelineOn(refusing.client, hooks().options).pipe(Effect.provideService(RetryPolicy.RetryPolicy, immediate(1)))
      yield* Effect.flip(unreachable.request(call("POST"))).pipe(Effect.withTracer(tracer))
      const failed = calls()[2]!
      expect(Object.fromEntries(failed.attributes)).toMatchObject({ "test.attempts": 2, "error.type": "TransportError" })
      expect(failed.attributes.has("http.response.status_code")).toBe(false)
      expect(printed(spans.map((s) => [...s.attributes]))).not.toContain(ACCESS_TOKEN)
    }))

  it.effect("tracing off: no span", () =>
    Effect.gen(function*() {
      const { spans, tracer } = recordingTracer()
      const pipeline = yield* pipelineOn(scripted([ok]).client, hooks().options)
      yield* pipeline.request(call("GET")).pipe(Effect.withTracerEnabled(false), Effect.withTracer(tracer))
      expect(spans.filter((s) => s.name.startsWith("test "))).toEqual([])
    }))
})

describe("service: a provider's request type over the pipeline", () => {
  it.effect("describes each request as a call; execute, request and the tracker are the pipeline's", () =>
    Effect.gen(function*() {
      const mock = scripted([{ status: 404, body: fitbitError("not_found", "no such item") }])
      const pipeline = yield* pipelineOn(mock.client, hooks().options)
      const service = ApiCall.service(pipeline, (id: number) => ({ ...call("GET"), path: `/items/${id}` }))
      expect(service.rateLimits).toBe(pipeline.rateLimits)
      expect((yield* service.execute(7)).status).toBe(404)
      expect(yield* Effect.flip(service.request(7))).toMatchObject({ _tag: "NotFound", status: 404 })
      expect(mock.requests.map((r) => `${r.method} ${r.url}`)).toEqual([`GET ${URL}`, `GET ${URL}`])
    }))
})
