/**
 * Sending one HTTP request through any `HttpClient` and reading its whole answer as an
 * {@link ApiResponse}, with transport failures and the timeout turned into tagged errors. Shared
 * by the OAuth, Fitbit and Google programs.
 *
 * The policies of an exchange are context references with defaults, overridable for a program
 * with `Effect.provideService` (or a layer): {@link AttemptTimeout} (the per-attempt timeout) and
 * {@link TracePropagation} (trace headers to the APIs). What a client declares of itself travels
 * the same way: {@link ClientTimeout} (it bounds each exchange itself), {@link BodyReader} (it
 * can hand over a body without keeping a copy) and {@link ClientTraceHeaders} (when it sends trace
 * headers).
 *
 * @since 0.1.0
 */
import * as HttpClient from "@effect/platform/HttpClient"
import type * as HttpClientError from "@effect/platform/HttpClientError"
import type * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import type * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as Cause from "effect/Cause"
import * as Clock from "effect/Clock"
import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import type * as Fiber from "effect/Fiber"
import * as Option from "effect/Option"
import type * as Schema from "effect/Schema"
import type { DecodeError } from "./Errors.js"
import { ResponseTooLarge, TimeoutError, TransportError } from "./Errors.js"
import * as ErrorDecoder from "./internal/errorDecoder.js"
import * as internal from "./internal/httpExchange.js"
import type * as RateLimit from "./RateLimit.js"

/**
 * An API's answer, the one shape both providers answer with: status, headers (names
 * lower-cased), the parsed body (decoded when a schema was given) and the rate-limit budget the
 * answer reported.
 *
 * @since 0.1.0
 * @category models
 */
export interface ApiResponse<A = unknown> {
  readonly method: string
  /** The request URL without its query string. */
  readonly url: string
  readonly status: number
  readonly headers: Readonly<Record<string, string>>
  /** JSON when the body parsed as JSON (decoded when a schema was given), the text otherwise, `undefined` when empty. */
  readonly body: A
  /** When the answer was read, epoch milliseconds from `Clock`. */
  readonly receivedAt: number
  /** The user's budget the API reported in this answer (Fitbit's `Fitbit-Rate-Limit-*`); none for APIs that report none. */
  readonly rateLimit: Option.Option<RateLimit.RateLimitState>
}

// ---- policies: references with defaults -----------------------------------------------------

/**
 * The per-attempt timeout of the calls run where it is provided, overriding the provider
 * configuration's `timeout` (the default, `Option.none()`, keeps the configured one):
 * `Effect.provideService(HttpExchange.AttemptTimeout, Option.some(Duration.seconds(2)))`.
 *
 * @since 0.1.0
 * @category references
 */
export class AttemptTimeout extends Context.Reference<AttemptTimeout>()("@fitbit-effect/core/HttpExchange/AttemptTimeout", {
  defaultValue: (): Option.Option<Duration.Duration> => Option.none()
}) {}

/**
 * Whether trace headers (`traceparent`, `b3`) go to the APIs. Off by default: the wire stays what
 * the API documents, whatever `HttpClient.currentTracerPropagation` says. Turn it on for a program
 * (a proxy of your own that reads them) with `Effect.provideService(HttpExchange.TracePropagation, true)`.
 *
 * @since 0.1.0
 * @category references
 */
export class TracePropagation extends Context.Reference<TracePropagation>()("@fitbit-effect/core/HttpExchange/TracePropagation", {
  defaultValue: (): boolean => false
}) {}

// ---- what a client declares of itself -------------------------------------------------------

/**
 * The per-request timeout the `HttpClient` in context enforces itself, if any (default: none).
 * A client that bounds each exchange (headers and whole body) provides it; the pipeline then adds
 * no timer of its own unless the configured timeout is shorter (see {@link boundedClient}).
 *
 * @since 0.1.0
 * @category capabilities
 */
