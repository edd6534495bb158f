/**
 * Runs one API call: rate-limit admission, send, error decoding, safe retries, a client span
 * with method, path template, attempts and status, and — for `execute` — the last answer
 * handed back instead of its tagged error. Shared by the Fitbit and Google Health services,
 * which differ only in how they build a request and name their spans.
 *
 * @since 0.1.0
 */
import * as HttpClient from "@effect/platform/HttpClient"
import type * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as Cause from "effect/Cause"
import type * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Exit from "effect/Exit"
import * as Option from "effect/Option"
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import * as ErrorDecoder from "./errorDecoder.js"
import * as Errors from "../Errors.js"
import * as HttpExchange from "../HttpExchange.js"
import * as RateLimit from "../RateLimit.js"
import * as RateLimitPolicy from "../RateLimitPolicy.js"
import * as RetryPolicy from "../RetryPolicy.js"
import * as ParseReason from "./parseReason.js"

/**
 * What differs between the APIs that share the pipeline.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  /** Span name prefix: spans are named `{spanName} {METHOD}`, e.g. `fitbit GET`. */
  readonly spanName: string
  /** Attribute prefix for `{prefix}.path` and `{prefix}.attempts`, e.g. `fitbit`. */
  readonly attributePrefix: string
  /** The path with ids replaced by placeholders; receives whatever the caller passed as path. */
  readonly templateOf: (path: string) => string
  /**
   * How this API reports a user's rate-limit budget in an answer (Fitbit: its
   * `Fitbit-Rate-Limit-*` headers). Absent: answers carry no budget (Google's quotas are per
   * project) and only a 429's `Retry-After` is recorded.
   */
  readonly rateLimitOf?: ((raw: HttpExchange.RawResponse) => Option.Option<RateLimit.RateLimitState>) | undefined
  /** Per-attempt timeout. */
  readonly timeout: Duration.Duration
}

/**
 * One call, described independently of the API it goes to.
 *
 * @since 0.1.0
 * @category models
 */
export interface Call {
  readonly method: string
  /** The path as given, for the span's path template. */
  readonly path: string
  /**
   * The request and the values to keep out of error messages, checked before anything is sent.
   * An `Either` (pure checks) is read without a fiber step.
   */
  readonly prepare: Effect.Effect<Prepared, Errors.InvalidInput>
  /** Whether repeating the call is harmless; the method decides when absent. */
  readonly idempotent?: boolean | undefined
  /** Whose rate-limit budget the call spends; untracked when absent. */
  readonly rateLimitKey?: string | undefined
}

/**
 * A checked request ready to send.
 *
 * @since 0.1.0
 * @category models
 */
export interface Prepared {
  readonly http: HttpClientRequest.HttpClientRequest
  readonly secrets: ReadonlyArray<string>
}

/**
 * The failures of `execute`: every API failure is turned back into its answer.
 *
 * @since 0.1.0
 * @category models
 */
export type ExecuteFailure =
  | Errors.TransportError
  | Errors.TimeoutError
  | Errors.InvalidInput
  | Errors.RateLimited

/**
 * The pipeline.
 *
 * @since 0.1.0
 * @category models
 */
export interface ApiCall {
  /** Answers with the last response whatever its status; fails only without an answer. */
  readonly execute: (call: Call) => Effect.Effect<HttpExchange.RawResponse, ExecuteFailure>
  /** Fails with the tagged error of any non-2xx answer (after safe retries). */
  readonly request: (call: Call) => Effect.Effect<HttpExchange.RawResponse, Errors.RequestFailure>
  /** The per-user rate-limit tracker in use. */
  readonly rateLimits: RateLimitPolicy.RateLimitPolicyShape
}

// The answer behind each API failure, so `execute` can hand back the last response. A hidden
// property, not a WeakMap: Effect proxies errors that cross a span, keeping properties only.
const ANSWER: unique symbol = Symbol.for("@fitbit-effect/core/ApiCall/answer") as never

const attachAnswer = (failure: object, raw: HttpExchange.RawResponse): void => {
  Object.defineProperty(failure, ANSWER, { value: raw, enumerable: false })
}

