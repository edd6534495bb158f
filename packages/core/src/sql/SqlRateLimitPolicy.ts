/**
 * A `RateLimitPolicy` whose per-user budgets live in the same database as the grants
 * (`fitbit_effect_rate_limits`, created by `SqlTokenStore`'s migrations): every instance sees
 * the budget the last answer reported, counts its calls against it atomically
 * (`UPDATE … SET remaining = remaining - 1 WHERE remaining > reserve`), and a spent budget stops
 * calls on all instances until the reset. A database failure never fails a call: the policy
 * logs it and lets the call through (the API's own 429 still protects the budget).
 *
 * @since 0.1.0
 */
import * as SqlClient from "@effect/sql/SqlClient"
import * as Clock from "effect/Clock"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import type * as Errors from "../Errors.js"
import * as RateLimit from "../RateLimit.js"
import * as RateLimitPolicy from "../RateLimitPolicy.js"
import { RATE_LIMITS_TABLE } from "./SqlTokenStore.js"

type Row = {
  readonly key: string
  readonly limit_count: number | string
  readonly remaining: number | string
  readonly reset_at: number | string
}

const stateOf = (row: Row, now: number) =>
  new RateLimit.RateLimitState({
    limit: Number(row.limit_count),
    remaining: Number(row.remaining),
    resetSeconds: Math.max(0, (Number(row.reset_at) - now) / 1000),
    observedAt: now
  })

/** A failure of the database is logged, never the call's. */
const tolerant = <A>(fallback: A) => <E>(self: Effect.Effect<A, E>): Effect.Effect<A> =>
  Effect.catchAll(self, (error) => Effect.as(Effect.logWarning("rate-limit store unavailable; not tracking", String(error)), fallback))

/**
 * The policy over the `SqlClient` in context (the table must exist: run `SqlTokenStore.migrate`).
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (options: RateLimitPolicy.Options = {}): Effect.Effect<RateLimitPolicy.RateLimitPolicyShape, never, SqlClient.SqlClient> =>
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    const table = sql(RATE_LIMITS_TABLE)
    const policy = {
      onExhausted: options.onExhausted ?? "fail",
      maxWaitMillis: Duration.toMillis(Duration.decode(options.maxWait ?? Duration.seconds(60)))
    } as const
    const reserve = Math.max(0, options.reserve ?? 0)

    const write = (key: string, limit: number, remaining: number, resetAt: number) =>
      sql`INSERT INTO ${table} (key, limit_count, remaining, reset_at) VALUES (${key}, ${limit}, ${remaining}, ${resetAt})
        ON CONFLICT (key) DO UPDATE SET limit_count = ${limit}, remaining = ${remaining}, reset_at = ${resetAt}`.pipe(Effect.asVoid)

    const quotaUpsert = (key: string, quota: RateLimitPolicy.Quota, now: number) => {
      const end = RateLimitPolicy.windowEnd(quota, now)
      const spent = quota.limit <= reserve
      return sql`INSERT INTO ${table} (key, limit_count, remaining, reset_at)
        SELECT ${key}, ${quota.limit}, ${quota.limit - 1}, ${end} WHERE ${spent ? 0 : 1} = 1
        ON CONFLICT (key) DO UPDATE SET
          limit_count = CASE WHEN ${table}.reset_at <= ${now} THEN ${quota.limit} ELSE ${table}.limit_count END,
          remaining = CASE WHEN ${table}.reset_at <= ${now} THEN ${quota.limit - 1} ELSE ${table}.remaining - 1 END,
          reset_at = CASE WHEN ${table}.reset_at <= ${now} THEN ${end} ELSE ${table}.reset_at END
        WHERE ${table}.reset_at <= ${now} OR ${table}.remaining > ${reserve}
        RETURNING key`
    }

    const current = (key: string) =>
      Effect.flatMap(Clock.currentTimeMillis, (now) =>
        Effect.map(
          sql<Row>`SELECT key, limit_count, remaining, reset_at FROM ${table} WHERE key = ${key} AND reset_at > ${now}`,
          (rows) => (rows.length === 0 ? Option.none() : Option.some(stateOf(rows[0]!, now)))
        )).pipe(tolerant(Option.none<RateLimit.RateLimitState>()))

    /**
     * One call counted: with a published quota, one statement starts the window when none is live
     * (on every instance at once: the first insert wins) and counts the call; without one, only a
     * budget an answer reported is counted. A call that waited out a spent budget is admitted
     * afresh, so it is counted against the new window (or waits again), never sent uncounted; all
     * its waits end by `deadline` (its first attempt plus `maxWait`), then it fails with
     * `RateLimited`, as the in-memory policy does.
     */
    const admit = (
      key: string,
      request: { readonly method: string; readonly url: string },
      quota: RateLimitPolicy.Quota | undefined,
      deadline?: number
    ): Effect.Effect<void, Errors.RateLimited> =>
      Effect.gen(function*() {
        const now = yield* Clock.currentTimeMillis
        const until = deadline ?? now + policy.maxWaitMillis
        const counted = yield* (quota === undefined
          ? sql`UPDATE ${table} SET remaining = remaining - 1
            WHERE key = ${key} AND reset_at > ${now} AND remaining > ${reserve} RETURNING key`
          : quotaUpsert(key, quota, now)).pipe(
          tolerant<ReadonlyArray<unknown>>([{}])
        )
        if (counted.length === 1) return
        const state = yield* current(key)
        let spent: RateLimit.RateLimitState
        if (Option.isSome(state)) spent = state.value
        else if (quota === undefined) return // no budget known (it reset meanwhile): nothing to count against
        else if (quota.limit > reserve) return yield* admit(key, request, quota, until) // its window ended meanwhile
        else spent = new RateLimit.RateLimitState({ limit: quota.limit, remaining: 0, resetSeconds: (RateLimitPolicy.windowEnd(quota, now) - now) / 1000, observedAt: now })
        yield* RateLimitPolicy.whenSpent({ ...policy, maxWaitMillis: until - now }, spent, now, request)
        return yield* admit(key, request, quota, until)
      })

    return {
      observe: (key, state) => write(key, state.limit, state.remaining, Math.round(state.resetAt)).pipe(tolerant<void>(undefined)),
      // One statement: a known limit is kept, the budget is spent until the retry time.
      observeRejected: (key, retryAfterSeconds) =>
        Effect.flatMap(Clock.currentTimeMillis, (now) => {
          const resetAt = now + retryAfterSeconds * 1000
          return sql`INSERT INTO ${table} (key, limit_count, remaining, reset_at) VALUES (${key}, 0, 0, ${resetAt})
            ON CONFLICT (key) DO UPDATE SET remaining = 0, reset_at = ${resetAt}`
        }).pipe(Effect.asVoid, tolerant<void>(undefined)),
      current,
      snapshot: Effect.flatMap(Clock.currentTimeMillis, (now) =>
        Effect.map(
          sql<Row>`SELECT key, limit_count, remaining, reset_at FROM ${table} WHERE reset_at > ${now}`,
          (rows) => new Map(rows.map((row) => [row.key, stateOf(row, now)]))
        )).pipe(tolerant(new Map<string, RateLimit.RateLimitState>())),
      admit: (key, request, quota) => admit(key, request, quota)
    }
  })

/**
 * The policy as a `RateLimitPolicy` layer over the `SqlClient` in context.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (options: RateLimitPolicy.Options = {}): Layer.Layer<RateLimitPolicy.RateLimitPolicy, never, SqlClient.SqlClient> =>
  Layer.effect(RateLimitPolicy.RateLimitPolicy, make(options))
