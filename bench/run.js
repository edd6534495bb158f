// `pnpm bench`: throughput, latency and peak RSS of our clients against the raw-socket limit and
// the peer libraries, in one run on one machine; then cold start, installed size and the
// emulator's throughput. Prints tables (ratios to raw undici) and writes bench/results.json.
//
//   node bench/run.js [--smoke] [--all] [--only=key,key] [--rounds=N] [--batch=N] [--warmup=N]
//                     [--cold-runs=N] [--no-cold] [--no-cli] [--no-emulator] [--no-pages] [--no-legacy] [--no-profiles]
//                     [--out=file] [--baseline=DIR] [--pages-only] [--page-rounds=N] [--sync-only] [--no-sync]
//
// --pages-only measures the large pages and the stream alone (no small calls, cold start, legacy,
// profiles or emulator): the quick run when working on decoding; --page-rounds=N sets the timed
// reads per page (7 by default, 2 with --smoke).
//
// --sync-only measures the sync section alone (bench/lib/sync.js: Google requests of a backfill
// against the minimum, peak RSS as history grows, quota use across processes, and the requests a
// user costs on paper; figures in bench/results-sync.json); --no-sync leaves it out of a full run.
//
// The small-call profile of each client (bench/lib/profiles.js: alone, c=64, under --cpu-prof)
// closes the report: the functions with the most self time, so a regression names its cause.
//
// --baseline=DIR measures our clients a second time as built in DIR, another checkout of this
// repository at an earlier commit (installed and built): their rows, marked "before", run in the
// same rounds as today's, so a change is measured against the code before it in one run.
//
// --all adds the optional contenders (our Google Promise client), left out by default to keep
// the full run under five minutes on a 2-core machine.
//
// Method (see the README's Performance section):
// - The server is a separate process (server.js); every contender is a separate, long-lived
//   worker process (worker.js), so CPU, heap, JIT state and peak RSS belong to one library.
// - Warm-up batches first (not recorded); then rounds: in every round each contender runs one
//   batch at each concurrency level, in an order rotated per round, so drift hits all alike.
// - Requests per second = recorded requests / summed batch wall time; latency percentiles come
//   from an HDR histogram of every recorded request; peak RSS is the worker's maxRSS.
import { fork } from "node:child_process"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import { contenders, REFERENCE } from "./lib/contenders.js"
import { measureInstalls } from "./lib/installed.js"
import { installedSize, measureColdStart, measureFirstCall } from "./lib/coldstart.js"
import { measureCli } from "./lib/cli.js"
import { measureEmulator } from "./lib/emulator.js"
import { measureLegacy } from "./lib/legacy.js"
import { measurePages } from "./lib/pages.js"
import { measureProfiles } from "./lib/profiles.js"
import { measureSync, problems as syncProblems } from "./lib/sync.js"
import * as Table from "./lib/table.js"

const here = path.dirname(fileURLToPath(import.meta.url))

const args = process.argv.slice(2)
const flag = (name) => args.includes(`--${name}`)
const option = (name, fallback) => {
  const found = args.find((a) => a.startsWith(`--${name}=`))
  return found === undefined ? fallback : found.slice(name.length + 3)
}
const smoke = flag("smoke")
const pagesOnly = flag("pages-only")
const syncOnly = flag("sync-only")
/** Whether a section runs: `--no-<name>` leaves it out, and `--pages-only` (`--sync-only`) leaves out all but the pages (the sync). */
const section = (name) => !flag(`no-${name}`) && (!pagesOnly || name === "pages") && (!syncOnly || name === "sync")
const LEVELS = [1, 64]
const ROUNDS = Number(option("rounds", smoke ? 2 : 5))
const BATCH = Number(option("batch", smoke ? 100 : 4_000))
const WARMUP = Number(option("warmup", smoke ? 100 : 500))
const COLD_RUNS = Number(option("cold-runs", smoke ? 1 : 10))
const only = option("only", undefined)?.split(",")
const out = option("out", path.join(here, smoke ? "results-smoke.json" : pagesOnly ? "results-pages.json" : syncOnly ? "results-sync.json" : "results.json"))
const baseline = option("baseline", undefined)
/** Our contenders that --baseline measures again from the other checkout. */
const BASELINE_KEYS = ["effect", "facade", "google-effect"]
/** The label of a contender measured from the baseline checkout. */
const beforeLabel = (label) => `${label}, before (${path.basename(path.resolve(baseline ?? "."))})`

