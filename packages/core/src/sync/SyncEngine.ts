/**
 * The work of `Sync` for one user, on one machine: a pass over the user's data types (backfill
 * back to `since`, new days, a trailing re-read of the last days for late uploads, a longer
 * re-read on a slower schedule) and targeted re-reads of the windows notifications name. Every
 * window is replaced in one transaction with its cursor (`SyncStore.replaceWindow`); Google's
 * quotas are counted by the rate-limit policy in context and a 429 is waited out, never failed;
 * a user whose grant needs consent again is parked. Who runs which user, and when, is
 * `Sync`'s business (the cluster's entities); this module knows nothing of it.
 *
 * @since 0.1.0
 */
import * as SqlClient from "@effect/sql/SqlClient"
import type { SqlError } from "@effect/sql/SqlError"
import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as PubSub from "effect/PubSub"
import * as Schema from "effect/Schema"
import * as Stream from "effect/Stream"
import type * as Errors from "../Errors.js"
import { InvalidInput } from "../Errors.js"
import * as GoogleDataTypeRules from "../google/GoogleDataTypeRules.js"
import * as GoogleDataPoints from "../google/resources/GoogleDataPoints.js"
import * as GoogleUsers from "../google/resources/GoogleUsers.js"
import * as GoogleDataTypes from "../google/GoogleDataTypes.js"
import * as GoogleHealthConfig from "../google/GoogleHealthConfig.js"
import * as GoogleHealthSession from "../google/GoogleHealthSession.js"
import type * as GoogleHealthWebhook from "../google/GoogleHealthWebhook.js"
import { addDays, formatDate, parseDate } from "../internal/civilTime.js"
import * as UserBound from "../internal/userBound.js"
import * as RetryPolicy from "../RetryPolicy.js"
import * as SqlTokenStore from "../sql/SqlTokenStore.js"
import { describeCause } from "../TokenStore.js"
import * as SyncLease from "./SyncLease.js"
import * as SyncPlan from "./SyncPlan.js"
import * as SyncStore from "./SyncStore.js"

/**
 * Options of a sync.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  /** The first day to backfill: a `YYYY-MM-DD`, or a number of days back from today (default 365). */
  readonly since?: string | number | undefined
  /** The data types to sync (default: every type the channel can list). */
  readonly dataTypes?: ReadonlyArray<string> | undefined
  /** Days re-read on every pass for late uploads (default 3). */
  readonly trailingDays?: number | undefined
  /** Days re-read on the slower schedule, catching late changes and deletions (default 30). */
  readonly reconcileDays?: number | undefined
  /** How often the longer re-read runs per user and type (default 1 day). */
  readonly reconcileEvery?: Duration.DurationInput | undefined
  /** The most points one window may hold in memory before it is cut smaller (default 50,000). */
  readonly maxWindowPoints?: number | undefined
  /** Attempts for a window failing with a server or transport error before the type waits for the next pass (default 8). */
  readonly maxAttempts?: number | undefined
  /** The longest wait between attempts, a 429's own wait excepted (default 60 s). */
  readonly maxBackoff?: Duration.DurationInput | undefined
  /** Users worked on at once in this process (default 8): each holds at most a window's points in memory. */
  readonly concurrency?: number | undefined
}

/**
 * What a sync reports as it goes: a window replaced, a wait for quota, a user parked, a type
 * that failed this pass, a user's pass done.
 *
 * @since 0.1.0
 * @category models
 */
export type Event =
  | {
    readonly _tag: "Window"
    readonly user: string
    readonly dataType: string
    readonly window: SyncStore.Window
    readonly points: number
    readonly deleted: number
    readonly requests: number
    readonly reason: Reason
  }
  | { readonly _tag: "QuotaWait"; readonly user: string; readonly dataType: string; readonly millis: number }
  | { readonly _tag: "Parked"; readonly user: string; readonly reason: string }
  | { readonly _tag: "TypeFailed"; readonly user: string; readonly dataType: string; readonly reason: string }
  | { readonly _tag: "UserDone"; readonly user: string; readonly requests: number; readonly points: number }

