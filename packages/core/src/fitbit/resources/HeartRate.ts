/**
 * Heart rate: daily time series with zones and resting rate, and intraday series. API version 1.
 *
 * @since 0.1.0
 */
import type * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import type * as FitbitHttp from "../FitbitHttp.js"
import * as ActivityLogs from "./ActivityLogs.js"
import * as Common from "./Common.js"
import * as TimeSeries from "./TimeSeries.js"

/**
 * One day of heart rate: `{dateTime, value: {restingHeartRate?, heartRateZones, customHeartRateZones?}}`.
 *
 * @since 0.1.0
 * @category schemas
 */
export const HeartRateDay = Common.open({
  dateTime: Schema.String,
  value: Common.open({
    restingHeartRate: Schema.optional(Schema.Number),
    heartRateZones: Schema.Array(ActivityLogs.HeartRateZone),
    customHeartRateZones: Schema.optional(Schema.Array(ActivityLogs.HeartRateZone))
  })
})

/**
 * A decoded heart-rate day.
 *
 * @since 0.1.0
 * @category models
 */
export type HeartRateDay = typeof HeartRateDay.Type

/**
 * The time-series answer: `{"activities-heart": [...]}`.
 *
 * @since 0.1.0
 * @category schemas
 */
export const TimeSeriesResponse = Common.open({ "activities-heart": Schema.Array(HeartRateDay) })

/**
 * Reads the heart-rate days of a range (`{date, period}` or `{startDate, endDate}`).
 *
 * @since 0.1.0
 * @category endpoints
 */
export const timeSeries = (
  accessToken: Common.AccessToken,
  params: Common.DateRange,
  options?: Common.CallOptions
): Effect.Effect<ReadonlyArray<HeartRateDay>, Common.Failure, FitbitHttp.FitbitHttp> =>
  TimeSeries.daily(TimeSeriesResponse, "activities-heart", "/activities/heart", params, accessToken, options)

/**
 * Intraday detail levels of heart rate.
 *
 * @since 0.1.0
 * @category constants
 */
export const INTRADAY_DETAIL = ["1sec", "1min", "5min", "15min"] as const

/**
 * The day entry of a windowed intraday answer (`…/1d/{detail}/time/HH:mm/HH:mm.json`) as the
 * service sends it: the zones beside `dateTime`, and `value` the window's heart rate as a string
 * (`"63.5"`), not the object of the daily form.
 *
 * @since 0.1.0
 * @category schemas
 */
export const WindowedHeartRateDay = Common.open({
  dateTime: Schema.String,
  value: Schema.String,
  heartRateZones: Schema.optional(Schema.Array(ActivityLogs.HeartRateZone)),
  customHeartRateZones: Schema.optional(Schema.Array(ActivityLogs.HeartRateZone))
})

/**
 * A decoded windowed day entry.
 *
 * @since 0.1.0
 * @category models
 */
export type WindowedHeartRateDay = typeof WindowedHeartRateDay.Type

/**
 * The intraday answer: the day and `"activities-heart-intraday": {dataset, datasetInterval, datasetType}`.
 * With a time window the day entry is a {@link WindowedHeartRateDay}.
 *
 * @since 0.1.0
 * @category schemas
 */
export const IntradayResponse = Common.open({
  "activities-heart": Schema.Array(Schema.Union(HeartRateDay, WindowedHeartRateDay)),
  "activities-heart-intraday": Common.IntradayDataset
})

/**
 * A decoded intraday answer.
 *
 * @since 0.1.0
 * @category models
 */
export type IntradayResponse = typeof IntradayResponse.Type

/**
 * Reads one day's intraday heart rate (`/activities/heart/date/{date}/1d/{detail}.json`),
 * optionally between `startTime` and `endTime`. Needs intraday access.
 *
 * @since 0.1.0
 * @category endpoints
 */
export const intraday = (
  accessToken: Common.AccessToken,
  params: {
    readonly date: string
    readonly detailLevel: typeof INTRADAY_DETAIL[number]
    readonly startTime?: string | undefined
    readonly endTime?: string | undefined
  },
  options?: Common.CallOptions
): Effect.Effect<IntradayResponse, Common.Failure, FitbitHttp.FitbitHttp> =>
  TimeSeries.intraday(IntradayResponse, "/activities/heart", INTRADAY_DETAIL, params, accessToken, options)
