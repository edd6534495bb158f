// The SQL token store on real databases: SQLite (a temp file) and PostgreSQL (PG_URL, or a
// throwaway server started by scripts/pg-test-server.sh). For each: the migrations, compare-and-
// set and leases; then OS processes sharing the store against the emulator, counting refreshes
// on its counters: 4 processes × 250 concurrent calls with an expired grant → 1 refresh; a
// process killed (SIGKILL) while holding the lease → another takes over once it expires; the
// same for a Google Health grant; the Promise client's store option; a rate-limit budget shared
// by two instances. On Postgres, the database cut off during a store call and during a session's
// refresh → a typed TokenStoreError and the grant intact.
import { FitbitConfig, FitbitSession, OAuth, RateLimit, RateLimitPolicy, RetryPolicy, TokenStore } from "@fitbit-effect/core"
import { NodeFitbit } from "@fitbit-effect/node"
import { SqlTokenStore } from "@fitbit-effect/core/sql"
import { Emulator, Google } from "@fitbit-effect/emulator"
import { FitbitSessionClient } from "@fitbit-effect/node"
import * as Sql from "@fitbit-effect/node/sql"
import * as SqlClient from "@effect/sql/SqlClient"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Schedule from "effect/Schedule"
import { execFile, execFileSync, spawn } from "node:child_process"
import { mkdtempSync, rmSync } from "node:fs"
import * as net from "node:net"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { promisify } from "node:util"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { grantOf } from "./fixtures/grants.js"

const root = fileURLToPath(new URL("..", import.meta.url))
const worker = join(root, "test", "fixtures", "sql-worker.mjs")
const pgScript = join(root, "scripts", "pg-test-server.sh")

/** PG_URL, or a server this test starts; undefined when neither is possible (never in CI). */
const pg = (() => {
  if (process.env.PG_URL !== undefined && process.env.PG_URL !== "") return { url: process.env.PG_URL, dir: undefined }
  const dir = mkdtempSync(join(tmpdir(), "fe-pg-"))
  try {
    const port = 20_000 + Math.floor(Math.random() * 20_000)
    const url = execFileSync(pgScript, ["start", dir, String(port)], { encoding: "utf8", timeout: 60_000 }).trim()
    return { url, dir }
  } catch (error) {
    rmSync(dir, { recursive: true, force: true })
    if (process.env.CI === "true") throw new Error(`CI must run the Postgres tests, and no server could be started: ${String(error)}`)
    console.warn(`Postgres store tests skipped: PG_URL is unset and no server could be started (${String(error).split("\n")[0]})`)
    return undefined
  }
})()

afterAll(() => {
  if (pg?.dir !== undefined) execFileSync(pgScript, ["stop", pg.dir])
})

let serial = 0
/** A fresh user id as the emulator takes them (8 characters of 0-9 A-Z) beginning with `prefix`: never shorter, whatever the clock reads. */
const freshUserId = (prefix: string): string => {
  const tail = (Date.now() * 100 + (serial++ % 100)).toString(36).toUpperCase()
  return prefix.toUpperCase() + tail.slice(-(8 - prefix.length))
}

const sqliteDir = mkdtempSync(join(tmpdir(), "fe-sqlite-"))
afterAll(() => rmSync(sqliteDir, { recursive: true, force: true }))

const STORES: Array<{ readonly name: string; readonly option: Sql.StoreOption }> = [
  { name: "SQLite", option: { sqlite: join(sqliteDir, "tokens.db") } },
  ...(pg === undefined ? [] : [{ name: "Postgres", option: { postgres: pg.url, maxConnections: 10 } }])
]

/** Runs a program with the store (and its SqlClient) built, in this process. */
const withStore = <A>(option: Sql.StoreOption, f: (store: TokenStore.TokenStoreShape) => Effect.Effect<A, unknown>) =>
  Effect.runPromise(Effect.scoped(Effect.gen(function*() {
    const context = yield* Layer.build(Sql.layer(option))
    return yield* f(context.unsafeMap.get(TokenStore.TokenStore.key) as TokenStore.TokenStoreShape)
  })))


type Emu = Awaited<ReturnType<typeof Emulator.startEmulator>>
let emu: Emu
beforeAll(async () => {
  emu = await Emulator.startEmulator({ rateLimitPerHour: 1_000_000, googleQuota: { perUserPerMinute: 1_000_000 } })
})
afterAll(() => emu.close())