/**
 * Why a window was read: `backfill`, `current` (new days and the trailing re-read), `reconcile`
 * (the longer re-read), `notification`.
 *
 * @since 0.1.0
 * @category models
 */
export type Reason = "backfill" | "current" | "reconcile" | "notification"

/**
 * A failure of the sync machinery itself (the database): the windows committed stand.
 *
 * @since 0.1.0
 * @category errors
 */
export class SyncError extends Schema.TaggedError<SyncError>()("SyncError", {
  user: Schema.optional(Schema.String),
  reason: Schema.String
}) {
  override get message(): string {
    return `sync${this.user === undefined ? "" : ` of ${this.user}`}: ${this.reason}`
  }
}

/**
 * What one pass or re-read of a user did.
 *
 * @since 0.1.0
 * @category models
 */
export interface UserResult {
  readonly user: string
  readonly requests: number
  readonly points: number
  readonly deleted: number
  /** Set when the user was parked (consent needed again). */
  readonly parked?: string | undefined
  /** The data types skipped because the user's grant holds no scope to read them. */
  readonly notGranted?: ReadonlyArray<string> | undefined
  readonly failedTypes: ReadonlyArray<{ readonly dataType: string; readonly reason: string }>
}

/**
 * A re-read a notification asks for: one user, one type, the windows its intervals name.
 *
 * @since 0.1.0
 * @category models
 */
export interface Reread {
  readonly user: string
  readonly dataType: string
  readonly windows: ReadonlyArray<{ readonly start: string; readonly end: string }>
}

/**
 * The engine.
 *
 * @since 0.1.0
 * @category models
 */
export interface SyncEngineShape {
  /** One pass over a user's types. */
  readonly syncUser: (user: string) => Effect.Effect<UserResult, SyncError>
  /** Re-reads the windows of one user and type (what a notification names). */
  readonly reread: (work: Reread) => Effect.Effect<UserResult, SyncError>
  /** The re-reads a delivery's notifications ask for, by user (health user ids mapped to user keys), merged per type. */
  readonly rereadsOf: (notifications: ReadonlyArray<GoogleHealthWebhook.Notification>) => Effect.Effect<ReadonlyArray<Reread>, SyncError>
  /** The users to sync: every active Google grant in the token store's table but those parked after its last write; with the passes each finished. */
  readonly users: Effect.Effect<ReadonlyArray<{ readonly user: string; readonly passes: number }>, SyncError>
  /** Every event, as it happens, in this process. */
  readonly events: Stream.Stream<Event>
  /** The data types synced. */
  readonly dataTypes: ReadonlyArray<GoogleDataTypes.KnownDataType>
}

/**
 * The engine service.
 *
 * @since 0.1.0
 * @category services
 */
export class SyncEngine extends Context.Tag("@fitbit-effect/core/SyncEngine")<SyncEngine, SyncEngineShape>() {}

const DAY = 86_400_000

type Deps = GoogleHealthSession.GoogleHealthSession | GoogleHealthConfig.GoogleHealthConfig | SqlClient.SqlClient

/**
 * A database failure as the sync's `SyncError` (its cause described, the user when known).
 *
 * @since 0.1.0
 * @category errors
 */
export const databaseFailure = (user?: string | undefined) => (error: SqlError | unknown): SyncError =>
  new SyncError({ ...(user === undefined ? {} : { user }), reason: `database: ${describeCause(error)}` })

/** Stops a user's pass: consent is needed again. */
class Parked {
  readonly _tag = "Parked"
  constructor(readonly reason: string) {}
}

/** Stops one type for this pass (recorded on its cursor). */
class TypeFailed {
  readonly _tag = "TypeFailed"
  constructor(readonly reason: string) {}
}

const isQuota = (error: Errors.RequestFailure): boolean => error._tag === "RateLimited"

