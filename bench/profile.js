// Profiling helper: runs one contender in this process against a forked bench server, so it can
// be profiled on its own, e.g.
//   node --cpu-prof --cpu-prof-dir=/tmp/prof bench/profile.js effect 64 20000
// (the whole process), or `bench/profile.js effect 64 20000 --profile-out=effect.cpuprofile` (the
// measured calls only, after the warm-up),
// then open the .cpuprofile in Chrome DevTools, or summarise it with bench/lib/summarise-profile.js.
import { fork } from "node:child_process"
import * as fs from "node:fs"
import * as inspector from "node:inspector"
import * as path from "node:path"
import { performance } from "node:perf_hooks"
import { fileURLToPath } from "node:url"
import { contenders } from "./lib/contenders.js"

const here = path.dirname(fileURLToPath(import.meta.url))
const [key = "effect", concurrencyArg = "64", requestsArg = "20000"] = process.argv.slice(2).filter((a) => !a.startsWith("--"))
const concurrency = Number(concurrencyArg)
const requests = Number(requestsArg)

const server = fork(path.join(here, "server.js"), [], { stdio: ["ignore", "inherit", "inherit", "ipc"] })
const port = await new Promise((resolve) => server.on("message", (m) => m.type === "listening" && resolve(m.port)))
const { call, close } = await contenders[key].setup(`http://127.0.0.1:${port}`)

const run = async (n) => {
  let remaining = n
  const loop = async () => {
    while (remaining-- > 0) await call()
  }
  const start = performance.now()
  await Promise.all(Array.from({ length: concurrency }, loop))
  return n / ((performance.now() - start) / 1000)
}
await run(Math.min(2000, requests))
// --profile-out=FILE: a CPU profile of the measured calls only (after the warm-up: no module loading,
// no JIT warm-up), written as a .cpuprofile (bench/lib/profiles.js reads it).
const profileOut = process.argv.find((a) => a.startsWith("--profile-out="))?.slice("--profile-out=".length)
const session = profileOut === undefined ? undefined : new inspector.Session()
const post = (method, params) => new Promise((resolve, reject) => session.post(method, params, (e, r) => (e ? reject(e) : resolve(r))))
if (session !== undefined) {
  session.connect()
  await post("Profiler.enable")
  await post("Profiler.start")
}
const rps = await run(requests)
if (session !== undefined) {
  const { profile } = await post("Profiler.stop")
  fs.writeFileSync(profileOut, JSON.stringify(profile))
  session.disconnect()
}
console.log(`${key} c=${concurrency}: ${Math.round(rps)} req/s over ${requests} requests`)
await close()
server.send({ type: "close" })
