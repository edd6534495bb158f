/**
 * Rate-limit awareness per user: the last `Fitbit-Rate-Limit-*` state each user's answers
 * reported (and the `Retry-After` of a 429), and what to do before a call when that budget
 * is spent: wait until the window resets, or fail at once with a `RateLimited` error that
 * carries the reset time. The headers are approximate (Fitbit updates them asynchronously),
 * so the state is guidance: it is replaced by every answer and counts down locally between.
 *
 * @since 0.1.0
 */
import * as Clock from "effect/Clock"
import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Errors from "./Errors.js"
import * as RateLimit from "./RateLimit.js"
import { BUDGET_SPENT } from "./RetryPolicy.js"

/**
 * What to do when the budget is spent: `wait` for the reset (up to `maxWait`, failing beyond
 * it) or `fail` at once.
 *
 * @since 0.1.0
 * @category models
 */
export type OnExhausted = "wait" | "fail"

/**
 * Options of {@link make}.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  /** Default `fail`. */
  readonly onExhausted?: OnExhausted | undefined
  /** The longest wait for a reset under `wait` (default 60 s). */
  readonly maxWait?: Duration.DurationInput | undefined
  /** Requests to keep in reserve: the budget counts as spent at this many remaining (default 0). */
  readonly reserve?: number | undefined
}

/**
 * What a spent budget does to a call: waits for the reset (under `wait`, up to `maxWaitMillis`)
 * or fails with a `RateLimited` saying it was not sent. Shared by every policy store; after the
 * wait, a store admits the call again (so it is counted against the new window).
 *
 * @since 0.1.0
 * @category models
 */
export const whenSpent = (
  policy: { readonly onExhausted: OnExhausted; readonly maxWaitMillis: number },
  s: RateLimit.RateLimitState,
  now: number,
  request: { readonly method: string; readonly url: string }
): Effect.Effect<void, Errors.RateLimited> => {
  const waitMillis = s.resetAt - now
  if (policy.onExhausted === "wait" && waitMillis <= policy.maxWaitMillis) return Effect.sleep(Duration.millis(waitMillis))
  return Effect.fail(new Errors.RateLimited({
    status: 429,
    method: request.method,
    url: request.url,
    errors: [
      new Errors.ErrorEntry({
        errorType: BUDGET_SPENT,
        message: `not sent: the rate-limit budget is spent until ${new Date(s.resetAt).toISOString()}`
      })
    ],
    rateLimit: s,
    retryAfterSeconds: Math.ceil(waitMillis / 1000)
  }))
}

/**
 * The rate-limit tracker and policy.
 *
 * @since 0.1.0
 * @category models
 */
export interface RateLimitPolicyShape {
  /** Records the state an answer reported for a user. */
  readonly observe: (key: string, state: RateLimit.RateLimitState) => Effect.Effect<void>
  /** Records a 429 for a user: no budget until `retryAfterSeconds` from now. */
  readonly observeRejected: (key: string, retryAfterSeconds: number) => Effect.Effect<void>
  /** The last known state of a user's budget (with local count-down). */
  readonly current: (key: string) => Effect.Effect<Option.Option<RateLimit.RateLimitState>>
  /** Every user's last known state. */
  readonly snapshot: Effect.Effect<ReadonlyMap<string, RateLimit.RateLimitState>>
  /**
   * Called before sending a call for a user: succeeds at once when budget is left (and counts
   * the call), otherwise waits or fails per the policy.
   */
  readonly admit: (
    key: string,
    request: { readonly method: string; readonly url: string },
    quota?: Quota
  ) => Effect.Effect<void, Errors.RateLimited>
}

/**
 * A quota the API publishes rather than reports (Google's: 300 requests a minute per user,
 * 120,000 per project): `admit` given one starts a budget of `limit` calls for a key that has no
 * live budget, lasting to the end of the current window (windows are aligned to the epoch, as
 * Google's per-minute quotas are), and counts the call against it.
 *
 * @since 0.1.0
 * @category models
 */
export interface Quota {
  readonly limit: number
  readonly windowMillis: number
}

/**
 * The key a budget is kept under in a tracker: its provider, its kind (a user's budget, or a
 * project's quota) and its id, percent-encoded, so no user key can equal a project's key or the
 * same user's key at another provider (`google-health/user/user-42`, `fitbit/user/user-42`,
 * `google-health/project/<client id>`).
 *
 * @since 0.1.0
 * @category utils
 */
export const keyOf = (provider: string, kind: "user" | "project", id: string): string =>
  `${encodeURIComponent(provider)}/${kind}/${encodeURIComponent(id)}`

/**
 * When a window of a quota that started at or before `now` ends.
 *
 * @since 0.1.0
 * @category utils
 */
export const windowEnd = (quota: Quota, now: number): number => (Math.floor(now / quota.windowMillis) + 1) * quota.windowMillis

/**
 * The default rate-limit policy, as a value: each client (each `FitbitHttp` or `GoogleHealthHttp`
 * built while it is in context) keeps its own in-memory tracker, made with these options.
 *
 * @since 0.1.0
 * @category models
 */
export interface PerClient {
  readonly _tag: "PerClient"
  readonly options: Options
}

/**
 * A {@link PerClient} policy: every client built with it tracks its own budgets in memory.
 *
 * @since 0.1.0
 * @category constructors
 */
