/**
 * Closed-open ranges of civil (calendar) dates in a user's time zone, `{ start, end }` as
 * `YYYY-MM-DD` with `end` excluded: the last `n` days, this week, a month, this month. A range
 * turns into the filter `GoogleDataPoints.list` takes for a data type (`filter`), into the
 * `range` of `GoogleDataPoints.dailyRollUp` as it is, and into the instants of the zone's
 * midnights for `rollUp` (`physical`). `forUser` reads the time zone from the user's settings:
 * "the last 7 days in the user's zone".
 *
 * The pure constructors answer an `Either` (yield it in `Effect.gen`, or `Either.getOrThrow`);
 * without `now` they read the wall clock. `forUser` reads Effect's `Clock`.
 *
 * @since 0.1.0
 */
import * as DateTime from "effect/DateTime"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import type * as Redacted from "effect/Redacted"
import * as Errors from "../Errors.js"
import * as CivilTime from "../internal/civilTime.js"
import * as GoogleDataTypeRules from "./GoogleDataTypeRules.js"
import type * as GoogleHealthHttp from "./GoogleHealthHttp.js"
import { filters } from "./resources/Filters.js"
import * as GoogleUsers from "./resources/GoogleUsers.js"

/**
 * Civil dates from `start` (included) to `end` (excluded), `YYYY-MM-DD`.
 *
 * @since 0.1.0
 * @category models
 */
export interface CivilDateRange {
  readonly start: string
  readonly end: string
}

/**
 * A day of the week: 0 Sunday, 1 Monday, … 6 Saturday.
 *
 * @since 0.1.0
 * @category models
 */
export type Weekday = 0 | 1 | 2 | 3 | 4 | 5 | 6

/**
 * The zone a range is taken in, and the instant it is taken at (default: the wall clock).
 *
 * @since 0.1.0
 * @category models
 */
export interface ZoneOptions {
  /** An IANA time zone (`Europe/Berlin`), as in the user's settings, or an offset (`+02:00`). */
  readonly timeZone: string
  /** The instant "today" is read at: a `DateTime`, a `Date` or epoch milliseconds. */
  readonly now?: DateTime.DateTime | Date | number | undefined
}

/**
 * Options of {@link thisWeek}.
 *
 * @since 0.1.0
 * @category models
 */
export interface WeekOptions extends ZoneOptions {
  /** The first day of a week (default 1, Monday, as ISO 8601). */
  readonly weekStartsOn?: Weekday | undefined
}

type Result = Either.Either<CivilDateRange, Errors.InvalidInput>

const invalid = (field: string, reason: string) => Either.left(new Errors.InvalidInput({ field, reason }))

const DATE = /^\d{4}-\d{2}-\d{2}$/

/** Days between the years 0001 and 9999: more than any range can span. */
const MAX_DAYS = 3_652_059

/** A `YYYY-MM-DD` date that exists (not `2026-02-31`, not month 13). */
const isDate = (text: unknown): text is string => {
  if (typeof text !== "string" || !DATE.test(text)) return false
  const [year, month, day] = text.split("-").map(Number) as [number, number, number]
  const date = new Date(Date.UTC(2000, month - 1, day))
  return year >= 1 && month >= 1 && month <= 12 && date.getUTCMonth() === month - 1 && date.getUTCDate() === day &&
    (month !== 2 || day !== 29 || (year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)))
}

