/**
 * Activity data types: `steps`, `distance`, `floors`, `altitude`, `active-zone-minutes`,
 * `active-minutes`, `activity-level`, `sedentary-period`, `active-energy-burned`,
 * `basal-energy-burned`, `swim-lengths-data`, `time-in-heart-rate-zone` and `exercise` (with
 * its events, splits, metrics and mobility metrics).
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"
import { count, Int64, num, optBool, optInt64, optNum, str, TimeInterval } from "./Values.js"

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
 * Time spent in each heart-rate zone of an exercise (protobuf durations, `"600s"`).
 *
 * @since 0.1.0
 * @category data types
 */
export const TimeInHeartRateZones = Schema.Struct({ lightTime: str, moderateTime: str, vigorousTime: str, peakTime: str })

/**
 * Running form of an exercise: cadence, ground contact, stride, vertical oscillation and ratio.
 *
 * @since 0.1.0
 * @category data types
 */
export const MobilityMetrics = Schema.Struct({
  avgCadenceStepsPerMinute: optNum,
  avgGroundContactTimeDuration: str,
  avgStrideLengthMillimeters: optInt64,
  avgVerticalOscillationMillimeters: optInt64,
  avgVerticalRatio: optNum
})

/**
 * A pause, resume or lap event of an exercise.
 *
 * @since 0.1.0
 * @category data types
 */
export const ExerciseEvent = Schema.Struct({ eventTime: str, eventUtcOffset: str, exerciseEventType: str })

/**
 * An exercise's GPS flag and pool length.
 *
 * @since 0.1.0
 * @category data types
 */
export const ExerciseMetadata = Schema.Struct({ hasGps: optBool, poolLengthMillimeters: optInt64 })

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
  totalSwimLengths: Schema.optional(Schema.Number),
  heartRateZoneDurations: Schema.optional(TimeInHeartRateZones),
  mobilityMetrics: Schema.optional(MobilityMetrics)
})

/**
 * One split (lap, distance or duration) of an exercise with its metrics.
 *
 * @since 0.1.0
 * @category data types
 */
export const SplitSummary = Schema.Struct({
  splitType: str,
  startTime: str,
  endTime: str,
  startUtcOffset: str,
  endUtcOffset: str,
  activeDuration: str,
  metricsSummary: Schema.optional(MetricsSummary)
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
  exerciseEvents: Schema.optional(Schema.Array(ExerciseEvent)),
  splits: Schema.optional(Schema.Array(SplitSummary)),
  splitSummaries: Schema.optional(Schema.Array(SplitSummary)),
  exerciseMetadata: Schema.optional(ExerciseMetadata),
  createTime: str,
  updateTime: str
})

/**
 * `floors`: floors climbed over an interval.
 *
 * @since 0.1.0
 * @category data types
 */
export const Floors = Schema.Struct({ count, interval: TimeInterval })

/**
 * `altitude`: elevation gained over an interval, in millimetres.
 *
 * @since 0.1.0
 * @category data types
 */
export const Altitude = Schema.Struct({ gainMillimeters: count, interval: TimeInterval })

/**
 * `active-minutes`: minutes per activity level (`LIGHT`, `MODERATE`, `VIGOROUS`) over an interval.
 *
 * @since 0.1.0
 * @category data types
 */
export const ActiveMinutes = Schema.Struct({
  activeMinutesByActivityLevel: Schema.optional(Schema.Array(Schema.Struct({ activeMinutes: count, activityLevel: str }))),
  interval: TimeInterval
})

/**
 * `activity-level`: the activity level (`SEDENTARY`, `LIGHT`, …) of an interval.
 *
 * @since 0.1.0
 * @category data types
 */
export const ActivityLevel = Schema.Struct({ activityLevelType: str, interval: TimeInterval })

/**
 * `sedentary-period`: an interval without activity.
 *
 * @since 0.1.0
 * @category data types
 */
export const SedentaryPeriod = Schema.Struct({ interval: TimeInterval })

/**
 * `active-energy-burned`: kilocalories burned by activity over an interval.
 *
 * @since 0.1.0
 * @category data types
 */
export const ActiveEnergyBurned = Schema.Struct({ kcal: num, interval: TimeInterval })

/**
 * `basal-energy-burned`: kilocalories burned at rest (BMR) over an interval.
 *
 * @since 0.1.0
 * @category data types
 */
export const BasalEnergyBurned = Schema.Struct({ kcal: num, interval: TimeInterval })

/**
 * `swim-lengths-data`: one pool length: its stroke count and stroke type.
 *
 * @since 0.1.0
 * @category data types
 */
export const SwimLengthsData = Schema.Struct({ strokeCount: count, swimStrokeType: str, interval: TimeInterval })

/**
 * `time-in-heart-rate-zone`: an interval spent in one heart-rate zone.
 *
 * @since 0.1.0
 * @category data types
 */
export const TimeInHeartRateZone = Schema.Struct({ heartRateZoneType: str, interval: TimeInterval })
