/**
 * Runs one API call, in named steps whose inputs and outputs are the whole story:
 * `prepare` (the checked request), `admit` (the rate-limit budget), `send` (`HttpExchange.send`),
 * `judge` (a 2xx is the answer; any other status gets its tagged error from the provider's
 * `decodeFailure`, once), `record` (the budget the answer reported), and `retry` (`RetryPolicy`,
 * only what is safe to repeat), all inside a client span with method, path template, attempts and
 * status when a tracer is installed. Shared by the Fitbit and Google Health services, which pass
 * what differs as {@link Options}.
 *
 * The policies are context references with defaults (`RetryPolicy.RetryPolicy`,
 * `RateLimitPolicy.RateLimitPolicy`, `HttpExchange.AttemptTimeout`): the value in the calling
 * fiber's context wins, then the one the service was built with, then the default.
 *
 * @since 0.1.0
 */
import * as HttpClient from "@effect/platform/HttpClient"
import type * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as Cause from "effect/Cause"
import type * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Exit from "effect/Exit"
import * as Option from "effect/Option"
import type * as Errors from "../Errors.js"
import * as HttpExchange from "../HttpExchange.js"
import * as RateLimit from "../RateLimit.js"
import * as RateLimitPolicy from "../RateLimitPolicy.js"
import * as RetryPolicy from "../RetryPolicy.js"
import * as ErrorDecoder from "./errorDecoder.js"
import * as internalExchange from "./httpExchange.js"

