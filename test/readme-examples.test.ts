// Issue 19, part 4: the README's code blocks are tested by the consumer check (scripts/readme/,
// run by .ci/run against the packed packages). This guards the README itself on every test run:
// each ts/js block carries a marker the check understands, and the quick starts come in the
// order of their audiences.
import * as fs from "node:fs"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { extractExamples, preambleOf } from "../scripts/readme/examples.mjs"

const readme = fs.readFileSync(join(__dirname, "..", "README.md"), "utf8")

describe("README examples", () => {
  it("every ts and js block has a valid marker and a unique name", () => {
    const { examples, errors } = extractExamples(readme)
    expect(errors).toEqual([])
    const blocks = readme.match(/^```(ts|js)$/gm) ?? []
    expect(examples).toHaveLength(blocks.length)
  })

  it("a block without a marker, or with an unknown value, is reported with its line", () => {
    const { errors } = extractExamples("text\n\n```ts\nconst a = 1\n```\n\n<!-- example b project=nowhere run=node -->\n```js\nx\n```\n")
    expect(errors).toEqual([
      "README.md:3: a ts block without an <!-- example … --> marker before it",
      "README.md:7: example b: project=nowhere is not one of dropin, effect, sqlite, emulator, sync"
    ])
  })

  it("fragments are completed by declarations only: no value is invented in the example's text", () => {
    const { examples } = extractExamples(readme)
    for (const example of examples) {
      for (const line of preambleOf(example)) expect(line).toMatch(/^(declare const|\/\*\* @type) /)
      if (example.context === undefined) expect(preambleOf(example)).toEqual([])
    }
  })

  it("the quick starts come in order: plain Node (drop-in), Effect, Google Health, Google Health with a session, tests with the emulator", () => {
    const headings = [...readme.matchAll(/^## (Quick start: .*)$/gm)].map((m) => m[1])
    expect(headings).toEqual([
      "Quick start: plain Node (fitbit-node code)",
      "Quick start: Effect",
      "Quick start: Google Health without Effect",
      "Quick start: Google Health with a session (Effect)",
      "Quick start: tests with the emulator"
    ])
  })
})
