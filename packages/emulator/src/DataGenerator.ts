/**
 * Deterministic health data: the same `(seed, userId, date)` always yields the same numbers.
 * Plain functions, shared by every API the emulator serves (Fitbit Web API, Google Health) so
 * that both answer with the same steps, sleep, heart rate and weight for a user and a day.
 * One namespace over the family modules under `data/` (random, dates, activity, heart, sleep,
 * body, vitals, nutrition).
 *
 * Dates are `yyyy-MM-dd` strings in the user's own time zone; times are `HH:mm:ss` local.
 *
 * @since 0.1.0
 */

export * from "./data/Activity.js"
export * from "./data/Body.js"
export * from "./data/Dates.js"
export * from "./data/Heart.js"
export * from "./data/Nutrition.js"
export * from "./data/Random.js"
export * from "./data/Sleep.js"
export * from "./data/Vitals.js"
