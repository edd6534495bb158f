// Issue 32: Sync across machines. 3 OS processes, each a socket runner of the SyncUser entities
// over one Postgres, sync 50 emulated users × every readable data type × 30 days; one runner is
// SIGKILLed midway and the others finish its users. At the end every point is stored exactly
// once (the database holds what the emulator lists for every synced range, no more, no less)
// and every cursor reaches back to the first day.
import { GoogleDataPoints } from "@fitbit-effect/core"
import { SqlTokenStore } from "@fitbit-effect/core/sql"
import { Sync, SyncStore } from "@fitbit-effect/core/sync"
import { Emulator } from "@fitbit-effect/emulator"
import { NodeGoogleHealth } from "@fitbit-effect/node"
import * as Sql from "@fitbit-effect/node/sql"
import * as SqlClient from "@effect/sql/SqlClient"
import { Chunk, Effect, Layer, ManagedRuntime, Stream } from "effect"
import { type ChildProcess, spawn } from "node:child_process"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { freePort } from "../fixtures/commandLine.js"
import { storeGoogleUsers } from "../fixtures/googleUsers.js"
import { freshDatabase, startPostgres } from "../fixtures/postgres.js"

const root = fileURLToPath(new URL("../..", import.meta.url))
const runnerScript = join(root, "test", "fixtures", "sync-runner.mjs")
const pg = startPostgres("sync-cluster")
afterAll(() => pg?.stop())

const USERS = 50
const DAYS = 30

type Emu = Awaited<ReturnType<typeof Emulator.startEmulator>>
let emu: Emu
beforeAll(async () => {
  emu = await Emulator.startEmulator({ seed: "sync-cluster", googleQuota: { perUserPerMinute: 1_000_000, perProjectPerMinute: 1_000_000 } })
})
afterAll(() => emu.close())

interface Runner {
  readonly child: ChildProcess
  readonly lines: Array<string>
  readonly ready: Promise<void>
}

const startRunner = async (databaseUrl: string): Promise<Runner> => {
  const port = await freePort()
  const child = spawn(process.execPath, [runnerScript], {
    cwd: join(root, "test"),
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      RUNNER_PORT: String(port),
      BASE_URL: emu.baseUrl,
      CLIENT_ID: emu.defaultApp.clientId,
      CLIENT_SECRET: emu.defaultApp.clientSecret,
      SINCE_DAYS: String(DAYS),
      // Passes are queued by the test (below); the cron stays out of the way.
      SCHEDULE: "0 0 0 1 1 *"
    },
    stdio: ["pipe", "pipe", "pipe"]
  })
  const lines: Array<string> = []
  let buffered = ""
  const ready = new Promise<void>((resolve, reject) => {
    child.stdout!.on("data", (data: Buffer) => {
      buffered += data.toString()
      const parts = buffered.split("\n")
      buffered = parts.pop()!
      for (const line of parts) {
        lines.push(line)
        if (line === "ready") resolve()
      }
    })
    child.stderr!.on("data", (data: Buffer) => lines.push(`stderr: ${data.toString()}`))
    child.on("exit", (code) => reject(new Error(`runner exited with ${code}: ${lines.join("\n")}`)))
  })
  return { child, lines, ready }
}