/** Today's date and weekday in the zone. */
const todayIn = (options: ZoneOptions): Either.Either<{ readonly date: string; readonly weekDay: number }, Errors.InvalidInput> => {
  if (typeof options?.timeZone !== "string") return invalid("timeZone", "must be an IANA time zone such as Europe/Berlin")
  const zone = DateTime.zoneFromString(options.timeZone)
  if (Option.isNone(zone)) {
    return invalid("timeZone", `${JSON.stringify(options.timeZone.slice(0, 64))} is not a time zone; use an IANA name such as Europe/Berlin or an offset such as +02:00`)
  }
  const now = options.now === undefined ? Date.now() : options.now
  const zoned = DateTime.makeZoned(now, { timeZone: zone.value })
  if (Option.isNone(zoned)) return invalid("now", "must be a valid instant (a DateTime, a Date or epoch milliseconds)")
  const parts = DateTime.toParts(zoned.value)
  return Either.right({ date: DateTime.formatIsoDate(DateTime.unsafeMake({ year: parts.year, month: parts.month, day: parts.day })), weekDay: parts.weekDay })
}

const range = (start: string, end: string, field: string): Result =>
  DATE.test(start) && DATE.test(end) ? Either.right({ start, end }) : invalid(field, "reaches outside the years 0001 to 9999")

/**
 * The last `n` days up to and including today in the zone: `lastDays(7, …)` on a Wednesday is
 * last Thursday to tomorrow (excluded). `n` is a whole number of at least 1.
 *
 * @since 0.1.0
 * @category constructors
 */
export const lastDays = (n: number, options: ZoneOptions): Result => {
  if (!Number.isSafeInteger(n) || n < 1 || n > MAX_DAYS) return invalid("n", `must be a whole number of days, from 1 to ${MAX_DAYS}`)
  return Either.flatMap(todayIn(options), ({ date }) => range(CivilTime.addDays(date, 1 - n), CivilTime.addDays(date, 1), "n"))
}

/**
 * The week holding today in the zone: from the last `weekStartsOn` (today included) for 7 days.
 *
 * @since 0.1.0
 * @category constructors
 */
export const thisWeek = (options: WeekOptions): Result => {
  const first = options?.weekStartsOn ?? 1
  if (!Number.isInteger(first) || first < 0 || first > 6) {
    return invalid("weekStartsOn", "must be a day of the week from 0 (Sunday) to 6 (Saturday)")
  }
  return Either.flatMap(todayIn(options), ({ date, weekDay }) => {
    const start = CivilTime.addDays(date, -((weekDay - first + 7) % 7))
    return range(start, CivilTime.addDays(start, 7), "now")
  })
}

/**
 * A calendar month: `month(2026, 2)` is `2026-02-01` to `2026-03-01` (excluded). `month` is 1 to
 * 12, `year` 1 to 9999.
 *
 * @since 0.1.0
 * @category constructors
 */
export const month = (year: number, month: number): Result => {
  if (!Number.isInteger(year) || year < 1 || year > 9999) return invalid("year", "must be a whole year from 1 to 9999")
  if (!Number.isInteger(month) || month < 1 || month > 12) return invalid("month", "must be a month from 1 (January) to 12 (December)")
  const pad = (y: number, m: number) => `${String(y).padStart(4, "0")}-${String(m).padStart(2, "0")}-01`
  return range(pad(year, month), month === 12 ? pad(year + 1, 1) : pad(year, month + 1), "year")
}

/**
 * The month holding today in the zone.
 *
 * @since 0.1.0
 * @category constructors
 */
export const thisMonth = (options: ZoneOptions): Result =>
  Either.flatMap(todayIn(options), ({ date }) => month(Number(date.slice(0, 4)), Number(date.slice(5, 7))))

/**
 * The `GoogleDataPoints.list` / `reconcile` filter selecting a data type's points in the range,
 * on the field Google's rules give the type (`filters.range`: sleep by its civil end, daily types
 * by date, samples by civil time, intervals and sessions by civil start). `InvalidInput` for a
 * type Google filters on no time field (`food`) or that the rules do not list.
 *
 * @since 0.1.0
 * @category dates
 */
