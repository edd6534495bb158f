/**
 * A lean `HttpClient` for Node, straight on undici's dispatcher: one `dispatch` per request,
 * answer headers parsed only when read, the body collected as it arrives (and streamed with
 * back-pressure when read as a stream). It keeps the `HttpClient` contract: interrupting the
 * request (or the reading of its body) aborts it and closes the connection, request bodies of
 * every kind are sent, and failures are `RequestError` (no answer) or `ResponseError` (the
 * body broke off), with undici's error as the cause so callers can tell a connection that was
 * never made. What it leaves out is the cost `@effect/platform-node`'s client pays on every
 * call: no span (unless a tracer is installed), no attribute per header, no trace headers sent
 * (unless asked), no `AbortController` and no `FinalizationRegistry` entry.
 *
 * undici is loaded when the layer is built, not when this module is, so importing a facade
 * costs nothing until its first call. Besides `execute`, the client answers whole responses in one
 * step with a deadline (`HttpExchange.SendWhole`), which is what this library's pipeline uses.
 *
 * @since 0.1.0
 */
import * as Cookies from "@effect/platform/Cookies"
import * as Headers from "@effect/platform/Headers"
import type * as HttpBody from "@effect/platform/HttpBody"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientError from "@effect/platform/HttpClientError"
import type * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as IncomingMessage from "@effect/platform/HttpIncomingMessage"
import * as UrlParams from "@effect/platform/UrlParams"
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import type * as Fiber from "effect/Fiber"
import * as FiberRef from "effect/FiberRef"
import * as Inspectable from "effect/Inspectable"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Stream from "effect/Stream"
import type * as Tracer from "effect/Tracer"
import { HttpExchange } from "@fitbit-effect/core"
import { Readable } from "node:stream"
import type * as Undici from "undici"

/**
 * Options of the client.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  /**
   * Send trace headers (`traceparent`, `b3`) of the request's span (default: only inside
   * {@link withTracePropagation}`(true)`; the wire format otherwise stays what the API documents).
   */
  readonly propagateTrace?: boolean | undefined
}

/**
 * Options of the connection pool {@link layer} makes (undici `Agent` options).
 *
 * @since 0.1.0
 * @category models
 */
export type AgentOptions = Undici.Agent.Options

// The prototype `@effect/platform` gives `Headers` values (not exported on its own).
const HEADERS_PROTO: object = Object.getPrototypeOf(Headers.empty)

/** Lower-cased header names to values (repeated headers joined with `, `) of undici's raw pairs. */
const parseRawHeaders = (raw: ReadonlyArray<Buffer | string>): Headers.Headers => {
  const out: Record<string, string> = Object.create(HEADERS_PROTO)
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!.toString("latin1").toLowerCase()
    const value = raw[i + 1]!.toString("latin1")
    const previous = out[name]
    out[name] = previous === undefined ? value : `${previous}, ${value}`
  }
  return out as unknown as Headers.Headers
}

/** What a request body becomes for undici (a `FormData` is encoded by {@link formDataBody}). */
const bodyOf = (body: HttpBody.HttpBody): NonNullable<Undici.Dispatcher.DispatchOptions["body"]> | null => {
  switch (body._tag) {
    case "Empty":
      return null
    case "Uint8Array":
      return body.body
    case "Raw":
      return body.body as NonNullable<Undici.Dispatcher.DispatchOptions["body"]>
    case "FormData":
      return formDataBody(body.formData).body
    case "Stream":
      return Readable.from(Stream.toAsyncIterable(body.stream as Stream.Stream<Uint8Array, unknown>), { objectMode: false })
  }
}

/**
 * A `FormData` as multipart bytes and their content type. The global `FormData` belongs to Node's
 * own copy of undici, which the installed undici does not take as a body, so it is encoded with
 * the platform's `Response` (streamed, boundary included).
 */
const formDataBody = (formData: FormData): { readonly body: Readable; readonly contentType: string } => {
  const encoded = new Response(formData)
  return {
    body: Readable.fromWeb(encoded.body! as import("node:stream/web").ReadableStream<Uint8Array>),
    contentType: encoded.headers.get("content-type")!
  }
}

const noop = () => {}

/** The body and headers undici is given (a `FormData` brings its own content type). */
const requestBody = (body: HttpBody.HttpBody, headers: Readonly<Record<string, string>>) => {
  if (body._tag !== "FormData") return { headers, body: bodyOf(body) }
  const encoded = formDataBody(body.formData)
  return { headers: { ...headers, "content-type": encoded.contentType }, body: encoded.body }
}

