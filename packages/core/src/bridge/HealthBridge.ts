/**
 * One read service over both backends, so an app can move its users from the legacy Fitbit
 * Web API to the Google Health API v4 one by one. Each user (by the app's own key) is routed
 * to a backend; the reads (profile, daily steps, sleep sessions, daily resting heart rate)
 * answer the same shapes whichever backend served them. Tokens come from the two sessions
 * (`FitbitSession`, `GoogleHealthSession`), so refreshes stay single-flight per user.
 *
 * Moving a user means the user consents again with Google (Fitbit tokens do not carry over):
 * store the Google grant under the same key, then route the key to `google-health`; the
 * default routing does that by itself once a Google grant exists.
 *
 * @since 0.1.0
 */
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import type * as Redacted from "effect/Redacted"
import * as Stream from "effect/Stream"
import * as Errors from "../Errors.js"
import * as FitbitHttp from "../fitbit/Http.js"
import * as FitbitSession from "../fitbit/Session.js"
import * as DataPoints from "../google/resources/DataPoints.js"
import * as DataTypes from "../google/DataTypes.js"
import * as GoogleHealthHttp from "../google/Http.js"
import * as GoogleHealthSession from "../google/Session.js"
import * as Users from "../google/resources/Users.js"
import * as Activities from "../fitbit/resources/Activities.js"
import * as HeartRate from "../fitbit/resources/HeartRate.js"
import * as Profile from "../fitbit/resources/Profile.js"
import * as Sleep from "../fitbit/resources/Sleep.js"
import type * as Session from "../Session.js"

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

/**
 * The bridge service: the same reads, routed per user.
 *
 * @since 0.1.0
 * @category models
 */
export interface HealthBridgeShape {
  /** The backend a user is routed to now. */
  readonly backendOf: (user: string) => Effect.Effect<Backend, BridgeFailure>
  readonly profile: (user: string) => Effect.Effect<UserProfile, BridgeFailure>
  readonly dailySteps: (user: string, range: DateRange) => Effect.Effect<ReadonlyArray<DailySteps>, BridgeFailure>
  readonly sleepSessions: (user: string, range: DateRange) => Effect.Effect<ReadonlyArray<SleepSession>, BridgeFailure>
  readonly heartRate: (user: string, range: DateRange) => Effect.Effect<ReadonlyArray<HeartRateDay>, BridgeFailure>
}

/**
 * The bridge service.
 *
 * @since 0.1.0
 * @category tags
 */
export class HealthBridge extends Context.Tag("@fitbit-effect/core/HealthBridge")<HealthBridge, HealthBridgeShape>() {}

// ---------------------------------------------------------------------------------------------
// dates

const validateRange = (range: DateRange): Effect.Effect<Array<string>, Errors.InvalidInput> => {
  const start = typeof range?.startDate === "string" ? DataTypes.parseDate(range.startDate) : undefined
  const end = typeof range?.endDate === "string" ? DataTypes.parseDate(range.endDate) : undefined
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

const addDays = (date: string, days: number): string =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10)

const offsetMillis = (offset: string | undefined): number => DataTypes.durationMillis(offset) ?? 0

const civilText = (civil: typeof DataTypes.CivilDateTime.Type | undefined): string | undefined => {
  const date = DataTypes.formatDate(civil?.date)
  if (date === undefined) return undefined
  const t = civil?.time
  const pad = (n: number | undefined) => String(n ?? 0).padStart(2, "0")
  return `${date}T${pad(t?.hours)}:${pad(t?.minutes)}:${pad(t?.seconds)}`
}

/** Local `YYYY-MM-DDTHH:mm:ss` of a Google instant: its civil time when given, else time plus offset. */
const localOf = (time: string, offset: string | undefined, civil: typeof DataTypes.CivilDateTime.Type | undefined): string =>
  civilText(civil) ?? new Date(Date.parse(time) + offsetMillis(offset)).toISOString().slice(0, 19)

const everyDate = <A extends { readonly date: string }>(dates: ReadonlyArray<string>, found: ReadonlyArray<A>, empty: (date: string) => A) => {
  const byDate = new Map(found.map((a) => [a.date, a]))
  return dates.map((date) => byDate.get(date) ?? empty(date))
}

// ---------------------------------------------------------------------------------------------
// backends

/**
 * The legacy Fitbit Web API backend, over `FitbitSession` (tokens) and `FitbitHttp`.
 *
 * @since 0.1.0
 * @category backends
 */