/**
 * Makes the engine (checks the options first: bad ones fail with `InvalidInput` naming the field).
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (options: Options = {}): Effect.Effect<SyncEngineShape, Errors.InvalidInput, Deps> =>
  Effect.gen(function*() {
    const config = yield* GoogleHealthConfig.GoogleHealthConfig
    const sessions = yield* GoogleHealthSession.GoogleHealthSession
    const context = yield* Effect.context<SqlClient.SqlClient>()
    // Under a single runner's lease, every window's transaction checks that this process still holds it.
    const fence = yield* Effect.serviceOption(SyncLease.SyncFence)
    const dataTypes = yield* SyncPlan.checkTypes(options.dataTypes, config.channel)
    const settings = yield* checkOptions(options)
    const hub = yield* PubSub.unbounded<Event>()
    const permits = yield* Effect.makeSemaphore(settings.concurrency)
    const publish = (event: Event) => Effect.asVoid(PubSub.publish(hub, event))
    const db = <A>(user: string | undefined, effect: Effect.Effect<A, SqlError | unknown, SqlClient.SqlClient>) =>
      Effect.mapError(Effect.provide(effect, context), databaseFailure(user))

    /** One page of a window, 429s waited out and transient failures retried. */
    const page = (user: string, dataType: GoogleDataTypes.KnownDataType, filter: string | undefined, pageToken: string | undefined) => {
      const attempt = sessions.withAccessToken(user, (token) =>
        GoogleDataPoints.list(token, dataType, {
          filter,
          pageSize: SyncPlan.pageMax(dataType),
          pageToken,
          keepRaw: true
        })).pipe(Effect.provideService(RetryPolicy.RetryPolicy, RetryPolicy.never))
      const loop = (failures: number): Effect.Effect<GoogleDataPoints.DataPointsPage, Parked | TypeFailed> =>
        Effect.catchAll(attempt, (error): Effect.Effect<GoogleDataPoints.DataPointsPage, Parked | TypeFailed> => {
          if (error._tag === "ReauthorizationRequired") return Effect.fail(new Parked(error.message))
          const failure = error as Errors.RequestFailure
          const transient = RetryPolicy.isTransient(failure) || isQuota(failure)
          if (!transient || (!isQuota(failure) && failures + 1 >= settings.maxAttempts)) {
            return Effect.fail(new TypeFailed(describe(error)))
          }
          const backoff = Math.min(settings.maxBackoffMillis, 250 * 2 ** Math.min(failures, 16)) * (0.5 + Math.random() / 2)
          const wait = Math.max(backoff, Option.getOrElse(RetryPolicy.retryAfterMillis(failure), () => 0))
          return Effect.zipRight(
            isQuota(failure) ? publish({ _tag: "QuotaWait", user, dataType, millis: Math.round(wait) }) : Effect.void,
            Effect.zipRight(Effect.sleep(Duration.millis(wait)), loop(isQuota(failure) ? Math.min(failures + 1, 8) : failures + 1))
          )
        })
      return loop(0)
    }

    /** Files a page's points; a point that cannot be filed fails the type for this pass. */
    const file = (dataType: string, page: GoogleDataPoints.DataPointsPage) => {
      const out: Array<SyncStore.StoredPoint> = []
      for (const point of page.dataPoints) {
        const stored = SyncPlan.storedPoint(dataType, point.raw)
        if (Either.isLeft(stored)) return Effect.fail(new TypeFailed(`Google answered ${stored.left}`))
        out.push(stored.right)
      }
      return Effect.succeed(out)
    }

    /**
     * Every point of a window, following its pages; more than `maxWindowPoints` answers `None`
     * (the caller cuts the window smaller).
     */
    const readWhole = (user: string, dataType: GoogleDataTypes.KnownDataType, window: SyncStore.Window) =>
      Effect.gen(function*() {
        const filter = SyncPlan.filterOf(dataType, window)
        const points: Array<SyncStore.StoredPoint> = []
        let token: string | undefined
        let requests = 0
        do {
          const answer = yield* page(user, dataType, filter, token)
          requests++
          points.push(...(yield* file(dataType, answer)))
          token = answer.nextPageToken
          if (points.length > settings.maxWindowPoints && token !== undefined) return { points: Option.none(), requests }
        } while (token !== undefined)
        return { points: Option.some(points), requests }
      })

    type Counts = { requests: number; points: number; deleted: number }

    const commit = (
      user: string,
      dataType: string,
      window: SyncStore.Window,
      points: ReadonlyArray<SyncStore.StoredPoint>,
      cursor: { low: string | null; high: string | null; density: number | null },
      requests: number,
      reason: Reason,
      counts: Counts
    ) =>
      Effect.gen(function*() {
        const now = yield* Effect.clockWith((clock) => clock.currentTimeMillis)
        const replace = SyncStore.replaceWindow(user, dataType, window, points, { ...cursor, requests, now, reconciled: reason === "reconcile" || reason === "backfill" })
        const replaced = yield* db(
          user,
          Option.isNone(fence)
            ? replace
            : Effect.flatMap(SqlClient.SqlClient, (sql) => sql.withTransaction(Effect.zipRight(SyncLease.check(fence.value.holder), replace)))
        )
        counts.requests += requests
        counts.points += points.length
        counts.deleted += replaced.deleted
        yield* publish({ _tag: "Window", user, dataType, window, points: points.length, deleted: replaced.deleted, requests, reason })
      })

    const densityAfter = (previous: number | null, points: number, days: number): number | null => {
      if (days < 1) return previous
      const seen = points / days
      return previous === null ? seen : (previous + seen) / 2
    }

    /** Re-reads `[start, end)` window by window from the oldest day (each read whole); the cursor grows to cover it. */
    const forward = (
      user: string,
      dataType: GoogleDataTypes.KnownDataType,
      start: string,
      end: string,
      state: { low: string | null; high: string | null; density: number | null },
      reason: Reason,
      counts: Counts
    ) =>
      Effect.gen(function*() {
        let a = start
        let cut: number | undefined
        while (a < end) {
          const days = cut ?? SyncPlan.windowDays(dataType, state.density, SyncPlan.daysBetween(a, end))
          const b = addDays(a, Math.min(days, SyncPlan.daysBetween(a, end)))
          const read = yield* readWhole(user, dataType, { start: a, end: b })
          if (Option.isNone(read.points)) {
            counts.requests += read.requests
            const span = SyncPlan.daysBetween(a, b)
            if (span <= 1) return yield* Effect.fail(new TypeFailed(`more than ${settings.maxWindowPoints} points on ${a}`))
            cut = Math.floor(span / 2)
            continue
          }
          cut = undefined
          const next = {
            low: state.low === null || a < state.low ? a : state.low,
            high: state.high === null || b > state.high ? b : state.high,
            density: densityAfter(state.density, read.points.value.length, SyncPlan.daysBetween(a, b))
          }
          yield* commit(user, dataType, { start: a, end: b }, read.points.value, next, read.requests, reason, counts)
          Object.assign(state, next)
          a = b
        }
      })

    /**
     * Backfills `[since, from)` from the newest day down. A window is read from its first page
     * on; when more pages follow, the days the pages read so far hold whole are committed (results
     * are newest first) and the next window starts below them, so no page is read twice but the
     * day it was cut in. Pages are followed only while they hold no whole day yet (an empty page
     * with a token, a day denser than a page), up to `maxWindowPoints`.
     */
    const backward = (
      user: string,
      dataType: GoogleDataTypes.KnownDataType,
      since: string,
      from: string,
      state: { low: string | null; high: string | null; density: number | null },
      counts: Counts
    ) =>
      Effect.gen(function*() {
        let b = from
        // Sleep is filed by its end but ordered by its start: keep a day's margin below a cut.
        const margin = dataType === "sleep" ? 2 : 1
        while (b > since) {
          const days = SyncPlan.windowDays(dataType, state.density, SyncPlan.daysBetween(since, b))
          const a = addDays(b, -days) < since ? since : addDays(b, -days)
          const filter = SyncPlan.filterOf(dataType, { start: a, end: b })
          const points: Array<SyncStore.StoredPoint> = []
          let requests = 0
          let token: string | undefined
          let low = b
          do {
            const answer = yield* page(user, dataType, filter, token)
            requests++
            points.push(...(yield* file(dataType, answer)))
            token = answer.nextPageToken
            if (token !== undefined && points.length > 0) {
              low = addDays(points.reduce((min, p) => p.day < min ? p.day : min, b), margin)
              if (low < b) break
            }
            if (token !== undefined && points.length > settings.maxWindowPoints) {
              counts.requests += requests
              return yield* Effect.fail(new TypeFailed(`more than ${settings.maxWindowPoints} points in a day before ${b}`))
            }
          } while (token !== undefined)
          if (token === undefined) low = a
          const kept = token === undefined ? points : points.filter((p) => p.day >= low)
          const next = {
            low,
            high: state.high === null || b > state.high ? b : state.high,
            density: densityAfter(state.density, kept.length, SyncPlan.daysBetween(low, b))
          }
          yield* commit(user, dataType, { start: low, end: b }, kept, next, requests, "backfill", counts)
          Object.assign(state, next)
          b = low
        }
      })

    const syncType = (user: string, dataType: GoogleDataTypes.KnownDataType, today: string, now: number, counts: Counts) =>
      Effect.gen(function*() {
        const stored = yield* db(user, SyncStore.cursor(user, dataType))
        const cursor = Option.getOrUndefined(stored)
        const state = { low: cursor?.low ?? null, high: cursor?.high ?? null, density: cursor?.density ?? null }
        const end = addDays(today, 2) // the zones furthest ahead are within a day of UTC
        const since = typeof settings.since === "string" ? settings.since : addDays(today, -settings.since)
        const shape = SyncPlan.shapeOf(dataType)
        if (shape !== "days") {
          const window: SyncStore.Window = shape === "whole" ? { start: "", end: null } : { start: SyncPlan.fromStart(since, today), end: null }
          const read = yield* readWhole(user, dataType, window)
          if (Option.isNone(read.points)) return yield* Effect.fail(new TypeFailed(`more than ${settings.maxWindowPoints} points`))
          const next = { low: window.start, high: shape === "whole" ? "" : end, density: null }
          return yield* commit(user, dataType, window, read.points.value, next, read.requests, "current", counts)
        }
        if (state.high === null || state.low === null) {
          state.high = null
          state.low = null
          return yield* backward(user, dataType, since, end, state, counts)
        }
        // New days and the trailing re-read; the longer re-read on its schedule.
        const due = cursor?.reconciledAt === null || cursor?.reconciledAt === undefined || now - cursor.reconciledAt >= settings.reconcileEveryMillis
        const back = due ? settings.reconcileDays : settings.trailingDays
        const start = [addDays(today, -back), state.high].reduce((min, d) => d < min ? d : min)
        yield* forward(user, dataType, start < state.low ? state.low : start, end, state, due ? "reconcile" : "current", counts)
        if (state.low > since) yield* backward(user, dataType, since, state.low, state, counts)
      })

    const todayOf = (now: number) => new Date(now).toISOString().slice(0, 10)

    const park = (user: string, reason: string) =>
      Effect.gen(function*() {
        const now = yield* Effect.clockWith((clock) => clock.currentTimeMillis)
        const previous = Option.getOrUndefined(yield* db(user, SyncStore.userStatus(user)))
        yield* db(user, SyncStore.setUser({ user, healthUserId: previous?.healthUserId ?? null, status: "reauthorization_required", reason, updatedAt: now }))
        yield* publish({ _tag: "Parked", user, reason })
      })

    /** Notes the user as active, with its health user id (read once, for notifications). */
    const activate = (user: string) =>
      Effect.gen(function*() {
        const previous = Option.getOrUndefined(yield* db(user, SyncStore.userStatus(user)))
        if (previous !== undefined && previous.status === "active" && previous.healthUserId !== null) return 0
        const identity = yield* sessions.withAccessToken(user, (token) => GoogleUsers.getIdentity(token)).pipe(
          Effect.map((identity) => identity.healthUserId ?? null),
          Effect.catchAll((error) => error._tag === "ReauthorizationRequired" ? Effect.fail(new Parked(error.message)) : Effect.succeed(previous?.healthUserId ?? null))
        )
        const now = yield* Effect.clockWith((clock) => clock.currentTimeMillis)
        yield* db(user, SyncStore.setUser({ user, healthUserId: identity, status: "active", reason: null, updatedAt: now }))
        return 1
      })

    const run = (
      user: string,
      work: (counts: Counts, now: number) => Effect.Effect<ReadonlyArray<{ dataType: string; reason: string }>, Parked | SyncError>
    ): Effect.Effect<UserResult, SyncError> =>
      permits.withPermits(1)(Effect.gen(function*() {
        const counts: Counts = { requests: 0, points: 0, deleted: 0 }
        const now = yield* Effect.clockWith((clock) => clock.currentTimeMillis)
        const outcome = yield* Effect.either(Effect.flatMap(activate(user), (requests) => {
          counts.requests += requests
          return work(counts, now)
        }))
        if (Either.isLeft(outcome)) {
          if (outcome.left instanceof Parked) {
            yield* park(user, outcome.left.reason)
            return { user, ...counts, parked: outcome.left.reason, failedTypes: [] }
          }
          return yield* Effect.fail(outcome.left)
        }
        yield* publish({ _tag: "UserDone", user, requests: counts.requests, points: counts.points })
        return { user, ...counts, failedTypes: outcome.right }
      }))

    /** Runs one type's work; a `TypeFailed` is recorded on its cursor and reported, the others go on. */
    const guarded = (user: string, dataType: string, now: number, effect: Effect.Effect<void, TypeFailed | Parked | SyncError>) =>
      Effect.catchAll(effect, (error) =>
        error instanceof TypeFailed
          ? Effect.as(
            Effect.zipRight(db(user, SyncStore.recordError(user, dataType, error.reason, now)), publish({ _tag: "TypeFailed", user, dataType, reason: error.reason })),
            [{ dataType, reason: error.reason }]
          )
          : Effect.fail(error)).pipe(Effect.map((failed) => (failed ?? []) as ReadonlyArray<{ dataType: string; reason: string }>))

    /** The sync's types the user's grant can read (all of them when the grant names no scopes). */
    const grantedTypes = (user: string) =>
      sessions.session.tokens(user).pipe(
        Effect.map((tokens) => {
          const scopes = tokens.scopes ?? []
          if (scopes.length === 0) return { readable: dataTypes, notGranted: [] as Array<string> }
          const readable = dataTypes.filter((t) => {
            const required = GoogleDataTypeRules.requiredScopes("GET", `/v4/users/me/dataTypes/${t}/dataPoints`)
            return required === undefined || UserBound.missingScopes(required, scopes).length === 0
          })
          return { readable, notGranted: dataTypes.filter((t) => !readable.includes(t)) }
        }),
        Effect.catchAll((error) =>
          error._tag === "ReauthorizationRequired" ? Effect.fail(new Parked(error.message)) : Effect.succeed({ readable: dataTypes, notGranted: [] as Array<string> })
        )
      )

    const syncUser = (user: string) => {
      let notGranted: ReadonlyArray<string> = []
      return run(user, (counts, now) =>
        Effect.flatMap(grantedTypes(user), (types) => {
          notGranted = types.notGranted
          return Effect.map(
            Effect.forEach(types.readable, (dataType) => guarded(user, dataType, now, syncType(user, dataType, todayOf(now), now, counts))),
            (failed) => failed.flat()
          )
        })).pipe(
          Effect.map((result): UserResult => notGranted.length === 0 ? result : { ...result, notGranted }),
          // Counted parked or not: the next pass has a new name either way.
          Effect.tap(() => db(user, SyncStore.passDone(user)))
        )
    }

    const reread = (work: Reread) =>
      run(work.user, (counts, now) => {
        if (!dataTypes.includes(work.dataType as GoogleDataTypes.KnownDataType)) return Effect.succeed([])
        const dataType = work.dataType as GoogleDataTypes.KnownDataType
        return guarded(
          work.user,
          dataType,
          now,
          Effect.gen(function*() {
            const cursor = Option.getOrUndefined(yield* db(work.user, SyncStore.cursor(work.user, dataType)))
            if (cursor?.low === null || cursor?.low === undefined || cursor.high === null) return // the backfill will read it
            const state = { low: cursor.low, high: cursor.high, density: cursor.density }
            if (SyncPlan.shapeOf(dataType) !== "days") return yield* syncType(work.user, dataType, todayOf(now), now, counts)
            for (const window of work.windows) {
              if (window.end <= state.low) continue // before the backfill's reach: it will read it
              const start = window.start < state.low ? state.low : window.start
              yield* forward(work.user, dataType, start > state.high ? state.high : start, window.end, state, "notification", counts)
            }
          })
        )
      })

    const rereadsOf = (notifications: ReadonlyArray<GoogleHealthWebhook.Notification>) =>
      Effect.gen(function*() {
        const byKey = new Map<string, { user: string; dataType: string; windows: Array<{ start: string; end: string }> }>()
        for (const notification of notifications) {
          if (!dataTypes.includes(notification.dataType as GoogleDataTypes.KnownDataType)) continue
          const user = Option.getOrUndefined(yield* db(undefined, SyncStore.userOfHealthId(notification.healthUserId)))
          if (user === undefined) continue
          const key = `${user}\u0000${notification.dataType}`
          const entry = byKey.get(key) ?? { user, dataType: notification.dataType, windows: [] }
          byKey.set(key, entry)
          entry.windows.push(...windowsOf(notification))
        }
        return [...byKey.values()].map((entry) => ({ ...entry, windows: merge(entry.windows) }))
      })

    const users = Effect.gen(function*() {
      const grants = yield* db(undefined, activeGrants)
      const known = new Map((yield* db(undefined, SyncStore.users)).map((u) => [u.user, u]))
      return grants.filter((g) => {
        const user = known.get(g.user)
        // A parked user comes back when the grant is written after the parking (a new consent).
        return user === undefined || user.status === "active" || g.updatedAt > user.updatedAt
      }).map((g) => ({ user: g.user, passes: known.get(g.user)?.passes ?? 0 }))
    })

    return {
      syncUser,
      reread,
      rereadsOf,
      users,
      events: Stream.fromPubSub(hub),
      dataTypes
    } satisfies SyncEngineShape
  })

