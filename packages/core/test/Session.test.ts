import { describe, expect, it } from "@effect/vitest"
import { HttpClient } from "@effect/platform"
import { Chunk, Clock, Deferred, Effect, Exit, Fiber, Layer, Option, Redacted, Scope, TestClock, TestServices } from "effect"
import { FitbitConfig, GoogleHealthConfig, OAuth, Session, TokenStore } from "@fitbit-effect/core"
import { MockHttpClient } from "@fitbit-effect/core/testing"
import { CLIENT_ID, CLIENT_SECRET, fitbitError, printed } from "./fixtures.js"

const provider = FitbitConfig.toOAuthProvider(
  Effect.runSync(FitbitConfig.make({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET }))
)

const OLD_ACCESS = "old-access-9f8e7d6c5b4a39281706f5e4d3c2b1a0"
const OLD_REFRESH = "old-refresh-0a1b2c3d4e5f60718293a4b5c6d7e8f9"
const newAccess = (n: number) => `new-access-${n}-5b4a39281706f5e4d3c2b1a09f8e7d6c`
const newRefresh = (n: number) => `new-refresh-${n}-60718293a4b5c6d7e8f90a1b2c3d4e5f`

const tokens = (access: string, refresh: string, expiresAt: number) =>
  new OAuth.TokenSet({
    accessToken: Redacted.make(access),
    refreshToken: Redacted.make(refresh),
    tokenType: "Bearer",
    scopes: ["activity"],
    userId: "ABC123",
    expiresIn: 28800,
    expiresAt
  })

/**
 * A token endpoint that rotates on every refresh and refuses a used refresh token, gated so a
 * test decides when the refresh answers.
 */
const tokenEndpoint = () => {
  let issued = 0
  let valid = OLD_REFRESH
  const mock = MockHttpClient.make((request) => {
    const form = MockHttpClient.formFields(request)
    if (form.refresh_token !== valid) {
      return { status: 400, body: fitbitError("invalid_grant", `Refresh token invalid: ${form.refresh_token}`) }
    }
    issued++
    valid = newRefresh(issued)
    return {
      status: 200,
      body: {
        access_token: newAccess(issued),
        refresh_token: valid,
        expires_in: 28800,
        scope: "activity",
        token_type: "Bearer",
        user_id: "ABC123"
      }
    }
  })
  return { mock, refreshes: () => mock.requests.length }
}

/** An `HttpClient` that signals `arrived` when a request reaches it, then waits for `gate` before passing it to `inner`. */
const arriving = (inner: HttpClient.HttpClient, arrived: Deferred.Deferred<void>, gate: Deferred.Deferred<void>) =>
  HttpClient.make((request) => Deferred.succeed(arrived, undefined).pipe(Effect.zipRight(Deferred.await(gate)), Effect.zipRight(inner.execute(request))))

/** Waits for `deferred` at most 5 s of real time; failing, names what did not happen. */
const awaitOr = (deferred: Deferred.Deferred<void>, what: string) =>
  TestServices.provideLive(Deferred.await(deferred).pipe(
    Effect.timeoutFail({ duration: "5 seconds", onTimeout: () => new Error(`${what}: not within 5 s`) }),
    Effect.orDie
  ))

/** Joins `fiber` within 5 s of real time; failing, names what did not happen. */
const joinOr = <A, E>(fiber: Fiber.Fiber<A, E>, what: string) =>
  TestServices.provideLive(Effect.flatMap(
    Fiber.await(fiber).pipe(Effect.timeoutFail({ duration: "5 seconds", onTimeout: () => new Error(`${what}: not within 5 s`) }), Effect.orDie),
    (exit) => exit
  ))

/** Waits until `done` holds, for at most 10,000 scheduler turns; failing, names what did not happen. */
const until = (done: Effect.Effect<boolean>, what: string) =>
  Effect.gen(function*() {
    for (let turn = 0; turn < 10_000; turn++) {
      if (yield* done) return
      yield* Effect.yieldNow()
    }
    return yield* Effect.die(new Error(`${what}: not within 10,000 scheduler turns`))
  })

