/**
 * What the migration bridge reads, in the same shapes whichever backend answered (profile,
 * daily steps, sleep sessions, daily resting heart rate), the reads one backend offers
 * ({@link BackendReader}), and the date helpers both backends' readers share.
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import * as Errors from "../Errors.js"
import type * as Session from "../Session.js"
import { addDays, parseDate } from "../internal/civilTime.js"

/**
 * Which API serves a user.
 *
 * @since 0.1.0
 * @category models
 */
export type Backend = "fitbit" | "google-health"

/**
 * A user's profile, whichever backend answered.
 *
 * @since 0.1.0
 * @category models
 */
export interface UserProfile {
  readonly backend: Backend
  /** The backend's own user id: the Fitbit encoded id, or Google's health user id. */
  readonly userId: string
  /** The legacy Fitbit user id (Google names it in `users/me/identity`). */
  readonly legacyFitbitUserId?: string | undefined
  readonly displayName?: string | undefined
  readonly age?: number | undefined
  /** `YYYY-MM-DD`. */
  readonly memberSince?: string | undefined
  /** IANA time zone. */
  readonly timeZone?: string | undefined
}

/**
 * One day's step total.
 *
 * @since 0.1.0
 * @category models
 */
export interface DailySteps {
  /** `YYYY-MM-DD` in the user's time zone. */
  readonly date: string
  readonly steps: number
}

/**
 * One sleep session.
 *
 * @since 0.1.0
 * @category models
 */
export interface SleepSession {
  /** The date the sleep ended (Fitbit's `dateOfSleep`), `YYYY-MM-DD`. */
  readonly date: string
  /** Local start and end, `YYYY-MM-DDTHH:mm:ss`. */
  readonly start: string
  readonly end: string
  /** Time in bed. */
  readonly durationMillis: number
  readonly minutesAsleep?: number | undefined
  readonly minutesAwake?: number | undefined
  readonly isMainSleep?: boolean | undefined
}

/**
 * One day's resting heart rate (absent when the day has none).
 *
 * @since 0.1.0
 * @category models
 */
export interface HeartRateDay {
  readonly date: string
  readonly restingHeartRate?: number | undefined
}

/**
 * A range of days, both ends included, `YYYY-MM-DD`.
 *
 * @since 0.1.0
 * @category models
 */
export interface DateRange {
  readonly startDate: string
  readonly endDate: string
}

/**
 * What a bridge read can fail with.
 *
 * @since 0.1.0
 * @category models
 */
export type BridgeFailure = Errors.RequestFailure | Session.SessionFailure

/**
 * The reads one backend offers for a user key.
 *
 * @since 0.1.0
 * @category models
 */
export interface BackendReader {
  readonly backend: Backend
  readonly profile: (user: string) => Effect.Effect<UserProfile, BridgeFailure>
  readonly dailySteps: (user: string, range: DateRange) => Effect.Effect<ReadonlyArray<DailySteps>, BridgeFailure>
  readonly sleepSessions: (user: string, range: DateRange) => Effect.Effect<ReadonlyArray<SleepSession>, BridgeFailure>
  readonly heartRate: (user: string, range: DateRange) => Effect.Effect<ReadonlyArray<HeartRateDay>, BridgeFailure>
}

// ---------------------------------------------------------------------------------------------
// dates

/**
 * The dates of a range, both ends included; `InvalidInput` for a malformed or reversed range or one over 1100 days.
 *
 * @since 0.1.0
 * @category dates
 */
export const validateRange = (range: DateRange): Effect.Effect<Array<string>, Errors.InvalidInput> => {
  const start = typeof range?.startDate === "string" ? parseDate(range.startDate) : undefined
  const end = typeof range?.endDate === "string" ? parseDate(range.endDate) : undefined
  if (start === undefined) return Effect.fail(new Errors.InvalidInput({ field: "startDate", reason: "must be a date YYYY-MM-DD" }))
  if (end === undefined) return Effect.fail(new Errors.InvalidInput({ field: "endDate", reason: "must be a date YYYY-MM-DD" }))
  if (range.startDate > range.endDate) {
    return Effect.fail(new Errors.InvalidInput({ field: "startDate", reason: "must not be after endDate" }))
  }
  const dates: Array<string> = []
  for (let d = range.startDate; d <= range.endDate; d = addDays(d, 1)) {
    dates.push(d)
    if (dates.length > 1100) {
      return Effect.fail(new Errors.InvalidInput({ field: "endDate", reason: "the range may span at most 1100 days" }))
    }
  }
  return Effect.succeed(dates)
}

/**
 * One entry per date of the range: the one found, else `empty(date)`.
 *
 * @since 0.1.0
 * @category dates
 */
export const everyDate = <A extends { readonly date: string }>(dates: ReadonlyArray<string>, found: ReadonlyArray<A>, empty: (date: string) => A) => {
  const byDate = new Map(found.map((a) => [a.date, a]))
  return dates.map((date) => byDate.get(date) ?? empty(date))
}
