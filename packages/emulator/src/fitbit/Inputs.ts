/**
 * What the emulated Fitbit routes read from a request and how they answer in the caller's
 * units: date ranges (`{date}/{period}` or `{start}/{end}`), intraday time windows, Fitbit's
 * before/after-date pagination, form fields (numbers, `HH:mm` times), and the unit conversions
 * `Accept-Language: en_US` asks for (miles, pounds).
 *
 * @since 0.1.0
 */
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as Effect from "effect/Effect"
import * as DataGenerator from "../DataGenerator.js"
import { today } from "../EmulatorState.js"
import * as Http from "../Http.js"
import { type CallContext, validation } from "./DataRoute.js"

type Reply = HttpServerResponse.HttpServerResponse

/**
 * Days per Fitbit period (`1d` … `1y`).
 *
 * @since 0.1.0
 */
export const PERIODS: Record<string, number> = { "1d": 1, "7d": 7, "30d": 30, "1w": 7, "1m": 30, "3m": 91, "6m": 182, "1y": 365 }

/**
 * A date range from `{date}/{period}` or `{start}/{end}`, at most `maxDays` long.
 *
 * @since 0.1.0
 */
export const range = (
  context: CallContext,
  first: string | undefined,
  second: string | undefined,
  maxDays = 1095
): Effect.Effect<Array<string>, Reply> =>
  Effect.gen(function*() {
    const base = yield* context.date(first, "date")
    if (second !== undefined && second in PERIODS) {
      return DataGenerator.datesBetween(DataGenerator.addDays(base, -(PERIODS[second]! - 1)), base)
    }
    if (second === undefined || !(second === "today" || DataGenerator.isDate(second))) {
      return yield* Effect.fail(validation(`Invalid period or end date: ${second}`, "period"))
    }
    const end = yield* context.date(second, "end-date")
    if (end < base) return yield* Effect.fail(validation("The end date is before the start date.", "end-date"))
    const dates = DataGenerator.datesBetween(base, end)
    if (dates.length > maxDays) {
      return yield* Effect.fail(validation(`The date range is longer than ${maxDays} days.`, "end-date"))
    }
    return dates
  })

/**
 * Kilometres per mile.
 *
 * @since 0.1.0
 */
export const KM_PER_MILE = 1.609344
/**
 * Pounds per kilogram.
 *
 * @since 0.1.0
 */
export const LB_PER_KG = 2.20462262
/**
 * Rounds to two decimals.
 *
 * @since 0.1.0
 */
export const r2 = (n: number) => Math.round(n * 100) / 100
/**
 * A distance in the caller's units (miles for `en_US`).
 *
 * @since 0.1.0
 */
export const distance = (context: CallContext, km: number) => r2(context.imperial ? km / KM_PER_MILE : km)
/**
 * A mass in the caller's units (pounds for `en_US`).
 *
 * @since 0.1.0
 */
export const mass = (context: CallContext, kg: number) => r2(context.imperial ? kg * LB_PER_KG : kg)

/**
 * Keeps the points of an intraday dataset inside the `/time/{start}/{end}` window, when one is given.
 *
 * @since 0.1.0
 */
export const timeWindow = <A extends { readonly time: string }>(
  context: CallContext,
  dataset: ReadonlyArray<A>
): Effect.Effect<ReadonlyArray<A>, Reply> => {
  const { end, start } = context.params
  if (start === undefined || end === undefined) return Effect.succeed(dataset)
  const valid = (t: string) => /^([01]\d|2[0-3]):[0-5]\d$/.test(t)
  if (!valid(start)) return Effect.fail(validation(`Invalid start time: ${start}`, "start-time"))
  if (!valid(end)) return Effect.fail(validation(`Invalid end time: ${end}`, "end-time"))
  return Effect.succeed(dataset.filter((p) => p.time.slice(0, 5) >= start && p.time.slice(0, 5) <= end))
}

/**
 * Fitbit's before/after-date pagination over per-day items.
 *
 * @since 0.1.0
 */
