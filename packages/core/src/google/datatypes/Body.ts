/**
 * Body measurements: `weight`, `body-fat` and `height`.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"
import { count, num, SampleTime, str } from "./Values.js"

/**
 * `weight`: one weight measurement, in grams.
 *
 * @since 0.1.0
 * @category data types
 */
export const Weight = Schema.Struct({ weightGrams: num, sampleTime: SampleTime, notes: str })

/**
 * `body-fat`: one body-fat measurement, in percent.
 *
 * @since 0.1.0
 * @category data types
 */
export const BodyFat = Schema.Struct({ percentage: num, sampleTime: SampleTime })

/**
 * `height`: one height measurement in millimetres.
 *
 * @since 0.1.0
 * @category data types
 */
export const Height = Schema.Struct({ heightMillimeters: count, sampleTime: SampleTime })
