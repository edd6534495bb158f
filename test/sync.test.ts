// Issue 32: Sync on one machine (SingleRunner), on SQLite and on a real Postgres, against the
// emulator: a backfill compared point for point with the emulator's listing; late data and
// deletions (by the trailing re-read, by the longer re-read, by a notification, which costs
// only the requests of the windows it names); a revoked user parked while the others finish; a
// 429 storm waited out with nothing lost.
import { GoogleDataPoints, GoogleHealthWebhook } from "@fitbit-effect/core"
import { Sync, SyncEngine, SyncStore } from "@fitbit-effect/core/sync"
import { Emulator, Google } from "@fitbit-effect/emulator"
import { NodeGoogleHealth } from "@fitbit-effect/node"
import * as Sql from "@fitbit-effect/node/sql"
import * as SyncNode from "@fitbit-effect/node/sync"
import * as SqlClient from "@effect/sql/SqlClient"
import { Cause, Chunk, Effect, Exit, Fiber, Layer, ManagedRuntime, Option, Stream } from "effect"
import * as Fs from "node:fs"
import { createServer } from "node:http"
import type { AddressInfo } from "node:net"
import * as Os from "node:os"
import * as Path from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { storeGoogleUsers } from "./fixtures/googleUsers.js"
import { freshDatabase, startPostgres } from "./fixtures/postgres.js"

type Emu = Awaited<ReturnType<typeof Emulator.startEmulator>>
let emu: Emu
const dir = Fs.mkdtempSync(Path.join(Os.tmpdir(), "sync-"))
const pg = startPostgres("sync")
/** This process's pid namespace, as the lease's holder names it ("" without /proc). */
const PID_NAMESPACE = (() => {
  try {
    return Fs.readlinkSync("/proc/self/ns/pid").replace(/\D/g, "")
  } catch {
    return ""
  }
})()

beforeAll(async () => {
  emu = await Emulator.startEmulator({ seed: "sync", googleQuota: { perUserPerMinute: 1_000_000, perProjectPerMinute: 1_000_000 } })
})
afterAll(async () => {
  await emu.close()
  Fs.rmSync(dir, { recursive: true, force: true })
  pg?.stop()
})

const STORES: ReadonlyArray<{ readonly name: string; readonly store: () => Promise<Sql.StoreOption> }> = [
  { name: "SQLite", store: async () => ({ sqlite: Path.join(dir, `${Math.random().toString(36).slice(2)}.db`) }) },
  ...(pg === undefined ? [] : [{ name: "Postgres", store: async () => ({ postgres: await freshDatabase(pg.url, "sync"), maxConnections: 4 }) }])
]

let serial = 0
/** A fresh emulator user id (8 characters of 0-9 A-Z) beginning with `prefix`. */
const freshUser = (prefix: string) => prefix + (Date.now() * 100 + serial++).toString(36).toUpperCase().slice(-6)

const google = () => ({ clientId: emu.defaultApp.clientId, clientSecret: emu.defaultApp.clientSecret, baseUrl: emu.baseUrl })

type Runtime = ManagedRuntime.ManagedRuntime<SyncNode.Services, unknown>

/** Adds emulator users and stores a Google grant for each; answers their access tokens. */
const addUsers = (runtime: Runtime, users: ReadonlyArray<string>) => storeGoogleUsers(emu, (effect) => runtime.runPromise(effect), users)

const storedJson = (runtime: Runtime, user: string, dataType: string) =>
  runtime.runPromise(Effect.flatMap(SqlClient.SqlClient, (sql) =>
    sql<{ value_json: string; point_key: string; day: string }>`SELECT value_json, point_key, day FROM ${sql(SyncStore.POINTS_TABLE)}
      WHERE user_key = ${user} AND data_type = ${dataType}`))

/** What the emulator lists for a user's type on the days a cursor has synced, as JSON texts, sorted. */
const listed = async (token: string, dataType: string, synced: { start: string; end: string }) => {
  const filter = synced.start === "" ? undefined : GoogleDataPoints.filters.range(dataType, synced.start, synced.end)
  const points = await Effect.runPromise(
    Stream.runCollect(GoogleDataPoints.stream(token, dataType as never, { filter, pageSize: 10_000, keepRaw: true })).pipe(Effect.provide(NodeGoogleHealth.layer(google())))
  )
  return Chunk.toReadonlyArray(points).map((p) => JSON.stringify(p.raw)).sort()
}

