// Large pages and long streams: one `dataPoints.list` page of 100, 1,000 and 10,000 heart-rate
// and steps points and of 25 sleep sessions, read whole by raw undici + JSON.parse, googleapis
// and our `GoogleDataPoints.list`; the 200,000-point stream (20 pages of 10,000) read point by point
// (time, and peak RSS above the process's RSS after set-up); and the heap each kept point costs.
// The pages come from the benchmark server in its own process (server.js --pages); every
// contender runs in its own process per job (pages-worker.js), the page job twice in rotated
// order so drift hits all alike.
import { fork } from "node:child_process"
import * as path from "node:path"
import { pageContenders } from "./page-contenders.js"
import { PAGES } from "./pages-fixtures.js"

/** Runs one job of a contender in its own process: `ours:before` in the baseline checkout's worker. */
const run = (here, baseline, [key, ...args], execArgv = []) =>
  new Promise((resolve, reject) => {
    const before = key.endsWith(":before")
    const worker = before ? path.join(path.resolve(baseline), "bench", "pages-worker.js") : path.join(here, "pages-worker.js")
    const child = fork(worker, [before ? key.slice(0, -":before".length) : key, ...args], { stdio: ["ignore", "inherit", "inherit", "ipc"], execArgv })
    child.on("message", (m) => (m.type === "done" ? resolve(m.result) : reject(new Error(m.error))))
    child.on("exit", (code) => code !== 0 && reject(new Error(`pages-worker ${args.join(" ")} exited with ${code}`)))
  })

const startServer = (here) =>
  new Promise((resolve, reject) => {
    const child = fork(path.join(here, "server.js"), ["--pages"], { stdio: ["ignore", "inherit", "inherit", "ipc"] })
    child.on("message", (m) => m.type === "listening" && resolve({ child, baseUrl: `http://127.0.0.1:${m.port}` }))
    child.on("exit", (code) => reject(new Error(`server exited with ${code}`)))
  })

/** Runs every job; answers the figures by contender, with ratios to raw undici and to googleapis. */
export const measurePages = async ({ here, rounds, log, baseline, beforeLabel }) => {
  const server = await startServer(here)
  try {
    const keys = [...Object.keys(pageContenders), ...(baseline === undefined ? [] : ["ours:before"])]
    const pages = Object.fromEntries(keys.map((k) => [k, {}]))
    for (let pass = 0; pass < 2; pass++) {
      for (let i = 0; i < keys.length; i++) {
        const key = keys[(i + pass) % keys.length]
        const result = await run(here, baseline, [key, server.baseUrl, "pages", String(rounds)])
        for (const [page, ms] of Object.entries(result)) pages[key][page] = (pages[key][page] ?? 0) + ms / 2
      }
      log(`large pages: pass ${pass + 1}/2 done`)
    }
    const streams = {}
    const collected = {}
    for (const key of keys) {
      streams[key] = await run(here, baseline, [key, server.baseUrl, "stream"], ["--expose-gc"])
      collected[key] = await run(here, baseline, [key, server.baseUrl, "collect"], ["--expose-gc"])
    }
    log("streams and kept points measured")
    const rows = PAGES.map(([type, size]) => {
      const page = `${type}|${size}`
      const ms = Object.fromEntries(keys.map((k) => [k, pages[k][page]]))
      return {
        type,
        size,
        ms,
        vsRaw: ms.ours / ms.raw,
        vsGoogleapis: ms.ours / ms.googleapis,
        ...(baseline === undefined ? {} : { vsBefore: ms.ours / ms["ours:before"] })
      }
    })
    const stream = Object.fromEntries(keys.map((k) => [k, { ...streams[k], bytesPerPoint: collected[k].bytesPerPoint }]))
    return {
      labels: Object.fromEntries(keys.map((k) => [k, k === "ours:before" ? beforeLabel(pageContenders.ours.label) : pageContenders[k].label])),
      rows,
      stream,
      streamRatios: {
        peakVsRaw: stream.ours.peakAboveBaselineMb / stream.raw.peakAboveBaselineMb,
        timeVsRaw: stream.ours.elapsedMs / stream.raw.elapsedMs,
        timeVsGoogleapis: stream.ours.elapsedMs / stream.googleapis.elapsedMs,
        bytesPerPointVsGoogleapis: stream.ours.bytesPerPoint / stream.googleapis.bytesPerPoint
      }
    }
  } finally {
    server.child.kill()
  }
}
