/**
 * The AIP-160 time-range filters the emulated `dataPoints` list and reconcile accept, per data type
 * as Google's rules say (the emulator's `Rules`: interval types on `interval.start_time` and
 * `.civil_start_time`, sample types on `sample_time.physical_time` and `.civil_time`, daily types on
 * `date`, sessions on `interval.civil_start_time`, ECG on `interval.start_time >=`, sleep on
 * `interval.end_time` and `.civil_end_time`), compared with `>=` and `<`, clauses joined with `AND`
 * and, for sleep only, ranges joined with `OR`; anything else is `INVALID_ARGUMENT`. A type the
 * rules do not list (one newer than them) may use any of those fields.
 *
 * @since 0.1.0
 */
import type * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as Effect from "effect/Effect"
import * as DataGenerator from "../DataGenerator.js"
import { googleError, invalid } from "./Answers.js"
import { type Caller } from "./Caller.js"
import * as GoogleData from "./GoogleData.js"
import * as Rules from "./Rules.js"

type Reply = HttpServerResponse.HttpServerResponse
interface Clause {
  readonly field: string
  readonly op: ">=" | "<"
  readonly value: string
}
/** Google's answer to a filter field a type does not take. */
const badMember = (field: string, dataType: string): Reply =>
  googleError(400, "INVALID_ARGUMENT", `Invalid filter: ${field} is not a filterable member of data type ${dataType}.`, {
    reason: "INVALID_DATA_POINT_FILTER_DATA_TYPE_MEMBER"
  })
/**
 * Parses an AIP-160 filter on one data type into ranges joined with `OR` (sleep only), each of
 * `AND`-joined time-range clauses.
 *
 * @since 0.1.0
 */
