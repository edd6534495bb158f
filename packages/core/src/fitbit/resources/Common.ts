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
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import type * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import * as Stream from "effect/Stream"
import * as Errors from "../../Errors.js"
import * as FitbitHttp from "../FitbitHttp.js"
import * as HttpExchange from "../../HttpExchange.js"

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

export * from "./Params.js"

/**
 * `GET` a path and decode its body with a schema; answers the body.
 *
 * @since 0.1.0
 * @category endpoints
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
 * @category endpoints
 */
export const postForm = <A, I>(
  schema: Schema.Schema<A, I, never>,
  path: string,
  accessToken: AccessToken,
  body: FitbitHttp.Body | undefined,
  options: CallOptions & { readonly apiVersion?: string } = {}
): Effect.Effect<A, Failure, FitbitHttp.FitbitHttp> =>
  FitbitHttp.post(path, accessToken, body, callOptions(options)).pipe(
    Effect.flatMap(HttpExchange.decodeBody(schema, "POST")),
    Effect.map((response) => response.body)
  )

/**
 * `DELETE` a path; answers nothing (Fitbit answers 204).
 *
 * @since 0.1.0
 * @category endpoints
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

const invalid = (field: string, reason: string) => new Errors.InvalidInput({ field, reason })

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

/**
 * The query string of a `pagination.next` URL, when it may be followed: on the origin of the
 * request that answered it (`requestUrl`) and naming the same `resource` path. Otherwise the
 * reason it is not followed (a token is never sent to a host named in a body). Pure.
 *
 * @since 0.1.0
 * @category pagination
 */
export const nextPageQuery = (next: string, requestUrl: string, resource: string): Either.Either<string, string> => {
  let parsed: URL
  let current: URL
  try {
    parsed = new URL(next)
    current = new URL(requestUrl)
  } catch {
    return Either.left("pagination.next is not an absolute URL")
  }
  if (parsed.origin !== current.origin) {
    return Either.left(`pagination.next points to ${parsed.origin}, not to the API's origin: not followed`)
  }
  if (!parsed.pathname.endsWith(resource)) {
    return Either.left(`pagination.next names another resource than ${resource}: not followed`)
  }
  return Either.right(parsed.search)
}

/** The query of a `next` URL, or a `DecodeError` saying why it is not followed. */
const followable = (
  next: string,
  requestUrl: string,
  resource: string,
  status: number
): Effect.Effect<string, Errors.DecodeError> =>
  Either.match(nextPageQuery(next, requestUrl, resource), {
    onLeft: (reason) => Effect.fail(new Errors.DecodeError({ status, method: "GET", url: requestUrl, reason })),
    onRight: Effect.succeed
  })
