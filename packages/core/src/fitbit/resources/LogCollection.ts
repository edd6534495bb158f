/**
 * A Fitbit log collection (activity, sleep, weight or water logs) and the calls Fitbit answers
 * alike for each, on the collection's own path: the logs of a day (`GET {path}/date/{date}.json`),
 * logging (`POST {path}.json`), deleting a log (`DELETE {path}/{logId}.json`) and, for the
 * collections Fitbit lists, one page of the log list (`GET {path}/list.json?…`) and the whole list
 * as a `Stream` that follows `pagination.next`. Each resource module describes its collections
 * once and calls these; parameters are checked before anything is sent.
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import type * as Schema from "effect/Schema"
import * as Stream from "effect/Stream"
import type * as FitbitHttp from "../FitbitHttp.js"
import * as Common from "./Common.js"

/**
 * Where a log collection is: its path under the user (`/activities`, `/sleep`,
 * `/body/log/weight`, `/foods/log/water`) and its API version when it is not 1.
 *
 * @since 0.1.0
 * @category models
 */
export interface LogCollection {
  readonly path: string
  readonly apiVersion?: string | undefined
}

/**
 * A page of a log list: the logs under `field`, and the `pagination` object.
 *
 * @since 0.1.0
 * @category models
 */
export type Page<K extends string> =
  & { readonly pagination: Common.Pagination }
  & { readonly [key in K]: ReadonlyArray<unknown> }

/**
 * A log collection Fitbit lists page by page (activities, sleep): the schema of a page and the
 * page's field that holds the logs.
 *
 * @since 0.1.0
 * @category models
 */
export interface Listed<P extends Page<K>, I, K extends string> extends LogCollection {
  readonly page: Schema.Schema<P, I, never>
  readonly field: K
}

/**
 * Reads the collection's logs of a day (`GET {path}/date/{date}.json`, `date` as `yyyy-MM-dd`
 * or `today`) and decodes them with `schema`.
 *
 * @since 0.1.0
 * @category endpoints
 */
export const byDate = <A, I>(
  collection: LogCollection,
  schema: Schema.Schema<A, I, never>,
  accessToken: Common.AccessToken,
  params: { readonly date: string },
  options: Common.CallOptions | undefined
): Effect.Effect<A, Common.Failure, FitbitHttp.FitbitHttp> =>
  Effect.flatMap(
    Common.validateDate("date", params?.date),
    (date) => Common.getJson(schema, `${collection.path}/date/${date}.json`, accessToken, versioned(collection, options))
  )

/**
 * Reads one page of the log list (`GET {path}/list.json`, the query from `params`).
 *
 * @since 0.1.0
 * @category endpoints
 */
export const list = <P extends Page<K>, I, K extends string>(
  collection: Listed<P, I, K>,
  accessToken: Common.AccessToken,
  params: Common.ListParams,
  options: Common.CallOptions | undefined
): Effect.Effect<P, Common.Failure, FitbitHttp.FitbitHttp> =>
  Effect.flatMap(Common.listQuery(params), (query) =>
    Common.getJson(collection.page, `${collection.path}/list.json${query}`, accessToken, versioned(collection, options)))

/**
 * The whole log list from `params` on, as a `Stream` of logs that follows `pagination.next`
 * (same API origin only) for at most `maxPages` pages.
 *
 * @since 0.1.0
 * @category endpoints
 */
export const streamList = <P extends Page<K>, I, K extends string>(
  collection: Listed<P, I, K>,
  accessToken: Common.AccessToken,
  params: Common.ListParams,
  options: Common.StreamOptions | undefined
): Stream.Stream<P[K][number], Common.Failure, FitbitHttp.FitbitHttp> =>
  Stream.unwrap(Effect.map(Common.listQuery(params), (query) =>
    Common.paginate(collection.page, `${collection.path}/list.json`, query, accessToken, versioned(collection, options))
      .pipe(Stream.mapConcat((page): ReadonlyArray<P[K][number]> => page[collection.field]))))

/**
 * Logs: `POST {path}.json` with a form body, the answer decoded with `schema`.
 *
 * @since 0.1.0
 * @category endpoints
 */
export const create = <A, I>(
  collection: LogCollection,
  schema: Schema.Schema<A, I, never>,
  accessToken: Common.AccessToken,
  body: FitbitHttp.Body,
  options: Common.CallOptions | undefined
): Effect.Effect<A, Common.Failure, FitbitHttp.FitbitHttp> =>
  Common.postForm(schema, `${collection.path}.json`, accessToken, body, versioned(collection, options))

/**
 * Deletes a log (`DELETE {path}/{logId}.json`) after checking its id.
 *
 * @since 0.1.0
 * @category endpoints
 */
export const deleteLog = (
  collection: LogCollection,
  accessToken: Common.AccessToken,
  params: { readonly logId: number | string },
  options: Common.CallOptions | undefined
): Effect.Effect<void, Common.Failure, FitbitHttp.FitbitHttp> =>
  Effect.flatMap(
    Common.validateLogId(params?.logId),
    (logId) => Common.remove(`${collection.path}/${logId}.json`, accessToken, versioned(collection, options))
  )

/** The call options with the collection's API version, when it has one. */
const versioned = (
  collection: LogCollection,
  options: Common.StreamOptions | undefined
): (Common.StreamOptions & { readonly apiVersion?: string }) | undefined =>
  collection.apiVersion === undefined ? options : { ...options, apiVersion: collection.apiVersion }
