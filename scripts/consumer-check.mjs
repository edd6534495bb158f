#!/usr/bin/env node
// The consumer check (.ci/run): the README's install lines as a new user types them, with npm,
// in empty projects. Our packages are packed from this checkout (`pnpm pack`) and their names in
// each line are replaced by the tarballs; everything else comes from the registry as written.
// For each project: the `effect` npm resolved must be major 3, every installed entry must load
// with `require` and with `import`, and a second install from the lockfile (`npm ci`) must pass.
// Then the README's code blocks (scripts/readme/): each is type-checked (strict, no skipLibCheck)
// in the project its marker names with the TypeScript this repository pins, and again with npm's
// latest (7.x: what the README says holds there, see latestTypeScriptCheck), and the runnable ones
// run there against one emulator. The command line: the README's `npm install -g` line for the packed
// CLI into a prefix of its own, then the README's terminal session with it (scripts/cli-transcript.mjs).
// Prints one line per project and per example, and exits non-zero if anything failed.
import { execFile, execFileSync, spawn, spawnSync } from "node:child_process"
import * as fs from "node:fs"
import * as net from "node:net"
import * as os from "node:os"
import * as path from "node:path"
import { promisify } from "node:util"
import { extractExamples, preambleOf } from "./readme/examples.mjs"

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..")
const readme = fs.readFileSync(path.join(root, "README.md"), "utf8")
const { examples, errors: exampleErrors } = extractExamples(readme)
if (exampleErrors.length > 0) {
  console.error(`consumer check: README examples cannot be checked:\n${exampleErrors.join("\n")}`)
  process.exit(1)
}

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
  { name: "drop-in", id: "dropin", lines: [dropInLine], entries: ["@fitbit-effect/node/fitbit-node"] },
  { name: "Effect API", id: "effect", lines: [effectLine], entries: ["@fitbit-effect/core", "@fitbit-effect/core/kernel", "@fitbit-effect/core/google", "@fitbit-effect/core/fitbit", "@fitbit-effect/core/testing", "@fitbit-effect/node", "@fitbit-effect/node/google", "@fitbit-effect/node/fitbit", "@fitbit-effect/node/fitbit-node"] },
  { name: "SQLite store", id: "sqlite", lines: [effectLine, find("@effect/sql-sqlite-node")], entries: ["@fitbit-effect/core/sql", "@fitbit-effect/node/sql"] },
  { name: "Postgres store", id: "postgres", lines: [effectLine, find("@effect/sql-pg")], entries: ["@fitbit-effect/core/sql", "@fitbit-effect/node/sql"] },
  { name: "tests with the emulator", id: "emulator", lines: [effectLine, find("@fitbit-effect/emulator")], entries: ["@fitbit-effect/emulator"] },
  { name: "Sync", id: "sync", lines: [effectLine, find("@effect/cluster")], entries: ["@fitbit-effect/core/sync", "@fitbit-effect/node/sync"] }
]
for (const example of examples) {
  if (!projects.some((p) => p.id === example.project)) throw new Error(`example ${example.name}: no project ${example.project}`)
}

const npmEnv = { ...process.env, npm_config_fund: "false", npm_config_audit: "false" }
const run = (cmd, args, cwd) => execFileSync(cmd, args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], env: npmEnv })
const runAsync = promisify(execFile)
/** `run`, without blocking: the projects' installs (mostly waiting on the registry) go on side by side. */
const exec = (cmd, args, cwd) => runAsync(cmd, args, { cwd, encoding: "utf8", env: npmEnv, maxBuffer: 64 * 1024 * 1024 })

const packDir = fs.mkdtempSync(path.join(os.tmpdir(), "fitbit-effect-packs-"))
const tarballs = {}
for (const pkg of ["core", "node", "emulator", "cli"]) {
  const out = run("pnpm", ["pack", "--pack-destination", packDir], path.join(root, "packages", pkg)).trim().split("\n").pop()
  tarballs[`@fitbit-effect/${pkg}`] = path.isAbsolute(out) ? out : path.join(packDir, path.basename(out))
}

