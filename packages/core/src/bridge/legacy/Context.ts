/**
 * What every legacy-path handler gets, and the Google reads they share: the call (token, units,
 * query, form body), the user's civil "today" and UTC offset, legacy date ranges (`{date}/{period}`
 * or `{start}/{end}`), every data point of a type over civil dates, daily roll-ups by date, and
 * the conversions from Google's times and units to the legacy ones.
 *
 * @since 0.1.0
 */
import * as Chunk from "effect/Chunk"
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import type * as Redacted from "effect/Redacted"
import * as Stream from "effect/Stream"
import * as Errors from "../../Errors.js"
import * as GoogleDataTypeRules from "../../google/GoogleDataTypeRules.js"
import * as GoogleDataTypes from "../../google/GoogleDataTypes.js"
import type * as GoogleHealthHttp from "../../google/GoogleHealthHttp.js"
import * as GoogleDataPoints from "../../google/resources/GoogleDataPoints.js"
import * as GoogleUsers from "../../google/resources/GoogleUsers.js"
import * as CivilTime from "../../internal/civilTime.js"
import { addDays, dateAt, datesBetween } from "../../internal/civilTime.js"

/**
 * The Google calls a handler may make.
 *
 * @since 0.1.0
 * @category models
 */
export type Http = GoogleHealthHttp.GoogleHealthHttp

/**
 * A legacy call as the handlers see it.
 *
 * @since 0.1.0
 * @category models
 */
export interface LegacyCall {
  readonly method: "GET" | "POST" | "PUT" | "DELETE"
  readonly token: string | Redacted.Redacted<string>
  /** `Accept-Language: en_US`: miles, pounds, fluid ounces, as Fitbit answers. */
  readonly imperial: boolean
  readonly version: string
  readonly query: Readonly<Record<string, string>>
  readonly body: Readonly<Record<string, string>>
  /** The path's parameters, by name. */
  readonly params: Readonly<Record<string, string>>
  /** The user's UTC offset in milliseconds (from Google's settings, read once per call). */
  readonly offsetMillis: Effect.Effect<number, Errors.RequestFailure, Http>
  /** The user's settings, read once per call (and kept per grant by `LegacyOnGoogle`). */
  readonly settings: Effect.Effect<GoogleUsers.Settings, Errors.RequestFailure, Http>
  /** The user's identity, read once per call (and kept per grant by `LegacyOnGoogle`). */
  readonly identity: Effect.Effect<GoogleUsers.Identity, Errors.RequestFailure, Http>
}

/**
 * A legacy answer: status and JSON body (empty for 204).
 *
 * @since 0.1.0
 * @category models
 */
export interface LegacyAnswer {
  readonly status: number
  readonly body: unknown
}

const ANSWERED: unique symbol = Symbol.for("@fitbit-effect/core/LegacyAnswered")

/**
 * A handler's answer with its own status (writes: 201, 204), told apart from a plain JSON body.
 *
 * @since 0.1.0
 * @category responses
 */
export const answered = (status: number, body: unknown): LegacyAnswer => ({ [ANSWERED]: true, status, body }) as LegacyAnswer

/**
 * Whether a handler's result is an {@link answered} answer rather than a JSON body.
 *
 * @since 0.1.0
 * @category responses
 */
export const isAnswered = (result: unknown): result is LegacyAnswer =>
  typeof result === "object" && result !== null && ANSWERED in result

/**
 * A Fitbit-style error answer: `{ errors: [{ errorType, fieldName?, message }], success: false }`.
 *
 * @since 0.1.0
 * @category responses
 */
export const fitbitError = (status: number, errorType: string, message: string, fieldName?: string): LegacyAnswer => ({
  status,
  body: { errors: [{ errorType, ...(fieldName === undefined ? {} : { fieldName }), message }], success: false }
})

/**
 * A 400 `validation` answer, as a typed failure a handler can `yield*`.
 *
 * @since 0.1.0
 * @category responses
 */
export class LegacyRefusal {
  readonly _tag = "LegacyRefusal"
  constructor(readonly answer: LegacyAnswer) {}
}

/**
 * Refuses a call with a 400 `validation` error.
 *
 * @since 0.1.0
 * @category responses
 */
export const refuse = (message: string, fieldName?: string): Effect.Effect<never, LegacyRefusal> =>
  Effect.fail(new LegacyRefusal(fitbitError(400, "validation", message, fieldName)))

/**
 * What a handler fails with: a Google failure, or a legacy refusal.
 *
 * @since 0.1.0
 * @category models
 */
export type Failure = Errors.RequestFailure | LegacyRefusal