describe.skipIf(pg === undefined)("Sync across machines (3 socket runners over Postgres)", () => {
  it(`${USERS} users × every readable type × ${DAYS} days; a runner SIGKILLed midway: every point once, every cursor at the end`, async () => {
    const databaseUrl = await freshDatabase(pg!.url, "sync_cluster")
    const store = { postgres: databaseUrl, maxConnections: 4 } as const
    const db = ManagedRuntime.make(Layer.provideMerge(SqlTokenStore.layer, Sql.sqlClient(store)))
    const runners: Array<Runner> = []
    try {
      const users = Array.from({ length: USERS }, (_, i) => `SC${String(i).padStart(6, "0")}`)
      const tokens = await storeGoogleUsers(emu, (effect) => db.runPromise(effect), users)
      const types = Sync.readableTypes("v4")
      const since = new Date(Date.now() - DAYS * 86_400_000).toISOString().slice(0, 10)

      /** Users whose every type's cursor reaches back to `since`. */
      const finished = () =>
        db.runPromise(Effect.flatMap(SqlClient.SqlClient, (sql) =>
          sql<{ user_key: string; n: number | string }>`SELECT user_key, COUNT(*) AS n FROM ${sql(SyncStore.CURSORS_TABLE)}
            WHERE last_error IS NULL AND (low <= ${since} OR low = '') GROUP BY user_key`
        ).pipe(Effect.catchAll(() => Effect.succeed([]))), ).then((rows) => rows.filter((r) => Number(r.n) === types.length).length)

      for (let i = 0; i < 3; i++) runners.push(await startRunner(databaseUrl))
      await Promise.all(runners.map((r) => r.ready))
      const started = Date.now()
      runners[0]!.child.stdin!.write("queue\n")

      // SIGKILL the second runner once a fifth of the users are done.
      while ((await finished()) < USERS / 5) {
        if (Date.now() - started > 240_000) throw new Error("no progress")
        await new Promise((resolve) => setTimeout(resolve, 200))
      }
      const killedAt = await finished()
      runners[1]!.child.kill("SIGKILL")
      while ((await finished()) < USERS) {
        if (Date.now() - started > 400_000) throw new Error(`not finished: ${await finished()} of ${USERS}\n${runners.map((r) => r.lines.slice(-5).join("\n")).join("\n---\n")}`)
        await new Promise((resolve) => setTimeout(resolve, 250))
      }
      const elapsed = Date.now() - started
      const doneBy = runners.map((r) => r.lines.filter((l) => l.includes("\"UserDone\"")).length)
      console.log(JSON.stringify({ killedAt, elapsed, doneBy, requests: emu.counters().requests }))
      expect(killedAt).toBeLessThan(USERS)
      expect(doneBy[0]! + doneBy[2]!).toBeGreaterThan(0)

      // Every point once: for each user and type, the database holds exactly what the emulator lists for the synced range.
      const http = NodeGoogleHealth.layer({ clientId: emu.defaultApp.clientId, clientSecret: emu.defaultApp.clientSecret, baseUrl: emu.baseUrl })
      let points = 0
      for (const user of users) {
        const cursors = await db.runPromise(SyncStore.cursors(user))
        expect(cursors.map((c) => c.dataType).sort()).toEqual([...types].sort())
        for (const cursor of cursors) {
          const filter = cursor.low === "" ? undefined : GoogleDataPoints.filters.range(cursor.dataType, cursor.low!, cursor.high!)
          const listed = await Effect.runPromise(Stream.runCollect(GoogleDataPoints.stream(tokens[user]!, cursor.dataType as never, { filter, pageSize: 10_000, keepRaw: true })).pipe(Effect.provide(http)))
          const stored = await db.runPromise(Effect.flatMap(SqlClient.SqlClient, (sql) =>
            sql<{ value_json: string }>`SELECT value_json FROM ${sql(SyncStore.POINTS_TABLE)} WHERE user_key = ${user} AND data_type = ${cursor.dataType}`))
          const expected = Chunk.toReadonlyArray(listed).map((p) => JSON.stringify(p.raw)).sort()
          const got = stored.map((r) => r.value_json).sort()
          expect(got.length, `${user} ${cursor.dataType}`).toBe(expected.length)
          expect(got, `${user} ${cursor.dataType}`).toEqual(expected)
          points += got.length
        }
      }
      console.log(JSON.stringify({ users: USERS, points }))
    } finally {
      for (const r of runners) r.child.kill("SIGKILL")
      await db.dispose()
    }
  }, 600_000)
})
