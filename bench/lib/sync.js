// The sync section: what `Sync` (@fitbit-effect/node/sync) costs in Google requests, memory and
// quota, against the emulator.
//
// 1. Requests vs the minimum: N users × every readable type × one year backfilled on SQLite by one
//    process (a SingleRunner). The emulator counts the requests; the minimum is, per user and type,
//    max(1, ceil(points / page maximum)) for the points stored (the test suite checks they are the
//    emulator's listing), plus one identity request per user.
// 2. Peak RSS flat as history grows: one child backfills 1 user × every type × 1 year, another
//    5 years, each on its own SQLite file; the emulator runs in its own process (sync-emulator.js).
// 3. Quota use: the emulator's Google quota scaled down to Q a minute, the client's set to the
//    same Q; socket runners over one Postgres (a second SingleRunner on one SQLite file is refused
//    by the sync lease: `probeSharedSqlite` checks it) back users up; the requests
//    the emulator let through in each whole minute (aligned to the minute, as its quota is) over
//    Q; the 429s it answered, and whether the sync recovered from every one (cursors complete, no
//    lastError).
// 4. On paper: the requests one user costs a day from the rules table and the emulator's point
//    densities, backfill, polling and notifications, and how many users one project's quota serves.
//
// Parts 2 and 3 run at the same time (part 2 measures memory, which the other's CPU does not
// change, and part 3 is bound by the quota, not the CPU); part 1, timed, runs alone first.
// SYNC_TRACE_GC=1 and SYNC_PROF=<dir> run part 2's processes under --trace-gc and --cpu-prof.
import { execFileSync, fork } from "node:child_process"
import * as fs from "node:fs"
import * as net from "node:net"
import * as os from "node:os"
import * as path from "node:path"

const DAY = 86_400_000
const MINUTE = 60_000

/** Google's published project quota (requests a minute, and a day) and the per-user one. */
export const GOOGLE_QUOTA = { perProjectPerMinute: 120_000, perProjectPerDay: 86_400_000, perUserPerMinute: 300 }

/**
 * The data types Google sends webhook notifications for, as developers.google.com/health/webhooks
 * lists them ("Supported data types"); those a sync cannot list (roll-up only) drop out.
 */
export const NOTIFYING_TYPES = [
  "active-zone-minutes", "activity-level", "altitude", "blood-glucose", "body-fat", "calories-in-heart-rate-zone",
  "daily-heart-rate-variability", "daily-heart-rate-zones", "daily-oxygen-saturation", "daily-respiratory-rate",
  "daily-resting-heart-rate", "daily-sleep-temperature-derivations", "distance", "exercise", "floors", "heart-rate",
  "heart-rate-variability", "height", "hydration-log", "nutrition-log", "respiratory-rate-sleep-summary", "run-vo2-max",
  "sedentary-period", "sleep", "steps", "time-in-heart-rate-zone", "total-calories", "weight"
]

/** The default pass schedule and re-reads of `Sync` (SyncEngine's defaults). */
export const SCHEDULE = { passesPerDay: 96, trailingDays: 3, reconcileDays: 30, reconcilesPerDay: 1, notificationsPerTypePerDay: 24 }

const dateOf = (millis) => new Date(millis).toISOString().slice(0, 10)

/**
 * Forks a module and resolves on its first message of type `readyType`; `ask` sends a message and
 * waits for its answer. The child's output goes to stderr (stdout is the report's), or nowhere.
 */
const start = (file, args, readyType, execArgv = [], quiet = false) =>
  new Promise((resolve, reject) => {
    const child = fork(file, args, { stdio: ["ignore", quiet ? "ignore" : 2, quiet ? "ignore" : 2, "ipc"], execArgv })
    const pending = new Map()
    let nextId = 0
    let exited = false
    child.on("message", (message) => {
      if (message.type === readyType) resolve({ child, ready: message, ask, close })
      else if (message.type === "failed") reject(new Error(message.error))
      else if (message.id !== undefined && pending.has(message.id)) {
        const settle = pending.get(message.id)
        pending.delete(message.id)
        settle(message)
      }
    })
    child.on("exit", (code) => {
      exited = true
      for (const settle of pending.values()) settle({ error: `${path.basename(file)} exited with ${code}` })
      pending.clear()
      reject(new Error(`${path.basename(file)} exited with ${code}`))
    })
    /** Sends a message; its answer, or throws the error it carries. */
    const ask = (message) =>
      new Promise((resolveAnswer, rejectAnswer) => {
        if (exited) return rejectAnswer(new Error(`${path.basename(file)} has exited`))
        const id = nextId++
        pending.set(id, (answer) => (answer.error === undefined ? resolveAnswer(answer) : rejectAnswer(new Error(answer.error))))
        child.send({ ...message, id })
      })
    const close = () =>
      new Promise((resolveClose) => {
        if (exited) return resolveClose()
        const timer = setTimeout(() => child.kill("SIGKILL"), 10_000)
        child.once("exit", () => {
          clearTimeout(timer)
          resolveClose()
        })
        child.send({ type: "close" })
      })
  })