/**
 * The answer a failure of the pipeline came with, if any.
 *
 * @since 0.1.0
 * @category accessors
 */
export const answerOf = (error: object): HttpExchange.RawResponse | undefined =>
  (error as { readonly [ANSWER]?: HttpExchange.RawResponse })[ANSWER]

/**
 * Makes the pipeline from an `HttpClient` and the `RetryPolicy` and `RateLimitPolicy` in
 * context (their defaults otherwise).
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (options: Options): Effect.Effect<ApiCall, never, HttpClient.HttpClient> =>
  Effect.gen(function*() {
    const client = yield* HttpClient.HttpClient
    const retryPolicy = Option.getOrElse(yield* Effect.serviceOption(RetryPolicy.RetryPolicy), () => RetryPolicy.defaultPolicy)
    const provided = yield* Effect.serviceOption(RateLimitPolicy.RateLimitPolicy)
    const rateLimits = Option.isSome(provided) ? provided.value : yield* RateLimitPolicy.make()
    const attemptsAttribute = `${options.attributePrefix}.attempts`
    const pathAttribute = `${options.attributePrefix}.path`
    const sendOptions = { timeout: options.timeout }
    const rateLimitOf = options.rateLimitOf

    /** What an answer means: itself (2xx) or its tagged error, with the rate-limit state recorded. */
    const settle = (
      raw: HttpExchange.RawResponse,
      key: string | undefined,
      secrets: ReadonlyArray<string>
    ): Effect.Effect<HttpExchange.RawResponse, Errors.RequestFailure> => {
      const rateLimit = rateLimitOf === undefined ? Option.none() : rateLimitOf(raw)
      const answer: HttpExchange.RawResponse = rateLimitOf === undefined ? raw : { ...raw, rateLimit }
      const observed = key !== undefined && Option.isSome(rateLimit) ? rateLimits.observe(key, rateLimit.value) : undefined
      if (HttpExchange.isSuccess(raw.status)) return observed === undefined ? Effect.succeed(answer) : Effect.as(observed, answer)
      const failure = ErrorDecoder.toApiFailure({ ...raw, now: raw.receivedAt, secrets })
      // The answer a caller may still read (the facade's `[body, response]`): the request's secrets scrubbed.
      attachAnswer(failure, { ...answer, text: "", body: ErrorDecoder.scrubBody(answer.body, secrets) })
      const rejected = key !== undefined && failure._tag === "RateLimited" && failure.retryAfterSeconds !== undefined &&
          Option.isNone(rateLimit)
        ? rateLimits.observeRejected(key, failure.retryAfterSeconds)
        : undefined
      const recorded = observed ?? rejected
      return recorded === undefined ? Effect.fail(failure) : Effect.zipRight(recorded, Effect.fail(failure))
    }

    const attempt = (http: HttpClientRequest.HttpClientRequest, key: string | undefined, secrets: ReadonlyArray<string>) => {
      const sent = Effect.flatMap(
        HttpExchange.send(client, http, secrets.length === 0 ? sendOptions : { timeout: options.timeout, secrets }),
        (raw) => settle(raw, key, secrets)
      )
      return key === undefined
        ? sent
        : Effect.zipRight(rateLimits.admit(key, { method: http.method, url: HttpExchange.displayUrl(http.url) }), sent)
    }

    /** One call with retries; inside its span only when a tracer is installed (no work for spans otherwise). */
    const run = <A, E>(
      call: Call,
      finish: (self: Effect.Effect<HttpExchange.RawResponse, Errors.RequestFailure>) => Effect.Effect<A, E>
    ): Effect.Effect<A, E | Errors.InvalidInput> => {
      const withPrepared = (prepared: Prepared, traced: boolean) => {
        const { http, secrets } = prepared
        const safety = RetryPolicy.safetyOf(call.method, call.idempotent)
        if (!traced) return finish(RetryPolicy.retry(retryPolicy, safety, () => attempt(http, call.rateLimitKey, secrets)))
        let attempts = 0
        return finish(
          RetryPolicy.retry(retryPolicy, safety, (n) => {
            attempts = n
            return attempt(http, call.rateLimitKey, secrets)
          }).pipe(
            Effect.onExit((exit) =>
              Effect.annotateCurrentSpan({
                [attemptsAttribute]: attempts,
                ...(Exit.isSuccess(exit)
                  ? { "http.response.status_code": exit.value.status }
                  : Option.match(Cause.failureOption(exit.cause), {
                    onNone: () => ({}),
                    onSome: (error): Record<string, unknown> =>
                      "status" in error
                        ? { "http.response.status_code": error.status, "error.type": error._tag }
                        : { "error.type": error._tag }
                  }))
              })
            )
          )
        )
      }
      return Effect.withFiberRuntime<A, E | Errors.InvalidInput>((fiber) => {
        const traced = HttpExchange.isTracing(fiber)
        const prepare = call.prepare
        // A pure preparation (an `Either`) is read directly; any other effect is run first.
        const pure = Either.isEither(prepare) ? prepare as Either.Either<Prepared, Errors.InvalidInput> : undefined
        const body: Effect.Effect<A, E | Errors.InvalidInput> = pure === undefined
          ? Effect.flatMap(prepare, (prepared) => withPrepared(prepared, traced))
          : Either.isLeft(pure)
          ? Effect.fail(pure.left)
          : withPrepared(pure.right, traced)
        if (!traced) return body
        return Effect.withSpan(body, `${options.spanName} ${call.method}`, {
          kind: "client",
          // A captured stack per call costs more than the rest of the span; the path names the call.
          captureStackTrace: false,
          attributes: { "http.request.method": call.method, [pathAttribute]: options.templateOf(call.path) }
        })
      })
    }

    return {
      execute: (call) =>
        run(call, (self) =>
          Effect.catchAll(self, (error) => {
            const answer = answerOf(error)
            if (answer !== undefined) return Effect.succeed(answer)
            switch (error._tag) {
              case "TransportError":
              case "TimeoutError":
              case "InvalidInput":
              case "RateLimited":
                return Effect.fail(error)
              default:
                // Every other failure carries an answer; reaching here is a bug.
                return Effect.die(error)
            }
          })),
      request: (call) => run(call, (self) => self),
      rateLimits
    }
  })

