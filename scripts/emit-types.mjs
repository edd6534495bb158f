// Emits one declaration file per source module (tsc), for ESM under dist/types and for
// CommonJS under dist/types-cjs (same files, marked "type": "commonjs"), so nested namespace
// exports keep their types for consumers (bundled .d.ts files flatten them to consts).
// Run from a package directory: node ../../scripts/emit-types.mjs
import { execFileSync } from "node:child_process"
import { cpSync, rmSync, writeFileSync } from "node:fs"
import { createRequire } from "node:module"
import { join } from "node:path"

const require = createRequire(import.meta.url)
const tsc = require.resolve("typescript/bin/tsc")
const dist = join(process.cwd(), "dist")
rmSync(join(dist, "types"), { recursive: true, force: true })
rmSync(join(dist, "types-cjs"), { recursive: true, force: true })
execFileSync(process.execPath, [
  tsc,
  "-p",
  "tsconfig.build.json",
  "--declaration",
  "--emitDeclarationOnly",
  "--sourceMap",
  "false",
  "--noEmit",
  "false",
  "--outDir",
  join(dist, "types")
], { stdio: "inherit" })
cpSync(join(dist, "types"), join(dist, "types-cjs"), { recursive: true })
writeFileSync(join(dist, "types-cjs", "package.json"), JSON.stringify({ type: "commonjs" }) + "\n")
