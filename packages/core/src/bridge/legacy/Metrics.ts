/**
 * The newer legacy health metrics answered from Google Health's daily types: SpO2
 * (`daily-oxygen-saturation`), HRV (`daily-heart-rate-variability`), breathing rate
 * (`daily-respiratory-rate`), cardio fitness (`daily-vo2-max`, as Fitbit's VO2 max range of ±2)
 * and skin temperature (`daily-sleep-temperature-derivations`, nightly minus baseline), each
 * by date and by range (at most 30 days).
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import type * as GoogleDataTypes from "../../google/GoogleDataTypes.js"
import { type Failure, type Http, type LegacyCall, pointsBetween, r2, resolveDate, resolveRange, valuesOf } from "./Context.js"
import { civilParts } from "../../internal/civilTime.js"

interface Metric<K extends GoogleDataTypes.KnownDataType> {
  readonly dataType: K
  /** The legacy `value` of one day. */
  readonly value: (v: GoogleDataTypes.ValueOf<K>) => Record<string, unknown>
  /** The answer for the days; `single` for the one-date path. */
  readonly answer: (days: ReadonlyArray<Record<string, unknown>>, single: boolean) => unknown
}

const metric = <K extends GoogleDataTypes.KnownDataType>(m: Metric<K>) => m

const round1 = (n: number) => Math.round(n * 10) / 10

/**
 * The metrics by legacy path prefix.
 *
 * @since 0.1.0
 * @category handlers
 */
export const METRICS = {
  "spo2": metric({
    dataType: "daily-oxygen-saturation",
    value: (v) => ({ avg: v.averagePercentage, min: v.lowerBoundPercentage, max: v.upperBoundPercentage }),
    answer: (days, single) => (single ? days[0] ?? {} : days)
  }),
  "hrv": metric({
    dataType: "daily-heart-rate-variability",
    value: (v) => ({ dailyRmssd: v.averageHeartRateVariabilityMilliseconds, deepRmssd: v.deepSleepRootMeanSquareOfSuccessiveDifferencesMilliseconds }),
    answer: (days) => ({ hrv: days })
  }),
  "br": metric({
    dataType: "daily-respiratory-rate",
    value: (v) => ({ breathingRate: v.breathsPerMinute }),
    answer: (days) => ({ br: days })
  }),
  "cardioscore": metric({
    dataType: "daily-vo2-max",
    value: (v) => ({ vo2Max: `${Math.round(round1(v.vo2Max - 2))}-${Math.round(round1(v.vo2Max + 2))}` }),
    answer: (days) => ({ cardioScore: days })
  }),
  "temp/skin": metric({
    dataType: "daily-sleep-temperature-derivations",
    value: (v) => ({ nightlyRelative: r2((v.nightlyTemperatureCelsius ?? 0) - (v.baselineTemperatureCelsius ?? 0)) }),
    answer: (days) => ({ tempSkin: days.map((d) => ({ ...d, logType: "dedicated_temp_sensor" })) })
  })
} as const

/**
 * `GET /{spo2|hrv|br|cardioscore|temp/skin}/date/{date}[/{end}].json`.
 *
 * @since 0.1.0
 * @category handlers
 */
export const handle = (prefix: keyof typeof METRICS) => (call: LegacyCall): Effect.Effect<unknown, Failure, Http> =>
  Effect.gen(function*() {
    const m = METRICS[prefix] as Metric<GoogleDataTypes.KnownDataType>
    const single = call.params.end === undefined
    const dates = single ? [yield* resolveDate(call, call.params.date)] : yield* resolveRange(call, call.params.date, call.params.end, 30)
    const points = valuesOf(m.dataType, yield* pointsBetween(call, m.dataType, "daily", dates[0]!, dates[dates.length - 1]!))
    const byDate = new Map(points.map(({ value }) => [civilParts({ date: (value as { date: { year?: number; month?: number; day?: number } }).date }).date, value]))
    const days = dates.flatMap((d) => (byDate.has(d) ? [{ dateTime: d, value: m.value(byDate.get(d)!) }] : []))
    return m.answer(days, single)
  })
