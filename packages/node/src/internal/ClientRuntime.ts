/**
 * The plumbing the Promise clients share (internal): one `ManagedRuntime` per client, built on
 * first use and freed by `close()`; running a program to a Promise that rejects with the
 * failure itself; the `[body, response]` result of a verb; the retry and rate-limit layers of
 * a client's settings; helpers for secret-free descriptions.
 *
 * @since 0.1.0
 */
import { STATUS_CODES } from "node:http"
import { Errors, type HttpExchange, OAuth, RateLimitPolicy, RetryPolicy } from "@fitbit-effect/core/kernel"
import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import type * as Fiber from "effect/Fiber"
import * as FiberId from "effect/FiberId"
import * as Layer from "effect/Layer"
import * as ManagedRuntime from "effect/ManagedRuntime"
import * as Option from "effect/Option"
import type { VerbResult } from "../ClientOptions.js"

/**
 * The options that are set: merged over a client class's `setDefaults`, an `undefined` option
 * leaves the default in place.
 *
 * @since 0.1.0
 * @category models
 */
export const definedOnly = <A extends object>(options: A): Partial<A> =>
  Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined)) as Partial<A>

/**
 * The process-wide defaults of one Promise client class (its `setDefaults`): settings for code the
 * user cannot edit (fitbit-node code constructing its own client), merged under every client's
 * own options. The one process-wide state of the clients, by design and documented.
 *
 * @since 0.1.0
 * @category models
 */
export class Defaults<S extends object> {
  #current: Partial<S> = {}

  /** Replaces the defaults; answers the previous ones, so a test can restore them. */
  set(settings: S): S {
    const previous = this.#current
    this.#current = { ...settings }
    return previous as S
  }

  /** A client's options over the defaults: an option left `undefined` keeps the default. */
  merge<O extends S & { readonly clientId: string }>(options: O): O {
    return { ...this.#current, ...definedOnly(options), clientId: options.clientId } as O
  }
}

/**
 * An `InvalidInput` for a facade argument.
 *
 * @since 0.1.0
 * @category errors
 */
export const invalid = (field: string, reason: string): Errors.InvalidInput =>
  new Errors.InvalidInput({ field, reason })

/**
 * Checks the arguments of a Promise client's `getAuthorizeUrl`: a scope (a space-separated string
 * or an array of strings, not empty), a redirect URL, and `prompt`/`state` strings when given.
 * Throws `InvalidInput` naming the first argument to fix.
 *
 * @since 0.1.0
 * @category validation
 */
export const checkAuthorizeArgs = (scope: unknown, redirectUrl: unknown, prompt?: unknown, state?: unknown): void => {
  const validScope = typeof scope === "string" || (Array.isArray(scope) && scope.every((s: unknown) => typeof s === "string"))
  if (!validScope || OAuth.joinScopes(scope as string | ReadonlyArray<string>) === "") {
    throw invalid("scope", "a space-separated string (or array) of scopes is required")
  }
  if (typeof redirectUrl !== "string" || redirectUrl === "") throw invalid("redirectUrl", "a redirect URL is required")
  for (const [field, value] of [["prompt", prompt], ["state", state]] as const) {
    if (value !== undefined && value !== null && typeof value !== "string") throw invalid(field, "must be a string when given")
  }
}

/**
 * Resolves with the value; rejects with the failure itself (a tagged `Error`), not Effect's
 * `FiberFailure` wrapper.
 *
 * @since 0.1.0
 * @category utils
 */
export const settle = <A>(exit: Exit.Exit<A, unknown>): Promise<A> =>
  Exit.isSuccess(exit) ? Promise.resolve(exit.value) : Promise.reject(Cause.squash(exit.cause))

/**
 * Runs a synchronous check, throwing its `InvalidInput` (for constructors and pure helpers).
 *
 * @since 0.1.0
 * @category utils
 */
export const orThrow = <A>(effect: Effect.Effect<A, Errors.InvalidInput>): A => {
  const exit = Effect.runSyncExit(effect)
  if (Exit.isSuccess(exit)) return exit.value
  throw Cause.squash(exit.cause)
}

/**
 * `util.inspect`'s custom hook; the clients answer their secret-free `toJSON()` with it.
 *
 * @since 0.1.0
 * @category formatting
 */
export const inspectSymbol: unique symbol = Symbol.for("nodejs.util.inspect.custom") as never

/**
 * The retry and rate-limit layers of a client's settings. Retries are off unless asked for
 * (`true` = core's defaults); without `rateLimit`, answers are still observed but no call is
 * ever refused before sending.
 *
 * @since 0.1.0
 * @category layers
 */
export const policies = (settings: {
  readonly retry?: boolean | RetryPolicy.Options | undefined
  readonly rateLimit?: boolean | RateLimitPolicy.Options | undefined
}): Layer.Layer<RetryPolicy.RetryPolicy | RateLimitPolicy.RateLimitPolicy> =>
  Layer.merge(
    settings.retry === undefined || settings.retry === false
      ? Layer.succeed(RetryPolicy.RetryPolicy, RetryPolicy.never)
      : RetryPolicy.layer(settings.retry === true ? {} : settings.retry),
    settings.rateLimit === undefined || settings.rateLimit === false
      ? Layer.effect(
        RateLimitPolicy.RateLimitPolicy,
        Effect.map(RateLimitPolicy.make(), (tracker) => ({ ...tracker, admit: () => Effect.void }))
      )
      : RateLimitPolicy.layer(settings.rateLimit === true ? {} : settings.rateLimit)
  )

/**
 * Shapes an answer as `[body, response]`.
 *
 * @since 0.1.0
 * @category formatting
 */
export const toResult = <B>(method: string, response: HttpExchange.ApiResponse<B>): VerbResult<B> => [response.body, {
  statusCode: response.status,
  statusMessage: STATUS_CODES[response.status] ?? "",
  headers: response.headers,
  body: response.body,
  method,
  url: response.url,
  rateLimit: Option.getOrUndefined(response.rateLimit)
}]

/**
 * Marks the Promise of a verb whose result is `[body, response]` so that destructuring it without
 * `await` (`const [body] = client.get(…)`) throws a `TypeError` that says to add `await`, instead
 * of `object is not iterable`. The Promise is otherwise unchanged.
 *
 * @since 0.1.0
 * @category utils
 */
export const withAwaitHint = <A>(promise: Promise<A>, call: string): Promise<A> => {
  Object.defineProperty(promise, Symbol.iterator, {
    value: () => {
      throw new TypeError(`${call}(…) returns a Promise: add await (const [body, response] = await client.${call}(…))`)
    },
    enumerable: false
  })
  return promise
}

/**
 * The base of the Promise clients: one runtime per client, built from its layer on first use,
 * reused by every call (`run`), freed by `close()` (alias `dispose()`); `util.inspect` shows the
 * subclass's secret-free `toJSON()`. Closing refuses new calls at once (`ClientClosed`), cuts the
 * pending ones short (they reject with `ClientClosed`), and resolves once the runtime is freed:
 * its sessions first give refreshes in flight the client's timeout to reach the token store.
 *
 * @since 0.1.0
 * @category models
 */
export abstract class PromiseClient<R> {
  readonly #layer: Layer.Layer<R, unknown>
  /** The calls in flight, interrupted by `close()`. A set, not an `AbortSignal` per call: no listener per call. */
  readonly #inFlight = new Set<Fiber.RuntimeFiber<unknown, unknown>>()
  #runtime: ManagedRuntime.ManagedRuntime<R, unknown> | undefined
  #closing: Promise<void> | undefined

