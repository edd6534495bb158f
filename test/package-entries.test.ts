/**
 * The provider entries, as Node loads them from `dist` (`pnpm test` builds first):
 * `@fitbit-effect/core/kernel`, `/fitbit`, `/google` and `@fitbit-effect/node/fitbit`, `/google`
 * load only their own provider's modules (no Fitbit schema in a Google-only program, and the other
 * way round), and every entry hands out the same classes and tags as the root entries, in
 * CommonJS and in ES modules alike (both builds share chunks between entries).
 *
 * What an entry loads: in CommonJS, the files in `require.cache` of a fresh Node process after
 * `require(entry)`; in ESM, the files reached from the entry through its static imports (a dynamic
 * `import()` loads later, on use). Each built file's source map names the TypeScript sources in it.
 */
import { execFile, execFileSync } from "node:child_process"
import { existsSync, readFileSync } from "node:fs"
import { dirname, join, resolve } from "node:path"
import { fileURLToPath } from "node:url"
import { promisify } from "node:util"
import { GoogleAuth } from "@fitbit-effect/core"
import { Emulator, Google } from "@fitbit-effect/emulator"
import { afterAll, beforeAll, describe, expect, it } from "vitest"

const root = join(dirname(fileURLToPath(import.meta.url)), "..")
const packageDir = (pkg: string) => join(root, "packages", pkg)
const built = ["core", "node"].every((pkg) => existsSync(join(packageDir(pkg), "dist", "index.cjs")))

/** The `dist` file a specifier names for a condition (`import` or `require`), from the package's exports. */
const fileOf = (specifier: string, condition: "import" | "require"): string => {
  const [, pkg, sub] = /^@fitbit-effect\/(core|node)(\/.*)?$/.exec(specifier)!
  const exports = JSON.parse(readFileSync(join(packageDir(pkg!), "package.json"), "utf8")).exports
  return join(packageDir(pkg!), exports[`.${sub ?? ""}`][condition].default)
}

/** The TypeScript sources (`core/src/…`, `node/src/…`) of built files, from their source maps. */
const sourcesOf = (files: ReadonlyArray<string>): Array<string> =>
  files.flatMap((file) => {
    const map = `${file}.map`
    if (!existsSync(map)) return []
    return (JSON.parse(readFileSync(map, "utf8")).sources as Array<string>).map((s) =>
      resolve(dirname(file), s).replace(`${join(root, "packages")}/`, "")
    )
  })

/** Every `dist` file of ours an ES module entry reaches through its static imports. */
const esmGraph = (entry: string): Array<string> => {
  const seen = new Set<string>()
  const visit = (file: string) => {
    if (seen.has(file)) return
    seen.add(file)
    const text = readFileSync(file, "utf8")
    for (const [, specifier] of text.matchAll(/(?:from|import)\s*["']([^"']+)["']/g)) {
      if (specifier!.startsWith(".")) visit(resolve(dirname(file), specifier!))
      else if (specifier!.startsWith("@fitbit-effect/")) visit(fileOf(specifier!, "import"))
    }
  }
  visit(fileOf(entry, "import"))
  return [...seen]
}

/** Every `dist` file of ours a CommonJS entry loads, from a fresh Node process. */
const cjsLoaded = (entry: string): Array<string> =>
  JSON.parse(execFileSync(process.execPath, [
    "-e",
    `require(${JSON.stringify(entry)}); console.log(JSON.stringify(Object.keys(require.cache).filter((f) => f.includes("/packages/") && !f.includes("node_modules"))))`
  ], { cwd: join(root, "test"), encoding: "utf8" }))

/** The entries and the source folders each must not load. */
const ENTRIES: ReadonlyArray<readonly [string, ReadonlyArray<string>]> = [
  ["@fitbit-effect/core/kernel", ["core/src/fitbit/", "core/src/google/", "core/src/bridge/"]],
  ["@fitbit-effect/core/google", ["core/src/fitbit/", "core/src/bridge/"]],
  ["@fitbit-effect/core/fitbit", ["core/src/google/", "core/src/bridge/"]],
  ["@fitbit-effect/node/google", ["core/src/fitbit/", "core/src/bridge/", "node/src/Fitbit", "node/src/internal/Fitbit", "node/src/internal/LegacyBackend"]],
  ["@fitbit-effect/node/fitbit", ["core/src/google/", "core/src/bridge/", "node/src/Google", "node/src/internal/Google", "node/src/internal/LegacyBackend"]]
]

