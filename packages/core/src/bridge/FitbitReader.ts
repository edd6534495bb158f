/**
 * The bridge's reader of the legacy Fitbit Web API: profile, the steps time series, sleep
 * by date range and the heart-rate series, over `FitbitSession` (tokens) and `FitbitHttp`; its
 * data reads serve the Google Health reader too, over the Google→Fitbit translation.
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import type * as Redacted from "effect/Redacted"
import * as Errors from "../Errors.js"
import * as FitbitHttp from "../fitbit/FitbitHttp.js"
import * as Activities from "../fitbit/resources/Activities.js"
import * as HeartRate from "../fitbit/resources/HeartRate.js"
import * as Profile from "../fitbit/resources/Profile.js"
import * as Sleep from "../fitbit/resources/Sleep.js"
import * as FitbitSession from "../fitbit/FitbitSession.js"
import { type BackendReader, type BridgeFailure, everyDate, type SleepSession, validateRange } from "./Reader.js"

/**
 * How a reader reaches `FitbitHttp` with a user's token: a session's token and the data-API
 * service the calls go to (Fitbit's own, or the translation to Google Health).
 *
 * @since 0.1.0
 * @category models
 */
export type WithToken = <A>(
  user: string,
  f: (token: string | Redacted.Redacted<string>) => Effect.Effect<A, Errors.RequestFailure, FitbitHttp.FitbitHttp>
) => Effect.Effect<A, BridgeFailure>

/**
 * The bridge's data reads (steps, sleep, resting heart rate) as Fitbit Web API calls: what both
 * backends answer, Fitbit natively and Google Health through the one Google→Fitbit translation
 * (`LegacyFitbit.LegacyOnGoogle`).
 *
 * @since 0.1.0
 * @category constructors
 */
export const dataReads = (withToken: WithToken): Pick<BackendReader, "dailySteps" | "sleepSessions" | "heartRate"> => ({
  dailySteps: (user, range) =>
    Effect.gen(function*() {
      const dates = yield* validateRange(range)
      const points = yield* withToken(user, (token) =>
        Activities.timeSeries(token, { resource: "steps", startDate: range.startDate, endDate: range.endDate }))
      return everyDate(dates, points.map((p) => ({ date: p.dateTime, steps: p.value })), (date) => ({ date, steps: 0 }))
    }),
  sleepSessions: (user, range) =>
    Effect.gen(function*() {
      yield* validateRange(range)
      const answer = yield* withToken(user, (token) => Sleep.byDateRange(token, range))
      return answer.sleep
        .map((s): SleepSession => ({
          date: s.dateOfSleep,
          start: s.startTime.slice(0, 19),
          end: s.endTime.slice(0, 19),
          durationMillis: s.duration,
          minutesAsleep: s.minutesAsleep,
          minutesAwake: s.minutesAwake,
          isMainSleep: s.isMainSleep
        }))
        .sort((a, b) => a.start.localeCompare(b.start))
    }),
  heartRate: (user, range) =>
    Effect.gen(function*() {
      const dates = yield* validateRange(range)
      const days = yield* withToken(user, (token) => HeartRate.timeSeries(token, range))
      return everyDate(
        dates,
        days.map((d) => ({ date: d.dateTime, restingHeartRate: d.value.restingHeartRate })),
        (date) => ({ date, restingHeartRate: undefined })
      )
    })
})

/**
 * The legacy Fitbit Web API backend, over `FitbitSession` (tokens) and `FitbitHttp`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const fitbitReader: Effect.Effect<BackendReader, never, FitbitSession.FitbitSession | FitbitHttp.FitbitHttp> = Effect
  .gen(function*() {
    const sessions = yield* FitbitSession.FitbitSession
    const http = yield* FitbitHttp.FitbitHttp
    const withToken: WithToken = (user, f) =>
      sessions.session.withAccessToken(user, (token) => Effect.provideService(f(token), FitbitHttp.FitbitHttp, http))
    return {
      backend: "fitbit",
      profile: (user) =>
        Effect.map(withToken(user, (token) => Profile.get(token)), ({ user: u }) => ({
          backend: "fitbit" as const,
          userId: u.encodedId,
          legacyFitbitUserId: u.encodedId,
          displayName: u.displayName,
          age: u.age,
          memberSince: u.memberSince,
          timeZone: u.timezone
        })),
      ...dataReads(withToken)
    } satisfies BackendReader
  })