export const fitbitReader: Effect.Effect<BackendReader, never, FitbitSession.FitbitSession | FitbitHttp.FitbitHttp> = Effect
  .gen(function*() {
    const sessions = yield* FitbitSession.FitbitSession
    const http = yield* FitbitHttp.FitbitHttp
    const withToken = <A>(user: string, f: (token: string | Redacted.Redacted<string>) => Effect.Effect<A, Errors.RequestFailure, FitbitHttp.FitbitHttp>) =>
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
    } satisfies BackendReader
  })

const ROLLUP_DAYS = 90

/**
 * The Google Health API v4 backend, over `GoogleHealthSession` (tokens) and `GoogleHealthHttp`.
 *
 * @since 0.1.0
 * @category backends
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
        const found: Array<DailySteps> = []
        for (let i = 0; i < dates.length; i += ROLLUP_DAYS) {
          const start = dates[i]!
          const end = addDays(dates[Math.min(dates.length, i + ROLLUP_DAYS) - 1]!, 1)
          const page = yield* withToken(user, (token) => DataPoints.dailyRollUp(token, "steps", { range: { start, end } }))
          for (const window of page.rollupDataPoints) {
            const date = DataTypes.formatDate(window.civilStartTime?.date)
            if (date !== undefined) found.push({ date, steps: window.steps?.countSum ?? 0 })
          }
        }
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

// ---------------------------------------------------------------------------------------------
// routing

/**
 * Decides a user's backend.
 *
 * @since 0.1.0
 * @category routing
 */
export type Route = (user: string) => Effect.Effect<Backend, BridgeFailure>

/**
 * A routing table the app changes as users move: `assign` a backend to a user; unassigned
 * users get `fallback`.
 *
 * @since 0.1.0
 * @category routing
 */
export interface Directory {
  readonly route: Route
  readonly assign: (user: string, backend: Backend) => Effect.Effect<void>
  readonly assignments: Effect.Effect<ReadonlyMap<string, Backend>>
}

/**
 * Makes a routing table in memory.
 *
 * @since 0.1.0
 * @category routing
 */
export const makeDirectory = (
  initial: Readonly<Record<string, Backend>> = {},
  fallback: Backend = "fitbit"
): Directory => {
  const table = new Map<string, Backend>(Object.entries(initial))
  return {
    route: (user) => Effect.sync(() => table.get(user) ?? fallback),
    assign: (user, backend) => Effect.sync(() => void table.set(user, backend)),
    assignments: Effect.sync(() => new Map(table))
  }
}

/**
 * Options of {@link make}.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  /**
   * How users are routed. Default: `google-health` for a user with an active Google grant in
   * the `GoogleHealthSession` (they have re-consented), `fitbit` otherwise.
   */
  readonly route?: Route | undefined
}

/**
 * Makes the bridge over both backends.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (
  options: Options = {}
): Effect.Effect<
  HealthBridgeShape,
  never,
  FitbitSession.FitbitSession | FitbitHttp.FitbitHttp | GoogleHealthSession.GoogleHealthSession | GoogleHealthHttp.GoogleHealthHttp
> =>
  Effect.gen(function*() {
    const fitbit = yield* fitbitReader
    const google = yield* googleHealthReader
    const googleSessions = yield* GoogleHealthSession.GoogleHealthSession
    const route: Route = options.route ??
      ((user) =>
        Effect.map(
          googleSessions.session.grant(user),
          (grant): Backend => Option.isSome(grant) && grant.value.status === "active" ? "google-health" : "fitbit"
        ))
    const readerOf = (user: string) => Effect.map(route(user), (backend) => (backend === "google-health" ? google : fitbit))
    const span = (name: string, user: string) => Effect.withSpan(`health-bridge.${name}`, { attributes: { "bridge.user": user } })
    return {
      backendOf: route,
      profile: (user) => Effect.flatMap(readerOf(user), (r) => r.profile(user)).pipe(span("profile", user)),
      dailySteps: (user, range) => Effect.flatMap(readerOf(user), (r) => r.dailySteps(user, range)).pipe(span("dailySteps", user)),
      sleepSessions: (user, range) =>
        Effect.flatMap(readerOf(user), (r) => r.sleepSessions(user, range)).pipe(span("sleepSessions", user)),
      heartRate: (user, range) => Effect.flatMap(readerOf(user), (r) => r.heartRate(user, range)).pipe(span("heartRate", user))
    } satisfies HealthBridgeShape
  })

/**
 * The bridge as a layer.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (
  options: Options = {}
): Layer.Layer<
  HealthBridge,
  never,
  FitbitSession.FitbitSession | FitbitHttp.FitbitHttp | GoogleHealthSession.GoogleHealthSession | GoogleHealthHttp.GoogleHealthHttp
> => Layer.effect(HealthBridge, make(options))
