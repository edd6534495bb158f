#!/usr/bin/env node
// The consumer check (.ci/run): the README's install lines as a new user types them, with npm,
// in empty projects. Our packages are packed from this checkout (`pnpm pack`) and their names in
// each line are replaced by the tarballs; everything else comes from the registry as written.
// For each project: the `effect` npm resolved must be major 3, every installed entry must load
// with `require` and with `import`, and a second install from the lockfile (`npm ci`) must pass.
// Prints one line per project and exits non-zero on the first failure.
import { execFileSync } from "node:child_process"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..")
const readme = fs.readFileSync(path.join(root, "README.md"), "utf8")

/** `npm install …` lines of the README's sh blocks (not the global pnpm install), comments dropped. */
const installLines = [...readme.matchAll(/```sh\n([\s\S]*?)```/g)]
  .flatMap((m) => m[1].split("\n"))
  .map((line) => line.replace(/#.*$/, "").trim())
  .filter((line) => line.startsWith("npm install ") && !line.includes(" -g "))
const find = (needle) => {
  const line = installLines.find((l) => l.includes(needle))
  if (line === undefined) throw new Error(`README has no install line with ${needle}`)
  return line
}
const effectLine = find("@fitbit-effect/core")
const dropInLine = "npm install @fitbit-effect/node" // the README says it in prose: the drop-in needs nothing else
const projects = [
  { name: "drop-in", lines: [dropInLine], entries: ["@fitbit-effect/node/fitbit-node"] },
  { name: "Effect API", lines: [effectLine], entries: ["@fitbit-effect/core", "@fitbit-effect/node", "@fitbit-effect/node/fitbit-node"] },
  { name: "SQLite store", lines: [effectLine, find("@effect/sql-sqlite-node")], entries: ["@fitbit-effect/core/sql", "@fitbit-effect/node/sql"] },
  { name: "Postgres store", lines: [effectLine, find("@effect/sql-pg")], entries: ["@fitbit-effect/core/sql", "@fitbit-effect/node/sql"] },
  { name: "tests with the emulator", lines: [effectLine, find("@fitbit-effect/emulator")], entries: ["@fitbit-effect/emulator"] }
]

const run = (cmd, args, cwd) => execFileSync(cmd, args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, npm_config_fund: "false", npm_config_audit: "false" } })

const packDir = fs.mkdtempSync(path.join(os.tmpdir(), "fitbit-effect-packs-"))
const tarballs = {}
for (const pkg of ["core", "node", "emulator"]) {
  const out = run("pnpm", ["pack", "--pack-destination", packDir], path.join(root, "packages", pkg)).trim().split("\n").pop()
  tarballs[`@fitbit-effect/${pkg}`] = path.isAbsolute(out) ? out : path.join(packDir, path.basename(out))
}

/** The line's arguments with our package names replaced by their tarballs. */
const argsOf = (line) =>
  line.split(/\s+/).slice(2).map((arg) => (tarballs[arg] === undefined ? arg : tarballs[arg]))

let failed = false
for (const project of projects) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "fitbit-effect-consumer-"))
  try {
    fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "consumer", private: true }))
    for (const line of project.lines) run("npm", ["install", ...argsOf(line)], dir)
    const effectOf = () => {
      const file = path.join(dir, "node_modules", "effect", "package.json")
      return fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, "utf8")).version : "none (the drop-in bundles its own)"
    }
    const effect = effectOf()
    if (!effect.startsWith("3.") && !(project.name === "drop-in" && effect.startsWith("none"))) {
      throw new Error(`npm resolved effect ${effect}, not 3.x`)
    }
    for (const entry of project.entries) {
      run(process.execPath, ["-e", `require(${JSON.stringify(entry)})`], dir)
      run(process.execPath, ["--input-type=module", "-e", `await import(${JSON.stringify(entry)})`], dir)
    }
    fs.rmSync(path.join(dir, "node_modules"), { recursive: true, force: true })
    run("npm", ["ci"], dir)
    const again = effectOf()
    console.log(`consumer check: ${project.name}: ${project.lines.join(" && ")} → effect ${effect}; ${project.entries.length} entries load (require and import); npm ci again: ok (effect ${again})`)
  } catch (error) {
    failed = true
    console.error(`consumer check: ${project.name}: FAILED: ${error.message}\n${error.stderr ?? ""}`)
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
  }
}
fs.rmSync(packDir, { recursive: true, force: true })
process.exit(failed ? 1 : 0)