  constructor(layer: Layer.Layer<R, unknown>) {
    this.#layer = layer
  }

  /** A description without secrets. */
  abstract toJSON(): unknown

  /**
   * Runs a core program on this client's runtime (built on first use), resolving with its
   * value and rejecting with its failure (a tagged `Error`). The one place calls go through:
   * subclasses run their own programs with it.
   */
  protected run<A, E>(effect: Effect.Effect<A, E, R>): Promise<A> {
    if (this.#closing !== undefined) return Promise.reject(new Errors.ClientClosed({ when: "after_close" }))
    const fiber = this.managedRuntime.runFork(effect)
    this.#inFlight.add(fiber)
    return new Promise<Exit.Exit<A, unknown>>((resolve) => fiber.addObserver(resolve)).then((exit) => {
      this.#inFlight.delete(fiber)
      return this.#closing !== undefined && Exit.isFailure(exit) && Cause.isInterruptedOnly(exit.cause)
        ? Promise.reject(new Errors.ClientClosed({ when: "pending_at_close" }))
        : settle(exit)
    })
  }

  /** The runtime, built on first use; throws `ClientClosed` once closed. */
  protected get managedRuntime(): ManagedRuntime.ManagedRuntime<R, unknown> {
    if (this.#closing !== undefined) throw new Errors.ClientClosed({ when: "after_close" })
    this.#runtime ??= ManagedRuntime.make(this.#layer)
    return this.#runtime
  }

  /**
   * Closes the client: later calls reject with `ClientClosed` at once, pending ones are cut short
   * with it, and refreshes in flight get the client's timeout to reach the token store before the
   * runtime (and its HTTP connection pool) is freed. Calling it again answers the same promise.
   */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      for (const fiber of this.#inFlight) fiber.unsafeInterruptAsFork(FiberId.none)
      const runtime = this.#runtime
      this.#runtime = undefined
      if (runtime !== undefined) await runtime.dispose()
    })()
    return this.#closing
  }

  /** Same as {@link close}. */
  dispose(): Promise<void> {
    return this.close()
  }

  /** `util.inspect` / `console.log` show `toJSON()`. */
  [inspectSymbol](): unknown {
    return this.toJSON()
  }
}