/** The line's arguments with our package names replaced by their tarballs. */
const argsOf = (line) =>
  line.split(/\s+/).slice(2).map((arg) => (tarballs[arg] === undefined ? arg : tarballs[arg]))

// One emulator for every example, with the apps the README's examples name registered on it.
const { startEmulator, Google } = await import(path.join(root, "packages/emulator/dist/index.js"))
const emulator = await startEmulator({ seed: "readme" })
const callback = "https://app.example/callback"
const fitbitApp = { clientId: "23ABCD", clientSecret: "readme-fitbit-secret-0123456789", redirectUris: [callback] }
const googleApp = { clientId: "123456789012-app.apps.googleusercontent.com", clientSecret: "readme-google-secret-0123456789", redirectUris: [callback] }
emulator.addApp(fitbitApp)
emulator.addApp(googleApp)
const exampleEnv = {
  ...process.env,
  README_BASE_URL: emulator.baseUrl,
  FITBIT_CLIENT_ID: fitbitApp.clientId,
  FITBIT_CLIENT_SECRET: fitbitApp.clientSecret,
  FITBIT_BASE_URL: emulator.baseUrl,
  GOOGLE_HEALTH_CLIENT_ID: googleApp.clientId,
  GOOGLE_HEALTH_CLIENT_SECRET: googleApp.clientSecret,
  GOOGLE_HEALTH_BASE_URL: emulator.baseUrl
}
// The many-machines Sync example's Postgres: a fresh database on PG_URL's server (CI starts one).
const syncDatabase = process.env.PG_URL
  ? (() => {
    const name = `readme_sync_${Date.now().toString(36)}`
    run("psql", [process.env.PG_URL, "-q", "-c", `CREATE DATABASE ${name}`], root)
    const url = new URL(process.env.PG_URL)
    url.pathname = `/${name}`
    return url.toString()
  })()
  : undefined
const freePort = () =>
  new Promise((resolve) => {
    const server = net.createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address()
      server.close(() => resolve(port))
    })
  })
exampleEnv.RUNNER_PORT = String(await freePort())
if (syncDatabase !== undefined) exampleEnv.DATABASE_URL = syncDatabase
const tokenFor = (context) =>
  context === "fitbit-token"
    ? emulator.grantTokens({ clientId: fitbitApp.clientId }).accessToken
    : context === "google-token"
    ? Google.grantTokens(emulator.state, { clientId: googleApp.clientId }).accessToken
    : ""

const tsc = path.join(root, "node_modules", "typescript", "bin", "tsc")
const pinnedTypeScript = JSON.parse(fs.readFileSync(path.join(root, "node_modules", "typescript", "package.json"), "utf8")).version
// npm's latest TypeScript (7.x since 2026-10), as a user who types `npm install typescript` gets it.
const latestDir = fs.mkdtempSync(path.join(os.tmpdir(), "fitbit-effect-typescript-"))
fs.writeFileSync(path.join(latestDir, "package.json"), JSON.stringify({ name: "typescript-latest", private: true }))
const latestInstalled = exec("npm", ["install", "typescript@^7"], latestDir)
latestInstalled.catch(() => {}) // awaited before the examples; a failure is reported there
const latestTsc = path.join(latestDir, "node_modules", "typescript", "bin", "tsc")
let latestTypeScript = "" // read once installed (below, before the examples are checked)
/**
 * What the README says holds with npm's latest TypeScript: the examples type-check strict without
 * skipLibCheck, except in a project with vitest, whose `@types/chai` and vitest's own declarations
 * both declare `containSubset` (TS2300, outside our code): there, every error is that one and the
 * examples type-check with skipLibCheck. Anything else fails the check.
 */
