/**
 * Sessions, retries, timeouts and rate limits against the emulator's faults (no mocks): a real
 * HTTP server on 127.0.0.1, the undici client, the emulator's own counters as the witness.
 * Every error and log line the suite produces is collected and checked, at the end, for every
 * token the emulator issued.
 */
import { afterAll, describe, expect, it } from "@effect/vitest"
import { Duration, Effect, Either, Layer, Logger, LogLevel, Option, Redacted, Schema, Tracer } from "effect"
import {
  FitbitConfig,
  FitbitHttp,
  FitbitSession,
  HttpExchange,
  RetryPolicy,
  Session,
  TokenStore
} from "@fitbit-effect/core"
import { Emulator, type EmulatorHandle } from "@fitbit-effect/emulator"
import { NodeFitbit } from "@fitbit-effect/node"
import { grantOf } from "./fixtures/grants.js"

/** Every token the emulator issued in this suite. */
const issued = new Set<string>()
/** Everything printed about failures and every log line. */
const output: Array<string> = []

const record = (value: unknown) => {
  output.push(String(value), JSON.stringify(value) ?? "")
  if (value instanceof Error) output.push(value.message, value.stack ?? "")
}

const captureLogger = Logger.make(({ message, annotations, cause }) => {
  output.push(JSON.stringify(message), JSON.stringify([...annotations]), String(cause))
})

/** A tracer that keeps every span's name and attributes in the output. */
const captureTracer = Tracer.make({
  span: (name, parent, context, links, startTime, kind) => {
    const attributes = new Map<string, unknown>()
    return {
      _tag: "Span",
      name,
      spanId: String(Math.random()),
      traceId: "t",
      parent,
      context,
      status: { _tag: "Started", startTime },
      attributes,
      links,
      sampled: true,
      kind,
      end: () => void output.push(name, JSON.stringify([...attributes])),
      attribute: (key, value) => void attributes.set(key, value),
      event: (eventName, _time, eventAttributes) => void output.push(eventName, JSON.stringify(eventAttributes ?? {})),
      addLinks: () => {}
    } satisfies Tracer.Span
  },
  context: (f) => f()
})

/** A store that remembers every token it is asked to keep, and can be made to fail writes. */
const recordingStore = Effect.map(TokenStore.makeMemory, (inner) => {
  const control = { failWrites: false, writes: 0 }
  const remember = (grant: TokenStore.StoredGrant) => {
    issued.add(Redacted.value(grant.tokens.accessToken))
    if (grant.tokens.refreshToken) issued.add(Redacted.value(grant.tokens.refreshToken))
  }
  const store: TokenStore.TokenStoreShape = {
    ...inner,
    set: (key, grant) => Effect.zipRight(Effect.sync(() => remember(grant)), inner.set(key, grant)),
    compareAndSet: (key, expected, next) =>
      Effect.suspend(() => {
        remember(next)
        control.writes++
        return control.failWrites
          ? Effect.fail(new TokenStore.TokenStoreError({ operation: "compareAndSet", key, reason: "injected: disk full" }))
          : inner.compareAndSet(key, expected, next)
      })
  }
  return { store, control }
})

interface Setup {
  readonly emulator: EmulatorHandle
  readonly store: TokenStore.TokenStoreShape
  readonly control: { failWrites: boolean; writes: number }
  readonly key: string
  readonly userId: string
  readonly layer: Layer.Layer<FitbitSession.FitbitSession | FitbitHttp.FitbitHttp>
}

const setup = (options: { retry?: RetryPolicy.Options; timeout?: Duration.DurationInput; expiresAt?: number } = {}) =>
  Effect.gen(function*() {
    const emulator = yield* Emulator.start()
    emulator.setRateLimit(1_000_000)
    const minted = emulator.grantTokens()
    issued.add(minted.accessToken).add(minted.refreshToken)
    const { store, control } = yield* recordingStore
    const key = minted.userId
    yield* store.set(
      `fitbit:${key}`,
      grantOf(minted, options.expiresAt ?? minted.expiresAt)
    )
    const config = FitbitConfig.layer({
      clientId: emulator.defaultApp.clientId,
      clientSecret: emulator.defaultApp.clientSecret,
      baseUrl: emulator.baseUrl,
      timeout: options.timeout ?? "10 seconds"
    })
    const services = NodeFitbit.layerWith(
      Layer.merge(config, RetryPolicy.layer({ baseDelay: "20 millis", ...options.retry }))
    )
    const layer = FitbitSession.layer().pipe(
      Layer.provideMerge(Layer.merge(services, Layer.succeed(TokenStore.TokenStore, store))),
      Layer.orDie
    )
    emulator.resetCounters()
    return { emulator, store, control, key, userId: minted.userId, layer } satisfies Setup
  })

