// One Sync process for the sync section (forked by lib/sync.js): `SyncNode.layer` over the
// database it is given (a SingleRunner, or a socket runner with `runner`), against the emulator
// the orchestrator runs in its own process, so this process's peak RSS is the sync's alone.
//
// argv[2]: JSON { store, google, since, dataTypes?, runner?, shardingConfig? }
// IPC in:  {type: "grants", id, grants: [{user, accessToken, refreshToken}]} -> {type: "done", id}
//          {type: "pass", id}    -> {type: "done", id, results, elapsedMs, cpuMicros}  (Sync.runPass)
//          {type: "status", id}  -> {type: "done", id, status}                          (Sync.status())
//          {type: "count", id}   -> {type: "done", id, rows: [{user, dataType, points}]} (the points table)
//          {type: "report", id}  -> {type: "done", id, maxRssKb, peaks, liveHeapKb, events} (liveHeapKb with --expose-gc)
//          {type: "close"}
// IPC out: {type: "ready", rssKb} once the layer is built, or {type: "failed", error}.
import { createRequire } from "node:module"
import * as path from "node:path"
import { performance } from "node:perf_hooks"
import { fileURLToPath } from "node:url"
import { setInterval } from "node:timers"
import { OAuth, TokenStore } from "@fitbit-effect/core"
import { Sync, SyncStore } from "@fitbit-effect/core/sync"
import * as SyncNode from "@fitbit-effect/node/sync"
import { Effect, Either, ManagedRuntime, Stream } from "effect"

const here = path.dirname(fileURLToPath(import.meta.url))
// The SqlClient tag as @fitbit-effect/node resolves it (the bench does not depend on @effect/sql itself).
const nodePackage = createRequire(path.join(here, "node_modules", "@fitbit-effect", "node", "package.json"))
const { SqlClient } = await import(nodePackage.resolve("@effect/sql/SqlClient"))

const config = JSON.parse(process.argv[2])
const runtime = ManagedRuntime.make(SyncNode.layer({ schedule: false, ...config }))

/** What this process's sync reported: windows, requests, points, quota waits, failures. */
const events = { windows: 0, requests: 0, points: 0, quotaWaits: 0, quotaWaitMillis: 0, typeFailed: [], parked: [] }

/** The heap's high-water marks, sampled every 100 ms (maxRSS says how much; these say where). */
const peaks = { heapUsedKb: 0, externalKb: 0, arrayBuffersKb: 0 }
setInterval(() => {
  const m = process.memoryUsage()
  peaks.heapUsedKb = Math.max(peaks.heapUsedKb, Math.round(m.heapUsed / 1024))
  peaks.externalKb = Math.max(peaks.externalKb, Math.round(m.external / 1024))
  peaks.arrayBuffersKb = Math.max(peaks.arrayBuffersKb, Math.round(m.arrayBuffers / 1024))
}, 100).unref()

const handlers = {
  grants: async ({ grants }) => {
    for (const { accessToken, refreshToken, user } of grants) {
      const set = Either.getOrThrow(OAuth.tokenSetFromWire({ access_token: accessToken, refresh_token: refreshToken, expires_in: 3600 }, Date.now()))
      await runtime.runPromise(Effect.flatMap(TokenStore.TokenStore, (store) => store.set(`google:${user}`, TokenStore.initialGrant(set, Date.now()))))
    }
    return {}
  },
  pass: async () => {
    const cpu = process.cpuUsage()
    const start = performance.now()
    const results = await runtime.runPromise(Sync.runPass)
    const elapsedMs = performance.now() - start
    const used = process.cpuUsage(cpu)
    return { results, elapsedMs, cpuMicros: used.user + used.system }
  },
  status: async () => ({ status: await runtime.runPromise(Sync.status()) }),
  count: async () => ({
    rows: (await runtime.runPromise(Effect.flatMap(SqlClient, (sql) =>
      sql`SELECT user_key, data_type, COUNT(*) AS n FROM ${sql(SyncStore.POINTS_TABLE)} GROUP BY user_key, data_type`))).map((r) => ({
        user: r.user_key,
        dataType: r.data_type,
        points: Number(r.n)
      }))
  }),
  report: async () => {
    const maxRssKb = process.resourceUsage().maxRSS
    // With --expose-gc, the heap still live after a full collection (what the pass keeps).
    let liveHeapKb
    if (typeof globalThis.gc === "function") {
      globalThis.gc()
      liveHeapKb = Math.round(process.memoryUsage().heapUsed / 1024)
    }
    return { maxRssKb, peaks, liveHeapKb, events }
  }
}

const main = async () => {
  const sync = await runtime.runPromise(Sync.Sync)
  runtime.runFork(Stream.runForEach(sync.events, (event) =>
    Effect.sync(() => {
      switch (event._tag) {
        case "Window":
          events.windows++
          events.requests += event.requests
          events.points += event.points
          break
        case "QuotaWait":
          events.quotaWaits++
          events.quotaWaitMillis += event.millis
          break
        case "TypeFailed":
          events.typeFailed.push(`${event.user} ${event.dataType}: ${event.reason}`)
          break
        case "Parked":
          events.parked.push(`${event.user}: ${event.reason}`)
          break
      }
    })))
  process.on("message", async (message) => {
    if (message.type === "close") {
      await runtime.dispose().catch(() => {})
      process.exit(0)
    }
    const handler = handlers[message.type]
    try {
      process.send({ type: "done", id: message.id, ...(await handler(message)) })
    } catch (error) {
      process.send({ type: "done", id: message.id, error: String(error?.stack ?? error).slice(0, 2000) })
    }
  })
  process.on("disconnect", () => process.exit(0))
  process.send({ type: "ready", rssKb: Math.round(process.memoryUsage.rss() / 1024) })
}

main().catch((error) => {
  process.send?.({ type: "failed", error: String(error?.stack ?? error) })
  process.exit(1)
})