const latestTypeScriptCheck = (dir) => {
  const check = (...extra) => spawnSync(process.execPath, [latestTsc, "-p", "tsconfig.json", "--noEmit", ...extra], { cwd: dir, encoding: "utf8" })
  const strict = check()
  if (strict.status === 0) return `  and with TypeScript ${latestTypeScript} (npm's latest): strict, no skipLibCheck`
  const errors = `${strict.stdout}${strict.stderr}`.split("\n").filter((l) => /error TS\d+/.test(l))
  const chaiOnly = errors.length > 0 && errors.every((l) => /^node_modules\/(@types\/chai|vitest)\/.*error TS2300: Duplicate identifier 'containSubset'/.test(l))
  if (!chaiOnly) throw new Error(`README examples do not type-check with TypeScript ${latestTypeScript}:\n${strict.stdout}${strict.stderr}`)
  const skipped = check("--skipLibCheck")
  if (skipped.status !== 0) throw new Error(`README examples do not type-check with TypeScript ${latestTypeScript} and skipLibCheck:\n${skipped.stdout}${skipped.stderr}`)
  return `  and with TypeScript ${latestTypeScript} (npm's latest): strict with skipLibCheck (without it, only vitest's @types/chai: TS2300 containSubset)`
}
/** Type-checks the project's README examples, then runs the runnable ones; answers one line per example. */
// The emulator answers from this process: examples run without blocking it (execFile, not execFileSync).
const checkExamples = async (project, dir) => {
  const mine = examples.filter((e) => e.project === project.id)
  if (mine.length === 0) return []
  const src = path.join(dir, "readme")
  fs.mkdirSync(src)
  fs.copyFileSync(path.join(root, "scripts/readme/context.d.mts"), path.join(src, "context.d.mts"))
  fs.copyFileSync(path.join(root, "scripts/readme/harness.mjs"), path.join(dir, "readme-harness.mjs"))
  const offsets = new Map()
  for (const example of mine) {
    const preamble = preambleOf(example)
    offsets.set(example.file, { preamble: preamble.length, line: example.line })
    fs.writeFileSync(path.join(src, example.file), [...preamble, example.code].join("\n"))
  }
  fs.writeFileSync(path.join(dir, "tsconfig.json"), JSON.stringify({
    compilerOptions: {
      strict: true, target: "es2022", module: "nodenext", moduleResolution: "nodenext", lib: ["es2022", "dom"], // @effect/platform's declarations name DOM types (Storage)
      allowJs: true, checkJs: true, skipLibCheck: false, noEmitOnError: true,
      rootDir: "readme", outDir: "readme-out", types: ["node"], typeRoots: [path.join(root, "node_modules", "@types")]
    },
    include: ["readme"]
  }))
  try {
    run(process.execPath, [tsc, "-p", "tsconfig.json"], dir)
  } catch (error) {
    // Errors name the README's lines, not the generated files'.
    const text = `${error.stdout ?? ""}${error.stderr ?? ""}`.replace(/readme\/([\w.-]+)\((\d+),(\d+)\)/g, (all, file, line, col) => {
      const at = offsets.get(file)
      return at === undefined ? all : `README.md:${at.line + Number(line) - 1 - at.preamble}:${col} (example ${file})`
    })
    throw new Error(`README examples do not type-check:\n${text}`)
  }
  const lines = [`${mine.length} README examples type-check (strict, no skipLibCheck) with TypeScript ${pinnedTypeScript}`, latestTypeScriptCheck(dir)]
  for (const example of mine) {
    const env = { ...exampleEnv, README_ACCESS_TOKEN: tokenFor(example.context) }
    const out = path.join("readme-out", example.file.replace(/\.mts$/, ".mjs"))
    try {
      if (example.run === "node") {
        const { stdout } = await runAsync(process.execPath, ["readme-harness.mjs", out, example.context ?? ""], { cwd: dir, env, encoding: "utf8", timeout: 60_000 })
        lines.push(`  ${example.name}: ran against the emulator: ${stdout.trim().replace(/\s+/g, " ").slice(-160)}`)
      } else if (example.run === "vitest") {
        await runAsync(process.execPath, [path.join(dir, "node_modules", "vitest", "vitest.mjs"), "run", path.join("readme", example.file)], { cwd: dir, env, encoding: "utf8", timeout: 60_000 })
        lines.push(`  ${example.name}: vitest run passed`)
      } else {
        lines.push(`  ${example.name}: type-checked only (run=no)`)
      }
    } catch (error) {
      throw new Error(`README example ${example.name} (README.md:${example.line}) failed:\n${error.stdout ?? ""}${error.stderr ?? ""}${error.message}`)
    }
  }
  return lines
}

