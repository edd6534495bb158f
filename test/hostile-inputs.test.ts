// Issue 34, classes 3-7 and 10: webhook apps refuse from the headers before reading a body and read
// it with a bound; rate-limit keys cannot collide; Retry-After is bounded; JSON from the wire and
// from webhooks cannot set a prototype or overflow the stack; user keys cannot forge log lines;
// OAuth state sizes are checked. Each case names what it counts.
import { HttpApp } from "@effect/platform"
import {
  Errors,
  FitbitConfig,
  FitbitHttp,
  FitbitWebhook,
  GoogleHealthConfig,
  GoogleHealthHttp,
  GoogleHealthWebhook,
  OAuthState,
  RateLimit,
  RateLimitPolicy,
  RetryPolicy,
  TokenStore
} from "@fitbit-effect/core"
import { MockHttpClient } from "@fitbit-effect/core/testing"
import { FitbitApiClient, GoogleHealthClient } from "@fitbit-effect/node"
import { Effect, Layer } from "effect"
import * as http from "node:http"
import type { AddressInfo } from "node:net"
import { afterAll, beforeAll, describe, expect, it } from "vitest"

const MiB = 1024 * 1024

/** An async iterable of `total` bytes in 64 KiB chunks that counts what was pulled from it. */
const countingBody = (total: number) => {
  const pulled = { bytes: 0 }
  const chunk = new Uint8Array(64 * 1024)
  const body = {
    async *[Symbol.asyncIterator]() {
      for (let sent = 0; sent < total; sent += chunk.byteLength) {
        pulled.bytes += chunk.byteLength
        yield chunk
      }
    }
  }
  return { body, pulled }
}

/** A web stream of `total` bytes that counts what was pulled from it. */
const countingStream = (total: number) => {
  const pulled = { bytes: 0 }
  const chunk = new Uint8Array(64 * 1024)
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (pulled.bytes >= total) return controller.close()
      pulled.bytes += chunk.byteLength
      controller.enqueue(chunk)
    }
  }, { highWaterMark: 0 })
  return { stream, pulled }
}

describe("webhook apps refuse from the headers, then read with a bound", () => {
  const secret = "Bearer hook-secret"

  it("Google makeHandler: a 256 MiB POST without Authorization is 401 with nothing read; with it, 413 after at most the limit", async () => {
    const handler = GoogleHealthWebhook.makeHandler({ secret })
    const anonymous = countingBody(256 * MiB)
    expect((await handler("POST", {}, anonymous.body)).status).toBe(401)
    expect(anonymous.pulled.bytes).toBe(0)
    const wrong = countingBody(256 * MiB)
    expect((await handler("POST", { authorization: "Bearer nope" }, wrong.body)).status).toBe(403)
    expect(wrong.pulled.bytes).toBe(0)
    const big = countingBody(256 * MiB)
    expect((await handler("POST", { authorization: secret }, big.body)).status).toBe(413)
    expect(big.pulled.bytes).toBeLessThanOrEqual(MiB + 64 * 1024)
    const declared = countingBody(10)
    expect((await handler("POST", { authorization: secret, "content-length": String(2 * MiB) }, declared.body)).status).toBe(413)
    expect(declared.pulled.bytes).toBe(0)
  })

  it("Google httpApp: refused from the headers without reading the stream; an authorised oversized body stops at the bound", async () => {
    const handler = HttpApp.toWebHandler(GoogleHealthWebhook.httpApp({ secret }))
    const anonymous = countingStream(256 * MiB)
    const refused = await handler(new Request("http://hook.test/", { method: "POST", body: anonymous.stream, duplex: "half" } as RequestInit))
    expect(refused.status).toBe(401)
    expect(anonymous.pulled.bytes).toBeLessThanOrEqual(64 * 1024)
    const big = countingStream(256 * MiB)
    const tooLarge = await handler(new Request("http://hook.test/", { method: "POST", headers: { authorization: secret }, body: big.stream, duplex: "half" } as RequestInit))
    expect(tooLarge.status).toBe(413)
    expect(big.pulled.bytes).toBeLessThanOrEqual(MiB + 2 * 64 * 1024)
  })

  it("Fitbit makeHandler and httpApp: a POST without X-Fitbit-Signature is 404 with nothing read; a signed oversized one 413", async () => {
    const config = { clientSecret: "client-secret", verificationCode: "code" }
    const handler = FitbitWebhook.makeHandler(config, () => undefined)
    const unsigned = countingBody(256 * MiB)
    expect((await handler("POST", "/hook", {}, unsigned.body)).status).toBe(404)
    expect(unsigned.pulled.bytes).toBe(0)
    const big = countingBody(256 * MiB)
    expect((await handler("POST", "/hook", { "x-fitbit-signature": "c2ln" }, big.body)).status).toBe(413)
    expect(big.pulled.bytes).toBeLessThanOrEqual(MiB + 64 * 1024)
    const app = HttpApp.toWebHandler(FitbitWebhook.httpApp(config, () => Effect.void))
    const stream = countingStream(256 * MiB)
    const refused = await app(new Request("http://hook.test/hook", { method: "POST", body: stream.stream, duplex: "half" } as RequestInit))
    expect(refused.status).toBe(404)
    expect(stream.pulled.bytes).toBeLessThanOrEqual(64 * 1024)
  })

  it("a signed Fitbit notification holding __proto__ reaches the application without a prototype of the sender's choosing", async () => {
    const config = { clientSecret: "client-secret", verificationCode: "code" }
    const body = `[{"collectionType":"activities","date":"2026-11-25","ownerId":"ABC123","ownerType":"user","subscriptionId":"1","__proto__":{"isAdmin":true}}]`
    const received: Array<FitbitWebhook.Notification> = []
    const handler = FitbitWebhook.makeHandler(config, (notifications) => void received.push(...notifications))
    const signature = await Effect.runPromise(FitbitWebhook.sign(config.clientSecret, body))
    expect((await handler("POST", "/hook", { "x-fitbit-signature": signature }, body)).status).toBe(204)
    expect(received).toHaveLength(1)
    expect(Object.getPrototypeOf(received[0])).toBe(Object.prototype)
    expect((received[0] as Record<string, unknown>).isAdmin).toBeUndefined()
  })
})

