/**
 * Sleep data types: `sleep` (a session with its stages, out-of-bed segments and summary), and
 * what is measured during sleep: `respiratory-rate-sleep-summary` and
 * `daily-sleep-temperature-derivations`.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"
import { CalendarDate, count, optNum, SampleTime, str, TimeInterval } from "./Values.js"

/**
 * A sleep stage segment (`AWAKE`, `LIGHT`, `DEEP`, `REM`, …).
 *
 * @since 0.1.0
 * @category data types
 */
export const SleepStage = Schema.Struct({
  type: Schema.String,
  startTime: Schema.String,
  endTime: Schema.String,
  startUtcOffset: str,
  endUtcOffset: str,
  createTime: str,
  updateTime: str
})

/**
 * A sleep session's summary, in minutes.
 *
 * @since 0.1.0
 * @category data types
 */
export const SleepSummary = Schema.Struct({
  minutesAsleep: count,
  minutesAwake: count,
  minutesInSleepPeriod: count,
  minutesToFallAsleep: count,
  minutesAfterWakeUp: count,
  stagesSummary: Schema.optional(
    Schema.Array(Schema.Struct({ type: str, minutes: count, count }))
  )
})

/**
 * `sleep`: one sleep session with its stages and summary.
 *
 * @since 0.1.0
 * @category data types
 */
export const Sleep = Schema.Struct({
  interval: TimeInterval,
  type: str,
  stages: Schema.optional(Schema.Array(SleepStage)),
  shortAwakenings: Schema.optional(Schema.Array(SleepStage)),
  outOfBedSegments: Schema.optional(Schema.Array(Schema.Struct({ startTime: str, endTime: str, startUtcOffset: str, endUtcOffset: str }))),
  summary: Schema.optional(SleepSummary),
  metadata: Schema.optional(Schema.Struct({
    mainSleep: Schema.optional(Schema.Boolean),
    nap: Schema.optional(Schema.Boolean),
    processed: Schema.optional(Schema.Boolean),
    manuallyEdited: Schema.optional(Schema.Boolean),
    stagesStatus: str,
    externalId: str
  })),
  createTime: str,
  updateTime: str
})

/**
 * Breathing statistics over one part of a night.
 *
 * @since 0.1.0
 * @category data types
 */
export const RespiratoryRateSleepSummaryStatistics = Schema.Struct({
  breathsPerMinute: optNum,
  standardDeviation: optNum,
  signalToNoise: optNum
})

/**
 * `respiratory-rate-sleep-summary`: breaths per minute over the whole night and per stage.
 *
 * @since 0.1.0
 * @category data types
 */
export const RespiratoryRateSleepSummary = Schema.Struct({
  sampleTime: SampleTime,
  fullSleepStats: Schema.optional(RespiratoryRateSleepSummaryStatistics),
  deepSleepStats: Schema.optional(RespiratoryRateSleepSummaryStatistics),
  lightSleepStats: Schema.optional(RespiratoryRateSleepSummaryStatistics),
  remSleepStats: Schema.optional(RespiratoryRateSleepSummaryStatistics)
})

/**
 * `daily-sleep-temperature-derivations`: the night's skin temperature against the user's baseline.
 *
 * @since 0.1.0
 * @category data types
 */
export const DailySleepTemperatureDerivations = Schema.Struct({
  date: CalendarDate,
  nightlyTemperatureCelsius: optNum,
  baselineTemperatureCelsius: optNum,
  relativeNightlyStddev30dCelsius: optNum
})
