// Issue 32: Sync on one machine (SingleRunner over SQLite) against the emulator.
import { GoogleDataPoints, OAuth, TokenStore } from "@fitbit-effect/core"
import { Sync, SyncStore } from "@fitbit-effect/core/sync"
import { Emulator, Google } from "@fitbit-effect/emulator"
import * as SyncNode from "@fitbit-effect/node/sync"
import { NodeGoogleHealth } from "@fitbit-effect/node"
import * as SqlClient from "@effect/sql/SqlClient"
import { Chunk, Effect, Either, Layer, ManagedRuntime, Stream } from "effect"
import * as Fs from "node:fs"
import * as Os from "node:os"
import * as Path from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"

type Emu = Awaited<ReturnType<typeof Emulator.startEmulator>>
let emu: Emu
let dir: string

beforeAll(async () => {
  emu = await Emulator.startEmulator({ seed: "sync", googleQuota: { perUserPerMinute: 1_000_000, perProjectPerMinute: 1_000_000 } })
  dir = Fs.mkdtempSync(Path.join(Os.tmpdir(), "sync-"))
})
afterAll(async () => {
  await emu.close()
  Fs.rmSync(dir, { recursive: true, force: true })
})

const grantOf = (minted: { accessToken: string; refreshToken: string }) =>
  Either.getOrThrow(OAuth.tokenSetFromWire({ access_token: minted.accessToken, refresh_token: minted.refreshToken, expires_in: 3600 }, Date.now()))

describe("Sync on one machine (SQLite)", () => {
  it("backfills every readable type of 3 users: every point once, as the emulator lists them", async () => {
    const file = Path.join(dir, "one.db")
    const google = { clientId: emu.defaultApp.clientId, clientSecret: emu.defaultApp.clientSecret, baseUrl: emu.baseUrl }
    const runtime = ManagedRuntime.make(SyncNode.layer({ store: { sqlite: file }, google, since: 30, schedule: false }))
    try {
      const users = ["SYNCA001", "SYNCB002", "SYNCC003"]
      const tokens: Record<string, string> = {}
      for (const user of users) {
        emu.addUser({ userId: user })
        const minted = Google.grantTokens(emu.state, { userId: user })
        tokens[user] = minted.accessToken
        await runtime.runPromise(Effect.flatMap(TokenStore.TokenStore, (store) => store.set(`google:${user}`, TokenStore.initialGrant(grantOf(minted), Date.now()))))
      }
      const t0 = Date.now()
      const results = await runtime.runPromise(Effect.flatMap(Sync.Sync, (sync) => sync.runPass))
      console.log("pass", Date.now() - t0, "ms", JSON.stringify(results.map((r) => ({ u: r.user, req: r.requests, pts: r.points, f: r.failedTypes }))))
      const types = Sync.readableTypes("v4")
      const http = NodeGoogleHealth.layer(google)
      for (const user of users) {
        const status = await runtime.runPromise(Effect.flatMap(Sync.Sync, (sync) => sync.status(user)))
        for (const dataType of types) {
          const cursor = status[0]!.types.find((t) => t.dataType === dataType)!
          expect(cursor.lastError, `${user} ${dataType}`).toBeNull()
          const range = cursor.synced!
          const filter = GoogleDataPoints.filters.range(dataType, range.start, range.end)
          const listed = await Effect.runPromise(Stream.runCollect(GoogleDataPoints.stream(tokens[user]!, dataType, { filter, pageSize: 10_000, keepRaw: true })).pipe(Effect.provide(http)))
          const stored = await runtime.runPromise(Effect.flatMap(SqlClient.SqlClient, (sql) => sql<{ value_json: string }>`SELECT value_json FROM ${sql(SyncStore.POINTS_TABLE)} WHERE user_key = ${user} AND data_type = ${dataType}`))
          const a = Chunk.toReadonlyArray(listed).map((p) => JSON.stringify(p.raw)).sort()
          const b = stored.map((r) => r.value_json).sort()
          expect(b.length, `${user} ${dataType}`).toBe(a.length)
          expect(b).toEqual(a)
        }
      }
    } finally {
      await runtime.dispose()
    }
  }, 300_000)
})