const startWorker = (here, config, execArgv = [], quiet = false) => start(path.join(here, "sync-worker.js"), [JSON.stringify(config)], "ready", execArgv, quiet)

/** A free TCP port on 127.0.0.1. */
const freePort = () =>
  new Promise((resolve, reject) => {
    const server = net.createServer()
    server.on("error", reject)
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address()
      server.close(() => resolve(port))
    })
  })

/** How long the shared-SQLite probe waits for its passes (they take a few seconds when they return at all). */
const PROBE_TIMEOUT = 20_000

const sleep = (millis) => new Promise((resolve) => setTimeout(resolve, millis))

/** A user id the emulator accepts (6 to 8 of A-Z 0-9): a prefix and a number. */
const userId = (prefix, i) => `${prefix}${String(i).padStart(6 - prefix.length, "0")}`

/** Adds users to the emulator in this process and mints each a Google grant. */
const addUsers = (emu, Google, ids, memberSince) =>
  ids.map((id) => {
    emu.addUser({ userId: id, memberSince })
    const minted = Google.grantTokens(emu.state, { userId: id })
    return { user: id, accessToken: minted.accessToken, refreshToken: minted.refreshToken }
  })

/** Per user and type: whether the cursor covers the whole range back to `since`, with no error. */
const incomplete = (status, types, since) => {
  const out = []
  for (const user of status) {
    for (const dataType of types) {
      const t = user.types.find((x) => x.dataType === dataType)
      if (t === undefined) out.push(`${user.user} ${dataType}: no cursor`)
      else if (t.lastError !== null) out.push(`${user.user} ${dataType}: ${t.lastError}`)
      else if (t.synced === null) out.push(`${user.user} ${dataType}: nothing synced`)
      else if (t.synced.start !== "" && t.synced.start > since) out.push(`${user.user} ${dataType}: synced from ${t.synced.start} only`)
    }
  }
  return out
}

// ---------------------------------------------------------------------------------------------
// 1. Requests vs the minimum

const measureBackfill = async ({ here, emu, Google, SyncPlan, users: n, sinceDays, memberSince, log }) => {
  const types = SyncPlan.readableTypes("v4")
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-sync-backfill-"))
  const google = { clientId: emu.defaultApp.clientId, clientSecret: emu.defaultApp.clientSecret, baseUrl: emu.baseUrl }
  const worker = await startWorker(here, { store: { sqlite: path.join(dir, "sync.db") }, google, since: sinceDays })
  try {
    const users = Array.from({ length: n }, (_, i) => userId("SB", i))
    await worker.ask({ type: "grants", grants: addUsers(emu, Google, users, memberSince) })
    const since = dateOf(emu.now() - sinceDays * DAY)
    log(`sync 1/3: backfilling ${n} users × ${types.length} types × ${sinceDays} days on SQLite, one process`)
    emu.resetCounters()
    const pass = await worker.ask({ type: "pass" })
    const counters = emu.counters()
    const { rows } = await worker.ask({ type: "count" })
    const { status } = await worker.ask({ type: "status" })
    const report = await worker.ask({ type: "report" })

    const points = new Map(rows.map((r) => [`${r.user}\u0000${r.dataType}`, r.points]))
    const byType = types.map((dataType) => {
      let stored = 0
      let minimum = 0
      for (const user of users) {
        const p = points.get(`${user}\u0000${dataType}`) ?? 0
        stored += p
        minimum += Math.max(1, Math.ceil(p / SyncPlan.pageMax(dataType)))
      }
      const requests = counters.requestsByPath[`GET /v4/users/me/dataTypes/${dataType}/dataPoints`] ?? 0
      return { dataType, pageMax: SyncPlan.pageMax(dataType), points: stored, minimum, requests }
    })
    const identity = counters.requestsByPath["GET /v4/users/me/identity"] ?? 0
    const minimum = byType.reduce((s, t) => s + t.minimum, 0) + n
    const totalPoints = byType.reduce((s, t) => s + t.points, 0)
    const failedTypes = pass.results.flatMap((r) => r.failedTypes.map((f) => `${r.user} ${f.dataType}: ${f.reason}`))
    return {
      users: n,
      dataTypes: types.length,
      sinceDays,
      days: sinceDays + 2,
      requests: counters.requests,
      identityRequests: identity,
      minimum,
      ratio: counters.requests / minimum,
      rateLimited: counters.rateLimited,
      points: totalPoints,
      elapsedMs: pass.elapsedMs,
      pointsPerSecond: totalPoints / (pass.elapsedMs / 1000),
      syncCpuMs: pass.cpuMicros / 1000,
      peakRssMb: report.maxRssKb / 1024,
      failedTypes,
      incomplete: incomplete(status, types, since),
      byType
    }
  } finally {
    await worker.close()
    fs.rmSync(dir, { recursive: true, force: true })
  }
}

