/**
 * The parameters of the typed Fitbit endpoints, checked before anything is sent: dates
 * (`yyyy-MM-dd` or `today`), date-times, times of day, periods, log ids, positive amounts; and
 * the path and query parts built from them (date ranges, intraday time windows, log-list cursors).
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import * as Errors from "../../Errors.js"
import * as FormBody from "../../internal/formBody.js"

const invalid = (field: string, reason: string) => new Errors.InvalidInput({ field, reason })

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/

const isCalendarDate = (value: string): boolean => {
  const match = DATE.exec(value)
  if (match === null) return false
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])]
  const date = new Date(Date.UTC(year, month - 1, day))
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day
}

/**
 * Checks a date parameter: a real calendar date as `yyyy-MM-dd`, or `today`.
 *
 * @since 0.1.0
 * @category validation
 */
export const validateDate = (field: string, value: unknown): Effect.Effect<string, Errors.InvalidInput> =>
  value === "today" || (typeof value === "string" && isCalendarDate(value))
    ? Effect.succeed(value)
    : Effect.fail(invalid(field, `must be a date as yyyy-MM-dd or "today"`))

const DATE_TIME = /^(\d{4}-\d{2}-\d{2})T([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?$/

/**
 * Checks a list cursor date: `yyyy-MM-dd` or `yyyy-MM-ddTHH:mm[:ss]`.
 *
 * @since 0.1.0
 * @category validation
 */
export const validateDateOrDateTime = (field: string, value: unknown): Effect.Effect<string, Errors.InvalidInput> => {
  if (typeof value === "string") {
    const match = DATE_TIME.exec(value)
    if (isCalendarDate(value) || (match !== null && isCalendarDate(match[1]!))) return Effect.succeed(value)
  }
  return Effect.fail(invalid(field, "must be a date as yyyy-MM-dd or a date-time as yyyy-MM-ddTHH:mm:ss"))
}

const TIME = /^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?$/

/**
 * Checks a time of day: `HH:mm` or `HH:mm:ss`.
 *
 * @since 0.1.0
 * @category validation
 */
export const validateTime = (field: string, value: unknown): Effect.Effect<string, Errors.InvalidInput> =>
  typeof value === "string" && TIME.test(value)
    ? Effect.succeed(value)
    : Effect.fail(invalid(field, "must be a time as HH:mm or HH:mm:ss"))

/**
 * Checks that a value is one of the allowed literals.
 *
 * @since 0.1.0
 * @category validation
 */
export const validateOneOf = <const L extends string>(
  field: string,
  allowed: ReadonlyArray<L>,
  value: unknown
): Effect.Effect<L, Errors.InvalidInput> =>
  typeof value === "string" && (allowed as ReadonlyArray<string>).includes(value)
    ? Effect.succeed(value as L)
    : Effect.fail(invalid(field, `must be one of ${allowed.join(", ")}`))

/**
 * Checks a log id: a positive whole number (or its decimal string).
 *
 * @since 0.1.0
 * @category validation
 */
export const validateLogId = (value: unknown): Effect.Effect<string, Errors.InvalidInput> =>
  (typeof value === "number" && Number.isSafeInteger(value) && value > 0) ||
    (typeof value === "string" && /^[1-9]\d{0,19}$/.test(value))
    ? Effect.succeed(String(value))
    : Effect.fail(invalid("logId", "must be a positive whole number"))

/**
 * Checks a positive number (an amount, a weight, a duration).
 *
 * @since 0.1.0
 * @category validation
 */
export const validatePositive = (field: string, value: unknown): Effect.Effect<number, Errors.InvalidInput> =>
  typeof value === "number" && Number.isFinite(value) && value > 0
    ? Effect.succeed(value)
    : Effect.fail(invalid(field, "must be a positive number"))

/**
 * The periods of daily time series.
 *
 * @since 0.1.0
 * @category constants
 */
export const PERIODS = ["1d", "7d", "30d", "1w", "1m", "3m", "6m", "1y"] as const

/**
 * A time-series period.
 *
 * @since 0.1.0
 * @category models
 */
export type Period = typeof PERIODS[number]

/**
 * A date range of a time series: a `date` (the end) and a `period` before it, or explicit
 * `startDate` and `endDate`.
 *
 * @since 0.1.0
 * @category models
 */
export type DateRange<P extends string = Period> =
  | { readonly date: string; readonly period: P }
  | { readonly startDate: string; readonly endDate: string }

/**
 * Builds the `/date/{date}/{period}` or `/date/{start}/{end}` part of a path, after checking
 * dates, the period (against `periods`) and that the start is not after the end.
 *
 * @since 0.1.0
 * @category validation
 */
export const rangePath = <P extends string>(
  range: DateRange<P>,
  periods: ReadonlyArray<P>
): Effect.Effect<string, Errors.InvalidInput> =>
  Effect.gen(function*() {
    if (typeof range !== "object" || range === null) {
      return yield* invalid("range", "must be {date, period} or {startDate, endDate}")
    }
    if ("period" in range) {
      const date = yield* validateDate("date", range.date)
      const period = yield* validateOneOf("period", periods, range.period)
      return `/date/${date}/${period}`
    }
    const start = yield* validateDate("startDate", range.startDate)
    const end = yield* validateDate("endDate", range.endDate)
    if (start !== "today" && end !== "today" && start > end) {
      return yield* invalid("startDate", "must not be after endDate")
    }
    return `/date/${start}/${end}`
  })

/**
 * Builds a query string (`?a=1&b=2`, RFC 3986 encoded), leaving out undefined values.
 *
 * @since 0.1.0
 * @category validation
 */
export const query = (params: Readonly<Record<string, string | number | undefined>>): string => {
  const parts = Object.entries(params)
    .filter((entry): entry is [string, string | number] => entry[1] !== undefined)
    .map(([key, value]) => `${FormBody.encodeComponent(key)}=${FormBody.encodeComponent(String(value))}`)
  return parts.length === 0 ? "" : `?${parts.join("&")}`
}

/**
 * The `/time/{start}/{end}` part of an intraday path, when both times are given.
 *
 * @since 0.1.0
 * @category validation
 */
export const timeWindow = (params: {
  readonly startTime?: string | undefined
  readonly endTime?: string | undefined
}): Effect.Effect<string, Errors.InvalidInput> =>
  Effect.gen(function*() {
    if (params.startTime === undefined && params.endTime === undefined) return ""
    if (params.startTime === undefined || params.endTime === undefined) {
      return yield* new Errors.InvalidInput({ field: "startTime", reason: "startTime and endTime go together" })
    }
    const start = yield* validateTime("startTime", params.startTime)
    const end = yield* validateTime("endTime", params.endTime)
    return `/time/${start}/${end}`
  })

/**
 * Parameters of a log list (activities and sleep): exactly one of `beforeDate` (sorted
 * `desc`) or `afterDate` (sorted `asc`); `limit` 1 to 100 (default 20); `offset` (default 0).
 *
 * @since 0.1.0
 * @category models
 */
export type ListParams =
  & ({ readonly beforeDate: string; readonly afterDate?: undefined } | {
    readonly afterDate: string
    readonly beforeDate?: undefined
  })
  & {
    readonly sort?: "asc" | "desc" | undefined
    readonly limit?: number | undefined
    readonly offset?: number | undefined
  }

/**
 * Checks list parameters and builds the first page's query string.
 *
 * @since 0.1.0
 * @category validation
 */
export const listQuery = (params: ListParams): Effect.Effect<string, Errors.InvalidInput> =>
  Effect.gen(function*() {
    const fail = (field: string, reason: string) => new Errors.InvalidInput({ field, reason })
    if (typeof params !== "object" || params === null) return yield* fail("params", "must be an object")
    const before = params.beforeDate
    const after = params.afterDate
    if ((before === undefined) === (after === undefined)) {
      return yield* fail("beforeDate", "give exactly one of beforeDate or afterDate")
    }
    const sort = params.sort ?? (before === undefined ? "asc" : "desc")
    if (sort !== (before === undefined ? "asc" : "desc")) {
      return yield* fail("sort", "Fitbit sorts beforeDate lists desc and afterDate lists asc")
    }
    const limit = params.limit ?? 20
    if (!(Number.isInteger(limit) && limit >= 1 && limit <= 100)) return yield* fail("limit", "must be 1 to 100")
    const offset = params.offset ?? 0
    if (!(Number.isInteger(offset) && offset >= 0)) return yield* fail("offset", "must be a whole number from 0")
    return query({
      ...(before === undefined
        ? { afterDate: yield* validateDateOrDateTime("afterDate", after) }
        : { beforeDate: yield* validateDateOrDateTime("beforeDate", before) }),
      sort,
      limit,
      offset
    })
  })
