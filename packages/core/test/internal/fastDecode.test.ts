// The compiled decoders on shapes the data types do not use (a renamed key: the generic struct
// transformation decodes as Schema does and leaves the input as it was), and on enums (a union of
// literals, one lookup): the same answers as Schema for members and for everything else.
import { describe, expect, it } from "@effect/vitest"
import { Either, Schema } from "effect"
import * as FastDecode from "../../src/internal/fastDecode.js"

describe("FastDecode", () => {
  it("a renamed key: Schema's value, the input untouched", () => {
    const Renamed = Schema.Struct({ steps: Schema.propertySignature(Schema.Number).pipe(Schema.fromKey("count")) })
    expect(FastDecode.compiles(Renamed)).toBe(true)
    const input = { count: 5 }
    const decoded = FastDecode.decoder(Renamed)(input)
    expect(decoded).toEqual(Schema.decodeUnknownEither(Renamed)(input))
    expect(Either.getOrThrow(decoded)).toEqual({ steps: 5 })
    expect(input).toEqual({ count: 5 })
  })

  it("a union of literals: compiled, and Schema's answer for every member and for values outside it", () => {
    const Level = Schema.Struct({ level: Schema.Literal("LIGHT", "MODERATE", "VIGOROUS", 3, true, null) })
    expect(FastDecode.compiles(Level)).toBe(true)
    for (const level of ["LIGHT", "MODERATE", "VIGOROUS", 3, true, null, "light", "", 4, "3", false, undefined, {}, ["LIGHT"]]) {
      const input = { level }
      const fast = FastDecode.decoder(Level)(input)
      expect(Either.isRight(fast), JSON.stringify(level)).toBe(Either.isRight(Schema.decodeUnknownEither(Level)(input)))
      if (Either.isRight(fast)) expect(fast.right).toEqual({ level })
      // Refused values keep Schema's error (the decoder hands them to Schema).
      else expect(String(fast.left)).toBe(String(Schema.decodeUnknownEither(Level)(input).pipe(Either.flip, Either.getOrThrow)))
    }
  })
})
