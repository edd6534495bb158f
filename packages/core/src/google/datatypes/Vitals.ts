/**
 * Vital signs: `oxygen-saturation`, `daily-oxygen-saturation`, `daily-respiratory-rate`,
 * `core-body-temperature`, `blood-glucose`, and (v4beta only) `skin-temperature-sensors`.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"
import { CalendarDate, num, SampleTime, str } from "./Values.js"

/**
 * `oxygen-saturation`: one SpO2 sample, in percent.
 *
 * @since 0.1.0
 * @category data types
 */
export const OxygenSaturation = Schema.Struct({ percentage: num, sampleTime: SampleTime })

/**
 * `daily-oxygen-saturation`: one night's SpO2 summary.
 *
 * @since 0.1.0
 * @category data types
 */
export const DailyOxygenSaturation = Schema.Struct({
  date: CalendarDate,
  averagePercentage: num,
  lowerBoundPercentage: Schema.optional(Schema.Number),
  upperBoundPercentage: Schema.optional(Schema.Number),
  standardDeviationPercentage: Schema.optional(Schema.Number)
})

/**
 * `daily-respiratory-rate`: one day's breaths per minute (measured during sleep).
 *
 * @since 0.1.0
 * @category data types
 */
export const DailyRespiratoryRate = Schema.Struct({ date: CalendarDate, breathsPerMinute: num })

/**
 * `core-body-temperature`: one core temperature reading and where it was taken.
 *
 * @since 0.1.0
 * @category data types
 */
export const CoreBodyTemperature = Schema.Struct({
  id: str,
  temperatureCelsius: num,
  measurementLocation: str,
  sampleTime: SampleTime
})

/**
 * `blood-glucose`: one glucose reading in mg/dL, with its meal context and specimen.
 *
 * @since 0.1.0
 * @category data types
 */
export const BloodGlucose = Schema.Struct({
  bloodGlucoseMilligramsPerDeciliter: num,
  sampleTime: SampleTime,
  mealType: str,
  measurementSource: str,
  measurementTiming: str,
  specimen: str,
  notes: str
})

/**
 * `skin-temperature-sensors` (served on the v4beta channel only): one sample of skin temperature
 * readings, each with where and how its sensor took it.
 *
 * @since 0.1.0
 * @category data types
 */
export const SkinTemperatureSensors = Schema.Struct({
  sampleTime: SampleTime,
  sensorData: Schema.optionalWith(
    Schema.Array(Schema.Struct({
      temperatureCelsius: num,
      metadata: Schema.optional(Schema.Struct({ measurementLocation: str, measurementState: str, sensorType: str }))
    })),
    { default: () => [] }
  )
})