const log = (line) => process.stderr.write(`${line}\n`)

// ---------------------------------------------------------------------------------------------
// Child processes

/** Forks a module and resolves on its first message of type `ready`/`listening`. */
const start = (file, forkArgs, readyType) =>
  new Promise((resolve, reject) => {
    const child = fork(path.resolve(here, file), forkArgs, { stdio: ["ignore", "inherit", "inherit", "ipc"] })
    const pending = new Map()
    let nextId = 0
    child.on("message", (message) => {
      if (message.type === readyType) resolve({ child, ready: message, ask })
      else if (message.type === "failed") reject(new Error(message.error))
      else if (message.id !== undefined && pending.has(message.id)) {
        pending.get(message.id)(message)
        pending.delete(message.id)
      }
    })
    child.on("exit", (code) => {
      for (const settle of pending.values()) settle({ type: "exit", code })
      reject(new Error(`${file} ${forkArgs.join(" ")} exited with ${code}`))
    })
    const ask = (message) =>
      new Promise((resolveAnswer) => {
        const id = nextId++
        pending.set(id, resolveAnswer)
        child.send({ ...message, id })
      })
  })

// ---------------------------------------------------------------------------------------------
// Throughput, latency, memory

const measureClients = async () => {
  const server = await start("server.js", [], "listening")
  const baseUrl = `http://127.0.0.1:${server.ready.port}`
  log(`server: ${baseUrl} (pid ${server.child.pid})`)
  const serverCpu = async () => (await server.ask({ type: "cpu" })).micros

  const keys = Object.keys(contenders).filter((key) =>
    only !== undefined ? only.includes(key) : flag("all") || contenders[key].optional !== true
  )
  const workers = new Map()
  const skipped = {}
  for (const key of keys) {
    const contender = contenders[key]
    try {
      if (contender.available !== undefined && !(await contender.available())) {
        skipped[key] = "not built yet"
        log(`skip ${key}: not available yet`)
        continue
      }
      const worker = await start("worker.js", [key, baseUrl], "ready")
      workers.set(key, worker)
      log(`ready ${key} (pid ${worker.child.pid}, rss after setup ${(worker.ready.rssKb / 1024).toFixed(0)} MB)`)
    } catch (error) {
      skipped[key] = String(error.message).split("\n")[0]
      log(`skip ${key}: ${skipped[key]}`)
    }
  }
  if (baseline !== undefined) {
    for (const key of BASELINE_KEYS.filter((k) => workers.has(k))) {
      try {
        const worker = await start(path.join(path.resolve(baseline), "bench", "worker.js"), [key, baseUrl], "ready")
        workers.set(`${key}:before`, worker)
        log(`ready ${key} from ${baseline} (pid ${worker.child.pid})`)
      } catch (error) {
        skipped[`${key}:before`] = String(error.message).split("\n")[0]
        log(`skip ${key} from ${baseline}: ${skipped[`${key}:before`]}`)
      }
    }
  }
  const active = [...workers.keys()]
  const contenderOf = (key) => contenders[key.replace(/:before$/, "")]

  const totals = new Map(
    active.map((key) => [key, Object.fromEntries(LEVELS.map((c) => [c, { requests: 0, ms: 0, cpuMicros: 0, errors: 0, serverMicros: 0 }]))])
  )
  const firstErrors = {}
  const runBatch = async (key, concurrency, requests, record) => {
    const cpuBefore = await serverCpu()
    const result = await workers.get(key).ask({ type: "run", concurrency, requests, record })
    const cpuAfter = await serverCpu()
    if (result.type !== "done") throw new Error(`${key} died during a batch`)
    if (result.errors > 0) firstErrors[key] ??= result.firstError
    if (record) {
      const total = totals.get(key)[concurrency]
      total.requests += requests
      total.ms += result.elapsedMs
      total.cpuMicros += result.cpuMicros
      total.errors += result.errors
      total.serverMicros += cpuAfter - cpuBefore
    }
  }

  const started = Date.now()
  log(`warm-up: ${WARMUP} requests per contender per level`)
  for (const concurrency of LEVELS) for (const key of active) await runBatch(key, concurrency, WARMUP, false)
  for (let round = 0; round < ROUNDS; round++) {
    const order = active.map((_, i) => active[(i + round) % active.length])
    for (const concurrency of LEVELS) for (const key of order) await runBatch(key, concurrency, BATCH, true)
    log(`round ${round + 1}/${ROUNDS} done (${((Date.now() - started) / 1000).toFixed(0)} s)`)
  }

  const results = {}
  for (const key of active) {
    const report = await workers.get(key).ask({ type: "report" })
    const levels = {}
    for (const concurrency of LEVELS) {
      const total = totals.get(key)[concurrency]
      const latency = report.latency[concurrency]
      levels[concurrency] = {
        requests: total.requests,
        errors: total.errors,
        requestsPerSecond: total.requests / (total.ms / 1000),
        cpuMicrosPerRequest: total.cpuMicros / total.requests,
        p50Ms: latency.p50Ms,
        p99Ms: latency.p99Ms,
        meanMs: latency.meanMs,
        maxMs: latency.maxMs,
        serverCpuPercent: (100 * total.serverMicros) / 1000 / total.ms
      }
    }
    results[key] = {
      label: key.endsWith(":before") ? beforeLabel(contenderOf(key).label) : contenderOf(key).label,
      backend: contenderOf(key).backend,
      levels,
      peakRssMb: report.maxRssKb / 1024,
      ...(firstErrors[key] === undefined ? {} : { firstError: firstErrors[key] })
    }
  }
  for (const worker of workers.values()) worker.child.send({ type: "close" })
  server.child.send({ type: "close" })
  return { results, skipped }
}

