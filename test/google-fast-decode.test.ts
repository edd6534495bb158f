// The compiled data-point decoders (core's internal fastDecode) against Schema itself, on every
// data type's points as the emulator serves them: the same values, and never a success where
// Schema fails, whether the decoder is generated code or closures. Each point is also mutated at
// every leaf (a wrong kind, or the key removed): the compiled decoder and Schema agree on every
// mutant, and a malformed point still fails with Schema's DecodeError naming its path.
import { describe, expect, layer } from "@effect/vitest"
import { GoogleAuth, GoogleDataPoints, GoogleDataTypes } from "@fitbit-effect/core"
import { Emulator, Google } from "@fitbit-effect/emulator"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Schema from "effect/Schema"
import * as FastDecode from "../packages/core/src/internal/fastDecode.js"
import { googleClient } from "./fixtures/googleClient.js"

const ALL_READ = GoogleAuth.SCOPES.filter((s) => !s.endsWith("writeonly")).map((s) => GoogleAuth.scope(s))
const FROM = "2026-10-20"
const TO = "2026-11-25"

/** Copies of a JSON value with one part changed: a leaf of another kind, a key removed or added, an object or array replaced. */
const mutants = (value: unknown): Array<unknown> => {
  const out: Array<unknown> = []
  const visit = (node: unknown, rebuild: (v: unknown) => unknown): void => {
    if (Array.isArray(node)) {
      out.push(rebuild({ not: "an array" }))
      node.slice(0, 2).forEach((item, i) => visit(item, (v) => rebuild(node.map((x, j) => (j === i ? v : x)))))
      return
    }
    if (typeof node === "object" && node !== null) {
      const record = node as Record<string, unknown>
      out.push(rebuild("not an object"))
      // A field Google added later: Schema leaves it out of the value.
      out.push(rebuild({ ...record, fieldFromTheFuture: { nested: 1 } }))
      for (const key of Object.keys(record)) {
        const without = { ...record }
        delete without[key]
        out.push(rebuild(without))
        visit(record[key], (v) => rebuild({ ...record, [key]: v }))
      }
      return
    }
    out.push(rebuild(typeof node === "string" ? 42 : "text"))
    out.push(rebuild(null))
  }
  visit(value, (v) => v)
  return out
}

layer(Emulator.layer({ clock: { start: "2026-11-25T12:00:00Z" } }), { excludeTestServices: true })("compiled decoders agree with Schema", (it) => {
  describe("every data type", () => {
    for (const id of Object.keys(GoogleDataTypes.KNOWN) as Array<GoogleDataTypes.KnownDataType>) {
      it.effect(id, () =>
        Effect.gen(function*() {
          const emu = yield* Emulator.EmulatorService
          const { accessToken } = Google.grantTokens(emu.state, { scopes: ALL_READ })
          const channel = id === "skin-temperature-sensors" ? "v4beta" : "v4"
          const page = yield* GoogleDataPoints.list(accessToken, id, { filter: GoogleDataPoints.filters.range(id, FROM, TO), pageSize: 25, keepRaw: true }).pipe(
            Effect.provide(googleClient(emu, { maxRetries: 0 }, channel, false))
          )
          const schema = GoogleDataTypes.KNOWN[id].schema as unknown as Schema.Schema<unknown, unknown, never>
          expect(FastDecode.compiles(schema)).toBe(true)
          const slow = Schema.decodeUnknownEither(schema)
          const field = GoogleDataTypes.KNOWN[id].field
          expect(page.dataPoints.length, `no ${id} points`).toBeGreaterThan(0)
          // The generated decoder, and the closures used where code cannot be generated.
          for (const fast of [FastDecode.decoder(schema), FastDecode.withClosures(() => FastDecode.decoder(schema))]) {
            let mutated = 0
            for (const point of page.dataPoints.slice(0, 3)) {
              const json = (point.raw as Record<string, unknown>)[field]
              expect(fast(json)).toStrictEqual(slow(json))
              for (const mutant of mutants(json)) {
                mutated++
                const a = fast(mutant)
                const b = slow(mutant)
                expect(Either.isRight(a), JSON.stringify(mutant).slice(0, 200)).toBe(Either.isRight(b))
                if (Either.isRight(a) && Either.isRight(b)) expect(a.right).toStrictEqual(b.right)
              }
            }
            expect(mutated).toBeGreaterThan(3)
          }
        }))
    }
  })
})
