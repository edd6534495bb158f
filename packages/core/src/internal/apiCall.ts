/**
 * Runs one API call, in named steps: prepare (check the input), admit (the rate-limit budget),
 * send (`HttpExchange.send`), judge (a 2xx is the answer; any other status is handed to the
 * provider's `decodeFailure`), retry (`RetryPolicy`, only what is safe to repeat), all inside a
 * client span with method, path template, attempts and status when a tracer is installed.
 * Shared by the Fitbit and Google Health services, which pass what differs as {@link Options}.
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
import type * as Errors from "../Errors.js"
import * as HttpExchange from "../HttpExchange.js"
import type * as RateLimit from "../RateLimit.js"
import * as RateLimitPolicy from "../RateLimitPolicy.js"
import * as RetryPolicy from "../RetryPolicy.js"
import * as FastDecode from "./fastDecode.js"
import * as ParseReason from "./parseReason.js"

/**
 * What differs between the APIs that share the pipeline: the provider's hooks.
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
  readonly rateLimitOf?: ((headers: Readonly<Record<string, string>>, now: number) => Option.Option<RateLimit.RateLimitState>) | undefined
  /** The tagged error of a non-2xx answer (its messages scrubbed of `secrets`). */
  readonly decodeFailure: (response: HttpExchange.ApiResponse, secrets: ReadonlyArray<string>) => Errors.ApiFailure
  /** Per-attempt timeout. */
  readonly timeout: Duration.Duration
  /**
   * The quotas the API publishes (Google's 300 a minute per user, 120,000 per project), counted
   * before sending: `perUser` against the call's `rateLimitKey`, `perProject` against its `key`
   * for every call. Absent: only what answers report is counted.
   */
  readonly quotas?: {
    readonly perUser?: RateLimitPolicy.Quota | undefined
    readonly perProject?: (RateLimitPolicy.Quota & { readonly key: string }) | undefined
  } | undefined
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
  /** The request and the values to keep out of error messages, checked before anything is sent. */
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
 * The failures of `execute`: those with no answer to hand back.
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
  readonly execute: (call: Call) => Effect.Effect<HttpExchange.ApiResponse, ExecuteFailure>
  /** Fails with the tagged error of any non-2xx answer (after safe retries). */
  readonly request: (call: Call) => Effect.Effect<HttpExchange.ApiResponse, Errors.RequestFailure>
  /** The per-user rate-limit tracker in use. */
  readonly rateLimits: RateLimitPolicy.RateLimitPolicyShape
}

