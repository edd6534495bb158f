/**
 * What every generator of the emulator's Google data gets: the seed, the user and one civil
 * date, with that date's local midnight and the user's ids; and the shape of a generator.
 *
 * @since 0.1.0
 */
import type * as Registry from "../../Registry.js"
import type { Point } from "../GoogleData.js"

/**
 * One user's civil date to generate points for.
 *
 * @since 0.1.0
 * @category models
 */
export interface Day {
  readonly seed: string
  readonly user: Registry.User
  /** `YYYY-MM-DD` in the user's time zone. */
  readonly date: string
  /** Epoch milliseconds of the date's local midnight. */
  readonly midnight: number
  /** The user's UTC offset in milliseconds. */
  readonly offset: number
  readonly healthUserId: string
}

/**
 * The generated points of one data type on one day.
 *
 * @since 0.1.0
 * @category models
 */
export type Generator = (day: Day) => Array<Point>

/**
 * The resource name of an identifiable point.
 *
 * @since 0.1.0
 * @category utils
 */
export const pointName = (day: Day, dataType: string, id: string): string =>
  `users/${day.healthUserId}/dataTypes/${dataType}/dataPoints/${id}`
