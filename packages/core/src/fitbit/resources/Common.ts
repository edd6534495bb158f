/**
 * What the typed Fitbit endpoints share: call options, date, time and period checks,
 * tolerant schema building blocks, and the `Stream` that follows `pagination.next`.
 *
 * Schemas are tolerant: fields Fitbit may leave out are optional, and unknown extra fields are
 * kept (every object schema has a `[key: string]: unknown` index signature), so a new field
 * on Fitbit's side never breaks decoding. Time-series values, which Fitbit sends as strings
 * (`"value": "1234"`), are decoded to numbers (a numeric value is accepted too).
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import type * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import * as Stream from "effect/Stream"
import * as Errors from "../../Errors.js"
import * as FitbitHttp from "../Http.js"
import * as FormBody from "../../FormBody.js"

/**
 * An access token, plain or `Redacted`.
 *
 * @since 0.1.0
 * @category models
 */
export type AccessToken = string | Redacted.Redacted<string>

/**
 * Options every typed endpoint takes.
 *
 * @since 0.1.0
 * @category models
 */
export interface CallOptions {
  /** `-` (default: the token's own user) or a Fitbit user id such as `228TQ4`. */
  readonly userId?: string | undefined
  /** Extra headers merged over the defaults, e.g. `Accept-Language: en_US` for imperial units. */
  readonly headers?: Readonly<Record<string, string | undefined>> | undefined
}

/**
 * What a typed endpoint fails with.
 *
 * @since 0.1.0
 * @category models
 */
export type Failure = Errors.RequestFailure

/**
 * An object schema with the given fields that also keeps unknown fields
 * (`readonly [key: string]: unknown`).
 *
 * @since 0.1.0
 * @category schemas
 */
export const open = <Fields extends Schema.Struct.Fields>(fields: Fields) =>
  Schema.Struct(fields, Schema.Record({ key: Schema.String, value: Schema.Unknown }))

/**
 * A number Fitbit may send as a string (`"1234"`, `"72.5"`): decoded to a number.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Numeric: Schema.Schema<number, number | string> = Schema.Union(Schema.Number, Schema.NumberFromString)

/**
 * One point of a daily time series: `{dateTime: "2026-11-25", value: "1234"}`, value decoded to a number.
 *
 * @since 0.1.0
 * @category schemas
 */
export const TimeSeriesPoint = open({
  dateTime: Schema.String,
  value: Numeric
})

/**
 * One point of an intraday dataset: `{time: "08:01:00", value: 12}`.
 *
 * @since 0.1.0
 * @category schemas
 */
export const IntradayPoint = open({
  time: Schema.String,
  value: Numeric
})

/**
 * An intraday block: `{dataset, datasetInterval, datasetType}`.
 *
 * @since 0.1.0
 * @category schemas
 */
export const IntradayDataset = open({
  dataset: Schema.Array(IntradayPoint),
  datasetInterval: Schema.optional(Schema.Number),
  datasetType: Schema.optional(Schema.String)
})

/**
 * The `pagination` object of the list endpoints; `next`/`previous` are full URLs or `""`.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Pagination = open({
  next: Schema.optional(Schema.String),
  previous: Schema.optional(Schema.String),
  limit: Schema.optional(Schema.Number),
  offset: Schema.optional(Schema.Number),
  sort: Schema.optional(Schema.String),
  beforeDate: Schema.optional(Schema.String),
  afterDate: Schema.optional(Schema.String)
})

/**
 * The decoded `pagination` object.
 *
 * @since 0.1.0
 * @category models
 */
export type Pagination = typeof Pagination.Type

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
 * @category paths
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
 * @category paths
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
 * @category paths
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
 * @category paths
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

/**
 * `GET` a path and decode its body with a schema; answers the body.
 *
 * @since 0.1.0
 * @category calls
 */
export const getJson = <A, I>(
  schema: Schema.Schema<A, I, never>,
  path: string,
  accessToken: AccessToken,
  options: CallOptions & { readonly apiVersion?: string } = {}
): Effect.Effect<A, Failure, FitbitHttp.FitbitHttp> =>
  Effect.map(
    FitbitHttp.get(path, accessToken, { ...callOptions(options), schema }),
    (response) => response.body
  )

