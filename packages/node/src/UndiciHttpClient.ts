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
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientError from "@effect/platform/HttpClientError"
import type * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as UrlParams from "@effect/platform/UrlParams"
import * as Effect from "effect/Effect"
import type * as Fiber from "effect/Fiber"
import * as FiberRef from "effect/FiberRef"
import * as Layer from "effect/Layer"
import type * as Tracer from "effect/Tracer"
import { HttpExchange } from "@fitbit-effect/core"
import type * as Undici from "undici"
import { Exchange, type Mode, requestBody, WholeAnswer } from "./UndiciExchange.js"

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

const noop = () => {}

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
      const tracing = HttpExchange.isTracing(fiber)
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
 * @category utils
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