/** A store that counts its reads and signals `written` on its first successful compare-and-set. */
const watchedStore = (inner: TokenStore.TokenStoreShape, written: Deferred.Deferred<void>) => {
  let reads = 0
  const store: TokenStore.TokenStoreShape = {
    ...inner,
    get: (key) => Effect.suspend(() => (reads++, inner.get(key))),
    compareAndSet: (key, expected, next) =>
      Effect.tap(inner.compareAndSet(key, expected, next), (wrote) => wrote ? Deferred.succeed(written, undefined) : Effect.void)
  }
  return { store, reads: () => reads }
}

const sessionLayer = (client: HttpClient.HttpClient, store: TokenStore.TokenStoreShape, options: Partial<Session.Options> = {}) =>
  Session.layer({ provider, ...options }).pipe(
    Layer.provide(Layer.succeed(TokenStore.TokenStore, store)),
    Layer.provide(Layer.succeed(HttpClient.HttpClient, client))
  )

const KEY = "ABC123"
const storeKey = `fitbit:${KEY}`

const seed = (store: TokenStore.TokenStoreShape, expiresAt: number) =>
  store.set(storeKey, TokenStore.initialGrant(tokens(OLD_ACCESS, OLD_REFRESH, expiresAt), 0))

const storedTokens = (store: TokenStore.TokenStoreShape) =>
  Effect.map(store.get(storeKey), (grant) => {
    const g = Option.getOrThrow(grant)
    return {
      access: Redacted.value(g.tokens.accessToken),
      refresh: Redacted.value(g.tokens.refreshToken!),
      status: g.status,
      revision: g.revision
    }
  })

describe("Session: single-flight refresh", () => {
  it.effect("1,000 concurrent callers with an expired token share one refresh, persisted before use", () =>
    Effect.gen(function*() {
      const endpoint = tokenEndpoint()
      const gate = yield* Deferred.make<void>()
      const arrived = yield* Deferred.make<void>()
      const inner = yield* TokenStore.makeMemory
      yield* seed(inner, 0) // expired long ago (TestClock starts at 0)
      const watched = watchedStore(inner, yield* Deferred.make<void>())
      const store = watched.store
      return yield* Effect.gen(function*() {
        const session = yield* Session.Session
        const fibers = yield* Effect.forEach(
          Array.from({ length: 1000 }, (_, i) => i),
          () =>
            Effect.fork(
              // Each caller checks the store right after receiving its token: persisted before handed out.
              Effect.flatMap(session.accessToken(KEY), (token) =>
                Effect.map(store.get(storeKey), (grant) => ({
                  token: Redacted.value(token),
                  stored: Redacted.value(Option.getOrThrow(grant).tokens.accessToken)
                })))
            )
        )
        // Every caller has read the expired grant, and the one refresh its own, before the token endpoint may answer.
        yield* awaitOr(arrived, "the refresh's request reaching the token endpoint")
        yield* until(Effect.sync(() => watched.reads() >= 1001), "1,000 callers and one refresh reading the grant")
        expect(watched.reads()).toBe(1001)
        for (const fiber of fibers) expect(Option.isNone(yield* Fiber.poll(fiber)), "a caller answered before the refresh").toBe(true)
        yield* Deferred.succeed(gate, undefined)
        const results = yield* joinOr(Fiber.all(fibers), "every caller answered after the refresh")
        expect(endpoint.refreshes()).toBe(1)
        expect(new Set(results.map((r) => r.token))).toEqual(new Set([newAccess(1)]))
        expect(results.every((r) => r.stored === r.token)).toBe(true)
        expect(yield* storedTokens(store)).toEqual({
          access: newAccess(1),
          refresh: newRefresh(1),
          status: "active",
          revision: 2
        })
      }).pipe(Effect.provide(sessionLayer(arriving(endpoint.mock.client, arrived, gate), store)))
    }))

  it.effect("proactive: refreshes within the skew, not before", () =>
    Effect.gen(function*() {
      const endpoint = tokenEndpoint()
      const store = yield* TokenStore.makeMemory
      yield* seed(store, 10 * 60_000) // expires at 10 minutes; skew 5 minutes
      return yield* Effect.gen(function*() {
        const session = yield* Session.Session
        expect(Redacted.value(yield* session.accessToken(KEY))).toBe(OLD_ACCESS)
        expect(endpoint.refreshes()).toBe(0)
        yield* TestClock.adjust("5 minutes")
        expect(Redacted.value(yield* session.accessToken(KEY))).toBe(newAccess(1))
        expect(endpoint.refreshes()).toBe(1)
      }).pipe(Effect.provide(sessionLayer(endpoint.mock.client, store)))
    }))

  it.effect("reactive: a call answered expired_token is repeated once with the refreshed token", () =>
    Effect.gen(function*() {
      const endpoint = tokenEndpoint()
      const store = yield* TokenStore.makeMemory
      yield* seed(store, Number.MAX_SAFE_INTEGER) // the local clock thinks it is valid; the server disagrees
      const seen: Array<string> = []
      return yield* Effect.gen(function*() {
        const session = yield* Session.Session
        const call = (token: Redacted.Redacted<string>) =>
          Effect.suspend(() => {
            seen.push(Redacted.value(token))
            return Redacted.value(token) === OLD_ACCESS
              ? Effect.fail({ _tag: "ExpiredToken" as const })
              : Effect.succeed("data")
          })
        const results = yield* Effect.all([session.withAccessToken(KEY, call), session.withAccessToken(KEY, call)], {
          concurrency: "unbounded"
        })
        expect(results).toEqual(["data", "data"])
        expect(endpoint.refreshes()).toBe(1)
        expect(seen.filter((t) => t === OLD_ACCESS)).toHaveLength(2)
        expect(seen.filter((t) => t === newAccess(1))).toHaveLength(2)
      }).pipe(Effect.provide(sessionLayer(endpoint.mock.client, store)))
    }))

  it.effect("a call that keeps failing expired_token is retried only once", () =>
    Effect.gen(function*() {
      const endpoint = tokenEndpoint()
      const store = yield* TokenStore.makeMemory
      yield* seed(store, Number.MAX_SAFE_INTEGER)
      let calls = 0
      return yield* Effect.gen(function*() {
        const session = yield* Session.Session
        const error = yield* Effect.flip(
          session.withAccessToken(KEY, () => Effect.suspend(() => (calls++, Effect.fail({ _tag: "ExpiredToken" as const }))))
        )
        expect(error._tag).toBe("ExpiredToken")
        expect(calls).toBe(2)
        expect(endpoint.refreshes()).toBe(1)
      }).pipe(Effect.provide(sessionLayer(endpoint.mock.client, store)))
    }))
})

