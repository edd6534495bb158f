/**
 * The `users/{user}/dataTypes/{dataType}/dataPoints` collection of the Google Health API:
 * `list` (also as a `Stream` that follows `nextPageToken`), `get`, `create`, `patch`,
 * `:batchDelete` and `:reconcile` (also streamed), with data points decoded by `DataTypes`
 * (unknown types kept as JSON); `:rollUp` and `:dailyRollUp` (`RollUps`) and the filter
 * builders for time ranges (`Filters`) are re-exported here.
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import type * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import type * as Stream from "effect/Stream"
import * as Errors from "../../Errors.js"
import * as GoogleDataTypes from "../GoogleDataTypes.js"
import * as GoogleHealthHttp from "../GoogleHealthHttp.js"
import * as GoogleOperation from "../GoogleOperation.js"
import * as GooglePagination from "../GooglePagination.js"
import * as GoogleResourceName from "../GoogleResourceName.js"
import type { SourceOptions } from "./RollUps.js"
import * as ParseReason from "../../internal/parseReason.js"
import * as HttpExchange from "../../HttpExchange.js"

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
  readonly dataPoints: ReadonlyArray<GoogleDataTypes.DataPoint>
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
  /** Keep each known point's JSON beside its decoded value (`raw`); off by default (one copy per point). */
  readonly keepRaw?: boolean | undefined
}

const Page = Schema.Struct({
  dataPoints: Schema.optionalWith(Schema.Array(Schema.Unknown), { default: () => [] }),
  nextPageToken: Schema.optional(Schema.String)
})

const decodePoints = (response: HttpExchange.ApiResponse, method: string, options: GoogleDataTypes.DecodeOptions) =>
  Effect.flatMap(HttpExchange.decodeBody(Page, method)(response), (page) => {
    // One synchronous loop over the page: no fiber per point.
    const dataPoints = GoogleDataTypes.decodeDataPointsEither(page.body.dataPoints, options)
    if (Either.isLeft(dataPoints)) return Effect.fail(ParseReason.decodeError(response, method, dataPoints.left))
    const next = page.body.nextPageToken
    return Effect.succeed(
      (next === undefined || next === "" ? { dataPoints: dataPoints.right } : { dataPoints: dataPoints.right, nextPageToken: next }) as DataPointsPage
    )
  })

const listLike = (suffix: "" | ":reconcile") =>
(
  accessToken: Token,
  dataType: GoogleDataTypes.DataTypeId,
  options: ListOptions & SourceOptions = {}
): Effect.Effect<DataPointsPage, Failure, Http> =>
  Effect.gen(function*() {
    const parent = yield* GoogleResourceName.dataType(dataType, options.user)
    const pageSize = yield* GooglePagination.validatePageSize(options.pageSize)
    const response = yield* GoogleHealthHttp.call({
      method: "GET",
      path: `/${parent}/dataPoints${suffix}`,
      accessToken,
      query: {
        filter: options.filter,
        pageSize,
        pageToken: options.pageToken,
        dataSourceFamily: options.dataSourceFamily
      }
    })
    return yield* decodePoints(response, "GET", options)
  })

/**
 * Lists one page of a user's data points of one type (`GET …/dataPoints`).
 *
 * @since 0.1.0
 * @category reading
 */
export const list: (
  accessToken: Token,
  dataType: GoogleDataTypes.DataTypeId,
  options?: ListOptions & SourceOptions
) => Effect.Effect<DataPointsPage, Failure, Http> = listLike("")

/** Every point of `list` or `:reconcile`, page after page. */
const streamLike = (suffix: "" | ":reconcile") => {
  const page = listLike(suffix)
  return (
    accessToken: Token,
    dataType: GoogleDataTypes.DataTypeId,
    options: Omit<ListOptions, "pageToken"> & SourceOptions = {}
  ): Stream.Stream<GoogleDataTypes.DataPoint, Failure, Http> =>
    GooglePagination.streamField((pageToken) => page(accessToken, dataType, { ...options, pageToken }), "dataPoints", {
      url: `users/${options.user ?? "me"}/dataTypes/${dataType}/dataPoints${suffix}`
    })
}

/**
 * Every data point of the matching pages, fetched page by page as the stream is consumed.
 *
 * @since 0.1.0
 * @category reading
 */
export const stream: (
  accessToken: Token,
  dataType: GoogleDataTypes.DataTypeId,
  options?: Omit<ListOptions, "pageToken"> & SourceOptions
) => Stream.Stream<GoogleDataTypes.DataPoint, Failure, Http> = streamLike("")

/**
 * Reconciles data points from every source into one stream of points (`GET …/dataPoints:reconcile`).
 *
 * @since 0.1.0
 * @category reading
 */
export const reconcile: (
  accessToken: Token,
  dataType: GoogleDataTypes.DataTypeId,
  options?: ListOptions & SourceOptions
) => Effect.Effect<DataPointsPage, Failure, Http> = listLike(":reconcile")

/**
 * Every reconciled data point, page by page.
 *
 * @since 0.1.0
 * @category reading
 */
export const reconcileStream: (
  accessToken: Token,
  dataType: GoogleDataTypes.DataTypeId,
  options?: Omit<ListOptions, "pageToken"> & SourceOptions
) => Stream.Stream<GoogleDataTypes.DataPoint, Failure, Http> = streamLike(":reconcile")

