/**
 * A lean `HttpClient` for Node, straight on undici's dispatcher: one `dispatch` per request,
 * answer headers parsed only when read, the body collected as it arrives (and streamed with
 * back-pressure when read as a stream). An ordinary `HttpClient`: interrupting the request (or
 * the reading of its body) aborts it and closes the connection, request bodies of every kind
 * are sent, failures are `RequestError` (no answer) or `ResponseError` (the body broke off) with
 * undici's error as the cause (so callers can tell a connection that was never made), and trace
 * headers follow `HttpClient.currentTracerPropagation` like any other client. What it leaves
 * out is the cost `@effect/platform-node`'s client pays on every call: no span unless a tracer
 * is installed or trace headers are to be sent, no attribute per header, no `AbortController`.
 *
 * undici is loaded when the layer is built, not when this module is, so importing a facade
 * costs nothing until its first call.
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
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Inspectable from "effect/Inspectable"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import type * as Scope from "effect/Scope"
import * as Stream from "effect/Stream"
import type * as Tracer from "effect/Tracer"
import { HttpExchange } from "@fitbit-effect/core/kernel"
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
   * The longest one exchange may take, from sending the request to the last byte of the answer;
   * past it the request is aborted and fails with an `HttpExchange.ExchangeTimeout` cause (a
   * `TimeoutException`). None by default. {@link layer} declares it as `HttpExchange.ClientTimeout`,
   * so this library's pipeline adds no timer of its own.
   */
  readonly timeout?: Duration.DurationInput | undefined
  /**
   * The largest answer body read whole, in bytes (default `HttpExchange.DEFAULT_MAX_BODY_BYTES`,
   * 64 MiB): past it, or at the headers when `Content-Length` says more, the request is aborted and
   * fails with an `HttpExchange.BodyTooLarge` cause. A body read as a stream is not limited (it is
   * never held whole). {@link layer} declares it as `HttpExchange.ClientBodyLimit`.
   */
  readonly maxBodyBytes?: number | undefined
}

/**
 * Options of the connection pool {@link layer} makes (undici `Agent` options).
 *
 * @since 0.1.0
 * @category models
 */
export type AgentOptions = Undici.Agent.Options

const CONTENT_LENGTH = "content-length"

/** Whether a raw header name is `content-length`, in any case, without making a string of it. */
const isContentLength = (name: Buffer | string): boolean => {
  if (name.length !== CONTENT_LENGTH.length) return false
  if (typeof name === "string") return name.toLowerCase() === CONTENT_LENGTH
  for (let i = 0; i < CONTENT_LENGTH.length; i++) {
    // ASCII letters lower-cased by setting bit 0x20; '-' (0x2d) already has it.
    if ((name[i]! | 0x20) !== CONTENT_LENGTH.charCodeAt(i)) return false
  }
  return true
}

/** The `Content-Length` of undici's raw header pairs, or `-1` when absent or not a number. */
const declaredLength = (raw: ReadonlyArray<Buffer | string>): number => {
  for (let i = 0; i < raw.length; i += 2) {
    if (isContentLength(raw[i]!)) {
      const value = Number(raw[i + 1]!.toString("latin1"))
      return Number.isFinite(value) ? value : -1
    }
  }
  return -1
}

/** Lower-cased header names to values (repeated headers joined with `, `) of undici's raw pairs. */
const parseRawHeaders = (raw: ReadonlyArray<Buffer | string>): Headers.Headers => {
  const out: Record<string, string> = {}
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!.toString("latin1").toLowerCase()
    const value = raw[i + 1]!.toString("latin1")
    const previous = out[name]
    out[name] = previous === undefined ? value : `${previous}, ${value}`
  }
  return Headers.unsafeFromRecord(out)
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


/** The body and headers undici is given (a `FormData` brings its own content type). */
const requestBody = (body: HttpBody.HttpBody, headers: Readonly<Record<string, string>>) => {
  if (body._tag !== "FormData") return { headers, body: bodyOf(body) }
  const encoded = formDataBody(body.formData)
  return { headers: { ...headers, "content-type": encoded.contentType }, body: encoded.body }
}