describe("Session: failures keep the grant", () => {
  it.effect("invalid_grant marks the grant as needing consent and fails with ReauthorizationRequired", () =>
    Effect.gen(function*() {
      const mock = MockHttpClient.make(() => ({ status: 400, body: fitbitError("invalid_grant", `Refresh token invalid: ${OLD_REFRESH}`) }))
      const store = yield* TokenStore.makeMemory
      yield* seed(store, 0)
      return yield* Effect.gen(function*() {
        const session = yield* Session.Session
        const refusal = yield* Effect.fork(Effect.flip(session.accessToken(KEY)))
        // Without a lease another refresher may have used the token a moment earlier: its write is
        // awaited for the refusal grace (5 s by default) before the grant is marked.
        yield* TestClock.adjust("4 seconds")
        expect((yield* storedTokens(store)).status).toBe("active")
        yield* TestClock.adjust("1 second")
        const error = yield* Fiber.join(refusal)
        expect(error._tag).toBe("ReauthorizationRequired")
        expect(error).toMatchObject({ reason: "invalid_grant", key: KEY, provider: "fitbit" })
        expect(yield* storedTokens(store)).toEqual({
          access: OLD_ACCESS,
          refresh: OLD_REFRESH,
          status: "reauthorization_required",
          revision: 2
        })
        // Later calls fail at once, without asking the provider again.
        const again = yield* Effect.flip(session.accessToken(KEY))
        expect(again).toMatchObject({ _tag: "ReauthorizationRequired", reason: "marked" })
        expect(mock.requests).toHaveLength(1)
        expect(printed(error) + printed(again)).not.toContain(OLD_REFRESH)
        // A new consent replaces the marked grant.
        yield* session.save(KEY, tokens(newAccess(9), newRefresh(9), Number.MAX_SAFE_INTEGER))
        expect(Redacted.value(yield* session.accessToken(KEY))).toBe(newAccess(9))
      }).pipe(Effect.provide(sessionLayer(mock.client, store)))
    }))

  it.effect("a refusal 7 days or more after consent carries the provider's hint (Google: Testing mode); earlier, none; refreshes keep the consent time", () =>
    Effect.gen(function*() {
      const DAY = 24 * 60 * 60 * 1000
      const google = GoogleHealthConfig.toOAuthProvider(
        Effect.runSync(GoogleHealthConfig.make({ clientId: "123-app.apps.googleusercontent.com", clientSecret: CLIENT_SECRET }))
      )
      const refusalAfter = (days: number) =>
        Effect.gen(function*() {
          const { mock } = tokenEndpoint()
          const store = yield* TokenStore.makeMemory
          return yield* Effect.gen(function*() {
            const session = yield* Session.Session
            // Consent now (a save); a refresh one day later keeps the consent time.
            const consentAt = yield* Clock.currentTimeMillis
            yield* session.save(KEY, tokens(OLD_ACCESS, OLD_REFRESH, consentAt + DAY))
            yield* TestClock.adjust(DAY)
            yield* session.accessToken(KEY)
            const kept = Option.getOrThrow(yield* store.get(`google:${KEY}`))
            expect(kept).toMatchObject({ revision: 2, grantedAt: consentAt })
            // The provider now refuses every refresh token (revoked, or expired after 7 days).
            yield* TestClock.adjust((days - 1) * DAY)
            yield* store.set(`google:${KEY}`, new TokenStore.StoredGrant({ ...kept, tokens: tokens(OLD_ACCESS, "refused", 0) }))
            const refusal = yield* Effect.fork(Effect.flip(session.accessToken(KEY)))
            yield* TestClock.adjust("5 seconds")
            const error = yield* Fiber.join(refusal)
            expect(mock.requests.length).toBe(2)
            return error
          }).pipe(Effect.provide(sessionLayer(mock.client, store, { provider: google })))
        })
      const late = yield* refusalAfter(8)
      expect(late).toMatchObject({ _tag: "ReauthorizationRequired", reason: "invalid_grant", provider: "google" })
      expect(late.message).toContain("Testing mode")
      expect(late.message).toContain("8 days after consent")
      const early = yield* refusalAfter(2)
      expect(early).toMatchObject({ _tag: "ReauthorizationRequired", reason: "invalid_grant" })
      expect(early.message).not.toContain("Testing mode")
    }))

  it.effect("no grant stored: ReauthorizationRequired(no_grant), nothing sent", () =>
    Effect.gen(function*() {
      const mock = MockHttpClient.make(() => ({ status: 500 }))
      const store = yield* TokenStore.makeMemory
      const error = yield* Effect.flip(
        Effect.flatMap(Session.Session, (s) => s.accessToken("nobody")).pipe(Effect.provide(sessionLayer(mock.client, store)))
      )
      expect(error).toMatchObject({ _tag: "ReauthorizationRequired", reason: "no_grant" })
      expect(mock.requests).toHaveLength(0)
    }))

  it.effect("a store write failure keeps the old grant, fails typed, and the fresh pair is saved on the next call", () =>
    Effect.gen(function*() {
      const endpoint = tokenEndpoint()
      const inner = yield* TokenStore.makeMemory
      yield* seed(inner, 0)
      let broken = true
      let writes = 0
      const flaky: TokenStore.TokenStoreShape = {
        ...inner,
        compareAndSet: (key, expected, next) =>
          Effect.suspend(() => {
            writes++
            return broken
              ? Effect.fail(new TokenStore.TokenStoreError({ operation: "compareAndSet", key, reason: "disk full" }))
              : inner.compareAndSet(key, expected, next)
          })
      }
      return yield* Effect.gen(function*() {
        const session = yield* Session.Session
        const fiber = yield* Effect.fork(Effect.flip(session.accessToken(KEY)))
        yield* TestClock.adjust("1 second") // the default write retries wait 50 ms each
        const error = yield* Fiber.join(fiber)
        expect(error._tag).toBe("TokenStoreError")
        expect(writes).toBe(3)
        expect(endpoint.refreshes()).toBe(1)
        // The old grant is still there, untouched.
        expect(yield* storedTokens(inner)).toEqual({ access: OLD_ACCESS, refresh: OLD_REFRESH, status: "active", revision: 1 })
        expect(printed(error)).not.toContain(newRefresh(1))
        // The store recovers: the pair kept in memory is written, no second refresh (the old token is spent).
        broken = false
        expect(Redacted.value(yield* session.accessToken(KEY))).toBe(newAccess(1))
        expect(endpoint.refreshes()).toBe(1)
        expect(yield* storedTokens(inner)).toEqual({ access: newAccess(1), refresh: newRefresh(1), status: "active", revision: 2 })
      }).pipe(Effect.provide(sessionLayer(endpoint.mock.client, flaky)))
    }))

  it.effect("CAS conflict: another writer stored a grant during the refresh; its token is used", () =>
    Effect.gen(function*() {
      const endpoint = tokenEndpoint()
      const gate = yield* Deferred.make<void>()
      const arrived = yield* Deferred.make<void>()
      const store = yield* TokenStore.makeMemory
      yield* seed(store, 0)
      return yield* Effect.gen(function*() {
        const session = yield* Session.Session
        const fiber = yield* Effect.fork(session.accessToken(KEY))
        yield* awaitOr(arrived, "the refresh's request reaching the token endpoint")
        // Another process re-consented meanwhile.
        yield* store.set(storeKey, new TokenStore.StoredGrant({
          tokens: tokens(newAccess(77), newRefresh(77), Number.MAX_SAFE_INTEGER),
          status: "active",
          revision: 2,
          updatedAt: 0
        }))
        yield* Deferred.succeed(gate, undefined)
        expect(Redacted.value(yield* joinOr(fiber, "the refresh answered"))).toBe(newAccess(77))
        // The refresh was made, and lost its compare-and-set to the newer grant.
        expect(endpoint.refreshes()).toBe(1)
        expect(yield* storedTokens(store)).toMatchObject({ access: newAccess(77), revision: 2 })
      }).pipe(Effect.provide(sessionLayer(arriving(endpoint.mock.client, arrived, gate), store)))
    }))

  it.effect("invalid_grant after another process already rotated: the stored pair is used, not marked", () =>
    Effect.gen(function*() {
      const store = yield* TokenStore.makeMemory
      yield* seed(store, 0)
      const mock = MockHttpClient.make(() => {
        // The other process wins the race and writes first.
        Effect.runSync(store.set(storeKey, new TokenStore.StoredGrant({
          tokens: tokens(newAccess(5), newRefresh(5), Number.MAX_SAFE_INTEGER),
          status: "active",
          revision: 2,
          updatedAt: 0
        })))
        return { status: 400, body: fitbitError("invalid_grant", "Refresh token invalid") }
      })
      return yield* Effect.gen(function*() {
        const session = yield* Session.Session
        expect(Redacted.value(yield* session.accessToken(KEY))).toBe(newAccess(5))
        expect((yield* storedTokens(store)).status).toBe("active")
      }).pipe(Effect.provide(sessionLayer(mock.client, store)))
    }))

  it.effect("an interrupted caller does not cut the refresh short: the rotated pair is still saved", () =>
    Effect.gen(function*() {
      const endpoint = tokenEndpoint()
      const gate = yield* Deferred.make<void>()
      const arrived = yield* Deferred.make<void>()
      const written = yield* Deferred.make<void>()
      const inner = yield* TokenStore.makeMemory
      yield* seed(inner, 0)
      const { store } = watchedStore(inner, written)
      return yield* Effect.gen(function*() {
        const session = yield* Session.Session
        const fiber = yield* Effect.fork(session.accessToken(KEY))
        yield* awaitOr(arrived, "the refresh's request reaching the token endpoint")
        const interrupted = yield* Fiber.interrupt(fiber)
        expect(Exit.isInterrupted(interrupted)).toBe(true)
        yield* Deferred.succeed(gate, undefined)
        // With no caller left, the refresh goes on and stores the pair the provider rotated.
        yield* awaitOr(written, "the interrupted caller's refresh storing its pair")
        expect(endpoint.refreshes()).toBe(1)
        expect(yield* storedTokens(inner)).toEqual({ access: newAccess(1), refresh: newRefresh(1), status: "active", revision: 2 })
        // The next caller takes the stored pair: no second refresh.
        expect(Redacted.value(yield* session.accessToken(KEY))).toBe(newAccess(1))
        expect(endpoint.refreshes()).toBe(1)
      }).pipe(Effect.provide(sessionLayer(arriving(endpoint.mock.client, arrived, gate), store)))
    }))
})