// One decoder per schema, built on first use.
const decoders = new WeakMap<Schema.Schema<any, any, never>, (u: unknown) => Either.Either<any, ParseResult.ParseError>>()

const decoderOf = <A, I>(schema: Schema.Schema<A, I, never>): (u: unknown) => Either.Either<A, ParseResult.ParseError> => {
  let decode = decoders.get(schema)
  if (decode === undefined) {
    decode = Schema.decodeUnknownEither(schema)
    decoders.set(schema, decode)
  }
  return decode
}

/**
 * Decodes a response body with a schema; failures become a `DecodeError` naming the call's
 * `method` (the response does not carry it). The decoder is built once per schema and runs
 * synchronously; a schema that needs an effect to decode is run as one.
 *
 * @since 0.1.0
 * @category decoding
 */
export const decodeBody = <A, I>(schema: Schema.Schema<A, I, never>, method: string) =>
<R extends { readonly status: number; readonly url: string; readonly body: unknown }>(
  response: R
): Effect.Effect<Omit<R, "body"> & { readonly body: A }, Errors.DecodeError> => {
  const toError = (error: ParseResult.ParseError) => ParseReason.decodeError(response, method, error)
  const decoded = decoderOf(schema)(response.body)
  if (Either.isRight(decoded)) return Effect.succeed({ ...response, body: decoded.right })
  // An asynchronous schema cannot decode synchronously: decode it as an effect.
  if (decoded.left.issue._tag === "Forbidden") {
    return Schema.decodeUnknown(schema)(response.body).pipe(
      Effect.map((body) => ({ ...response, body })),
      Effect.mapError(toError)
    )
  }
  return Effect.fail(toError(decoded.left))
}
