/**
 * Legacy heart-rate paths answered from Google Health: the time series with zones and resting
 * heart rate (`/activities/heart/date/{date}/{period|end}`) and the 5-minute intraday series
 * (`/activities/heart/date/{date}/1d/5min[/time/…]`). Zones come from `daily-heart-rate-zones`
 * (bounds) and the daily roll-ups of `time-in-heart-rate-zone` (minutes) and
 * `calories-in-heart-rate-zone` (calories); the resting rate from `daily-resting-heart-rate`;
 * intraday samples from `heart-rate`.
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import {
  dailyRollUps,
  durationSeconds,
  type Failure,
  type Http,
  type LegacyCall,
  pointsBetween,
  resolveDate,
  resolveRange,
  timeWindow,
  valuesOf
} from "./Context.js"
import { civilParts } from "../../internal/civilTime.js"

const ZONES = [
  { type: "OUT_OF_RANGE", name: "Out of Range" },
  { type: "FAT_BURN", name: "Fat Burn" },
  { type: "CARDIO", name: "Cardio" },
  { type: "PEAK", name: "Peak" }
] as const

/**
 * The Fitbit heart-rate zones of each date: name, bounds, minutes and calories.
 *
 * @since 0.1.0
 * @category reading
 */
export const heartRateZonesOn = (call: LegacyCall, dates: ReadonlyArray<string>) =>
  Effect.gen(function*() {
    const from = dates[0]!
    const to = dates[dates.length - 1]!
    const [bounds, minutes, calories] = yield* Effect.all([
      pointsBetween(call, "daily-heart-rate-zones", "daily", from, to),
      dailyRollUps(call, "time-in-heart-rate-zone", dates),
      dailyRollUps(call, "calories-in-heart-rate-zone", dates)
    ], { concurrency: 3 })
    const boundsByDate = new Map(valuesOf("daily-heart-rate-zones", bounds).map(({ value }) => [civilParts({ date: value.date }).date, value]))
    const out = new Map<string, Array<{ name: string; min: number; max: number; minutes: number; caloriesOut: number }>>()
    for (const date of dates) {
      const b = boundsByDate.get(date)
      if (b === undefined) continue
      const times = minutes.get(date)?.timeInHeartRateZone?.timeInHeartRateZones ?? []
      const kcal = calories.get(date)?.caloriesInHeartRateZone?.caloriesInHeartRateZones ?? []
      out.set(date, ZONES.map((zone) => {
        const range = b.heartRateZones?.find((z) => z.heartRateZoneType === zone.type)
        return {
          name: zone.name,
          min: range?.minBeatsPerMinute ?? 0,
          max: range?.maxBeatsPerMinute ?? 0,
          minutes: Math.round(durationSeconds(times.find((t) => t.heartRateZone === zone.type)?.duration) / 60),
          caloriesOut: kcal.find((k) => k.heartRateZone === zone.type)?.kcal ?? 0
        }
      }))
    }
    return out
  })

/**
 * The resting heart rate of each date that has one.
 *
 * @since 0.1.0
 * @category reading
 */
export const restingHeartRates = (call: LegacyCall, dates: ReadonlyArray<string>) =>
  Effect.map(
    pointsBetween(call, "daily-resting-heart-rate", "daily", dates[0]!, dates[dates.length - 1]!),
    (points) => new Map(valuesOf("daily-resting-heart-rate", points).map(({ value }) => [civilParts({ date: value.date }).date, value.beatsPerMinute]))
  )

const heartDays = (call: LegacyCall, dates: ReadonlyArray<string>) =>
  Effect.map(
    Effect.all([heartRateZonesOn(call, dates), restingHeartRates(call, dates)], { concurrency: 2 }),
    ([zones, resting]) =>
      dates.map((date) => ({
        dateTime: date,
        value: {
          customHeartRateZones: [],
          heartRateZones: zones.get(date) ?? [],
          ...(resting.has(date) ? { restingHeartRate: resting.get(date) } : {})
        }
      }))
  )

/**
 * `GET /activities/heart/date/{date}/{period|end}.json`.
 *
 * @since 0.1.0
 * @category handlers
 */
export const series = (call: LegacyCall): Effect.Effect<unknown, Failure, Http> =>
  Effect.gen(function*() {
    const dates = yield* resolveRange(call, call.params.date, call.params.period)
    return { "activities-heart": yield* heartDays(call, dates) }
  })

/**
 * `GET /activities/heart/date/{date}/1d/5min[/time/{start}/{end}].json`: Google's heart-rate samples.
 *
 * @since 0.1.0
 * @category handlers
 */
export const intraday = (call: LegacyCall): Effect.Effect<unknown, Failure, Http> =>
  Effect.gen(function*() {
    const date = yield* resolveDate(call, call.params.date)
    const samples = valuesOf("heart-rate", yield* pointsBetween(call, "heart-rate", "sample", date, date))
    const all = samples
      .map(({ value }) => ({ time: civilParts(value.sampleTime.civilTime).time, value: value.beatsPerMinute }))
      .sort((a, b) => a.time.localeCompare(b.time))
    const dataset = yield* timeWindow(call, all)
    const days = yield* heartDays(call, [date])
    return {
      "activities-heart": call.params.start === undefined ? days : days.map(({ value, ...day }) => ({
        ...day,
        customHeartRateZones: [],
        heartRateZones: value.heartRateZones,
        value: String(Math.round(dataset.reduce((sum, point) => sum + point.value, 0) / Math.max(dataset.length, 1) * 10) / 10)
      })),
      "activities-heart-intraday": { dataset, datasetInterval: 5, datasetType: "minute" }
    }
  })
