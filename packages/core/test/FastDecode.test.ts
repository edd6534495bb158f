// The compiled decoders on shapes the data types do not use: a renamed key (the generic struct
// transformation) decodes as Schema does and leaves the input as it was.
import { describe, expect, it } from "@effect/vitest"
import { Either, Schema } from "effect"
import * as FastDecode from "../src/internal/fastDecode.js"

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
})
