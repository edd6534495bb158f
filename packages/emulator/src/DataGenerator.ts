/**
 * Deterministic health data: the same `(seed, userId, date)` always yields the same numbers.
 * Plain functions, shared by every API the emulator serves (Fitbit Web API, Google Health) so
 * that both answer with the same steps, sleep, heart rate and weight for a user and a day.
 *
 * Dates are `yyyy-MM-dd` strings in the user's own time zone; times are `HH:mm:ss` local.
 *
 * @since 0.1.0
 */

/**
 * FNV-1a hash of a string, as an unsigned 32-bit integer.
 *
 * @since 0.1.0
 * @category random
 */
export const hash = (text: string): number => {
  let h = 0x811c9dc5
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i)
    h = Math.imul(h, 0x01000193)
  }
  return h >>> 0
}

/**
 * A seeded pseudo-random generator (mulberry32) over `[0, 1)`, keyed by any number of parts.
 *
 * @since 0.1.0
 * @category random
 */
export const rng = (...parts: ReadonlyArray<string | number>): () => number => {
  let a = hash(parts.join("|"))
  return () => {
    a = (a + 0x6d2b79f5) | 0
    let t = Math.imul(a ^ (a >>> 15), 1 | a)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const between = (next: () => number, min: number, max: number): number => min + Math.floor(next() * (max - min + 1))
const round = (value: number, digits: number): number => Math.round(value * 10 ** digits) / 10 ** digits

// ---------------------------------------------------------------------------------------------
// dates

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/

/**
 * Whether a string is a real calendar date `yyyy-MM-dd`.
 *
 * @since 0.1.0
 * @category dates
 */
export const isDate = (date: string): boolean => {
  const m = DATE.exec(date)
  if (m === null) return false
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])))
  return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3])
}

/**
 * Days since 1970-01-01 of a `yyyy-MM-dd` date.
 *
 * @since 0.1.0
 * @category dates
 */
export const dayNumber = (date: string): number => Math.floor(Date.parse(`${date}T00:00:00Z`) / 86_400_000)

/**
 * The `yyyy-MM-dd` date of a day number.
 *
 * @since 0.1.0
 * @category dates
 */
export const fromDayNumber = (day: number): string => new Date(day * 86_400_000).toISOString().slice(0, 10)

/**
 * Adds days to a date.
 *
 * @since 0.1.0
 * @category dates
 */
export const addDays = (date: string, days: number): string => fromDayNumber(dayNumber(date) + days)

/**
 * The local date at an instant for a UTC offset.
 *
 * @since 0.1.0
 * @category dates
 */
export const localDate = (epochMillis: number, offsetMillis: number): string =>
  new Date(epochMillis + offsetMillis).toISOString().slice(0, 10)

/**
 * The dates from `start` to `end` inclusive.
 *
 * @since 0.1.0
 * @category dates
 */
export const datesBetween = (start: string, end: string): Array<string> => {
  const out: Array<string> = []
  for (let d = dayNumber(start); d <= dayNumber(end); d++) out.push(fromDayNumber(d))
  return out
}

const pad = (n: number): string => String(n).padStart(2, "0")

/**
 * `HH:mm:ss` of a minute-of-day (may exceed a day; wraps).
 *
 * @since 0.1.0
 * @category dates
 */
export const clockTime = (minuteOfDay: number, seconds = 0): string => {
  const m = ((minuteOfDay % 1440) + 1440) % 1440
  return `${pad(Math.floor(m / 60))}:${pad(m % 60)}:${pad(seconds)}`
}

/**
 * A local date-time `yyyy-MM-ddTHH:mm:ss.000` from a date and minutes after its midnight
 * (negative minutes fall on the day before).
 *
 * @since 0.1.0
 * @category dates
 */
export const localDateTime = (date: string, minutes: number): string => {
  const day = dayNumber(date) + Math.floor(minutes / 1440)
  return `${fromDayNumber(day)}T${clockTime(minutes)}.000`
}

// ---------------------------------------------------------------------------------------------
// activity

