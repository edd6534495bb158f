/**
 * Generated sleep: the night ending on each date, with its stage segments and summary.
 *
 * @since 0.1.0
 */
import { localDateTime } from "./Dates.js"
import { between, hash, rng } from "./Random.js"

/**
 * A sleep stage level.
 *
 * @since 0.1.0
 * @category generators
 */
export type SleepLevel = "deep" | "light" | "rem" | "wake"

/**
 * One run of a sleep stage.
 *
 * @since 0.1.0
 * @category generators
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
 * @category generators
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
 * @category generators
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

