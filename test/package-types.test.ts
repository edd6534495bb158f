/**
 * The built declaration files, as a consumer's compiler reads them: nested namespace exports
 * (`FitbitResources.Sleep`, `GoogleUsers`, the emulator's `Google`) keep their types
 * for both ESM and CommonJS consumers. Runs against `dist` (`pnpm test` builds first).
 */
import { execFileSync } from "node:child_process"
import { copyFileSync, existsSync } from "node:fs"
import { createRequire } from "node:module"
import { dirname, join } from "node:path"
import { fileURLToPath } from "node:url"
import { describe, expect, it } from "vitest"

const here = dirname(fileURLToPath(import.meta.url))
const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc")
const built = ["core", "emulator"].every((pkg) => existsSync(join(here, "..", "packages", pkg, "dist", "types", "index.d.ts"))) &&
  existsSync(join(here, "..", "packages", "node", "dist", "index.d.ts"))

// One consumer, compiled twice: as ESM (esm.mts) and as CommonJS (the same text as cjs.cts).
const consumer = join(here, "fixtures", "consumer")

describe("published declarations", () => {
  for (const file of ["esm.mts", "cjs.cts"]) {
    it(`type-check a consumer (${file}) against dist`, () => {
      expect(built, "packages/core, node and emulator must be built first (pnpm build)").toBe(true)
      if (file === "cjs.cts") copyFileSync(join(consumer, "esm.mts"), join(consumer, "cjs.cts"))
      const run = () =>
        execFileSync(process.execPath, [
          tsc,
          "--noEmit",
          "--strict",
          "--skipLibCheck",
          "--module",
          "nodenext",
          "--moduleResolution",
          "nodenext",
          "--types",
          "node",
          join(consumer, file)
        ], { cwd: here, encoding: "utf8", stdio: "pipe" })
      expect(run).not.toThrow()
    }, 60_000)
  }
})