/** Checks that the database holds exactly what the emulator lists for every synced range of a user. */
const expectMirrors = async (runtime: Runtime, user: string, token: string, dataTypes: ReadonlyArray<string>) => {
  const [status] = await runtime.runPromise(Sync.status(user))
  expect(status!.types.map((t) => t.dataType).sort()).toEqual([...dataTypes].sort())
  let points = 0
  for (const type of status!.types) {
    expect(type.lastError, `${user} ${type.dataType}`).toBeNull()
    const expected = await listed(token, type.dataType, type.synced!)
    const got = (await storedJson(runtime, user, type.dataType)).map((r) => r.value_json).sort()
    expect(got.length, `${user} ${type.dataType}`).toBe(expected.length)
    expect(got, `${user} ${type.dataType}`).toEqual(expected)
    points += got.length
  }
  return points
}

const sinceDays = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString().slice(0, 10)

describe("Sync's options", () => {
  it("bad options fail the layer with InvalidInput naming the field, before anything is sent", async () => {
    const requests = emu.counters().requests
    const failure = async (options: Partial<SyncNode.Options>) => {
      const layer = SyncNode.layer({ store: { sqlite: Path.join(dir, "options.db") }, google: google(), schedule: false, ...options } as SyncNode.Options)
      const exit = await Effect.runPromiseExit(Effect.scoped(Layer.build(layer)))
      return (Exit.isFailure(exit) ? Option.getOrUndefined(Cause.failureOption(exit.cause)) : undefined) as { _tag?: string; field?: string } | undefined
    }
    for (const [options, field] of [
      [{ since: "2026-02-30" }, "since"],
      [{ since: -1 }, "since"],
      [{ dataTypes: ["steps", "total-calories"] }, "dataTypes"],
      [{ dataTypes: ["skin-temperature-sensors"] }, "dataTypes"],
      [{ dataTypes: [] }, "dataTypes"],
      [{ trailingDays: 1.5 }, "trailingDays"],
      [{ reconcileEvery: "soon" as never }, "reconcileEvery"],
      [{ maxWindowPoints: 10 }, "maxWindowPoints"],
      [{ concurrency: 0 }, "concurrency"],
      [{ schedule: "every minute" }, "schedule"],
      [{ runner: { host: "127.0.0.1", port: 4000 } }, "runner"],
      [{ store: { postgres: "postgres://x" }, runner: { host: "", port: 4000 } }, "runner.host"],
      [{ store: { postgres: "postgres://x" }, runner: { host: "127.0.0.1", port: 70_000 } }, "runner.port"]
    ] as const) {
      const error = await failure(options as Partial<SyncNode.Options>)
      expect(error?._tag, JSON.stringify(options)).toBe("InvalidInput")
      expect(error?.field, JSON.stringify(options)).toBe(field)
    }
    expect(emu.counters().requests).toBe(requests)
  })
})

describe("Sync under a hostile answer (SQLite)", () => {
  it("a malformed page fails its type for this pass (recorded, nothing written), the other types go on; the next pass recovers", async () => {
    const dataTypes = ["steps", "sleep", "weight"]
    const runtime: Runtime = ManagedRuntime.make(SyncNode.layer({ store: { sqlite: Path.join(dir, "hostile.db") }, google: google(), since: 14, schedule: false, dataTypes }))
    try {
      const user = freshUser("HO")
      const tokens = await addUsers(runtime, [user])
      emu.injectFault({ kind: "malformedJson", count: 1, match: { pathPrefix: "/v4/users/me/dataTypes/sleep/" } })
      const [first] = await runtime.runPromise(Sync.runPass)
      expect(first!.failedTypes.map((f) => f.dataType)).toEqual(["sleep"])
      const [status] = await runtime.runPromise(Sync.status(user))
      const sleep = status!.types.find((t) => t.dataType === "sleep")!
      expect(sleep.lastError).toMatch(/sleep/)
      expect(sleep.synced).toBeNull()
      expect(await storedJson(runtime, user, "sleep")).toEqual([])
      expect(status!.types.filter((t) => t.dataType !== "sleep").map((t) => t.lastError)).toEqual([null, null])
      const [second] = await runtime.runPromise(Sync.runPass)
      expect(second!.failedTypes).toEqual([])
      await expectMirrors(runtime, user, tokens[user]!, dataTypes)
    } finally {
      emu.clearFaults()
      await runtime.dispose()
    }
  })
})

