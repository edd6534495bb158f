// One page contender in its own process (forked by lib/pages.js with the contender's key, the
// server's base URL and the job): `pages` times every page of the table, `stream` reads the
// 200,000-point stream once (peak RSS above the RSS after set-up), `collect`
// keeps 10,000 points (heap bytes per point, with --expose-gc). Answers one IPC message.
import { performance } from "node:perf_hooks"
import { clearInterval, setInterval } from "node:timers"
import { pageContenders } from "./lib/page-contenders.js"
import { PAGES } from "./lib/pages-fixtures.js"

const [key, baseUrl, job, roundsArg] = process.argv.slice(2)
const rounds = Number(roundsArg ?? 5)

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}

const main = async () => {
  const contender = await pageContenders[key].setup(baseUrl)
  if (job === "pages") {
    const out = {}
    for (const [type, size] of PAGES) {
      const expected = size
      for (let i = 0; i < 2; i++) await contender.page(type, size) // warm-up
      const times = []
      for (let i = 0; i < rounds; i++) {
        const start = performance.now()
        const n = await contender.page(type, size)
        times.push(performance.now() - start)
        if (n !== expected) throw new Error(`${type} ${size}: got ${n} points`)
      }
      out[`${type}|${size}`] = median(times)
    }
    process.send({ type: "done", result: out })
  } else if (job === "stream") {
    globalThis.gc?.()
    const baseline = process.memoryUsage.rss()
    let peak = baseline
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 5)
    const start = performance.now()
    const n = await contender.stream()
    const elapsedMs = performance.now() - start
    clearInterval(sampler)
    peak = Math.max(peak, process.memoryUsage.rss(), process.resourceUsage().maxRSS * 1024)
    if (n !== 200_000) throw new Error(`stream: got ${n} points`)
    process.send({ type: "done", result: { elapsedMs, peakAboveBaselineMb: (peak - baseline) / 1e6 } })
  } else if (job === "collect") {
    await contender.collect(100)
    globalThis.gc()
    const before = process.memoryUsage().heapUsed
    const kept = await contender.collect(10000)
    globalThis.gc()
    const after = process.memoryUsage().heapUsed
    if (kept.length !== 10000) throw new Error(`collect: got ${kept.length} points`)
    process.send({ type: "done", result: { bytesPerPoint: (after - before) / kept.length } })
  }
  await contender.close()
  process.exit(0)
}

main().catch((error) => {
  process.send({ type: "failed", error: String(error?.stack ?? error) })
  process.exit(1)
})