/** Above this many bytes buffered for a stream reader that is not reading, the connection pauses. */
const HIGH_WATER_MARK = 1024 * 1024

/** How an exchange answers: once the whole body is in (`whole`), or at the headers (`response`). */
type Mode = "whole" | "response"

/**
 * One exchange: undici's legacy dispatch handler (the interface undici's core calls directly).
 * In `whole` mode it answers a {@link HttpExchange.WholeAnswer} once the body is complete, in
 * one step; in `response` mode it answers an `HttpClientResponse` at the headers, and the body
 * is collected as it arrives (with back-pressure once somebody streams it).
 */
class Exchange implements Undici.Dispatcher.DispatchHandler {
  abortFn: ((error?: Error) => void) | undefined = undefined
  aborted = false
  /** Whether the answer (or the failure) was handed over: once, whatever undici does after an abort. */
  settled = false
  timer: ReturnType<typeof setTimeout> | undefined = undefined
  resumeFn: (() => void) | undefined = undefined
  status = 0
  rawHeaders: Array<Buffer> = []
  response: UndiciResponse | undefined = undefined
  chunks: Array<Buffer> = []
  bufferedBytes = 0
  /** The whole body, once read. */
  body: Buffer | undefined = undefined
  done = false
  failure: unknown = undefined
  /** Called when a chunk arrives, the body ends or it fails (`response` mode). */
  wake: (() => void) | undefined = undefined
  streaming = false

  constructor(
    readonly request: HttpClientRequest.HttpClientRequest,
    readonly mode: Mode,
    readonly onAnswer: (exchange: Exchange) => void,
    readonly onFailure: (cause: unknown) => void
  ) {}

  abort(reason: Error = new Error("request interrupted")): void {
    this.aborted = true
    this.clearTimer()
    const abort = this.abortFn
    this.abortFn = undefined
    abort?.(reason)
  }

  /** Starts the deadline: past it, the request is aborted and fails with a `DeadlineExceeded` cause. */
  startTimer(timeoutMillis: number): void {
    this.timer = setTimeout(() => {
      this.timer = undefined
      const deadline = new HttpExchange.DeadlineExceeded(timeoutMillis)
      if (!this.settled) this.fail(deadline)
      else this.bodyFailed(deadline)
      this.abort(deadline)
    }, timeoutMillis)
  }

  clearTimer(): void {
    if (this.timer !== undefined) {
      clearTimeout(this.timer)
      this.timer = undefined
    }
  }

  fail(cause: unknown): void {
    if (this.settled) return
    this.settled = true
    this.done = true
    this.clearTimer()
    this.onFailure(cause)
  }

  answer(): void {
    if (this.settled) return
    this.settled = true
    this.onAnswer(this)
  }

  bodyFailed(cause: unknown): void {
    if (this.done) return
    this.failure = cause
    this.done = true
    this.wake?.()
  }

  onConnect(abort: (error?: Error) => void): void {
    if (this.aborted) abort(new Error("request interrupted"))
    else this.abortFn = abort
  }

  onHeaders(statusCode: number, rawHeaders: Array<Buffer>, resume: () => void): boolean {
    if (statusCode < 200) return true
    if (this.settled) return false
    this.status = statusCode
    this.rawHeaders = rawHeaders
    this.resumeFn = resume
    if (this.mode === "response") {
      this.response = new UndiciResponse(this)
      // Answer once the parser is done with this chunk: a small body that came with the
      // headers is then complete, and the caller reads it without suspending again.
      queueMicrotask(() => this.answer())
    }
    return true
  }

  onData(chunk: Buffer): boolean {
    this.chunks.push(chunk)
    this.bufferedBytes += chunk.length
    this.wake?.()
    // Pause only for a stream reader that has fallen behind; a whole read takes it all anyway.
    return !(this.streaming && this.bufferedBytes > HIGH_WATER_MARK)
  }

  onComplete(): void {
    if (this.done) return
    this.done = true
    this.abortFn = undefined
    this.clearTimer()
    if (this.mode === "whole") this.answer()
    else this.wake?.()
  }

  onError(error: Error): void {
    this.abortFn = undefined
    this.clearTimer()
    if (!this.settled) this.fail(error)
    else this.bodyFailed(error)
  }

  /** Takes what has been buffered so far. */
  drain(): Array<Buffer> {
    const chunks = this.chunks
    this.chunks = []
    this.bufferedBytes = 0
    return chunks
  }