export class ClientTimeout extends Context.Reference<ClientTimeout>()("@fitbit-effect/core/HttpExchange/ClientTimeout", {
  defaultValue: (): Option.Option<Duration.Duration> => Option.none()
}) {}

/**
 * The largest answer body the `HttpClient` in context reads itself, if it bounds it (default: none).
 * With {@link ClientTimeout}, it tells the pipeline that the client bounds each exchange in time
 * and size, so no {@link withTimeout} wrapper is needed.
 *
 * @since 0.1.0
 * @category capabilities
 */
export class ClientBodyLimit extends Context.Reference<ClientBodyLimit>()("@fitbit-effect/core/HttpExchange/ClientBodyLimit", {
  defaultValue: (): Option.Option<number> => Option.none()
}) {}

/**
 * When the `HttpClient` in context sends trace headers while `HttpClient.currentTracerPropagation`
 * is on: `"always"` (the default: `@effect/platform`'s clients do, from a span of their own) or
 * `"from-span"` (only from a span in context or under a recording tracer, as
 * `@fitbit-effect/node`'s `UndiciHttpClient`). {@link send} keeps trace headers off the wire unless
 * {@link TracePropagation} asks for them; for a `"from-span"` client outside any span there is
 * nothing to keep off, and it does no per-call work for it.
 *
 * @since 0.1.0
 * @category capabilities
 */
export class ClientTraceHeaders extends Context.Reference<ClientTraceHeaders>()("@fitbit-effect/core/HttpExchange/ClientTraceHeaders", {
  defaultValue: (): "always" | "from-span" => "always"
}) {}

/**
 * The largest answer body read by default: 64 MiB, well above any page the APIs serve (a
 * 10,000-point page is a few MB) and well below a process's memory. A larger answer fails with
 * `ResponseTooLarge` as soon as the limit is passed. The configurations' `maxBodyBytes` changes it.
 *
 * @since 0.1.0
 * @category constants
 */
export const DEFAULT_MAX_BODY_BYTES: number = internal.DEFAULT_MAX_BODY_BYTES

/**
 * The cause an `HttpClient` fails with when an answer's body is larger than it takes:
 * {@link withTimeout} fails with it, and so does `@fitbit-effect/node`'s undici client; {@link send}
 * turns it into a `ResponseTooLarge`.
 *
 * @since 0.1.0
 * @category models
 */
export const BodyTooLarge: typeof internal.BodyTooLarge = internal.BodyTooLarge

/**
 * @since 0.1.0
 * @category models
 */
export type BodyTooLarge = internal.BodyTooLarge

/**
 * How the pipeline reads an answer's body, which it reads once: `response.text` by default. A
 * client that can hand a body over without keeping a copy provides its own (the lean undici
 * client does): a kept copy lives as long as the response object, which outlives the request in
 * V8's old generation, so over a stream of large pages the copies pile up until a full collection.
 *
 * @since 0.1.0
 * @category capabilities
 */
export class BodyReader extends Context.Reference<BodyReader>()("@fitbit-effect/core/HttpExchange/BodyReader", {
  defaultValue: (): ReadBody => readText
}) {}

/**
 * A {@link BodyReader}: an answer's body as text.
 *
 * @since 0.1.0
 * @category capabilities
 */
export type ReadBody = (response: HttpClientResponse.HttpClientResponse) => Effect.Effect<string, HttpClientError.ResponseError>

/** The default {@link BodyReader}: the response's own `text`. */
const readText = (response: HttpClientResponse.HttpClientResponse) => response.text

// ---- the exchange ---------------------------------------------------------------------------

/**
 * The URL of a request as it may appear in errors and spans: origin and path, no query.
 *
 * @since 0.1.0
 * @category formatting
 */
export const displayUrl: (url: string) => string = internal.displayUrl

/**
 * Whether an HTTP client failure happened before the request could have reached the server:
 * the request could not be encoded or its URL was invalid, or the connection was never made
 * (refused, unresolvable host, unreachable network, connect timeout: read from the `code` of
 * the error or its causes, as Node's `http`, `fetch` and undici report it). Anything else
 * (a reset, a closed socket, a failure while reading the answer) counts as possibly sent. It
 * decides a `TransportError`'s `sent`.
 *
 * @since 0.1.0
 * @category predicates
 */