/** Runs a program against a fresh emulator and session, logging into the capture. */
const withSetup = <A, E>(
  program: (s: Setup) => Effect.Effect<A, E, FitbitSession.FitbitSession | FitbitHttp.FitbitHttp>,
  options?: Parameters<typeof setup>[0]
) =>
  Effect.scoped(
    Effect.flatMap(setup(options), (s) => Effect.provide(program(s), s.layer))
  ).pipe(
    Effect.tapError((e) => Effect.sync(() => record(e))),
    Effect.withTracer(captureTracer),
    Effect.provide(Logger.replace(Logger.defaultLogger, captureLogger)),
    Logger.withMinimumLogLevel(LogLevel.Debug)
  )

/** Fails the test if the effect fails; records the failure of `flip`ped effects. */
const failureOf = <A, E, R>(self: Effect.Effect<A, E, R>) =>
  Effect.flatMap(Effect.either(self), (result) => {
    if (Either.isRight(result)) return Effect.die(new Error("expected a failure"))
    record(result.left)
    return Effect.succeed(result.left)
  })

const storedRevision = (s: Setup) =>
  Effect.map(s.store.get(`fitbit:${s.key}`), (g) => {
    const grant = Option.getOrThrow(g)
    return { revision: grant.revision, status: grant.status, refresh: Redacted.value(grant.tokens.refreshToken!) }
  })

const path = (s: Setup, method: string, resource: string) =>
  s.emulator.counters().requestsByPath[`${method} /1/user/-${resource}`] ?? 0

describe("sessions against the emulator", () => {
  it.live("1,000 concurrent calls holding an expired token: exactly 1 refresh, 0 failed calls", () =>
    withSetup((s) =>
      Effect.gen(function*() {
        // Expired for the emulator, and known to be expired by the session (its expiry has passed).
        s.emulator.expireAccessTokens()
        const before = yield* storedRevision(s)
        const results = yield* Effect.all(
          Array.from({ length: 1000 }, () => Effect.either(FitbitSession.get(s.key, "/profile.json"))),
          { concurrency: "unbounded" }
        )
        const failed = results.filter(Either.isLeft)
        failed.forEach((f) => record(f.left))
        expect(failed.map((f) => f.left._tag)).toEqual([])
        expect(results.every((r) => Either.isRight(r) && r.right.status === 200)).toBe(true)
        const counters = s.emulator.counters()
        expect(counters.refreshesByUser[s.userId]).toBe(1)
        expect(counters.tokenRequests).toBe(1)
        expect(path(s, "GET", "/profile.json")).toBe(1000)
        const after = yield* storedRevision(s)
        expect(after.revision).toBe(before.revision + 1)
        expect(after.refresh).not.toBe(before.refresh)
      }), { expiresAt: 0, timeout: "120 seconds" }), 240_000)

  it.live("200 concurrent calls whose token the API rejects as expired: 1 refresh, each call repeated once", () =>
    withSetup((s) =>
      Effect.gen(function*() {
        // The session believes the token valid; the emulator answers 401 expired_token.
        s.emulator.expireAccessTokens()
        const results = yield* Effect.all(
          Array.from({ length: 200 }, () => Effect.either(FitbitSession.get(s.key, "/profile.json"))),
          { concurrency: "unbounded" }
        )
        const failed = results.filter(Either.isLeft)
        failed.forEach((f) => record(f.left))
        expect(failed.map((f) => f.left._tag)).toEqual([])
        expect(s.emulator.counters().refreshesByUser[s.userId]).toBe(1)
        expect(s.emulator.counters().tokenRequests).toBe(1)
        expect(path(s, "GET", "/profile.json")).toBe(400)
      }), { timeout: "120 seconds" }), 240_000)

  it.live("proactive refresh: a token the session sees expiring is refreshed once before the calls", () =>
    withSetup((s) =>
      Effect.gen(function*() {
        yield* Effect.all(Array.from({ length: 100 }, () => FitbitSession.get(s.key, "/profile.json")), {
          concurrency: "unbounded"
        })
        const counters = s.emulator.counters()
        expect(counters.refreshesByUser[s.userId]).toBe(1)
        expect(path(s, "GET", "/profile.json")).toBe(100)
      }), { expiresAt: 0 }))

  it.live("a store write failure during refresh: the old grant is not lost, callers fail typed, the next call saves the fresh pair", () =>
    withSetup((s) =>
      Effect.gen(function*() {
        s.emulator.expireAccessTokens()
        const before = yield* storedRevision(s)
        s.control.failWrites = true
        const errors = yield* Effect.all(
          Array.from({ length: 20 }, () => failureOf(FitbitSession.get(s.key, "/profile.json"))),
          { concurrency: "unbounded" }
        )
        expect(new Set(errors.map((e) => e._tag))).toEqual(new Set(["TokenStoreError"]))
        expect(s.emulator.counters().refreshesByUser[s.userId]).toBe(1)
        expect(yield* storedRevision(s)).toEqual(before)
        s.control.failWrites = false
        const response = yield* FitbitSession.get(s.key, "/profile.json")
        expect(response.status).toBe(200)
        expect(s.emulator.counters().refreshesByUser[s.userId]).toBe(1)
        const after = yield* storedRevision(s)
        expect(after.revision).toBe(before.revision + 1)
        expect(after.refresh).not.toBe(before.refresh)
      })))

  it.live("revoked grant: ReauthorizationRequired, the stored grant is marked, not deleted", () =>
    withSetup((s) =>
      Effect.gen(function*() {
        s.emulator.revokeGrant()
        const error = yield* failureOf(FitbitSession.get(s.key, "/profile.json"))
        expect(error).toMatchObject({ _tag: "ReauthorizationRequired", reason: "invalid_grant" })
        expect((yield* storedRevision(s)).status).toBe("reauthorization_required")
        const again = yield* failureOf(FitbitSession.get(s.key, "/profile.json"))
        expect(again).toMatchObject({ _tag: "ReauthorizationRequired", reason: "marked" })
        expect(s.emulator.counters().tokenRequests).toBe(1)
      })))
})

