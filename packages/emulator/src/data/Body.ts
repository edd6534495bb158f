/**
 * Generated body measurements: weigh-ins (weight, BMI, body fat) on some days.
 *
 * @since 0.1.0
 */
import { clockTime, dayNumber } from "./Dates.js"
import { between, hash, rng, round } from "./Random.js"

/**
 * One weight measurement.
 *
 * @since 0.1.0
 * @category requests
 */
export interface WeightEntry {
  readonly logId: number
  readonly date: string
  readonly time: string
  readonly weightKg: number
  readonly bmi: number
  readonly fatPercent: number
}

/**
 * The morning weigh-in of a date, drifting slowly around the user's base weight; `undefined`
 * on the days the user did not step on the scale (about one in four).
 *
 * @since 0.1.0
 * @category requests
 */
export const weight = (
  seed: string,
  userId: string,
  date: string,
  user: { readonly weightKg: number; readonly heightCm: number }
): WeightEntry | undefined => {
  const next = rng(seed, userId, date, "weight")
  if (next() < 0.25) return undefined
  const drift = Math.sin(dayNumber(date) / 30) * 1.5
  const kg = round(user.weightKg + drift + (next() - 0.5) * 0.8, 1)
  const meters = user.heightCm / 100
  return {
    logId: 20_000_000_000 + (hash(`${seed}|${userId}|${date}|weight`) % 900_000_000),
    date,
    time: clockTime(between(next, 6 * 60, 8 * 60), between(next, 0, 59)),
    weightKg: kg,
    bmi: round(kg / (meters * meters), 2),
    fatPercent: round(18 + (hash(`${seed}|${userId}|fat`) % 80) / 10 + (next() - 0.5), 2)
  }
}

