/**
 * Decoders compiled once from a schema's AST into plain functions, for the shapes the Google
 * Health data types are made of: structs (optional keys, keys with defaults), arrays, unions,
 * strings, numbers, booleans, `undefined`, and final transformations that answer synchronously
 * (`Int64`). No fiber and no `Either` per field: a 10,000-point page decodes in a few
 * milliseconds. Schema stays the one source of truth: a value the compiled decoder refuses is
 * decoded again by `Schema.decodeUnknownEither`, so every failure is Schema's own `ParseError`
 * with its path, and a schema with any other node (a refinement, a suspension, an index
 * signature, parse options) is not compiled at all and always decodes through Schema.
 *
 * @since 0.1.0
 */
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import * as AST from "effect/SchemaAST"

/** What a compiled decoder answers when the input does not fit. */
const FAIL: unique symbol = Symbol("fastDecode/fail")
type Compiled = (input: unknown) => unknown

const hasOwn = Object.prototype.hasOwnProperty

const isRecord = (u: unknown): u is Record<string, unknown> => typeof u === "object" && u !== null && !Array.isArray(u)

const compileTypeLiteral = (ast: AST.TypeLiteral): Compiled | undefined => {
  if (ast.indexSignatures.length > 0) return undefined
  const fields: Array<{ readonly name: string; readonly optional: boolean; readonly decode: Compiled }> = []
  for (const ps of ast.propertySignatures) {
    if (typeof ps.name !== "string") return undefined
    const decode = compile(ps.type)
    if (decode === undefined) return undefined
    fields.push({ name: ps.name, optional: ps.isOptional, decode })
  }
  return (input) => {
    if (!isRecord(input)) return FAIL
    // The input itself is the answer when every field decodes to the value it holds and it has no
    // other key (JSON parsed for this call, nothing else refers to it): no copy of unchanged subtrees.
    let out: Record<string, unknown> | undefined
    let present = 0
    for (let i = 0; i < fields.length; i++) {
      const field = fields[i]!
      const has = hasOwn.call(input, field.name)
      if (!has && field.optional) continue
      const held = input[field.name]
      const value = field.decode(held)
      if (value === FAIL) return FAIL
      if (has) present++
      if (out === undefined && (value !== held || !has)) out = copyFields(input, fields, i)
      if (out !== undefined) out[field.name] = value
    }
    if (out !== undefined) return out
    return keyCount(input) === present ? input : copyFields(input, fields, fields.length)
  }
}

/** The fields before `end` that the input holds, copied into a new object. */
const copyFields = (
  input: Record<string, unknown>,
  fields: ReadonlyArray<{ readonly name: string }>,
  end: number
): Record<string, unknown> => {
  const out: Record<string, unknown> = {}
  for (let j = 0; j < end; j++) {
    const name = fields[j]!.name
    if (hasOwn.call(input, name)) out[name] = input[name]
  }
  return out
}

const keyCount = (input: Record<string, unknown>): number => {
  let n = 0
  for (const key in input) if (hasOwn.call(input, key)) n++
  return n
}

/**
 * The common struct transformation (keys with defaults, `optionalWith`): each step keeps its key,
 * so the struct is decoded and the defaults filled in one pass, one object, no `delete`. The `to`
 * side is the type side of fields decoded here, so it is not checked again. `undefined` for any
 * other shape.
 */
const compileDefaults = (
  from: AST.AST,
  steps: ReadonlyArray<AST.PropertySignatureTransformation>
): Compiled | undefined => {
  if (
    from._tag !== "TypeLiteral" || from.indexSignatures.length > 0 ||
    !steps.every((step) => step.from === step.to && typeof step.from === "string")
  ) return undefined
  const byKey = new Map(steps.map((step) => [step.from as string, step.decode]))
  const fields: Array<{ readonly name: string; readonly optional: boolean; readonly decode: Compiled; readonly step: ((o: Option.Option<any>) => Option.Option<any>) | undefined }> = []
  for (const ps of from.propertySignatures) {
    if (typeof ps.name !== "string") return undefined
    const decode = compile(ps.type)
    if (decode === undefined) return undefined
    fields.push({ name: ps.name, optional: ps.isOptional, decode, step: byKey.get(ps.name) })
  }
  return (input) => {
    if (!isRecord(input)) return FAIL
    const out: Record<string, unknown> = {}
    for (let i = 0; i < fields.length; i++) {
      const field = fields[i]!
      const present = hasOwn.call(input, field.name)
      let value: unknown
      if (present || !field.optional) {
        value = field.decode(input[field.name])
        if (value === FAIL) return FAIL
      }
      if (field.step === undefined) {
        if (present || !field.optional) out[field.name] = value
        continue
      }
      const o = field.step(present || !field.optional ? Option.some(value) : Option.none())
      if (Option.isSome(o)) out[field.name] = o.value
    }
    return out
  }
}

