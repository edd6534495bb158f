import { describe, expect, it } from "@effect/vitest"
import { HttpClient, HttpClientError, HttpClientRequest, HttpClientResponse } from "@effect/platform"
import { Cause, Chunk, Duration, Effect, Fiber, Option, Stream, TestClock } from "effect"
import { HttpExchange, RateLimit } from "@fitbit-effect/core"
import { MockHttpClient } from "@fitbit-effect/core/testing"

describe("HttpExchange.withTimeout (any client)", () => {
  it.effect("hands on the whole answer read within the deadline: status, headers and every body accessor", () =>
    Effect.gen(function*() {
      const mock = MockHttpClient.make(() => ({ status: 201, headers: { "x-one": "1" }, body: { ok: true, n: 3 } }))
      const client = HttpExchange.withTimeout(mock.client, Duration.seconds(5))
      const response = yield* client.execute(HttpClientRequest.get("https://example.test/a"))
      expect(response.status).toBe(201)
      expect(response.headers["x-one"]).toBe("1")
      expect(yield* response.json).toEqual({ ok: true, n: 3 })
      expect(JSON.parse(yield* response.text)).toEqual({ ok: true, n: 3 })
      expect(new TextDecoder().decode(yield* response.arrayBuffer)).toBe(yield* response.text)
      const streamed = Chunk.toReadonlyArray(yield* Stream.runCollect(response.stream))
      expect(new TextDecoder().decode(streamed[0])).toBe(yield* response.text)
      // read twice: the same body
      expect(yield* response.json).toEqual({ ok: true, n: 3 })
    }))

  it.effect("past the deadline the request fails with an ExchangeTimeout cause, which send reads as TimeoutError", () =>
    Effect.gen(function*() {
      const hang = HttpClient.make(() => Effect.never)
      const client = HttpExchange.withTimeout(hang, Duration.millis(250))
      const fiber = yield* Effect.fork(Effect.flip(HttpExchange.send(client, HttpClientRequest.get("https://example.test/slow?token=x"))))
      yield* TestClock.adjust("249 millis")
      expect(Option.isNone(yield* Fiber.poll(fiber))).toBe(true)
      yield* TestClock.adjust("1 millis")
      const error = yield* Fiber.join(fiber)
      expect(error).toMatchObject({ _tag: "TimeoutError", timeoutMillis: 250, url: "https://example.test/slow" })
    }))

  it.effect("boundedClient keeps a client that declares bounds (time and body size) no looser than asked, and wraps any other", () =>
    Effect.gen(function*() {
      const mock = MockHttpClient.make(() => ({ status: 200 }))
      const timeOnly = yield* HttpExchange.boundedClient(Duration.seconds(30)).pipe(
        Effect.provideService(HttpClient.HttpClient, mock.client),
        Effect.provideService(HttpExchange.ClientTimeout, Option.some(Duration.seconds(10)))
      )
      const largerBody = yield* HttpExchange.boundedClient(Duration.seconds(30), 1024).pipe(
        Effect.provideService(HttpClient.HttpClient, mock.client),
        Effect.provideService(HttpExchange.ClientTimeout, Option.some(Duration.seconds(10))),
        Effect.provideService(HttpExchange.ClientBodyLimit, Option.some(2048))
      )
      // A client bounding time but not size, or a larger size than asked, is wrapped.
      expect(timeOnly).not.toBe(mock.client)
      expect(largerBody).not.toBe(mock.client)
      const within = yield* HttpExchange.boundedClient(Duration.seconds(30)).pipe(
        Effect.provideService(HttpClient.HttpClient, mock.client),
        Effect.provideService(HttpExchange.ClientTimeout, Option.some(Duration.seconds(10))),
        Effect.provideService(HttpExchange.ClientBodyLimit, Option.some(HttpExchange.DEFAULT_MAX_BODY_BYTES))
      )
      const longer = yield* HttpExchange.boundedClient(Duration.seconds(5)).pipe(
        Effect.provideService(HttpClient.HttpClient, mock.client),
        Effect.provideService(HttpExchange.ClientTimeout, Option.some(Duration.seconds(10))),
        Effect.provideService(HttpExchange.ClientBodyLimit, Option.some(HttpExchange.DEFAULT_MAX_BODY_BYTES))
      )
      const equal = yield* HttpExchange.boundedClient(Duration.seconds(10)).pipe(
        Effect.provideService(HttpClient.HttpClient, mock.client),
        Effect.provideService(HttpExchange.ClientTimeout, Option.some(Duration.seconds(10))),
        Effect.provideService(HttpExchange.ClientBodyLimit, Option.some(HttpExchange.DEFAULT_MAX_BODY_BYTES))
      )
      const undeclared = yield* HttpExchange.boundedClient(Duration.seconds(30)).pipe(
        Effect.provideService(HttpClient.HttpClient, mock.client)
      )
      expect(within).toBe(mock.client)
      expect(equal).toBe(mock.client)
      expect(longer).not.toBe(mock.client)
      expect(undeclared).not.toBe(mock.client)
    }))
})