// ---------------------------------------------------------------------------------------------
// 2. Peak RSS, 1 year vs 5 years

export const measureRss = async ({ here, spans, memberSince, log }) => {
  const emulator = await start(path.join(here, "sync-emulator.js"), ["bench-sync-rss"], "listening")
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-sync-rss-"))
  const google = { clientId: emulator.ready.clientId, clientSecret: emulator.ready.clientSecret, baseUrl: emulator.ready.baseUrl }
  try {
    const rows = []
    for (const [i, days] of spans.entries()) {
      log(`sync 2/3: peak RSS of a process backfilling 1 user × every type × ${days} days`)
      const { grant } = await emulator.ask({ type: "user", userId: userId("SR", i), memberSince })
      // --expose-gc: the report also gives the heap live after the pass (a full collection, after maxRSS is read).
      const worker = await startWorker(here, { store: { sqlite: path.join(dir, `${days}.db`) }, google, since: days }, ["--expose-gc", ...(process.env.SYNC_TRACE_GC ? ["--trace-gc"] : []), ...(process.env.SYNC_PROF ? ["--cpu-prof", `--cpu-prof-dir=${process.env.SYNC_PROF}`] : [])])
      try {
        const startRssMb = worker.ready.rssKb / 1024
        await worker.ask({ type: "grants", grants: [grant] })
        const before = (await emulator.ask({ type: "counters" })).counters.requests
        const pass = await worker.ask({ type: "pass" })
        const requests = (await emulator.ask({ type: "counters" })).counters.requests - before
        const report = await worker.ask({ type: "report" })
        const { rows: counted } = await worker.ask({ type: "count" })
        rows.push({
          days,
          points: counted.reduce((s, r) => s + r.points, 0),
          requests,
          elapsedMs: pass.elapsedMs,
          startRssMb,
          peakRssMb: report.maxRssKb / 1024,
          peakHeapUsedMb: report.peaks.heapUsedKb / 1024,
          peakExternalMb: report.peaks.externalKb / 1024,
          liveHeapMb: report.liveHeapKb / 1024,
          failedTypes: pass.results.flatMap((r) => r.failedTypes.map((f) => `${f.dataType}: ${f.reason}`))
        })
      } finally {
        await worker.close()
      }
    }
    const [first, last] = [rows[0], rows[rows.length - 1]]
    return { rows, ratio: last.peakRssMb / first.peakRssMb, heapRatio: last.peakHeapUsedMb / first.peakHeapUsedMb }
  } finally {
    await emulator.close()
    fs.rmSync(dir, { recursive: true, force: true })
  }
}

// ---------------------------------------------------------------------------------------------
// 3. Quota use

/**
 * What a second SingleRunner process on the same SQLite file does: it is refused at start (the
 * sync lease, `SyncLease.SyncBusy`), and the first's pass costs what it costs alone. (Before the
 * lease, each claimed every shard: passes ran in both processes, or never returned.) Answers the
 * refusal, and the requests of a pass alone and with the second process refused beside it.
 */