/** Above this many bytes buffered for a stream reader that is not reading, the connection pauses. */
const HIGH_WATER_MARK = 1024 * 1024

/**
 * One exchange: undici's dispatch handler (the interface undici's core calls directly). It
 * answers an `HttpClientResponse` at the headers; the body is collected as it arrives (with
 * back-pressure once somebody streams it).
 */
class Exchange implements Undici.Dispatcher.DispatchHandler {
  abortFn: ((error?: Error) => void) | undefined = undefined
  aborted = false
  /** Whether the answer (or the failure) was handed over: once, whatever undici does after an abort. */
  settled = false
  resumeFn: (() => void) | undefined = undefined
  status = 0
  rawHeaders: Array<Buffer> = []
  response: UndiciResponse | undefined = undefined
  chunks: Array<Buffer> = []
  bufferedBytes = 0
  /** The whole body, once read (kept for the next read). */
  body: Buffer | undefined = undefined
  /** Whether the body was handed over once and not kept (`readBodyOnce`). */
  taken = false
  done = false
  failure: unknown = undefined
  /** Called when a chunk arrives, the body ends or it fails. */
  wake: (() => void) | undefined = undefined
  streaming = false
  timer: ReturnType<typeof setTimeout> | undefined = undefined

  constructor(
    readonly request: HttpClientRequest.HttpClientRequest,
    readonly maxBodyBytes: number,
    readonly onAnswer: (response: UndiciResponse) => void,
    readonly onFailure: (cause: unknown) => void
  ) {}

  /** Aborts the request: undici destroys its connection, at once or, not connected yet, at `onConnect`. */
  abort(reason: Error = new Error("request interrupted")): void {
    this.aborted = true
    this.clearTimer()
    const abort = this.abortFn
    this.abortFn = undefined
    abort?.(reason)
  }

  /** Starts the deadline of the whole exchange: past it, the request fails (or its body does) and is aborted. */
  startTimer(timeoutMillis: number): void {
    this.timer = setTimeout(() => {
      this.timer = undefined
      const timeout = new HttpExchange.ExchangeTimeout(timeoutMillis)
      // Fail first (the caller gets the timeout, whatever undici reports on abort), then abort:
      // `fail` keeps the abort function, which `onError` (undici being done) would forget.
      this.fail(timeout)
      this.abort(timeout)
    }, timeoutMillis)
  }

  clearTimer(): void {
    if (this.timer !== undefined) {
      clearTimeout(this.timer)
      this.timer = undefined
    }
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
    if (declaredLength(rawHeaders) > this.maxBodyBytes) {
      this.refuseBody()
      return false
    }
    this.resumeFn = resume
    const response = this.response = new UndiciResponse(this)
    // Answer once the parser is done with this chunk: a small body that came with the headers
    // is then complete, and the caller reads it without suspending again.
    queueMicrotask(() => {
      if (this.settled) return
      this.settled = true
      this.onAnswer(response)
    })
    return true
  }

  onData(chunk: Buffer): boolean {
    if (this.done) return false
    this.chunks.push(chunk)
    this.bufferedBytes += chunk.length
    // Held whole past the limit (a stream reader drains what it reads): refused, the rest unread.
    if (this.bufferedBytes > this.maxBodyBytes) {
      this.refuseBody()
      return false
    }
    this.wake?.()
    // Pause only for a stream reader that has fallen behind; a whole read takes it all anyway.
    return !(this.streaming && this.bufferedBytes > HIGH_WATER_MARK)
  }

  onComplete(): void {
    if (this.done) return
    this.done = true
    this.abortFn = undefined
    this.clearTimer()
    this.wake?.()
  }

  /** undici is done with the request (it failed): nothing is left to abort. */
  onError(error: Error): void {
    this.abortFn = undefined
    this.fail(error)
  }