// CONSUMER_CHECK_ONLY=effect,dropin limits a local run to those projects (CI runs all).
const only = process.env.CONSUMER_CHECK_ONLY?.split(",")
let failed = false
/**
 * A project installed as the README says, checked (effect 3, every entry loads with require and
 * import), and installed again from its lockfile: its directory and what npm resolved.
 */
const install = async (project) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "fitbit-effect-consumer-"))
  try {
    fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "consumer", private: true }))
    for (const line of project.lines) await exec("npm", ["install", ...argsOf(line)], dir)
    const effectOf = () => {
      const file = path.join(dir, "node_modules", "effect", "package.json")
      return fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, "utf8")).version : "none (the drop-in bundles its own)"
    }
    const effect = effectOf()
    if (!effect.startsWith("3.") && !(project.name === "drop-in" && effect.startsWith("none"))) {
      throw new Error(`npm resolved effect ${effect}, not 3.x`)
    }
    for (const entry of project.entries) {
      await exec(process.execPath, ["-e", `require(${JSON.stringify(entry)})`], dir)
      await exec(process.execPath, ["--input-type=module", "-e", `await import(${JSON.stringify(entry)})`], dir)
    }
    fs.rmSync(path.join(dir, "node_modules"), { recursive: true, force: true })
    await exec("npm", ["ci"], dir)
    return { dir, effect, again: effectOf() }
  } catch (error) {
    return { dir, error }
  }
}
/**
 * The README's `npm install -g … @fitbit-effect/cli` line (the package as its tarball), into a global
 * prefix of its own: nothing else installed there, run from an empty directory. Answers the prefix.
 */