export const probeSharedSqlite = async ({ here, emu, Google, memberSince }) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-sync-shared-"))
  const google = { clientId: emu.defaultApp.clientId, clientSecret: emu.defaultApp.clientSecret, baseUrl: emu.baseUrl }
  const dataTypes = ["weight", "daily-resting-heart-rate", "moods", "vo2-max"]
  const sinceDays = 365
  const config = (file) => ({ store: { sqlite: path.join(dir, file) }, google, since: sinceDays, dataTypes })
  const run = async (file, second, prefix) => {
    const users = Array.from({ length: 4 }, (_, i) => userId(prefix, i))
    const first = await startWorker(here, config(file), [], true)
    let refusal
    try {
      await first.ask({ type: "grants", grants: addUsers(emu, Google, users, memberSince) })
      if (second) {
        const other = await startWorker(here, config(file), [], true).then((w) => w, (error) => ({ error }))
        if (other.error === undefined) await other.close()
        refusal = other.error === undefined ? undefined : String(other.error.message).split("\n").find((l) => /SyncBusy|another process/.test(l)) ?? String(other.error.message).split("\n")[0]
      }
      const before = emu.counters().requests
      let timer
      const timeout = new Promise((resolve) => (timer = setTimeout(() => resolve("hung"), PROBE_TIMEOUT)))
      const pass = await Promise.race([first.ask({ type: "pass" }), timeout])
      clearTimeout(timer)
      return { requests: emu.counters().requests - before, hung: pass === "hung", refusal }
    } finally {
      await first.close()
    }
  }
  try {
    const one = await run("one.db", false, "SP")
    const two = await run("two.db", true, "SS")
    return {
      users: 4,
      dataTypes,
      sinceDays,
      refused: two.refusal !== undefined,
      refusal: two.refusal?.slice(0, 300),
      requestsAlone: one.requests,
      requestsBesideRefused: two.requests,
      hung: one.hung || two.hung
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
  }
}

const PG_SCRIPT = (here) => path.join(here, "..", "scripts", "pg-test-server.sh")

/** A throwaway PostgreSQL on a random port: `{ url, stop }`, or why there is none. */
const startPostgres = (here) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-sync-pg-"))
  const port = 20_000 + Math.floor(Math.random() * 20_000)
  try {
    const url = execFileSync(PG_SCRIPT(here), ["start", dir, String(port)], { encoding: "utf8", timeout: 60_000, stdio: ["ignore", "pipe", "pipe"] }).trim()
    return { url, stop: () => execFileSync(PG_SCRIPT(here), ["stop", dir], { stdio: "ignore" }) }
  } catch (error) {
    fs.rmSync(dir, { recursive: true, force: true })
    return { skipped: `no PostgreSQL could be started (${String(error.message ?? error).split("\n")[0]})` }
  }
}

/**
 * Counts, per minute (aligned, as the emulator's quota is), the Google requests the emulator let
 * through and those it refused with 429; answers the counts and a function that stops counting.
 */
const countQuotaMinutes = (emu) => {
  const quota = emu.state.googleQuota
  const take = quota.take
  const minutes = new Map()
  quota.take = (clientId, user) => {
    const refused = take(clientId, user)
    const minute = Math.floor(emu.now() / MINUTE)
    const slot = minutes.get(minute) ?? { accepted: 0, refused: 0 }
    if (refused === undefined) slot.accepted++
    else slot.refused++
    minutes.set(minute, slot)
    return refused
  }
  return { minutes, stop: () => (quota.take = take) }
}

