/**
 * Sending one HTTP request through any `HttpClient` and reading its whole answer as an
 * {@link ApiResponse}, with transport failures and the timeout turned into tagged errors. Shared
 * by the OAuth, Fitbit and Google programs.
 *
 * @since 0.1.0
 */
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientError from "@effect/platform/HttpClientError"
import type * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as IncomingMessage from "@effect/platform/HttpIncomingMessage"
import * as UrlParams from "@effect/platform/UrlParams"
import * as Cause from "effect/Cause"
import * as Clock from "effect/Clock"
import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import type * as Fiber from "effect/Fiber"
import * as FiberRef from "effect/FiberRef"
import * as Inspectable from "effect/Inspectable"
import * as Option from "effect/Option"
import * as Stream from "effect/Stream"
import * as ErrorDecoder from "./internal/errorDecoder.js"
import type * as RateLimit from "./RateLimit.js"
import { TimeoutError, TransportError } from "./Errors.js"

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
 * The cause an `HttpClient` fails with when a request got no complete answer in time: an Effect
 * `TimeoutException` that also says how long it waited. {@link withTimeout} fails with it, and
 * so does `@fitbit-effect/node`'s undici client given a `timeout`; {@link send} turns any
 * `TimeoutException` cause into a `TimeoutError`.
 *
 * @since 0.1.0
 * @category models
 */
export class ExchangeTimeout extends Cause.TimeoutException {
  constructor(readonly timeoutMillis: number) {
    super(`no complete answer within ${timeoutMillis}ms`)
  }
}

/**
 * The per-request timeout the `HttpClient` in context enforces itself, if any (default: none).
 * A client that bounds each exchange (headers and whole body) provides it; the pipeline then adds
 * no timer of its own unless the configured timeout is shorter (see {@link boundedClient}).
 *
 * @since 0.1.0
 * @category models
 */
export class ClientTimeout extends Context.Reference<ClientTimeout>()("@fitbit-effect/core/HttpExchange/ClientTimeout", {
  defaultValue: (): Option.Option<Duration.Duration> => Option.none()
}) {}

/**
 * The key of a response's read-once body text. A client whose responses have it (the lean undici
 * client) hands the pipeline the body without keeping a copy: the pipeline reads every answer once,
 * and a kept copy lives as long as the response object, which has outlived the request in V8's old
 * generation, so over a stream of large pages the copies pile up until a full collection (twice the
 * peak memory). Responses without it are read with `text`.
 *
 * @since 0.1.0
 * @category models
 */
export const TextOnce: unique symbol = Symbol.for("@fitbit-effect/core/HttpExchange/TextOnce")

/**
 * A response that offers its body text once ({@link TextOnce}).
 *
 * @since 0.1.0
 * @category models
 */
export interface TextOnceResponse {
  readonly [TextOnce]: Effect.Effect<string, HttpClientError.ResponseError>
}

/** The body text the pipeline reads: once and not kept where the response offers it, `text` otherwise. */
const bodyText = (response: HttpClientResponse.HttpClientResponse): Effect.Effect<string, HttpClientError.ResponseError> =>
  TextOnce in response ? (response as unknown as TextOnceResponse)[TextOnce] : response.text

/** An answer whose body was read within the deadline: status and headers of the original, the body from memory. */
class BufferedResponse extends Inspectable.Class implements HttpClientResponse.HttpClientResponse {
  readonly [IncomingMessage.TypeId]: IncomingMessage.TypeId = IncomingMessage.TypeId
  readonly [HttpClientResponse.TypeId]: HttpClientResponse.TypeId = HttpClientResponse.TypeId
  constructor(readonly original: HttpClientResponse.HttpClientResponse, readonly bytes: ArrayBuffer) {
    super()
  }
  get request() {
    return this.original.request
  }
  get status() {
    return this.original.status
  }
  get headers() {
    return this.original.headers
  }
  get cookies() {
    return this.original.cookies
  }
  get remoteAddress() {
    return this.original.remoteAddress
  }
  get arrayBuffer(): Effect.Effect<ArrayBuffer, HttpClientError.ResponseError> {
    return Effect.succeed(this.bytes)
  }
  get text(): Effect.Effect<string, HttpClientError.ResponseError> {
    return Effect.sync(() => new TextDecoder().decode(this.bytes))
  }
  get json(): Effect.Effect<unknown, HttpClientError.ResponseError> {
    return Effect.flatMap(this.text, (text) =>
      Effect.try({
        try: () => (text === "" ? null : JSON.parse(text) as unknown),
        catch: (cause) => new HttpClientError.ResponseError({ request: this.request, response: this, reason: "Decode", cause })
      }))
  }
  get urlParamsBody(): Effect.Effect<UrlParams.UrlParams, HttpClientError.ResponseError> {
    return Effect.map(this.text, (text) => UrlParams.fromInput(new URLSearchParams(text)))
  }
  get formData(): Effect.Effect<FormData, HttpClientError.ResponseError> {
    return Effect.tryPromise({
      try: () => new Response(this.bytes, { headers: { "content-type": this.headers["content-type"] ?? "" } }).formData(),
      catch: (cause) => new HttpClientError.ResponseError({ request: this.request, response: this, reason: "Decode", cause })
    })
  }
  get stream(): Stream.Stream<Uint8Array, HttpClientError.ResponseError> {
    return Stream.succeed(new Uint8Array(this.bytes))
  }
  toJSON(): unknown {
    return IncomingMessage.inspect(this, { _id: "@effect/platform/HttpClientResponse", request: this.request.toJSON(), status: this.status })
  }
}