const installCli = async () => {
  const line = [...readme.matchAll(/```sh\n([\s\S]*?)```/g)].flatMap((m) => m[1].split("\n"))
    .map((l) => l.replace(/#.*$/, "").trim()).find((l) => l.startsWith("npm install -g ") && l.includes("@fitbit-effect/cli"))
  if (line === undefined) throw new Error("README has no `npm install -g … @fitbit-effect/cli` line")
  const prefix = fs.mkdtempSync(path.join(os.tmpdir(), "fitbit-effect-global-"))
  const empty = fs.mkdtempSync(path.join(os.tmpdir(), "fitbit-effect-cli-cwd-"))
  await exec("npm", ["install", "--prefix", prefix, ...argsOf(line)], empty)
  fs.rmSync(empty, { recursive: true, force: true })
  return { line, prefix }
}

// Every project's installs at once (the registry is the wait), then their examples one project
// after another against the one emulator, reported in the projects' order.
const chosen = projects.filter((p) => only === undefined || only.includes(p.id))
const cliInstalled = only === undefined || only.includes("cli") ? installCli().then((r) => r, (error) => ({ error })) : undefined
const installed = await Promise.all(chosen.map(install))
await latestInstalled
latestTypeScript = JSON.parse(fs.readFileSync(path.join(latestDir, "node_modules", "typescript", "package.json"), "utf8")).version
for (const [i, project] of chosen.entries()) {
  const { dir, effect, again, error } = installed[i]
  try {
    if (error !== undefined) throw error
    console.log(`consumer check: ${project.name}: ${project.lines.join(" && ")} → effect ${effect}; ${project.entries.length} entries load (require and import); npm ci again: ok (effect ${again})`)
    for (const line of await checkExamples(project, dir)) console.log(`consumer check: ${project.name}: ${line}`)
  } catch (error) {
    failed = true
    console.error(`consumer check: ${project.name}: FAILED: ${error.message}\n${error.stderr ?? ""}`)
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
  }
}
// The command line as the README installs it (npm install -g of the packed CLI) and uses it: the
// README's session (scripts/cli-transcript.mjs), every line in a terminal, against the emulator.
if (cliInstalled !== undefined) {
  const { line, prefix, error } = await cliInstalled
  try {
    if (error !== undefined) throw error
    const modules = path.join(prefix, "lib", "node_modules", "@fitbit-effect", "cli", "node_modules")
    const bundled = ["effect", "@effect", "@fitbit-effect"].filter((name) => fs.existsSync(path.join(modules, name)))
    if (bundled.length > 0) throw new Error(`the global install holds ${bundled.join(", ")}: the CLI should bundle them`)
    const { stdout } = await runAsync(process.execPath, [path.join(root, "scripts", "cli-transcript.mjs"), "--bin-dir", path.join(prefix, "bin")], { cwd: os.tmpdir(), encoding: "utf8", timeout: 600_000 })
    const commands = stdout.split("\n").filter((l) => l.startsWith("cli transcript: $")).length
    console.log(`consumer check: command line: ${line} (the tarball, a prefix of its own) → the README's session ran: ${commands} commands, each exit 0`)
  } catch (error) {
    failed = true
    console.error(`consumer check: command line: FAILED: ${error.message}\n${error.stdout ?? ""}${error.stderr ?? ""}`)
  } finally {
    if (prefix !== undefined) fs.rmSync(prefix, { recursive: true, force: true })
  }
}
// The README's shell line for the emulator, `npx -p @fitbit-effect/emulator fitbit-emulator --port 8787`,
// in an empty directory (our packages as tarballs, everything else from the registry, port 0): it
// must print its banner with the apps of both backends, and it is stopped then.
if (only === undefined || only.includes("npx")) {
  const line = [...readme.matchAll(/```sh\n([\s\S]*?)```/g)].flatMap((m) => m[1].split("\n")).find((l) => l.startsWith("npx -p @fitbit-effect/emulator "))
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "fitbit-effect-npx-"))
  try {
    if (line === undefined) throw new Error("README has no `npx -p @fitbit-effect/emulator …` line")
    const args = line.trim().split(/\s+/).slice(1).flatMap((arg) => (tarballs[arg] === undefined ? [arg] : [tarballs[arg], "-p", tarballs["@fitbit-effect/node"], "-p", tarballs["@fitbit-effect/core"]]))
      .map((arg, i, all) => (all[i - 1] === "--port" ? "0" : arg))
    const child = spawn("npx", ["--yes", ...args], { cwd: dir, env: { ...process.env, npm_config_fund: "false", npm_config_audit: "false" }, stdio: ["ignore", "pipe", "pipe"], detached: true })
    let out = ""
    const banner = await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no banner within 180 s:\n${out}`)), 180_000)
      const take = (chunk) => {
        out += chunk
        if (/confidential app: client id/.test(out) && /Google Health API/.test(out)) {
          clearTimeout(timer)
          resolve(out)
        }
      }
      child.stdout.on("data", take)
      child.stderr.on("data", take)
      child.once("exit", (code) => reject(new Error(`exited with ${code} before its banner:\n${out}`)))
    })
    process.kill(-child.pid, "SIGTERM")
    console.log(`consumer check: ${line.trim()} (port 0): the emulator started: ${banner.split("\n").find((l) => l.includes("listening"))?.trim()}`)
  } catch (error) {
    failed = true
    console.error(`consumer check: npx fitbit-emulator: FAILED: ${error.message}`)
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
  }
}
fs.rmSync(packDir, { recursive: true, force: true })
fs.rmSync(latestDir, { recursive: true, force: true })
await emulator.close()
process.exit(failed ? 1 : 0)
