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
import type * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import type * as Stream from "effect/Stream"
import * as Errors from "../../Errors.js"
import * as GoogleDataTypeRules from "../GoogleDataTypeRules.js"
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

/**
 * What `create` and `patch` take for a data type: for a type with a schema, its value as the
 * schema types it (`GoogleDataTypes.ValueOf`, e.g. `{ weightGrams, sampleTime }` for `weight`;
 * the encoded form with int64 strings is read too); for a type declared with
 * `GoogleDataTypes.unlisted`, which has no schema here, the whole point's JSON
 * (`{ skinConductance: { … } }`), sent as it is.
 *
 * @since 0.1.0
 * @category models
 */
export type WriteValue<K extends GoogleDataTypes.DataTypeId> = K extends GoogleDataTypes.KnownDataType
  ? GoogleDataTypes.ValueOf<K>
  : Readonly<Record<string, unknown>>

/**
 * Options of `patch`.
 *
 * @since 0.1.0
 * @category models
 */
export interface WriteOptions {
  /** Where the point came from (`recordingMethod`, `platform`, `device`, `application`). */
  readonly dataSource?: Schema.Schema.Type<typeof GoogleDataTypes.DataSource> | undefined
}

/**
 * Options of `create`.
 *
 * @since 0.1.0
 * @category models
 */
export interface CreateOptions extends WriteOptions {
  /** Default `me`. */
  readonly user?: string | undefined
  /**
   * The new point's id (4–63 lowercase letters, digits or hyphens, Google's rule for a
   * client-provided id): its name becomes `users/{user}/dataTypes/{dataType}/dataPoints/{id}`.
   * Without it Google picks one.
   */
  readonly id?: string | undefined
}

const CLIENT_ID = /^[a-z0-9-]{4,63}$/

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value)

/** The `InvalidInput` of a value its type's schema refuses, naming the first field to fix. */
const invalidValue = (dataType: GoogleDataTypes.KnownDataType, value: Record<string, unknown>, error: ParseResult.ParseError) => {
  const path = ParseReason.firstPath(error)
  const field = GoogleDataTypes.KNOWN[dataType].field
  const hint = Object.prototype.hasOwnProperty.call(value, field)
    ? `; this looks like a data point's JSON: pass its value (the object under "${field}"), the envelope goes in the options`
    : ""
  return new Errors.InvalidInput({
    field: ["dataPoint", ...path.map(String)].join("."),
    reason: `is not a valid ${dataType} value: ${ParseReason.describe(error)}${hint}`
  })
}

/** The wire JSON of a point to write: checked against its type's schema and encoded, or (no schema) as given. */
const wireBody = (
  dataType: string,
  value: unknown,
  extras: { readonly name?: string | undefined; readonly dataSource?: WriteOptions["dataSource"] }
): Effect.Effect<Record<string, unknown>, Errors.InvalidInput> => {
  if (!isObject(value)) {
    return Effect.fail(new Errors.InvalidInput({ field: "dataPoint", reason: `must be an object: the ${dataType} value to write` }))
  }
  if (!GoogleDataTypes.isKnownDataType(dataType)) {
    return Effect.succeed({
      ...value,
      ...(extras.name === undefined ? {} : { name: extras.name }),
      ...(extras.dataSource === undefined ? {} : { dataSource: extras.dataSource })
    })
  }
  return GoogleDataTypes.encodeDataPoint(dataType, value as never, extras).pipe(
    Effect.mapError((error) => invalidValue(dataType, value, error))
  )
}

/** Refuses a method the rules say the data type does not support, naming the ones it does. */
const supports = (dataType: string, method: "create" | "patch"): Effect.Effect<void, Errors.InvalidInput> => {
  const refused = GoogleDataTypeRules.methodProblem(dataType, method)
  return refused === undefined ? Effect.void : Effect.fail(refused)
}

/**
 * Creates one data point (`POST …/dataTypes/{dataType}/dataPoints`) from its typed value, e.g.
 * `create(token, "weight", { weightGrams: 71500, sampleTime: { physicalTime: "2026-11-25T07:30:00Z" } })`.
 * Before anything is sent: a data type whose rules do not list `create` is refused (`InvalidInput`
 * on `dataType`, naming its methods), and the value is checked against the type's schema and
 * encoded (`InvalidInput` on `dataPoint.{field}`, e.g. `dataPoint.sampleTime`). Answers Google's
 * long-running `Operation`.
 *
 * @since 0.1.0
 * @category writing
 */
export const create = <K extends GoogleDataTypes.DataTypeId>(
  accessToken: Token,
  dataType: K,
  value: WriteValue<K>,
  options: CreateOptions = {}
): Effect.Effect<GoogleOperation.Operation, Failure, Http> =>
  Effect.gen(function*() {
    const parent = yield* GoogleResourceName.dataType(dataType, options.user)
    yield* supports(dataType, "create")
    if (options.id !== undefined && (typeof options.id !== "string" || !CLIENT_ID.test(options.id))) {
      return yield* new Errors.InvalidInput({ field: "id", reason: "must be 4 to 63 lowercase letters, digits or hyphens (Google's rule for a client-provided id)" })
    }
    const body = yield* wireBody(dataType, value, {
      name: options.id === undefined ? undefined : `${parent}/dataPoints/${options.id}`,
      dataSource: options.dataSource
    })
    return yield* GoogleHealthHttp.callDecoded(
      { method: "POST", path: `/${parent}/dataPoints`, accessToken, body },
      GoogleOperation.Operation
    )
  })

/**
 * Replaces one identifiable data point (`PATCH users/{user}/dataTypes/{dataType}/dataPoints/{id}`)
 * with a typed value: by `{ dataType, id, user? }` (the value typed by `dataType`) or by its full
 * name (the value checked against the type the name holds). Refused before sending as `create`
 * is: a type whose rules do not list `patch`, or a value its schema does not take.
 *
 * @since 0.1.0
 * @category writing
 */
export const patch: {
  <K extends GoogleDataTypes.DataTypeId>(
    accessToken: Token,
    ref: { readonly dataType: K; readonly id: string; readonly user?: string | undefined },
    value: WriteValue<K>,
    options?: WriteOptions
  ): Effect.Effect<GoogleOperation.Operation, Failure, Http>
  (
    accessToken: Token,
    name: string,
    value: WriteValue<GoogleDataTypes.DataTypeId>,
    options?: WriteOptions
  ): Effect.Effect<GoogleOperation.Operation, Failure, Http>
} = (
  accessToken: Token,
  ref: string | { readonly dataType: string; readonly id: string; readonly user?: string | undefined },
  value: unknown,
  options: WriteOptions = {}
): Effect.Effect<GoogleOperation.Operation, Failure, Http> =>
  Effect.gen(function*() {
    const name = yield* GoogleResourceName.dataPoint(ref)
    const [, user, , dataType] = name.split("/") as [string, string, string, string]
    yield* GoogleResourceName.dataType(dataType, user) // a name's type is checked as a given one is: known, or a "did you mean"
    yield* supports(dataType, "patch")
    const body = yield* wireBody(dataType, value, { name, dataSource: options.dataSource })
    return yield* GoogleHealthHttp.callDecoded(
      { method: "PATCH", path: `/${name}`, accessToken, body },
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
