/**
 * `types` and `types describe`: Google's rules for every data type (`GoogleDataTypeRules.RULES`) and
 * the JSON fields of its data points, read from the type's schema (`GoogleDataTypes.KNOWN`), on the
 * wire side (what `fitbit-effect api` prints).
 *
 * @since 0.1.0
 */
import { GoogleDataTypeRules, GoogleDataTypes } from "@fitbit-effect/core"
import * as Either from "effect/Either"
import * as SchemaAST from "effect/SchemaAST"
import { ExitCode, fail } from "./ExitCode.js"
import type { CliFailure } from "./ExitCode.js"

/**
 * One data type's rules as a row.
 *
 * @since 0.1.0
 * @category models
 */
export interface TypeRow {
  readonly type: string
  readonly channel: string
  readonly placement: string
  readonly methods: string
  readonly pageSize: string
  readonly filter: string
  readonly rollUpDays: number | ""
  readonly sourceFamily: boolean
  readonly scope: string
}

const filterText = (rule: GoogleDataTypeRules.DataTypeRule): string =>
  rule.filter.fields.length === 0
    ? "none"
    : `${rule.filter.fields.join(", ")} (${rule.filter.operators.join(" ")}${rule.filter.or ? ", OR" : ""})`

/**
 * Every data type's rules, by id.
 *
 * @since 0.1.0
 * @category formatting
 */
export const rows = (): ReadonlyArray<TypeRow> =>
  Object.entries(GoogleDataTypeRules.RULES)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([type, rule]) => ({
      type,
      channel: rule.channel,
      placement: rule.placement,
      methods: rule.methods.join(" "),
      pageSize: `${rule.pageSize.default}/${rule.pageSize.max}`,
      filter: filterText(rule),
      rollUpDays: rule.rollUpDays ?? "",
      sourceFamily: rule.sourceFamily,
      scope: `googlehealth.${rule.scope}`
    }))

/**
 * A field of a data type's points.
 *
 * @since 0.1.0
 * @category models
 */
export interface FieldRow {
  readonly field: string
  readonly type: string
  readonly optional: boolean
  /** The field's unit, read from its name (Google's v4 names a measured field by its unit); "" when none. */
  readonly unit: string
}

/** Google's unit suffixes, most specific first: the field's last name segment is matched against each. */
const UNITS: ReadonlyArray<readonly [RegExp, string]> = [
  [/MillimetersPerSecond$/i, "mm/s"],
  [/SecondsPerMeter$/i, "s/m"],
  [/StepsPerMinute$/i, "steps/min"],
  [/MilligramsPerDeciliter$/i, "mg/dL"],
  [/BeatsPerMinute(Avg)?$/i, "bpm"],
  [/BreathsPerMinute$/i, "breaths/min"],
  [/Milliseconds$/i, "ms"],
  [/Millimeters$/i, "mm"],
  [/Milliliters$/i, "mL"],
  [/Grams$/i, "g"],
  [/Kcal$/i, "kcal"],
  [/Celsius$/i, "°C"],
  [/Percentage$/i, "%"],
  [/Hertz$/i, "Hz"],
  [/Vo2Max$/i, "mL/kg/min"],
  [/(Duration|UtcOffset|^(light|moderate|vigorous|peak)Time)$/i, "duration (\"90s\")"],
  [/^(physical|start|end|create|update|event)Time$/, "time (RFC 3339)"],
  [/(^minutes|Minutes)/, "min"],
  [/^(count|steps|strokeCount)$/, "count"]
]

/** A field's unit from its path: none for the parts of a civil date or time (`….time.minutes`). */
const unitOf = (path: string): string => {
  const segments = path.replace(/\[\]/g, "").split(".")
  const leaf = segments[segments.length - 1]!
  const parent = segments[segments.length - 2]
  if (parent === "time" || parent === "date") return ""
  return UNITS.find(([pattern]) => pattern.test(leaf))?.[1] ?? ""
}

const unwrap = (ast: SchemaAST.AST, depth = 0): SchemaAST.AST => {
  if (depth > 20) return ast
  switch (ast._tag) {
    case "Refinement":
      return unwrap(ast.from, depth + 1)
    case "Transformation":
      return unwrap(ast.from, depth + 1)
    case "Suspend":
      return unwrap(ast.f(), depth + 1)
    default:
      return ast
  }
}