  /** The whole body, joined once. */
  wholeBody(): Buffer {
    if (this.body === undefined) {
      const chunks = this.drain()
      this.body = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)
    }
    return this.body
  }

  get headers(): Headers.Headers {
    return parseRawHeaders(this.rawHeaders)
  }
}

/** The answer of a `whole` exchange: headers parsed only when read. */
class WholeAnswer implements HttpExchange.WholeAnswer {
  #headers: Headers.Headers | undefined = undefined
  readonly status: number
  readonly text: string
  constructor(readonly exchange: Exchange) {
    this.status = exchange.status
    this.text = exchange.wholeBody().toString("utf8")
  }
  get headers(): Headers.Headers {
    return this.#headers ??= this.exchange.headers
  }
}

const decodeError = (response: UndiciResponse, cause: unknown) =>
  new HttpClientError.ResponseError({ request: response.request, response, reason: "Decode", cause })

/** The whole body, once it has arrived (kept for the next read). Interrupting the wait aborts the request. */
const wholeBody = (exchange: Exchange): Effect.Effect<Buffer, HttpClientError.ResponseError> => {
  const finish = (): Either.Either<Buffer, HttpClientError.ResponseError> =>
    exchange.failure !== undefined && exchange.body === undefined
      ? Either.left(decodeError(exchange.response!, exchange.failure))
      : Either.right(exchange.wholeBody())
  if (exchange.done) return finish()
  return Effect.async<Buffer, HttpClientError.ResponseError>((resume) => {
    exchange.wake = () => {
      if (!exchange.done) return
      exchange.wake = undefined
      resume(finish())
    }
    return Effect.sync(() => {
      exchange.wake = undefined
      if (!exchange.done) exchange.abort()
    })
  })
}

class UndiciResponse extends Inspectable.Class implements HttpClientResponse.HttpClientResponse {
  readonly [IncomingMessage.TypeId]: IncomingMessage.TypeId = IncomingMessage.TypeId
  readonly [HttpClientResponse.TypeId]: HttpClientResponse.TypeId = HttpClientResponse.TypeId
  readonly request: HttpClientRequest.HttpClientRequest
  #headers: Headers.Headers | undefined = undefined
  #cookies: Cookies.Cookies | undefined = undefined

  readonly status: number
  readonly statusText: string | undefined = undefined

  constructor(readonly exchange: Exchange) {
    super()
    this.request = exchange.request
    this.status = exchange.status
  }

  get headers(): Headers.Headers {
    return this.#headers ??= this.exchange.headers
  }

