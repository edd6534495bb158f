/**
 * The emulator's generated Google Health data: one generator per data type, gathered from the
 * family modules under `generated/` (activity, heart, sleep, body, vitals, fitness, nutrition,
 * wellbeing), all drawing on the same `DataGenerator` numbers as the Fitbit routes, so both APIs
 * tell the same story; and the catalogue types without a time (`food`, `food-measurement-unit`).
 *
 * @since 0.1.0
 */
import type * as Registry from "../Registry.js"
import * as Activity from "./generated/Activity.js"
import * as Body from "./generated/Body.js"
import type { Generator } from "./generated/Day.js"
import * as Fitness from "./generated/Fitness.js"
import * as Heart from "./generated/Heart.js"
import * as Nutrition from "./generated/Nutrition.js"
import * as Sleep from "./generated/Sleep.js"
import * as Vitals from "./generated/Vitals.js"
import * as Wellbeing from "./generated/Wellbeing.js"
import { healthUserIdOf, type Point } from "./GoogleData.js"
import { physical } from "./Time.js"

const GENERATORS: Readonly<Record<string, Generator>> = {
  ...Activity.generators,
  ...Heart.generators,
  ...Sleep.generators,
  ...Body.generators,
  ...Vitals.generators,
  ...Fitness.generators,
  ...Nutrition.generators,
  ...Wellbeing.generators
}

/**
 * The sleep session ending on a date as a Google `sleep` data point.
 *
 * @since 0.1.0
 * @category data types
 */
export const sleepPoint = Sleep.sleepPoint

/**
 * The generated points of one data type on one civil date (sleep: the night ending that date).
 * Types the emulator does not generate have none.
 *
 * @since 0.1.0
 * @category data types
 */
export const pointsOn = (seed: string, user: Registry.User, dataType: string, date: string): Array<Point> => {
  const generate = GENERATORS[dataType]
  if (generate === undefined) return []
  const offset = user.offsetFromUTCMillis
  return generate({
    seed,
    user,
    date,
    offset,
    midnight: physical(`${date}T00:00:00`, offset),
    healthUserId: healthUserIdOf(user.userId)
  })
}

/**
 * The data types the emulator generates data of.
 *
 * @since 0.1.0
 * @category data types
 */
export const GENERATED: ReadonlyArray<string> = [...Object.keys(GENERATORS), ...Object.keys(Nutrition.catalogues)]

/**
 * The points of a catalogue type (no time: `food`, `food-measurement-unit`), or `undefined` for
 * a type with times.
 *
 * @since 0.1.0
 * @category data types
 */
export const catalogueOf = (user: Registry.User, dataType: string): Array<Point> | undefined =>
  Nutrition.catalogues[dataType]?.(user)

/**
 * Whether a data type is a catalogue type (its points have no time).
 *
 * @since 0.1.0
 * @category data types
 */
export const isCatalogue = (dataType: string): boolean => dataType in Nutrition.catalogues

/**
 * A Fitbit water log as a `hydration-log` point.
 *
 * @since 0.1.0
 * @category data types
 */
export const hydrationOfWater = Nutrition.hydrationOfWater
