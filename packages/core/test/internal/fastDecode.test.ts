// The compiled decoders on shapes the data types do not use (a renamed key: the generic struct
// transformation decodes as Schema does and leaves the input as it was), and on enums (a union of
// literals, one lookup): the same answers as Schema for members and for everything else.
import { describe, expect, it } from "@effect/vitest"
import { Either, ParseResult, Schema } from "effect"
import * as FastDecode from "../../src/internal/fastDecode.js"

/** Expects the compiled decoder to answer Schema's value (or Schema's error) for every input. */
const agreesWithSchema = <A, I>(
  fast: (input: unknown) => Either.Either<A, ParseResult.ParseError>,
  schema: Schema.Schema<A, I, never>,
  inputs: ReadonlyArray<unknown>
) => {
  const slow = Schema.decodeUnknownEither(schema)
  for (const input of inputs) {
    const a = fast(input)
    const b = slow(input)
    expect(Either.isRight(a), JSON.stringify(input)).toBe(Either.isRight(b))
    if (Either.isRight(a) && Either.isRight(b)) expect(a.right, JSON.stringify(input)).toStrictEqual(b.right)
    else expect(String(Either.flip(a).pipe(Either.getOrThrow))).toBe(String(Either.flip(b).pipe(Either.getOrThrow)))
  }
}

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

// The generated decoders (and the closures used where code cannot be generated) on the edges of
// the shapes they handle: each answers exactly Schema's value (keys present as `undefined`
// included), and a value that needs no change is handed back as it is.
describe("FastDecode: generated code and closures against Schema", () => {
  const Int = Schema.transformOrFail(Schema.Union(Schema.String, Schema.Number), Schema.Number, {
    strict: true,
    decode: (s, _, ast) => {
      const n = Number(s)
      return Number.isInteger(n) ? ParseResult.succeed(n) : ParseResult.fail(new ParseResult.Type(ast, s))
    },
    encode: (n) => ParseResult.succeed(String(n))
  })
  const Inner = Schema.Struct({ a: Schema.String, b: Schema.optional(Schema.Number) })
  const Shape = Schema.Struct({
    inner: Schema.optional(Inner),
    list: Schema.optional(Schema.Array(Inner)),
    ints: Schema.optional(Schema.Array(Int)),
    n: Schema.optionalWith(Int, { default: () => 0 }),
    either: Schema.optional(Schema.Union(Inner, Schema.Array(Schema.String), Int)),
    any: Schema.Unknown,
    kind: Schema.optional(Schema.Literal("X", "Y")),
    d: FastDecode.optionalWithDefault(Int, () => -1)
  })
  const inputs: Array<unknown> = [
    { any: 1 },
    {},
    { any: null, inner: { a: "x" }, list: [{ a: "y", b: 2 }], ints: ["1", 2], n: "7", either: ["s"], kind: "X" },
    { any: 1, inner: { a: "x", b: undefined } },
    { any: 1, inner: { a: "x", extra: 1 } },
    { any: 1, inner: { b: 1 } },
    { any: 1, inner: [] },
    { any: 1, list: [{ a: "x" }, { a: "y", extra: true }] },
    { any: 1, list: [{ a: 1 }] },
    { any: 1, ints: ["1", "x"] },
    { any: 1, n: undefined },
    { any: 1, d: undefined },
    { any: 1, d: "5" },
    { any: 1, d: "x" },
    { any: 1, n: "1.5" },
    { any: 1, either: { a: "x" } },
    { any: 1, either: "3" },
    { any: 1, either: true },
    { any: 1, kind: "Z" },
    { any: 1, list: [, { a: "x" }] }, // eslint-disable-line no-sparse-arrays
    Object.assign(Object.create({ inherited: 1 }), { any: 2 }),
    "not an object",
    null
  ]
  for (const [mode, decoderOf] of [
    ["generated", () => FastDecode.decoder(Shape)],
    ["closures", () => FastDecode.withClosures(() => FastDecode.decoder(Shape))]
  ] as const) {
    it(`${mode}: Schema's answer for every input`, () => {
      agreesWithSchema(decoderOf(), Shape, inputs)
    })
  }

  it("generated: what needs no change is the input itself, what changes is a new value", () => {
    const fast = FastDecode.decoder(Shape)
    const input = { any: 1, inner: { a: "x" }, list: [{ a: "y" }], ints: [1, 2], n: 3 }
    const decoded = Either.getOrThrow(fast(input))
    expect(decoded).not.toBe(input)
    expect(decoded.inner).toBe(input.inner)
    expect(decoded.list).toBe(input.list)
    expect(decoded.ints).toBe(input.ints)
    const changed = { any: 1, ints: [1, "2"] }
    expect(Either.getOrThrow(fast(changed)).ints).toStrictEqual([1, 2])
    expect(changed.ints).toStrictEqual([1, "2"])
  })

  it("PlainDecode: the annotated function decodes instead of the transformation", () => {
    const Tagged = Int.annotations({ [FastDecode.PlainDecode]: (u: unknown) => (u === "one" ? 1 : FastDecode.NO) })
    const S = Schema.Struct({ n: Tagged })
    expect(Either.getOrThrow(FastDecode.decoder(S)({ n: "one" }))).toStrictEqual({ n: 1 })
    expect(Either.getOrThrow(FastDecode.withClosures(() => FastDecode.decoder(S))({ n: "one" }))).toStrictEqual({ n: 1 })
    // Refused by the plain function: Schema decides (here it takes "2").
    expect(Either.getOrThrow(FastDecode.decoder(S)({ n: "2" }))).toStrictEqual({ n: 2 })
    expect(FastDecode.plainDecoderOf(S)({ n: "x" })).toBe(FastDecode.NO)
  })
})