export const parseFilter = (
  dataType: string,
  filter: string | undefined
): Effect.Effect<ReadonlyArray<ReadonlyArray<Clause>>, Reply> => {
  if (filter === undefined || filter.trim() === "") return Effect.succeed([])
  const snake = dataType.replace(/-/g, "_")
  const rule = Rules.ruleOf(dataType)
  const groups: Array<Array<Clause>> = []
  const ranges = filter.split(/\s+OR\s+/)
  if (ranges.length > 1 && rule !== undefined && !rule.filter.orRanges) {
    return Effect.fail(invalid(`Invalid filter: OR is not supported for data type ${dataType}.`))
  }
  for (const range of ranges) {
    const clauses: Array<Clause> = []
    for (const part of range.split(/\s+AND\s+/)) {
      const match = /^\s*\(*\s*([a-z0-9_.]+)\s*(>=|<)\s*"([^"]*)"\s*\)*\s*$/.exec(part)
      if (match === null) return Effect.fail(invalid(`Invalid filter: ${filter}`))
      const field = match[1]!
      if (!field.startsWith(`${snake}.`)) return Effect.fail(invalid(`Invalid filter field ${field} for data type ${dataType}.`))
      const member = field.slice(snake.length + 1)
      if (rule !== undefined && !rule.filter.members.includes(member)) return Effect.fail(badMember(field, dataType))
      if (rule !== undefined && !(rule.filter.comparisons as ReadonlyArray<string>).includes(match[2]!)) {
        return Effect.fail(invalid(`Invalid filter: ${match[2]} is not supported on ${field}.`))
      }
      clauses.push({ field: member, op: match[2] as Clause["op"], value: match[3]! })
    }
    groups.push(clauses)
  }
  return Effect.succeed(groups)
}
type Selector = { readonly kind: "civil"; readonly get: (p: GoogleData.Point) => string } | {
  readonly kind: "time"
  readonly get: (p: GoogleData.Point) => number
} | { readonly kind: "date"; readonly get: (p: GoogleData.Point) => string }
const SELECTORS: Record<string, Selector> = {
  "interval.civil_start_time": { kind: "civil", get: (p) => p.civilStart },
  "interval.start_time": { kind: "time", get: (p) => p.start },
  "interval.civil_end_time": { kind: "civil", get: (p) => p.civilEnd },
  "interval.end_time": { kind: "time", get: (p) => p.end },
  "sample_time.civil_time": { kind: "civil", get: (p) => p.civilStart },
  "sample_time.physical_time": { kind: "time", get: (p) => p.start },
  "date": { kind: "date", get: (p) => p.date }
}
interface Compiled {
  readonly test: (p: GoogleData.Point) => boolean
  readonly from?: string
  readonly to?: string
}
/** Compiles one range's clauses into a test on points and the civil date range it covers. */
const compileRange = (caller: Caller, clauses: ReadonlyArray<Clause>): Effect.Effect<Compiled, Reply> =>
  Effect.gen(function*() {
    const tests: Array<(p: GoogleData.Point) => boolean> = []
    let from: string | undefined
    let to: string | undefined
    const offset = caller.user.offsetFromUTCMillis
    for (const clause of clauses) {
      const selector = SELECTORS[clause.field]
      if (selector === undefined) return yield* Effect.fail(invalid(`Unsupported filter field ${clause.field}.`))
      let date: string
      if (selector.kind === "time") {
        const at = Date.parse(clause.value)
        if (!/^\d{4}-\d{2}-\d{2}T/.test(clause.value) || Number.isNaN(at)) {
          return yield* Effect.fail(invalid(`Invalid timestamp ${clause.value}; expected RFC 3339.`))
        }
        const get = selector.get
        tests.push(clause.op === ">=" ? (p) => get(p) >= at : (p) => get(p) < at)
        date = GoogleData.civil(at, offset).slice(0, 10)
      } else if (selector.kind === "civil") {
        const literal = GoogleData.normaliseCivil(clause.value)
        if (literal === undefined) {
          return yield* Effect.fail(invalid(`Invalid civil time ${clause.value}; expected YYYY-MM-DD[THH:mm:ss].`))
        }
        const get = selector.get
        tests.push(clause.op === ">=" ? (p) => get(p) >= literal : (p) => get(p) < literal)
        date = literal.slice(0, 10)
      } else {
        if (!DataGenerator.isDate(clause.value)) {
          return yield* Effect.fail(invalid(`Invalid date ${clause.value}; expected YYYY-MM-DD.`))
        }
        const get = selector.get
        const literal = clause.value
        tests.push(clause.op === ">=" ? (p) => get(p) >= literal : (p) => get(p) < literal)
        date = literal
      }
      if (clause.op === ">=") from = from === undefined || date > from ? date : from
      else to = to === undefined || date < to ? date : to
    }
    return { test: (p) => tests.every((t) => t(p)), ...(from === undefined ? {} : { from }), ...(to === undefined ? {} : { to }) }
  })

/**
 * Compiles ranges joined with `OR` into one test on points (a point in any range) and the civil
 * date range they cover together.
 *
 * @since 0.1.0
 */
export const compile = (caller: Caller, ranges: ReadonlyArray<ReadonlyArray<Clause>>): Effect.Effect<Compiled, Reply> =>
  Effect.gen(function*() {
    if (ranges.length === 0) return { test: () => true }
    const compiled: Array<Compiled> = []
    for (const clauses of ranges) compiled.push(yield* compileRange(caller, clauses))
    if (compiled.length === 1) return compiled[0]!
    const froms = compiled.map((c) => c.from)
    const tos = compiled.map((c) => c.to)
    const from = froms.includes(undefined) ? undefined : (froms as Array<string>).reduce((a, b) => (a < b ? a : b))
    const to = tos.includes(undefined) ? undefined : (tos as Array<string>).reduce((a, b) => (a > b ? a : b))
    return {
      test: (p) => compiled.some((c) => c.test(p)),
      ...(from === undefined ? {} : { from }),
      ...(to === undefined ? {} : { to })
    }
  })