describe("rate-limit keys cannot collide", () => {
  const google = (tracker: Layer.Layer<RateLimitPolicy.RateLimitPolicy>, answer: (key: string | undefined) => MockHttpClient.MockAnswer) => {
    const mock = MockHttpClient.make((request) => answer(new URL(request.url).searchParams.get("who") ?? undefined))
    const layer = GoogleHealthHttp.layer.pipe(
      Layer.provideMerge(Layer.mergeAll(GoogleHealthConfig.layer({ clientId: "client-1" }), mock.layer, tracker, RetryPolicy.layer({ maxRetries: 0 })))
    )
    return { mock, layer }
  }

  it("a user key spelled as the project's quota key, answered 429: every other user's calls still go out", async () => {
    const tracker = RateLimitPolicy.layer()
    const { layer, mock } = google(tracker, (who) =>
      who === "hostile"
        ? { status: 429, headers: { "retry-after": "60" }, body: { error: { code: 429, status: "RESOURCE_EXHAUSTED", message: "slow down" } } }
        : { status: 200, body: {} })
    const outcome = await Effect.runPromise(Effect.gen(function*() {
      for (const key of ["google-health/project/client-1", "google-health-project:client-1", "google-health%2Fproject%2Fclient-1"]) {
        yield* Effect.flip(GoogleHealthHttp.get("/users/me/profile", "token", { rateLimitKey: key, query: { who: "hostile" } }))
      }
      return yield* Effect.forEach(["alice", "bob"], (user) => Effect.either(GoogleHealthHttp.get("/users/me/profile", "token", { rateLimitKey: user })))
    }).pipe(Effect.provide(layer)))
    expect(outcome.map((e) => e._tag)).toEqual(["Right", "Right"])
    expect(mock.requests).toHaveLength(5)
  })

  it("one policy for both providers: a Fitbit budget spent for user-42 does not stop that user's Google calls", async () => {
    // One tracker, built once (layers are memoised) and given to both services.
    const tracker = RateLimitPolicy.layer()
    const fitbitMock = MockHttpClient.make(() => ({ status: 200, headers: { "fitbit-rate-limit-limit": "150", "fitbit-rate-limit-remaining": "0", "fitbit-rate-limit-reset": "1800" }, body: {} }))
    const googleMock = MockHttpClient.make(() => ({ status: 200, body: {} }))
    const services = Layer.mergeAll(
      FitbitHttp.layer.pipe(Layer.provide(Layer.mergeAll(FitbitConfig.layer({ clientId: "23BCDE" }), fitbitMock.layer, tracker))),
      GoogleHealthHttp.layer.pipe(Layer.provide(Layer.mergeAll(GoogleHealthConfig.layer({ clientId: "client-1" }), googleMock.layer, tracker)))
    )
    const outcome = await Effect.runPromise(Effect.gen(function*() {
      const fitbit = yield* FitbitHttp.FitbitHttp
      const google = yield* GoogleHealthHttp.GoogleHealthHttp
      expect(fitbit.rateLimits).toBe(google.rateLimits)
      yield* FitbitHttp.get("/profile.json", "token", { rateLimitKey: "user-42" })
      const again = yield* Effect.flip(FitbitHttp.get("/profile.json", "token", { rateLimitKey: "user-42" }))
      const onGoogle = yield* Effect.either(GoogleHealthHttp.get("/users/me/profile", "token", { rateLimitKey: "user-42" }))
      return { again, onGoogle }
    }).pipe(Effect.provide(services)))
    expect(outcome.again).toMatchObject({ _tag: "RateLimited" })
    expect(outcome.onGoogle._tag).toBe("Right")
    expect(googleMock.requests).toHaveLength(1)
  })

  it("Retry-After of ten years refuses the user locally for one hour at most", async () => {
    const tracker = RateLimitPolicy.layer()
    const { layer } = google(tracker, () => ({ status: 429, headers: { "retry-after": "315360000" }, body: {} }))
    const outcome = await Effect.runPromise(Effect.gen(function*() {
      const answered = yield* Effect.flip(GoogleHealthHttp.get("/users/me/profile", "token", { rateLimitKey: "user-42" }))
      const local = yield* Effect.flip(GoogleHealthHttp.get("/users/me/profile", "token", { rateLimitKey: "user-42" }))
      return { answered, local }
    }).pipe(Effect.provide(layer)))
    expect(outcome.answered).toMatchObject({ _tag: "RateLimited", retryAfterSeconds: RateLimit.MAX_WAIT_SECONDS })
    expect(outcome.local).toMatchObject({ _tag: "RateLimited" })
    expect((outcome.local as Errors.RateLimited).retryAfterSeconds).toBeLessThanOrEqual(3600)
    expect(Option_getOrThrow(RateLimit.retryAfterSeconds({ "retry-after": "Wed, 25 Nov 2099 19:02:00 GMT" }, Date.UTC(2026, 0, 1)))).toBe(3600)
  })
})

