/**
 * The windows `rollUp` and `dailyRollUp` answer: bounds and the rolled-up values of the common types.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"
import { CivilDateTime, count, str } from "./Values.js"

const Rest = Schema.Record({ key: Schema.String, value: Schema.Unknown })

/**
 * One aggregation window of `rollUp` / `dailyRollUp`: its bounds and the rolled-up values of
 * the common types; values of other types stay in the record as JSON.
 *
 * @since 0.1.0
 * @category rollups
 */
export const RollupDataPoint = Schema.Struct({
  startTime: str,
  endTime: str,
  civilStartTime: Schema.optional(CivilDateTime),
  civilEndTime: Schema.optional(CivilDateTime),
  steps: Schema.optional(Schema.Struct({ countSum: count })),
  distance: Schema.optional(Schema.Struct({ millimetersSum: count })),
  heartRate: Schema.optional(Schema.Struct({
    beatsPerMinuteAvg: Schema.optional(Schema.Number),
    beatsPerMinuteMin: Schema.optional(Schema.Number),
    beatsPerMinuteMax: Schema.optional(Schema.Number)
  })),
  weight: Schema.optional(Schema.Struct({ weightGramsAvg: Schema.optional(Schema.Number) })),
  bodyFat: Schema.optional(Schema.Struct({ bodyFatPercentageAvg: Schema.optional(Schema.Number) })),
  activeZoneMinutes: Schema.optional(Schema.Struct({
    sumInFatBurnHeartZone: count,
    sumInCardioHeartZone: count,
    sumInPeakHeartZone: count
  }))
}, Rest)

/**
 * A decoded rollup window.
 *
 * @since 0.1.0
 * @category rollups
 */
export type RollupDataPoint = Schema.Schema.Type<typeof RollupDataPoint>