const workerEnv = (option: Sql.StoreOption, extra: Record<string, string>) => ({
  ...process.env,
  STORE: JSON.stringify(option),
  BASE_URL: emu.baseUrl,
  CLIENT_ID: emu.defaultApp.clientId,
  CLIENT_SECRET: emu.defaultApp.clientSecret,
  ...extra
})

const runWorker = async (option: Sql.StoreOption, extra: Record<string, string>) => {
  const { stdout } = await promisify(execFile)(process.execPath, [worker], { cwd: join(root, "test"), env: workerEnv(option, extra), timeout: 90_000 })
  return JSON.parse(stdout.trim().split("\n").pop()!) as { ok: number; failed: Array<string> }
}

for (const { name, option } of STORES) {
  describe(`${name} token store`, () => {
    it("runs its migrations idempotently, concurrently", async () => {
      const count = await Effect.runPromise(Effect.scoped(Effect.gen(function*() {
        yield* Effect.all([SqlTokenStore.migrate, SqlTokenStore.migrate, SqlTokenStore.migrate], { concurrency: "unbounded" })
        const sql = yield* SqlClient.SqlClient
        const rows = yield* sql<{ n: number | string }>`SELECT COUNT(*) AS n FROM ${sql(SqlTokenStore.MIGRATIONS_TABLE)}`
        return Number(rows[0]!.n)
      }).pipe(Effect.provide(Sql.sqlClient(option)))))
      expect(count).toBe(Object.keys(SqlTokenStore.migrations).length)
    })

    it("compare-and-set: one writer per revision; a stale revision or an existing key writes nothing", async () => {
      const key = `cas-${name}-${Date.now()}`
      const minted = emu.grantTokens()
      const first = grantOf(minted, Date.now() + 3_600_000)
      await withStore(option, (store) =>
        Effect.gen(function*() {
          expect(yield* store.compareAndSet(key, Option.none(), first)).toBe(true)
          expect(yield* store.compareAndSet(key, Option.none(), first)).toBe(false)
          const second = first.next(first.tokens, 1)
          const results = yield* Effect.all(Array.from({ length: 8 }, () => store.compareAndSet(key, Option.some(first.revision), second)), { concurrency: "unbounded" })
          expect(results.filter(Boolean)).toHaveLength(1)
          const stored = Option.getOrThrow(yield* store.get(key))
          expect(stored.revision).toBe(second.revision)
          expect(Redacted.value(stored.tokens.refreshToken!)).toBe(minted.refreshToken)
          yield* store.remove(key)
          expect(Option.isNone(yield* store.get(key))).toBe(true)
        }))
    })

    it("leases: one owner at a time; an expired lease is taken over; only the owner releases", async () => {
      const key = `lease-${name}-${Date.now()}`
      await withStore(option, (store) =>
        Effect.gen(function*() {
          yield* store.set(key, grantOf(emu.grantTokens(), 0))
          const lease = store.lease!
          expect(yield* lease.acquire(key, "a", 200)).toBe(true)
          expect(yield* lease.acquire(key, "b", 200)).toBe(false)
          yield* lease.release(key, "b")
          expect(yield* lease.acquire(key, "b", 200)).toBe(false)
          yield* Effect.sleep("250 millis")
          expect(yield* lease.acquire(key, "b", 10_000)).toBe(true)
          yield* lease.release(key, "b")
          expect(yield* lease.acquire(key, "a", 200)).toBe(true)
        }))
    })

    it("a call that waited out a shared quota is counted against the new window (two instances, onExhausted wait)", async () => {
      const key = `waited-${name}-${Date.now()}`
      const request = { method: "GET", url: "https://health.googleapis.com/v4/users/me/profile" }
      const quota = { limit: 2, windowMillis: 1_500 }
      const outcome = await Effect.runPromise(Effect.scoped(Effect.gen(function*() {
        const policy = (layer: Layer.Layer<RateLimitPolicy.RateLimitPolicy, unknown>) =>
          Effect.map(Layer.build(layer), (context) => context.unsafeMap.get(RateLimitPolicy.RateLimitPolicy.key) as RateLimitPolicy.RateLimitPolicyShape)
        const a = yield* policy(Sql.layerRateLimits(option, { onExhausted: "wait", maxWait: "10 seconds" }))
        const b = yield* policy(Sql.layerRateLimits(option, { onExhausted: "wait", maxWait: "10 seconds" }))
        // Start at a window's beginning, so the two calls and the wait fall in one window and the next.
        const now = Date.now()
        yield* Effect.sleep(`${RateLimitPolicy.windowEnd(quota, now) - now} millis`)
        yield* a.admit(key, request, quota)
        yield* b.admit(key, request, quota)
        yield* a.admit(key, request, quota) // spent: waits for the next window, then is counted in it
        return Option.getOrThrow(yield* b.current(key))
      })))
      expect(outcome).toMatchObject({ limit: 2, remaining: 1 })
    })

    it("a quota that never admits (no larger than the reserve) is refused once maxWait is spent, never sent uncounted", async () => {
      const key = `never-${name}-${Date.now()}`
      const request = { method: "GET", url: "https://health.googleapis.com/v4/users/me/profile" }
      const quota = { limit: 1, windowMillis: 300 }
      const outcome = await Effect.runPromise(Effect.scoped(Effect.gen(function*() {
        const policy = (yield* Layer.build(Sql.layerRateLimits(option, { onExhausted: "wait", maxWait: "500 millis", reserve: 1 }))).unsafeMap.get(RateLimitPolicy.RateLimitPolicy.key) as RateLimitPolicy.RateLimitPolicyShape
        // From a window's start: one wait of 300 ms to the reset fits in 500 ms, a second does not.
        const now = Date.now()
        yield* Effect.sleep(`${RateLimitPolicy.windowEnd(quota, now) - now} millis`)
        return yield* Effect.either(policy.admit(key, request, quota))
      })))
      expect(Either.isLeft(outcome) && outcome.left._tag).toBe("RateLimited")
    })

    it("a rate-limit budget shared by two instances: what one observed, both spend; spent, both stop", async () => {
      const key = `budget-${name}-${Date.now()}`
      const request = { method: "GET", url: "https://api.fitbit.com/1/user/-/profile.json" }
      const outcome = await Effect.runPromise(Effect.scoped(Effect.gen(function*() {
        const a = (yield* Layer.build(Sql.layerRateLimits(option))).unsafeMap.get(RateLimitPolicy.RateLimitPolicy.key) as RateLimitPolicy.RateLimitPolicyShape
        const b = (yield* Layer.build(Sql.layerRateLimits(option))).unsafeMap.get(RateLimitPolicy.RateLimitPolicy.key) as RateLimitPolicy.RateLimitPolicyShape
        yield* a.observe(key, new RateLimit.RateLimitState({ limit: 150, remaining: 3, resetSeconds: 0.4, observedAt: Date.now() }))
        const seen = Option.getOrThrow(yield* b.current(key))
        const admitted = yield* Effect.all([a.admit(key, request), b.admit(key, request), a.admit(key, request), b.admit(key, request), a.admit(key, request)].map(Effect.either), { concurrency: "unbounded" })
        yield* Effect.sleep("500 millis") // the window resets (0.4 s)
        const afterReset = yield* Effect.either(b.admit(key, request))
        yield* b.observeRejected(key, 30)
        const rejected = yield* Effect.either(a.admit(key, request))
        return { seen, admitted, afterReset, rejected }
      })))
      expect(outcome.seen.remaining).toBe(3)
      expect(outcome.admitted.filter(Either.isRight)).toHaveLength(3)
      const refused = outcome.admitted.filter(Either.isLeft).map((r) => r.left)
      expect(refused.map((r) => r._tag)).toEqual(["RateLimited", "RateLimited"])
      expect(Either.isRight(outcome.afterReset)).toBe(true)
      expect(Either.isLeft(outcome.rejected) && outcome.rejected.left.retryAfterSeconds).toBeGreaterThan(25)
    })

    it("Google's published quota shared by two instances: concurrent calls across both never pass the limit; an ended window starts afresh", async () => {
      const key = `quota-${name}-${Date.now()}`
      const request = { method: "GET", url: "https://health.googleapis.com/v4/users/me/profile" }
      const quota = { limit: 5, windowMillis: 3_600_000 }
      const outcome = await Effect.runPromise(Effect.scoped(Effect.gen(function*() {
        const a = (yield* Layer.build(Sql.layerRateLimits(option))).unsafeMap.get(RateLimitPolicy.RateLimitPolicy.key) as RateLimitPolicy.RateLimitPolicyShape
        const b = (yield* Layer.build(Sql.layerRateLimits(option))).unsafeMap.get(RateLimitPolicy.RateLimitPolicy.key) as RateLimitPolicy.RateLimitPolicyShape
        const admitted = yield* Effect.all(
          Array.from({ length: 8 }, (_, i) => Effect.either((i % 2 === 0 ? a : b).admit(key, request, quota))),
          { concurrency: "unbounded" }
        )
        const seen = Option.getOrThrow(yield* b.current(key))
        // The window as ended (what a reset looks like in the table): the next call starts a new one.
        yield* a.observe(key, new RateLimit.RateLimitState({ limit: 5, remaining: 0, resetSeconds: 0, observedAt: Date.now() - 1 }))
        const afterWindow = yield* Effect.either(b.admit(key, request, quota))
        const fresh = Option.getOrThrow(yield* a.current(key))
        return { admitted, seen, afterWindow, fresh }
      })))
      expect(outcome.admitted.filter(Either.isRight)).toHaveLength(5)
      expect(outcome.admitted.filter(Either.isLeft).map((r) => r.left._tag)).toEqual(["RateLimited", "RateLimited", "RateLimited"])
      expect(outcome.seen).toMatchObject({ limit: 5, remaining: 0 })
      expect(Either.isRight(outcome.afterWindow)).toBe(true)
      expect(outcome.fresh).toMatchObject({ limit: 5, remaining: 4 })
    })

    it("4 processes × 250 concurrent calls with an expired grant: 1 refresh for the fleet, 0 failed calls", async () => {
      const user = freshUserId(`FLEET${name.length}`)
      emu.addUser({ userId: user })
      const minted = emu.grantTokens({ userId: user })
      emu.expireAccessTokens(user)
      await withStore(option, (store) => store.set(`fitbit:${user}`, grantOf(minted, 0)))
      const tokenRequests = emu.counters().tokenRequests
      const startAt = String(Date.now() + 2500)
      const outcomes = await Promise.all(Array.from({ length: 4 }, () => runWorker(option, { KEY: user, CALLS: "250", START_AT: startAt })))
      expect(outcomes.map((o) => o.failed)).toEqual([[], [], [], []])
      expect(outcomes.reduce((n, o) => n + o.ok, 0)).toBe(1000)
      // One request to the token endpoint for the whole fleet (not one per process, refused but one).
      expect(emu.counters().tokenRequests - tokenRequests).toBe(1)
      expect(emu.counters().refreshesByUser[user]).toBe(1)
      const stored = await withStore(option, (store) => store.get(`fitbit:${user}`))
      const grant = Option.getOrThrow(stored)
      expect(grant.revision).toBe(2)
      expect(Redacted.value(grant.tokens.refreshToken!)).not.toBe(minted.refreshToken)
      console.log(`${name}: 4 processes × 250 calls → ${emu.counters().tokenRequests - tokenRequests} token request(s), ${outcomes.flatMap((o) => o.failed).length} failed`)
    }, 120_000)

    for (const provider of ["fitbit", "google"] as const) {
      it(`${provider}: a process killed (SIGKILL) holding the lease: another takes over when it expires; the user is not lost`, async () => {
        const user = freshUserId(`K${provider[0]!.toUpperCase()}${name.length}`)
        emu.addUser({ userId: user })
        const minted = provider === "fitbit" ? emu.grantTokens({ userId: user }) : { ...Google.grantTokens(emu.state, { userId: user }), userId: user }
        emu.expireAccessTokens(user)
        const fullKey = `${provider}:${user}`
        await withStore(option, (store) => store.set(fullKey, grantOf(minted, 0)))
        const holder = spawn(process.execPath, [worker], {
          cwd: join(root, "test"),
          env: workerEnv(option, { PROVIDER: provider, MODE: "hold-lease", FULL_KEY: fullKey, KEY: user, LEASE_TTL_MS: "1500" })
        })
        await new Promise<void>((resolve, reject) => {
          holder.stdout.on("data", (chunk: Buffer) => chunk.toString().includes("\"held\":true") && resolve())
          holder.on("exit", () => reject(new Error("the lease holder exited before holding")))
        })
        holder.kill("SIGKILL")
        const tokenRequests = emu.counters().tokenRequests
        const outcome = await runWorker(option, { PROVIDER: provider, KEY: user, CALLS: "20", LEASE_TTL_MS: "1500" })
        expect(outcome.failed).toEqual([])
        expect(outcome.ok).toBe(20)
        expect(emu.counters().tokenRequests - tokenRequests).toBe(1)
        expect(emu.counters().refreshesByUser[user]).toBe(1)
        const grant = Option.getOrThrow(await withStore(option, (store) => store.get(fullKey)))
        expect(grant.status).toBe("active")
        expect(grant.revision).toBe(2)
      }, 120_000)
    }

    it("the Promise client's store option: FitbitSessionClient keeps the grant in the database and refreshes it there", async () => {
      const user = freshUserId(`PRM${name.length}`)
      emu.addUser({ userId: user })
      const minted = emu.grantTokens({ userId: user })
      const client = new FitbitSessionClient({ clientId: emu.defaultApp.clientId, clientSecret: emu.defaultApp.clientSecret, baseUrl: emu.baseUrl, store: option })
      try {
        await client.saveTokens({ access_token: minted.accessToken, refresh_token: minted.refreshToken, expires_in: 0, token_type: "Bearer", scope: minted.scopes.join(" "), user_id: user })
        emu.expireAccessTokens(user)
        const response = await client.get(user, "/profile.json")
        expect(response.status).toBe(200)
        expect(response.body.user.encodedId).toBe(user)
      } finally {
        await client.close()
      }
      const grant = Option.getOrThrow(await withStore(option, (store) => store.get(`fitbit:${user}`)))
      expect(grant.revision).toBe(2)
      expect(Redacted.value(grant.tokens.refreshToken!)).not.toBe(minted.refreshToken)
    })

    it("FitbitSessionClient shareRateLimits: a budget spent through one client stops the other before it sends", async () => {
      const small = await Emulator.startEmulator({ rateLimitPerHour: 3 })
      const user = freshUserId(`RL${name.length}`)
      small.addUser({ userId: user })
      const minted = small.grantTokens({ userId: user })
      const make = () => new FitbitSessionClient({ clientId: small.defaultApp.clientId, clientSecret: small.defaultApp.clientSecret, baseUrl: small.baseUrl, store: option, shareRateLimits: true, retry: false })
      const [a, b] = [make(), make()]
      try {
        await a.saveTokens({ access_token: minted.accessToken, refresh_token: minted.refreshToken, expires_in: 3600, token_type: "Bearer", scope: minted.scopes.join(" "), user_id: user })
        for (let i = 0; i < 3; i++) expect((await a.get(user, "/profile.json")).status).toBe(200)
        const sent = small.counters().requests
        await expect(b.get(user, "/profile.json")).rejects.toMatchObject({ _tag: "RateLimited" })
        expect(small.counters().requests).toBe(sent)
        expect(() => new FitbitSessionClient({ clientId: "x", clientSecret: "y", shareRateLimits: true })).toThrow(/SQL store/)
      } finally {
        await a.close()
        await b.close()
        await small.close()
      }
    })

    it("Google Health grants: 2 processes × 100 calls with an expired grant → 1 refresh", async () => {
      const user = freshUserId(`GOO${name.length}`)
      emu.addUser({ userId: user })
      const minted = Google.grantTokens(emu.state, { userId: user })
      emu.expireAccessTokens(user)
      const key = `g-${user}`
      await withStore(option, (store) => store.set(`google:${key}`, grantOf({ ...minted, userId: user }, 0)))
      const tokenRequests = emu.counters().tokenRequests
      const startAt = String(Date.now() + 2500)
      const outcomes = await Promise.all(Array.from({ length: 2 }, () => runWorker(option, { PROVIDER: "google", KEY: key, CALLS: "100", START_AT: startAt })))
      expect(outcomes.map((o) => o.failed)).toEqual([[], []])
      expect(emu.counters().tokenRequests - tokenRequests).toBe(1)
      expect(emu.counters().refreshesByUser[user]).toBe(1)
    }, 120_000)
  })
}