/**
 * The engine as a layer.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (options: Options = {}): Layer.Layer<SyncEngine, Errors.InvalidInput, Deps> => Layer.effect(SyncEngine, make(options))

const PREFIX = "google:"

/** Every active Google grant in `SqlTokenStore`'s table, with its last write (keys without the provider's prefix). */
const activeGrants = Effect.map(SqlTokenStore.activeGrants(PREFIX), (grants) => grants.map((g) => ({ user: g.key.slice(PREFIX.length), updatedAt: g.updatedAt })))

const describe = (error: unknown): string =>
  typeof error === "object" && error !== null && "message" in error && typeof (error as { message: unknown }).message === "string"
    ? (error as { message: string }).message
    : describeCause(error)

/** The civil days `[start, end)` a notification's intervals name (a day's margin where only instants are given). */
export const windowsOf = (notification: GoogleHealthWebhook.Notification): Array<{ start: string; end: string }> => {
  const out: Array<{ start: string; end: string }> = []
  for (const interval of notification.intervals) {
    const civil = interval.civilDateTimeInterval
    const start = formatDate(civil?.start?.date as never)
    const end = formatDate(civil?.end?.date as never)
    if (start !== undefined && end !== undefined) {
      out.push({ start, end: addDays(end, 1) })
      continue
    }
    const physical = interval.physicalTimeInterval
    const from = physical?.startTime === undefined ? NaN : Date.parse(physical.startTime)
    const to = physical?.endTime === undefined ? NaN : Date.parse(physical.endTime)
    if (!Number.isNaN(from) && !Number.isNaN(to)) {
      out.push({ start: new Date(from - DAY).toISOString().slice(0, 10), end: new Date(to + 2 * DAY).toISOString().slice(0, 10) })
    }
  }
  return out
}

