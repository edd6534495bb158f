/**
 * Fitbit's time series, read alike on each resource's path (`/activities/steps`, `/body/bmi`,
 * `/foods/log/water`, `/activities/heart`): the daily series of a date range, and the intraday
 * series of one day, optionally within a time window. Parameters are checked before anything is
 * sent; each resource names its path, its answer's schema and, for daily series, the answer's key.
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import type * as Schema from "effect/Schema"
import type * as FitbitHttp from "../FitbitHttp.js"
import * as Common from "./Common.js"

/**
 * Reads a daily series (`GET {path}/date/{date}/{period}.json` or
 * `{path}/date/{startDate}/{endDate}.json`, periods as in `Common.PERIODS`) and answers the days
 * under `key` of the answer (`activities-steps`, `body-bmi`, …).
 *
 * @since 0.1.0
 * @category endpoints
 */
export const daily = <K extends string, A extends { readonly [key in K]: ReadonlyArray<unknown> }, I>(
  answer: Schema.Schema<A, I, never>,
  key: K,
  path: string,
  range: Common.DateRange,
  accessToken: Common.AccessToken,
  options: Common.CallOptions | undefined
): Effect.Effect<A[K], Common.Failure, FitbitHttp.FitbitHttp> =>
  Effect.flatMap(Common.rangePath(range, Common.PERIODS), (dates) =>
    Effect.map(Common.getJson(answer, `${path}${dates}.json`, accessToken, options), (body) => body[key]))

/**
 * What an intraday request names: the day, the detail level, and an optional time window
 * (`startTime` and `endTime` together, `HH:mm`).
 *
 * @since 0.1.0
 * @category models
 */
export interface IntradayParams<D extends string> {
  readonly date: string
  readonly detailLevel: D
  readonly startTime?: string | undefined
  readonly endTime?: string | undefined
}

/**
 * Reads one day's intraday series (`GET {path}/date/{date}/1d/{detail}.json`, or
 * `…/1d/{detail}/time/{startTime}/{endTime}.json` within a window), `detailLevel` one of
 * `details`, and decodes the answer with `answer`.
 *
 * @since 0.1.0
 * @category endpoints
 */
export const intraday = <D extends string, A, I>(
  answer: Schema.Schema<A, I, never>,
  path: string,
  details: ReadonlyArray<D>,
  params: IntradayParams<D>,
  accessToken: Common.AccessToken,
  options: Common.CallOptions | undefined
): Effect.Effect<A, Common.Failure, FitbitHttp.FitbitHttp> =>
  Effect.gen(function*() {
    const date = yield* Common.validateDate("date", params?.date)
    const detail = yield* Common.validateOneOf("detailLevel", details, params.detailLevel)
    const window = yield* Common.timeWindow(params)
    return yield* Common.getJson(answer, `${path}/date/${date}/1d/${detail}${window}.json`, accessToken, options)
  })
