// One contender in its own process, forked by run.js with the contender's key and the server's
// base URL. It sets the contender up once, then runs batches on command, so the orchestrator can
// interleave contenders round by round while each keeps its own heap, JIT state and peak RSS.
//
// IPC in:  {type: "run", id, concurrency, requests, record}  -> {type: "done", id, elapsedMs, cpuMicros, errors, firstError}
//          {type: "report", id}                              -> {type: "report", id, latency, maxRssKb, rssKb}
//          {type: "close"}
// IPC out: {type: "ready", rssKb} once set up, or {type: "failed", error}.
import { createHistogram, performance } from "node:perf_hooks"
import { contenders } from "./lib/contenders.js"

const [key, baseUrl] = process.argv.slice(2)
const contender = contenders[key]
const histograms = new Map() // concurrency -> RecordableHistogram (nanoseconds)

const histogramFor = (concurrency) => {
  let histogram = histograms.get(concurrency)
  if (histogram === undefined) {
    histogram = createHistogram({ lowest: 1, highest: 60e9, figures: 3 })
    histograms.set(concurrency, histogram)
  }
  return histogram
}

/** Runs `requests` calls with `concurrency` loops in flight; every call's latency goes to the histogram. */
const runBatch = async (call, concurrency, requests, record) => {
  const histogram = record ? histogramFor(concurrency) : undefined
  let remaining = requests
  let errors = 0
  let firstError
  const loop = async () => {
    while (remaining > 0) {
      remaining--
      const start = performance.now()
      try {
        await call()
      } catch (error) {
        errors++
        firstError ??= String(error?.stack ?? error).slice(0, 500)
      }
      if (histogram !== undefined) histogram.record(Math.max(1, Math.round((performance.now() - start) * 1e6)))
    }
  }
  const cpuBefore = process.cpuUsage()
  const start = performance.now()
  await Promise.all(Array.from({ length: Math.min(concurrency, requests) }, loop))
  const elapsedMs = performance.now() - start
  const cpu = process.cpuUsage(cpuBefore)
  return { elapsedMs, cpuMicros: cpu.user + cpu.system, errors, firstError }
}

const main = async () => {
  const { call, close } = await contender.setup(baseUrl)
  await call() // one checked request before anything is timed: a wrong setup fails here
  process.send({ type: "ready", rssKb: Math.round(process.memoryUsage.rss() / 1024) })
  process.on("message", async (message) => {
    if (message.type === "run") {
      const result = await runBatch(call, message.concurrency, message.requests, message.record)
      process.send({ type: "done", id: message.id, ...result })
    } else if (message.type === "report") {
      const latency = {}
      for (const [concurrency, h] of histograms) {
        latency[concurrency] = {
          count: h.count,
          meanMs: h.mean / 1e6,
          p50Ms: h.percentile(50) / 1e6,
          p99Ms: h.percentile(99) / 1e6,
          maxMs: h.max / 1e6
        }
      }
      process.send({
        type: "report",
        id: message.id,
        latency,
        maxRssKb: process.resourceUsage().maxRSS,
        rssKb: Math.round(process.memoryUsage.rss() / 1024)
      })
    } else if (message.type === "close") {
      await close()
      process.disconnect()
      process.exit(0)
    }
  })
}

main().catch((error) => {
  process.send({ type: "failed", error: String(error?.stack ?? error) })
  process.exit(1)
})