describe("HttpExchange.withTimeout bounds the body too", () => {
  it.effect("an answer whose headers came but whose body never ends fails with TimeoutError at the deadline", () =>
    Effect.gen(function*() {
      const endless = HttpClient.make((request) =>
        Effect.succeed(HttpClientResponse.fromWeb(
          request,
          new Response(new ReadableStream({ start: (controller) => controller.enqueue(new TextEncoder().encode("{\"partial\":")) }), { status: 200 })
        ))
      )
      const client = HttpExchange.withTimeout(endless, Duration.millis(300))
      const fiber = yield* Effect.fork(Effect.flip(HttpExchange.send(client, HttpClientRequest.get("https://example.test/big"))))
      yield* TestClock.adjust("299 millis")
      expect(Option.isNone(yield* Fiber.poll(fiber)), "failed before the deadline").toBe(true)
      yield* TestClock.adjust("1 millis")
      const done = yield* Fiber.poll(fiber)
      expect(Option.isSome(done), "the body's read outlived the deadline").toBe(true)
      expect(yield* Fiber.join(fiber)).toMatchObject({ _tag: "TimeoutError", timeoutMillis: 300, url: "https://example.test/big" })
    }))
})

describe("HttpExchange.send", () => {
  const request = HttpClientRequest.get("https://example.test/v1/items?token=q-secret-1234")

  it.effect("answers every status: status, headers, the body parsed (JSON, text, empty), the budget it reported, receivedAt from the Clock, the URL without its query", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(1_000_000)
      const answers: Array<MockHttpClient.MockAnswer> = [
        { status: 404, headers: { "x-request-id": "r1" }, body: { error: "nope" } },
        { status: 200, body: "plain text" },
        { status: 204 }
      ]
      const mock = MockHttpClient.make(() => answers[mock.requests.length - 1]!)
      const budget = { "fitbit-rate-limit-limit": "150", "fitbit-rate-limit-remaining": "9", "fitbit-rate-limit-reset": "60" }
      const json = yield* HttpExchange.send(mock.client, request, { rateLimitOf: () => RateLimit.fromHeaders(budget, 1_000_000) })
      expect(json).toMatchObject({ method: "GET", url: "https://example.test/v1/items", status: 404, body: { error: "nope" }, receivedAt: 1_000_000 })
      expect(json.headers["x-request-id"]).toBe("r1")
      expect(Option.map(json.rateLimit, (s) => s.remaining)).toEqual(Option.some(9))
      const text = yield* HttpExchange.send(mock.client, request)
      expect([text.body, Option.isNone(text.rateLimit)]).toEqual(["plain text", true])
      expect((yield* HttpExchange.send(mock.client, request)).body).toBeUndefined()
    }))

  it.effect("reads the body with the BodyReader given, else the one in context, else the response's text; a failed read is a TransportError that may have been sent", () =>
    Effect.gen(function*() {
      const mock = MockHttpClient.make(() => ({ status: 200, body: { from: "text" } }))
      const reader = (from: string): HttpExchange.ReadBody => () => Effect.succeed(JSON.stringify({ from }))
      expect((yield* HttpExchange.send(mock.client, request)).body).toEqual({ from: "text" })
      const inContext = yield* HttpExchange.send(mock.client, request).pipe(Effect.provideService(HttpExchange.BodyReader, reader("context")))
      expect(inContext.body).toEqual({ from: "context" })
      const given = yield* HttpExchange.send(mock.client, request, { readBody: reader("given") }).pipe(
        Effect.provideService(HttpExchange.BodyReader, reader("context"))
      )
      expect(given.body).toEqual({ from: "given" })

      const broken: HttpExchange.ReadBody = (response) =>
        Effect.fail(new HttpClientError.ResponseError({ request: response.request, response, reason: "Decode", cause: new Error("socket closed mid-body") }))
      const error = yield* Effect.flip(HttpExchange.send(mock.client, request, { readBody: broken }))
      expect(error).toMatchObject({ _tag: "TransportError", sent: "maybe", url: "https://example.test/v1/items" })
      expect(error.message).toContain("socket closed mid-body")
    }))

  it.effect("trace headers go out only under TracePropagation (and HttpClient's own propagation)", () =>
    Effect.gen(function*() {
      const mock = MockHttpClient.make(() => ({ status: 200 }))
      const sentHeaders = () => mock.requests[mock.requests.length - 1]!.headers
      const inSpan = <A, E, R>(effect: Effect.Effect<A, E, R>) => Effect.withSpan(effect, "caller")
      expect(yield* HttpExchange.TracePropagation).toBe(false)

      yield* inSpan(HttpExchange.send(mock.client, request))
      expect(sentHeaders().traceparent).toBeUndefined()
      expect(sentHeaders().b3).toBeUndefined()

      yield* inSpan(HttpExchange.send(mock.client, request)).pipe(Effect.provideService(HttpExchange.TracePropagation, true))
      expect(sentHeaders().traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]$/)

      // HttpClient's own switch off: none either way.
      yield* inSpan(HttpExchange.send(mock.client, request)).pipe(
        Effect.provideService(HttpExchange.TracePropagation, true),
        Effect.locally(HttpClient.currentTracerPropagation, false)
      )
      expect(sentHeaders().traceparent).toBeUndefined()
      // A client used directly keeps following HttpClient's switch (the default: on).
      yield* inSpan(mock.client.execute(request))
      expect(sentHeaders().traceparent).toBeDefined()
    }))

  it.effect("a transport failure's sent is read from failedBeforeSending; its message holds no secret", () =>
    Effect.gen(function*() {
      const failing = (cause: unknown) =>
        HttpClient.make((req) => Effect.fail(new HttpClientError.RequestError({ request: req, reason: "Transport", cause })))
      const refused = yield* Effect.flip(HttpExchange.send(
        failing(new TypeError("fetch failed", { cause: Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" }) })),
        request
      ))
      expect(refused).toMatchObject({ _tag: "TransportError", sent: "no", method: "GET", url: "https://example.test/v1/items" })
      const reset = yield* Effect.flip(HttpExchange.send(
        failing(Object.assign(new Error("socket hang up, token q-secret-1234"), { code: "ECONNRESET" })),
        request,
        { secrets: ["q-secret-1234"] }
      ))
      expect(reset).toMatchObject({ _tag: "TransportError", sent: "maybe" })
      expect(reset.message).toContain("socket hang up")
      expect(reset.message).not.toContain("q-secret-1234")
    }))

  it.effect("a TimeoutException from the client itself is a TimeoutError naming the timeout the client was bounded by", () =>
    Effect.gen(function*() {
      const timingOut = HttpClient.make((req) =>
        Effect.fail(new HttpClientError.RequestError({ request: req, reason: "Transport", cause: new Cause.TimeoutException("headers timeout") }))
      )
      expect(yield* Effect.flip(HttpExchange.send(timingOut, request, { timeout: Duration.seconds(7) })))
        .toMatchObject({ _tag: "TimeoutError", timeoutMillis: 7000 })
      expect(yield* Effect.flip(HttpExchange.send(timingOut, request))).toMatchObject({ _tag: "TimeoutError", timeoutMillis: 0 })
    }))
})

describe("HttpExchange.failedBeforeSending", () => {
  const request = HttpClientRequest.post("https://example.test/write")
  const transport = (cause: unknown) => new HttpClientError.RequestError({ request, reason: "Transport", cause })
  const coded = (code: string) => Object.assign(new Error(code), { code })

  it("no: an unencodable request, an invalid URL, a connection never made (however deep the code, every address of an AggregateError)", () => {
    expect(HttpExchange.failedBeforeSending(new HttpClientError.RequestError({ request, reason: "Encode" }))).toBe(true)
    expect(HttpExchange.failedBeforeSending(new HttpClientError.RequestError({ request, reason: "InvalidUrl" }))).toBe(true)
    for (const code of ["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH", "UND_ERR_CONNECT_TIMEOUT"]) {
      expect(HttpExchange.failedBeforeSending(transport(coded(code))), code).toBe(true)
      expect(HttpExchange.failedBeforeSending(transport(new TypeError("fetch failed", { cause: coded(code) }))), `${code} nested`).toBe(true)
    }
    const everyAddress = new AggregateError([coded("ECONNREFUSED"), coded("EHOSTUNREACH")], "connect failed")
    expect(HttpExchange.failedBeforeSending(transport(new TypeError("fetch failed", { cause: everyAddress })))).toBe(true)
  })

  it("maybe: a reset or closed socket, an unknown cause, one address of several that connected, any failure reading the answer", () => {
    for (const cause of [coded("ECONNRESET"), coded("EPIPE"), new Error("other side closed"), undefined]) {
      expect(HttpExchange.failedBeforeSending(transport(cause)), String(cause)).toBe(false)
    }
    const oneConnected = new AggregateError([coded("ECONNREFUSED"), coded("ECONNRESET")], "connect failed")
    expect(HttpExchange.failedBeforeSending(transport(oneConnected))).toBe(false)
    const response = HttpClientResponse.fromWeb(request, new Response(null, { status: 200 }))
    expect(HttpExchange.failedBeforeSending(new HttpClientError.ResponseError({ request, response, reason: "Decode", cause: coded("ECONNREFUSED") })))
      .toBe(false)
  })
})

describe("the references' defaults", () => {
  it.effect("no AttemptTimeout, no ClientTimeout, no trace propagation; the BodyReader reads the response's text", () =>
    Effect.gen(function*() {
      expect(Option.isNone(yield* HttpExchange.AttemptTimeout)).toBe(true)
      expect(Option.isNone(yield* HttpExchange.ClientTimeout)).toBe(true)
      expect(yield* HttpExchange.TracePropagation).toBe(false)
      const read = yield* HttpExchange.BodyReader
      const response = HttpClientResponse.fromWeb(HttpClientRequest.get("https://example.test/"), new Response("hello"))
      expect(yield* read(response)).toBe("hello")
    }))
})