describe("provider entries load only their provider", () => {
  for (const [entry, excluded] of ENTRIES) {
    for (const format of ["esm", "cjs"] as const) {
      it(`${entry} (${format})`, () => {
        expect(built, "packages/core and node must be built first (pnpm build)").toBe(true)
        const sources = sourcesOf(format === "esm" ? esmGraph(entry) : cjsLoaded(entry))
        // The walk found the entry's own modules: the check below is not vacuous.
        const own = entry.endsWith("kernel") ? "core/src/Errors.ts" : entry.includes("google") ? "core/src/google/" : "core/src/fitbit/"
        expect(sources.some((s) => s.startsWith(own)), `${entry} loads ${own}`).toBe(true)
        expect(sources.filter((s) => excluded.some((x) => s.startsWith(x)))).toEqual([])
      })
    }
  }

  it("the root entries load both providers and the bridge (the walk sees them)", () => {
    for (const format of ["esm", "cjs"] as const) {
      const sources = sourcesOf(format === "esm" ? esmGraph("@fitbit-effect/node") : cjsLoaded("@fitbit-effect/node"))
      for (const folder of ["core/src/fitbit/", "core/src/google/", "core/src/bridge/", "node/src/internal/LegacyBackend"]) {
        expect(sources.some((s) => s.startsWith(folder)), `${format}: ${folder}`).toBe(true)
      }
    }
  })
})

/** Every entry of both packages. */
const ALL = ["core", "node"].flatMap((pkg) =>
  Object.keys(JSON.parse(readFileSync(join(packageDir(pkg), "package.json"), "utf8")).exports)
    .filter((key) => key !== "./package.json" && key !== "./fitbit-node")
    .map((key) => `@fitbit-effect/${pkg}${key.slice(1)}`)
)

describe("every entry hands out the root entry's classes and tags", () => {
  // No TypeScript module is built into two files that load together: one copy of every class.
  for (const format of ["esm", "cjs"] as const) {
    it(`all entries loaded together: each module once (${format})`, () => {
      expect(built).toBe(true)
      const files = format === "esm"
        ? [...new Set(ALL.flatMap(esmGraph))]
        : JSON.parse(execFileSync(process.execPath, [
          "-e",
          `${ALL.map((e) => `require(${JSON.stringify(e)})`).join(";")}; console.log(JSON.stringify(Object.keys(require.cache).filter((f) => f.includes("/packages/") && !f.includes("node_modules"))))`
        ], { cwd: join(root, "test"), encoding: "utf8" })) as Array<string>
      const sources = sourcesOf(files)
      expect(sources.length).toBeGreaterThan(50)
      expect(sources.filter((s, i) => sources.indexOf(s) !== i)).toEqual([])
    })
  }

  const same = [
    ["@fitbit-effect/core", "Errors.InvalidInput", ["@fitbit-effect/core/kernel", "@fitbit-effect/core/google", "@fitbit-effect/core/fitbit"]],
    ["@fitbit-effect/core", "GoogleHealthConfig.GoogleHealthConfig", ["@fitbit-effect/core/google"]],
    ["@fitbit-effect/core", "FitbitHttp.FitbitHttp", ["@fitbit-effect/core/fitbit"]],
    ["@fitbit-effect/core", "TokenStore.TokenStore", ["@fitbit-effect/core/kernel"]],
    ["@fitbit-effect/node", "GoogleHealthClient", ["@fitbit-effect/node/google"]],
    ["@fitbit-effect/node", "FitbitSessionClient", ["@fitbit-effect/node/fitbit"]],
    ["@fitbit-effect/node", "UndiciHttpClient.layer", ["@fitbit-effect/node/google", "@fitbit-effect/node/fitbit"]]
  ] as const
  /** A script printing, per check, whether each entry's export is the root's (by `===`). */
  const script = (load: (m: string) => string) =>
    same.map(([base, path, others]) => {
      const get = (m: string) => `${load(m)}.${path.split(".").join("?.")}`
      // An export an entry lacks (undefined) counts as different.
      return `out.push([${JSON.stringify(path)}, ${others.map((o) => `(${get(base)} !== undefined && ${get(o)} === ${get(base)})`).join(" && ")}])`
    }).join(";")
  for (const format of ["esm", "cjs"] as const) {
    it(`the same objects (${format})`, () => {
      expect(built).toBe(true)
      const modules: Array<string> = [...new Set(same.flatMap(([base, , others]) => [base, ...others]))]
      const name = (m: string) => `m${modules.indexOf(m)}`
      const code = format === "cjs"
        ? `const out = []; ${modules.map((m) => `const ${name(m)} = require(${JSON.stringify(m)})`).join(";")}; ${script(name)}; console.log(JSON.stringify(out))`
        : `const out = []; ${modules.map((m) => `const ${name(m)} = await import(${JSON.stringify(m)})`).join(";")}; ${script(name)}; console.log(JSON.stringify(out))`
      const args = format === "cjs" ? ["-e", code] : ["--input-type=module", "-e", code]
      const results = JSON.parse(execFileSync(process.execPath, args, { cwd: join(root, "test"), encoding: "utf8" })) as Array<[string, boolean]>
      expect(results).toEqual(same.map(([, path]) => [path, true]))
    })
  }
})

