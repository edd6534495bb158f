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

/**
 * What a compiled decoder (and a {@link PlainDecode} function) answers when the input does not fit.
 *
 * @since 0.1.0
 */
export const NO: unique symbol = Symbol("fastDecode/fail")
const FAIL = NO
type Compiled = (input: unknown) => unknown

/**
 * The annotation of a final transformation (`transformOrFail`) whose decoding a plain function
 * also performs, from the encoded input to the decoded value, answering {@link NO} where the
 * schema fails: the compiled decoders call it instead of the transformation (no `Either` per
 * value). It must decode exactly as the schema does (share the function both use).
 *
 * @since 0.1.0
 */
export const PlainDecode: unique symbol = Symbol.for("@fitbit-effect/core/fastDecode/PlainDecode")

/**
 * The annotation of a key made by {@link optionalWithDefault}: its default, so the compiled
 * decoders fill it in without an `Option` per value.
 *
 * @since 0.1.0
 */
export const DefaultValue: unique symbol = Symbol.for("@fitbit-effect/core/fastDecode/DefaultValue")

/**
 * `Schema.optionalWith(schema, { default })`, its default also declared to the compiled decoders
 * ({@link DefaultValue}): absent or `undefined`, the key decodes to `value()`, as Schema's does.
 *
 * @since 0.1.0
 */
export const optionalWithDefault = <S extends Schema.Schema.All>(schema: S, value: () => Schema.Schema.Type<S>) =>
  Schema.optionalWith(schema, { default: value }).annotations({ [DefaultValue]: value })

/** The declared default of the key `name` of a struct's type side, if {@link optionalWithDefault} made it. */
const defaultOf = (to: AST.AST, name: string): (() => unknown) | undefined => {
  if (to._tag !== "TypeLiteral") return undefined
  const ps = to.propertySignatures.find((p) => p.name === name)
  const value = ps?.annotations[DefaultValue]
  return ps !== undefined && !ps.isOptional && typeof value === "function" ? value as () => unknown : undefined
}

/** The plain decoding of a node, when annotated with {@link PlainDecode}. */
const plainOf = (ast: AST.AST): Compiled | undefined => {
  const plain = ast.annotations[PlainDecode]
  return ast._tag === "Transformation" && typeof plain === "function" ? plain as Compiled : undefined
}

const hasOwn = Object.prototype.hasOwnProperty

const isRecord = (u: unknown): u is Record<string, unknown> => typeof u === "object" && u !== null && !Array.isArray(u)

/**
 * Whether a struct's index signatures let every other key through unchanged: none, or one
 * `Record({ key: String, value: Unknown })` (the `Rest` of the Google Health resources, which keep
 * the fields this library does not name). `undefined` when there is any other index signature.
 */
const restOf = (ast: AST.TypeLiteral): boolean | undefined => {
  if (ast.indexSignatures.length === 0) return false
  if (ast.indexSignatures.length > 1) return undefined
  const { parameter, type } = ast.indexSignatures[0]!
  return parameter._tag === "StringKeyword" && (type._tag === "UnknownKeyword" || type._tag === "AnyKeyword") ? true : undefined
}

/** A copy of the input's own keys, as Schema's decoding of a struct with a pass-through index signature makes. */
const copyAll = (input: Record<string, unknown>): Record<string, unknown> => {
  const out: Record<string, unknown> = {}
  for (const name in input) if (hasOwn.call(input, name)) out[name] = input[name]
  return out
}