const merge = (windows: ReadonlyArray<{ start: string; end: string }>): Array<{ start: string; end: string }> => {
  const sorted = [...windows].sort((a, b) => a.start < b.start ? -1 : a.start > b.start ? 1 : 0)
  const out: Array<{ start: string; end: string }> = []
  for (const w of sorted) {
    const last = out[out.length - 1]
    if (last !== undefined && w.start <= last.end) last.end = w.end > last.end ? w.end : last.end
    else out.push({ ...w })
  }
  return out
}

interface Settings {
  readonly since: string | number
  readonly trailingDays: number
  readonly reconcileDays: number
  readonly reconcileEveryMillis: number
  readonly maxWindowPoints: number
  readonly maxAttempts: number
  readonly maxBackoffMillis: number
  readonly concurrency: number
}

const invalid = (field: string, reason: string) => Effect.fail(new InvalidInput({ field, reason }))

const wholeIn = (value: unknown, min: number, max: number): value is number =>
  typeof value === "number" && Number.isInteger(value) && value >= min && value <= max

const duration = (value: Duration.DurationInput | undefined, fallback: Duration.DurationInput): number | undefined => {
  const decoded = Duration.decodeUnknown(value ?? fallback)
  return Option.isSome(decoded) && Duration.isFinite(decoded.value) ? Duration.toMillis(decoded.value) : undefined
}

