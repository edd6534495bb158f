// Prints the heaviest functions of a .cpuprofile by self time and by total (inclusive) time.
//   node bench/lib/summarise-profile.js <file.cpuprofile> [rows]
import * as fs from "node:fs"

const [file, rowsArg = "30"] = process.argv.slice(2)
const profile = JSON.parse(fs.readFileSync(file, "utf8"))
const rows = Number(rowsArg)
const nodes = new Map(profile.nodes.map((n) => [n.id, n]))
const parent = new Map()
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id)
const selfHits = new Map()
for (const id of profile.samples) selfHits.set(id, (selfHits.get(id) ?? 0) + 1)
const total = profile.samples.length
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
const show = (title, map) => {
  console.log(`\n${title}`)
  for (const [k, v] of [...map].sort((a, b) => b[1] - a[1]).slice(0, rows)) {
    console.log(`${((100 * v) / total).toFixed(1).padStart(5)}%  ${k}`)
  }
}
show("self time", self)
show("total time", inclusive)