export const filter = (dataType: string, self: CivilDateRange): Either.Either<string, Errors.InvalidInput> => {
  if (!isDate(self?.start) || !isDate(self?.end)) return invalid("range", "start and end must be existing YYYY-MM-DD dates")
  const text = filters.range(dataType, self.start, self.end)
  if (text !== undefined) return Either.right(text)
  return invalid(
    "dataType",
    GoogleDataTypeRules.ruleOf(dataType) === undefined
      ? `${dataType} is not a data type Google's rules list here; write its filter with GoogleDataPoints.filters`
      : `${dataType} cannot be filtered by time (Google's rule for ${dataType}: no filter field)`
  )
}

/**
 * The range as physical instants: the zone's midnight starting `start` and the one starting
 * `end` (RFC 3339, UTC), for `GoogleDataPoints.rollUp`'s `range` and the `*Time` filters. A day
 * a daylight-saving change shortens or lengthens keeps its true length (23 or 25 hours); a
 * midnight the change skips becomes the first instant of that day.
 *
 * @since 0.1.0
 * @category dates
 */
export const physical = (
  self: CivilDateRange,
  timeZone: string
): Either.Either<{ readonly startTime: string; readonly endTime: string }, Errors.InvalidInput> => {
  if (!isDate(self?.start) || !isDate(self?.end)) return invalid("range", "start and end must be existing YYYY-MM-DD dates")
  const zone = typeof timeZone === "string" ? DateTime.zoneFromString(timeZone) : Option.none()
  if (Option.isNone(zone)) return invalid("timeZone", "must be an IANA time zone such as Europe/Berlin or an offset such as +02:00")
  const midnight = (date: string) => {
    const [year, month, day] = date.split("-").map(Number) as [number, number, number]
    const zoned = DateTime.unsafeMakeZoned({ year, month, day }, { timeZone: zone.value, adjustForTimeZone: true })
    return DateTime.formatIso(zoned).replace(/\.000Z$/, "Z")
  }
  return Either.right({ startTime: midnight(self.start), endTime: midnight(self.end) })
}

/**
 * A range relative to today: the last `n` days, this week, this month.
 *
 * @since 0.1.0
 * @category models
 */
export type Relative =
  | { readonly lastDays: number }
  | { readonly thisWeek: { readonly weekStartsOn?: Weekday | undefined } }
  | "thisWeek"
  | "thisMonth"

/**
 * A range relative to today in the user's own time zone, read from their settings
 * (`GoogleUsers.getSettings`, `timeZone`), at the instant of Effect's `Clock`:
 * `yield* CivilDateRange.forUser(token, { lastDays: 7 })`. Fails with `InvalidInput` on `timeZone`
 * when the settings name no zone (pass one to the pure constructors then).
 *
 * @since 0.1.0
 * @category constructors
 */
export const forUser = (
  accessToken: string | Redacted.Redacted<string>,
  relative: Relative,
  options: { readonly user?: string | undefined } = {}
): Effect.Effect<CivilDateRange, Errors.RequestFailure, GoogleHealthHttp.GoogleHealthHttp> =>
  Effect.gen(function*() {
    const settings = yield* GoogleUsers.getSettings(accessToken, { user: options.user })
    const timeZone = settings.timeZone
    if (timeZone === undefined || timeZone === "") {
      return yield* new Errors.InvalidInput({
        field: "timeZone",
        reason: "the user's settings name no time zone; pass timeZone to CivilDateRange.lastDays / thisWeek / thisMonth yourself"
      })
    }
    const now = yield* DateTime.now
    const zone = { timeZone, now }
    if (relative === "thisWeek") return yield* thisWeek(zone)
    if (relative === "thisMonth") return yield* thisMonth(zone)
    if (typeof relative === "object" && relative !== null && "lastDays" in relative) return yield* lastDays(relative.lastDays, zone)
    if (typeof relative === "object" && relative !== null && "thisWeek" in relative) {
      return yield* thisWeek({ ...zone, weekStartsOn: relative.thisWeek.weekStartsOn })
    }
    return yield* new Errors.InvalidInput({ field: "relative", reason: `must be { lastDays: n }, "thisWeek", { thisWeek: { weekStartsOn } } or "thisMonth"` })
  })
