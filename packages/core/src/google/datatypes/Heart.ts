/**
 * Heart data types: `heart-rate`, `daily-resting-heart-rate`, `heart-rate-variability` and
 * `daily-heart-rate-variability`.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"
import { CalendarDate, count, Int64, SampleTime, str } from "./Values.js"

/**
 * `heart-rate`: one heart-rate sample.
 *
 * @since 0.1.0
 * @category data types
 */
export const HeartRate = Schema.Struct({
  beatsPerMinute: count,
  sampleTime: SampleTime,
  metadata: Schema.optional(Schema.Struct({ motionContext: str, sensorLocation: str }))
})

/**
 * `daily-resting-heart-rate`: one day's resting heart rate.
 *
 * @since 0.1.0
 * @category data types
 */
export const DailyRestingHeartRate = Schema.Struct({
  beatsPerMinute: count,
  date: CalendarDate,
  dailyRestingHeartRateMetadata: Schema.optional(Schema.Struct({ calculationMethod: str }))
})

/**
 * `heart-rate-variability`: one HRV sample (RMSSD / SDNN in milliseconds).
 *
 * @since 0.1.0
 * @category data types
 */
export const HeartRateVariability = Schema.Struct({
  rootMeanSquareOfSuccessiveDifferencesMilliseconds: Schema.optional(Schema.Number),
  standardDeviationMilliseconds: Schema.optional(Schema.Number),
  sampleTime: SampleTime
})

/**
 * `daily-heart-rate-variability`: one day's HRV summary.
 *
 * @since 0.1.0
 * @category data types
 */
export const DailyHeartRateVariability = Schema.Struct({
  date: CalendarDate,
  averageHeartRateVariabilityMilliseconds: Schema.optional(Schema.Number),
  nonRemHeartRateBeatsPerMinute: Schema.optional(Int64),
  entropy: Schema.optional(Schema.Number),
  deepSleepRootMeanSquareOfSuccessiveDifferencesMilliseconds: Schema.optional(Schema.Number)
})