describe("Sync over empty pages that carry a token (as Google sends them; SQLite)", () => {
  it("every point, as the emulator lists it", async () => {
    const dataTypes = ["heart-rate", "sleep", "steps"]
    const runtime: Runtime = ManagedRuntime.make(SyncNode.layer({ store: { sqlite: Path.join(dir, "empty-pages.db") }, google: google(), since: 90, schedule: false, dataTypes }))
    emu.setEmptyPages(true)
    try {
      const user = freshUser("EP")
      const tokens = await addUsers(runtime, [user])
      const [result] = await runtime.runPromise(Sync.runPass)
      expect(result!.failedTypes).toEqual([])
      emu.setEmptyPages(false)
      expect(await expectMirrors(runtime, user, tokens[user]!, dataTypes)).toBeGreaterThan(20_000)
    } finally {
      emu.setEmptyPages(false)
      await runtime.dispose()
    }
  })
})

describe("Sync scheduled by the cluster (ClusterCron, SQLite)", () => {
  it("passes run on the schedule: a user's data arrives with no call", async () => {
    const runtime: Runtime = ManagedRuntime.make(SyncNode.layer({ store: { sqlite: Path.join(dir, "cron.db") }, google: google(), since: 7, schedule: "* * * * * *", dataTypes: ["steps", "sleep"] }))
    try {
      const user = freshUser("CR")
      const tokens = await addUsers(runtime, [user])
      // The cron queues a pass every second; wait for the user's first one to finish (bounded).
      const done = await runtime.runPromise(Effect.flatMap(Sync.Sync, (sync) =>
        Stream.runHead(Stream.filter(sync.events, (e) => e._tag === "UserDone" && e.user === user)).pipe(Effect.timeout("30 seconds"))))
      expect(done._tag).toBe("Some")
      await expectMirrors(runtime, user, tokens[user]!, ["steps", "sleep"])
    } finally {
      await runtime.dispose()
    }
  })
})