export const paginated = <A>(
  context: CallContext,
  path: string,
  key: string,
  itemsOf: (date: string) => ReadonlyArray<A>,
  timeOf: (a: A) => string
): Effect.Effect<Reply, Reply> =>
  Effect.gen(function*() {
    const q = context.query
    const before = q.beforeDate
    const after = q.afterDate
    if ((before === undefined) === (after === undefined)) {
      return yield* Effect.fail(validation("Exactly one of beforeDate or afterDate is required.", before === undefined ? "afterDate" : "beforeDate"))
    }
    const sort = q.sort ?? (before !== undefined ? "desc" : "asc")
    if (before !== undefined && sort !== "desc") return yield* Effect.fail(validation("Sort must be desc with beforeDate.", "sort"))
    if (after !== undefined && sort !== "asc") return yield* Effect.fail(validation("Sort must be asc with afterDate.", "sort"))
    const limit = Number(q.limit ?? "20")
    if (!Number.isInteger(limit) || limit < 1 || limit > 100) {
      return yield* Effect.fail(validation("Limit must be between 1 and 100.", "limit"))
    }
    const offset = Number(q.offset ?? "0")
    if (!Number.isInteger(offset) || offset < 0) return yield* Effect.fail(validation("Invalid offset.", "offset"))
    const bound = (before ?? after)!.slice(0, 10)
    const pivot = yield* context.date(bound, before !== undefined ? "beforeDate" : "afterDate")
    const first = context.user.memberSince
    const last = today(context.state, context.user.userId)
    const items: Array<A> = []
    if (before !== undefined) {
      for (let d = DataGenerator.addDays(pivot, -1); d >= first && items.length < offset + limit + 1; d = DataGenerator.addDays(d, -1)) {
        items.push(...[...itemsOf(d)].sort((a, b) => timeOf(b).localeCompare(timeOf(a))))
      }
    } else {
      for (let d = DataGenerator.addDays(pivot, 1); d <= last && items.length < offset + limit + 1; d = DataGenerator.addDays(d, 1)) {
        items.push(...itemsOf(d))
      }
    }
    const page = items.slice(offset, offset + limit)
    const link = (o: number) => {
      const url = new URL(`${context.state.baseUrl}/${context.version}/user/-${path}`)
      url.searchParams.set(before !== undefined ? "beforeDate" : "afterDate", bound)
      url.searchParams.set("sort", sort)
      url.searchParams.set("limit", String(limit))
      url.searchParams.set("offset", String(o))
      return url.toString()
    }
    return Http.json({
      [key]: page,
      pagination: {
        ...(before !== undefined ? { beforeDate: bound } : { afterDate: bound }),
        limit,
        next: items.length > offset + limit ? link(offset + limit) : "",
        offset,
        previous: offset > 0 ? link(Math.max(0, offset - limit)) : "",
        sort
      }
    })
  })

/**
 * A number as Fitbit's series send it (a string).
 *
 * @since 0.1.0
 */
export const toJsonNumberString = (n: number) => String(n)

/**
 * An optional numeric form field.
 *
 * @since 0.1.0
 */
export const optionalNumberField = (
  fields: Record<string, string>,
  name: string,
  opts: { min?: number } = {}
): Effect.Effect<number | undefined, Reply> =>
  fields[name] === undefined || fields[name] === "" ? Effect.succeed(undefined) : numberField(fields, name, opts)

/**
 * A required numeric form field (at least `min`).
 *
 * @since 0.1.0
 */
export const numberField = (fields: Record<string, string>, name: string, opts: { min?: number } = {}): Effect.Effect<number, Reply> => {
  const raw = fields[name]
  if (raw === undefined || raw === "") return Effect.fail(validation(`Missing parameter: ${name}`, name))
  const n = Number(raw)
  return Number.isFinite(n) && n >= (opts.min ?? 0)
    ? Effect.succeed(n)
    : Effect.fail(validation(`Invalid ${name}: ${raw}`, name))
}

/**
 * A `HH:mm` form field, as minutes of the day.
 *
 * @since 0.1.0
 */
export const timeField = (fields: Record<string, string>, name: string) => {
  const raw = fields[name]
  const m = raw === undefined ? null : /^(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(raw)
  if (m === null || Number(m[1]) > 23 || Number(m[2]) > 59) {
    return Effect.fail(validation(`Invalid ${name}: expected HH:mm`, name))
  }
  return Effect.succeed(Number(m[1]) * 60 + Number(m[2]))
}
