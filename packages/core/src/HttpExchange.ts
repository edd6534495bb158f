/**
 * Sending one HTTP request and reading its whole answer, with transport failures and
 * timeouts turned into tagged errors. Shared by the OAuth, Fitbit and Google programs.
 *
 * @since 0.1.0
 */
import * as HttpClient from "@effect/platform/HttpClient"
import type * as HttpClientError from "@effect/platform/HttpClientError"
import type * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import type * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as Clock from "effect/Clock"
import * as Context from "effect/Context"
import * as DefaultServices from "effect/DefaultServices"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as FiberId from "effect/FiberId"
import * as FiberRef from "effect/FiberRef"
import * as Runtime from "effect/Runtime"
import * as Option from "effect/Option"
import * as ErrorDecoder from "./internal/errorDecoder.js"
import type * as RateLimit from "./RateLimit.js"
import { TimeoutError, TransportError } from "./Errors.js"

/**
 * A complete HTTP answer: status, headers (lower-cased names), the body as text and parsed.
 *
 * @since 0.1.0
 * @category models
 */
export interface RawResponse {
  readonly method: string
  /** The request URL without its query string. */
  readonly url: string
  readonly status: number
  readonly headers: Readonly<Record<string, string>>
  readonly text: string
  /** JSON when the body parsed as JSON, the text otherwise, `undefined` when empty. */
  readonly body: unknown
  /** When the answer was read, epoch milliseconds from `Clock`. */
  readonly receivedAt: number
  /** The budget the API reported in this answer, once the pipeline has read it (APIs that report one: `Options.rateLimitOf`). */
  readonly rateLimit?: Option.Option<RateLimit.RateLimitState> | undefined
}

/**
 * The URL of a request as it may appear in errors and spans: origin and path, no query.
 *
 * @since 0.1.0
 * @category formatting
 */
export const displayUrl = (url: string): string => {
  const query = url.indexOf("?")
  return query === -1 ? url : url.slice(0, query)
}

const describeCause = (error: HttpClientError.HttpClientError, secrets: ReadonlyArray<string>): string => {
  const cause = error.cause
  const detail = cause instanceof Error
    ? [cause.message, (cause as { cause?: unknown }).cause instanceof Error ? ((cause as { cause: Error }).cause).message : ""]
      .filter((s) => s !== "")
      .join(": ")
    : ""
  return ErrorDecoder.scrub(`${error.reason}${detail === "" ? "" : `: ${detail}`}`, secrets)
}

/**
 * Marks a `TransportError` whose request never left the process. A hidden property rather
 * than a `WeakSet`: Effect wraps errors that cross a span in a proxy, which keeps properties
 * but not identity.
 */
const notSent: unique symbol = Symbol.for("@fitbit-effect/core/HttpExchange/notSent") as never

/** Error codes that mean no connection was made, so no byte of the request left this process. */
const NOT_CONNECTED = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EAI_NONAME",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EADDRNOTAVAIL",
  "UND_ERR_CONNECT_TIMEOUT",
  "ERR_INVALID_URL"
])

/**
 * Whether an HTTP client failure happened before the request could have reached the server:
 * the request could not be encoded or its URL was invalid, or the connection was never made
 * (refused, unresolvable host, unreachable network, connect timeout: read from the `code` of
 * the error or its causes, as Node's `http`, `fetch` and undici report it). Anything else
 * (a reset, a closed socket, a failure while reading the answer) counts as possibly sent.
 *
 * @since 0.1.0
 * @category predicates
 */
export const failedBeforeSending = (error: HttpClientError.HttpClientError): boolean => {
  if (error._tag === "RequestError" && (error.reason === "Encode" || error.reason === "InvalidUrl")) return true
  if (error._tag !== "RequestError") return false
  let cause: unknown = error.cause
  for (let depth = 0; depth < 5 && typeof cause === "object" && cause !== null; depth++) {
    const code = (cause as { code?: unknown }).code
    if (typeof code === "string" && NOT_CONNECTED.has(code)) return true
    const errors = (cause as { errors?: unknown }).errors
    // Node's happy-eyeballs connect reports an AggregateError of per-address failures.
    if (Array.isArray(errors) && errors.length > 0) {
      return errors.every((e) => typeof e === "object" && e !== null && NOT_CONNECTED.has(String((e as { code?: unknown }).code)))
    }
    cause = (cause as { cause?: unknown }).cause
  }
  return false
}