export const failedBeforeSending: (error: HttpClientError.HttpClientError) => boolean = internal.failedBeforeSending

/**
 * The cause an `HttpClient` fails with when a request got no complete answer in time: an Effect
 * `TimeoutException` that also says how long it waited. {@link withTimeout} fails with it, and
 * so does `@fitbit-effect/node`'s undici client given a `timeout`; {@link send} turns any
 * `TimeoutException` cause into a `TimeoutError`.
 *
 * @since 0.1.0
 * @category models
 */
export const ExchangeTimeout: typeof internal.ExchangeTimeout = internal.ExchangeTimeout

/**
 * @since 0.1.0
 * @category models
 */
export type ExchangeTimeout = internal.ExchangeTimeout

/**
 * An `HttpClient` whose every exchange (the request, the answer's headers and its whole body)
 * fails after `timeout` with an {@link ExchangeTimeout} cause, aborting the request, and whose
 * answers are read whole up to `maxBodyBytes` (default {@link DEFAULT_MAX_BODY_BYTES}; past it, a
 * {@link BodyTooLarge} cause, the rest unread). Works with any client: the body is read within the
 * deadline and handed on buffered.
 *
 * @since 0.1.0
 * @category combinators
 */
export const withTimeout: (client: HttpClient.HttpClient, timeout: Duration.Duration, maxBodyBytes?: number) => HttpClient.HttpClient =
  internal.withTimeout

/**
 * The `HttpClient` in context, bounded per exchange by `timeout` and `maxBodyBytes`: as it is when
 * it declares a {@link ClientTimeout} and a {@link ClientBodyLimit} within them, wrapped by
 * {@link withTimeout} otherwise.
 *
 * @since 0.1.0
 * @category constructors
 */
export const boundedClient = (
  timeout: Duration.Duration,
  maxBodyBytes: number = DEFAULT_MAX_BODY_BYTES
): Effect.Effect<HttpClient.HttpClient, never, HttpClient.HttpClient> =>
  Effect.map(
    Effect.all([HttpClient.HttpClient, ClientTimeout, ClientBodyLimit]),
    ([client, timeoutOwn, limitOwn]) => internal.bounded(client, { timeout: timeoutOwn, maxBodyBytes: limitOwn }, timeout, maxBodyBytes)
  )

/**
 * Options of {@link send}.
 *
 * @since 0.1.0
 * @category models
 */
export interface SendOptions {
  /** The timeout the client was bounded by, named in a `TimeoutError` whose cause does not say. */
  readonly timeout?: Duration.Duration | undefined
  /** Values to keep out of error messages. */
  readonly secrets?: ReadonlyArray<string> | undefined
  /** How the API reports a rate-limit budget in an answer; none is read when absent. */
  readonly rateLimitOf?: ((headers: Readonly<Record<string, string>>, now: number) => Option.Option<RateLimit.RateLimitState>) | undefined
  /** How to read the body: the {@link BodyReader} of the client's layer (default: the one in the calling fiber's context). */
  readonly readBody?: ReadBody | undefined
  /** When the client sends trace headers: the {@link ClientTraceHeaders} of the client's layer (default: the one in the calling fiber's context). */
  readonly traceHeaders?: "always" | "from-span" | undefined
}

const timeoutOf = (error: HttpClientError.HttpClientError): Cause.TimeoutException | undefined =>
  Cause.isTimeoutException(error.cause) ? error.cause : undefined

/**
 * Sends a request with the given client and reads the whole answer (with the client's
 * {@link BodyReader}). Only transport failures and a timeout of the client (a `TimeoutException` cause,
 * see {@link boundedClient}) fail; every HTTP status is a success here. Trace headers are sent
 * only under {@link TracePropagation}.
 *
 * @since 0.1.0
 * @category requests
 */