/**
 * What differs between the APIs that share the pipeline: the provider's hooks.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  /** The provider, naming its budgets in the rate-limit tracker (`RateLimitPolicy.keyOf`), e.g. `fitbit`. */
  readonly provider: string
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
  /** Per-attempt timeout (the configuration's; `HttpExchange.AttemptTimeout` overrides it). */
  readonly timeout: Duration.Duration
  /** The largest answer body read (the configuration's; default `HttpExchange.DEFAULT_MAX_BODY_BYTES`). */
  readonly maxBodyBytes?: number | undefined
  /**
   * The quotas the API publishes (Google's 300 a minute per user, 120,000 per project), counted
   * before sending: `perUser` against the call's `rateLimitKey`, `perProject` against the project
   * `id` (the OAuth client id) for every call. Absent: only what answers report is counted.
   */
  readonly quotas?: {
    readonly perUser?: RateLimitPolicy.Quota | undefined
    readonly perProject?: (RateLimitPolicy.Quota & { readonly id: string }) | undefined
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
  readonly prepare: Either.Either<Prepared, Errors.InvalidInput>
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
 * An answer with its verdict, judged once: `failure` is the tagged error of a non-2xx status
 * (and the answer's body is then scrubbed of the request's secrets), absent for a 2xx.
 *
 * @since 0.1.0
 * @category models
 */
export interface Judged {
  readonly response: HttpExchange.ApiResponse
  readonly failure: Errors.ApiFailure | undefined
}

/**
 * The failures of an attempt that got no answer to judge.
 *
 * @since 0.1.0
 * @category models
 */
export type Unanswered = Errors.TransportError | Errors.TimeoutError | Errors.ResponseTooLarge | Errors.RateLimited

/**
 * The failures of `execute`: those with no answer to hand back.
 *
 * @since 0.1.0
 * @category models
 */
export type ExecuteFailure = Errors.ExecuteFailure

/**
 * The pipeline.
 *
 * @since 0.1.0
 * @category models
 */
export interface ApiCall {
  /** Answers with the last answer whatever its status; fails only without an answer. */
  readonly execute: (call: Call) => Effect.Effect<HttpExchange.ApiResponse, ExecuteFailure>
  /** Fails with the tagged error of any non-2xx answer (after safe retries). */
  readonly request: (call: Call) => Effect.Effect<HttpExchange.ApiResponse, Errors.RequestFailure>
  /** The rate-limit tracker of this service (its own, or the shared one it was built with). */
  readonly rateLimits: RateLimitPolicy.RateLimitPolicyShape
}

/** The policies one call runs under. */
interface Policies {
  readonly retry: RetryPolicy.RetryPolicyShape
  readonly rateLimits: RateLimitPolicy.RateLimitPolicyShape
  readonly client: HttpClient.HttpClient
  readonly timeout: Duration.Duration
}

/** A reference's value when it is in a context, whatever its default. */
const provided = <I, S>(context: Context.Context<never>, tag: Context.Reference<I, S>): S | undefined =>
  context.unsafeMap.get(tag.key) as S | undefined

/**
 * judge: the verdict on an answer: none for a 2xx; otherwise the provider's tagged error, and the
 * answer with its body scrubbed of the request's secrets (what `execute` hands back).
 *
 * @since 0.1.0
 * @category requests
 */
export const judge = (
  options: Pick<Options, "decodeFailure">,
  response: HttpExchange.ApiResponse,
  secrets: ReadonlyArray<string>
): Judged =>
  HttpExchange.isSuccess(response.status)
    ? { response, failure: undefined }
    : {
      response: { ...response, body: ErrorDecoder.scrubBody(response.body, secrets) },
      failure: options.decodeFailure(response, secrets)
    }

/**
 * record: the budget an answer reported for the user, or a 429's wait when it reported none;
 * nothing to do otherwise (`undefined`).
 *
 * @since 0.1.0
 * @category requests
 */
export const record = (
  rateLimits: RateLimitPolicy.RateLimitPolicyShape,
  key: string,
  judged: Judged
): Effect.Effect<void> | undefined => {
  const { failure, response } = judged
  return Option.isSome(response.rateLimit)
    ? rateLimits.observe(key, response.rateLimit.value)
    : failure?._tag === "RateLimited" && failure.retryAfterSeconds !== undefined
    ? rateLimits.observeRejected(key, RateLimit.boundedWait(failure.retryAfterSeconds))
    : undefined
}

/**
 * The budgets one call spends, under their tracker keys (`RateLimitPolicy.keyOf`).
 *
 * @since 0.1.0
 * @category models
 */
export interface Budgets {
  /** The user's budget, with the quota the API publishes per user, if any. */
  readonly user?: { readonly key: string; readonly quota?: RateLimitPolicy.Quota | undefined } | undefined
  /** The project's quota. */
  readonly project?: { readonly key: string; readonly quota: RateLimitPolicy.Quota } | undefined
}

/**
 * admit: the call counted against the user's budget, then the project's quota, before sending;
 * `undefined` when nothing is counted.
 *
 * @since 0.1.0
 * @category requests
 */
export const admit = (
  rateLimits: RateLimitPolicy.RateLimitPolicyShape,
  budgets: Budgets,
  http: HttpClientRequest.HttpClientRequest
): Effect.Effect<void, Errors.RateLimited> | undefined => {
  const { project, user } = budgets
  if (user === undefined && project === undefined) return undefined
  const request = { method: http.method, url: HttpExchange.displayUrl(http.url) }
  const userAdmit = user === undefined ? undefined : rateLimits.admit(user.key, request, user.quota)
  const projectAdmit = project === undefined ? undefined : rateLimits.admit(project.key, request, project.quota)
  // The user's budget first: a call it refuses is not sent, so it spends none of the project's
  // (one user spinning on a spent budget would otherwise hold every other user of the project).
  return projectAdmit === undefined ? userAdmit : userAdmit === undefined ? projectAdmit : Effect.zipRight(userAdmit, projectAdmit)
}

/** The span attributes of a finished call: the status, or the error's tag. */
const outcomeAttributes = (exit: Exit.Exit<Judged, Errors.RequestFailure>): Record<string, unknown> => {
  if (Exit.isSuccess(exit)) {
    const { failure, response } = exit.value
    return failure === undefined
      ? { "http.response.status_code": response.status }
      : { "http.response.status_code": response.status, "error.type": failure._tag }
  }
  return Option.match(Cause.failureOption(exit.cause), {
    onNone: () => ({}),
    onSome: (error): Record<string, unknown> => ({ "error.type": error._tag })
  })
}

/**
 * Makes the pipeline from the `HttpClient` in context (and what its layer declares:
 * `HttpExchange.ClientTimeout`, `HttpExchange.ClientBodyLimit`, `HttpExchange.BodyReader`,
 * `HttpExchange.ClientTraceHeaders`) and the policies in context.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (options: Options): Effect.Effect<ApiCall, never, HttpClient.HttpClient> =>
  Effect.gen(function*() {
    const client = yield* HttpClient.HttpClient
    const own: internalExchange.OwnBounds = { timeout: yield* HttpExchange.ClientTimeout, maxBodyBytes: yield* HttpExchange.ClientBodyLimit }
    const maxBodyBytes = options.maxBodyBytes ?? HttpExchange.DEFAULT_MAX_BODY_BYTES
    const readBody = yield* HttpExchange.BodyReader
    const traceHeaders = yield* HttpExchange.ClientTraceHeaders
    const built: Policies = {
      retry: yield* RetryPolicy.RetryPolicy,
      rateLimits: yield* RateLimitPolicy.trackerOf(yield* RateLimitPolicy.RateLimitPolicy),
      timeout: Option.getOrElse(yield* HttpExchange.AttemptTimeout, () => options.timeout),
      client
    }
    const bounded: Policies = { ...built, client: internalExchange.bounded(client, own, built.timeout, maxBodyBytes) }
    const attemptsAttribute = `${options.attributePrefix}.attempts`
    const pathAttribute = `${options.attributePrefix}.path`
    const { provider, quotas, rateLimitOf } = options
    const project = quotas?.perProject === undefined
      ? undefined
      : { key: RateLimitPolicy.keyOf(provider, "project", quotas.perProject.id), quota: quotas.perProject }
    const noBudgets: Budgets = project === undefined ? {} : { project }
    /** The budgets a call spends: its user's (when it names one) and the project's. */
    const budgetsOf = (userKey: string | undefined): Budgets =>
      userKey === undefined
        ? noBudgets
        : { project, user: { key: RateLimitPolicy.keyOf(provider, "user", userKey), quota: quotas?.perUser } }

    /** The policies of a call: the calling fiber's where it provides them, the service's otherwise. */
    const policiesOf = (context: Context.Context<never>): Policies => {
      const retry = provided(context, RetryPolicy.RetryPolicy)
      const rateLimits = provided(context, RateLimitPolicy.RateLimitPolicy)
      const timeout = provided(context, HttpExchange.AttemptTimeout)
      if (retry === undefined && rateLimits === undefined && timeout === undefined) return bounded
      const attemptTimeout = timeout === undefined || Option.isNone(timeout) ? built.timeout : timeout.value
      return {
        retry: retry ?? built.retry,
        rateLimits: rateLimits === undefined || "_tag" in rateLimits ? built.rateLimits : rateLimits,
        timeout: attemptTimeout,
        client: Duration.equals(attemptTimeout, built.timeout)
          ? bounded.client
          : internalExchange.bounded(client, own, attemptTimeout, maxBodyBytes)
      }
    }

    /** One attempt: admit, send, judge, record. */
    const attempt = (call: Call, prepared: Prepared, policies: Policies): Effect.Effect<Judged, Unanswered> => {
      const { http, secrets } = prepared
      const budgets = budgetsOf(call.rateLimitKey)
      const key = budgets.user?.key
      const sent = Effect.flatMap(
        HttpExchange.send(policies.client, http, { timeout: policies.timeout, secrets, rateLimitOf, readBody, traceHeaders }),
        (response) => {
          const judged = judge(options, response, secrets)
          const recorded = key === undefined ? undefined : record(policies.rateLimits, key, judged)
          return recorded === undefined ? Effect.succeed(judged) : Effect.as(recorded, judged)
        }
      )
      const admitted = admit(policies.rateLimits, budgets, http)
      return admitted === undefined ? sent : Effect.zipRight(admitted, sent)
    }

    /** The call: prepared, then attempted under the retry policy, in its span when traced. */
    const run = (call: Call): Effect.Effect<Judged, Unanswered | Errors.InvalidInput> =>
      Effect.withFiberRuntime((fiber) => {
        const prepared = call.prepare
        if (Either.isLeft(prepared)) return Effect.fail(prepared.left)
        const policies = policiesOf(fiber.currentContext)
        const safety = RetryPolicy.safetyOf(call.method, call.idempotent)
        if (!HttpExchange.isTracing(fiber)) {
          return RetryPolicy.retry(policies.retry, safety, () => attempt(call, prepared.right, policies), failureOf)
        }
        const counted = (n: number) =>
          Effect.zipRight(Effect.annotateCurrentSpan(attemptsAttribute, n), attempt(call, prepared.right, policies))
        return RetryPolicy.retry(policies.retry, safety, counted, failureOf).pipe(
          Effect.onExit((exit) => Effect.annotateCurrentSpan(outcomeAttributes(exit))),
          Effect.withSpan(`${options.spanName} ${call.method}`, {
            kind: "client",
            // A captured stack per call costs more than the rest of the span; the path names the call.
            captureStackTrace: false,
            attributes: { "http.request.method": call.method, [pathAttribute]: options.templateOf(call.path) }
          })
        )
      })

    return {
      execute: (call) => Effect.map(run(call), (judged) => judged.response),
      request: (call) =>
        Effect.flatMap(run(call), (judged) => judged.failure === undefined ? Effect.succeed(judged.response) : Effect.fail(judged.failure)),
      rateLimits: built.rateLimits
    }
  })

/** The verdict's failure, for the retry policy to weigh. */
const failureOf = (judged: Judged): Errors.RequestFailure | undefined => judged.failure

/**
 * A provider's service over the pipeline: its own request type described as a {@link Call}.
 *
 * @since 0.1.0
 * @category constructors
 */
export const service = <Request>(pipeline: ApiCall, describe: (request: Request) => Call) => ({
  execute: (request: Request) => pipeline.execute(describe(request)),
  request: (request: Request) => pipeline.request(describe(request)),
  rateLimits: pipeline.rateLimits
})
