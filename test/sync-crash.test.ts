// Issue 32: a process killed between a window's read and its commit leaves nothing half-written.
// A sync runs in its own process on SQLite and is SIGKILLed right after the emulator has answered
// its k-th request (while it decodes that page or writes it): the database then holds, for every
// user and type, exactly what the emulator lists for the days its cursor says are synced, and no
// point outside them. The next process finishes the work; at the end the database mirrors the
// emulator, each point once.
import { GoogleDataPoints } from "@fitbit-effect/core"
import { SyncStore } from "@fitbit-effect/core/sync"
import { Emulator } from "@fitbit-effect/emulator"
import { NodeGoogleHealth } from "@fitbit-effect/node"
import * as Sql from "@fitbit-effect/node/sql"
import * as SqlClient from "@effect/sql/SqlClient"
import { Chunk, Effect, Layer, ManagedRuntime, Stream } from "effect"
import { spawn } from "node:child_process"
import * as Fs from "node:fs"
import * as Os from "node:os"
import * as Path from "node:path"
import { fileURLToPath } from "node:url"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { storeGoogleUsers } from "./fixtures/googleUsers.js"

const root = fileURLToPath(new URL("..", import.meta.url))
const script = Path.join(root, "test", "fixtures", "sync-once.mjs")
const dir = Fs.mkdtempSync(Path.join(Os.tmpdir(), "sync-crash-"))
const DATA_TYPES = ["heart-rate", "steps", "sleep", "weight", "daily-resting-heart-rate", "activity-level"]

type Emu = Awaited<ReturnType<typeof Emulator.startEmulator>>
let emu: Emu
beforeAll(async () => {
  emu = await Emulator.startEmulator({ seed: "sync-crash", googleQuota: { perUserPerMinute: 1_000_000, perProjectPerMinute: 1_000_000 } })
})
afterAll(async () => {
  await emu.close()
  Fs.rmSync(dir, { recursive: true, force: true })
})

/** Runs one pass in a child process; with `killAfter`, SIGKILLs it as soon as the emulator has answered that many more requests. */
const runPass = (file: string, killAfter?: number) =>
  new Promise<"killed" | "done">((resolve, reject) => {
    const start = emu.counters().requests
    const child = spawn(process.execPath, [script], {
      cwd: Path.join(root, "test"),
      env: { ...process.env, SQLITE_FILE: file, BASE_URL: emu.baseUrl, CLIENT_ID: emu.defaultApp.clientId, CLIENT_SECRET: emu.defaultApp.clientSecret, SINCE_DAYS: "60", DATA_TYPES: DATA_TYPES.join(",") },
      stdio: ["ignore", "pipe", "pipe"]
    })
    let output = ""
    child.stdout.on("data", (d: Buffer) => (output += d.toString()))
    child.stderr.on("data", (d: Buffer) => (output += d.toString()))
    let killed = false
    const watch = () => {
      if (child.exitCode !== null || killed) return
      if (killAfter !== undefined && emu.counters().requests - start >= killAfter) {
        killed = child.kill("SIGKILL")
        return
      }
      setImmediate(watch)
    }
    if (killAfter !== undefined) setImmediate(watch)
    child.on("exit", (code, signal) => {
      if (signal === "SIGKILL") resolve("killed")
      else if (code === 0 && output.includes("\"done\"")) resolve("done")
      else reject(new Error(`the sync process exited with ${code}: ${output}`))
    })
  })

describe("Sync killed between a window's read and its commit (SQLite, own process)", () => {
  it("after each SIGKILL the database holds whole windows only; the next process finishes; every point once", async () => {
    const file = Path.join(dir, "crash.db")
    const db = ManagedRuntime.make(Layer.provideMerge(Sql.layer({ sqlite: file }), Sql.sqlClient({ sqlite: file })))
    const http = NodeGoogleHealth.layer({ clientId: emu.defaultApp.clientId, clientSecret: emu.defaultApp.clientSecret, baseUrl: emu.baseUrl })
    try {
      const users = ["CRASHA01", "CRASHB02"]
      const tokens = await storeGoogleUsers(emu, (effect) => db.runPromise(effect), users)

      /** For every cursor: the stored points are exactly the emulator's for the synced days, and none lie outside them. */
      const expectWholeWindows = async () => {
        let synced = 0
        for (const user of users) {
          const cursors = await db.runPromise(SyncStore.cursors(user))
          for (const dataType of DATA_TYPES) {
            const cursor = cursors.find((c) => c.dataType === dataType)
            const rows = await db.runPromise(Effect.flatMap(SqlClient.SqlClient, (sql) =>
              sql<{ value_json: string; day: string }>`SELECT value_json, day FROM ${sql(SyncStore.POINTS_TABLE)} WHERE user_key = ${user} AND data_type = ${dataType}`))
            if (cursor === undefined || cursor.low === null || cursor.high === null) {
              expect(rows, `${user} ${dataType}: points without a cursor`).toEqual([])
              continue
            }
            expect(rows.filter((r) => r.day < cursor.low! || r.day >= cursor.high!), `${user} ${dataType}: points outside ${cursor.low}..${cursor.high}`).toEqual([])
            const filter = GoogleDataPoints.filters.range(dataType, cursor.low, cursor.high)
            const listed = await Effect.runPromise(Stream.runCollect(GoogleDataPoints.stream(tokens[user]!, dataType as never, { filter, pageSize: 10_000, keepRaw: true })).pipe(Effect.provide(http)))
            expect(rows.map((r) => r.value_json).sort(), `${user} ${dataType} ${cursor.low}..${cursor.high}`).toEqual(Chunk.toReadonlyArray(listed).map((p) => JSON.stringify(p.raw)).sort())
            synced += rows.length
          }
        }
        return synced
      }

      const kills: Array<{ after: number; synced: number }> = []
      for (const after of [3, 5, 9]) {
        expect(await runPass(file, after)).toBe("killed")
        kills.push({ after, synced: await expectWholeWindows() })
      }
      // The kills landed while work was left: the last one found points stored and windows to go.
      expect(kills[kills.length - 1]!.synced).toBeGreaterThan(0)
      expect(await runPass(file)).toBe("done")
      const total = await expectWholeWindows()
      expect(total).toBeGreaterThan(kills[kills.length - 1]!.synced)
      for (const user of users) {
        const cursors = await db.runPromise(SyncStore.cursors(user))
        expect(cursors.filter((c) => DATA_TYPES.includes(c.dataType)).map((c) => c.lastError)).toEqual(DATA_TYPES.map(() => null))
      }
    } finally {
      await db.dispose()
    }
  }, 180_000)
})