/**
 * `POST` a form body and decode the answer with a schema; answers the body.
 *
 * @since 0.1.0
 * @category calls
 */
export const postForm = <A, I>(
  schema: Schema.Schema<A, I, never>,
  path: string,
  accessToken: AccessToken,
  body: FitbitHttp.Body | undefined,
  options: CallOptions & { readonly apiVersion?: string } = {}
): Effect.Effect<A, Failure, FitbitHttp.FitbitHttp> =>
  FitbitHttp.post(path, accessToken, body, callOptions(options)).pipe(
    Effect.flatMap(FitbitHttp.decodeBody(schema, "POST")),
    Effect.map((response) => response.body)
  )

/**
 * `DELETE` a path; answers nothing (Fitbit answers 204).
 *
 * @since 0.1.0
 * @category calls
 */
export const remove = (
  path: string,
  accessToken: AccessToken,
  options: CallOptions & { readonly apiVersion?: string } = {}
): Effect.Effect<void, Failure, FitbitHttp.FitbitHttp> =>
  Effect.asVoid(FitbitHttp.del(path, accessToken, callOptions(options)))

const callOptions = (options: CallOptions & { readonly apiVersion?: string | undefined }): FitbitHttp.RequestOptions => ({
  userId: options.userId,
  headers: options.headers,
  apiVersion: options.apiVersion
})

/**
 * Options of the paginated streams.
 *
 * @since 0.1.0
 * @category models
 */
export interface StreamOptions extends CallOptions {
  /** Stop after this many pages (default 100): a guard against a server that never ends the list. */
  readonly maxPages?: number | undefined
}

/**
 * Follows `pagination.next` page after page, as a `Stream` of pages. The first page is
 * `path + firstQuery`; each `next` URL must be on the origin of the API this client talks to
 * and name the same resource, and only its query string is used: the request is always
 * built from the configured API base URL, so a token never goes to a host named in a body.
 * A `next` elsewhere fails the stream with a `DecodeError`. The stream ends at an empty
 * `next`, or after `maxPages` pages.
 *
 * @since 0.1.0
 * @category pagination
 */
export const paginate = <A extends { readonly pagination: Pagination }, I>(
  schema: Schema.Schema<A, I, never>,
  path: string,
  firstQuery: string,
  accessToken: AccessToken,
  options: StreamOptions & { readonly apiVersion?: string } = {}
): Stream.Stream<A, Failure, FitbitHttp.FitbitHttp> => {
  const maxPages = options.maxPages ?? 100
  if (!(Number.isInteger(maxPages) && maxPages > 0)) {
    return Stream.fail(invalid("maxPages", "must be a positive whole number"))
  }
  const resource = path.split("?")[0]!
  const fetchPage = (pageQuery: string, pageNumber: number) =>
    Effect.gen(function*() {
      const response = yield* FitbitHttp.get(path + pageQuery, accessToken, { ...callOptions(options), schema })
      const next = response.body.pagination.next
      if (next === undefined || next === "" || pageNumber >= maxPages) {
        return [response.body, Option.none()] as const
      }
      const nextQuery = yield* followable(next, response.url, resource, response.status)
      return [response.body, Option.some([nextQuery, pageNumber + 1] as const)] as const
    })
  const first: readonly [string, number] = [firstQuery, 1]
  return Stream.paginateEffect(first, ([pageQuery, pageNumber]) => fetchPage(pageQuery, pageNumber))
}

/** The query of a `next` URL, when it is on the API's origin and names the same resource. */
const followable = (
  next: string,
  requestUrl: string,
  resource: string,
  status: number
): Effect.Effect<string, Errors.DecodeError> => {
  const refuse = (reason: string) =>
    Effect.fail(new Errors.DecodeError({ status, method: "GET", url: requestUrl, reason }))
  let parsed: URL
  let current: URL
  try {
    parsed = new URL(next)
    current = new URL(requestUrl)
  } catch {
    return refuse("pagination.next is not an absolute URL")
  }
  if (parsed.origin !== current.origin) {
    return refuse(`pagination.next points to ${parsed.origin}, not to the API's origin: not followed`)
  }
  if (!parsed.pathname.endsWith(resource)) {
    return refuse(`pagination.next names another resource than ${resource}: not followed`)
  }
  return Effect.succeed(parsed.search)
}