/** Checks a sync's options, naming the first that is wrong. */
const checkOptions = (options: Options): Effect.Effect<Settings, InvalidInput> => {
  if (typeof options !== "object" || options === null) return invalid("options", "must be an object")
  const since = options.since ?? 365
  if (typeof since === "string" ? formatDate(parseDate(since)) !== since : !wholeIn(since, 0, 36_500)) {
    return invalid("since", "must be a YYYY-MM-DD date or a whole number of days back (0 to 36,500)")
  }
  const trailingDays = options.trailingDays ?? 3
  if (!wholeIn(trailingDays, 0, 366)) return invalid("trailingDays", "must be a whole number of days from 0 to 366")
  const reconcileDays = options.reconcileDays ?? 30
  if (!wholeIn(reconcileDays, 0, 3_660)) return invalid("reconcileDays", "must be a whole number of days from 0 to 3,660")
  const reconcileEveryMillis = duration(options.reconcileEvery, Duration.days(1))
  if (reconcileEveryMillis === undefined) return invalid("reconcileEvery", "must be a finite duration such as \"1 day\"")
  const maxWindowPoints = options.maxWindowPoints ?? 50_000
  if (!wholeIn(maxWindowPoints, 100, 10_000_000)) return invalid("maxWindowPoints", "must be a whole number from 100 to 10,000,000")
  const maxAttempts = options.maxAttempts ?? 8
  if (!wholeIn(maxAttempts, 1, 1_000)) return invalid("maxAttempts", "must be a whole number from 1 to 1,000")
  const maxBackoffMillis = duration(options.maxBackoff, Duration.seconds(60))
  if (maxBackoffMillis === undefined) return invalid("maxBackoff", "must be a finite duration such as \"60 seconds\"")
  const concurrency = options.concurrency ?? 8
  if (!wholeIn(concurrency, 1, 1_000)) return invalid("concurrency", "must be a whole number of users from 1 to 1,000")
  return Effect.succeed({ since, trailingDays, reconcileDays, reconcileEveryMillis, maxWindowPoints, maxAttempts, maxBackoffMillis, concurrency })
}