  get cookies(): Cookies.Cookies {
    if (this.#cookies !== undefined) return this.#cookies
    const values: Array<string> = []
    const raw = this.exchange.rawHeaders
    for (let i = 0; i < raw.length; i += 2) {
      if (raw[i]!.toString("latin1").toLowerCase() === "set-cookie") values.push(raw[i + 1]!.toString("latin1"))
    }
    return this.#cookies = values.length === 0 ? Cookies.empty : Cookies.fromSetCookie(values)
  }

  get remoteAddress(): Option.Option<string> {
    return Option.none()
  }

  /** The body bytes, read once and shared by `text`, `json`, `arrayBuffer`, `formData`. */
  get bytes(): Effect.Effect<Buffer, HttpClientError.ResponseError> {
    return wholeBody(this.exchange)
  }

  get text(): Effect.Effect<string, HttpClientError.ResponseError> {
    return Effect.map(this.bytes, (bytes) => bytes.toString("utf8"))
  }

  get json(): Effect.Effect<unknown, HttpClientError.ResponseError> {
    return Effect.flatMap(this.text, (text) =>
      Effect.try({
        try: () => (text === "" ? null : JSON.parse(text) as unknown),
        catch: (cause) => decodeError(this, cause)
      }))
  }

  get urlParamsBody(): Effect.Effect<UrlParams.UrlParams, HttpClientError.ResponseError> {
    return Effect.flatMap(this.text, (text) =>
      Effect.try({
        try: () => UrlParams.fromInput(new URLSearchParams(text)),
        catch: (cause) => decodeError(this, cause)
      }))
  }

  get arrayBuffer(): Effect.Effect<ArrayBuffer, HttpClientError.ResponseError> {
    return Effect.map(this.bytes, (bytes) => bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer)
  }

  get formData(): Effect.Effect<FormData, HttpClientError.ResponseError> {
    return Effect.flatMap(this.bytes, (bytes) =>
      Effect.tryPromise({
        try: () => new Response(new Uint8Array(bytes), { headers: { "content-type": this.headers["content-type"] ?? "" } }).formData(),
        catch: (cause) => decodeError(this, cause)
      }))
  }

  get stream(): Stream.Stream<Uint8Array, HttpClientError.ResponseError> {
    const exchange = this.exchange
    return Stream.suspend(() => {
      exchange.streaming = true
      const pull: Effect.Effect<Chunk.Chunk<Uint8Array>, Option.Option<HttpClientError.ResponseError>> = Effect.suspend(
        () => {
          if (exchange.chunks.length > 0) {
            const chunks = exchange.drain()
            exchange.resumeFn?.()
            return Effect.succeed(Chunk.unsafeFromArray<Uint8Array>(chunks))
          }
          if (exchange.failure !== undefined) return Effect.fail(Option.some(decodeError(this, exchange.failure)))
          if (exchange.done) return Effect.fail(Option.none())
          return Effect.zipRight(
            Effect.async<void>((resume) => {
              exchange.wake = () => {
                exchange.wake = undefined
                resume(Effect.void)
              }
              exchange.resumeFn?.()
              return Effect.sync(() => {
                exchange.wake = undefined
              })
            }),
            pull
          )
        }
      )
      return Stream.repeatEffectChunkOption(pull).pipe(
        Stream.ensuring(Effect.sync(() => {
          if (!exchange.done) exchange.abort()
        }))
      )
    })
  }

  toJSON(): unknown {
    return IncomingMessage.inspect(this, {
      _id: "@effect/platform/HttpClientResponse",
      request: this.request.toJSON(),
      status: this.status
    })
  }
}

const NATIVE_TRACER = Effect.runSync(Effect.tracer)

/**
 * Makes the client over a dispatcher (an undici `Agent`, `Pool`, `Client` or the global one).
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (dispatcher: Undici.Dispatcher, options: Options = {}): HttpExchange.WholeClient => {
  const dispatch = <A>(
    fiber: Fiber.RuntimeFiber<unknown, unknown>,
    request: HttpClientRequest.HttpClientRequest,
    headers: Readonly<Record<string, string>>,
    mode: Mode,
    timeoutMillis: number | undefined,
    onAnswer: (exchange: Exchange) => A
  ): Effect.Effect<A, HttpClientError.RequestError> => {
    let target: URL
    if (request.urlParams.length === 0 && request.hash._tag === "None") {
      try {
        target = new URL(request.url)
      } catch (cause) {
        return Effect.fail(new HttpClientError.RequestError({ request, reason: "InvalidUrl", cause }))
      }
    } else {
      const built = UrlParams.makeUrl(request.url, request.urlParams, request.hash)
      if (built._tag === "Left") {
        return Effect.fail(new HttpClientError.RequestError({ request, reason: "InvalidUrl", cause: built.left }))
      }
      target = built.right
    }
    // Interruption is watched through the fiber (an observer of its end) rather than a canceler:
    // a canceler wraps every request in an interruption handler, which costs more than the rest
    // of this function. An interrupted fiber always ends, and its end aborts the request.
    return Effect.async<A, HttpClientError.RequestError>((resume) => {
      const watch = () => {
        if (!exchange.done) exchange.abort()
      }
      const exchange: Exchange = new Exchange(
        request,
        mode,
        (done) => {
          fiber.removeObserver(watch)
          resume(Effect.succeed(onAnswer(done)))
        },
        (cause) => {
          fiber.removeObserver(watch)
          resume(Effect.fail(new HttpClientError.RequestError({ request, reason: "Transport", cause })))
        }
      )
      fiber.addObserver(watch)
      if (timeoutMillis !== undefined) exchange.startTimer(timeoutMillis)
      try {
        dispatcher.dispatch({
          origin: target.origin,
          path: target.pathname + target.search,
          method: request.method,
          ...requestBody(request.body, headers),
          // The deadline is the caller's (Effect's, or `timeoutMillis` here), not undici's.
          headersTimeout: 0,
          bodyTimeout: 0
        }, exchange)
      } catch (cause) {
        exchange.clearTimer()
        exchange.settled = true
        fiber.removeObserver(watch)
        resume(Effect.fail(new HttpClientError.RequestError({ request, reason: "Encode", cause })))
      }
    })
  }

  /** Runs a dispatch inside a span when a tracer is installed, with trace headers when asked. */
  const traced = <A>(
    request: HttpClientRequest.HttpClientRequest,
    status: (a: A) => number,
    run: (
      fiber: Fiber.RuntimeFiber<unknown, unknown>,
      headers: Readonly<Record<string, string>>
    ) => Effect.Effect<A, HttpClientError.HttpClientError>
  ): Effect.Effect<A, HttpClientError.HttpClientError> =>
    Effect.withFiberRuntime((fiber) => {
      const propagate = options.propagateTrace ?? fiber.getFiberRef(propagationAsked)
      const tracing = fiber.currentTracer !== NATIVE_TRACER && fiber.getFiberRef(FiberRef.currentTracerEnabled)
      if (!tracing && !propagate) return run(fiber, request.headers)
      return Effect.useSpan(`http.client ${request.method}`, { kind: "client", captureStackTrace: false }, (span) => {
        span.attribute("http.request.method", request.method)
        span.attribute("url.full", request.url)
        return run(fiber, propagate ? { ...request.headers, ...traceHeaders(span) } : request.headers).pipe(
          Effect.withParentSpan(span),
          Effect.tap((a) => Effect.sync(() => span.attribute("http.response.status_code", status(a))))
        )
      })
    })

