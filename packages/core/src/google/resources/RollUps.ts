/**
 * Rolling data points up: `:rollUp` over physical time windows and `:dailyRollUp` over civil
 * days in the user's time zone, answered as `RollupDataPoint` windows.
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import type * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import * as Stream from "effect/Stream"
import * as Errors from "../../Errors.js"
import * as GoogleDataTypeRules from "../GoogleDataTypeRules.js"
import * as GoogleDataTypes from "../GoogleDataTypes.js"
import * as GoogleHealthHttp from "../GoogleHealthHttp.js"
import * as GoogleResourceName from "../GoogleResourceName.js"
import * as GooglePagination from "../GooglePagination.js"
import * as CivilTime from "../../internal/civilTime.js"

type Token = string | Redacted.Redacted<string>
type Failure = Errors.RequestFailure
type Http = GoogleHealthHttp.GoogleHealthHttp

/**
 * Options of `reconcile`, `rollUp` and `dailyRollUp`: which data-source family to merge.
 *
 * @since 0.1.0
 * @category models
 */
export interface SourceOptions {
  /**
   * `users/me/dataSourceFamilies/all-sources` (default), `…/google-wearables`, `…/google-sources` or
   * `…/self-sources` (only what this app wrote).
   */
  readonly dataSourceFamily?: string | undefined
}

const RollUpResponse = Schema.Struct({
  rollupDataPoints: Schema.optionalWith(Schema.Array(GoogleDataTypes.RollupDataPoint), { default: () => [] }),
  nextPageToken: Schema.optional(Schema.String)
})

/**
 * A page of rolled-up windows.
 *
 * @since 0.1.0
 * @category models
 */
export type RollUpPage = Schema.Schema.Type<typeof RollUpResponse>

/**
 * Options of `rollUp`: a physical time range (RFC 3339, closed-open) and the window size.
 *
 * @since 0.1.0
 * @category models
 */
export interface RollUpOptions extends SourceOptions {
  readonly user?: string | undefined
  readonly range: { readonly startTime: string; readonly endTime: string }
  /** Window length in seconds (at least 1), sent as a protobuf duration (`"3600s"`). */
  readonly windowSeconds: number
  readonly pageSize?: number | undefined
  readonly pageToken?: string | undefined
}

const isTimestamp = (text: unknown): text is string => typeof text === "string" && !Number.isNaN(Date.parse(text))

/**
 * Rolls data points up over physical time windows (`POST …/dataPoints:rollUp`).
 *
 * @since 0.1.0
 * @category rollups
 */
export const rollUp = (
  accessToken: Token,
  dataType: GoogleDataTypes.DataTypeId,
  options: RollUpOptions
): Effect.Effect<RollUpPage, Failure, Http> =>
  Effect.gen(function*() {
    const parent = yield* GoogleResourceName.dataType(dataType, options.user)
    if (!isTimestamp(options?.range?.startTime) || !isTimestamp(options.range.endTime)) {
      return yield* new Errors.InvalidInput({ field: "range", reason: "startTime and endTime must be RFC 3339 timestamps" })
    }
    if (!(Number.isFinite(options.windowSeconds) && options.windowSeconds >= 1)) {
      return yield* new Errors.InvalidInput({ field: "windowSeconds", reason: "must be at least 1" })
    }
    const pageSize = yield* GooglePagination.validatePageSize(options.pageSize)
    return yield* GoogleHealthHttp.callDecoded({
      method: "POST",
      path: `/${parent}/dataPoints:rollUp`,
      accessToken,
      body: {
        range: options.range,
        windowSize: `${options.windowSeconds}s`,
        ...(pageSize === undefined ? {} : { pageSize }),
        ...(options.pageToken === undefined ? {} : { pageToken: options.pageToken }),
        ...(options.dataSourceFamily === undefined ? {} : { dataSourceFamily: options.dataSourceFamily })
      }
    }, RollUpResponse)
  })

/**
 * Every window of a `rollUp`, following `nextPageToken` one page at a time.
 *
 * @since 0.1.0
 * @category rollups
 */
export const rollUpStream = (
  accessToken: Token,
  dataType: GoogleDataTypes.DataTypeId,
  options: Omit<RollUpOptions, "pageToken">
): Stream.Stream<GoogleDataTypes.RollupDataPoint, Failure, Http> =>
  GooglePagination.streamField((pageToken) => rollUp(accessToken, dataType, { ...options, pageToken }), "rollupDataPoints", {
    url: `users/${options.user ?? "me"}/dataTypes/${dataType}/dataPoints:rollUp`
  })

/**
 * A civil date: `YYYY-MM-DD` or Google's `{ year, month, day }`.
 *
 * @since 0.1.0
 * @category models
 */
export type CivilDate = string | Schema.Schema.Type<typeof GoogleDataTypes.CalendarDate>

/**
 * Options of `dailyRollUp`: a civil date range (closed-open) and the window in days.
 *
 * @since 0.1.0
 * @category models
 */
export interface DailyRollUpOptions extends SourceOptions {
  readonly user?: string | undefined
  readonly range: { readonly start: CivilDate; readonly end: CivilDate }
  /** Default 1. */
  readonly windowSizeDays?: number | undefined
  readonly pageSize?: number | undefined
  readonly pageToken?: string | undefined
}

