// Start-up cost: how long loading each library takes in a fresh `node -e` process, and how much
// it installs (the package plus its whole dependency closure, as it sits in node_modules).
import { spawnSync } from "node:child_process"
import * as fs from "node:fs"
import * as path from "node:path"
import { performance } from "node:perf_hooks"

/** What is loaded, with `require` (all) and `import()` (our ESM build; the peers ship CommonJS). */
export const coldStartTargets = [
  { key: "node", label: "node -e \"\" (baseline)", module: null, esm: false },
  { key: "facade", label: "@fitbit-effect/node (whole entry)", module: "@fitbit-effect/node", esm: true },
  { key: "facade-entry", label: "@fitbit-effect/node/fitbit-node (facade entry)", module: "@fitbit-effect/node/fitbit-node", esm: true },
  { key: "fitbit-node", label: "fitbit-node 2.2.0", module: "fitbit-node", esm: false },
  { key: "googleapis", label: "googleapis 188", module: "googleapis", esm: false }
]

const requireCode = (module) =>
  module === null
    ? "process.stdout.write('0')"
    : `const t = process.hrtime.bigint(); require(${JSON.stringify(module)}); ` +
      "process.stdout.write(String(Number(process.hrtime.bigint() - t) / 1e6))"

const importCode = (module) =>
  `const t = process.hrtime.bigint(); await import(${JSON.stringify(module)}); ` +
  "process.stdout.write(String(Number(process.hrtime.bigint() - t) / 1e6))"

/** The median of numbers (the mean of the middle two for an even count). */
export const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}

const runOnce = (args, cwd) => {
  const start = performance.now()
  const result = spawnSync(process.execPath, args, { cwd, encoding: "utf8" })
  const wallMs = performance.now() - start
  if (result.status !== 0) throw new Error(`node ${args.join(" ")} failed: ${result.stderr.slice(0, 500)}`)
  return { loadMs: Number(result.stdout), wallMs }
}

/**
 * Loads every target `runs` times, round-robin (so drift hits all alike), each in a fresh
 * process started in `cwd`; answers medians of the in-process load time (`require` / `import()`)
 * and of the whole process wall time (spawn to exit).
 */
export const measureColdStart = (cwd, runs) => {
  const variants = []
  for (const target of coldStartTargets) {
    variants.push({ ...target, kind: "require", args: ["-e", requireCode(target.module)] })
    if (target.esm) {
      variants.push({ ...target, kind: "import", args: ["--input-type=module", "-e", importCode(target.module)] })
    }
  }
  const samples = variants.map(() => [])
  for (let i = 0; i < runs; i++) {
    variants.forEach((variant, v) => samples[v].push(runOnce(variant.args, cwd)))
  }
  return variants.map((variant, v) => ({
    key: variant.key,
    label: variant.label,
    kind: variant.kind,
    runs,
    loadMs: median(samples[v].map((s) => s.loadMs)),
    wallMs: median(samples[v].map((s) => s.wallMs))
  }))
}

// ---------------------------------------------------------------------------------------------
// Installed size

const findPackageDir = (name, fromDir) => {
  // Node's lookup: <dir>/node_modules/<name>, walking up. In pnpm's layout a package's real
  // directory is .pnpm/<id>/node_modules/<name>, and its dependencies are links beside it.
  let dir = fromDir
  for (;;) {
    const candidate = path.join(dir, "node_modules", name)
    if (fs.existsSync(path.join(candidate, "package.json"))) return fs.realpathSync(candidate)
    const parent = path.dirname(dir)
    if (parent === dir) return undefined
    dir = parent
  }
}

const sizeOf = (target, skipNodeModules) => {
  let bytes = 0
  let files = 0
  const stat = fs.lstatSync(target, { throwIfNoEntry: false })
  if (stat === undefined || stat.isSymbolicLink()) return { bytes, files }
  if (stat.isFile()) return { bytes: stat.size, files: 1 }
  for (const entry of fs.readdirSync(target, { withFileTypes: true })) {
    if (skipNodeModules && entry.name === "node_modules") continue
    const sub = sizeOf(path.join(target, entry.name), skipNodeModules)
    bytes += sub.bytes
    files += sub.files
  }
  return { bytes, files }
}

/** The bytes a package ships: everything in its directory, or, for a workspace package, its `files`. */
const packageSize = (dir, manifest) => {
  const inStore = dir.split(path.sep).includes(".pnpm")
  if (inStore || !Array.isArray(manifest.files)) return sizeOf(dir, true)
  let bytes = 0
  let files = 0
  const always = fs.readdirSync(dir).filter((f) => /^(package\.json|readme|license|licence|changelog)/i.test(f))
  for (const entry of [...manifest.files, ...always]) {
    const sub = sizeOf(path.join(dir, entry), true)
    bytes += sub.bytes
    files += sub.files
  }
  return { bytes, files }
}

/**
 * The installed size of a package and its dependency closure: `dependencies`,
 * `optionalDependencies` that are installed, and required `peerDependencies` (a user has to
 * install those too). Each package directory is counted once, by real path.
 */