  /**
   * Hands a failure over once: to the waiter of the answer if it has not come, else to the body's
   * reader. It does not abort: undici may still hold the connection (see {@link startTimer}).
   */
  fail(error: Error): void {
    this.clearTimer()
    if (!this.settled) {
      this.settled = true
      this.done = true
      this.onFailure(error)
    } else if (!this.done) {
      this.failure = error
      this.done = true
      this.wake?.()
    }
  }

  /** The body is larger than this client takes: the failure handed over, what was held dropped, the request aborted. */
  refuseBody(): void {
    const tooLarge = new HttpExchange.BodyTooLarge(this.maxBodyBytes, this.status)
    this.drain()
    this.fail(tooLarge)
    this.abort(tooLarge)
  }

  /** Takes what has been buffered so far. */
  drain(): Array<Buffer> {
    const chunks = this.chunks
    this.chunks = []
    this.bufferedBytes = 0
    return chunks
  }

  /** What has been buffered, taken and joined into one buffer. */
  drainJoined(): Buffer {
    const chunks = this.drain()
    return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)
  }

  /** The whole body, joined once. */
  wholeBody(): Buffer {
    this.body ??= this.drainJoined()
    return this.body
  }

  /** The whole body as text, not kept: the joined bytes are garbage at once (`readBodyOnce`). */
  takeText(): string {
    if (this.body !== undefined) return this.body.toString("utf8")
    this.taken = true
    return this.drainJoined().toString("utf8")
  }
}

const decodeError = (response: UndiciResponse, cause: unknown) =>
  new HttpClientError.ResponseError({ request: response.request, response, reason: "Decode", cause })

/**
 * The whole body, once it has arrived, read by `read`. Interrupting the wait aborts the request.
 * A body handed over by `readBodyOnce` cannot be read again.
 */