for (const { name, store } of STORES) {
  describe(`Sync on one machine (${name})`, () => {
    it("backfills every readable type of 3 users: every point once, as the emulator lists it, every cursor at the first day", async () => {
      const runtime: Runtime = ManagedRuntime.make(SyncNode.layer({ store: await store(), google: google(), since: 30, schedule: false }))
      try {
        const users = [freshUser("BA"), freshUser("BB"), freshUser("BC")]
        const tokens = await addUsers(runtime, users)
        const results = await runtime.runPromise(Sync.runPass)
        expect(results.map((r) => r.user).sort()).toEqual([...users].sort())
        expect(results.flatMap((r) => r.failedTypes)).toEqual([])
        const types = Sync.readableTypes("v4")
        for (const user of users) {
          expect(await expectMirrors(runtime, user, tokens[user]!, types)).toBeGreaterThan(20_000)
          const [status] = await runtime.runPromise(Sync.status(user))
          for (const type of status!.types) {
            if (type.synced!.start !== "") expect(type.synced!.start, type.dataType).toBe(sinceDays(30))
          }
        }
      } finally {
        await runtime.dispose()
      }
    }, 240_000)

    it("late data and deletions: the trailing re-read, the longer re-read, and a notification that costs only the windows it names", async () => {
      const database = await store()
      const dataTypes = ["weight", "sleep", "steps"]
      const runtime: Runtime = ManagedRuntime.make(SyncNode.layer({ store: database, google: google(), since: 30, schedule: false, dataTypes }))
      const server = createServer()
      try {
        const user = freshUser("LD")
        const tokens = await addUsers(runtime, [user])
        const token = tokens[user]!
        const http = NodeGoogleHealth.layer(google())
        const call = <A>(effect: Effect.Effect<A, unknown, never>) => Effect.runPromise(effect)
        await runtime.runPromise(Sync.runPass)
        await expectMirrors(runtime, user, token, dataTypes)

        // A weight added yesterday and a night deleted two days ago: the next pass's trailing re-read has both.
        const yesterday = sinceDays(1)
        await call(GoogleDataPoints.create(token, "weight", { weightGrams: 70_123, sampleTime: { physicalTime: `${yesterday}T07:30:00Z`, utcOffset: "0s" } }, { id: "late-weigh-in" }).pipe(Effect.provide(http)))
        const nightOn = async (day: string) => (await storedJson(runtime, user, "sleep")).find((r) => r.day === day)!.point_key
        const recent = await nightOn(sinceDays(2))
        await call(GoogleDataPoints.batchDelete(token, [recent], { dataType: "sleep" }).pipe(Effect.provide(http)))
        await runtime.runPromise(Sync.runPass)
        const weights = await storedJson(runtime, user, "weight")
        expect(weights.some((r) => r.point_key.endsWith("/late-weigh-in"))).toBe(true)
        expect((await storedJson(runtime, user, "sleep")).some((r) => r.point_key === recent)).toBe(false)

        // A night deleted 12 days ago is beyond the trailing days: a pass keeps it...
        const older = await nightOn(sinceDays(12))
        await call(GoogleDataPoints.batchDelete(token, [older], { dataType: "sleep" }).pipe(Effect.provide(http)))
        await runtime.runPromise(Sync.runPass)
        expect((await storedJson(runtime, user, "sleep")).some((r) => r.point_key === older)).toBe(true)

        // ...and a notification of it removes it, reading only that night's window. The webhook
        // handler gets Google's POST from the emulator and re-reads before it answers.
        const secret = "Bearer sync-test-secret"
        const handler = GoogleHealthWebhook.makeHandler({
          secret,
          onNotifications: (delivery) => runtime.runPromise(Effect.asVoid(Effect.flatMap(Sync.Sync, (sync) => sync.notifyAndWait(delivery.notifications))))
        })
        server.on("request", async (req, res) => {
          const answer = await handler(req.method ?? "GET", req.headers, req)
          res.writeHead(answer.status, answer.headers).end(answer.body)
        })
        await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
        const endpointUri = `http://127.0.0.1:${(server.address() as AddressInfo).port}/google-health`
        await call(Sync.subscribe(token, "sync-tests", { endpointUri, secret, dataTypes, subscriberId: `sync-${user.toLowerCase()}` }).pipe(Effect.provide(http)))
        const before = emu.counters().requestsByPath
        const deliveries = await emu.notifyGoogle({
          userId: user,
          dataType: "sleep",
          operation: "DELETE",
          intervals: [{ startTime: `${sinceDays(13)}T20:00:00Z`, endTime: `${sinceDays(12)}T09:00:00Z` }]
        }, { subscriber: `projects/sync-tests/subscribers/sync-${user.toLowerCase()}` })
        expect(deliveries.map((d) => d.status)).toEqual([204])
        expect((await storedJson(runtime, user, "sleep")).some((r) => r.point_key === older)).toBe(false)
        const after = emu.counters().requestsByPath
        const sent = Object.entries(after).flatMap(([path, n]) => n - (before[path] ?? 0) > 0 ? [[path, n - (before[path] ?? 0)] as const] : [])
        // One request, for the user's sleep (the token names the user: the path says "me").
        expect(sent).toEqual([["GET /v4/users/me/dataTypes/sleep/dataPoints", 1]])
        await expectMirrors(runtime, user, token, dataTypes)
      } finally {
        server.close()
        await runtime.dispose()
      }

      // Without a notification, the longer re-read (here due on every pass) finds a deletion 20 days back.
      const reconciling: Runtime = ManagedRuntime.make(SyncNode.layer({ store: database, google: google(), since: 30, schedule: false, dataTypes, reconcileEvery: "0 millis" }))
      try {
        const [status] = await reconciling.runPromise(Sync.status())
        const user = status!.user
        const rows = await storedJson(reconciling, user, "sleep")
        const deep = rows.find((r) => r.day === sinceDays(20))!.point_key
        const token = Google.grantTokens(emu.state, { userId: user }).accessToken
        await Effect.runPromise(GoogleDataPoints.batchDelete(token, [deep], { dataType: "sleep" }).pipe(Effect.provide(NodeGoogleHealth.layer(google()))))
        await reconciling.runPromise(Sync.runPass)
        expect((await storedJson(reconciling, user, "sleep")).some((r) => r.point_key === deep)).toBe(false)
        await expectMirrors(reconciling, user, token, dataTypes)
      } finally {
        await reconciling.dispose()
      }
    }, 240_000)

    it("one process per database: a second single runner fails with SyncBusy naming the first; free once the first stops, or at once when its process is dead", async () => {
      const database = await store()
      const make = (): Runtime => ManagedRuntime.make(SyncNode.layer({ store: database, google: google(), since: 7, schedule: false, dataTypes: ["steps"] }))
      const first = make()
      await first.runPromise(Sync.status())
      const second = make()
      const busy = await second.runPromiseExit(Sync.status())
      await second.dispose()
      expect(Exit.isFailure(busy)).toBe(true)
      const error = Exit.isFailure(busy) ? Cause.squash(busy.cause) as { _tag?: string; holder?: string; message?: string } : {}
      expect(error._tag).toBe("SyncBusy")
      expect(error.holder).toMatch(new RegExp(`^${Os.hostname()}:${PID_NAMESPACE}:${process.pid}:`))
      expect(error.message).toContain("one process per database")
      await first.dispose()
      // Given back when the first stopped: a new process claims it.
      const third = make()
      await third.runPromise(Sync.status())
      await third.dispose()
      // A lease left by a killed process of this host (its pid runs no more) is taken at once; a live
      // holder elsewhere keeps it until it expires.
      const setHolder = (holder: string) =>
        Effect.runPromise(Effect.flatMap(SqlClient.SqlClient, (sql) =>
          sql`INSERT INTO ${sql(SyncStore.LEASE_TABLE)} (id, holder, expires_at) VALUES ('single-runner', ${holder}, ${Date.now() + 3_600_000})
            ON CONFLICT (id) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at`).pipe(Effect.provide(Sql.sqlClient(database))))
      await setHolder(`${Os.hostname()}:${PID_NAMESPACE}:999999999::killed`)
      const fourth = make()
      await fourth.runPromise(Sync.status())
      await fourth.dispose()
      // A pid that runs again, but as a process started at another time (reused): gone too.
      await setHolder(`${Os.hostname()}:${PID_NAMESPACE}:${process.pid}:1:reused`)
      const reused = make()
      await reused.runPromise(Sync.status())
      await reused.dispose()
      await setHolder("another-host:4242:alive")
      const fifth = make()
      const elsewhere = await fifth.runPromiseExit(Sync.status())
      await fifth.dispose()
      expect(Exit.isFailure(elsewhere) && (Cause.squash(elsewhere.cause) as { holder?: string }).holder).toBe("another-host:4242:alive")
    }, 60_000)

    it("a process whose lease was taken (stopped past its time) writes no window more: its pass fails with SyncBusy", async () => {
      const database = await store()
      const runtime: Runtime = ManagedRuntime.make(SyncNode.layer({ store: database, google: google(), since: 7, schedule: false, dataTypes: ["steps", "weight"] }))
      try {
        const user = freshUser("LT")
        await addUsers(runtime, [user])
        // Another process took the lease meanwhile (what a claim after expiry does).
        await runtime.runPromise(Effect.flatMap(SqlClient.SqlClient, (sql) =>
          sql`UPDATE ${sql(SyncStore.LEASE_TABLE)} SET holder = 'another-host:1:7:1:took-it', expires_at = ${Date.now() + 3_600_000}`))
        const pass = await runtime.runPromiseExit(Sync.runPass)
        expect(Exit.isFailure(pass)).toBe(true)
        const error = Exit.isFailure(pass) ? Cause.squash(pass.cause) as { _tag?: string; reason?: string } : {}
        expect(error._tag).toBe("SyncError")
        expect(error.reason).toContain("another process syncs this database (another-host:1:7:1:took-it")
        const rows = await runtime.runPromise(Effect.flatMap(SqlClient.SqlClient, (sql) =>
          sql<{ n: number }>`SELECT COUNT(*) AS n FROM ${sql(SyncStore.POINTS_TABLE)} WHERE user_key = ${user}`))
        expect(Number(rows[0]!.n)).toBe(0)
      } finally {
        await runtime.dispose()
      }
    }, 60_000)

    it("a user revoked midway is parked with a status, the others finish; a new consent unparks", async () => {
      const dataTypes = ["steps", "heart-rate", "sleep", "weight"]
      const runtime: Runtime = ManagedRuntime.make(SyncNode.layer({ store: await store(), google: google(), since: 30, schedule: false, dataTypes }))
      try {
        const users = [freshUser("RA"), freshUser("RB"), freshUser("RC")]
        const tokens = await addUsers(runtime, users)
        const revoked = users[1]!
        // Revoke the user after the first window of theirs is stored: the rest of the pass needs a refresh that Google refuses.
        const events = await runtime.runPromise(Effect.flatMap(Sync.Sync, (sync) =>
          Effect.gen(function*() {
            const watcher = yield* Effect.fork(Stream.runCollect(Stream.takeUntil(sync.events, (e) => e._tag === "Window" && e.user === revoked)))
            yield* Effect.yieldNow()
            const pass = yield* Effect.fork(sync.runPass)
            yield* Fiber.join(watcher)
            emu.revokeGrant(revoked)
            emu.expireAccessTokens(revoked)
            return yield* Fiber.join(pass)
          })))
        const parked = events.find((r) => r.user === revoked)!
        expect(parked.parked).toMatch(/consent|refresh|revoked|grant/i)
        for (const user of users.filter((u) => u !== revoked)) {
          expect(events.find((r) => r.user === user)!.parked).toBeUndefined()
          await expectMirrors(runtime, user, tokens[user]!, dataTypes)
        }
        const statuses = await runtime.runPromise(Sync.status())
        expect(statuses.find((s) => s.user === revoked)!.status).toBe("reauthorization_required")
        // Parked users are not synced again until they consent again (a new grant is stored).
        const engine = await runtime.runPromise(SyncEngine.SyncEngine)
        expect((await runtime.runPromise(engine.users)).map((u) => u.user)).not.toContain(revoked)
        await addUsers(runtime, [revoked])
        expect((await runtime.runPromise(engine.users)).map((u) => u.user)).toContain(revoked)
        const again = await runtime.runPromise(Effect.flatMap(Sync.Sync, (sync) => sync.syncUser(revoked)))
        expect(again.parked).toBeUndefined()
        expect((await runtime.runPromise(Sync.status(revoked)))[0]!.status).toBe("active")
      } finally {
        await runtime.dispose()
      }
    }, 240_000)

    it("a 429 storm is waited out: nothing lost, nothing failed", async () => {
      const dataTypes = ["steps", "sleep", "weight", "daily-resting-heart-rate"]
      const runtime: Runtime = ManagedRuntime.make(SyncNode.layer({ store: await store(), google: google(), since: 30, schedule: false, dataTypes }))
      try {
        const users = [freshUser("QA"), freshUser("QB")]
        const tokens = await addUsers(runtime, users)
        const faultsBefore = emu.counters().faults
        emu.injectFault({ kind: "status429", count: 12, retryAfterSeconds: 1, match: { pathPrefix: "/v4/users/" } })
        const waits = await runtime.runPromise(Effect.flatMap(Sync.Sync, (sync) =>
          Effect.gen(function*() {
            const watcher = yield* Effect.fork(Stream.runCollect(Stream.filter(sync.events, (e) => e._tag === "QuotaWait")))
            yield* Effect.yieldNow()
            const results = yield* sync.runPass
            yield* Fiber.interrupt(watcher)
            return results
          })))
        expect(emu.counters().faults - faultsBefore).toBe(12)
        expect(waits.flatMap((r) => r.failedTypes)).toEqual([])
        for (const user of users) await expectMirrors(runtime, user, tokens[user]!, dataTypes)
        // A grant stored while the sync runs is picked up by the next pass, without a restart.
        const [late] = [freshUser("QN")]
        const lateTokens = await addUsers(runtime, [late!])
        const next = await runtime.runPromise(Sync.runPass)
        expect(next.map((r) => r.user).sort()).toEqual([...users, late].sort())
        await expectMirrors(runtime, late!, lateTokens[late!]!, dataTypes)
      } finally {
        emu.clearFaults()
        await runtime.dispose()
      }
    }, 240_000)
  })
}
