/**
 * Water (nutrition): the day's water logs, the water time series, logging and deleting.
 * API version 1; units follow `Accept-Language` unless `unit` is given.
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import type * as FitbitHttp from "../FitbitHttp.js"
import * as Common from "./Common.js"
import * as LogCollection from "./LogCollection.js"
import * as TimeSeries from "./TimeSeries.js"

/** The water log collection: `/foods/log/water`. */
const LOGS: LogCollection.LogCollection = { path: "/foods/log/water" }

/**
 * One water log: `{amount, logId}`.
 *
 * @since 0.1.0
 * @category schemas
 */
export const WaterLog = Common.open({ amount: Schema.Number, logId: Schema.Number })

/**
 * A decoded water log.
 *
 * @since 0.1.0
 * @category models
 */
export type WaterLog = typeof WaterLog.Type

/**
 * The day's water: `{water: [{amount, logId}], summary: {water}}`.
 *
 * @since 0.1.0
 * @category schemas
 */
export const WaterResponse = Common.open({
  water: Schema.Array(WaterLog),
  summary: Schema.optional(Common.open({ water: Schema.Number }))
})

/**
 * A decoded day of water.
 *
 * @since 0.1.0
 * @category models
 */
export type WaterResponse = typeof WaterResponse.Type

/**
 * Reads the water logs of a day (`/foods/log/water/date/{date}.json`).
 *
 * @since 0.1.0
 * @category endpoints
 */
export const byDate = (
  accessToken: Common.AccessToken,
  params: { readonly date: string },
  options?: Common.CallOptions
): Effect.Effect<WaterResponse, Common.Failure, FitbitHttp.FitbitHttp> =>
  LogCollection.byDate(LOGS, WaterResponse, accessToken, params, options)

/** The answer of the water time series: `{"foods-log-water": [{dateTime, value}]}`. */
const TimeSeriesResponse = Common.open({ "foods-log-water": Schema.Array(Common.TimeSeriesPoint) })

/**
 * Reads the daily water totals of a range (`{"foods-log-water": [{dateTime, value}]}`), values as numbers.
 *
 * @since 0.1.0
 * @category endpoints
 */
export const timeSeries = (
  accessToken: Common.AccessToken,
  params: Common.DateRange,
  options?: Common.CallOptions
): Effect.Effect<ReadonlyArray<typeof Common.TimeSeriesPoint.Type>, Common.Failure, FitbitHttp.FitbitHttp> =>
  TimeSeries.daily(TimeSeriesResponse, "foods-log-water", "/foods/log/water", params, accessToken, options)

/**
 * Units a water log may name.
 *
 * @since 0.1.0
 * @category constants
 */
export const UNITS = ["ml", "fl oz", "cup"] as const

/** The answer of `POST /foods/log/water.json`. */
const LogWaterResponse = Common.open({ waterLog: WaterLog })

/**
 * Logs water (`POST /foods/log/water.json`): `amount` on `date`, in `unit` (`ml`, `fl oz`, `cup`)
 * or the locale's unit.
 *
 * @since 0.1.0
 * @category endpoints
 */
export const log = (
  accessToken: Common.AccessToken,
  params: { readonly amount: number; readonly date: string; readonly unit?: typeof UNITS[number] | undefined },
  options?: Common.CallOptions
): Effect.Effect<WaterLog, Common.Failure, FitbitHttp.FitbitHttp> =>
  Effect.gen(function*() {
    const amount = yield* Common.validatePositive("amount", params?.amount)
    const date = yield* Common.validateDate("date", params.date)
    const unit = params.unit === undefined ? undefined : yield* Common.validateOneOf("unit", UNITS, params.unit)
    const body = yield* LogCollection.create(LOGS, LogWaterResponse, accessToken, { amount, date, unit }, options)
    return body.waterLog
  })

/**
 * Deletes a water log (`DELETE /foods/log/water/{logId}.json`).
 *
 * @since 0.1.0
 * @category endpoints
 */
export const deleteLog = (
  accessToken: Common.AccessToken,
  params: { readonly logId: number | string },
  options?: Common.CallOptions
): Effect.Effect<void, Common.Failure, FitbitHttp.FitbitHttp> =>
  LogCollection.deleteLog(LOGS, accessToken, params, options)