const wholeBody = <A>(exchange: Exchange, read: (exchange: Exchange) => A): Effect.Effect<A, HttpClientError.ResponseError> => {
  const finish = (): Either.Either<A, HttpClientError.ResponseError> => {
    if (exchange.taken) {
      return Either.left(decodeError(exchange.response!, new Error("the body was read once by the request pipeline (UndiciHttpClient.readBodyOnce) and not kept")))
    }
    if (exchange.failure !== undefined && exchange.body === undefined) return Either.left(decodeError(exchange.response!, exchange.failure))
    // Whatever reading throws (a string too long for V8, say) settles the read with a failure.
    try {
      return Either.right(read(exchange))
    } catch (cause) {
      return Either.left(decodeError(exchange.response!, cause))
    }
  }
  if (exchange.done) return finish()
  return Effect.async<A, HttpClientError.ResponseError>((resume) => {
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
    return this.#headers ??= parseRawHeaders(this.exchange.rawHeaders)
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
    return wholeBody(this.exchange, (exchange) => exchange.wholeBody())
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

const traceHeaders = (span: Tracer.Span): Record<string, string> => ({
  traceparent: `00-${span.traceId}-${span.spanId}-${span.sampled ? "01" : "00"}`,
  b3: `${span.traceId}-${span.spanId}-${span.sampled ? "1" : "0"}`
})

/** The URL of a request with its query parameters and hash. */
const urlOf = (request: HttpClientRequest.HttpClientRequest): Either.Either<URL, unknown> => {
  if (request.urlParams.length === 0 && request.hash._tag === "None") {
    try {
      return Either.right(new URL(request.url))
    } catch (cause) {
      return Either.left(cause)
    }
  }
  return UrlParams.makeUrl(request.url, request.urlParams, request.hash)
}

/**
 * Makes the client over a dispatcher (an undici `Agent`, `Pool`, `Client` or the global one).
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (dispatcher: Undici.Dispatcher, options: Options = {}): HttpClient.HttpClient => {
  const timeoutMillis = options.timeout === undefined ? undefined : Duration.toMillis(Duration.decode(options.timeout))
  const maxBodyBytes = options.maxBodyBytes ?? HttpExchange.DEFAULT_MAX_BODY_BYTES
  const dispatch = (
    request: HttpClientRequest.HttpClientRequest,
    headers: Readonly<Record<string, string>>
  ): Effect.Effect<HttpClientResponse.HttpClientResponse, HttpClientError.RequestError> => {
    const target = urlOf(request)
    if (Either.isLeft(target)) return Effect.fail(new HttpClientError.RequestError({ request, reason: "InvalidUrl", cause: target.left }))
    const url = target.right
    // Interruption is watched through the fiber (an observer of its end) rather than a canceller:
    // a canceller wraps every request in an interruption handler, which costs more than the rest
    // of this function (measured by `pnpm bench`). An interrupted fiber always ends, and its end
    // aborts the request.
    return Effect.withFiberRuntime((fiber) =>
      Effect.async<HttpClientResponse.HttpClientResponse, HttpClientError.RequestError>((resume) => {
        const watch = () => {
          if (!exchange.done) exchange.abort()
        }
        const exchange = new Exchange(
          request,
          maxBodyBytes,
          (response) => {
            fiber.removeObserver(watch)
            resume(Effect.succeed(response))
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
            origin: url.origin,
            path: url.pathname + url.search,
            method: request.method,
            ...requestBody(request.body, headers),
            // The deadline is this client's `timeout`, not undici's.
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
    )
  }

  return HttpClient.makeWith(
    (effect) =>
      Effect.flatMap(effect, (request) =>
        Effect.withFiberRuntime((fiber) => {
          const propagate = fiber.getFiberRef(HttpClient.currentTracerPropagation)
          // No span work unless a tracer records it or trace headers are to be sent from a span.
          if (!HttpExchange.isTracing(fiber) && !(propagate && fiber.currentSpan !== undefined)) {
            return dispatch(request, request.headers)
          }
          return Effect.useSpan(`http.client ${request.method}`, { kind: "client", captureStackTrace: false }, (span) => {
            span.attribute("http.request.method", request.method)
            span.attribute("url.full", request.url)
            return dispatch(request, propagate ? { ...request.headers, ...traceHeaders(span) } : request.headers).pipe(
              Effect.withParentSpan(span),
              Effect.tap((response) => span.attribute("http.response.status_code", response.status))
            )
          })
        })),
    Effect.succeed as HttpClient.HttpClient.Preprocess<never, never>
  )
}

/**
 * The lean client's `HttpExchange.BodyReader`: its own answers hand their body to the request
 * pipeline once, without keeping a copy (a user's own `text` reads keep theirs for the next read).
 *
 * @since 0.1.0
 * @category capabilities
 */
export const readBodyOnce: HttpExchange.ReadBody = (response) =>
  response instanceof UndiciResponse ? wholeBody(response.exchange, (exchange) => exchange.takeText()) : response.text

/**
 * undici's index as a module namespace. Node gives an `import()` of this CommonJS package its named
 * exports; a bundler (esbuild, webpack) may give only `default` (`module.exports`): both work.
 */
const importUndici = async (): Promise<typeof Undici> => {
  const module = (await import("undici")) as typeof Undici & { readonly default?: typeof Undici }
  return typeof module.Agent === "function" || module.default === undefined ? module : module.default
}

/** Loads undici when a layer is built (not when this module is imported). */
const loadUndici: Effect.Effect<typeof Undici> = Effect.promise(importUndici)

/**
 * undici's `Agent` module, named apart so that TypeScript and the bundler leave it to Node: undici
 * publishes no `exports` map, and the module has kept this path since undici 5.
 */
const AGENT_MODULE: string = "undici/lib/dispatcher/agent.js"

/**
 * Set to `true` at build time (esbuild `define`) by a bundle that carries undici inside it (the
 * CLI): there the by-path import below would resolve whatever undici sits where the bundle is
 * installed, not the bundled one, so the bundled index is used instead.
 */
declare const __FITBIT_EFFECT_UNDICI_BUNDLED__: boolean | undefined
const bundledUndici = typeof __FITBIT_EFFECT_UNDICI_BUNDLED__ !== "undefined" && __FITBIT_EFFECT_UNDICI_BUNDLED__

/**
 * Loads undici's `Agent` alone when a layer is built: its own module rather than the package's
 * index, which also loads fetch, WebSocket, caches and mocks (about 7 MB more resident memory,
 * measured in a fresh process); the index when a later undici moves the module, or in a bundle.
 */
const loadAgent: Effect.Effect<typeof Undici.Agent> = Effect.promise(async () => {
  if (bundledUndici) return (await importUndici()).Agent
  try {
    const module = (await import(AGENT_MODULE)) as { readonly default?: unknown }
    if (typeof module.default === "function") return module.default as typeof Undici.Agent
  } catch {
    // Moved in a later undici: the index has it.
  }
  return (await importUndici()).Agent
})

/**
 * What the client's layers provide: the client, and what it declares of itself (its timeout, none
 * without one, as `HttpExchange.ClientTimeout`; its body limit as `HttpExchange.ClientBodyLimit`; its
 * body reader as `HttpExchange.BodyReader`; that it sends trace headers only from a span, as
 * `HttpExchange.ClientTraceHeaders`).
 *
 * @since 0.1.0
 * @category models
 */
export type Provides =
  | HttpClient.HttpClient
  | HttpExchange.ClientTimeout
  | HttpExchange.ClientBodyLimit
  | HttpExchange.BodyReader
  | HttpExchange.ClientTraceHeaders

/** The client's layer, with what it declares of itself. */
const provide = <R>(client: Effect.Effect<HttpClient.HttpClient, never, R>, options: Options): Layer.Layer<Provides, never, Exclude<R, Scope.Scope>> =>
  Layer.mergeAll(
    Layer.scoped(HttpClient.HttpClient, client),
    Layer.succeed(HttpExchange.ClientTimeout, options.timeout === undefined ? Option.none() : Option.some(Duration.decode(options.timeout))),
    Layer.succeed(HttpExchange.ClientBodyLimit, Option.some(options.maxBodyBytes ?? HttpExchange.DEFAULT_MAX_BODY_BYTES)),
    Layer.succeed(HttpExchange.BodyReader, readBodyOnce),
    Layer.succeed(HttpExchange.ClientTraceHeaders, "from-span")
  )

/**
 * The client on its own connection pool (an undici `Agent`), closed when the layer's scope ends.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (
  agentOptions: AgentOptions = {},
  options: Options = {}
): Layer.Layer<Provides> =>
  provide(
    Effect.map(
      Effect.acquireRelease(
        Effect.map(loadAgent, (Agent) => new Agent(agentOptions)),
        (agent) => Effect.promise(() => agent.destroy().catch(() => {}))
      ),
      (agent) => make(agent, options)
    ),
    options
  )

/**
 * The client on its own connection pool, bounded by the timeout and body limit read from context
 * (a provider's configuration): what the ready layers use unless given another client.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerBoundedBy = <R>(
  bounds: Effect.Effect<Options, never, R>
): Layer.Layer<Provides, never, R> =>
  Layer.unwrapEffect(Effect.map(bounds, (options) => layer({}, options)))

/**
 * The client over a dispatcher you own (its lifetime stays yours).
 *
 * @since 0.1.0
 * @category layers
 */
export const layerDispatcher = (
  dispatcher: Undici.Dispatcher,
  options: Options = {}
): Layer.Layer<Provides> => provide(Effect.succeed(make(dispatcher, options)), options)

/**
 * The client over undici's global dispatcher (shared with `fetch` and every other user of it).
 *
 * @since 0.1.0
 * @category layers
 */
export const layerGlobal: Layer.Layer<Provides> = provide(Effect.map(loadUndici, (undici) => make(undici.getGlobalDispatcher())), {})

export type {
  /** undici's `Dispatcher`, for {@link make} and {@link layerDispatcher}. */
  Dispatcher
} from "undici"
