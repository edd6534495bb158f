/**
 * The bridge's reader of the Google Health API v4: identity, profile and settings, steps by
 * `dailyRollUp` (in 90-day parts), sleep data points by civil end date and daily resting heart
 * rate, over `GoogleHealthSession` (tokens) and `GoogleHealthHttp`.
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import type * as Redacted from "effect/Redacted"
import * as Stream from "effect/Stream"
import * as Errors from "../Errors.js"
import * as DataTypes from "../google/GoogleDataTypes.js"
import * as GoogleHealthHttp from "../google/GoogleHealthHttp.js"
import * as DataPoints from "../google/resources/GoogleDataPoints.js"
import * as Users from "../google/resources/GoogleUsers.js"
import * as GoogleHealthSession from "../google/GoogleHealthSession.js"
import { type BackendReader, type DailySteps, everyDate, type HeartRateDay, localOf, type SleepSession, validateRange } from "./Reader.js"
import { addDays } from "../internal/civilTime.js"


/**
 * The Google Health API v4 backend, over `GoogleHealthSession` (tokens) and `GoogleHealthHttp`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const googleHealthReader: Effect.Effect<
  BackendReader,
  never,
  GoogleHealthSession.GoogleHealthSession | GoogleHealthHttp.GoogleHealthHttp
> = Effect.gen(function*() {
  const sessions = yield* GoogleHealthSession.GoogleHealthSession
  const http = yield* GoogleHealthHttp.GoogleHealthHttp
  const withToken = <A>(
    user: string,
    f: (token: Redacted.Redacted<string>) => Effect.Effect<A, Errors.RequestFailure, GoogleHealthHttp.GoogleHealthHttp>
  ) => sessions.withAccessToken(user, (token) => Effect.provideService(f(token), GoogleHealthHttp.GoogleHealthHttp, http))
  return {
    backend: "google-health",
    profile: (user) =>
      withToken(user, (token) =>
        Effect.gen(function*() {
          const identity = yield* Users.getIdentity(token)
          const profile = yield* Users.getProfile(token)
          // Settings need their own scope; without it the time zone is just unknown.
          const settings = yield* Users.getSettings(token).pipe(
            Effect.map(Option.some),
            Effect.catchTag("InsufficientScope", () => Effect.succeedNone)
          )
          return {
            backend: "google-health" as const,
            userId: identity.healthUserId ?? "",
            legacyFitbitUserId: identity.legacyUserId,
            displayName: undefined,
            age: profile.age,
            memberSince: DataTypes.formatDate(profile.membershipStartDate),
            timeZone: Option.getOrUndefined(Option.flatMapNullable(settings, (s) => s.timeZone))
          }
        })),
    dailySteps: (user, range) =>
      Effect.gen(function*() {
        const dates = yield* validateRange(range)
        const windows = yield* withToken(user, (token) =>
          DataPoints.dailyRollUpByDate(token, "steps", { start: range.startDate, end: range.endDate }))
        const found = [...windows].map(([date, window]): DailySteps => ({ date, steps: window.steps?.countSum ?? 0 }))
        return everyDate(dates, found, (date) => ({ date, steps: 0 }))
      }),
    sleepSessions: (user, range) =>
      Effect.gen(function*() {
        yield* validateRange(range)
        const filter = DataPoints.filters.sleepCivilEnd(range.startDate, addDays(range.endDate, 1))
        const points = yield* withToken(user, (token) => Stream.runCollect(DataPoints.stream(token, "sleep", { filter })))
        return DataTypes.valuesOf("sleep", points)
          .map((s): SleepSession => {
            const end = localOf(s.interval.endTime, s.interval.endUtcOffset, s.interval.civilEndTime)
            return {
              date: end.slice(0, 10),
              start: localOf(s.interval.startTime, s.interval.startUtcOffset, s.interval.civilStartTime),
              end,
              durationMillis: Date.parse(s.interval.endTime) - Date.parse(s.interval.startTime),
              minutesAsleep: s.summary?.minutesAsleep,
              minutesAwake: s.summary?.minutesAwake,
              isMainSleep: s.metadata?.mainSleep
            }
          })
          .sort((a, b) => a.start.localeCompare(b.start))
      }),
    heartRate: (user, range) =>
      Effect.gen(function*() {
        const dates = yield* validateRange(range)
        const filter = DataPoints.filters.dailyDate("daily-resting-heart-rate", range.startDate, addDays(range.endDate, 1))
        const points = yield* withToken(user, (token) =>
          Stream.runCollect(DataPoints.stream(token, "daily-resting-heart-rate", { filter })))
        const found: Array<HeartRateDay> = DataTypes.valuesOf("daily-resting-heart-rate", points).flatMap((d) => {
          const date = DataTypes.formatDate(d.date)
          return date === undefined ? [] : [{ date, restingHeartRate: d.beatsPerMinute }]
        })
        return everyDate(dates, found, (date) => ({ date, restingHeartRate: undefined }))
      })
  } satisfies BackendReader
})
