/**
 * Builders of the AIP-160 time-range filters that `dataPoints.list` and `:reconcile` accept,
 * per kind of data type (interval, sample, daily, session; sleep by its civil end), and `range`,
 * which picks the field Google's rules give a data type.
 *
 * @since 0.1.0
 */
import * as GoogleDataTypeRules from "../GoogleDataTypeRules.js"

const snake = (dataType: string): string => dataType.replace(/-/g, "_")
const quote = (text: string): string => `"${text.replace(/["\\]/g, "")}"`

/**
 * Builders of the AIP-160 filters the `list` and `reconcile` calls accept (closed-open ranges).
 *
 * @since 0.1.0
 * @category endpoints
 */
export const filters = {
  /** Interval types (steps, distance, …) by civil start time: dates `YYYY-MM-DD[THH:mm:ss]`. */
  intervalCivil: (dataType: string, from: string, to: string): string =>
    `${snake(dataType)}.interval.civil_start_time >= ${quote(from)} AND ${snake(dataType)}.interval.civil_start_time < ${
      quote(to)
    }`,
  /** Interval types by physical start time: RFC 3339 timestamps. */
  intervalTime: (dataType: string, from: string, to: string): string =>
    `${snake(dataType)}.interval.start_time >= ${quote(from)} AND ${snake(dataType)}.interval.start_time < ${quote(to)}`,
  /** Sample types (heart-rate, weight, …) by civil time. */
  sampleCivil: (dataType: string, from: string, to: string): string =>
    `${snake(dataType)}.sample_time.civil_time >= ${quote(from)} AND ${snake(dataType)}.sample_time.civil_time < ${
      quote(to)
    }`,
  /** Sample types by physical time. */
  sampleTime: (dataType: string, from: string, to: string): string =>
    `${snake(dataType)}.sample_time.physical_time >= ${quote(from)} AND ${snake(dataType)}.sample_time.physical_time < ${
      quote(to)
    }`,
  /** Daily summary types (daily-resting-heart-rate, …) by date. */
  dailyDate: (dataType: string, from: string, to: string): string =>
    `${snake(dataType)}.date >= ${quote(from)} AND ${snake(dataType)}.date < ${quote(to)}`,
  /** Sleep by civil end time (sleep is filtered by when it ended). */
  sleepCivilEnd: (from: string, to: string): string =>
    `sleep.interval.civil_end_time >= ${quote(from)} AND sleep.interval.civil_end_time < ${quote(to)}`,
  /** Session types other than sleep (exercise) by civil start time. */
  sessionCivil: (dataType: string, from: string, to: string): string =>
    `${snake(dataType)}.interval.civil_start_time >= ${quote(from)} AND ${snake(dataType)}.interval.civil_start_time < ${
      quote(to)
    }`,
  /**
   * Any listed type over the civil dates `[from, to)` (`YYYY-MM-DD`), on the field Google's rules
   * give it (`DataTypeRules`): sleep by its civil end, daily types by date, samples by civil time,
   * intervals and sessions by civil start; `electrocardiogram`, filtered only by `start_time >=`,
   * from `from` at 00:00 UTC. `undefined` for a type Google filters on no field (`food`) or
   * that the rules do not list.
   */
  range: (dataType: string, from: string, to: string): string | undefined => {
    switch (GoogleDataTypeRules.ruleOf(dataType)?.placement) {
      case "sleep":
        return filters.sleepCivilEnd(from, to)
      case "daily":
        return filters.dailyDate(dataType, from, to)
      case "sample":
        return filters.sampleCivil(dataType, from, to)
      case "interval":
      case "session":
      case "rollup":
        return filters.intervalCivil(dataType, from, to)
      case "ecg":
        return `${snake(dataType)}.interval.start_time >= ${quote(`${from}T00:00:00Z`)}`
      default:
        return undefined
    }
  },
  /**
   * Ranges joined with `OR`: points in any of them. Google takes `OR` for sleep only
   * (`anyOf(sleepCivilEnd(a, b), sleepCivilEnd(c, d))`); on another type the call is refused before sending.
   */
  anyOf: (...ranges: ReadonlyArray<string>): string => ranges.join(" OR ")
} as const
