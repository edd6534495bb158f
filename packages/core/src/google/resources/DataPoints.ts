/**
 * The `users/{user}/dataTypes/{dataType}/dataPoints` collection of the Google Health API:
 * `list` (also as a `Stream` that follows `nextPageToken`), `get`, `create`, `patch`,
 * `:batchDelete`, `:rollUp`, `:dailyRollUp` and `:reconcile` (also streamed), with data points
 * decoded by `DataTypes` (unknown types kept as JSON), and filter builders for time ranges.
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import * as ParseResult from "effect/ParseResult"
import type * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import type * as Stream from "effect/Stream"
import * as Errors from "../../Errors.js"
import * as DataTypes from "../DataTypes.js"
import * as GoogleHealthHttp from "../Http.js"
import * as Operation from "../Operation.js"
import * as Pagination from "../Pagination.js"
import * as ResourceName from "../ResourceName.js"

type Token = string | Redacted.Redacted<string>
type Failure = Errors.RequestFailure
type Http = GoogleHealthHttp.GoogleHealthHttp

/**
 * A page of data points.
 *
 * @since 0.1.0
 * @category models
 */
export interface DataPointsPage {
  readonly dataPoints: ReadonlyArray<DataTypes.DataPoint>
  /** Absent on the last page. */
  readonly nextPageToken?: string
}

/**
 * Options of `list` and `reconcile`.
 *
 * @since 0.1.0
 * @category models
 */
export interface ListOptions {
  /** Default `me`. */
  readonly user?: string | undefined
  /** An AIP-160 filter; see {@link filters}. */
  readonly filter?: string | undefined
  readonly pageSize?: number | undefined
  readonly pageToken?: string | undefined
}

/**
 * Options of `reconcile`, `rollUp` and `dailyRollUp`: which data-source family to merge.
 *
 * @since 0.1.0
 * @category models
 */
export interface SourceOptions {
  /** `users/me/dataSourceFamilies/all-sources` (default), `…/google-wearables` or `…/google-sources`. */
  readonly dataSourceFamily?: string | undefined
}

const Page = Schema.Struct({
  dataPoints: Schema.optionalWith(Schema.Array(Schema.Unknown), { default: () => [] }),
  nextPageToken: Schema.optional(Schema.String)
})

const decodePoints = (response: GoogleHealthHttp.GoogleHealthResponse, method: string) =>
  Effect.gen(function*() {
    const page = yield* GoogleHealthHttp.decodeBody(Page, method)(response)
    const dataPoints = yield* DataTypes.decodeDataPoints(page.body.dataPoints).pipe(
      Effect.mapError((error) =>
        new Errors.DecodeError({
          status: response.status,
          method,
          url: response.url,
          reason: ParseResult.TreeFormatter.formatErrorSync(error)
        })
      )
    )
    const next = page.body.nextPageToken
    return { dataPoints, ...(next === undefined || next === "" ? {} : { nextPageToken: next }) } as DataPointsPage
  })

const validatePageSize = (pageSize: number | undefined): Effect.Effect<number | undefined, Errors.InvalidInput> =>
  pageSize === undefined || (Number.isInteger(pageSize) && pageSize > 0)
    ? Effect.succeed(pageSize)
    : Effect.fail(new Errors.InvalidInput({ field: "pageSize", reason: "must be a positive whole number" }))

const listLike = (suffix: "" | ":reconcile") =>
(
  accessToken: Token,
  dataType: string,
  options: ListOptions & SourceOptions = {}
): Effect.Effect<DataPointsPage, Failure, Http> =>
  Effect.gen(function*() {
    const parent = yield* ResourceName.dataType(dataType, options.user)
    const pageSize = yield* validatePageSize(options.pageSize)
    const response = yield* GoogleHealthHttp.call({
      method: "GET",
      path: `/${parent}/dataPoints${suffix}`,
      accessToken,
      query: {
        filter: options.filter,
        pageSize,
        pageToken: options.pageToken,
        dataSourceFamily: suffix === "" ? undefined : options.dataSourceFamily
      }
    })
    return yield* decodePoints(response, "GET")
  })

/**
 * Lists one page of a user's data points of one type (`GET …/dataPoints`).
 *
 * @since 0.1.0
 * @category reading
 */
export const list: (
  accessToken: Token,
  dataType: string,
  options?: ListOptions
) => Effect.Effect<DataPointsPage, Failure, Http> = listLike("")

/**
 * Every data point of the matching pages, fetched page by page as the stream is consumed.
 *
 * @since 0.1.0
 * @category reading
 */
export const stream = (
  accessToken: Token,
  dataType: string,
  options: Omit<ListOptions, "pageToken"> = {}
): Stream.Stream<DataTypes.DataPoint, Failure, Http> =>
  Pagination.stream(
    (pageToken) =>
      Effect.map(list(accessToken, dataType, { ...options, pageToken }), (page) => ({
        items: page.dataPoints,
        nextPageToken: page.nextPageToken
      })),
    { url: `users/${options.user ?? "me"}/dataTypes/${dataType}/dataPoints` }
  )

