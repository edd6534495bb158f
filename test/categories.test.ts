// Issue 20: one shared @category vocabulary across the packages' doc comments (it had about 70
// values with near-duplicates: schema/schemas, handlers/handling, getters/accessors, …). A new
// category is added here on purpose, not by a typo.
import * as fs from "node:fs"
import { join, relative } from "node:path"
import { describe, expect, it } from "vitest"

const VOCABULARY = new Set([
  "accessors", "authorization", "capabilities", "combinators", "constants", "constructors", "controls", "data types", "dates",
  "decoding", "demo", "encoding", "endpoints", "errors", "formatting", "generators", "handlers", "layers", "models",
  "pagination", "predicates", "reading", "references", "requests", "responses", "rollups", "routes", "schemas", "services",
  "subscriptions", "testing", "tokens", "units", "utils", "validation", "verbs", "writing"
])

const root = join(__dirname, "..")
const sources = (dir: string): Array<string> =>
  fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sources(join(dir, entry.name)) : entry.name.endsWith(".ts") ? [join(dir, entry.name)] : []
  )

describe("@category vocabulary", () => {
  it("every @category in packages/*/src is one of the shared values", () => {
    const outside: Array<string> = []
    for (const pkg of ["core", "node", "emulator"]) {
      for (const file of sources(join(root, "packages", pkg, "src"))) {
        for (const [, category] of fs.readFileSync(file, "utf8").matchAll(/@category ([^\n*]+)/g)) {
          if (!VOCABULARY.has(category!.trim())) outside.push(`${relative(root, file)}: ${category!.trim()}`)
        }
      }
    }
    expect(outside).toEqual([])
  })
})
