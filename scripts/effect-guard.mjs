// The first lines of every CommonJS entry of our packages: loaded beside an `effect` that is not
// major 3 (npm's `latest` is 4 since 2026-10-01), the entry stops at once with an error naming both
// versions and the install line that fixes it, instead of "Cannot find module …/effect/dist/Either.js".
// ES modules fail earlier, at link time, where no code of ours runs yet; their import error names
// the effect module that is missing.
//
// A one-file build (the emulator) carries the guard as a tsup banner. A split build (core, node:
// see cjs-splitting.mjs) has its `require`s hoisted above any banner, so there every CommonJS file
// requires `dist/effect-guard.cjs` first: `effectGuardFirst`.
import { writeFileSync } from "node:fs"
import * as path from "node:path"

/** The guard's code for a package. */
const guard = (packageName) => `"use strict";
;(() => {
  let version
  try { version = require("effect/package.json").version } catch { return }
  if (typeof version === "string" && !version.startsWith("3.")) {
    const error = new Error(${JSON.stringify(packageName)} + " runs on effect 3 (^3.22), but effect " + version + " is installed beside it. Fix: npm install effect@^3.22 @effect/platform@^0.97 (npm's latest effect is 4 since 2026-10-01; pin the major).")
    error.code = "ERR_FITBIT_EFFECT_UNSUPPORTED_EFFECT"
    throw error
  }
})();`

/** The banner for a one-file CommonJS build: a tsup `banner` function. */
export const effectGuardBanner = (packageName) => (context) => context.format !== "cjs" ? {} : { js: guard(packageName) }

/**
 * For a split CommonJS build (spread into the tsup config): the guard written to
 * `dist/effect-guard.cjs`, and a plugin that makes `import "./effect-guard.cjs"` the first
 * statement of every CommonJS file (on its first line, so source maps keep their lines), which
 * the ESM-to-CommonJS pass turns into the file's first `require`.
 */
export const effectGuardFirst = (packageName, outDir = "dist") => ({
  plugins: [{
    name: "effect-guard-first",
    renderChunk(code, info) {
      if (this.format !== "cjs" || info.type !== "chunk" || !/\.(js|cjs)$/.test(info.path)) return undefined
      const relative = path.relative(path.dirname(info.path), path.resolve(outDir, "effect-guard.cjs")).split(path.sep).join("/")
      return { code: `import ${JSON.stringify(relative.startsWith(".") ? relative : `./${relative}`)};${code}`, map: info.map }
    }
  }],
  onSuccess: async () => writeFileSync(path.resolve(outDir, "effect-guard.cjs"), `${guard(packageName)}\n`)
})