  const client = HttpClient.makeWith(
    (effect) =>
      Effect.flatMap(effect, (request) =>
        traced(request, (response: HttpClientResponse.HttpClientResponse) => response.status, (fiber, headers) =>
          dispatch(fiber, request, headers, "response", undefined, (exchange) => exchange.response!))),
    Effect.succeed as HttpClient.HttpClient.Preprocess<never, never>
  )
  const sendWhole = (request: HttpClientRequest.HttpClientRequest, timeoutMillis: number) =>
    traced(request, (answer: HttpExchange.WholeAnswer) => answer.status, (fiber, headers) =>
      dispatch(fiber, request, headers, "whole", timeoutMillis, (exchange) => new WholeAnswer(exchange)))
  return Object.assign(client, { [HttpExchange.SendWhole]: sendWhole })
}

/**
 * Whether the lean client sends trace headers. Off by default: `@effect/platform`'s own
 * `currentTracerPropagation` is on everywhere, and sending trace headers to a third-party API is a
 * choice to make, not a default.
 */
const propagationAsked: FiberRef.FiberRef<boolean> = FiberRef.unsafeMake(false)

/**
 * Runs an effect with trace headers sent (or not) by the lean client.
 *
 * @since 0.1.0
 * @category tracing
 */
export const withTracePropagation: {
  (enabled: boolean): <A, E, R>(self: Effect.Effect<A, E, R>) => Effect.Effect<A, E, R>
} = (enabled) => (self) => Effect.locally(self, propagationAsked, enabled)

const traceHeaders = (span: Tracer.Span): Record<string, string> => ({
  traceparent: `00-${span.traceId}-${span.spanId}-${span.sampled ? "01" : "00"}`,
  b3: `${span.traceId}-${span.spanId}-${span.sampled ? "1" : "0"}`
})

/** Loads undici when a layer is built (not when this module is imported). */
const loadUndici: Effect.Effect<typeof Undici> = Effect.promise(() => import("undici"))

/**
 * The client on its own connection pool (an undici `Agent`), closed when the layer's scope ends.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (agentOptions: AgentOptions = {}, options: Options = {}): Layer.Layer<HttpClient.HttpClient> =>
  Layer.scoped(
    HttpClient.HttpClient,
    Effect.map(
      Effect.acquireRelease(
        Effect.map(loadUndici, (undici) => new undici.Agent(agentOptions)),
        (agent) => Effect.promise(() => agent.destroy().catch(noop))
      ),
      (agent) => make(agent, options)
    )
  )

/**
 * The client over a dispatcher you own (its lifetime stays yours).
 *
 * @since 0.1.0
 * @category layers
 */
export const layerDispatcher = (dispatcher: Undici.Dispatcher, options: Options = {}): Layer.Layer<HttpClient.HttpClient> =>
  Layer.succeed(HttpClient.HttpClient, make(dispatcher, options))

/**
 * The client over undici's global dispatcher (shared with `fetch` and every other user of it).
 *
 * @since 0.1.0
 * @category layers
 */
export const layerGlobal: Layer.Layer<HttpClient.HttpClient> = Layer.effect(
  HttpClient.HttpClient,
  Effect.map(loadUndici, (undici) => make(undici.getGlobalDispatcher()))
)

export type {
  /** undici's `Dispatcher`, for {@link make} and {@link layerDispatcher}. */
  Dispatcher
} from "undici"
