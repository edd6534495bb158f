// Our Google Health schemas against Google's generated client: every `Schema$DataPoint` data type
// has a schema in `DataTypes.KNOWN` whose wire (encoded) shape has exactly v4.d.ts's field names,
// nesting and primitive kinds, and so do the rollup windows and the resource schemas (profile,
// settings, devices, subscribers, operations). The v4.d.ts side is read from the file, so a type
// Google adds fails here until it has a schema.
import { describe, expect, it } from "@effect/vitest"
import { GoogleDataTypes as DataTypes, GoogleOperation as Operation, GooglePairedDevices as PairedDevices, GoogleSubscribers as Subscribers, GoogleUsers as Users } from "@fitbit-effect/core"
import type * as Schema from "effect/Schema"
import * as AST from "effect/SchemaAST"
import * as Spec from "./fixtures/v4spec.js"


type Kind = "string" | "number" | "boolean" | "object" | "array" | "any"

/** The members of an encoded AST, with `undefined`, suspensions and refinements taken away. */
const members = (ast: AST.AST): ReadonlyArray<AST.AST> => {
  switch (ast._tag) {
    case "Union":
      return ast.types.flatMap(members)
    case "Suspend":
      return members(ast.f())
    case "Refinement":
      return members(ast.from)
    case "Transformation":
      return members(ast.from)
    case "UndefinedKeyword":
      return []
    default:
      return [ast]
  }
}

const kindOf = (ast: AST.AST): Kind | undefined => {
  switch (ast._tag) {
    case "StringKeyword":
    case "TemplateLiteral":
    case "Enums":
      return "string"
    case "NumberKeyword":
      return "number"
    case "BooleanKeyword":
      return "boolean"
    case "Literal":
      return typeof ast.literal === "string" ? "string" : typeof ast.literal === "number" ? "number" : typeof ast.literal === "boolean" ? "boolean" : undefined
    case "TypeLiteral":
      return "object"
    case "TupleType":
      return "array"
    case "UnknownKeyword":
    case "AnyKeyword":
      return "any"
    default:
      return undefined
  }
}

/** Compares an encoded AST with a v4.d.ts type, collecting every difference under `where`. */
const compare = (ours: AST.AST, type: string, where: string, problems: Array<string>): void => {
  const options = members(ours)
  const kinds = new Set(options.map(kindOf))
  if (type === "any" || type.startsWith("{")) {
    if (!kinds.has("any") && !kinds.has("object")) problems.push(`${where}: expected an object`)
    return
  }
  // Loosely typed (`Unknown`) is allowed only for v4's primitives, never where v4 has a message or a list.
  if (kinds.has("any") && !/^(string|number|boolean)$/.test(type)) return void problems.push(`${where}: typed as unknown, v4: ${type}`)
  if (kinds.has("any")) return
  const array = /^(?:Array<(.+)>|(.+)\[\])$/.exec(type)
  if (array !== null) {
    const tuple = options.find((o): o is AST.TupleType => o._tag === "TupleType")
    if (tuple === undefined || tuple.rest.length === 0) return void problems.push(`${where}: expected an array of ${array[1] ?? array[2]}`)
    return compare(tuple.rest[0]!.type, (array[1] ?? array[2])!, `${where}[]`, problems)
  }
  const ref = /^Schema\$(\w+)$/.exec(type)
  if (ref !== null) {
    const struct = options.find((o): o is AST.TypeLiteral => o._tag === "TypeLiteral")
    if (struct === undefined) return void problems.push(`${where}: expected an object (${ref[1]})`)
    return compareFields(struct, Spec.schemas.get(ref[1]!)!, where, problems)
  }
  const want = type === "string" || type === "number" || type === "boolean" ? type : undefined
  if (want === undefined) return void problems.push(`${where}: v4 type ${type} not understood by this test`)
  if (!kinds.has(want)) problems.push(`${where}: v4 says ${want}, ours accepts ${[...kinds].join("|")}`)
}

const compareFields = (struct: AST.TypeLiteral, fields: ReadonlyArray<Spec.SpecField>, where: string, problems: Array<string>) => {
  const ours = new Map(struct.propertySignatures.map((p) => [String(p.name), p.type]))
  for (const field of fields) {
    if (field.inputOnly) continue // answers never carry it; our schemas decode answers
    const mine = ours.get(field.name)
    if (mine === undefined) problems.push(`${where}.${field.name}: missing (v4: ${field.type})`)
    else compare(mine, field.type, `${where}.${field.name}`, problems)
  }
  const names = new Set(fields.map((f) => f.name))
  for (const name of ours.keys()) if (!names.has(name)) problems.push(`${where}.${name}: not in v4`)
}

const problemsOf = (schema: Schema.Schema.Any, specName: string) => {
  const problems: Array<string> = []
  compare(AST.encodedAST(schema.ast), `Schema$${specName}`, specName, problems)
  return problems
}

describe("data types match v4.d.ts", () => {
  const known = Object.entries(DataTypes.KNOWN) as Array<[string, { field: string; schema: Schema.Schema.Any }]>
  const byField = new Map(known.map(([id, entry]) => [entry.field, { id, ...entry }]))

  it("every data type of Schema$DataPoint has a schema, under its kebab-case id", () => {
    const missing = Spec.dataPointFields().filter((f) => !byField.has(f.name)).map((f) => f.name)
    expect(missing).toEqual([])
    for (const field of Spec.dataPointFields()) expect(byField.get(field.name)!.id).toBe(DataTypes.kebab(field.name))
    expect(known.length).toBe(Spec.dataPointFields().length)
  })

  for (const field of Spec.dataPointFields()) {
    it(`${field.name} (${field.type}) has v4's fields, nesting and kinds`, () => {
      const entry = byField.get(field.name)
      expect(entry, `no schema for ${field.name}`).toBeDefined()
      expect(problemsOf(entry!.schema, field.type.replace("Schema$", ""))).toEqual([])
    })
  }

  it("DataSource", () => expect(problemsOf(DataTypes.DataSource, "DataSource")).toEqual([]))
})

describe("rollup windows match v4.d.ts", () => {
  it("RollupDataPoint covers Schema$RollupDataPoint and Schema$DailyRollupDataPoint", () => {
    const merged = new Map<string, Spec.SpecField>()
    for (const f of [...Spec.schemas.get("RollupDataPoint")!, ...Spec.schemas.get("DailyRollupDataPoint")!]) merged.set(f.name, f)
    const problems: Array<string> = []
    const struct = members(AST.encodedAST(DataTypes.RollupDataPoint.ast)).find((o): o is AST.TypeLiteral => o._tag === "TypeLiteral")!
    compareFields(struct, [...merged.values()], "RollupDataPoint", problems)
    expect(problems).toEqual([])
  })
})

describe("resource schemas match v4.d.ts", () => {
  const cases: Array<[string, Schema.Schema.Any]> = [
    ["Identity", Users.Identity],
    ["Profile", Users.Profile],
    ["Settings", Users.Settings],
    ["IrnProfile", Users.IrnProfile],
    ["PairedDevice", PairedDevices.PairedDevice],
    ["Subscriber", Subscribers.Subscriber],
    ["Subscription", Subscribers.Subscription],
    ["Operation", Operation.Operation]
  ]
  for (const [name, schema] of cases) {
    it(name, () => expect(problemsOf(schema, name)).toEqual([]))
  }
})
