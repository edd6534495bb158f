/**
 * Cardio fitness data types: `vo2-max` (a measured or estimated VO2 max), `daily-vo2-max` (the
 * day's cardio fitness score and level) and `run-vo2-max` (VO2 max estimated from a run).
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"
import { CalendarDate, num, optBool, optNum, SampleTime, str } from "./Values.js"

/**
 * `vo2-max`: one VO2 max value in mL/kg/min and how it was obtained.
 *
 * @since 0.1.0
 * @category data types
 */
export const VO2Max = Schema.Struct({ vo2Max: num, measurementMethod: str, sampleTime: SampleTime })

/**
 * `daily-vo2-max`: the day's cardio fitness score, its level (`POOR` … `EXCELLENT`) and spread.
 *
 * @since 0.1.0
 * @category data types
 */
export const DailyVO2Max = Schema.Struct({
  date: CalendarDate,
  vo2Max: num,
  vo2MaxCovariance: optNum,
  cardioFitnessLevel: str,
  estimated: optBool
})

/**
 * `run-vo2-max`: VO2 max estimated from a run.
 *
 * @since 0.1.0
 * @category data types
 */
export const RunVO2Max = Schema.Struct({ runVo2Max: num, sampleTime: SampleTime })