/**
 * An `HttpClient` whose every exchange (the request, the answer's headers and its whole body)
 * fails after `timeout` with an {@link ExchangeTimeout} cause, aborting the request. Works with
 * any client: the body is read within the deadline and handed on buffered.
 *
 * @since 0.1.0
 * @category combinators
 */
export const withTimeout = (client: HttpClient.HttpClient, timeout: Duration.Duration): HttpClient.HttpClient => {
  const timeoutMillis = Duration.toMillis(timeout)
  return HttpClient.transform(client, (effect, request) =>
    effect.pipe(
      Effect.flatMap((response) => Effect.map(response.arrayBuffer, (bytes) => new BufferedResponse(response, bytes))),
      Effect.timeoutFail({
        duration: timeout,
        onTimeout: () => new HttpClientError.RequestError({ request, reason: "Transport", cause: new ExchangeTimeout(timeoutMillis) })
      })
    ))
}

/**
 * The `HttpClient` in context, bounded by `timeout` per exchange: as it is when it declares a
 * {@link ClientTimeout} no longer than `timeout`, wrapped by {@link withTimeout} otherwise.
 *
 * @since 0.1.0
 * @category constructors
 */
export const boundedClient = (timeout: Duration.Duration): Effect.Effect<HttpClient.HttpClient, never, HttpClient.HttpClient> =>
  Effect.map(Effect.zip(HttpClient.HttpClient, ClientTimeout), ([client, own]) =>
    Option.isSome(own) && Duration.lessThanOrEqualTo(own.value, timeout) ? client : withTimeout(client, timeout))

const timeoutOf = (error: HttpClientError.HttpClientError): Cause.TimeoutException | undefined =>
  Cause.isTimeoutException(error.cause) ? error.cause : undefined

/**
 * Sends a request with the given client and reads the whole answer. Only transport failures
 * and a timeout of the client (a `TimeoutException` cause, see {@link boundedClient}) fail;
 * every HTTP status is a success here. No trace headers are sent: the wire format stays what
 * the API documents.
 *
 * @since 0.1.0
 * @category requests
 */
export const send = (
  client: HttpClient.HttpClient,
  request: HttpClientRequest.HttpClientRequest,
  options: {
    /** The timeout the client was bounded by, named in a `TimeoutError` whose cause does not say. */
    readonly timeout?: Duration.Duration | undefined
    /** Values to keep out of error messages. */
    readonly secrets?: ReadonlyArray<string> | undefined
    /** How the API reports a rate-limit budget in an answer; none is read when absent. */
    readonly rateLimitOf?: ((headers: Readonly<Record<string, string>>, now: number) => Option.Option<RateLimit.RateLimitState>) | undefined
  } = {}
): Effect.Effect<ApiResponse, TransportError | TimeoutError> => {
  const method = request.method
  const secrets = options.secrets ?? []
  // A secret in the URL (a capability in the path) never reaches an error.
  const url = ErrorDecoder.scrubSecrets(displayUrl(request.url), secrets)
  const rateLimitOf = options.rateLimitOf
  const fail = (error: HttpClientError.HttpClientError): TransportError | TimeoutError => {
    const timedOut = timeoutOf(error)
    if (timedOut !== undefined) {
      const timeoutMillis = timedOut instanceof ExchangeTimeout
        ? timedOut.timeoutMillis
        : options.timeout === undefined ? 0 : Duration.toMillis(options.timeout)
      return new TimeoutError({ method, url, timeoutMillis })
    }
    const failure = new TransportError({ method, url, reason: describeCause(error, secrets) })
    if (failedBeforeSending(error)) Object.defineProperty(failure, notSent, { value: true, enumerable: false })
    return failure
  }
  return Effect.withFiberRuntime((fiber) => {
    const clock = Context.get(fiber.currentDefaultServices, Clock.Clock)
    // Trace headers are not sent to third-party APIs (a runtime that has propagation off already
    // skips the switch).
    const hide = fiber.getFiberRef(HttpClient.currentTracerPropagation)
    const execute = hide ? Effect.locally(client.execute(request), HttpClient.currentTracerPropagation, false) : client.execute(request)
    return Effect.mapError(
      Effect.flatMap(execute, (response) =>
        Effect.map(bodyText(response), (text): ApiResponse => {
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

/** The tracer every fiber has when none is installed (spans made with it go nowhere), read on first use. */
let nativeTracer: unknown = undefined

/**
 * Whether spans made in this fiber are recorded: a tracer other than Effect's built-in one is
 * installed and tracing is on. The pipeline and the lean client skip span work otherwise.
 *
 * @since 0.1.0
 * @category utils
 */
export const isTracing = (fiber: Fiber.RuntimeFiber<unknown, unknown>): boolean =>
  fiber.currentTracer !== (nativeTracer ??= Effect.runSync(Effect.tracer)) && fiber.getFiberRef(FiberRef.currentTracerEnabled)