const compileTypeLiteral = (ast: AST.TypeLiteral): Compiled | undefined => {
  const rest = restOf(ast)
  if (rest === undefined) return undefined
  const fields: Array<{ readonly name: string; readonly optional: boolean; readonly decode: Compiled }> = []
  for (const ps of ast.propertySignatures) {
    if (typeof ps.name !== "string") return undefined
    const decode = compileClosures(ps.type)
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
      if (out === undefined && (value !== held || !has)) out = rest ? copyAll(input) : copyFields(input, fields, i)
      if (out !== undefined) out[field.name] = value
    }
    if (out !== undefined) return out
    // Every other key passes under a pass-through index signature; without one, it is dropped.
    return rest || keyCount(input) === present ? input : copyFields(input, fields, fields.length)
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
 * Whether a struct transformation can be decoded in one pass (see {@link compileDefaults}): a
 * struct without index signatures whose steps each keep their key; its steps by key.
 */
const fusable = (
  from: AST.AST,
  steps: ReadonlyArray<AST.PropertySignatureTransformation>
): { readonly from: AST.TypeLiteral; readonly byKey: ReadonlyMap<string, AST.PropertySignatureTransformation["decode"]> } | undefined =>
  from._tag !== "TypeLiteral" || from.indexSignatures.length > 0 ||
    !steps.every((step) => step.from === step.to && typeof step.from === "string")
    ? undefined
    : { from, byKey: new Map(steps.map((step) => [step.from as string, step.decode])) }

/**
 * The common struct transformation (keys with defaults, `optionalWith`): each step keeps its key,
 * so the struct is decoded and the defaults filled in one pass, one object, no `delete`. The `to`
 * side is the type side of fields decoded here, so it is not checked again. `undefined` for any
 * other shape.
 */
const compileDefaults = (
  from: AST.AST,
  to: AST.AST,
  steps: ReadonlyArray<AST.PropertySignatureTransformation>
): Compiled | undefined => {
  const fused = fusable(from, steps)
  if (fused === undefined) return undefined
  const { byKey } = fused
  const fields: Array<{
    readonly name: string
    readonly optional: boolean
    readonly decode: Compiled
    readonly step: ((o: Option.Option<any>) => Option.Option<any>) | undefined
    readonly default: (() => unknown) | undefined
  }> = []
  for (const ps of fused.from.propertySignatures) {
    if (typeof ps.name !== "string") return undefined
    const decode = compileClosures(ps.type)
    if (decode === undefined) return undefined
    const step = byKey.get(ps.name)
    fields.push({ name: ps.name, optional: ps.isOptional, decode, step, default: step === undefined ? undefined : defaultOf(to, ps.name) })
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
      if (field.default !== undefined) {
        out[field.name] = value === undefined ? field.default() : value
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
    const fused = compileDefaults(ast.from, ast.to, transformation.propertySignatureTransformations)
    if (fused !== undefined) return fused
  }
  const from = compileClosures(ast.from)
  const to = compileClosures(ast.to)
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

/**
 * A decoder of an AST made of closures (one per node), or `undefined` when the AST has a node this
 * compiler leaves to Schema. Used where code cannot be generated (no `new Function`), and for the
 * nodes the generator embeds as they are.
 */
const compileClosures = (ast: AST.AST): Compiled | undefined => {
  if (ast.annotations[AST.ParseOptionsAnnotationId] !== undefined) return undefined
  const plain = plainOf(ast)
  if (plain !== undefined) return plain
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
        const other = compileClosures(ast.types.find((t) => t._tag !== "UndefinedKeyword")!)
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
        const decode = compileClosures(member)
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
      const item = compileClosures(ast.rest[0]!.type)
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

// ---------------------------------------------------------------------------------------------
// Generated decoders: one function per schema, its nested structs, arrays and unions inlined as
// straight-line code (no closure call per node), a value that needs no change handed back as it
// is (no copy), and constants (literal sets, transformations) passed in as arguments.

/** The source of one generated decoder: its constants (the function's parameters) and fresh names. */
class Source {
  readonly names: Array<string> = []
  readonly values: Array<unknown> = []
  private next = 0
  /** The name under which the generated code reads `value`. */
  constant(value: unknown): string {
    const i = this.values.indexOf(value)
    if (i >= 0) return this.names[i]!
    const name = `k${this.values.length}`
    this.names.push(name)
    this.values.push(value)
    return name
  }
  fresh(prefix: string): string {
    return `${prefix}${this.next++}`
  }
}

/**
 * Code that checks the variable it was generated for and leaves the decoded value in `out` (the
 * variable itself when the value passes through unchanged); it `return F`s where the input does
 * not fit. `test` is set for a check with no code: an expression true when the input fits.
 */
interface Piece {
  readonly code: string
  readonly out: string
  readonly test?: string
}

const checked = (v: string, test: string): Piece => ({ code: `if (!(${test})) return F;\n`, out: v, test })

/** A node decoded by a function called from the generated code (a closure, or another generated decoder). */
const called = (src: Source, v: string, decode: Compiled): Piece => {
  const r = src.fresh("r")
  return { code: `const ${r} = ${src.constant(decode)}(${v});\nif (${r} === F) return F;\n`, out: r }
}

/** A property key as a JavaScript string literal. */
const key = (name: string): string => JSON.stringify(name)

const genTypeLiteral = (src: Source, ast: AST.TypeLiteral, v: string): Piece | undefined => {
  const rest = restOf(ast)
  if (rest === undefined) return undefined
  let code = `if (typeof ${v} !== "object" || ${v} === null || Array.isArray(${v})) return F;\n`
  const same = src.fresh("same")
  const present = src.fresh("p")
  code += `let ${same} = true, ${present} = 0;\n`
  const outs: Array<{ readonly k: string; readonly has: string; readonly optional: boolean; readonly x: string }> = []
  for (const ps of ast.propertySignatures) {
    if (typeof ps.name !== "string") return undefined
    const k = key(ps.name)
    const has = src.fresh("h")
    const f = src.fresh("f")
    const x = src.fresh("x")
    const piece = gen(src, ps.type, f)
    if (piece === undefined) return undefined
    const changed = piece.out === f ? "" : `if (${x} !== ${f}) ${same} = false;\n`
    code += `const ${has} = hasOwn.call(${v}, ${k});\n`
    if (ps.isOptional) {
      code += `let ${x};\nif (${has}) {\n${present}++;\nconst ${f} = ${v}[${k}];\n${piece.code}${x} = ${piece.out};\n${changed}}\n`
    } else {
      // A missing key is decoded as `undefined` (Schema reads it all the same) and put in a copy.
      code += `if (${has}) ${present}++; else ${same} = false;\nconst ${f} = ${v}[${k}];\n${piece.code}const ${x} = ${piece.out};\n${changed}`
    }
    outs.push({ k, has, optional: ps.isOptional, x })
  }
  // The input itself is the answer when every field is the value it holds and it has no other key.
  const r = src.fresh("o")
  const q = src.fresh("q")
  const n = src.fresh("n")
  if (rest) {
    // Every other key passes (a pass-through index signature): a copy holds them all, in order.
    code += `let ${r} = ${v};\nif (!${same}) {\n${r} = {};\nfor (const ${q} in ${v}) if (hasOwn.call(${v}, ${q})) ${r}[${q}] = ${v}[${q}];\n`
  } else {
    code += `if (${same}) {\nlet ${n} = 0;\nfor (const ${q} in ${v}) if (hasOwn.call(${v}, ${q})) ${n}++;\n${same} = ${n} === ${present};\n}\n`
    code += `let ${r} = ${v};\nif (!${same}) {\n${r} = {};\n`
  }
  for (const o of outs) code += o.optional ? `if (${o.has}) ${r}[${o.k}] = ${o.x};\n` : `${r}[${o.k}] = ${o.x};\n`
  code += "}\n"
  return { code, out: r }
}

/** The fused struct transformation (keys with defaults): see `compileDefaults`. */
const genDefaults = (
  src: Source,
  from: AST.AST,
  to: AST.AST,
  steps: ReadonlyArray<AST.PropertySignatureTransformation>,
  v: string
): Piece | undefined => {
  const fused = fusable(from, steps)
  if (fused === undefined) return undefined
  const { byKey } = fused
  let code = `if (typeof ${v} !== "object" || ${v} === null || Array.isArray(${v})) return F;\n`
  // Each key: its variable, and whether it is set only when a condition holds.
  const keys: Array<{ readonly k: string; readonly value: string; readonly when: string | undefined }> = []
  for (const ps of fused.from.propertySignatures) {
    if (typeof ps.name !== "string") return undefined
    const k = key(ps.name)
    const f = src.fresh("f")
    const x = src.fresh("x")
    const piece = gen(src, ps.type, f)
    if (piece === undefined) return undefined
    const step = byKey.get(ps.name)
    const decodeInto = `const ${f} = ${v}[${k}];\n${piece.code}${x} = ${piece.out};\n`
    const has = src.fresh("h")
    if (ps.isOptional) code += `const ${has} = hasOwn.call(${v}, ${k});\nlet ${x};\nif (${has}) {\n${decodeInto}}\n`
    else code += `let ${x};\n{\n${decodeInto}}\n`
    if (step === undefined) {
      keys.push({ k, value: x, when: ps.isOptional ? has : undefined })
      continue
    }
    const fallback = defaultOf(to, ps.name)
    if (fallback !== undefined) {
      // A declared default (`optionalWithDefault`): absent or `undefined` is the default; no `Option`.
      code += `if (${x} === undefined) ${x} = ${src.constant(fallback)}();\n`
      keys.push({ k, value: x, when: undefined })
      continue
    }
    const s = src.fresh("s")
    const some = src.constant(Option.some)
    code += `const ${s} = ${src.constant(step)}(${ps.isOptional ? `${has} ? ${some}(${x}) : ${src.constant(Option.none())}` : `${some}(${x})`});\n`
    keys.push({ k, value: `${s}.value`, when: `${s}._tag === "Some"` })
  }
  // One object literal when every key is set (its shape known at once), else key by key.
  const r = src.fresh("o")
  const whole = `{ ${keys.map((o) => `${o.k}: ${o.value}`).join(", ")} }`
  const conditions = keys.flatMap((o) => (o.when === undefined ? [] : [o.when]))
  if (conditions.length === 0) return { code: `${code}const ${r} = ${whole};\n`, out: r }
  code += `let ${r};\nif (${conditions.join(" && ")}) ${r} = ${whole};\nelse {\n${r} = {};\n`
  for (const o of keys) code += o.when === undefined ? `${r}[${o.k}] = ${o.value};\n` : `if (${o.when}) ${r}[${o.k}] = ${o.value};\n`
  return { code: `${code}}\n`, out: r }
}

const genUnion = (src: Source, ast: AST.Union, v: string): Piece | undefined => {
  // `X | undefined` (every optional key): one check instead of a loop over members.
  if (ast.types.length === 2 && ast.types.some((t) => t._tag === "UndefinedKeyword")) {
    const piece = gen(src, ast.types.find((t) => t._tag !== "UndefinedKeyword")!, v)
    if (piece === undefined) return undefined
    if (piece.test !== undefined) return checked(v, `${v} === undefined || ${piece.test}`)
    if (piece.out === v) return { code: `if (${v} !== undefined) {\n${piece.code}}\n`, out: v }
    const r = src.fresh("u")
    return { code: `let ${r} = ${v};\nif (${v} !== undefined) {\n${piece.code}${r} = ${piece.out};\n}\n`, out: r }
  }
  // A union of literals (an enum: recording methods, platforms, levels): one lookup.
  if (ast.types.every((t) => t._tag === "Literal")) {
    return checked(v, `${src.constant(new Set(ast.types.map((t) => (t as AST.Literal).literal)))}.has(${v})`)
  }
  const pieces: Array<Piece> = []
  for (const member of ast.types) {
    const piece = gen(src, member, v)
    if (piece === undefined) return undefined
    pieces.push(piece)
  }
  // Members that are checks only (`string | number`): one condition.
  if (pieces.every((p) => p.test !== undefined)) return checked(v, pieces.map((p) => `(${p.test})`).join(" || "))
  // Otherwise each member is its own generated decoder, tried in order.
  const members: Array<Compiled> = []
  for (const member of ast.types) {
    const decode = compile(member)
    if (decode === undefined) return undefined
    members.push(decode)
  }
  const r = src.fresh("u")
  let code = `let ${r} = ${src.constant(members[0])}(${v});\n`
  for (const member of members.slice(1)) code += `if (${r} === F) ${r} = ${src.constant(member)}(${v});\n`
  return { code: `${code}if (${r} === F) return F;\n`, out: r }
}

const genArray = (src: Source, ast: AST.TupleType, v: string): Piece | undefined => {
  if (ast.elements.length > 0 || ast.rest.length !== 1) return undefined
  const i = src.fresh("i")
  const e = src.fresh("e")
  const piece = gen(src, ast.rest[0]!.type, e)
  if (piece === undefined) return undefined
  // A hole (a sparse array, never JSON) goes to Schema, which reads it as `undefined`.
  const head = `if (!Array.isArray(${v})) return F;\n`
  const hole = `if (${e} === undefined && !(${i} in ${v})) return F;\n`
  if (piece.out === e) {
    return { code: `${head}for (let ${i} = 0; ${i} < ${v}.length; ${i}++) {\nconst ${e} = ${v}[${i}];\n${hole}${piece.code}}\n`, out: v }
  }
  // The array itself unless an item changes; then a copy from that item on.
  const r = src.fresh("a")
  const x = src.fresh("x")
  return {
    code: `${head}let ${r} = ${v};\nfor (let ${i} = 0; ${i} < ${v}.length; ${i}++) {\nconst ${e} = ${v}[${i}];\n${hole}${piece.code}` +
      `const ${x} = ${piece.out};\nif (${r} !== ${v}) ${r}.push(${x});\nelse if (${x} !== ${e}) {\n${r} = ${v}.slice(0, ${i});\n${r}.push(${x});\n}\n}\n`,
    out: r
  }
}

/** The code of one node for the variable `v`, or `undefined` when this node is left to Schema. */
const gen = (src: Source, ast: AST.AST, v: string): Piece | undefined => {
  if (ast.annotations[AST.ParseOptionsAnnotationId] !== undefined) return undefined
  const plain = plainOf(ast)
  if (plain !== undefined) return called(src, v, plain)
  switch (ast._tag) {
    case "StringKeyword":
      return checked(v, `typeof ${v} === "string"`)
    case "NumberKeyword":
      return checked(v, `typeof ${v} === "number"`)
    case "BooleanKeyword":
      return checked(v, `typeof ${v} === "boolean"`)
    case "UndefinedKeyword":
      return checked(v, `${v} === undefined`)
    case "UnknownKeyword":
    case "AnyKeyword":
      return { code: "", out: v, test: "true" }
    case "Literal":
      return checked(v, `${v} === ${typeof ast.literal === "string" ? key(ast.literal) : src.constant(ast.literal)}`)
    case "Union":
      return genUnion(src, ast, v)
    case "TupleType":
      return genArray(src, ast, v)
    case "TypeLiteral":
      return genTypeLiteral(src, ast, v)
    case "Transformation": {
      const transformation = ast.transformation
      if (transformation._tag === "TypeLiteralTransformation") {
        const fused = genDefaults(src, ast.from, ast.to, transformation.propertySignatureTransformations, v)
        if (fused !== undefined) return fused
      }
      if (transformation._tag === "FinalTransformation") {
        const from = gen(src, ast.from, v)
        if (from === undefined) return undefined
        const e = src.fresh("t")
        const to = gen(src, ast.to, `${e}.right`)
        if (to === undefined) return undefined
        const decode = src.constant(transformation.decode)
        // Only a synchronous answer is taken here; anything else goes through Schema.
        return {
          code: `${from.code}const ${e} = ${decode}(${from.out}, ${src.constant(AST.defaultParseOption)}, ${src.constant(ast)}, ${v});\n` +
            `if (!${src.constant(Either.isEither)}(${e}) || ${e}._tag !== "Right") return F;\n${to.code}`,
          out: to.out
        }
      }
      // The generic struct transformation (renamed keys): its closure, called from the code.
      const decode = compileClosures(ast)
      return decode === undefined ? undefined : called(src, v, decode)
    }
    default:
      return undefined
  }
}

/** Whether this runtime builds functions from source (not under a CSP that forbids it). */
let canGenerate: boolean | undefined = undefined

/**
 * One generated function decoding an AST, or `undefined` when the AST has a node left to Schema
 * or the runtime does not build functions from source.
 */
const generate = (ast: AST.AST): Compiled | undefined => {
  if (canGenerate === false) return undefined
  const src = new Source()
  const piece = gen(src, ast, "input")
  if (piece === undefined) return undefined
  try {
    const make = new Function("F", "hasOwn", ...src.names, `"use strict";\nreturn function decode(input) {\n${piece.code}return ${piece.out};\n}`)
    canGenerate = true
    return make(FAIL, hasOwn, ...src.values) as Compiled
  } catch {
    canGenerate = false
    return undefined
  }
}

/** Whether decoders are generated as code (else closures; for tests of both). */
let generating = true

/**
 * Decodes with closures instead of generated code while `body` runs (for tests: both must answer
 * as Schema does).
 *
 * @since 0.1.0
 */
export const withClosures = <A>(body: () => A): A => {
  const before = generating
  generating = false
  try {
    return body()
  } finally {
    generating = before
  }
}

/** A plain decoder of an AST: generated code where the runtime allows, else closures; `undefined` when left to Schema. */
const compile = (ast: AST.AST): Compiled | undefined => (generating ? generate(ast) : undefined) ?? compileClosures(ast)

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

const plainBuilt = new WeakMap<Schema.Schema<any, any, never>, (input: unknown) => unknown>()

/**
 * The plain decoder of `schema` (built on first use, kept for the schema's lifetime): the decoded
 * value, or {@link NO} where {@link decoderOf} would answer a `Left` (ask it then for the error).
 * No `Either` per call, for loops over many values.
 *
 * @since 0.1.0
 */
export const plainDecoderOf = <A, I>(schema: Schema.Schema<A, I, never>): (input: unknown) => A | typeof NO => {
  let found = plainBuilt.get(schema)
  if (found === undefined) {
    const fast = compile(schema.ast)
    if (fast !== undefined) {
      const slow = Schema.decodeUnknownEither(schema)
      // What the compiled code refuses, Schema may still take (an array as a struct, say).
      found = (input) => {
        const value = fast(input)
        if (value !== FAIL) return value
        const again = slow(input)
        return Either.isRight(again) ? again.right : FAIL
      }
    } else {
      const slow = Schema.decodeUnknownEither(schema)
      found = (input) => {
        const again = slow(input)
        return Either.isRight(again) ? again.right : FAIL
      }
    }
    plainBuilt.set(schema, found)
  }
  return found as (input: unknown) => A | typeof NO
}

/**
 * Whether a schema compiles to a plain decoder (for tests: the data types must).
 *
 * @since 0.1.0
 */
export const compiles = (schema: Schema.Schema.Any): boolean => compile(schema.ast) !== undefined
