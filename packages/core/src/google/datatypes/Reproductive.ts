/**
 * Reproductive health data types: `menstrual-period` and `ovulation-test`.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"
import { SampleTime, str, TimeInterval } from "./Values.js"

/**
 * `menstrual-period`: one period, as an interval, with the user's notes.
 *
 * @since 0.1.0
 * @category data types
 */
export const MenstrualPeriod = Schema.Struct({ interval: TimeInterval, notes: str })

/**
 * `ovulation-test`: one ovulation test result (`POSITIVE`, `NEGATIVE`, …).
 *
 * @since 0.1.0
 * @category data types
 */
export const OvulationTest = Schema.Struct({ result: str, sampleTime: SampleTime })