/** Each figure with its ratio to the reference contender of the same backend. */
const withRatios = (results) => {
  for (const result of Object.values(results)) {
    const reference = results[REFERENCE[result.backend]]
    if (reference === undefined) continue
    result.ratios = {
      peakRss: result.peakRssMb / reference.peakRssMb,
      levels: Object.fromEntries(
        LEVELS.map((c) => {
          const mine = result.levels[c]
          const ref = reference.levels[c]
          return [c, {
            requestsPerSecond: mine.requestsPerSecond / ref.requestsPerSecond,
            cpuPerRequest: mine.cpuMicrosPerRequest / ref.cpuMicrosPerRequest,
            p50: mine.p50Ms / ref.p50Ms,
            p99: mine.p99Ms / ref.p99Ms
          }]
        })
      )
    }
  }
  return results
}

// ---------------------------------------------------------------------------------------------

const machine = () => ({
  cpus: os.cpus().length,
  cpuModel: os.cpus()[0]?.model ?? "unknown",
  memoryGb: Math.round(os.totalmem() / 2 ** 30),
  node: process.version,
  platform: `${os.type()} ${os.release()} ${os.arch()}`,
  loadAverageAtStart: os.loadavg().map((n) => Number(n.toFixed(2)))
})

const main = async () => {
  const startedAt = new Date()
  const host = machine()
  const t0 = Date.now()
  log(`fitbit-effect bench${smoke ? " (smoke)" : ""}: ${ROUNDS} rounds x ${BATCH} requests per contender per level (${LEVELS.join(", ")}), warm-up ${WARMUP}`)
  const { results, skipped } = pagesOnly || syncOnly ? { results: {}, skipped: {} } : await measureClients()
  withRatios(results)

  let coldStart
  let firstCall
  let sizes
  let packedInstalls
  if (section("cold")) {
    log(`cold start: ${COLD_RUNS} fresh processes per package`)
    coldStart = measureColdStart(here, COLD_RUNS)
    log(`cold start to the first Google call: ${COLD_RUNS} fresh processes per client`)
    firstCall = measureFirstCall(here, COLD_RUNS)
    log("installed size: packed tarballs installed with npm in empty projects")
    packedInstalls = measureInstalls(path.resolve(here, ".."), smoke ? [] : ["fitbit-node@2.2.0", "googleapis@188.0.0"])
    sizes = ["@fitbit-effect/node", "@fitbit-effect/core", "fitbit-node", "googleapis", "undici"].map((name) =>
      installedSize(name, here)
    )
  }

  let cli
  if (section("cli")) {
    log(`command line: ${COLD_RUNS} fresh processes per command`)
    cli = await measureCli({ root: path.resolve(here, ".."), runs: COLD_RUNS })
  }

  let pages
  if (section("pages")) {
    log("large pages and streams")
    pages = await measurePages({ here, rounds: Number(option("page-rounds", smoke ? 2 : 7)), log, baseline, beforeLabel })
  }

  let legacy
  if (section("legacy")) {
    log("fitbit-node calls on Google Health: requests and round trips")
    legacy = await measureLegacy()
  }

  let profiles
  if (section("profiles")) {
    log("small-call profiles: each client alone under --cpu-prof, c=64")
    profiles = measureProfiles({ here, keys: ["effect", "facade", "fitbit-node", "google-effect", "googleapis"], requests: smoke ? 500 : 20_000 })
  }

  let emulator
  if (section("emulator")) {
    log("emulator throughput")
    emulator = await measureEmulator({ here, seconds: smoke ? 1 : 3, warmup: smoke ? 20 : 300 })
  }

  let sync
  if (section("sync")) {
    log("sync: backfill requests, peak RSS, quota use, requests on paper")
    sync = await measureSync({ here, smoke, log })
  }

  const report = {
    startedAt: startedAt.toISOString(),
    durationSeconds: (Date.now() - t0) / 1000,
    mode: `${smoke ? "smoke" : pagesOnly ? "pages only" : syncOnly ? "sync only" : "full"}${smoke && syncOnly ? ", sync only" : ""}`,
    ...(baseline === undefined ? {} : { baseline: path.resolve(baseline) }),
    machine: host,
    method: { levels: LEVELS, rounds: ROUNDS, batch: BATCH, warmup: WARMUP, requestsPerLevel: ROUNDS * BATCH, coldRuns: COLD_RUNS },
    clients: results,
    skipped,
    coldStart,
    firstCall,
    cli,
    installedSize: sizes,
    packedInstalls,
    pages,
    legacy,
    profiles,
    emulator,
    sync
  }
  fs.writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`)
  process.stdout.write(Table.render(report))
  log(`\nresults: ${path.relative(process.cwd(), out)} (${report.durationSeconds.toFixed(0)} s)`)
  const failedSetups = Object.entries(skipped).filter(([, why]) => why !== "not built yet")
  for (const [key, why] of failedSetups) log(`SETUP FAILED for ${key}: ${why}`)
  if (failedSetups.length > 0) process.exitCode = 1
  for (const problem of syncProblems(sync)) {
    log(`SYNC FAILED: ${problem}`)
    process.exitCode = 1
  }
  const errors = Object.entries(results).filter(([, r]) => LEVELS.some((c) => r.levels[c].errors > 0))
  if (errors.length > 0) {
    for (const [key, r] of errors) log(`ERRORS in ${key}: ${r.firstError}`)
    process.exitCode = 1
  }
}

main().catch((error) => {
  log(String(error?.stack ?? error))
  process.exit(1)
})
