// The README's Google Health tables stay complete: a row for every method of googleapis' health v4
// and for every data type of v4's DataPoint, each naming a core program that exists.
import { describe, expect, it } from "@effect/vitest"
import * as Core from "@fitbit-effect/core"
import { GoogleDataTypes, LegacyFitbit } from "@fitbit-effect/core"
import { GoogleHealthClient } from "@fitbit-effect/node"
import * as fs from "node:fs"
import * as path from "node:path"
import * as Spec from "./fixtures/v4spec.js"

const readme = fs.readFileSync(path.join(import.meta.dirname, "..", "README.md"), "utf8")
const rows = readme.split("\n").filter((line) => line.startsWith("| `"))

describe("README's Google Health tables", () => {
  it("a row for every v4 method, naming core programs and GoogleHealthClient helpers that exist", () => {
    for (const method of Spec.methods) {
      const row = rows.find((r) => r.startsWith(`| \`${method.id}\` |`))
      expect(row, method.id).toBeDefined()
      const programs = [...row!.split("|")[3]!.matchAll(/`(\w+)\.(\w+)`/g)]
      expect(programs.length, method.id).toBeGreaterThan(0)
      for (const [, module, fn] of programs) {
        expect(typeof (Core as unknown as Record<string, Record<string, unknown>>)[module!]?.[fn!], `${module}.${fn}`).toBe("function")
      }
      const helpers = [...row!.split("|")[4]!.matchAll(/`(\w+)`/g)].map((m) => m[1]!)
      expect(helpers.length, method.id).toBeGreaterThan(0)
      for (const helper of helpers) {
        expect(typeof (GoogleHealthClient.prototype as unknown as Record<string, unknown>)[helper], helper).toBe("function")
      }
    }
  })

  it("a row for every v4 data type", () => {
    for (const field of Spec.dataPointFields()) {
      expect(rows.some((r) => r.startsWith(`| \`${GoogleDataTypes.kebab(field.name)}\` | \`${field.name}\` |`)), field.name).toBe(true)
    }
  })

  it("a row for every legacy path answered from Google Health", () => {
    for (const route of LegacyFitbit.Routes.ROUTES) {
      expect(readme.includes(`| ${route.method} | \`${route.path}\``), `${route.method} ${route.path}`).toBe(true)
    }
  })
})