/** `Option.getOrThrow` without importing Option twice. */
const Option_getOrThrow = <A>(option: { readonly _tag: "Some"; readonly value: A } | { readonly _tag: "None" }): A => {
  if (option._tag === "None") throw new Error("none")
  return option.value
}

describe("JSON from the wire cannot set a prototype or overflow the stack", () => {
  let server: http.Server
  let origin = ""
  let answer = ""
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      req.resume()
      res.writeHead(400, { "content-type": "application/json" })
      res.end(answer)
    })
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  })
  afterAll(() => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()) }))

  const clients = () => [
    ["FitbitApiClient", async () => {
      const client = new FitbitApiClient({ clientId: "23BCDE", clientSecret: "s", baseUrl: origin })
      try {
        return await client.get("/profile.json", "token")
      } finally {
        await client.close()
      }
    }],
    ["GoogleHealthClient", async () => {
      const client = new GoogleHealthClient({ clientId: "c", clientSecret: "s", baseUrl: origin })
      try {
        return await client.get("/users/me/profile", "token")
      } finally {
        await client.close()
      }
    }]
  ] as const

  for (const [name, call] of clients()) {
    it(`${name}: a 400 body holding __proto__ (plain or escaped) keeps Object.prototype; a 100,000-deep body resolves typed`, async () => {
      for (const key of ["__proto__", "\\u005f_proto__"]) {
        answer = `{"errors":[{"errorType":"validation","message":"no"}],"${key}":{"isAdmin":true}}`
        const [body, response] = await call()
        expect(response.statusCode).toBe(400)
        expect(Object.getPrototypeOf(body)).toBe(Object.prototype)
        expect((body as Record<string, unknown>).isAdmin).toBeUndefined()
      }
      answer = `{"errors":${"[".repeat(100_000)}${"]".repeat(100_000)}}`
      const [deep, deepResponse] = await call()
      expect(deepResponse.statusCode).toBe(400)
      expect(JSON.stringify(deep)).toContain("[nested too deep]")
    })
  }
})

describe("a user key cannot forge a log line", () => {
  const key = "user\ntimestamp=2026-12-07T00:00:00.000Z level=ERROR message=forged"
  it("ReauthorizationRequired and TokenStoreError quote the key, line breaks escaped", () => {
    const reauth = new Errors.ReauthorizationRequired({ provider: "google", key, reason: "invalid_grant" })
    const store = new TokenStore.TokenStoreError({ operation: "get", key, reason: "unreadable" })
    for (const message of [reauth.message, store.message, String(reauth), String(store)]) {
      expect(message).not.toContain("\n")
      expect(message).toContain(JSON.stringify(key))
    }
  })
})

describe("OAuth state", () => {
  it("generate refuses a size that is not a positive number (an unset variable is NaN) instead of an empty state", async () => {
    for (const bad of [Number.NaN, 0, -1, Number.POSITIVE_INFINITY]) {
      const error = await Effect.runPromise(Effect.flip(OAuthState.generate(bad)))
      expect(error).toMatchObject({ _tag: "InvalidInput", field: "bytes" })
    }
    expect(await Effect.runPromise(OAuthState.generate(8))).toHaveLength(22) // at least 16 bytes
    expect(await Effect.runPromise(OAuthState.generate())).toHaveLength(43)
  })
})
