/**
 * When a failed API call is tried again, and how long to wait in between.
 *
 * Safe by default: a call is retried only when repeating it cannot duplicate anything. `GET`
 * is retried on transport failures, timeouts, 5xx and 429 (waiting at least as long as
 * `Retry-After` or the rate-limit reset asks); `POST`, `PUT` and `DELETE` are retried only
 * when the request provably never left this process (the connection was refused, the host
 * did not resolve: a `TransportError` with `sent: "no"`), unless the call opts in with
 * `idempotent: true`. A timeout, a reset connection or any HTTP answer to a write means it
 * may have reached the server, so it is never repeated.
 *
 * The backoff is a `Schedule` (exponential with full jitter by default), so anything `Schedule`
 * can express plugs in.
 *
 * @since 0.1.0
 */
import * as Cause from "effect/Cause"
import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Schedule from "effect/Schedule"
import type * as Errors from "./Errors.js"

/**
 * A retry policy.
 *
 * @since 0.1.0
 * @category models
 */
export interface RetryPolicyShape {
  /**
   * The waits between attempts, fed with each failure; retrying stops when it stops (so it
   * also bounds the attempts). The wait is raised to `Retry-After` when the server asks for more.
   */
  readonly schedule: Schedule.Schedule<unknown, Errors.RequestFailure>
  /** The longest `Retry-After` (or rate-limit reset) worth waiting for; longer fails at once. */
  readonly maxRetryAfter: Duration.Duration
  /** Which failures are transient (default {@link isTransient}). */
  readonly isTransient: (error: Errors.RequestFailure) => boolean
}

/**
 * The retry policy in context: a reference with a default ({@link defaultPolicy}), so every call
 * retries what is safe to repeat unless a program says otherwise. Override it for a program with
 * `Effect.provideService(RetryPolicy.RetryPolicy, RetryPolicy.never)`, or for a client or a runtime
 * with {@link layer}: the value in the calling fiber's context wins over the one the client was
 * built with.
 *
 * @since 0.1.0
 * @category references
 */
export class RetryPolicy extends Context.Reference<RetryPolicy>()("@fitbit-effect/core/RetryPolicy", {
  defaultValue: (): RetryPolicyShape => defaultPolicy
}) {}

/**
 * Options of {@link make}.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  /** Retries after the first attempt (default 3; 0 turns retrying off). */
  readonly maxRetries?: number | undefined
  /** First wait (default 250 ms). */
  readonly baseDelay?: Duration.DurationInput | undefined
  /** Growth of the wait per retry (default 2). */
  readonly factor?: number | undefined
  /** Cap of one backoff wait (default 10 s; `Retry-After` may ask for more, up to `maxRetryAfter`). */
  readonly maxDelay?: Duration.DurationInput | undefined
  /**
   * Randomise each wait so clients do not retry in lockstep: `"full"` (the default, as Google
   * advises) waits a uniformly random time between 0 and the backoff; `true` varies it by ±20%;
   * `false` waits the backoff exactly.
   */
  readonly jitter?: boolean | "full" | undefined
  /** The longest `Retry-After` honoured (default 30 s). */
  readonly maxRetryAfter?: Duration.DurationInput | undefined
  /** A schedule to use instead of the exponential backoff (its own limits apply). */
  readonly schedule?: Schedule.Schedule<unknown, Errors.RequestFailure> | undefined
  /** Which failures are transient (default {@link isTransient}). */
  readonly isTransient?: ((error: Errors.RequestFailure) => boolean) | undefined
}

/**
 * The default notion of a transient failure: transport failures, timeouts, 5xx, and 429
 * answered by the server. A request refused locally because the rate-limit budget was spent
 * is not (the rate-limit policy decided already).
 *
 * @since 0.1.0
 * @category predicates
 */
export const isTransient = (error: Errors.RequestFailure): boolean => {
  switch (error._tag) {
    case "TransportError":
    case "TimeoutError":
    case "ServerError":
      return true
    case "RateLimited":
      return !error.errors.some((entry) => entry.errorType === BUDGET_SPENT)
    default:
      return false
  }
}

/**
 * The `errorType` of the `RateLimited` error raised locally, before sending, when the
 * rate-limit budget is spent and the policy is to fail fast.
 *
 * @since 0.1.0
 * @category constants
 */
export const BUDGET_SPENT = "rate_limit_budget_spent"

/**
 * Makes a policy.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (options: Options = {}): RetryPolicyShape => {
  const maxRetries = Math.max(0, Math.floor(options.maxRetries ?? 3))
  const maxDelay = Duration.decode(options.maxDelay ?? Duration.seconds(10))
  const backoff = Schedule.exponential(options.baseDelay ?? Duration.millis(250), options.factor ?? 2).pipe(
    (s) =>
      options.jitter === false
        ? s
        : options.jitter === true
        ? Schedule.jittered(s)
        : Schedule.jitteredWith(s, { min: 0, max: 1 }),
    Schedule.modifyDelay((_, delay) => Duration.min(delay, maxDelay)),
    Schedule.intersect(Schedule.recurs(maxRetries)),
    Schedule.asVoid
  )
  return {
    schedule: options.schedule ?? backoff,
    maxRetryAfter: Duration.decode(options.maxRetryAfter ?? Duration.seconds(30)),
    isTransient: options.isTransient ?? isTransient
  }
}

/**
 * The default policy: 3 retries, 250 ms doubling with full jitter, `Retry-After` up to 30 s.
 *
 * @since 0.1.0
 * @category constructors
 */
export const defaultPolicy: RetryPolicyShape = make()

/**
 * A policy that never retries.
 *
 * @since 0.1.0
 * @category constructors
 */
export const never: RetryPolicyShape = make({ maxRetries: 0 })