export const measureQuota = async ({ here, emu, Google, SyncPlan, perMinute, users: n, sinceDays, runners, memberSince, log }) => {
  const pg = startPostgres(here)
  if (pg.skipped !== undefined) return { skipped: pg.skipped }
  const types = SyncPlan.readableTypes("v4")
  const quota = { perProjectPerMinute: perMinute, perUserPerMinute: GOOGLE_QUOTA.perUserPerMinute }
  const google = { clientId: emu.defaultApp.clientId, clientSecret: emu.defaultApp.clientSecret, baseUrl: emu.baseUrl, quota }
  const workers = []
  const counting = countQuotaMinutes(emu)
  try {
    log(`sync 3/3: ${n} users × every type × ${sinceDays} days through ${runners} socket runners over one Postgres, quota ${perMinute} requests a minute`)
    const users = Array.from({ length: n }, (_, i) => userId("SQ", i))
    const grants = addUsers(emu, Google, users, memberSince)
    for (let i = 0; i < runners; i++) {
      const port = await freePort()
      workers.push(await startWorker(here, {
        store: { postgres: pg.url, maxConnections: 6 },
        runner: { host: "127.0.0.1", port },
        google,
        since: sinceDays,
        // The cluster's shard-lock defaults (a 10 s refresh, which is also the lock operations'
        // timeout): the tests' 1 s one times out under the load of a bench and moves shards mid-run.
        shardingConfig: { entityMessagePollInterval: "1 second" }
      }))
      if (i === 0) await workers[0].ask({ type: "grants", grants })
    }
    emu.setGoogleQuota(quota)
    // Start a second before a minute turns (at least 15 s after the last runner, for the shards to
    // settle among the runners): the first whole minute then begins with the work.
    const settled = Date.now() + 15_000
    const go = (Math.floor((settled + 1_000) / MINUTE) + 1) * MINUTE - 1_000
    await sleep(go - Date.now())
    emu.resetCounters()
    const started = emu.now()
    const pass = await workers[0].ask({ type: "pass" })
    const ended = emu.now()
    const counters = emu.counters()
    const { status } = await workers[0].ask({ type: "status" })
    const reports = []
    for (const w of workers) reports.push((await w.ask({ type: "report" })).events)

    // Every minute the pass touched, those without a request too.
    const byMinute = []
    for (let m = Math.floor(started / MINUTE); m <= Math.floor(ended / MINUTE); m++) {
      const c = counting.minutes.get(m) ?? { accepted: 0, refused: 0 }
      byMinute.push({ minute: new Date(m * MINUTE).toISOString().slice(11, 16), whole: m * MINUTE >= started && (m + 1) * MINUTE <= ended, ...c })
    }
    const whole = byMinute.filter((m) => m.whole)
    const achieved = whole.length === 0 ? NaN : whole.reduce((s, m) => s + m.accepted, 0) / whole.length
    const since = dateOf(started - sinceDays * DAY)
    const unfinished = incomplete(status, types, since)
    const failedTypes = pass.results.flatMap((r) => r.failedTypes.map((f) => `${r.user} ${f.dataType}: ${f.reason}`))
    return {
      perMinute,
      users: n,
      sinceDays,
      runners,
      elapsedMs: ended - started,
      requests: counters.requests,
      rateLimited: counters.rateLimited,
      byMinute,
      wholeMinutes: whole.length,
      achievedPerMinute: achieved,
      use: achieved / perMinute,
      minUse: whole.length === 0 ? NaN : Math.min(...whole.map((m) => m.accepted)) / perMinute,
      unrecovered: unfinished.length + failedTypes.length,
      unrecoveredDetail: [...failedTypes, ...unfinished].slice(0, 10),
      perRunner: reports.map((e) => ({ windows: e.windows, requests: e.requests, quotaWaits: e.quotaWaits }))
    }
  } finally {
    counting.stop()
    emu.setGoogleQuota({ perProjectPerMinute: 1_000_000_000, perUserPerMinute: 1_000_000_000 })
    for (const w of workers) await w.close()
    pg.stop()
  }
}

// ---------------------------------------------------------------------------------------------
// 4. On paper

/** Points a day of every readable type for one emulated user (the mean over `sampleDays` days before today), and the catalogue types' sizes. */
const densitiesOf = (emu, Google, types, sampleDays, memberSince) => {
  const user = emu.addUser({ userId: "SDENS1", memberSince })
  const today = dateOf(emu.now())
  const out = {}
  for (const dataType of types) {
    const catalogue = Google.GoogleData.catalogueOf(user, dataType)
    if (catalogue !== undefined) {
      out[dataType] = { catalogue: catalogue.length }
      continue
    }
    let points = 0
    for (let d = 1; d <= sampleDays; d++) points += Google.GoogleData.pointsOn(emu.seed, user, dataType, dateOf(Date.parse(today) - d * DAY)).length
    out[dataType] = { perDay: points / sampleDays }
  }
  return out
}

/**
 * The requests one user costs, from the rules table (page maxima, window sizing) and the points a
 * day of each type: (a) backfilling `backfillDays`, once; (b) a day of polling on the default pass
 * schedule (each pass re-reads each type's trailing days plus the days ahead, one pass a day the
 * 30-day re-read instead); (c) a day driven by notifications (one an hour per notifying type, one
 * request each), with and without the daily re-read, and with the types Google does not notify
 * polled; and the users one project's quota serves in each case.
 */
