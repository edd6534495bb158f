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
import * as FitbitHttp from "../fitbit/FitbitHttp.js"
import * as FitbitSession from "../fitbit/FitbitSession.js"
import * as GoogleHealthHttp from "../google/GoogleHealthHttp.js"
import * as GoogleHealthSession from "../google/GoogleHealthSession.js"
import { fitbitReader } from "./FitbitReader.js"
import { googleHealthReader } from "./GoogleHealthReader.js"
import type { Backend, BridgeFailure, DailySteps, DateRange, HeartRateDay, SleepSession, UserProfile } from "./Reader.js"

export {
  /** The legacy Fitbit Web API backend. */
  fitbitReader
} from "./FitbitReader.js"
export {
  /** The Google Health API v4 backend. */
  googleHealthReader
} from "./GoogleHealthReader.js"
export type {
  /** Which API serves a user. */
  Backend,
  /** The reads one backend offers for a user key. */
  BackendReader,
  /** What a bridge read can fail with. */
  BridgeFailure,
  /** One day's step total. */
  DailySteps,
  /** A range of days, both ends included. */
  DateRange,
  /** One day's resting heart rate. */
  HeartRateDay,
  /** One sleep session. */
  SleepSession,
  /** A user's profile, whichever backend answered. */
  UserProfile
} from "./Reader.js"

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
 * @category schemas
 */
export class HealthBridge extends Context.Tag("@fitbit-effect/core/HealthBridge")<HealthBridge, HealthBridgeShape>() {}

// ---------------------------------------------------------------------------------------------
// routing

/**
 * Decides a user's backend.
 *
 * @since 0.1.0
 * @category routes
 */
export type Route = (user: string) => Effect.Effect<Backend, BridgeFailure>

/**
 * A routing table the app changes as users move: `assign` a backend to a user; unassigned
 * users get `fallback`.
 *
 * @since 0.1.0
 * @category routes
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
 * @category routes
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