/** The span attributes of a finished call: attempts, and the status or the error's tag. */
const outcomeAttributes = (
  attemptsAttribute: string,
  attempts: number,
  exit: Exit.Exit<HttpExchange.ApiResponse, Errors.RequestFailure>
): Record<string, unknown> => ({
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

/**
 * Makes the pipeline from an `HttpClient` and the `RetryPolicy` and `RateLimitPolicy` in
 * context (their defaults otherwise).
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (options: Options): Effect.Effect<ApiCall, never, HttpClient.HttpClient> =>
  Effect.gen(function*() {
    // Each exchange bounded by the per-attempt timeout (by the client itself when it declares so).
    const client = yield* HttpExchange.boundedClient(options.timeout)
    const retryPolicy = Option.getOrElse(yield* Effect.serviceOption(RetryPolicy.RetryPolicy), () => RetryPolicy.defaultPolicy)
    const provided = yield* Effect.serviceOption(RateLimitPolicy.RateLimitPolicy)
    const rateLimits = Option.isSome(provided) ? provided.value : yield* RateLimitPolicy.make()
    const attemptsAttribute = `${options.attributePrefix}.attempts`
    const pathAttribute = `${options.attributePrefix}.path`
    const { decodeFailure, quotas, rateLimitOf, timeout } = options

    /** The answer's budget recorded for the user, and a 429's wait when it reported none. */
    const record = (key: string, response: HttpExchange.ApiResponse, failure: Errors.ApiFailure | undefined) =>
      Option.isSome(response.rateLimit)
        ? rateLimits.observe(key, response.rateLimit.value)
        : failure?._tag === "RateLimited" && failure.retryAfterSeconds !== undefined
        ? rateLimits.observeRejected(key, failure.retryAfterSeconds)
        : undefined

    /**
     * One attempt: admit, send, judge. `answered` receives the non-2xx answer the attempt
     * failed on (its body scrubbed of the request's secrets), for `execute` to hand back.
     */
    const attempt = (call: Call, prepared: Prepared, answered: { last: HttpExchange.ApiResponse | undefined }) => {
      const { http, secrets } = prepared
      const key = call.rateLimitKey
      const judge = (response: HttpExchange.ApiResponse): Effect.Effect<HttpExchange.ApiResponse, Errors.RequestFailure> => {
        const failure = HttpExchange.isSuccess(response.status) ? undefined : decodeFailure(response, secrets)
        if (failure !== undefined) answered.last = { ...response, body: ErrorDecoder.scrubBody(response.body, secrets) }
        const outcome = failure === undefined ? Effect.succeed(response) : Effect.fail(failure)
        const recorded = key === undefined ? undefined : record(key, response, failure)
        return recorded === undefined ? outcome : Effect.zipRight(recorded, outcome)
      }
      const sent = Effect.flatMap(HttpExchange.send(client, http, { timeout, secrets, rateLimitOf }), judge)
      const project = quotas?.perProject
      if (key === undefined && project === undefined) return sent
      const request = { method: http.method, url: HttpExchange.displayUrl(http.url) }
      const user = key === undefined ? sent : Effect.zipRight(rateLimits.admit(key, request, quotas?.perUser), sent)
      return project === undefined ? user : Effect.zipRight(rateLimits.admit(project.key, request, project), user)
    }

    /** Attempts under the retry policy, counting them for the span when traced. */
    const attempts = (call: Call, prepared: Prepared, traced: boolean, answered: { last: HttpExchange.ApiResponse | undefined }) => {
      const safety = RetryPolicy.safetyOf(call.method, call.idempotent)
      // `retry` asks for each attempt just before running it: the previous attempt's answer is forgotten then.
      if (!traced) {
        return RetryPolicy.retry(retryPolicy, safety, () => {
          answered.last = undefined
          return attempt(call, prepared, answered)
        })
      }
      let count = 0
      return RetryPolicy.retry(retryPolicy, safety, (n) => {
        count = n
        answered.last = undefined
        return attempt(call, prepared, answered)
      }).pipe(Effect.onExit((exit) => Effect.annotateCurrentSpan(outcomeAttributes(attemptsAttribute, count, exit))))
    }

    /** The call: prepared, attempted, finished (`execute` hands back the last answer), in its span when traced. */
    const run = <A, E>(
      call: Call,
      finish: (
        self: Effect.Effect<HttpExchange.ApiResponse, Errors.RequestFailure>,
        answered: { last: HttpExchange.ApiResponse | undefined }
      ) => Effect.Effect<A, E>
    ): Effect.Effect<A, E | Errors.InvalidInput> =>
      Effect.withFiberRuntime<A, E | Errors.InvalidInput>((fiber) => {
        const traced = HttpExchange.isTracing(fiber)
        const answered = { last: undefined as HttpExchange.ApiResponse | undefined }
        const body = Effect.flatMap(call.prepare, (prepared) => finish(attempts(call, prepared, traced, answered), answered))
        if (!traced) return body
        return Effect.withSpan(body, `${options.spanName} ${call.method}`, {
          kind: "client",
          // A captured stack per call costs more than the rest of the span; the path names the call.
          captureStackTrace: false,
          attributes: { "http.request.method": call.method, [pathAttribute]: options.templateOf(call.path) }
        })
      })

    return {
      execute: (call) =>
        run(call, (self, answered) =>
          Effect.catchAll(self, (error) => {
            if (answered.last !== undefined) return Effect.succeed(answered.last)
            switch (error._tag) {
              case "TransportError":
              case "TimeoutError":
              case "InvalidInput":
              case "RateLimited":
                return Effect.fail(error)
              default:
                // Every other failure is decoded from an answer, which `answered` holds; reaching here is a bug.
                return Effect.die(error)
            }
          })),
      request: (call) => run(call, (self) => self),
      rateLimits
    }
  })

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
  const decoded = FastDecode.decoderOf(schema)(response.body)
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
