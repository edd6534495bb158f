// The README's Google Health tables stay complete and true: a row for every method of googleapis'
// health v4 and v4beta, and for every data type of both channels' DataPoint, each naming a core
// program that exists; each data type's channel, methods, page sizes, filter fields, roll-up reach
// and scope as `GoogleDataTypeRules.RULES` holds them.
import { describe, expect, it } from "@effect/vitest"
import * as Core from "@fitbit-effect/core"
import { GoogleDataTypeRules, GoogleDataTypes, LegacyFitbit } from "@fitbit-effect/core"
import { GoogleHealthClient } from "@fitbit-effect/node"
import * as fs from "node:fs"
import * as path from "node:path"
import * as Spec from "./fixtures/v4spec.js"

const readme = fs.readFileSync(path.join(import.meta.dirname, "..", "README.md"), "utf8")
const rows = readme.split("\n").filter((line) => line.startsWith("| `"))

describe("README's Google Health tables", () => {
  it("a row for every v4 and v4beta method, with its channels, naming core programs and GoogleHealthClient helpers that exist", () => {
    const v4beta = new Set(Spec.channel("v4beta").methods.map((m) => m.id))
    for (const method of Spec.methods) {
      const row = rows.find((r) => r.startsWith(`| \`${method.id}\` |`))
      expect(row, method.id).toBeDefined()
      expect(row!.split("|")[3]!.trim(), method.id).toBe(v4beta.has(method.id) ? "v4, v4beta" : "v4")
      const programs = [...row!.split("|")[4]!.matchAll(/`(\w+)\.(\w+)`/g)]
      expect(programs.length, method.id).toBeGreaterThan(0)
      for (const [, module, fn] of programs) {
        expect(typeof (Core as unknown as Record<string, Record<string, unknown>>)[module!]?.[fn!], `${module}.${fn}`).toBe("function")
      }
      const helpers = [...row!.split("|")[5]!.matchAll(/`(\w+)`/g)].map((m) => m[1]!)
      expect(helpers.length, method.id).toBeGreaterThan(0)
      for (const helper of helpers) {
        expect(typeof (GoogleHealthClient.prototype as unknown as Record<string, unknown>)[helper], helper).toBe("function")
      }
    }
  })

  it("a row for every v4 and v4beta data type", () => {
    for (const field of [...Spec.dataPointFields(), ...Spec.channel("v4beta").dataPointFields()]) {
      expect(rows.some((r) => r.startsWith(`| \`${GoogleDataTypes.kebab(field.name)}\` | \`${field.name}\` |`)), field.name).toBe(true)
    }
  })

  it("each data type's row shows Google's rules as GoogleDataTypeRules holds them", () => {
    const METHODS: ReadonlyArray<GoogleDataTypeRules.Method> = ["list", "get", "reconcile", "create", "patch", "batchDelete", "rollUp", "dailyRollUp", "exportExerciseTcx"]
    const typeRows = rows.filter((r) => /^\| `[a-z0-9-]+`( \(roll-up only\))? \| /.test(r) && r.split("|").length === 13)
    expect(typeRows.map((r) => /`([a-z0-9-]+)`/.exec(r)![1]).sort()).toEqual(Object.keys(GoogleDataTypeRules.RULES).sort())
    for (const row of typeRows) {
      const cells = row.split("|").slice(1, -1).map((c) => c.trim())
      const id = /`([a-z0-9-]+)`/.exec(cells[0]!)![1]!
      const rule = GoogleDataTypeRules.RULES[id]!
      expect(cells[2], id).toBe(rule.channel === "v4" ? "v4, v4beta" : "v4beta only")
      expect(cells[5], id).toBe(METHODS.filter((m) => rule.methods.includes(m)).join(", ") || "—")
      if (rule.placement !== "rollup") {
        expect(cells[6], id).toBe(`${rule.pageSize.default} / ${rule.pageSize.max}`)
        expect([...cells[7]!.matchAll(/`([a-z_.]+)`/g)].map((m) => m[1]), id).toEqual(rule.filter.fields)
        expect(cells[7]!.includes("`OR`"), id).toBe(rule.filter.or)
      }
      expect(cells[8], id).toBe(rule.rollUpDays === undefined ? "—" : `${rule.rollUpDays} days`)
      expect(cells[9], id).toBe(`\`${rule.scope}\``)
    }
  })

  it("a row for every legacy path answered from Google Health", () => {
    for (const route of LegacyFitbit.Routes.ROUTES) {
      expect(readme.includes(`| ${route.method} | \`${route.path}\``), `${route.method} ${route.path}`).toBe(true)
    }
  })
})