/**
 * The seconds of a protobuf duration or UTC offset (`"3600s"`); 0 when absent or unreadable.
 *
 * @since 0.1.0
 * @category dates
 */
export const durationSeconds = (text: string | undefined): number => (CivilTime.durationMillis(text) ?? 0) / 1000

/**
 * The UTC offset in milliseconds of Google's settings (`utcOffset: "3600s"`).
 *
 * @since 0.1.0
 * @category endpoints
 */
export const offsetOf = (settings: { readonly utcOffset?: string | undefined }): number => durationSeconds(settings.utcOffset) * 1000

const DATE = /^\d{4}-\d{2}-\d{2}$/

/**
 * Resolves a legacy date (`today` or `YYYY-MM-DD`) in the user's time zone.
 *
 * @since 0.1.0
 * @category dates
 */
export const resolveDate = (call: LegacyCall, value: string | undefined, field = "date"): Effect.Effect<string, Failure, Http> => {
  if (value === undefined || value === "today") {
    return Effect.flatMap(call.offsetMillis, (offset) => Effect.map(Clock.currentTimeMillis, (now) => dateAt(now, offset)))
  }
  return DATE.test(value) && !Number.isNaN(Date.parse(`${value}T00:00:00Z`)) ? Effect.succeed(value) : refuse(`Invalid date:${value}`, field)
}

/**
 * Fitbit's periods, in days.
 *
 * @since 0.1.0
 * @category dates
 */
export const PERIODS: Readonly<Record<string, number>> = { "1d": 1, "7d": 7, "30d": 30, "1w": 7, "1m": 30, "3m": 91, "6m": 182, "1y": 365 }

/**
 * The dates of a legacy range: `{date}/{period}` ending on the date, or `{start}/{end}`.
 *
 * @since 0.1.0
 * @category dates
 */
export const resolveRange = (
  call: LegacyCall,
  first: string | undefined,
  second: string | undefined,
  maxDays = 1095
): Effect.Effect<Array<string>, Failure, Http> =>
  Effect.gen(function*() {
    const base = yield* resolveDate(call, first)
    if (second !== undefined && second in PERIODS) return datesBetween(addDays(base, -(PERIODS[second]! - 1)), base)
    if (second === undefined || !(second === "today" || DATE.test(second))) {
      return yield* refuse(`Invalid period or end date: ${second}`, "period")
    }
    const end = yield* resolveDate(call, second, "end-date")
    if (end < base) return yield* refuse("The end date is before the start date.", "end-date")
    const dates = datesBetween(base, end)
    if (dates.length > maxDays) return yield* refuse(`The date range is longer than ${maxDays} days.`, "end-date")
    return dates
  })

/** How a data type is filtered by civil date. */
const filterFor = (dataType: string, kind: "interval" | "sample" | "daily" | "sleep", from: string, to: string): string => {
  const next = addDays(to, 1)
  switch (kind) {
    case "sleep":
      return GoogleDataPoints.filters.sleepCivilEnd(from, next)
    case "sample":
      return GoogleDataPoints.filters.sampleCivil(dataType, from, next)
    case "daily":
      return GoogleDataPoints.filters.dailyDate(dataType, from, next)
    default:
      return GoogleDataPoints.filters.intervalCivil(dataType, from, next)
  }
}

/**
 * Days per read of a session type (25 points a page at most): a range longer than this is read
 * in chunks at once rather than page after page.
 */
const SESSION_CHUNK_DAYS = 20

/**
 * Every point of a data type whose civil time falls on the dates `from`…`to`, decoded, oldest
 * first. Session types (sleep, exercise: 25 a page) are read in 20-day chunks concurrently, so a
 * year costs one round trip instead of a page after page.
 *
 * @since 0.1.0
 * @category reading
 */
export const pointsBetween = (
  call: LegacyCall,
  dataType: GoogleDataTypes.DataTypeId,
  kind: "interval" | "sample" | "daily" | "sleep",
  from: string,
  to: string
): Effect.Effect<ReadonlyArray<GoogleDataTypes.DataPoint>, Errors.RequestFailure, Http> => {
  const read = (start: string, end: string) =>
    Effect.map(
      Stream.runCollect(GoogleDataPoints.stream(call.token, dataType, { filter: filterFor(dataType, kind, start, end), pageSize: 10_000 })),
      (points) => Chunk.toReadonlyArray(points).slice().reverse()
    )
  const sessions = GoogleDataTypeRules.ruleOf(dataType)?.pageSize.max === 25
  const dates = sessions ? CivilTime.datesBetween(from, to) : []
  if (dates.length <= SESSION_CHUNK_DAYS) return read(from, to)
  const parts: Array<readonly [string, string]> = []
  for (let i = 0; i < dates.length; i += SESSION_CHUNK_DAYS) {
    const part = dates.slice(i, i + SESSION_CHUNK_DAYS)
    parts.push([part[0]!, part[part.length - 1]!])
  }
  return Effect.map(
    Effect.forEach(parts, ([start, end]) => read(start, end), { concurrency: GoogleDataPoints.CHUNK_CONCURRENCY }),
    (chunks) => chunks.flat()
  )
}

