/**
 * Body: weight and body-fat logs, their time series, and logging weight. API version 1.
 * Units follow `Accept-Language` (pass it in `options.headers`).
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import type * as FitbitHttp from "../FitbitHttp.js"
import * as Common from "./Common.js"
import * as LogCollection from "./LogCollection.js"
import * as TimeSeries from "./TimeSeries.js"

/** The weight log collection: `/body/log/weight`. */
const WEIGHT_LOGS: LogCollection.LogCollection = { path: "/body/log/weight" }

/** The body-fat log collection: `/body/log/fat`. */
const FAT_LOGS: LogCollection.LogCollection = { path: "/body/log/fat" }

/**
 * A weight log: `{bmi, date, logId, time, weight, source, fat?}`.
 *
 * @since 0.1.0
 * @category schemas
 */
export const WeightLog = Common.open({
  logId: Schema.Number,
  date: Schema.String,
  time: Schema.optional(Schema.String),
  weight: Schema.Number,
  bmi: Schema.optional(Schema.Number),
  fat: Schema.optional(Schema.Number),
  source: Schema.optional(Schema.String)
})

/**
 * A decoded weight log.
 *
 * @since 0.1.0
 * @category models
 */
export type WeightLog = typeof WeightLog.Type

/**
 * A body-fat log: `{date, fat, logId, time, source}`.
 *
 * @since 0.1.0
 * @category schemas
 */
export const FatLog = Common.open({
  logId: Schema.Number,
  date: Schema.String,
  time: Schema.optional(Schema.String),
  fat: Schema.Number,
  source: Schema.optional(Schema.String)
})

/**
 * A decoded body-fat log.
 *
 * @since 0.1.0
 * @category models
 */
export type FatLog = typeof FatLog.Type

/**
 * The periods of the weight and fat log endpoints.
 *
 * @since 0.1.0
 * @category constants
 */
export const LOG_PERIODS = ["1d", "7d", "30d", "1w", "1m"] as const

/**
 * Which logs to read: one day, a `{date, period}` (`1d 7d 30d 1w 1m`), or `{startDate, endDate}`.
 *
 * @since 0.1.0
 * @category models
 */
export type LogRange = { readonly date: string; readonly period?: undefined } | Common.DateRange<typeof LOG_PERIODS[number]>

/** The `/date/…` part of a log range: one day, a day and a period before it, or two dates. */
const logRangePath = (range: LogRange) =>
  typeof range === "object" && range !== null && "date" in range && range.period === undefined
    ? Effect.map(Common.validateDate("date", range.date), (date) => `/date/${date}`)
    : Common.rangePath(range as Common.DateRange<typeof LOG_PERIODS[number]>, LOG_PERIODS)

/** Reads a body log collection over a range (`GET {path}/date/….json`), answering the logs under `key`. */
const logsIn = <K extends string, A extends { readonly [key in K]: ReadonlyArray<unknown> }, I>(
  collection: LogCollection.LogCollection,
  answer: Schema.Schema<A, I, never>,
  key: K,
  range: LogRange,
  accessToken: Common.AccessToken,
  options: Common.CallOptions | undefined
): Effect.Effect<A[K], Common.Failure, FitbitHttp.FitbitHttp> =>
  Effect.gen(function*() {
    const dates = yield* logRangePath(range)
    const body = yield* Common.getJson(answer, `${collection.path}${dates}.json`, accessToken, options)
    return body[key]
  })

/** The answer of the weight log read: `{weight: [...]}`. */
const WeightLogsResponse = Common.open({ weight: Schema.Array(WeightLog) })

/** The answer of the body-fat log read: `{fat: [...]}`. */
const FatLogsResponse = Common.open({ fat: Schema.Array(FatLog) })

/**
 * Reads weight logs (`/body/log/weight/date/...`).
 *
 * @since 0.1.0
 * @category endpoints
 */
export const weightLogs = (
  accessToken: Common.AccessToken,
  params: LogRange,
  options?: Common.CallOptions
): Effect.Effect<ReadonlyArray<WeightLog>, Common.Failure, FitbitHttp.FitbitHttp> =>
  logsIn(WEIGHT_LOGS, WeightLogsResponse, "weight", params, accessToken, options)

/**
 * Reads body-fat logs (`/body/log/fat/date/...`).
 *
 * @since 0.1.0
 * @category endpoints
 */
export const fatLogs = (
  accessToken: Common.AccessToken,
  params: LogRange,
  options?: Common.CallOptions
): Effect.Effect<ReadonlyArray<FatLog>, Common.Failure, FitbitHttp.FitbitHttp> =>
  logsIn(FAT_LOGS, FatLogsResponse, "fat", params, accessToken, options)

/**
 * The body time-series resources.
 *
 * @since 0.1.0
 * @category constants
 */
export const RESOURCES = ["weight", "bmi", "fat"] as const

/**
 * Reads a body time series (`/body/{weight|bmi|fat}/date/...`), values as numbers.
 *
 * @since 0.1.0
 * @category endpoints
 */
export const timeSeries = (
  accessToken: Common.AccessToken,
  params: { readonly resource: typeof RESOURCES[number] } & Common.DateRange,
  options?: Common.CallOptions
): Effect.Effect<ReadonlyArray<typeof Common.TimeSeriesPoint.Type>, Common.Failure, FitbitHttp.FitbitHttp> =>
  Effect.gen(function*() {
    const resource = yield* Common.validateOneOf("resource", RESOURCES, params?.resource)
    const key = `body-${resource}`
    const answer = Schema.Struct({ [key]: Schema.Array(Common.TimeSeriesPoint) })
    return yield* TimeSeries.daily(answer, key, `/body/${resource}`, params, accessToken, options)
  })

/** The answer of `POST /body/log/weight.json`. */
const LogWeightResponse = Common.open({ weightLog: WeightLog })

/**
 * Logs a weight (`POST /body/log/weight.json`, in the unit `Accept-Language` selects) on a date,
 * at an optional `time`.
 *
 * @since 0.1.0
 * @category endpoints
 */
export const logWeight = (
  accessToken: Common.AccessToken,
  params: { readonly weight: number; readonly date: string; readonly time?: string | undefined },
  options?: Common.CallOptions
): Effect.Effect<WeightLog, Common.Failure, FitbitHttp.FitbitHttp> =>
  Effect.gen(function*() {
    const weight = yield* Common.validatePositive("weight", params?.weight)
    const date = yield* Common.validateDate("date", params.date)
    const time = params.time === undefined ? undefined : yield* Common.validateTime("time", params.time)
    const body = yield* LogCollection.create(WEIGHT_LOGS, LogWeightResponse, accessToken, { weight, date, time }, options)
    return body.weightLog
  })

/**
 * Deletes a weight log (`DELETE /body/log/weight/{logId}.json`).
 *
 * @since 0.1.0
 * @category endpoints
 */
export const deleteWeightLog = (
  accessToken: Common.AccessToken,
  params: { readonly logId: number | string },
  options?: Common.CallOptions
): Effect.Effect<void, Common.Failure, FitbitHttp.FitbitHttp> =>
  LogCollection.deleteLog(WEIGHT_LOGS, accessToken, params, options)