/**
 * Whether a `TransportError` from {@link send} is known never to have been sent (see
 * {@link failedBeforeSending}); such a request may be repeated even if it writes data.
 *
 * @since 0.1.0
 * @category predicates
 */
export const requestNotSent = (error: TransportError): boolean =>
  (error as unknown as { readonly [notSent]?: boolean })[notSent] === true

/**
 * The capability of an `HttpClient` that sends a request and answers its whole response in
 * one step, keeping the deadline itself: past it, the request is aborted and the effect fails
 * with a {@link DeadlineExceeded} cause. The pipeline then takes one asynchronous step per
 * exchange and needs no timer fiber of its own. `@fitbit-effect/node`'s lean undici client
 * has it; any other client goes through `execute` and a timer on the caller's `Clock`.
 *
 * @since 0.1.0
 * @category models
 */
export const SendWhole: unique symbol = Symbol.for("@fitbit-effect/core/HttpExchange/SendWhole") as never

/**
 * A complete answer from a {@link WholeClient}.
 *
 * @since 0.1.0
 * @category models
 */
export interface WholeAnswer {
  readonly status: number
  /** Header names lower-cased (may be parsed only when read). */
  readonly headers: Readonly<Record<string, string>>
  readonly text: string
}

/**
 * A client with {@link SendWhole}.
 *
 * @since 0.1.0
 * @category models
 */
export interface WholeClient extends HttpClient.HttpClient {
  readonly [SendWhole]: (
    request: HttpClientRequest.HttpClientRequest,
    timeoutMillis: number
  ) => Effect.Effect<WholeAnswer, HttpClientError.HttpClientError>
}

/**
 * The cause a {@link WholeClient} fails with when the deadline passes.
 *
 * @since 0.1.0
 * @category models
 */
export class DeadlineExceeded extends Error {
  readonly [SendWhole] = true
  constructor(readonly timeoutMillis: number) {
    super(`no complete answer within ${timeoutMillis}ms`)
    this.name = "DeadlineExceeded"
  }
}

const sendsWhole = (client: HttpClient.HttpClient): client is WholeClient =>
  typeof (client as Partial<WholeClient>)[SendWhole] === "function"

const isDeadline = (error: HttpClientError.HttpClientError): boolean =>
  typeof error.cause === "object" && error.cause !== null && (error.cause as { [SendWhole]?: unknown })[SendWhole] === true

/**
 * Sends a request with the given client and reads the whole body. Only transport failures
 * and the timeout fail; every HTTP status is a success here. A client that answers whole
 * responses ({@link SendWhole}) is given the deadline; any other runs under a timer of the
 * caller's `Clock`.
 *
 * @since 0.1.0
 * @category requests
 */