describe("retries against the emulator's faults", () => {
  for (const kind of ["status500", "status503", "html502", "status429", "reset"] as const) {
    it.live(`GET meeting ${kind} twice is retried and succeeds`, () =>
      withSetup((s) =>
        Effect.gen(function*() {
          s.emulator.injectFault({ kind, count: 2, retryAfterSeconds: 1, match: { method: "GET", pathPrefix: "/1/user" } })
          const response = yield* FitbitSession.get(s.key, "/profile.json")
          expect(response.status).toBe(200)
          expect(path(s, "GET", "/profile.json")).toBe(3)
        })))
  }

  for (const kind of ["status500", "status503", "html502", "status429", "reset"] as const) {
    it.live(`POST meeting ${kind} is attempted exactly once`, () =>
      withSetup((s) =>
        Effect.gen(function*() {
          s.emulator.injectFault({ kind, count: 1, retryAfterSeconds: 1, match: { method: "POST" } })
          const error = yield* failureOf(
            FitbitSession.post(s.key, "/foods/log/water.json", { amount: "250", date: "2026-11-25", unit: "ml" })
          )
          expect(error._tag).toBe(
            kind === "reset" ? "TransportError" : kind === "status429" ? "RateLimited" : "ServerError"
          )
          expect(path(s, "POST", "/foods/log/water.json")).toBe(1)
          expect(s.emulator.counters().writes).toBe(0)
        })))
  }

  it.live("a POST that opts in with idempotent: true is retried after a 5xx and written once", () =>
    withSetup((s) =>
      Effect.gen(function*() {
        s.emulator.injectFault({ kind: "status503", count: 1, match: { method: "POST" } })
        const response = yield* FitbitSession.post(
          s.key,
          "/foods/log/water.json",
          { amount: "250", date: "2026-11-25", unit: "ml" },
          { idempotent: true }
        )
        expect(response.status).toBeLessThan(300)
        expect(path(s, "POST", "/foods/log/water.json")).toBe(2)
        expect(s.emulator.counters().writes).toBe(1)
      })))

  it.live("a POST that succeeds is written exactly once", () =>
    withSetup((s) =>
      Effect.gen(function*() {
        yield* FitbitSession.post(s.key, "/foods/log/water.json", { amount: "250", date: "2026-11-25", unit: "ml" })
        expect(s.emulator.counters().writes).toBe(1)
      })))

  it.live("retries are bounded: a GET that always meets 503 fails with ServerError after 1 + maxRetries attempts", () =>
    withSetup((s) =>
      Effect.gen(function*() {
        s.emulator.injectFault({ kind: "status503", count: 100, match: { method: "GET" } })
        const error = yield* failureOf(FitbitSession.get(s.key, "/profile.json"))
        expect(error).toMatchObject({ _tag: "ServerError", status: 503 })
        expect(path(s, "GET", "/profile.json")).toBe(3)
      }), { retry: { maxRetries: 2 } }))

  it.live("a slow answer fails with TimeoutError; a GET is retried and then answered", () =>
    withSetup((s) =>
      Effect.gen(function*() {
        s.emulator.injectFault({ kind: "delay", count: 1, delayMillis: 6000, match: { method: "GET" } })
        const response = yield* FitbitSession.get(s.key, "/profile.json")
        expect(response.status).toBe(200)
        s.emulator.injectFault({ kind: "delay", count: 1, delayMillis: 6000, match: { method: "POST" } })
        const error = yield* failureOf(
          FitbitSession.post(s.key, "/foods/log/water.json", { amount: "250", date: "2026-11-25", unit: "ml" })
        )
        expect(error).toMatchObject({ _tag: "TimeoutError", timeoutMillis: 1500 })
        expect(path(s, "POST", "/foods/log/water.json")).toBe(1)
      }), { timeout: "1500 millis" }))

  it.live("malformed JSON on a 200: the body is kept as text, and decoding it fails with DecodeError", () =>
    withSetup((s) =>
      Effect.gen(function*() {
        s.emulator.injectFault({ kind: "malformedJson", count: 1, match: { method: "GET" } })
        const response = yield* FitbitSession.get(s.key, "/profile.json")
        expect(typeof response.body).toBe("string")
        const error = yield* failureOf(
          HttpExchange.decodeBody(Schema.Struct({ user: Schema.Struct({ encodedId: Schema.String }) }))(response)
        )
        expect(error._tag).toBe("DecodeError")
        expect(path(s, "GET", "/profile.json")).toBe(1)
      })))

  it.live("an HTML 502 with retries off is a ServerError with status 502 and no HTML in the message", () =>
    withSetup((s) =>
      Effect.gen(function*() {
        s.emulator.injectFault({ kind: "html502", count: 1 })
        const error = yield* failureOf(FitbitSession.get(s.key, "/profile.json"))
        expect(error).toMatchObject({ _tag: "ServerError", status: 502 })
        expect(error.message).not.toContain("<")
      }), { retry: { maxRetries: 0 } }))

  it.live("rate limit: the budget is tracked per user and a spent budget fails fast, unsent", () =>
    withSetup((s) =>
      Effect.gen(function*() {
        s.emulator.setRateLimit(3)
        const session = yield* FitbitSession.FitbitSession
        for (let i = 0; i < 3; i++) yield* FitbitSession.get(s.key, "/profile.json")
        const state = Option.getOrThrow(yield* session.rateLimit(s.key))
        expect([state.limit, state.remaining]).toEqual([3, 0])
        const error = yield* failureOf(FitbitSession.get(s.key, "/profile.json"))
        expect(error._tag).toBe("RateLimited")
        expect((error as { retryAfterSeconds?: number }).retryAfterSeconds).toBeGreaterThan(0)
        expect(path(s, "GET", "/profile.json")).toBe(3)
      })))
})

describe("Session is generic over the provider", () => {
  it.live("a Session over the emulator's OAuthProvider wraps any call with a token", () =>
    withSetup((s) =>
      Effect.gen(function*() {
        const session = (yield* FitbitSession.FitbitSession).session
        s.emulator.expireAccessTokens()
        const http = yield* FitbitHttp.FitbitHttp
        const response = yield* session.withAccessToken(s.key, (accessToken) =>
          http.request({ method: "GET", path: "/profile.json", accessToken }))
        expect(response.status).toBe(200)
        expect(s.emulator.counters().refreshesByUser[s.userId]).toBe(1)
        expect(Session.refreshesOn({ _tag: "ExpiredToken" })).toBe(true)
      })))
})

afterAll(() => {
  // The secret grep: no token the emulator issued appears in any error or log line of the suite.
  expect(issued.size).toBeGreaterThan(0)
  expect(output.length).toBeGreaterThan(0)
  const all = output.join("\n")
  // The capture saw spans of both our calls and the HttpClient, with their attributes.
  expect(all).toContain("fitbit.attempts")
  expect(all).toContain("http.request.header.authorization")
  const leaked = [...issued].filter((token) => all.includes(token))
  expect(leaked).toEqual([])
})
