/**
 * Generated activity: daily totals (steps, distance, floors, calories, active minutes), steps
 * per minute, and the day's workouts.
 *
 * @since 0.1.0
 */
import { localDateTime } from "./Dates.js"
import { between, hash, rng, round } from "./Random.js"
import { sleep } from "./Sleep.js"
import { restingHeartRate } from "./Vitals.js"

/**
 * One day's activity totals.
 *
 * @since 0.1.0
 * @category generators
 */
export interface DailyActivity {
  readonly date: string
  readonly steps: number
  /** Kilometres. */
  readonly distanceKm: number
  readonly floors: number
  /** Metres. */
  readonly elevation: number
  readonly caloriesOut: number
  readonly caloriesBMR: number
  readonly activityCalories: number
  readonly sedentaryMinutes: number
  readonly lightlyActiveMinutes: number
  readonly fairlyActiveMinutes: number
  readonly veryActiveMinutes: number
  readonly restingHeartRate: number
}

/**
 * Steps walked on a date: 2,000 to about 16,000, busier on weekdays.
 *
 * @since 0.1.0
 * @category generators
 */
export const steps = (seed: string, userId: string, date: string): number => {
  const next = rng(seed, userId, date, "steps")
  const weekday = new Date(`${date}T00:00:00Z`).getUTCDay()
  const base = weekday === 0 || weekday === 6 ? 6500 : 9000
  return Math.max(2000, Math.round(base + (next() - 0.5) * 9000 + (next() - 0.5) * 3000))
}

/**
 * The whole activity summary of a date, consistent with {@link steps}.
 *
 * @since 0.1.0
 * @category generators
 */
export const dailyActivity = (seed: string, userId: string, date: string): DailyActivity => {
  const next = rng(seed, userId, date, "activity")
  const s = steps(seed, userId, date)
  const veryActiveMinutes = Math.round(s / 1000 * between(next, 1, 4))
  const fairlyActiveMinutes = Math.round(s / 1000 * between(next, 1, 3))
  const lightlyActiveMinutes = Math.round(120 + s / 60 + between(next, 0, 60))
  const sleepMinutes = sleep(seed, userId, date).minutesAsleep
  const sedentaryMinutes = Math.max(0, 1440 - veryActiveMinutes - fairlyActiveMinutes - lightlyActiveMinutes - sleepMinutes)
  const caloriesBMR = 1500 + (hash(`${seed}|${userId}|bmr`) % 400)
  const activityCalories = Math.round(veryActiveMinutes * 10 + fairlyActiveMinutes * 6 + lightlyActiveMinutes * 3)
  const floors = between(next, 2, 25)
  return {
    date,
    steps: s,
    distanceKm: round(s * 0.000762, 2),
    floors,
    elevation: round(floors * 3.048, 2),
    caloriesOut: caloriesBMR + activityCalories,
    caloriesBMR,
    activityCalories,
    sedentaryMinutes,
    lightlyActiveMinutes,
    fairlyActiveMinutes,
    veryActiveMinutes,
    restingHeartRate: restingHeartRate(seed, userId, date)
  }
}

/**
 * Steps per minute of a date (1,440 values) summing to {@link steps}.
 *
 * @since 0.1.0
 * @category generators
 */
export const stepsByMinute = (seed: string, userId: string, date: string): Array<number> => {
  const next = rng(seed, userId, date, "steps-intraday")
  const total = steps(seed, userId, date)
  const weights = Array.from({ length: 1440 }, (_, minute) => {
    const awake = minute >= 7 * 60 && minute < 22 * 60
    return awake ? (next() < 0.35 ? next() * next() * 10 : 0) : 0
  })
  const sum = weights.reduce((a, b) => a + b, 0) || 1
  const out = weights.map((w) => Math.floor((w / sum) * total))
  let rest = total - out.reduce((a, b) => a + b, 0)
  for (let i = 8 * 60; rest > 0; i = i + 7 >= 22 * 60 ? 8 * 60 : i + 7) {
    out[i]! += 1
    rest--
  }
  return out
}

/**
 * A workout logged automatically on a date (0, 1 or 2 of them).
 *
 * @since 0.1.0
 * @category generators
 */
export interface Workout {
  readonly logId: number
  readonly activityName: string
  readonly activityTypeId: number
  /** Local start, `yyyy-MM-ddTHH:mm:ss.000`. */
  readonly startTime: string
  readonly durationMillis: number
  readonly calories: number
  readonly steps: number
  readonly distanceKm: number
  readonly averageHeartRate: number
}

const WORKOUTS = [
  { name: "Walk", typeId: 90013, kmPerMinute: 0.09, stepsPerMinute: 110, calPerMinute: 5 },
  { name: "Run", typeId: 90009, kmPerMinute: 0.17, stepsPerMinute: 165, calPerMinute: 11 },
  { name: "Bike", typeId: 90001, kmPerMinute: 0.35, stepsPerMinute: 0, calPerMinute: 8 }
] as const

/**
 * The workouts of a date.
 *
 * @since 0.1.0
 * @category generators
 */
export const workouts = (seed: string, userId: string, date: string): Array<Workout> => {
  const next = rng(seed, userId, date, "workouts")
  const count = next() < 0.35 ? 0 : next() < 0.75 ? 1 : 2
  return Array.from({ length: count }, (_, i) => {
    const kind = WORKOUTS[between(next, 0, WORKOUTS.length - 1)]!
    const minutes = between(next, 20, 70)
    const start = i === 0 ? between(next, 6 * 60, 9 * 60) : between(next, 17 * 60, 19 * 60)
    return {
      logId: 40_000_000_000 + (hash(`${seed}|${userId}|${date}|w${i}`) % 900_000_000),
      activityName: kind.name,
      activityTypeId: kind.typeId,
      startTime: localDateTime(date, start),
      durationMillis: minutes * 60_000,
      calories: minutes * kind.calPerMinute,
      steps: minutes * kind.stepsPerMinute,
      distanceKm: round(minutes * kind.kmPerMinute, 2),
      averageHeartRate: between(next, 100, 150)
    }
  })
}

