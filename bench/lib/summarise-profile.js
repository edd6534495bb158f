// Prints the heaviest functions of a .cpuprofile by self time and by total (inclusive) time.
//   node bench/lib/summarise-profile.js <file.cpuprofile> [rows]
// `heaviest(profile, rows)` answers the same as data (bench/lib/profiles.js keeps it in the report).
import * as fs from "node:fs"
import { fileURLToPath } from "node:url"

/**
 * The `rows` functions with the most self and the most total time: `{ self, total }`, each
 * `[{ percent, name }]`, percentages of the samples not in `leaveOut` (e.g. `"(idle)"`).
 */
export const heaviest = (profile, rows, leaveOut = []) => {
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]))
  const parent = new Map()
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id)
  const selfHits = new Map()
  let total = 0
  for (const id of profile.samples) {
    if (leaveOut.includes(nodes.get(id).callFrame.functionName)) continue
    selfHits.set(id, (selfHits.get(id) ?? 0) + 1)
    total++
  }
  const name = (n) => {
    const f = n.callFrame
    const where = f.url === "" ? "" : ` ${f.url.replace(/^.*node_modules\/\.pnpm\/[^/]+\/node_modules\//, "").replace(/^file:\/\/.*\/packages\//, "packages/")}:${f.lineNumber + 1}`
    return `${f.functionName || "(anonymous)"}${where}`
  }
  const self = new Map()
  const inclusive = new Map()
  for (const [id, hits] of selfHits) {
    const key = name(nodes.get(id))
    self.set(key, (self.get(key) ?? 0) + hits)
    const seen = new Set()
    for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
      const k = name(nodes.get(cur))
      if (seen.has(k)) continue
      seen.add(k)
      inclusive.set(k, (inclusive.get(k) ?? 0) + hits)
    }
  }
  const top = (map) => [...map].sort((a, b) => b[1] - a[1]).slice(0, rows).map(([k, v]) => ({ percent: (100 * v) / total, name: k }))
  return { self: top(self), total: top(inclusive) }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [file, rowsArg = "30"] = process.argv.slice(2)
  const { self, total } = heaviest(JSON.parse(fs.readFileSync(file, "utf8")), Number(rowsArg))
  const show = (title, list) => {
    console.log(`\n${title}`)
    for (const { name, percent } of list) console.log(`${percent.toFixed(1).padStart(5)}%  ${name}`)
  }
  show("self time", self)
  show("total time", total)
}
