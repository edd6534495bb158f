import { describe, expect, it } from "@effect/vitest"
import { HttpClient, HttpClientRequest } from "@effect/platform"
import { Chunk, Duration, Effect, Fiber, Option, Stream, TestClock } from "effect"
import { HttpExchange } from "@fitbit-effect/core"
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

  it.effect("boundedClient keeps a client that declares a bound no longer than asked, and wraps any other", () =>
    Effect.gen(function*() {
      const mock = MockHttpClient.make(() => ({ status: 200 }))
      const within = yield* HttpExchange.boundedClient(Duration.seconds(30)).pipe(
        Effect.provideService(HttpClient.HttpClient, mock.client),
        Effect.provideService(HttpExchange.ClientTimeout, Option.some(Duration.seconds(10)))
      )
      const longer = yield* HttpExchange.boundedClient(Duration.seconds(5)).pipe(
        Effect.provideService(HttpClient.HttpClient, mock.client),
        Effect.provideService(HttpExchange.ClientTimeout, Option.some(Duration.seconds(10)))
      )
      const undeclared = yield* HttpExchange.boundedClient(Duration.seconds(30)).pipe(
        Effect.provideService(HttpClient.HttpClient, mock.client)
      )
      expect(within).toBe(mock.client)
      expect(longer).not.toBe(mock.client)
      expect(undeclared).not.toBe(mock.client)
    }))
})