/** A TCP proxy in front of Postgres that a test cuts: the database becomes unreachable. */
const cuttableProxy = async () => {
  const target = new URL(pg!.url)
  const sockets = new Set<net.Socket>()
  const proxy = net.createServer((client) => {
    const upstream = net.connect(Number(target.port), target.hostname)
    sockets.add(client).add(upstream)
    client.pipe(upstream).pipe(client)
    const close = () => (client.destroy(), upstream.destroy())
    client.on("error", close).on("close", close)
    upstream.on("error", close).on("close", close)
  })
  await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve))
  const via = new URL(pg!.url)
  via.port = String((proxy.address() as net.AddressInfo).port)
  return {
    option: { postgres: via.toString(), maxConnections: 2 } satisfies Sql.StoreOption,
    /** No new connection gets through, and the open ones drop. */
    cut: () => {
      proxy.close()
      for (const socket of sockets) socket.destroy()
    }
  }
}

describe.skipIf(pg === undefined)("Postgres cut off", () => {
  it("during a store call: a typed TokenStoreError, and the stored grant intact", async () => {
    const { cut, option } = await cuttableProxy()
    const key = `cut-${Date.now()}`
    const minted = emu.grantTokens()
    await withStore({ postgres: pg!.url }, (store) => store.set(key, grantOf(minted, 0)))
    const outcome = await withStore(option, (store) =>
      Effect.gen(function*() {
        yield* store.get(key)
        cut()
        return yield* Effect.either(store.compareAndSet(key, Option.some(1), grantOf(minted, 1).next(grantOf(minted, 1).tokens, 2)).pipe(Effect.timeout("20 seconds")))
      }))
    expect(Either.isLeft(outcome)).toBe(true)
    expect(Either.isLeft(outcome) && (outcome.left as { _tag: string })._tag).toBe("TokenStoreError")
    expect(String(Either.isLeft(outcome) && (outcome.left as Error).message)).not.toContain(minted.refreshToken)
    const intact = Option.getOrThrow(await withStore({ postgres: pg!.url }, (store) => store.get(key)))
    expect(intact.revision).toBe(1)
    expect(Redacted.value(intact.tokens.refreshToken!)).toBe(minted.refreshToken)
  }, 60_000)

  it("during a session's refresh (after Fitbit answered, before the write): TokenStoreError, the old grant intact", async () => {
    const { cut, option } = await cuttableProxy()
    const user = freshUserId("CUT")
    emu.addUser({ userId: user })
    const minted = emu.grantTokens({ userId: user })
    emu.expireAccessTokens(user)
    await withStore({ postgres: pg!.url }, (store) => store.set(`fitbit:${user}`, grantOf(minted, 0)))
    const config = FitbitConfig.layer({ clientId: emu.defaultApp.clientId, clientSecret: emu.defaultApp.clientSecret, baseUrl: emu.baseUrl })
    const provider = Effect.runSync(Effect.map(Effect.provide(FitbitConfig.FitbitConfig, config), FitbitConfig.toOAuthProvider))
    const session = FitbitSession.layer({
      // The real refresh at the emulator, then the database goes away before the new pair is written.
      refresh: (tokens) => Effect.tap(OAuth.refresh(provider, { refreshToken: tokens.refreshToken! }), () => Effect.sync(cut)),
      persistRetry: Schedule.recurs(0)
    }).pipe(Layer.provideMerge(Layer.merge(NodeFitbit.layerWith(Layer.merge(config, RetryPolicy.layer({ maxRetries: 0 }))), Sql.layer(option))))
    const outcome = await Effect.runPromise(Effect.either(Effect.provide(
      Effect.flatMap(FitbitSession.FitbitSession, (s) => s.get(user, "/profile.json")).pipe(Effect.timeout("30 seconds")),
      session
    )))
    expect(Either.isLeft(outcome) && (outcome.left as { _tag: string })._tag).toBe("TokenStoreError")
    expect(emu.counters().refreshesByUser[user]).toBe(1) // Fitbit did rotate the pair
    const intact = Option.getOrThrow(await withStore({ postgres: pg!.url }, (store) => store.get(`fitbit:${user}`)))
    expect(intact.revision).toBe(1)
    expect(intact.status).toBe("active")
    expect(Redacted.value(intact.tokens.refreshToken!)).toBe(minted.refreshToken)
  }, 60_000)
})