export const installedSize = (name, fromDir) => {
  const seen = new Map()
  const missing = new Set()
  const visit = (depName, from, isOptional) => {
    const dir = findPackageDir(depName, from)
    if (dir === undefined) {
      // Optional dependencies for other platforms are not installed; anything else is reported.
      if (!isOptional) missing.add(depName)
      return
    }
    if (seen.has(dir)) return
    const manifest = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8"))
    seen.set(dir, { name: manifest.name, version: manifest.version, ...packageSize(dir, manifest) })
    const optionalPeers = manifest.peerDependenciesMeta ?? {}
    const optional = new Set(Object.keys(manifest.optionalDependencies ?? {}))
    const deps = [
      ...Object.keys(manifest.dependencies ?? {}),
      ...optional,
      ...Object.keys(manifest.peerDependencies ?? {}).filter((peer) => optionalPeers[peer]?.optional !== true)
    ]
    for (const dep of deps) visit(dep, dir, optional.has(dep))
  }
  visit(name, fromDir, false)
  const packages = [...seen.values()].sort((a, b) => b.bytes - a.bytes)
  return {
    name,
    largest: packages.slice(0, 5).map((p) => ({ name: `${p.name}@${p.version}`, bytes: p.bytes })),
    packages: packages.length,
    files: packages.reduce((n, p) => n + p.files, 0),
    bytes: packages.reduce((n, p) => n + p.bytes, 0),
    missing: [...missing]
  }
}

// ---------------------------------------------------------------------------------------------
// Cold start to the first Google call

/**
 * The first Google call from a fresh process: a loopback server (started before the clock, as a
 * real backend's network would be there already) answers the Google profile; the figure is the
 * time from the first import to the parsed answer.
 */
const firstCallCode = (body) =>
  "const http = require('node:http');" +
  "const server = http.createServer((q, s) => { q.resume(); s.writeHead(200, { 'content-type': 'application/json' }); s.end(" +
  JSON.stringify(JSON.stringify({ name: "users/me/profile", age: 34 })) + ") });" +
  "server.listen(0, '127.0.0.1', async () => { const baseUrl = 'http://127.0.0.1:' + server.address().port;" +
  "const t = process.hrtime.bigint();" + body +
  "if (profile?.name !== 'users/me/profile') throw new Error('unexpected answer');" +
  "process.stdout.write(String(Number(process.hrtime.bigint() - t) / 1e6)); server.close(); process.exit(0) })"

export const firstCallTargets = [
  {
    key: "first-effect",
    label: "GoogleUsers.getProfile (Effect, NodeGoogleHealth.layer)",
    code: firstCallCode(
      "const { GoogleUsers } = await import('@fitbit-effect/core'); const { NodeGoogleHealth } = await import('@fitbit-effect/node');" +
        "const Effect = await import('effect/Effect');" +
        "const profile = await Effect.runPromise(Effect.provide(GoogleUsers.getProfile('token'), NodeGoogleHealth.layer({ clientId: 'c', baseUrl })));"
    )
  },
  {
    key: "first-facade",
    label: "GoogleHealthClient.getProfile (Promise)",
    code: firstCallCode(
      "const { GoogleHealthClient } = await import('@fitbit-effect/node'); const client = new GoogleHealthClient({ clientId: 'c', baseUrl });" +
        "const profile = await client.getProfile('token'); await client.close();"
    )
  },
  {
    key: "first-effect-google",
    label: "the same through the Google-only entries (core/google, node/google)",
    code: firstCallCode(
      "const { GoogleUsers } = await import('@fitbit-effect/core/google'); const { NodeGoogleHealth } = await import('@fitbit-effect/node/google');" +
        "const Effect = await import('effect/Effect');" +
        "const profile = await Effect.runPromise(Effect.provide(GoogleUsers.getProfile('token'), NodeGoogleHealth.layer({ clientId: 'c', baseUrl })));"
    )
  },
  {
    key: "first-facade-google",
    label: "GoogleHealthClient through node/google",
    code: firstCallCode(
      "const { GoogleHealthClient } = await import('@fitbit-effect/node/google'); const client = new GoogleHealthClient({ clientId: 'c', baseUrl });" +
        "const profile = await client.getProfile('token'); await client.close();"
    )
  },
  {
    key: "first-googleapis",
    label: "googleapis 188 health.users.getProfile",
    code: firstCallCode(
      "const { google } = require('googleapis'); const auth = new google.auth.OAuth2('c', 's'); auth.setCredentials({ access_token: 'token' });" +
        "const health = google.health({ version: 'v4', rootUrl: baseUrl + '/', auth });" +
        "const profile = (await health.users.getProfile({ name: 'users/me/profile' })).data;"
    )
  }
]

/** Each first-call target `runs` times, round-robin, in fresh processes: medians. */
export const measureFirstCall = (cwd, runs) => {
  const samples = firstCallTargets.map(() => [])
  for (let i = 0; i < runs; i++) {
    firstCallTargets.forEach((target, t) => samples[t].push(runOnce(["-e", target.code], cwd)))
  }
  return firstCallTargets.map((target, t) => ({
    key: target.key,
    label: target.label,
    runs,
    firstCallMs: median(samples[t].map((s) => s.loadMs)),
    wallMs: median(samples[t].map((s) => s.wallMs))
  }))
}
