/**
 * One HTTP exchange over undici's dispatcher, for `UndiciHttpClient`: the dispatch handler (an
 * `Exchange`), what it is answered as (a whole answer, or an `HttpClientResponse` whose body is
 * collected as it arrives and streamed with back-pressure), and the request body undici is given.
 * Internal to the package; `UndiciHttpClient` is the public face.
 *
 * @since 0.1.0
 */
import * as Cookies from "@effect/platform/Cookies"
import * as Headers from "@effect/platform/Headers"
import type * as HttpBody from "@effect/platform/HttpBody"
import * as HttpClientError from "@effect/platform/HttpClientError"
import type * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as IncomingMessage from "@effect/platform/HttpIncomingMessage"
import * as UrlParams from "@effect/platform/UrlParams"
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Inspectable from "effect/Inspectable"
import * as Option from "effect/Option"
import * as Stream from "effect/Stream"
import { HttpExchange } from "@fitbit-effect/core"
import { Readable } from "node:stream"
import type * as Undici from "undici"

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


/** The body and headers undici is given (a `FormData` brings its own content type). */
export const requestBody = (body: HttpBody.HttpBody, headers: Readonly<Record<string, string>>) => {
  if (body._tag !== "FormData") return { headers, body: bodyOf(body) }
  const encoded = formDataBody(body.formData)
  return { headers: { ...headers, "content-type": encoded.contentType }, body: encoded.body }
}

/** Above this many bytes buffered for a stream reader that is not reading, the connection pauses. */
const HIGH_WATER_MARK = 1024 * 1024

/** How an exchange answers: once the whole body is in (`whole`), or at the headers (`response`). */
export type Mode = "whole" | "response"

/**
 * One exchange: undici's legacy dispatch handler (the interface undici's core calls directly).
 * In `whole` mode it answers a {@link HttpExchange.WholeAnswer} once the body is complete, in
 * one step; in `response` mode it answers an `HttpClientResponse` at the headers, and the body
 * is collected as it arrives (with back-pressure once somebody streams it).
 */
export class Exchange implements Undici.Dispatcher.DispatchHandler {
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
export class WholeAnswer implements HttpExchange.WholeAnswer {
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