/**
 * The daily roll-up windows of a type over consecutive dates, by date (`GoogleDataPoints.dailyRollUpByDate`:
 * as many calls as Google's span limit needs).
 *
 * @since 0.1.0
 * @category reading
 */
export const dailyRollUps = (
  call: LegacyCall,
  dataType: GoogleDataTypes.DataTypeId,
  dates: ReadonlyArray<string>
): Effect.Effect<ReadonlyMap<string, GoogleDataTypes.RollupDataPoint>, Errors.RequestFailure, Http> =>
  dates.length === 0
    ? Effect.succeed(new Map())
    : GoogleDataPoints.dailyRollUpByDate(call.token, dataType, { start: dates[0]!, end: dates[dates.length - 1]! })

/**
 * The local `YYYY-MM-DDTHH:mm:ss.SSS` of an RFC 3339 instant at an offset (`"3600s"`).
 *
 * @since 0.1.0
 * @category dates
 */
export const localDateTime = (instant: string, utcOffset: string | undefined): string =>
  new Date(Date.parse(instant) + durationSeconds(utcOffset) * 1000).toISOString().slice(0, 23)

/**
 * An intraday dataset cut to the path's `{start}`/`{end}` (`HH:mm`, inclusive), or whole.
 *
 * @since 0.1.0
 * @category dates
 */
export const timeWindow = <A extends { readonly time: string }>(
  call: LegacyCall,
  dataset: ReadonlyArray<A>
): Effect.Effect<ReadonlyArray<A>, LegacyRefusal> => {
  const { end, start } = call.params
  const valid = (t: string | undefined) => t !== undefined && /^([01]\d|2[0-3]):[0-5]\d$/.test(t)
  if (start !== undefined && !valid(start)) return refuse(`Invalid start time: ${start}`, "start-time")
  if (end !== undefined && !valid(end)) return refuse(`Invalid end time: ${end}`, "end-time")
  return Effect.succeed(start === undefined || end === undefined ? dataset : dataset.filter((p) => p.time.slice(0, 5) >= start && p.time.slice(0, 5) <= end))
}

/**
 * Rounds to two decimals, as Fitbit answers.
 *
 * @since 0.1.0
 * @category units
 */
export const r2 = (n: number): number => Math.round(n * 100) / 100

/**
 * Kilometres in the caller's unit (miles for `en_US`).
 *
 * @since 0.1.0
 * @category units
 */
export const distance = (call: LegacyCall, km: number): number => r2(call.imperial ? km / 1.609344 : km)

/**
 * Kilograms in the caller's unit (pounds for `en_US`).
 *
 * @since 0.1.0
 * @category units
 */
export const mass = (call: LegacyCall, kg: number): number => r2(call.imperial ? kg * 2.20462262 : kg)

/**
 * A Fitbit number in a time series: its decimal text.
 *
 * @since 0.1.0
 * @category units
 */
export const numberText = (n: number): string => String(n)

/**
 * The decoded values of one type from decoded points (others skipped).
 *
 * @since 0.1.0
 * @category reading
 */
export const valuesOf = <K extends GoogleDataTypes.KnownDataType>(
  dataType: K,
  points: ReadonlyArray<GoogleDataTypes.DataPoint>
): Array<{ readonly name?: string; readonly value: GoogleDataTypes.ValueOf<K> }> =>
  GoogleDataTypes.pointsOf(dataType, points).map((p) => ({ ...(p.name === undefined ? {} : { name: p.name }), value: p.value as GoogleDataTypes.ValueOf<K> }))

/**
 * The id at the end of a resource name.
 *
 * @since 0.1.0
 * @category reading
 */
export const idOf = (name: string | undefined): string => (name ?? "").split("/").pop() ?? ""

/**
 * Fails the call when Google's answer was not what the translation expects.
 *
 * @since 0.1.0
 * @category responses
 */
export const unexpected = (reason: string) => new Errors.DecodeError({ status: 200, method: "GET", url: "google-health", reason })