/**
 * One day's activity totals.
 *
 * @since 0.1.0
 * @category activity
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
 * @category activity
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
 * @category activity
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
 * @category activity
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
 * @category activity
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
 * @category activity
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

// ---------------------------------------------------------------------------------------------
// heart rate

/**
 * Resting heart rate of a date (bpm).
 *
 * @since 0.1.0
 * @category heart rate
 */
export const restingHeartRate = (seed: string, userId: string, date: string): number => {
  const base = 55 + (hash(`${seed}|${userId}|rhr`) % 12)
  return base + between(rng(seed, userId, date, "rhr"), -3, 3)
}

/**
 * A heart-rate zone of a day.
 *
 * @since 0.1.0
 * @category heart rate
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
 * @category heart rate
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
 * @category heart rate
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

// ---------------------------------------------------------------------------------------------
// sleep

/**
 * A sleep stage level.
 *
 * @since 0.1.0
 * @category sleep
 */
export type SleepLevel = "deep" | "light" | "rem" | "wake"

/**
 * One run of a sleep stage.
 *
 * @since 0.1.0
 * @category sleep
 */
export interface SleepSegment {
  /** Local `yyyy-MM-ddTHH:mm:ss.000`. */
  readonly dateTime: string
  readonly level: SleepLevel
  readonly seconds: number
}

/**
 * The main sleep that ends on the morning of a date (`dateOfSleep`).
 *
 * @since 0.1.0
 * @category sleep
 */
export interface SleepSession {
  readonly logId: number
  readonly dateOfSleep: string
  /** Minutes after midnight of `dateOfSleep` (negative: the evening before). */
  readonly startMinute: number
  readonly startTime: string
  readonly endTime: string
  readonly durationMillis: number
  readonly efficiency: number
  readonly minutesAsleep: number
  readonly minutesAwake: number
  readonly timeInBed: number
  readonly segments: ReadonlyArray<SleepSegment>
  readonly summary: Readonly<Record<SleepLevel, { readonly count: number; readonly minutes: number }>>
}

/**
 * The night's main sleep ending on a date: in bed between 22:00 and 00:30, six to nine hours,
 * in 10-to-40-minute stages.
 *
 * @since 0.1.0
 * @category sleep
 */
export const sleep = (seed: string, userId: string, date: string): SleepSession => {
  const next = rng(seed, userId, date, "sleep")
  const startMinute = between(next, -120, 30)
  const timeInBed = between(next, 360, 540)
  const segments: Array<SleepSegment> = []
  const summary = {
    deep: { count: 0, minutes: 0 },
    light: { count: 0, minutes: 0 },
    rem: { count: 0, minutes: 0 },
    wake: { count: 0, minutes: 0 }
  }
  let t = 0
  let level: SleepLevel = "wake"
  while (t < timeInBed) {
    const r = next()
    level = level === "wake"
      ? "light"
      : r < 0.18 ? "wake" : r < 0.42 ? "deep" : r < 0.65 ? "rem" : "light"
    const length = Math.min(timeInBed - t, level === "wake" ? between(next, 2, 12) : between(next, 10, 40))
    segments.push({ dateTime: localDateTime(date, startMinute + t), level, seconds: length * 60 })
    summary[level].count += 1
    summary[level].minutes += length
    t += length
  }
  const minutesAwake = summary.wake.minutes
  const minutesAsleep = timeInBed - minutesAwake
  return {
    logId: 30_000_000_000 + (hash(`${seed}|${userId}|${date}|sleep`) % 900_000_000),
    dateOfSleep: date,
    startMinute,
    startTime: localDateTime(date, startMinute),
    endTime: localDateTime(date, startMinute + timeInBed),
    durationMillis: timeInBed * 60_000,
    efficiency: Math.round((minutesAsleep / timeInBed) * 100),
    minutesAsleep,
    minutesAwake,
    timeInBed,
    segments,
    summary
  }
}

// ---------------------------------------------------------------------------------------------
// body

/**
 * One weight measurement.
 *
 * @since 0.1.0
 * @category body
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
 * @category body
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
