/**
 * The code behind `HttpExchange`: reading one answer whole, the buffered response a bounded
 * client hands on, the timeout wrapper, and turning client failures into tagged errors.
 *
 * @since 0.1.0
 */
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientError from "@effect/platform/HttpClientError"
import * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as IncomingMessage from "@effect/platform/HttpIncomingMessage"
import * as UrlParams from "@effect/platform/UrlParams"
import * as Cause from "effect/Cause"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import type * as Fiber from "effect/Fiber"
import * as FiberRef from "effect/FiberRef"
import * as Inspectable from "effect/Inspectable"
import * as Option from "effect/Option"
import type * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import * as Stream from "effect/Stream"
import type { DecodeError } from "../Errors.js"
import * as BoundedBody from "./boundedBody.js"
import * as ErrorDecoder from "./errorDecoder.js"
import * as FastDecode from "./fastDecode.js"
import * as ParseReason from "./parseReason.js"

/** @internal */
export const displayUrl = (url: string): string => {
  const query = url.indexOf("?")
  return query === -1 ? url : url.slice(0, query)
}

/** @internal */
export const describeCause = (error: HttpClientError.HttpClientError, secrets: ReadonlyArray<string>): string => {
  const cause = error.cause
  const detail = cause instanceof Error
    ? [cause.message, (cause as { cause?: unknown }).cause instanceof Error ? ((cause as { cause: Error }).cause).message : ""]
      .filter((s) => s !== "")
      .join(": ")
    : ""
  return ErrorDecoder.scrub(`${error.reason}${detail === "" ? "" : `: ${detail}`}`, secrets)
}

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

/** @internal */
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

/** @internal */
export class ExchangeTimeout extends Cause.TimeoutException {
  constructor(readonly timeoutMillis: number) {
    super(`no complete answer within ${timeoutMillis}ms`)
  }
}

/** @internal */
export const DEFAULT_MAX_BODY_BYTES = 64 * 1024 * 1024

/** @internal */
export class BodyTooLarge extends Error {
  override readonly name = "BodyTooLarge"
  constructor(readonly limitBytes: number, readonly status: number) {
    super(`the answer's body is larger than ${limitBytes} bytes`)
  }
}

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

/** The whole body of an answer, read as a stream and refused past `limit` bytes (its `Content-Length` first). */
const readCapped = (
  response: HttpClientResponse.HttpClientResponse,
  limit: number
): Effect.Effect<ArrayBuffer, HttpClientError.ResponseError> => {
  const tooLarge = () =>
    new HttpClientError.ResponseError({ request: response.request, response, reason: "Decode", cause: new BodyTooLarge(limit, response.status) })
  const declared = response.headers["content-length"]
  if (BoundedBody.declaredTooLarge(declared, limit)) return Effect.fail(tooLarge())
  // A declared length within the bound is the body's length (the client enforces the framing): read it whole.
  if (declared !== undefined && /^\d+$/.test(declared.trim())) return response.arrayBuffer
  return BoundedBody.collect(response.stream, limit).pipe(
    // A response without a body (a 204, say) has no stream: its body is empty.
    Effect.catchIf((error) => !(error instanceof BoundedBody.TooLarge) && error.reason === "EmptyBody", () => Effect.succeed(new Uint8Array(0))),
    Effect.mapError((error) => (error instanceof BoundedBody.TooLarge ? tooLarge() : error)),
    Effect.map((bytes) => bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer)
  )
}

/** @internal */
export const withTimeout = (
  client: HttpClient.HttpClient,
  timeout: Duration.Duration,
  maxBodyBytes: number = DEFAULT_MAX_BODY_BYTES
): HttpClient.HttpClient => {
  const timeoutMillis = Duration.toMillis(timeout)
  return HttpClient.transform(client, (effect, request) =>
    effect.pipe(
      Effect.flatMap((response) => Effect.map(readCapped(response, maxBodyBytes), (bytes) => new BufferedResponse(response, bytes))),
      Effect.timeoutFail({
        duration: timeout,
        onTimeout: () => new HttpClientError.RequestError({ request, reason: "Transport", cause: new ExchangeTimeout(timeoutMillis) })
      })
    ))
}

/** What a client declares it bounds itself. */
export interface OwnBounds {
  readonly timeout: Option.Option<Duration.Duration>
  readonly maxBodyBytes: Option.Option<number>
}

/** @internal */
export const bounded = (
  client: HttpClient.HttpClient,
  own: OwnBounds,
  timeout: Duration.Duration,
  maxBodyBytes: number = DEFAULT_MAX_BODY_BYTES
): HttpClient.HttpClient =>
  Option.isSome(own.timeout) && Duration.lessThanOrEqualTo(own.timeout.value, timeout) &&
    Option.isSome(own.maxBodyBytes) && own.maxBodyBytes.value <= maxBodyBytes
    ? client
    : withTimeout(client, timeout, maxBodyBytes)

/** The tracer every fiber has when none is installed (spans made with it go nowhere), read on first use. */
let nativeTracer: unknown = undefined

/** @internal */
export const isTracing = (fiber: Fiber.RuntimeFiber<unknown, unknown>): boolean =>
  fiber.currentTracer !== (nativeTracer ??= Effect.runSync(Effect.tracer)) && fiber.getFiberRef(FiberRef.currentTracerEnabled)

/** @internal */
export const decodeBody = <A, I>(schema: Schema.Schema<A, I, never>, method: string) =>
<R extends { readonly status: number; readonly url: string; readonly body: unknown }>(
  response: R
): Effect.Effect<Omit<R, "body"> & { readonly body: A }, DecodeError> => {
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
