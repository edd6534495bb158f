/**
 * Activity data types: `steps`, `distance`, `active-zone-minutes` and `exercise`.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"
import { count, Int64, str, TimeInterval } from "./Values.js"

/**
 * `steps`: a step count over an interval.
 *
 * @since 0.1.0
 * @category data types
 */
export const Steps = Schema.Struct({ count, interval: TimeInterval })

/**
 * `distance`: millimetres travelled over an interval.
 *
 * @since 0.1.0
 * @category data types
 */
export const Distance = Schema.Struct({ millimeters: count, interval: TimeInterval })

/**
 * `active-zone-minutes`: zone minutes earned in an interval (1 per minute in fat burn, 2 in cardio or peak).
 *
 * @since 0.1.0
 * @category data types
 */
export const ActiveZoneMinutes = Schema.Struct({
  activeZoneMinutes: count,
  heartRateZone: str,
  interval: TimeInterval
})

/**
 * An exercise's summary metrics.
 *
 * @since 0.1.0
 * @category data types
 */
export const MetricsSummary = Schema.Struct({
  steps: Schema.optional(Int64),
  distanceMillimeters: Schema.optional(Schema.Number),
  caloriesKcal: Schema.optional(Schema.Number),
  averageHeartRateBeatsPerMinute: Schema.optional(Int64),
  activeZoneMinutes: Schema.optional(Int64),
  elevationGainMillimeters: Schema.optional(Schema.Number),
  averageSpeedMillimetersPerSecond: Schema.optional(Schema.Number),
  averagePaceSecondsPerMeter: Schema.optional(Schema.Number),
  runVo2Max: Schema.optional(Schema.Number),
  totalSwimLengths: Schema.optional(Schema.Number)
})

/**
 * `exercise`: one exercise session.
 *
 * @since 0.1.0
 * @category data types
 */
export const Exercise = Schema.Struct({
  interval: TimeInterval,
  exerciseType: Schema.String,
  displayName: str,
  /** Duration without pauses, as a protobuf duration (`"1800s"`). */
  activeDuration: str,
  metricsSummary: Schema.optional(MetricsSummary),
  notes: str,
  exerciseEvents: Schema.optional(Schema.Array(Schema.Unknown)),
  splits: Schema.optional(Schema.Array(Schema.Unknown)),
  splitSummaries: Schema.optional(Schema.Array(Schema.Unknown)),
  exerciseMetadata: Schema.optional(Schema.Unknown),
  createTime: str,
  updateTime: str
})
