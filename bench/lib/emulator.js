// Emulator throughput: how many requests per second @fitbit-effect/emulator answers, so users
// know what a test suite against it can expect. The emulator runs in its own process; the
// client is raw undici in this process (the cheapest client, so the figure is the emulator's).
import { fork } from "node:child_process"
import * as path from "node:path"
import { createHistogram, performance } from "node:perf_hooks"

const ENDPOINTS = [
  ["GET /1/user/-/profile.json", "/1/user/-/profile.json"],
  ["GET /1/user/-/activities/date/2026-11-20.json", "/1/user/-/activities/date/2026-11-20.json"]
]
const LEVELS = [1, 16]

const available = async () => {
  try {
    const emulator = await import("@fitbit-effect/emulator")
    return typeof emulator.startEmulator === "function"
  } catch {
    return false
  }
}

/** Runs `concurrency` request loops for `seconds` (or, for the warm-up, until `requests` are done). */
const measure = async (request, url, headers, concurrency, { requests = Infinity, seconds = Infinity }) => {
  const histogram = createHistogram()
  let remaining = requests
  let done = 0
  let errors = 0
  let firstError
  const deadline = performance.now() + seconds * 1000
  const loop = async () => {
    while (remaining-- > 0 && performance.now() < deadline) {
      const start = performance.now()
      const res = await request(url, { headers })
      await res.body.text()
      if (res.statusCode !== 200) {
        errors++
        firstError ??= `status ${res.statusCode}`
      }
      histogram.record(Math.max(1, Math.round((performance.now() - start) * 1e6)))
      done++
    }
  }
  const start = performance.now()
  await Promise.all(Array.from({ length: concurrency }, loop))
  const elapsed = (performance.now() - start) / 1000
  return {
    requests: done,
    requestsPerSecond: done / elapsed,
    p50Ms: histogram.percentile(50) / 1e6,
    p99Ms: histogram.percentile(99) / 1e6,
    errors,
    ...(firstError === undefined ? {} : { firstError })
  }
}

/** Starts the emulator in a child process and measures each endpoint at each concurrency for `seconds`. */
export const measureEmulator = async ({ here, seconds, warmup }) => {
  if (!(await available())) return { skipped: "@fitbit-effect/emulator is not built" }
  const { request } = await import("undici")
  const child = fork(path.join(here, "emulator-server.js"), [], { stdio: ["ignore", "inherit", "inherit", "ipc"] })
  try {
    const ready = await new Promise((resolve, reject) => {
      child.on("message", (m) => m.type === "listening" && resolve(m))
      child.on("exit", (code) => reject(new Error(`emulator exited with ${code}`)))
    })
    const headers = { authorization: `Bearer ${ready.accessToken}`, accept: "application/json" }
    const rows = []
    for (const [endpoint, urlPath] of ENDPOINTS) {
      const url = ready.baseUrl + urlPath
      for (const concurrency of LEVELS) {
        await measure(request, url, headers, concurrency, { requests: warmup })
        rows.push({ endpoint, concurrency, ...(await measure(request, url, headers, concurrency, { seconds })) })
      }
    }
    return {
      description: `raw undici client against the emulator in its own process, ${seconds} s per row after ${warmup} warm-up requests`,
      rows
    }
  } catch (error) {
    return { skipped: `emulator run failed: ${String(error?.message ?? error).split("\n")[0]}` }
  } finally {
    child.kill()
  }
}