const compileTransformation = (ast: AST.Transformation): Compiled | undefined => {
  const transformation = ast.transformation
  if (transformation._tag === "TypeLiteralTransformation") {
    const fused = compileDefaults(ast.from, transformation.propertySignatureTransformations)
    if (fused !== undefined) return fused
  }
  const from = compile(ast.from)
  const to = compile(ast.to)
  if (from === undefined || to === undefined) return undefined
  switch (transformation._tag) {
    case "FinalTransformation": {
      const decode = transformation.decode
      return (input) => {
        const a = from(input)
        if (a === FAIL) return FAIL
        const result = decode(a, AST.defaultParseOption, ast, input)
        // Only a synchronous answer is taken here; anything else goes through Schema.
        if (!Either.isEither(result) || Either.isLeft(result)) return FAIL
        return to(result.right)
      }
    }
    case "TypeLiteralTransformation": {
      const steps = transformation.propertySignatureTransformations
      return (input) => {
        const a = from(input)
        if (a === FAIL) return FAIL
        // A copy: the struct decoder may hand back the input itself, which is not ours to change.
        const out = { ...(a as Record<string, unknown>) }
        for (let i = 0; i < steps.length; i++) {
          const step = steps[i]!
          const o = step.decode(hasOwn.call(out, step.from) ? Option.some(out[step.from as string]) : Option.none())
          delete out[step.from as string]
          if (Option.isSome(o)) out[step.to as string] = o.value
        }
        return to(out)
      }
    }
    default:
      return undefined
  }
}

/** A plain decoder of an AST, or `undefined` when the AST has a node this compiler leaves to Schema. */
const compile = (ast: AST.AST): Compiled | undefined => {
  if (ast.annotations[AST.ParseOptionsAnnotationId] !== undefined) return undefined
  switch (ast._tag) {
    case "StringKeyword":
      return (u) => (typeof u === "string" ? u : FAIL)
    case "NumberKeyword":
      return (u) => (typeof u === "number" ? u : FAIL)
    case "BooleanKeyword":
      return (u) => (typeof u === "boolean" ? u : FAIL)
    case "UndefinedKeyword":
      return (u) => (u === undefined ? u : FAIL)
    case "UnknownKeyword":
    case "AnyKeyword":
      return (u) => u
    case "Literal": {
      const literal = ast.literal
      return (u) => (u === literal ? u : FAIL)
    }
    case "Union": {
      // `X | undefined` (every optional key): one check instead of a loop over members.
      if (ast.types.length === 2 && ast.types.some((t) => t._tag === "UndefinedKeyword")) {
        const other = compile(ast.types.find((t) => t._tag !== "UndefinedKeyword")!)
        if (other === undefined) return undefined
        return (u) => (u === undefined ? u : other(u))
      }
      // A union of literals (an enum: recording methods, platforms, levels): one lookup.
      if (ast.types.every((t) => t._tag === "Literal")) {
        const literals = new Set(ast.types.map((t) => (t as AST.Literal).literal))
        return (u) => (literals.has(u as AST.LiteralValue) ? u : FAIL)
      }
      const members: Array<Compiled> = []
      for (const member of ast.types) {
        const decode = compile(member)
        if (decode === undefined) return undefined
        members.push(decode)
      }
      return (u) => {
        for (let i = 0; i < members.length; i++) {
          const value = members[i]!(u)
          if (value !== FAIL) return value
        }
        return FAIL
      }
    }
    case "TupleType": {
      if (ast.elements.length > 0 || ast.rest.length !== 1) return undefined
      const item = compile(ast.rest[0]!.type)
      if (item === undefined) return undefined
      return (u) => {
        if (!Array.isArray(u)) return FAIL
        const out = new Array(u.length)
        for (let i = 0; i < u.length; i++) {
          const value = item(u[i])
          if (value === FAIL) return FAIL
          out[i] = value
        }
        return out
      }
    }
    case "TypeLiteral":
      return compileTypeLiteral(ast)
    case "Transformation":
      return compileTransformation(ast)
    default:
      return undefined
  }
}

/**
 * A decoder of `schema` built once: the compiled fast path, and Schema's own decoder for what it
 * refuses (or for the whole schema when it cannot be compiled).
 *
 * @since 0.1.0
 */
export const decoder = <A, I>(schema: Schema.Schema<A, I, never>): (input: unknown) => Either.Either<A, ParseResult.ParseError> => {
  const slow = Schema.decodeUnknownEither(schema)
  const fast = compile(schema.ast)
  if (fast === undefined) return slow
  return (input) => {
    const value = fast(input)
    return value === FAIL ? slow(input) : Either.right(value as A)
  }
}

const built = new WeakMap<Schema.Schema<any, any, never>, (input: unknown) => Either.Either<any, ParseResult.ParseError>>()

/**
 * The {@link decoder} of `schema`, built on first use and kept for the schema's lifetime.
 *
 * @since 0.1.0
 */
export const decoderOf = <A, I>(schema: Schema.Schema<A, I, never>): (input: unknown) => Either.Either<A, ParseResult.ParseError> => {
  let found = built.get(schema)
  if (found === undefined) {
    found = decoder(schema)
    built.set(schema, found)
  }
  return found
}

/**
 * Whether a schema compiles to a plain decoder (for tests: the data types must).
 *
 * @since 0.1.0
 */
export const compiles = (schema: Schema.Schema.Any): boolean => compile(schema.ast) !== undefined