const typeName = (input: SchemaAST.AST, depth = 0): string => {
  const ast = unwrap(input)
  if (depth > 6) return "…"
  switch (ast._tag) {
    case "StringKeyword":
    case "TemplateLiteral":
      return "string"
    case "NumberKeyword":
      return "number"
    case "BooleanKeyword":
      return "boolean"
    case "BigIntKeyword":
      return "bigint"
    case "UndefinedKeyword":
      return "undefined"
    case "Literal":
      return JSON.stringify(ast.literal)
    case "Enums":
      return ast.enums.map(([, value]) => JSON.stringify(value)).join(" | ")
    case "Union":
      return [...new Set(ast.types.map((member) => typeName(member, depth + 1)).filter((name) => name !== "undefined"))].join(" | ")
    case "TupleType":
      return ast.rest.length > 0
        ? `${typeName(ast.rest[0].type, depth + 1)}[]`
        : `[${ast.elements.map((element) => typeName(element.type, depth + 1)).join(", ")}]`
    case "TypeLiteral":
      return "object"
    case "UnknownKeyword":
    case "AnyKeyword":
      return "unknown"
    default:
      return ast._tag
  }
}

/** The object inside an optional or array member, with the suffix to name it. */
const objectOf = (input: SchemaAST.AST): { readonly literal: SchemaAST.TypeLiteral; readonly suffix: string } | undefined => {
  const ast = unwrap(input)
  if (ast._tag === "TypeLiteral") return { literal: ast, suffix: "" }
  if (ast._tag === "Union") {
    const members = ast.types.map((member) => unwrap(member)).filter((member) => member._tag !== "UndefinedKeyword")
    return members.length === 1 ? objectOf(members[0]) : undefined
  }
  if (ast._tag === "TupleType" && ast.rest.length > 0) {
    const inner = objectOf(ast.rest[0].type)
    return inner === undefined ? undefined : { literal: inner.literal, suffix: `[]${inner.suffix}` }
  }
  return undefined
}

const walk = (literal: SchemaAST.TypeLiteral, prefix: string, into: Array<FieldRow>, depth: number): void => {
  for (const property of literal.propertySignatures) {
    const name = `${prefix}${String(property.name)}`
    const nested = depth < 8 ? objectOf(property.type) : undefined
    into.push({
      field: name,
      type: nested === undefined ? typeName(property.type) : `object${nested.suffix}`,
      optional: property.isOptional,
      unit: nested === undefined ? unitOf(name) : ""
    })
    if (nested !== undefined) walk(nested.literal, `${name}${nested.suffix}.`, into, depth + 1)
  }
}

/**
 * A data type's description: its rules and (for a type with a schema) the JSON fields of its points.
 *
 * @since 0.1.0
 * @category formatting
 */
export const describe = (type: string): Either.Either<
  { readonly rule: TypeRow; readonly pointField: string | undefined; readonly fields: ReadonlyArray<FieldRow> },
  CliFailure
> => {
  const rule = rows().find((row) => row.type === type)
  if (rule === undefined) {
    return Either.left(fail(ExitCode.usage, `unknown data type ${JSON.stringify(type)}: did you mean ${JSON.stringify(GoogleDataTypes.nearestDataType(type))}? (fitbit-effect types lists them)`))
  }
  const known = (GoogleDataTypes.KNOWN as Record<string, { readonly field: string; readonly schema: { readonly ast: SchemaAST.AST } }>)[type]
  if (known === undefined) return Either.right({ rule, pointField: undefined, fields: [] })
  const fields: Array<FieldRow> = []
  const root = objectOf(SchemaAST.encodedAST(known.schema.ast))
  if (root !== undefined) walk(root.literal, `${known.field}.`, fields, 0)
  return Either.right({ rule, pointField: known.field, fields })
}

/**
 * Rows as an aligned text table.
 *
 * @since 0.1.0
 * @category formatting
 */
export const table = (items: ReadonlyArray<Record<string, unknown>>, columns: ReadonlyArray<string>): string => {
  const text = (value: unknown) => (value === undefined || value === null ? "" : String(value))
  const widths = columns.map((column) => Math.max(column.length, ...items.map((item) => text(item[column]).length)))
  const line = (cells: ReadonlyArray<string>) => cells.map((cell, i) => cell.padEnd(widths[i])).join("  ").trimEnd()
  return [line(columns), ...items.map((item) => line(columns.map((column) => text(item[column]))))].join("\n") + "\n"
}