export const requestsOnPaper = ({ densities, SyncPlan, backfillDays = 367, schedule = SCHEDULE, quota = GOOGLE_QUOTA, notifying = NOTIFYING_TYPES }) => {
  const types = Object.keys(densities)
  const pages = (dataType, points) => Math.max(1, Math.ceil(points / SyncPlan.pageMax(dataType)))
  /** Requests of a fresh backfill of `days`: the fewest pages that hold the points. */
  const backfill = (dataType, days) => {
    const d = densities[dataType]
    return d.catalogue !== undefined ? pages(dataType, d.catalogue) : pages(dataType, d.perDay * days)
  }
  /** Requests of one pass re-reading `span` days of a type (windows sized by the density, as `forward` does). */
  const reread = (dataType, span) => {
    const d = densities[dataType]
    if (d.catalogue !== undefined) return pages(dataType, d.catalogue)
    if (SyncPlan.shapeOf(dataType) === "from") return pages(dataType, d.perDay * backfillDays) // read whole from `since` on every pass
    const days = SyncPlan.windowDays(dataType, d.perDay, span)
    return Math.ceil(span / days) * pages(dataType, d.perDay * Math.min(days, span))
  }
  const sum = (list, f) => list.reduce((s, t) => s + f(t), 0)
  const notified = types.filter((t) => notifying.includes(t))
  const unnotified = types.filter((t) => !notifying.includes(t))
  const ahead = 2 // a pass reads up to the day after tomorrow (the zones furthest ahead)
  const pass = sum(types, (t) => reread(t, schedule.trailingDays + ahead))
  const reconcile = sum(types, (t) => reread(t, schedule.reconcileDays + ahead))
  const passUnnotified = sum(unnotified, (t) => reread(t, schedule.trailingDays + ahead))
  const perNotification = 1
  const notifications = notified.length * schedule.notificationsPerTypePerDay * perNotification
  const a = sum(types, (t) => backfill(t, backfillDays)) + 1 // + the identity request
  const rows = [
    { key: "backfill", label: `(a) backfill of ${backfillDays} days, once (+1 identity)`, once: a },
    {
      key: "polling",
      label: `(b) polling: a pass every ${24 * 60 / schedule.passesPerDay} min (${schedule.trailingDays} trailing days + ${ahead} ahead), one a day the ${schedule.reconcileDays}-day re-read`,
      perDay: (schedule.passesPerDay - schedule.reconcilesPerDay) * pass + schedule.reconcilesPerDay * reconcile,
      peakPerMinute: Math.max(pass, reconcile)
    },
    {
      key: "notifications",
      label: `(c) notifications: ${notified.length} notifying types × 1 an hour × ${perNotification} request, + the daily ${schedule.reconcileDays}-day re-read`,
      perDay: notifications + reconcile,
      peakPerMinute: reconcile
    },
    {
      key: "notificationsOnly",
      label: `(c) notifications only (no re-read)`,
      perDay: notifications,
      peakPerMinute: notified.length
    },
    {
      key: "notificationsAndPolling",
      label: `(c) notifications + polling the ${unnotified.length} types Google does not notify + the daily re-read`,
      perDay: notifications + (schedule.passesPerDay - schedule.reconcilesPerDay) * passUnnotified + reconcile,
      peakPerMinute: Math.max(reconcile, passUnnotified + notified.length)
    }
  ]
  for (const r of rows) {
    if (r.once !== undefined) {
      r.usersPerMinute = Math.floor(quota.perProjectPerMinute / r.once)
      r.usersPerDay = Math.floor(quota.perProjectPerDay / r.once)
      r.minutesPerUser = Math.ceil(r.once / quota.perUserPerMinute)
    } else {
      // Users the project serves: its daily quota, and its per-minute one with the work spread evenly.
      r.usersByDay = Math.floor(quota.perProjectPerDay / r.perDay)
      r.usersByMinute = Math.floor(quota.perProjectPerMinute / (r.perDay / 1440))
      r.users = Math.min(r.usersByDay, r.usersByMinute)
      r.withinUserQuota = r.peakPerMinute <= quota.perUserPerMinute
    }
  }
  return {
    rows,
    perPass: pass,
    perReconcile: reconcile,
    notifyingTypes: notified,
    notNotifyingTypes: unnotified,
    notifyingNotReadable: notifying.filter((t) => !types.includes(t)),
    densities
  }
}

// ---------------------------------------------------------------------------------------------

