/**
 * The windows `rollUp` and `dailyRollUp` answer (`RollupDataPoint`, `DailyRollupDataPoint`):
 * their bounds (physical for `rollUp`, civil for `dailyRollUp`) and one rolled-up value per data
 * type that rolls up, with v4's field names (`countSum`, `beatsPerMinuteAvg`, …). Values Google
 * adds later stay in the record as JSON.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"
import { CivilDateTime, count, optNum, str } from "./Values.js"

const Rest = Schema.Record({ key: Schema.String, value: Schema.Unknown })

const kcalSum = Schema.Struct({ kcalSum: optNum })

/**
 * A rolled-up energy: the sum, and the unit the user last entered.
 *
 * @since 0.1.0
 * @category rollups
 */
export const EnergyQuantityRollup = Schema.Struct({ kcalSum: optNum, userProvidedUnitLast: str })

/**
 * A rolled-up mass in grams.
 *
 * @since 0.1.0
 * @category rollups
 */
export const WeightQuantityRollup = Schema.Struct({ gramsSum: optNum, userProvidedUnitLast: str })

/**
 * The rolled-up values, one field per data type (v4's `*RollupValue` messages).
 *
 * @since 0.1.0
 * @category rollups
 */
export const rollupValues = {
  steps: Schema.optional(Schema.Struct({ countSum: count })),
  distance: Schema.optional(Schema.Struct({ millimetersSum: count })),
  floors: Schema.optional(Schema.Struct({ countSum: count })),
  altitude: Schema.optional(Schema.Struct({ gainMillimetersSum: count })),
  swimLengthsData: Schema.optional(Schema.Struct({ strokeCountSum: count })),
  activeEnergyBurned: Schema.optional(kcalSum),
  totalCalories: Schema.optional(kcalSum),
  activeMinutes: Schema.optional(Schema.Struct({
    activeMinutesRollupByActivityLevel: Schema.optional(Schema.Array(Schema.Struct({ activeMinutesSum: count, activityLevel: str })))
  })),
  activeZoneMinutes: Schema.optional(Schema.Struct({
    sumInFatBurnHeartZone: count,
    sumInCardioHeartZone: count,
    sumInPeakHeartZone: count
  })),
  activityLevel: Schema.optional(Schema.Struct({
    activityLevelRollupsByActivityLevelType: Schema.optional(Schema.Array(Schema.Struct({
      activityLevelType: str,
      /** A protobuf duration, `"3600s"`. */
      totalDuration: str
    })))
  })),
  sedentaryPeriod: Schema.optional(Schema.Struct({ durationSum: str })),
  timeInHeartRateZone: Schema.optional(Schema.Struct({
    timeInHeartRateZones: Schema.optional(Schema.Array(Schema.Struct({ heartRateZone: str, duration: str })))
  })),
  caloriesInHeartRateZone: Schema.optional(Schema.Struct({
    caloriesInHeartRateZones: Schema.optional(Schema.Array(Schema.Struct({ heartRateZone: str, kcal: optNum })))
  })),
  heartRate: Schema.optional(Schema.Struct({ beatsPerMinuteAvg: optNum, beatsPerMinuteMin: optNum, beatsPerMinuteMax: optNum })),
  restingHeartRatePersonalRange: Schema.optional(Schema.Struct({ beatsPerMinuteMin: optNum, beatsPerMinuteMax: optNum })),
  heartRateVariabilityPersonalRange: Schema.optional(Schema.Struct({
    averageHeartRateVariabilityMillisecondsMin: optNum,
    averageHeartRateVariabilityMillisecondsMax: optNum
  })),
  runVo2Max: Schema.optional(Schema.Struct({ rateAvg: optNum, rateMin: optNum, rateMax: optNum })),
  weight: Schema.optional(Schema.Struct({ weightGramsAvg: optNum })),
  bodyFat: Schema.optional(Schema.Struct({ bodyFatPercentageAvg: optNum })),
  bloodGlucose: Schema.optional(Schema.Struct({ bloodGlucoseMilligramsPerDeciliterAvg: optNum })),
  coreBodyTemperature: Schema.optional(Schema.Struct({
    temperatureCelsiusAvg: optNum,
    temperatureCelsiusMin: optNum,
    temperatureCelsiusMax: optNum
  })),
  hydrationLog: Schema.optional(Schema.Struct({
    amountConsumed: Schema.optional(Schema.Struct({ millilitersSum: optNum, userProvidedUnitLast: str }))
  })),
  nutritionLog: Schema.optional(Schema.Struct({
    energy: Schema.optional(EnergyQuantityRollup),
    energyFromFat: Schema.optional(EnergyQuantityRollup),
    totalCarbohydrate: Schema.optional(WeightQuantityRollup),
    totalFat: Schema.optional(WeightQuantityRollup),
    nutrients: Schema.optional(Schema.Array(Schema.Struct({ nutrient: str, quantity: Schema.optional(WeightQuantityRollup) })))
  }))
}

/**
 * One aggregation window of `rollUp` (physical `startTime`/`endTime`) or `dailyRollUp`
 * (`civilStartTime`/`civilEndTime`) with its rolled-up values.
 *
 * @since 0.1.0
 * @category rollups
 */
export const RollupDataPoint = Schema.Struct({
  startTime: str,
  endTime: str,
  civilStartTime: Schema.optional(CivilDateTime),
  civilEndTime: Schema.optional(CivilDateTime),
  ...rollupValues
}, Rest)

/**
 * A decoded rollup window.
 *
 * @since 0.1.0
 * @category rollups
 */
export type RollupDataPoint = Schema.Schema.Type<typeof RollupDataPoint>