// A struct with a pass-through index signature (`Rest`: the fields a Google Health resource
// carries beyond those this library names) compiles, and answers exactly Schema's value.
describe("FastDecode: structs that keep the keys they do not name", () => {
  const Int = Schema.transformOrFail(Schema.String, Schema.Number, {
    strict: true,
    decode: (s, _, ast) => (/^\d+$/.test(s) ? ParseResult.succeed(Number(s)) : ParseResult.fail(new ParseResult.Type(ast, s))),
    encode: (n) => ParseResult.succeed(String(n))
  })
  const Rest = Schema.Record({ key: Schema.String, value: Schema.Unknown })
  const Open = Schema.Struct({ name: Schema.optional(Schema.String), count: Schema.optional(Int), nested: Schema.optional(Schema.Struct({ a: Schema.String }, Rest)) }, Rest)
  const inputs: Array<unknown> = [
    {},
    { name: "users/me/profile" },
    { name: "n", age: 41, flags: { beta: true } },
    { count: "12", other: [1, 2], name: "n" },
    { count: "x" },
    { name: 3 },
    { nested: { a: "x", b: 2 } },
    { nested: { b: 2 } },
    { name: undefined, extra: undefined },
    Object.assign(Object.create({ inherited: 1 }), { name: "n" }),
    [],
    null
  ]
  for (const [mode, decoderOf] of [
    ["generated", () => FastDecode.decoder(Open)],
    ["closures", () => FastDecode.withClosures(() => FastDecode.decoder(Open))]
  ] as const) {
    it(`${mode}: compiled, Schema's answer for every input, other keys kept`, () => {
      expect(FastDecode.compiles(Open)).toBe(true)
      const fast = decoderOf()
      agreesWithSchema(fast, Open, inputs)
      const unchanged = { name: "n", age: 41 }
      expect(Either.getOrThrow(fast(unchanged))).toBe(unchanged)
      const changed = { count: "7", age: 41 }
      expect(Either.getOrThrow(fast(changed))).toStrictEqual({ count: 7, age: 41 })
      expect(changed).toStrictEqual({ count: "7", age: 41 })
    })
  }

  it("any other index signature is left to Schema", () => {
    expect(FastDecode.compiles(Schema.Struct({ a: Schema.String }, Schema.Record({ key: Schema.String, value: Schema.Number })))).toBe(false)
    expect(FastDecode.compiles(Schema.Struct({ a: Schema.String }, Schema.Record({ key: Schema.String.pipe(Schema.minLength(2)), value: Schema.Unknown })))).toBe(false)
  })
})