/**
 * A policy as a layer.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (options: Options = {}): Layer.Layer<RetryPolicy> => Layer.succeed(RetryPolicy, make(options))

/**
 * The wait a failure asks for (`Retry-After`, else the rate-limit reset), in milliseconds.
 *
 * @since 0.1.0
 * @category accessors
 */
export const retryAfterMillis = (error: Errors.RequestFailure): Option.Option<number> =>
  error._tag === "RateLimited" && error.retryAfterSeconds !== undefined
    ? Option.some(error.retryAfterSeconds * 1000)
    : Option.none()

/**
 * How safe a call is to repeat: `idempotent` (GET, or a write the caller opted in) may be
 * repeated after any transient failure; `unsafe` only when the request was never sent.
 *
 * @since 0.1.0
 * @category models
 */
export type Safety = "idempotent" | "unsafe"

/**
 * The safety of a call by method: `GET`/`HEAD`/`OPTIONS` are idempotent, everything else is
 * unsafe unless `idempotent` says otherwise.
 *
 * @since 0.1.0
 * @category constructors
 */
export const safetyOf = (method: string, idempotent?: boolean | undefined): Safety =>
  idempotent ?? (method === "GET" || method === "HEAD" || method === "OPTIONS") ? "idempotent" : "unsafe"

/**
 * Whether a failure may be retried under a policy, for a call of the given safety.
 *
 * @since 0.1.0
 * @category predicates
 */
export const shouldRetry = (
  policy: RetryPolicyShape,
  error: Errors.RequestFailure,
  safety: Safety
): boolean => {
  if (safety === "unsafe") return error._tag === "TransportError" && error.sent === "no"
  if (!policy.isTransient(error)) return false
  const wait = retryAfterMillis(error)
  return Option.isNone(wait) || wait.value <= Duration.toMillis(policy.maxRetryAfter)
}

/**
 * Runs `attempt` and repeats it under the policy, waiting the schedule's delay or the server's
 * `Retry-After`, whichever is longer. An attempt is repeated when it fails with a failure
 * {@link shouldRetry} accepts, or when it succeeds with a value that `failureOf` judges a failure
 * it accepts (an answer whose status is an error: the pipeline judges each answer once and keeps
 * the answer with its verdict). When the schedule is done, the last attempt's result stands.
 * `attempt` receives the attempt number (1, 2, …) and is called just before that attempt runs.
 *
 * @since 0.1.0
 * @category combinators
 */
export const retry = <A, E extends Errors.RequestFailure, R>(
  policy: RetryPolicyShape,
  safety: Safety,
  attempt: (n: number) => Effect.Effect<A, E, R>,
  failureOf: (value: A) => Errors.RequestFailure | undefined = noFailure
): Effect.Effect<A, E, R> =>
  // The first attempt runs outside the schedule: a call that succeeds (most do) pays for one
  // match and no schedule driver, and allocates nothing for retrying. Only a failure worth
  // retrying starts one, fed with that failure, exactly as `Effect.retry` would have been.
  Effect.matchCauseEffect(attempt(1), {
    onFailure: (cause) => {
      const first = Exit.failCause(cause)
      const failure = retriable(policy, safety, failureOf, first)
      return failure === undefined ? first : retryAfter(policy, safety, attempt, failureOf, first, failure)
    },
    onSuccess: (value) => {
      const failure = failureOf(value)
      if (failure === undefined || !shouldRetry(policy, failure, safety)) return Effect.succeed(value)
      return retryAfter(policy, safety, attempt, failureOf, Exit.succeed(value), failure)
    }
  })

/** No value is a failure. */
const noFailure = (): undefined => undefined

/** The failure worth another attempt in an attempt's exit, if any. */
const retriable = <A, E extends Errors.RequestFailure>(
  policy: RetryPolicyShape,
  safety: Safety,
  failureOf: (value: A) => Errors.RequestFailure | undefined,
  exit: Exit.Exit<A, E>
): Errors.RequestFailure | undefined => {
  const failure = Exit.isSuccess(exit) ? failureOf(exit.value) : Option.getOrUndefined(Cause.failureOption(exit.cause))
  return failure !== undefined && shouldRetry(policy, failure, safety) ? failure : undefined
}

/** The attempts after the first, under the policy's schedule, from the first's exit and its failure. */
const retryAfter = <A, E extends Errors.RequestFailure, R>(
  policy: RetryPolicyShape,
  safety: Safety,
  attempt: (n: number) => Effect.Effect<A, E, R>,
  failureOf: (value: A) => Errors.RequestFailure | undefined,
  first: Exit.Exit<A, E>,
  firstFailure: Errors.RequestFailure
): Effect.Effect<A, E, R> =>
  Effect.flatMap(Schedule.driver(retrySchedule(policy)), (driver) => {
    let n = 1
    const loop = (last: Exit.Exit<A, E>, failure: Errors.RequestFailure): Effect.Effect<A, E, R> =>
      Effect.matchEffect(driver.next(failure), {
        onFailure: () => last,
        onSuccess: () =>
          Effect.flatMap(Effect.exit(Effect.suspend(() => attempt(++n))), (next) => {
            const failed = retriable(policy, safety, failureOf, next)
            return failed === undefined ? next : loop(next, failed)
          })
      })
    return loop(first, firstFailure)
  })

/** The policy's schedule with each wait raised to what the failure asks for (`Retry-After`). */
const retrySchedule = (policy: RetryPolicyShape) =>
  Schedule.intersect(Schedule.identity<Errors.RequestFailure>(), policy.schedule).pipe(
    Schedule.modifyDelay(([error], delay) =>
      Option.match(retryAfterMillis(error), {
        onNone: () => delay,
        onSome: (wait) => Duration.max(delay, Duration.millis(wait))
      })
    )
  )
