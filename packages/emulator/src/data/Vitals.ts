/**
 * Generated vital signs: the resting heart rate of each date, the night's breathing rate and
 * skin temperature, cardio fitness (VO2 max), core body temperature and blood glucose.
 *
 * @since 0.1.0
 */
import { between, hash, rng, round } from "./Random.js"

/**
 * Resting heart rate of a date (bpm).
 *
 * @since 0.1.0
 * @category generators
 */
export const restingHeartRate = (seed: string, userId: string, date: string): number => {
  const base = 55 + (hash(`${seed}|${userId}|rhr`) % 12)
  return base + between(rng(seed, userId, date, "rhr"), -3, 3)
}


/**
 * The night's breathing rate (breaths per minute) of the sleep ending on a date, overall and by
 * sleep stage (deep breathes slowest, REM fastest).
 *
 * @since 0.1.0
 * @category generators
 */
export const breathingRate = (seed: string, userId: string, date: string) => {
  const next = rng(seed, userId, date, "breathing")
  const full = round(13 + (hash(`${seed}|${userId}|br`) % 30) / 10 + (next() - 0.5), 1)
  return { full, deep: round(full - 1.2, 1), light: round(full - 0.3, 1), rem: round(full + 0.8, 1) }
}

/**
 * The night's skin temperature against the user's 30-day baseline (°C), of the sleep ending on a date.
 *
 * @since 0.1.0
 * @category generators
 */
export const skinTemperature = (seed: string, userId: string, date: string) => {
  const baseline = round(33.5 + (hash(`${seed}|${userId}|skin`) % 10) / 10, 2)
  const relative = round((rng(seed, userId, date, "skin")() - 0.5) * 1.2, 2)
  return { baseline, nightly: round(baseline + relative, 2), relative, stddev: 0.3 }
}

/**
 * The day's cardio fitness (VO2 max, mL/kg/min) estimated from the resting heart rate
 * (Uth–Sørensen, maximum heart rate 208 − 0.7 × age), with Fitbit's level names.
 *
 * @since 0.1.0
 * @category generators
 */
export const vo2Max = (seed: string, userId: string, date: string, age: number) => {
  const value = round(15.3 * (208 - 0.7 * age) / restingHeartRate(seed, userId, date), 1)
  const level = value < 35 ? "POOR" : value < 40 ? "FAIR" : value < 45 ? "AVERAGE" : value < 50 ? "GOOD" : value < 55 ? "VERY_GOOD" : "EXCELLENT"
  return { value, low: round(value - 2, 1), high: round(value + 2, 1), level }
}

/**
 * The day's core body temperature reading (°C) and its local time in minutes after midnight.
 *
 * @since 0.1.0
 * @category generators
 */
export const coreTemperature = (seed: string, userId: string, date: string) => {
  const next = rng(seed, userId, date, "core-temp")
  return { celsius: round(36.4 + next() * 0.6, 1), minute: between(next, 7 * 60, 9 * 60) }
}

/**
 * The day's blood glucose readings (mg/dL): fasting in the morning, after lunch.
 *
 * @since 0.1.0
 * @category generators
 */
export const glucose = (seed: string, userId: string, date: string) => {
  const next = rng(seed, userId, date, "glucose")
  return [
    { minute: between(next, 6 * 60 + 30, 7 * 60 + 30), mgPerDl: between(next, 80, 99), timing: "FASTING", meal: "BREAKFAST" },
    { minute: between(next, 13 * 60 + 30, 14 * 60 + 30), mgPerDl: between(next, 110, 139), timing: "AFTER_MEAL", meal: "LUNCH" }
  ]
}

/**
 * The night's blood oxygen (SpO2 %, of the sleep ending on a date): average, low and high.
 *
 * @since 0.1.0
 * @category generators
 */
export const spo2 = (seed: string, userId: string, date: string) => {
  const next = rng(seed, userId, date, "spo2")
  const avg = Math.round((94 + next() * 4) * 10) / 10
  return { avg, min: Math.round((avg - 2) * 10) / 10, max: Math.min(100, Math.round((avg + 2) * 10) / 10), next }
}

/**
 * The night's heart-rate variability (of the sleep ending on a date): RMSSD over the night and
 * in deep sleep (ms), and its entropy.
 *
 * @since 0.1.0
 * @category generators
 */
export const hrv = (seed: string, userId: string, date: string) => {
  const next = rng(seed, userId, date, "hrv")
  const dailyRmssd = Math.round((25 + next() * 50) * 10) / 10
  const entropy = Math.round((2 + next()) * 100) / 100
  const deepRmssd = Math.round((30 + next() * 50) * 10) / 10
  return { dailyRmssd, deepRmssd, entropy }
}

/**
 * Splits a day's total over its intervals in proportion to their weights, so the parts
 * (rounded to `digits`) add up to the total exactly: cumulative rounding.
 *
 * @since 0.1.0
 * @category generators
 */
export const spread = (total: number, weights: ReadonlyArray<number>, digits = 0): Array<number> => {
  const sum = weights.reduce((a, b) => a + b, 0)
  const scale = 10 ** digits
  let before = 0
  let cumulative = 0
  return weights.map((w) => {
    cumulative += w
    const upTo = sum === 0 ? 0 : Math.round(total * cumulative / sum * scale)
    const part = (upTo - before) / scale
    before = upTo
    return part
  })
}

/**
 * Sums of consecutive runs of `size` values, rounded to `digits` (no floating-point dust).
 *
 * @since 0.1.0
 * @category generators
 */
export const bucketSums = (values: ReadonlyArray<number>, size: number, digits = 0): Array<number> => {
  const scale = 10 ** digits
  const out: Array<number> = []
  for (let i = 0; i < values.length; i += size) {
    out.push(Math.round(values.slice(i, i + size).reduce((a, b) => a + b, 0) * scale) / scale)
  }
  return out
}