export const perClient = (options: Options = {}): PerClient => ({ _tag: "PerClient", options })

/**
 * The rate-limit policy in context: a reference with a default ({@link perClient}: each client
 * tracks its own budgets in memory and fails fast when one is spent). Provide a shared tracker
 * ({@link layer}, or `SqlRateLimitPolicy.layer` for budgets shared by every instance) to a client's
 * layer or a runtime; a tracker in the calling fiber's context wins over the client's.
 *
 * @since 0.1.0
 * @category references
 */
export class RateLimitPolicy extends Context.Reference<RateLimitPolicy>()("@fitbit-effect/core/RateLimitPolicy", {
  defaultValue: (): RateLimitPolicyShape | PerClient => perClient()
}) {}

/**
 * The tracker a policy in context stands for: itself, or a new in-memory one for {@link PerClient}.
 *
 * @since 0.1.0
 * @category constructors
 */
export const trackerOf = (policy: RateLimitPolicyShape | PerClient): Effect.Effect<RateLimitPolicyShape> =>
  "_tag" in policy ? make(policy.options) : Effect.succeed(policy)

/**
 * Makes a tracker with its policy.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (options: Options = {}): Effect.Effect<RateLimitPolicyShape> =>
  Effect.sync(() => {
    const states = new Map<string, RateLimit.RateLimitState>()
    const onExhausted = options.onExhausted ?? "fail"
    const maxWaitMillis = Duration.toMillis(Duration.decode(options.maxWait ?? Duration.seconds(60)))
    const reserve = Math.max(0, options.reserve ?? 0)

    const live = (key: string, now: number): Option.Option<RateLimit.RateLimitState> => {
      const state = states.get(key)
      if (state === undefined) return Option.none()
      if (state.resetAt <= now) {
        states.delete(key)
        return Option.none()
      }
      return Option.some(state)
    }

    /**
     * One call counted against a budget, decided synchronously from the clock of the calling
     * fiber (one step, no generator): what is spent is recorded, a spent budget refuses or waits.
     * A call that waited out a reset is admitted afresh: counted against the new window, or waiting
     * again when the callers before it spent that one too, never sent uncounted; all its waits end
     * by `deadline` (its first attempt plus `maxWait`), past which it fails with `RateLimited`.
     * The states it records are computed here from numbers, so they skip the class's validation.
     */
    const admitAt = (
      key: string,
      request: { readonly method: string; readonly url: string },
      quota: Quota | undefined,
      now: number,
      deadline: number
    ): Effect.Effect<void, Errors.RateLimited> => {
      const state = live(key, now)
      const waitThenRetry = (spent: RateLimit.RateLimitState) =>
        Effect.zipRight(
          whenSpent({ onExhausted, maxWaitMillis: deadline - now }, spent, now, request),
          Effect.suspend(() => admitBy(key, request, quota, deadline))
        )
      if (Option.isNone(state)) {
        if (quota === undefined) return Effect.void
        const resetSeconds = (windowEnd(quota, now) - now) / 1000
        if (quota.limit > reserve) {
          states.set(key, RateLimit.checkedState({ limit: quota.limit, remaining: quota.limit - 1, resetSeconds, observedAt: now }))
          return Effect.void
        }
        return waitThenRetry(RateLimit.checkedState({ limit: quota.limit, remaining: 0, resetSeconds, observedAt: now }))
      }
      const s = state.value
      if (s.remaining > reserve) {
        states.set(key, RateLimit.checkedState({ limit: s.limit, remaining: s.remaining - 1, resetSeconds: s.resetSeconds, observedAt: s.observedAt }))
        return Effect.void
      }
      return waitThenRetry(s)
    }

    const admitBy = (
      key: string,
      request: { readonly method: string; readonly url: string },
      quota: Quota | undefined,
      deadline: number | undefined
    ): Effect.Effect<void, Errors.RateLimited> =>
      Effect.clockWith((clock) => {
        const now = clock.unsafeCurrentTimeMillis()
        return admitAt(key, request, quota, now, deadline ?? now + maxWaitMillis)
      })

    return {
      observe: (key, state) => Effect.sync(() => void states.set(key, state)),
      observeRejected: (key, retryAfterSeconds) =>
        Effect.map(Clock.currentTimeMillis, (now) => {
          const previous = states.get(key)
          states.set(
            key,
            new RateLimit.RateLimitState({
              limit: previous?.limit ?? 0,
              remaining: 0,
              resetSeconds: retryAfterSeconds,
              observedAt: now
            })
          )
        }),
      current: (key) => Effect.map(Clock.currentTimeMillis, (now) => live(key, now)),
      snapshot: Effect.map(Clock.currentTimeMillis, (now) => {
        for (const key of [...states.keys()]) live(key, now)
        return new Map(states)
      }),
      admit: (key, request, quota) => admitBy(key, request, quota, undefined)
    }
  })

/**
 * One tracker, shared by every client that sees the layer, as the policy in context.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (options: Options = {}): Layer.Layer<RateLimitPolicy> => Layer.effect(RateLimitPolicy, make(options))

/**
 * The {@link PerClient} policy with options, as a layer: each client keeps its own tracker.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerPerClient = (options: Options = {}): Layer.Layer<RateLimitPolicy> =>
  Layer.succeed(RateLimitPolicy, perClient(options))