export const send = (
  client: HttpClient.HttpClient,
  request: HttpClientRequest.HttpClientRequest,
  options: {
    readonly timeout: Duration.Duration
    /** Values to keep out of error messages. */
    readonly secrets?: ReadonlyArray<string>
  }
): Effect.Effect<RawResponse, TransportError | TimeoutError> => {
  const method = request.method
  const secrets = options.secrets ?? []
  // A secret in the URL (a capability in the path) never reaches an error.
  const url = ErrorDecoder.scrubSecrets(displayUrl(request.url), secrets)
  const timeoutMillis = Duration.toMillis(options.timeout)
  const timedOut = () => new TimeoutError({ method, url, timeoutMillis })
  const read = (response: HttpClientResponse.HttpClientResponse) =>
    Effect.flatMap(response.text, (text) =>
      Effect.map(Clock.currentTimeMillis, (receivedAt): RawResponse => ({
        method,
        url,
        status: response.status,
        headers: response.headers,
        text,
        body: ErrorDecoder.parseBody(text),
        receivedAt
      })))
  const fail = (error: HttpClientError.HttpClientError): TransportError | TimeoutError => {
    if (isDeadline(error)) return timedOut()
    const failure = new TransportError({ method, url, reason: describeCause(error, secrets) })
    if (failedBeforeSending(error)) Object.defineProperty(failure, notSent, { value: true, enumerable: false })
    return failure
  }
  if (sendsWhole(client)) {
    // One asynchronous step for the whole exchange; the client keeps the deadline and sends no
    // trace headers unless asked. The clock is the fiber's (a `TestClock` applies).
    const whole = client[SendWhole](request, timeoutMillis)
    return Effect.withFiberRuntime((fiber) => {
      const clock = Context.get(fiber.getFiberRef(DefaultServices.currentServices), Clock.Clock)
      return Effect.mapBoth(whole, {
        onFailure: fail,
        onSuccess: (answer): RawResponse => ({
          method,
          url,
          status: answer.status,
          headers: answer.headers,
          text: answer.text,
          body: ErrorDecoder.parseBody(answer.text),
          receivedAt: clock.unsafeCurrentTimeMillis()
        })
      })
    })
  }
  return client.execute(request).pipe(
    // Trace headers are not sent to third-party APIs: the wire format stays what the API documents.
    Effect.locally(HttpClient.currentTracerPropagation, false),
    Effect.flatMap(read),
    Effect.mapError(fail),
    (self) => timeoutFail(self, options.timeout, timedOut)
  )
}

/**
 * `Effect.timeoutFail` with less work per call: the request and the timer run as two fibers
 * of the caller's runtime (so the `Clock`, including `TestClock`, and the current span apply)
 * joined by plain callbacks, instead of `raceFibersWith`. On timeout the request fiber is
 * interrupted and awaited before the failure; interrupting the caller interrupts both.
 * Measured by `pnpm bench`: about half the CPU of `Effect.timeoutFail` per call.
 */
const timeoutFail = <A, E, E2>(
  self: Effect.Effect<A, E>,
  duration: Duration.Duration,
  onTimeout: () => E2
): Effect.Effect<A, E | E2> =>
  Effect.flatMap(Effect.runtime<never>(), (runtime) =>
    Effect.async<A, E | E2>((resume) => {
      const run = Runtime.runFork(runtime)
      const work = run(self)
      const timer = run(Effect.sleep(duration))
      let settled = false
      work.addObserver((exit) => {
        if (settled) return
        settled = true
        timer.unsafeInterruptAsFork(FiberId.none)
        resume(exit)
      })
      timer.addObserver((exit) => {
        if (settled || exit._tag !== "Success") return
        settled = true
        resume(Effect.zipRight(Fiber.interrupt(work), Effect.fail(onTimeout())))
      })
      return Effect.suspend(() => {
        settled = true
        timer.unsafeInterruptAsFork(FiberId.none)
        return Fiber.interrupt(work)
      })
    }))

/**
 * Whether a status is a success (2xx).
 *
 * @since 0.1.0
 * @category predicates
 */
export const isSuccess = (status: number): boolean => status >= 200 && status < 300

/** The tracer every fiber has when none is installed: spans made with it go nowhere. */
const NATIVE_TRACER = Effect.runSync(Effect.tracer)

/**
 * Whether spans made in this fiber are recorded: a tracer other than Effect's built-in one is
 * installed and tracing is on. The pipeline and the lean client skip span work otherwise.
 *
 * @since 0.1.0
 * @category utils
 */
export const isTracing = (fiber: Fiber.RuntimeFiber<unknown, unknown>): boolean =>
  fiber.currentTracer !== NATIVE_TRACER && fiber.getFiberRef(FiberRef.currentTracerEnabled)
