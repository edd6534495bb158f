/**
 * Vital-sign data types: `oxygen-saturation` and `daily-oxygen-saturation`.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"
import { CalendarDate, num, SampleTime } from "./Values.js"

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