const available = async () => {
  try {
    await import("@fitbit-effect/node/sync")
    const emulator = await import("@fitbit-effect/emulator")
    return typeof emulator.Emulator?.startEmulator === "function"
  } catch {
    return false
  }
}

/**
 * What makes the section fail the run (wrong answers, not slowness): a part that failed to run,
 * a backfill that left a type failed or a cursor incomplete, a 429 the quota part did not recover
 * from. The peak-RSS part's failed types are reported, not failed on (the 5-year electrocardiogram read is a
 * known limit of the sync).
 */
export const problems = (sync) => {
  if (sync === undefined) return []
  if (sync.skipped !== undefined) return [`sync: ${sync.skipped}`]
  const out = []
  const b = sync.backfill
  for (const f of [...b.failedTypes, ...b.incomplete].slice(0, 5)) out.push(`sync backfill: ${f}`)
  for (const [name, part] of [["peak RSS", sync.rss], ["quota", sync.quota], ["shared SQLite probe", sync.sharedSqlite]]) {
    if (part?.skipped?.startsWith("failed")) out.push(`sync ${name}: ${part.skipped}`)
  }
  const shared = sync.sharedSqlite
  if (shared !== undefined && shared.skipped === undefined) {
    if (!shared.refused) out.push("sync shared SQLite probe: a second SingleRunner process on the same SQLite file was not refused")
    if (shared.hung) out.push("sync shared SQLite probe: a pass did not return within 20 s")
  }
  if (sync.quota?.unrecovered > 0) out.push(`sync quota: ${sync.quota.unrecovered} cursors left incomplete or failed: ${sync.quota.unrecoveredDetail.join("; ")}`)
  return out
}

/** The whole section. */
export const measureSync = async ({ here, smoke, log }) => {
  if (!(await available())) return { skipped: "@fitbit-effect/node/sync or the emulator is not built" }
  const { Emulator, Google } = await import("@fitbit-effect/emulator")
  const { SyncPlan } = await import("@fitbit-effect/core/sync")
  const started = Date.now()
  const emu = await Emulator.startEmulator({
    seed: "bench-sync",
    googleQuota: { perUserPerMinute: 1_000_000_000, perProjectPerMinute: 1_000_000_000 }
  })
  // Every user joined six years ago: the generator makes data for any day, and the profile agrees.
  const memberSince = dateOf(emu.now() - (6 * 365 + 30) * DAY)
  const plan = smoke
    ? { backfill: { users: 2, sinceDays: 90 }, rss: [60, 300], quota: { perMinute: 120, users: 4, sinceDays: 7, runners: 2 } }
    : { backfill: { users: 5, sinceDays: 365 }, rss: [365, 5 * 365], quota: { perMinute: 600, users: 34, sinceDays: 7, runners: 3 } }
  try {
    const types = SyncPlan.readableTypes("v4")
    const paper = requestsOnPaper({ densities: densitiesOf(emu, Google, types, 91, memberSince), SyncPlan, backfillDays: plan.backfill.sinceDays + 2 })
    const backfill = await measureBackfill({ here, emu, Google, SyncPlan, ...plan.backfill, memberSince, log })
    log("sync: a second SingleRunner process on the same SQLite file")
    const sharedSqlite = await probeSharedSqlite({ here, emu, Google, memberSince }).catch((error) => ({ skipped: `failed: ${String(error?.message ?? error).split("\n")[0]}` }))
    const [rss, quota] = await Promise.all([
      measureRss({ here, spans: plan.rss, memberSince, log }).catch((error) => ({ skipped: `failed: ${String(error?.message ?? error).split("\n")[0]}` })),
      measureQuota({ here, emu, Google, SyncPlan, ...plan.quota, memberSince, log }).catch((error) => ({ skipped: `failed: ${String(error?.message ?? error).split("\n")[0]}` }))
    ])
    const paperBackfill = paper.rows.find((r) => r.key === "backfill").once
    paper.check = {
      paperPerUser: paperBackfill,
      minimumPerUser: backfill.minimum / backfill.users,
      measuredPerUser: backfill.requests / backfill.users,
      paperVsMinimum: paperBackfill / (backfill.minimum / backfill.users),
      measuredVsPaper: backfill.requests / backfill.users / paperBackfill
    }
    return { seconds: (Date.now() - started) / 1000, backfill, sharedSqlite, rss, quota, paper }
  } finally {
    await emu.close()
  }
}
