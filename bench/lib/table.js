// Markdown tables of a bench report (readable in a terminal, pasteable into the README).

const int = (n) => Math.round(n).toLocaleString("en-US")
const ms = (n) => (n >= 100 ? n.toFixed(0) : n >= 10 ? n.toFixed(1) : n >= 1 ? n.toFixed(2) : n.toFixed(3))
const ratio = (r) => (r === undefined || !Number.isFinite(r) ? "" : ` (${r.toFixed(2)}×)`)
const mb = (n) => n.toFixed(1)

const row = (cells) => `| ${cells.join(" | ")} |\n`
const header = (cells) => row(cells) + row(cells.map((c, i) => (i === 0 ? "---" : "---:")))

const BACKENDS = [
  ["fitbit", "Fitbit Web API (`GET /1/user/-/profile.json`, 1.9 KB JSON body)"],
  ["google", "Google Health API v4 (`GET /v4/users/me/profile`, 0.2 KB JSON body)"]
]

const clientsTable = (report) => {
  let text = ""
  const [c1, c64] = report.method.levels
  for (const [backend, title] of BACKENDS) {
    const entries = Object.entries(report.clients).filter(([, r]) => r.backend === backend)
    if (entries.length === 0) continue
    text += `\n${title}: requests per second, latency, peak RSS; (×) = ratio to raw undici on the same path\n\n`
    text += header([
      "client",
      `req/s c=${c1}`,
      `req/s c=${c64}`,
      `p50 ms c=${c1}`,
      `p99 ms c=${c1}`,
      `p50 ms c=${c64}`,
      `p99 ms c=${c64}`,
      "peak RSS MB",
      `client CPU µs/req c=${c64}`
    ])
    for (const [, r] of entries) {
      const a = r.levels[c1]
      const b = r.levels[c64]
      const ra = r.ratios?.levels[c1] ?? {}
      const rb = r.ratios?.levels[c64] ?? {}
      text += row([
        r.label,
        int(a.requestsPerSecond) + ratio(ra.requestsPerSecond),
        int(b.requestsPerSecond) + ratio(rb.requestsPerSecond),
        ms(a.p50Ms) + ratio(ra.p50),
        ms(a.p99Ms) + ratio(ra.p99),
        ms(b.p50Ms) + ratio(rb.p50),
        ms(b.p99Ms) + ratio(rb.p99),
        mb(r.peakRssMb) + ratio(r.ratios?.peakRss),
        int(b.cpuMicrosPerRequest) + ratio(rb.cpuPerRequest)
      ])
    }
    text += `\nServer process CPU while each ran at c=${c64} (100% = one core busy): ` +
      entries.map(([, r]) => `${r.label} ${r.levels[c64].serverCpuPercent.toFixed(0)}%`).join(", ") + "\n"
  }
  const skipped = Object.entries(report.skipped ?? {})
  if (skipped.length > 0) text += `\nNot measured: ${skipped.map(([k, why]) => `${k} (${why})`).join(", ")}\n`
  return text
}

const coldTable = (report) => {
  if (report.coldStart === undefined) return ""
  let text = `\nCold start (median of ${report.method.coldRuns} fresh \`node -e\` processes) and installed size (package + dependency closure)\n\n`
  text += header(["package", "require() ms", "import() ms", "process wall ms (require)", "installed MB", "packages"])
  const byKey = new Map()
  for (const entry of report.coldStart) {
    const slot = byKey.get(entry.key) ?? { label: entry.label }
    slot[entry.kind] = entry
    byKey.set(entry.key, slot)
  }
  const sizeNames = { facade: "@fitbit-effect/node", core: "@fitbit-effect/core", "fitbit-node": "fitbit-node", googleapis: "googleapis" }
  for (const [key, slot] of byKey) {
    const size = report.installedSize?.find((s) => s.name === sizeNames[key])
    text += row([
      slot.label,
      slot.require === undefined ? "" : ms(slot.require.loadMs),
      slot.import === undefined ? "" : ms(slot.import.loadMs),
      slot.require === undefined ? "" : ms(slot.require.wallMs),
      size === undefined ? "" : mb(size.bytes / 1e6),
      size === undefined ? "" : String(size.packages)
    ])
  }
  return text
}

const emulatorTable = (report) => {
  const e = report.emulator
  if (e === undefined) return ""
  if (e.skipped !== undefined) return `\nEmulator throughput: not measured (${e.skipped})\n`
  let text = `\nEmulator throughput (${e.description})\n\n`
  text += header(["endpoint", "concurrency", "requests", "req/s", "p50 ms", "p99 ms"])
  for (const r of e.rows) {
    text += row([r.endpoint, String(r.concurrency), int(r.requests), int(r.requestsPerSecond), ms(r.p50Ms), ms(r.p99Ms)])
  }
  return text
}

/** The whole report as text. */
export const render = (report) => {
  const m = report.machine
  const meth = report.method
  return `\n## fitbit-effect bench (${report.mode}, ${report.startedAt})\n\n` +
    `Machine: ${m.cpus} × ${m.cpuModel}, ${m.memoryGb} GB, ${m.platform}, Node ${m.node}, ` +
    `load average at start ${m.loadAverageAtStart.join(" / ")}. ` +
    `${meth.requestsPerLevel.toLocaleString("en-US")} recorded requests per client per level ` +
    `(${meth.rounds} interleaved rounds × ${meth.batch}) after ${meth.warmup} warm-up.\n` +
    clientsTable(report) + coldTable(report) + emulatorTable(report)
}
