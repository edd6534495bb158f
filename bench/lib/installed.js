// Installed size as a user gets it: our packages packed into tarballs (`pnpm pack`, which
// rewrites `workspace:` ranges) and installed with npm into an empty project, peers included
// (npm installs required peers), next to the same install of the libraries users replace.
import { execFileSync } from "node:child_process"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"

/** Bytes and package count of a `node_modules` tree (every file, apparent size). */
const measureTree = (root) => {
  let bytes = 0
  let packages = 0
  const walk = (dir) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name)
      if (entry.isDirectory()) walk(full)
      else if (entry.isFile()) bytes += fs.statSync(full).size
    }
  }
  const countIn = (dir) => {
    if (!fs.existsSync(dir)) return
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      if (!entry.isDirectory() || entry.name.startsWith(".")) continue
      const full = path.join(dir, entry.name)
      if (entry.name.startsWith("@")) countIn(full)
      else if (fs.existsSync(path.join(full, "package.json"))) {
        packages++
        countIn(path.join(full, "node_modules"))
      }
    }
  }
  if (fs.existsSync(root)) {
    walk(root)
    countIn(root)
  }
  return { bytes, packages }
}

/**
 * Installs `specs` with npm into a fresh empty project and measures its `node_modules`; when
 * `check` is given, runs it there with node (a failing check fails the install).
 */
const installInto = (specs, check) => {
  const project = fs.mkdtempSync(path.join(os.tmpdir(), "fitbit-effect-install-"))
  try {
    fs.writeFileSync(path.join(project, "package.json"), JSON.stringify({ name: "probe", private: true }))
    execFileSync("npm", ["install", "--no-audit", "--no-fund", "--omit=dev", "--no-package-lock", ...specs], {
      cwd: project,
      stdio: ["ignore", "ignore", "pipe"]
    })
    if (check !== undefined) execFileSync(process.execPath, ["-e", check], { cwd: project, stdio: ["ignore", "ignore", "pipe"] })
    return measureTree(path.join(project, "node_modules"))
  } finally {
    fs.rmSync(project, { recursive: true, force: true })
  }
}

/** What a fitbit-node user runs after the install: the drop-in entry, one real call to a local server. */
const DROP_IN_CHECK = `const C = require("@fitbit-effect/node/fitbit-node");
const http = require("node:http");
const server = http.createServer((req, res) => {
  res.setHeader("content-type", "application/json");
  res.end('{"user":{"encodedId":"X"}}');
});
server.listen(0, "127.0.0.1", async () => {
  const client = new C({ clientId: "23BCDE", clientSecret: "s", baseUrl: "http://127.0.0.1:" + server.address().port });
  const [body] = await client.get("/profile.json", "token");
  server.close();
  if (body?.user?.encodedId !== "X") { console.error(body); process.exit(1) }
  process.exit(0)
})`

/** What an Effect user runs after the install: the main entry's layers. */
const EFFECT_CHECK = `import("@fitbit-effect/node").then((m) => { if (typeof m.NodeFitbit.layer !== "function") process.exit(1) })`

/**
 * `@fitbit-effect/node` (with `@fitbit-effect/core`, both packed from this checkout) and the
 * published libraries it replaces, each installed alone with npm.
 */
export const measureInstalls = (repoRoot, published) => {
  const rows = []
  const packDir = fs.mkdtempSync(path.join(os.tmpdir(), "fitbit-effect-pack-"))
  try {
    for (const pkg of ["core", "node"]) {
      execFileSync("pnpm", ["pack", "--pack-destination", packDir], {
        cwd: path.join(repoRoot, "packages", pkg),
        stdio: ["ignore", "ignore", "pipe"]
      })
    }
    const tarballs = fs.readdirSync(packDir).filter((f) => f.endsWith(".tgz")).map((f) => path.join(packDir, f))
    const nodeTarball = tarballs.find((f) => path.basename(f).includes("-node-"))
    rows.push({ name: "@fitbit-effect/node alone (the fitbit-node drop-in)", ...installInto([nodeTarball], DROP_IN_CHECK) })
    rows.push({
      name: "@fitbit-effect/node + core + effect + @effect/platform (the Effect API)",
      ...installInto([...tarballs, "effect@^3.22.0", "@effect/platform@^0.97.0"], EFFECT_CHECK)
    })
  } catch (error) {
    rows.push({ name: "@fitbit-effect/node (packed)", error: String(error?.stderr ?? error?.message ?? error).slice(0, 300) })
  } finally {
    fs.rmSync(packDir, { recursive: true, force: true })
  }
  for (const spec of published) {
    try {
      rows.push({ name: spec, ...installInto([spec]) })
    } catch (error) {
      rows.push({ name: spec, error: String(error?.stderr ?? error?.message ?? error).slice(0, 300) })
    }
  }
  return rows
}