describe("Session: the refresh skew never exceeds half a token's lifetime", () => {
  /** A token endpoint that issues `lifetime`-second tokens and counts refreshes. */
  const shortLived = (lifetime: number) => {
    let issued = 0
    const mock = MockHttpClient.make(() => {
      issued++
      return {
        status: 200,
        body: { access_token: newAccess(issued), refresh_token: newRefresh(issued), expires_in: lifetime, token_type: "Bearer", scope: "activity" }
      }
    })
    return { mock, refreshes: () => issued }
  }
  const seedLifetime = (store: TokenStore.TokenStoreShape, lifetime: number) =>
    store.set(storeKey, TokenStore.initialGrant(new OAuth.TokenSet({ ...tokens(OLD_ACCESS, OLD_REFRESH, lifetime * 1000), expiresIn: lifetime }), 0))

  it.effect("60-second tokens under the default 5-minute skew: 10 calls over a minute refresh once", () =>
    Effect.gen(function*() {
      const endpoint = shortLived(60)
      const store = yield* TokenStore.makeMemory
      yield* seedLifetime(store, 60)
      yield* Effect.gen(function*() {
        const session = yield* Session.Session
        for (let call = 0; call < 10; call++) {
          yield* session.accessToken(KEY)
          yield* TestClock.adjust("6 seconds")
        }
      }).pipe(Effect.provide(sessionLayer(endpoint.mock.client, store)))
      // Refreshed at 30 s (half of 60), and that token lasts past the last call at 54 s.
      expect(endpoint.refreshes()).toBe(1)
    }))

  it.effect("10 calls at once on a fresh 60-second token send no refresh; the configured skew still applies to long tokens", () =>
    Effect.gen(function*() {
      const endpoint = shortLived(28800)
      const store = yield* TokenStore.makeMemory
      yield* seedLifetime(store, 60)
      yield* Effect.gen(function*() {
        const session = yield* Session.Session
        yield* Effect.all(Array.from({ length: 10 }, () => session.accessToken(KEY)), { concurrency: "unbounded" })
        expect(endpoint.refreshes()).toBe(0)
      }).pipe(Effect.provide(sessionLayer(endpoint.mock.client, store)))
      expect(Session.skewFor(new OAuth.TokenSet({ ...tokens(OLD_ACCESS, OLD_REFRESH, 0), expiresIn: 28800 }), 300_000)).toBe(300_000)
      expect(Session.skewFor(new OAuth.TokenSet({ ...tokens(OLD_ACCESS, OLD_REFRESH, 0), expiresIn: 60 }), 300_000)).toBe(30_000)
    }))
})

