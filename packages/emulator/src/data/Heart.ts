/**
 * Generated heart rate: resting heart rate, time in the heart-rate zones, and samples through
 * the day.
 *
 * @since 0.1.0
 */
import { dailyActivity, stepsByMinute } from "./Activity.js"
import { rng, round } from "./Random.js"
import { restingHeartRate } from "./Vitals.js"

/**
 * A heart-rate zone of a day.
 *
 * @since 0.1.0
 * @category generators
 */
export interface HeartRateZone {
  readonly name: "Out of Range" | "Fat Burn" | "Cardio" | "Peak"
  readonly min: number
  readonly max: number
  readonly minutes: number
  readonly caloriesOut: number
}

/**
 * Minutes spent in each heart-rate zone on a date.
 *
 * @since 0.1.0
 * @category generators
 */
export const heartRateZones = (seed: string, userId: string, date: string): Array<HeartRateZone> => {
  const a = dailyActivity(seed, userId, date)
  const rest = a.restingHeartRate
  const peak = Math.round(a.veryActiveMinutes / 5)
  const cardio = a.veryActiveMinutes - peak
  const fatBurn = a.fairlyActiveMinutes + Math.round(a.lightlyActiveMinutes / 4)
  const out = 1440 - peak - cardio - fatBurn
  return [
    { name: "Out of Range", min: 30, max: 98, minutes: out, caloriesOut: round(out * 1.1, 4) },
    { name: "Fat Burn", min: 98, max: 137, minutes: fatBurn, caloriesOut: round(fatBurn * 5.2, 4) },
    { name: "Cardio", min: 137, max: 166, minutes: cardio, caloriesOut: round(cardio * 9.4, 4) },
    { name: "Peak", min: 166, max: 220, minutes: peak, caloriesOut: round(peak * 12.1 + rest * 0, 4) }
  ]
}

/**
 * Heart rate samples of a date: one per `intervalSeconds` (60 for per-minute, 1 for the
 * densest Fitbit detail is rendered every 5 seconds), as `[secondOfDay, bpm]`.
 *
 * @since 0.1.0
 * @category generators
 */
export const heartRateSamples = (
  seed: string,
  userId: string,
  date: string,
  intervalSeconds: number
): Array<readonly [number, number]> => {
  const rest = restingHeartRate(seed, userId, date)
  const next = rng(seed, userId, date, "hr-intraday", intervalSeconds)
  const byMinute = stepsByMinute(seed, userId, date)
  const out: Array<readonly [number, number]> = []
  for (let s = 0; s < 86_400; s += intervalSeconds) {
    const minute = Math.floor(s / 60)
    const effort = Math.min(60, byMinute[minute]! / 2)
    out.push([s, Math.round(rest + 3 + effort + (next() - 0.5) * 6)])
  }
  return out
}

