/**
 * The AIP-160 time-range filters the emulated `dataPoints` list and reconcile accept:
 * `{type}.interval.civil_start_time`, `.interval.start_time`, `.interval.civil_end_time`,
 * `.interval.end_time`, `.sample_time.civil_time`, `.sample_time.physical_time` and `.date`,
 * compared with `>=` and `<` and joined with `AND`; anything else is `INVALID_ARGUMENT`.
 *
 * @since 0.1.0
 */
import type * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as Effect from "effect/Effect"
import * as DataGenerator from "../DataGenerator.js"
import { invalid } from "./Answers.js"
import { type Caller } from "./Caller.js"
import * as GoogleData from "./GoogleData.js"

type Reply = HttpServerResponse.HttpServerResponse
interface Clause {
  readonly field: string
  readonly op: ">=" | "<"
  readonly value: string
}
/**
 * Parses an AIP-160 filter of `AND`-joined time-range clauses on one data type.
 *
 * @since 0.1.0
 */
export const parseFilter = (dataType: string, filter: string | undefined): Effect.Effect<ReadonlyArray<Clause>, Reply> => {
  if (filter === undefined || filter.trim() === "") return Effect.succeed([])
  const snake = dataType.replace(/-/g, "_")
  const clauses: Array<Clause> = []
  for (const part of filter.split(/\s+AND\s+/)) {
    const match = /^\s*\(?\s*([a-z0-9_.]+)\s*(>=|<)\s*"([^"]*)"\s*\)?\s*$/.exec(part)
    if (match === null) return Effect.fail(invalid(`Invalid filter: ${filter}`))
    const field = match[1]!
    if (!field.startsWith(`${snake}.`)) return Effect.fail(invalid(`Invalid filter field ${field} for data type ${dataType}.`))
    clauses.push({ field: field.slice(snake.length + 1), op: match[2] as Clause["op"], value: match[3]! })
  }
  return Effect.succeed(clauses)
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
/**
 * Compiles clauses into a test on points and the civil date range they cover.
 *
 * @since 0.1.0
 */
export const compile = (caller: Caller, clauses: ReadonlyArray<Clause>): Effect.Effect<Compiled, Reply> =>
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