/**
 * Reads one identifiable data point by name or by `{ dataType, id, user? }`.
 *
 * @since 0.1.0
 * @category reading
 */
export const get = (
  accessToken: Token,
  ref: Parameters<typeof GoogleResourceName.dataPoint>[0]
): Effect.Effect<GoogleDataTypes.DataPoint, Failure, Http> =>
  Effect.gen(function*() {
    const name = yield* GoogleResourceName.dataPoint(ref)
    const response = yield* GoogleHealthHttp.call({ method: "GET", path: `/${name}`, accessToken })
    return yield* GoogleDataTypes.decodeDataPoint(response.body).pipe(
      Effect.mapError((error) => ParseReason.decodeError(response, "GET", error))
    )
  })

/**
 * Exports an exercise as a TCX (Training Center XML) document
 * (`GET …/dataTypes/exercise/dataPoints/{id}:exportExerciseTcx`, answered as `{ tcxData }`). Google requires both
 * an `activity_and_fitness` read scope and a `location` read scope. `partialData` asks for the
 * track points even when there is no GPS data (Google's default: `false`). Answers the XML text.
 *
 * @since 0.1.0
 * @category reading
 */
export const exportExerciseTcx = (
  accessToken: Token,
  ref: string | { readonly id: string; readonly user?: string | undefined },
  options: { readonly partialData?: boolean | undefined } = {}
): Effect.Effect<string, Failure, Http> =>
  Effect.gen(function*() {
    const name = yield* GoogleResourceName.dataPoint(typeof ref === "string" ? ref : { ...ref, dataType: "exercise" })
    if (!name.includes("/dataTypes/exercise/dataPoints/")) {
      return yield* Effect.fail(new Errors.InvalidInput({ field: "name", reason: "must name an exercise data point" }))
    }
    const response = yield* GoogleHealthHttp.call({
      method: "GET",
      path: `/${name}:exportExerciseTcx`,
      accessToken,
      query: { partialData: options.partialData }
    })
    const body: unknown = response.body
    // Google's generated clients ask for the JSON form, `{ tcxData }`; a raw document (`alt=media`) is read too.
    if (typeof body === "string") return body
    const tcx = typeof body === "object" && body !== null ? (body as { tcxData?: unknown }).tcxData : undefined
    if (typeof tcx === "string") return tcx
    return yield* Effect.fail(
      new Errors.DecodeError({ status: response.status, method: "GET", url: response.url, reason: "expected a TCX document" })
    )
  })

const requireObject = (field: string, value: unknown): Effect.Effect<Record<string, unknown>, Errors.InvalidInput> =>
  typeof value === "object" && value !== null && !Array.isArray(value)
    ? Effect.succeed(value as Record<string, unknown>)
    : Effect.fail(new Errors.InvalidInput({ field, reason: "must be a JSON object" }))

/**
 * Creates one data point (`POST …/dataTypes/{dataType}/dataPoints`). `dataPoint` is the wire
 * JSON, e.g. from `GoogleDataTypes.encodeDataPoint`. Answers Google's long-running `Operation`.
 *
 * @since 0.1.0
 * @category writing
 */
export const create = (
  accessToken: Token,
  dataType: GoogleDataTypes.DataTypeId,
  dataPoint: Readonly<Record<string, unknown>>,
  options: { readonly user?: string | undefined } = {}
): Effect.Effect<GoogleOperation.Operation, Failure, Http> =>
  Effect.gen(function*() {
    const parent = yield* GoogleResourceName.dataType(dataType, options.user)
    const body = yield* requireObject("dataPoint", dataPoint)
    return yield* GoogleHealthHttp.callDecoded(
      { method: "POST", path: `/${parent}/dataPoints`, accessToken, body },
      GoogleOperation.Operation
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
  ref: Parameters<typeof GoogleResourceName.dataPoint>[0],
  dataPoint: Readonly<Record<string, unknown>>
): Effect.Effect<GoogleOperation.Operation, Failure, Http> =>
  Effect.gen(function*() {
    const name = yield* GoogleResourceName.dataPoint(ref)
    const body = yield* requireObject("dataPoint", dataPoint)
    return yield* GoogleHealthHttp.callDecoded(
      { method: "PATCH", path: `/${name}`, accessToken, body: { ...body, name } },
      GoogleOperation.Operation
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
  options: { readonly dataType?: GoogleDataTypes.DataTypeId | "-" | undefined; readonly user?: string | undefined } = {}
): Effect.Effect<GoogleOperation.Operation, Failure, Http> =>
  Effect.gen(function*() {
    if (!Array.isArray(names) || names.length === 0 || names.length > 10000) {
      return yield* new Errors.InvalidInput({ field: "names", reason: "must hold 1 to 10000 data-point names" })
    }
    const checked = yield* Effect.forEach(names, GoogleResourceName.validateDataPointName)
    const parent = yield* GoogleResourceName.dataType(options.dataType ?? "-", options.user)
    return yield* GoogleHealthHttp.callDecoded(
      { method: "POST", path: `/${parent}/dataPoints:batchDelete`, accessToken, body: { names: checked } },
      GoogleOperation.Operation
    )
  })

export * from "./RollUps.js"
export { filters } from "./Filters.js"