describe("the built clients run, in CommonJS and ESM", () => {
  // The builds go through esbuild and rollup (ESM to CommonJS): the clients are built and called
  // from `dist` in a fresh process, against the emulator started here (a build step that rewrote
  // valid code once turned FitbitApiClient's undici layer into a Layer value in CommonJS only).
  let emu: Awaited<ReturnType<typeof Emulator.startEmulator>>
  beforeAll(async () => {
    emu = await Emulator.startEmulator({})
  })
  afterAll(() => emu.close())

  /** The calls, as one script body; `node` and `core` are the loaded packages. */
  const calls = (baseUrl: string, app: { clientId: string; clientSecret: string }, fitbitToken: string, googleToken: string) => `
    const out = {}
    const options = { clientId: ${JSON.stringify(app.clientId)}, clientSecret: ${JSON.stringify(app.clientSecret)}, baseUrl: ${JSON.stringify(baseUrl)} }
    const fitbit = new node.FitbitApiClient(options)
    out.fitbit = (await fitbit.get("/profile.json", ${JSON.stringify(fitbitToken)}))[1].statusCode
    const legacy = new node.FitbitApiClient({ ...options, backend: "google-health" })
    const [summary, answer] = await legacy.get("/activities/minutesVeryActive/date/today/1y.json", ${JSON.stringify(googleToken)})
    out.legacy = [answer.statusCode, summary["activities-minutesVeryActive"].length]
    const google = new google_.GoogleHealthClient({ clientId: options.clientId, baseUrl: options.baseUrl })
    out.identity = typeof (await google.getIdentity(${JSON.stringify(googleToken)})).healthUserId
    try { await google.getProfile("") } catch (error) { out.refused = [error._tag, error instanceof core.Errors.InvalidInput] }
    await Promise.all([fitbit.close(), legacy.close(), google.close()])
    console.log(JSON.stringify(out))`

  for (const format of ["cjs", "esm"] as const) {
    it(`FitbitApiClient (both backends) and GoogleHealthClient from dist (${format})`, async () => {
      expect(built).toBe(true)
      const fitbitToken = emu.grantTokens().accessToken
      const googleToken = Google.grantTokens(emu.state, { scopes: GoogleAuth.SCOPES.map((s) => GoogleAuth.scope(s)) }).accessToken
      const body = calls(emu.baseUrl, emu.defaultApp, fitbitToken, googleToken)
      const code = format === "cjs"
        ? `const node = require("@fitbit-effect/node"); const google_ = require("@fitbit-effect/node/google"); const core = require("@fitbit-effect/core/kernel"); (async () => { ${body} })().catch((e) => { console.error(e); process.exit(1) })`
        : `const node = await import("@fitbit-effect/node"); const google_ = await import("@fitbit-effect/node/google"); const core = await import("@fitbit-effect/core/kernel"); ${body}`
      const args = format === "cjs" ? ["-e", code] : ["--input-type=module", "-e", code]
      // Not execFileSync: the emulator answers from this process.
      const { stdout } = await promisify(execFile)(process.execPath, args, { cwd: join(root, "test"), encoding: "utf8" })
      const out = JSON.parse(stdout)
      expect(out).toEqual({ fitbit: 200, legacy: [200, 365], identity: "string", refused: ["InvalidInput", true] })
    })
  }
})