/**
 * Reconciles data points from every source into one stream of points (`GET …/dataPoints:reconcile`).
 *
 * @since 0.1.0
 * @category reading
 */
export const reconcile: (
  accessToken: Token,
  dataType: string,
  options?: ListOptions & SourceOptions
) => Effect.Effect<DataPointsPage, Failure, Http> = listLike(":reconcile")

/**
 * Every reconciled data point, page by page.
 *
 * @since 0.1.0
 * @category reading
 */
export const reconcileStream = (
  accessToken: Token,
  dataType: string,
  options: Omit<ListOptions, "pageToken"> & SourceOptions = {}
): Stream.Stream<DataTypes.DataPoint, Failure, Http> =>
  Pagination.stream(
    (pageToken) =>
      Effect.map(reconcile(accessToken, dataType, { ...options, pageToken }), (page) => ({
        items: page.dataPoints,
        nextPageToken: page.nextPageToken
      })),
    { url: `users/${options.user ?? "me"}/dataTypes/${dataType}/dataPoints:reconcile` }
  )

/**
 * Reads one identifiable data point by name or by `{ dataType, id, user? }`.
 *
 * @since 0.1.0
 * @category reading
 */
export const get = (
  accessToken: Token,
  ref: Parameters<typeof ResourceName.dataPoint>[0]
): Effect.Effect<DataTypes.DataPoint, Failure, Http> =>
  Effect.gen(function*() {
    const name = yield* ResourceName.dataPoint(ref)
    const response = yield* GoogleHealthHttp.call({ method: "GET", path: `/${name}`, accessToken })
    return yield* DataTypes.decodeDataPoint(response.body).pipe(
      Effect.mapError((error) =>
        new Errors.DecodeError({
          status: response.status,
          method: "GET",
          url: response.url,
          reason: ParseResult.TreeFormatter.formatErrorSync(error)
        })
      )
    )
  })

const requireObject = (field: string, value: unknown): Effect.Effect<Record<string, unknown>, Errors.InvalidInput> =>
  typeof value === "object" && value !== null && !Array.isArray(value)
    ? Effect.succeed(value as Record<string, unknown>)
    : Effect.fail(new Errors.InvalidInput({ field, reason: "must be a JSON object" }))

/**
 * Creates one data point (`POST …/dataTypes/{dataType}/dataPoints`). `dataPoint` is the wire
 * JSON, e.g. from `DataTypes.encodeDataPoint`. Answers Google's long-running `Operation`.
 *
 * @since 0.1.0
 * @category writing
 */
export const create = (
  accessToken: Token,
  dataType: string,
  dataPoint: Readonly<Record<string, unknown>>,
  options: { readonly user?: string | undefined } = {}
): Effect.Effect<Operation.Operation, Failure, Http> =>
  Effect.gen(function*() {
    const parent = yield* ResourceName.dataType(dataType, options.user)
    const body = yield* requireObject("dataPoint", dataPoint)
    return yield* GoogleHealthHttp.callDecoded(
      { method: "POST", path: `/${parent}/dataPoints`, accessToken, body },
      Operation.Operation
    )
  })

/**
 * Replaces one identifiable data point (`PATCH users/{user}/dataTypes/{dataType}/dataPoints/{id}`).
 *
 * @since 0.1.0
 * @category writing
 */
export const patch = (
  accessToken: Token,
  ref: Parameters<typeof ResourceName.dataPoint>[0],
  dataPoint: Readonly<Record<string, unknown>>
): Effect.Effect<Operation.Operation, Failure, Http> =>
  Effect.gen(function*() {
    const name = yield* ResourceName.dataPoint(ref)
    const body = yield* requireObject("dataPoint", dataPoint)
    return yield* GoogleHealthHttp.callDecoded(
      { method: "PATCH", path: `/${name}`, accessToken, body: { ...body, name } },
      Operation.Operation
    )
  })

/**
 * Deletes identifiable data points by name (`POST …/dataTypes/{dataType}/dataPoints:batchDelete`);
 * `dataType` `-` (the default) spans every type. At most 10000 names.
 *
 * @since 0.1.0
 * @category writing
 */
export const batchDelete = (
  accessToken: Token,
  names: ReadonlyArray<string>,
  options: { readonly dataType?: string | undefined; readonly user?: string | undefined } = {}
): Effect.Effect<Operation.Operation, Failure, Http> =>
  Effect.gen(function*() {
    if (!Array.isArray(names) || names.length === 0 || names.length > 10000) {
      return yield* new Errors.InvalidInput({ field: "names", reason: "must hold 1 to 10000 data-point names" })
    }
    const checked = yield* Effect.forEach(names, ResourceName.validateDataPointName)
    const parent = yield* ResourceName.dataType(options.dataType ?? "-", options.user)
    return yield* GoogleHealthHttp.callDecoded(
      { method: "POST", path: `/${parent}/dataPoints:batchDelete`, accessToken, body: { names: checked } },
      Operation.Operation
    )
  })

