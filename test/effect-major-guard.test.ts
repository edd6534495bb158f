// Issue 19, part 1: loaded with `require` beside an effect that is not major 3, each CommonJS
// entry stops before loading anything else, with an error naming both versions and the fix.
// A fake effect 4 (only its package.json) is placed where the entry resolves `effect` from.
import { execFileSync } from "node:child_process"
import * as fs from "node:fs"
import * as os from "node:os"
import { join } from "node:path"
import { afterAll, describe, expect, it } from "vitest"

const root = join(__dirname, "..")
const dir = fs.mkdtempSync(join(os.tmpdir(), "fitbit-effect-major-"))
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }))

const withEffect = (version: string) => {
  const project = fs.mkdtempSync(join(dir, "p-"))
  fs.mkdirSync(join(project, "node_modules", "effect"), { recursive: true })
  fs.writeFileSync(
    join(project, "node_modules", "effect", "package.json"),
    JSON.stringify({ name: "effect", version, exports: { "./package.json": "./package.json", "./*": "./dist/*.js" } })
  )
  return project
}

/** Requires an entry from a copy of its package's whole `dist` (its chunks and the guard file) in the project. */
const load = (project: string, entry: string) => {
  const [, pkg, rest] = /^packages\/([^/]+)\/dist\/(.+)$/.exec(entry)!
  const copy = join(project, "copies", pkg!)
  if (!fs.existsSync(copy)) fs.cpSync(join(root, "packages", pkg!, "dist"), copy, { recursive: true, filter: (f) => !f.includes(`${join("dist", "types")}`) })
  const target = join(copy, rest!)
  try {
    execFileSync(process.execPath, ["-e", `require(${JSON.stringify(target)})`], { cwd: project, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] })
    return { ok: true, stderr: "" }
  } catch (error) {
    return { ok: false, stderr: String((error as { stderr?: string }).stderr) }
  }
}

describe("the effect major guard", () => {
  for (const [entry, name] of [
    ["packages/core/dist/index.cjs", "@fitbit-effect/core"],
    ["packages/core/dist/sql/index.cjs", "@fitbit-effect/core"],
    ["packages/core/dist/google/index.cjs", "@fitbit-effect/core"],
    ["packages/core/dist/fitbit/index.cjs", "@fitbit-effect/core"],
    ["packages/core/dist/kernel.cjs", "@fitbit-effect/core"],
    ["packages/node/dist/index.cjs", "@fitbit-effect/node"],
    ["packages/node/dist/google.cjs", "@fitbit-effect/node"],
    ["packages/node/dist/fitbit.cjs", "@fitbit-effect/node"],
    ["packages/node/dist/sql.cjs", "@fitbit-effect/node"],
    ["packages/emulator/dist/index.cjs", "@fitbit-effect/emulator"]
  ] as const) {
    it(`${entry} beside effect 4.1.5: stops with the versions and the install line`, () => {
      const result = load(withEffect("4.1.5"), entry)
      expect(result.ok).toBe(false)
      expect(result.stderr).toContain(`${name} runs on effect 3 (^3.22), but effect 4.1.5 is installed beside it`)
      expect(result.stderr).toContain("npm install effect@^3.22 @effect/platform@^0.97")
      expect(result.stderr).toContain("ERR_FITBIT_EFFECT_UNSUPPORTED_EFFECT")
      expect(result.stderr).not.toContain("Cannot find module")
    })
  }

  it("beside effect 3 the guard lets the entry load on (it then fails on the fake effect's missing files, not on the guard)", () => {
    const result = load(withEffect("3.22.4"), "packages/core/dist/index.cjs")
    expect(result.ok).toBe(false)
    expect(result.stderr).not.toContain("ERR_FITBIT_EFFECT_UNSUPPORTED_EFFECT")
    expect(result.stderr).toContain("Cannot find module")
  })
})