export const send = (
  client: HttpClient.HttpClient,
  request: HttpClientRequest.HttpClientRequest,
  options: SendOptions = {}
): Effect.Effect<ApiResponse, TransportError | TimeoutError | ResponseTooLarge> => {
  const method = request.method
  const secrets = options.secrets ?? []
  // A secret in the URL (a capability in the path) never reaches an error.
  const url = ErrorDecoder.scrubSecrets(internal.displayUrl(request.url), secrets)
  const rateLimitOf = options.rateLimitOf
  const fail = (error: HttpClientError.HttpClientError): TransportError | TimeoutError | ResponseTooLarge => {
    if (error.cause instanceof internal.BodyTooLarge) {
      return new ResponseTooLarge({ method, url, status: error.cause.status, limitBytes: error.cause.limitBytes })
    }
    const timedOut = timeoutOf(error)
    if (timedOut !== undefined) {
      const timeoutMillis = timedOut instanceof internal.ExchangeTimeout
        ? timedOut.timeoutMillis
        : options.timeout === undefined ? 0 : Duration.toMillis(options.timeout)
      return new TimeoutError({ method, url, timeoutMillis })
    }
    const sent = internal.failedBeforeSending(error) ? "no" : "maybe"
    return new TransportError({ method, url, reason: internal.describeCause(error, secrets), sent })
  }
  return Effect.withFiberRuntime((fiber) => {
    const clock = Context.get(fiber.currentDefaultServices, Clock.Clock)
    const context = fiber.currentContext
    const read = options.readBody ?? Context.get(context, BodyReader)
    // Trace headers go to the APIs only when the program asks for them; a client that sends
    // them only from a span has none to send outside one (no FiberRef change per call then).
    const hide = fiber.getFiberRef(HttpClient.currentTracerPropagation) && !Context.get(context, TracePropagation) &&
      ((options.traceHeaders ?? Context.get(context, ClientTraceHeaders)) === "always" || fiber.currentSpan !== undefined || internal.isTracing(fiber))
    const execute = hide ? Effect.locally(client.execute(request), HttpClient.currentTracerPropagation, false) : client.execute(request)
    return Effect.mapError(
      Effect.flatMap(execute, (response) =>
        Effect.map(read(response), (text): ApiResponse => {
          const receivedAt = clock.unsafeCurrentTimeMillis()
          const headers = response.headers
          return {
            method,
            url,
            status: response.status,
            headers,
            body: ErrorDecoder.parseBody(text),
            rateLimit: rateLimitOf === undefined ? Option.none() : rateLimitOf(headers, receivedAt),
            receivedAt
          }
        })),
      fail
    )
  })
}

/**
 * Whether a status is a success (2xx).
 *
 * @since 0.1.0
 * @category predicates
 */
export const isSuccess = (status: number): boolean => status >= 200 && status < 300

/**
 * Whether spans made in this fiber are recorded: a tracer other than Effect's built-in one is
 * installed and tracing is on. The pipeline and the lean client skip span work otherwise.
 *
 * @since 0.1.0
 * @category utils
 */
export const isTracing: (fiber: Fiber.RuntimeFiber<unknown, unknown>) => boolean = internal.isTracing

/**
 * Decodes an answer's body with a schema; a failure is a `DecodeError` naming the call's
 * `method`, the answer's status and URL, and the paths that did not match (never the values).
 * The decoder is compiled once per schema and runs synchronously; a schema that needs an effect
 * to decode is run as one. The one decoder of every answer, whichever provider it came from.
 *
 * @since 0.1.0
 * @category decoding
 */
export const decodeBody: <A, I>(
  schema: Schema.Schema<A, I, never>,
  method?: string
) => <R extends { readonly status: number; readonly url: string; readonly body: unknown }>(
  response: R
) => Effect.Effect<Omit<R, "body"> & { readonly body: A }, DecodeError> = (schema, method = "") =>
  internal.decodeBody(schema, method)