describe("Session: closing its scope", () => {
  /** A session in a scope of its own, closed by the test. */
  const open = (client: HttpClient.HttpClient, store: TokenStore.TokenStoreShape, options: Partial<Session.Options> = {}) =>
    Effect.gen(function*() {
      const scope = yield* Scope.make()
      const session = yield* Session.make({ provider, ...options }).pipe(
        Scope.extend(scope),
        Effect.provideService(TokenStore.TokenStore, store),
        Effect.provideService(HttpClient.HttpClient, client)
      )
      return { scope, session }
    })

  /**
   * Starts closing `scope` and waits until the closing waits for refreshes in flight (its timer
   * of `closeWait` is set). A daemon: a test that fails leaves it, rather than waiting on it.
   */
  const startClosing = (scope: Scope.CloseableScope, closeWaitMillis: number) =>
    Effect.gen(function*() {
      const deadline = (yield* Clock.currentTimeMillis) + closeWaitMillis
      const closing = yield* Effect.forkDaemon(Scope.close(scope, Exit.void))
      yield* until(Effect.map(TestClock.sleeps(), (sleeps) => Chunk.some(sleeps, (at) => at === deadline)), "the closing session waiting for its refreshes")
      return closing
    })

  const afterClose = (session: Session.SessionShape) =>
    Effect.gen(function*() {
      const calls: ReadonlyArray<Effect.Effect<unknown, Session.SessionFailure>> = [
        session.accessToken(KEY),
        session.refresh(KEY),
        session.withAccessToken(KEY, () => Effect.succeed("called"))
      ]
      for (const call of calls) {
        expect(yield* Effect.flip(call)).toMatchObject({ _tag: "ClientClosed", when: "after_close" })
      }
    })

  it.effect("waits for a refresh in flight: it reaches the store and its waiter gets the token; calls made once closing began fail after_close", () =>
    Effect.gen(function*() {
      const endpoint = tokenEndpoint()
      const gate = yield* Deferred.make<void>()
      const arrived = yield* Deferred.make<void>()
      const store = yield* TokenStore.makeMemory
      yield* seed(store, 0)
      const { scope, session } = yield* open(arriving(endpoint.mock.client, arrived, gate), store, { closeWait: "2 seconds" })
      const caller = yield* Effect.fork(session.accessToken(KEY))
      yield* awaitOr(arrived, "the refresh's request reaching the token endpoint")

      const closing = yield* startClosing(scope, 2000)
      yield* TestClock.adjust("1 second")
      expect(Option.isNone(yield* Fiber.poll(closing)), "the scope closed without waiting for the refresh in flight").toBe(true)
      yield* afterClose(session)
      expect(endpoint.refreshes()).toBe(0)

      yield* Deferred.succeed(gate, undefined)
      yield* joinOr(closing, "the scope closing once the refresh landed")
      expect(Redacted.value(yield* joinOr(caller, "the waiter answered"))).toBe(newAccess(1))
      expect(endpoint.refreshes()).toBe(1)
      expect(yield* storedTokens(store)).toEqual({ access: newAccess(1), refresh: newRefresh(1), status: "active", revision: 2 })
      yield* afterClose(session)
    }))

  it.effect("a refresh still in flight after closeWait is cut short: its waiters fail ClientClosed pending_at_close, the stored grant is untouched, later calls fail after_close", () =>
    Effect.gen(function*() {
      const endpoint = tokenEndpoint()
      const gate = yield* Deferred.make<void>() // never opened: the token endpoint never answers
      const arrived = yield* Deferred.make<void>()
      const store = yield* TokenStore.makeMemory
      yield* seed(store, 0)
      const { scope, session } = yield* open(arriving(endpoint.mock.client, arrived, gate), store, { closeWait: "2 seconds" })
      const waiters = yield* Effect.forEach([1, 2, 3], () => Effect.fork(Effect.flip(session.accessToken(KEY))))
      yield* awaitOr(arrived, "the refresh's request reaching the token endpoint")

      const closing = yield* startClosing(scope, 2000)
      yield* TestClock.adjust("1999 millis")
      expect(Option.isNone(yield* Fiber.poll(closing)), "the scope closed before closeWait").toBe(true)
      for (const waiter of waiters) expect(Option.isNone(yield* Fiber.poll(waiter)), "a waiter failed before closeWait").toBe(true)
      yield* TestClock.adjust("1 millis")
      yield* joinOr(closing, "the scope closing at closeWait")
      for (const waiter of waiters) {
        expect(yield* joinOr(waiter, "a waiter failing at closeWait")).toMatchObject({ _tag: "ClientClosed", when: "pending_at_close" })
      }
      expect(endpoint.refreshes()).toBe(0)
      expect(yield* storedTokens(store)).toEqual({ access: OLD_ACCESS, refresh: OLD_REFRESH, status: "active", revision: 1 })
      yield* afterClose(session)
    }))

  it.effect("with nothing in flight, closing is immediate", () =>
    Effect.gen(function*() {
      const endpoint = tokenEndpoint()
      const store = yield* TokenStore.makeMemory
      yield* seed(store, Number.MAX_SAFE_INTEGER)
      const { scope, session } = yield* open(endpoint.mock.client, store, { closeWait: "2 seconds" })
      expect(Redacted.value(yield* session.accessToken(KEY))).toBe(OLD_ACCESS)
      const closing = yield* Effect.fork(Scope.close(scope, Exit.void))
      yield* joinOr(closing, "the scope closing with no refresh in flight")
      yield* afterClose(session)
    }))
})
