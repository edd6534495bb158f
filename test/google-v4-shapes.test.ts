// Our Google Health schemas against Google's generated client (googleapis 188), for both channels:
// every `Schema$DataPoint` data type of v4.d.ts and of v4beta.d.ts has a schema in `GoogleDataTypes.KNOWN`
// whose wire (encoded) shape has exactly the channel's field names, nesting and primitive kinds, and
// so do the rollup windows and the resource schemas (profile, settings, devices, subscribers,
// operations). The rules table agrees with the files: the types only v4beta serves are the ones it
// marks, the roll-up methods are those of the roll-up unions, and every scope is known. The
// googleapis side is read from the files, so a type Google adds fails here until it has a schema.
import { describe, expect, it } from "@effect/vitest"
import { GoogleAuth, GoogleDataTypeRules, GoogleDataTypes, GoogleOperation, GooglePairedDevices, GoogleSubscribers, GoogleUsers } from "@fitbit-effect/core"
import type * as Schema from "effect/Schema"
import * as AST from "effect/SchemaAST"
import * as Spec from "./fixtures/v4spec.js"


type Kind = "string" | "number" | "boolean" | "object" | "array" | "any"

/** The channel the comparisons read (each describe block sets it for its tests). */
const current: { spec: Spec.ChannelSpec } = { spec: Spec.channel("v4") }

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
    return compareFields(struct, current.spec.schemas.get(ref[1]!)!, where, problems)
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

for (const channel of ["v4", "v4beta"] as const) {
  const spec = Spec.channel(channel)
  const use = () => {
    current.spec = spec
  }

  describe(`data types match ${channel}.d.ts`, () => {
    const known = Object.entries(GoogleDataTypes.KNOWN) as Array<[string, { field: string; schema: Schema.Schema.Any }]>
    const byField = new Map(known.map(([id, entry]) => [entry.field, { id, ...entry }]))

    it("every data type of Schema$DataPoint has a schema, under its kebab-case id; the rest are v4beta's own", () => {
      const fields = spec.dataPointFields()
      expect(fields.filter((f) => !byField.has(f.name)).map((f) => f.name)).toEqual([])
      for (const field of fields) expect(byField.get(field.name)!.id).toBe(GoogleDataTypes.kebab(field.name))
      const served = new Set(fields.map((f) => GoogleDataTypes.kebab(f.name)))
      const notServed = known.map(([id]) => id).filter((id) => !served.has(id))
      // The types the channel lacks are exactly those the rules keep for v4beta.
      expect(notServed).toEqual(channel === "v4" ? Object.keys(GoogleDataTypeRules.RULES).filter((id) => GoogleDataTypeRules.RULES[id]!.channel === "v4beta") : [])
    })

    for (const field of spec.dataPointFields()) {
      it(`${field.name} (${field.type}) has ${channel}'s fields, nesting and kinds`, () => {
        use()
        const entry = byField.get(field.name)
        expect(entry, `no schema for ${field.name}`).toBeDefined()
        expect(problemsOf(entry!.schema, field.type.replace("Schema$", ""))).toEqual([])
      })
    }

    it("DataSource", () => {
      use()
      expect(problemsOf(GoogleDataTypes.DataSource, "DataSource")).toEqual([])
    })
  })

  describe(`rollup windows match ${channel}.d.ts`, () => {
    it("RollupDataPoint covers Schema$RollupDataPoint and Schema$DailyRollupDataPoint", () => {
      use()
      const merged = new Map<string, Spec.SpecField>()
      for (const f of [...spec.schemas.get("RollupDataPoint")!, ...spec.schemas.get("DailyRollupDataPoint")!]) merged.set(f.name, f)
      const problems: Array<string> = []
      const struct = members(AST.encodedAST(GoogleDataTypes.RollupDataPoint.ast)).find((o): o is AST.TypeLiteral => o._tag === "TypeLiteral")!
      compareFields(struct, [...merged.values()], "RollupDataPoint", problems)
      expect(problems).toEqual([])
    })
  })

  describe(`the rules table matches ${channel}.d.ts`, () => {
    it("rollUp and dailyRollUp are the methods of exactly the types in the roll-up unions", () => {
      const BOUNDS = new Set(["startTime", "endTime", "civilStartTime", "civilEndTime"])
      // The personal ranges are the daily roll-ups of the daily heart types.
      const OF: Record<string, string> = {
        heartRateVariabilityPersonalRange: "daily-heart-rate-variability",
        restingHeartRatePersonalRange: "daily-resting-heart-rate"
      }
      const typesOf = (name: string) =>
        spec.schemas.get(name)!.filter((f) => !BOUNDS.has(f.name)).map((f) => OF[f.name] ?? GoogleDataTypes.kebab(f.name)).sort()
      const withMethod = (method: GoogleDataTypeRules.Method) =>
        Object.keys(GoogleDataTypeRules.RULES).filter((id) => GoogleDataTypeRules.RULES[id]!.methods.includes(method)).sort()
      expect(withMethod("rollUp")).toEqual(typesOf("RollupDataPoint"))
      expect(withMethod("dailyRollUp")).toEqual(typesOf("DailyRollupDataPoint"))
    })

    it("every data type has rules, and every type the rules list is a data type or a roll-up-only type", () => {
      const ids = spec.dataPointFields().map((f) => GoogleDataTypes.kebab(f.name))
      expect(ids.filter((id) => GoogleDataTypeRules.ruleOf(id) === undefined)).toEqual([])
      const rollupOnly = Object.keys(GoogleDataTypeRules.RULES).filter((id) => GoogleDataTypeRules.RULES[id]!.placement === "rollup")
      expect(rollupOnly.sort()).toEqual([...GoogleDataTypes.ROLLUP_ONLY].sort())
      expect(Object.keys(GoogleDataTypeRules.RULES).filter((id) => !GoogleDataTypes.isKnownDataType(id) && !rollupOnly.includes(id))).toEqual([])
    })

    it("every scope googleapis names is one GoogleAuth knows, and every rule's scope family can be read", () => {
      // googleapis' method docs omit `nutrition.readonly`, which Google's scopes page
      // (developers.google.com/health/scopes) lists: "See your Google Health nutrition data".
      const scopes = new Set([...Spec.scopesOf(channel), `${GoogleAuth.SCOPE_PREFIX}nutrition.readonly`])
      const ours = new Set(GoogleAuth.SCOPES.map((s) => GoogleAuth.scope(s)))
      expect([...scopes].filter((s) => !ours.has(s))).toEqual([])
      for (const [id, rule] of Object.entries(GoogleDataTypeRules.RULES)) {
        expect(scopes.has(`${GoogleAuth.SCOPE_PREFIX}${rule.scope}.readonly`), `${id}: ${rule.scope}.readonly`).toBe(true)
      }
    })
  })

  describe(`resource schemas match ${channel}.d.ts`, () => {
    const cases: Array<[string, Schema.Schema.Any]> = [
      ["Identity", GoogleUsers.Identity],
      ["Profile", GoogleUsers.Profile],
      ["Settings", GoogleUsers.Settings],
      ["IrnProfile", GoogleUsers.IrnProfile],
      ["PairedDevice", GooglePairedDevices.PairedDevice],
      ["Subscriber", GoogleSubscribers.Subscriber],
      ["Subscription", GoogleSubscribers.Subscription],
      ["Operation", GoogleOperation.Operation]
    ]
    for (const [name, schema] of cases) {
      it(name, () => {
        use()
        expect(problemsOf(schema, name)).toEqual([])
      })
    }
  })
}