const civilDate = (field: string, date: CivilDate): Effect.Effect<Schema.Schema.Type<typeof GoogleDataTypes.CalendarDate>, Errors.InvalidInput> => {
  const parsed = typeof date === "string" ? GoogleDataTypes.parseDate(date) : GoogleDataTypes.parseDate(GoogleDataTypes.formatDate(date) ?? "")
  return parsed === undefined
    ? Effect.fail(new Errors.InvalidInput({ field, reason: "must be a date YYYY-MM-DD" }))
    : Effect.succeed(parsed)
}

/**
 * Rolls data points up over civil days (`POST …/dataPoints:dailyRollUp`), one window per
 * `windowSizeDays` days in the user's time zone.
 *
 * @since 0.1.0
 * @category rollups
 */
export const dailyRollUp = (
  accessToken: Token,
  dataType: GoogleDataTypes.DataTypeId,
  options: DailyRollUpOptions
): Effect.Effect<RollUpPage, Failure, Http> =>
  Effect.gen(function*() {
    const parent = yield* GoogleResourceName.dataType(dataType, options.user)
    const start = yield* civilDate("range.start", options?.range?.start)
    const end = yield* civilDate("range.end", options.range.end)
    const days = options.windowSizeDays ?? 1
    if (!(Number.isInteger(days) && days >= 1)) {
      return yield* new Errors.InvalidInput({ field: "windowSizeDays", reason: "must be a whole number of at least 1" })
    }
    const pageSize = yield* GooglePagination.validatePageSize(options.pageSize)
    return yield* GoogleHealthHttp.callDecoded({
      method: "POST",
      path: `/${parent}/dataPoints:dailyRollUp`,
      accessToken,
      body: {
        range: { start: { date: start }, end: { date: end } },
        windowSizeDays: days,
        ...(pageSize === undefined ? {} : { pageSize }),
        ...(options.pageToken === undefined ? {} : { pageToken: options.pageToken }),
        ...(options.dataSourceFamily === undefined ? {} : { dataSourceFamily: options.dataSourceFamily })
      }
    }, RollUpResponse)
  })

/**
 * Every window of a `dailyRollUp`, page after page (Google pages daily roll-ups since googleapis
 * 188: `nextPageToken`), through empty pages, stopping on a repeated token with a `DecodeError`.
 *
 * @since 0.1.0
 * @category endpoints
 */
export const dailyRollUpStream = (
  accessToken: Token,
  dataType: GoogleDataTypes.DataTypeId,
  options: Omit<DailyRollUpOptions, "pageToken">
): Stream.Stream<GoogleDataTypes.RollupDataPoint, Failure, Http> =>
  GooglePagination.streamField((pageToken) => dailyRollUp(accessToken, dataType, { ...options, pageToken }), "rollupDataPoints", {
    url: `users/${options.user ?? "me"}/dataTypes/${dataType}/dataPoints:dailyRollUp`
  })

/**
 * How many chunks of one range are read at once: enough for three years of a 90-day type or a
 * year of a 14-day type in one round trip, well within Google's 300 requests a minute per user.
 *
 * @since 0.1.0
 * @category constants
 */
export const CHUNK_CONCURRENCY = 32

/** How many days one `dailyRollUp` call may span (Google's rule for the type; 90 for a type the rules do not list). */
const rollUpSpanDays = (dataType: GoogleDataTypes.DataTypeId): number => GoogleDataTypeRules.ruleOf(dataType)?.rollUpDays ?? 90

/**
 * The one-day roll-up window of a type for every date from `start` to `end` (both included,
 * `YYYY-MM-DD`), by date: as many `dailyRollUp` calls as Google's span limit needs (90 days a
 * call, 14 for the fine-grained types: `DataTypeRules.RULES`), sent concurrently. Dates without data are absent.
 *
 * @since 0.1.0
 * @category rollups
 */
export const dailyRollUpByDate = (
  accessToken: Token,
  dataType: GoogleDataTypes.DataTypeId,
  range: { readonly start: string; readonly end: string },
  options: { readonly user?: string | undefined } = {}
): Effect.Effect<Map<string, GoogleDataTypes.RollupDataPoint>, Failure, Http> =>
  Effect.gen(function*() {
    const dates = CivilTime.datesBetween(range.start, range.end)
    const span = rollUpSpanDays(dataType)
    const parts: Array<ReadonlyArray<string>> = []
    for (let i = 0; i < dates.length; i += span) parts.push(dates.slice(i, i + span))
    // The chunks are independent: read at once (a year of a 14-day type is 27 calls, one round trip).
    const chunks = yield* Effect.forEach(parts, (part) =>
      Stream.runCollect(dailyRollUpStream(accessToken, dataType, {
        range: { start: part[0]!, end: CivilTime.addDays(part[part.length - 1]!, 1) },
        windowSizeDays: 1,
        user: options.user
      })), { concurrency: CHUNK_CONCURRENCY })
    const out = new Map<string, GoogleDataTypes.RollupDataPoint>()
    for (const windows of chunks) {
      for (const window of windows) {
        const date = CivilTime.formatDate(window.civilStartTime?.date)
        if (date !== undefined) out.set(date, window)
      }
    }
    return out
  })