const RollUpResponse = Schema.Struct({
  rollupDataPoints: Schema.optionalWith(Schema.Array(DataTypes.RollupDataPoint), { default: () => [] }),
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
  dataType: string,
  options: RollUpOptions
): Effect.Effect<RollUpPage, Failure, Http> =>
  Effect.gen(function*() {
    const parent = yield* ResourceName.dataType(dataType, options.user)
    if (!isTimestamp(options?.range?.startTime) || !isTimestamp(options.range.endTime)) {
      return yield* new Errors.InvalidInput({ field: "range", reason: "startTime and endTime must be RFC 3339 timestamps" })
    }
    if (!(Number.isFinite(options.windowSeconds) && options.windowSeconds >= 1)) {
      return yield* new Errors.InvalidInput({ field: "windowSeconds", reason: "must be at least 1" })
    }
    const pageSize = yield* validatePageSize(options.pageSize)
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
 * A civil date: `YYYY-MM-DD` or Google's `{ year, month, day }`.
 *
 * @since 0.1.0
 * @category models
 */
export type CivilDate = string | Schema.Schema.Type<typeof DataTypes.CalendarDate>

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

const civilDate = (field: string, date: CivilDate): Effect.Effect<Schema.Schema.Type<typeof DataTypes.CalendarDate>, Errors.InvalidInput> => {
  const parsed = typeof date === "string" ? DataTypes.parseDate(date) : DataTypes.parseDate(DataTypes.formatDate(date) ?? "")
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
  dataType: string,
  options: DailyRollUpOptions
): Effect.Effect<RollUpPage, Failure, Http> =>
  Effect.gen(function*() {
    const parent = yield* ResourceName.dataType(dataType, options.user)
    const start = yield* civilDate("range.start", options?.range?.start)
    const end = yield* civilDate("range.end", options.range.end)
    const days = options.windowSizeDays ?? 1
    if (!(Number.isInteger(days) && days >= 1)) {
      return yield* new Errors.InvalidInput({ field: "windowSizeDays", reason: "must be a whole number of at least 1" })
    }
    const pageSize = yield* validatePageSize(options.pageSize)
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

const snake = (dataType: string): string => dataType.replace(/-/g, "_")
const quote = (text: string): string => `"${text.replace(/["\\]/g, "")}"`

/**
 * Builders of the AIP-160 filters the `list` and `reconcile` calls accept (closed-open ranges).
 *
 * @since 0.1.0
 * @category filters
 */
export const filters = {
  /** Interval types (steps, distance, …) by civil start time: dates `YYYY-MM-DD[THH:mm:ss]`. */
  intervalCivil: (dataType: string, from: string, to: string): string =>
    `${snake(dataType)}.interval.civil_start_time >= ${quote(from)} AND ${snake(dataType)}.interval.civil_start_time < ${
      quote(to)
    }`,
  /** Interval types by physical start time: RFC 3339 timestamps. */
  intervalTime: (dataType: string, from: string, to: string): string =>
    `${snake(dataType)}.interval.start_time >= ${quote(from)} AND ${snake(dataType)}.interval.start_time < ${quote(to)}`,
  /** Sample types (heart-rate, weight, …) by civil time. */
  sampleCivil: (dataType: string, from: string, to: string): string =>
    `${snake(dataType)}.sample_time.civil_time >= ${quote(from)} AND ${snake(dataType)}.sample_time.civil_time < ${
      quote(to)
    }`,
  /** Sample types by physical time. */
  sampleTime: (dataType: string, from: string, to: string): string =>
    `${snake(dataType)}.sample_time.physical_time >= ${quote(from)} AND ${snake(dataType)}.sample_time.physical_time < ${
      quote(to)
    }`,
  /** Daily summary types (daily-resting-heart-rate, …) by date. */
  dailyDate: (dataType: string, from: string, to: string): string =>
    `${snake(dataType)}.date >= ${quote(from)} AND ${snake(dataType)}.date < ${quote(to)}`,
  /** Sleep by civil end time (sleep is filtered by when it ended). */
  sleepCivilEnd: (from: string, to: string): string =>
    `sleep.interval.civil_end_time >= ${quote(from)} AND sleep.interval.civil_end_time < ${quote(to)}`,
  /** Session types other than sleep (exercise) by civil start time. */
  sessionCivil: (dataType: string, from: string, to: string): string =>
    `${snake(dataType)}.interval.civil_start_time >= ${quote(from)} AND ${snake(dataType)}.interval.civil_start_time < ${
      quote(to)
    }`
} as const
