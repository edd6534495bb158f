/**
 * Small helpers the route groups share: Fitbit's error JSON, JSON answers, request form and
 * query reading, HTTP Basic parsing and per-route counting.
 *
 * @since 0.1.0
 */
import * as Headers from "@effect/platform/Headers"
import * as HttpRouter from "@effect/platform/HttpRouter"
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as UrlParams from "@effect/platform/UrlParams"
import * as Effect from "effect/Effect"
import { Buffer } from "node:buffer"
import { EmulatorState } from "./EmulatorState.js"

/**
 * A link to Fitbit's OAuth documentation, which Fitbit appends to its OAuth error messages.
 *
 * @since 0.1.0
 * @category constants
 */
export const OAUTH_DOCS = "Visit https://dev.fitbit.com/docs/oauth2 for more information on the Fitbit Web API authorization process."

/**
 * A JSON answer.
 *
 * @since 0.1.0
 * @category responses
 */
export const json = (body: unknown, status = 200, headers: Headers.Input = {}): HttpServerResponse.HttpServerResponse =>
  HttpServerResponse.unsafeJson(body, { status, headers })

/**
 * Fitbit's error answer: `{"errors": [{"errorType", "fieldName"?, "message"}], "success": false}`.
 *
 * @since 0.1.0
 * @category responses
 */
export const fitbitError = (
  status: number,
  errorType: string,
  message: string,
  options: { readonly fieldName?: string | undefined; readonly headers?: Headers.Input | undefined } = {}
): HttpServerResponse.HttpServerResponse =>
  json(
    {
      errors: [{ errorType, ...(options.fieldName === undefined ? {} : { fieldName: options.fieldName }), message }],
      success: false
    },
    status,
    options.headers ?? {}
  )

/**
 * The request's query parameters (first value of each).
 *
 * @since 0.1.0
 * @category requests
 */
export const query: Effect.Effect<Record<string, string>, never, HttpServerRequest.HttpServerRequest> = Effect.map(
  HttpServerRequest.HttpServerRequest,
  (request) => {
    const out: Record<string, string> = {}
    const index = request.url.indexOf("?")
    if (index === -1) return out
    for (const [key, value] of new URLSearchParams(request.url.slice(index + 1))) {
      if (!(key in out)) out[key] = value
    }
    return out
  }
)

/**
 * The request path without its query.
 *
 * @since 0.1.0
 * @category requests
 */
export const pathOf = (url: string): string => {
  const index = url.indexOf("?")
  return index === -1 ? url : url.slice(0, index)
}

/**
 * The request body as fields: a form (`application/x-www-form-urlencoded`) or a JSON object.
 * Unreadable bodies read as no fields.
 *
 * @since 0.1.0
 * @category requests
 */
export const bodyFields: Effect.Effect<Record<string, string>, never, HttpServerRequest.HttpServerRequest> = Effect.gen(
  function*() {
    const request = yield* HttpServerRequest.HttpServerRequest
    const type = request.headers["content-type"] ?? ""
    if (type.includes("application/json")) {
      const body = yield* Effect.orElseSucceed(request.json, () => ({}))
      const out: Record<string, string> = {}
      if (typeof body === "object" && body !== null && !Array.isArray(body)) {
        for (const [key, value] of Object.entries(body)) {
          if (value !== undefined && value !== null) out[key] = typeof value === "string" ? value : JSON.stringify(value)
        }
      }
      return out
    }
    const params = yield* Effect.orElseSucceed(request.urlParamsBody, () => UrlParams.empty)
    const out: Record<string, string> = {}
    for (const [key, value] of params) {
      if (!(key in out)) out[key] = value
    }
    return out
  }
)

/**
 * Reads `Authorization: Basic …` into client id and secret.
 *
 * @since 0.1.0
 * @category requests
 */
export const basicAuth = (
  headers: Headers.Headers
): { readonly clientId: string; readonly clientSecret: string } | "absent" | "malformed" => {
  const value = headers["authorization"]
  if (value === undefined) return "absent"
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(value)
  if (match === null) return /^Basic\b/i.test(value) ? "malformed" : "absent"
  const decoded = Buffer.from(match[1]!, "base64").toString("utf8")
  const colon = decoded.indexOf(":")
  if (colon === -1) return "malformed"
  return { clientId: decodeURIComponent(decoded.slice(0, colon)), clientSecret: decodeURIComponent(decoded.slice(colon + 1)) }
}

/**
 * Reads `Authorization: Bearer …`.
 *
 * @since 0.1.0
 * @category requests
 */
export const bearerToken = (headers: Headers.Headers): string | undefined => {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(headers["authorization"] ?? "")
  return match === null ? undefined : match[1]
}

/**
 * Wraps a route handler so that each call is counted under `METHOD /route/pattern`.
 *
 * @since 0.1.0
 * @category routes
 */
export const counted = <E, R>(
  handler: Effect.Effect<HttpServerResponse.HttpServerResponse, E, R>
): Effect.Effect<HttpServerResponse.HttpServerResponse, E, R | EmulatorState | HttpRouter.RouteContext | HttpServerRequest.HttpServerRequest> =>
  Effect.gen(function*() {
    const state = yield* EmulatorState
    const context = yield* HttpRouter.RouteContext
    const request = yield* HttpServerRequest.HttpServerRequest
    state.counters.route(`${request.method} ${context.route.path}`)
    return yield* handler
  })

/**
 * Merges a handler's error channel of ready answers into its success channel.
 *
 * @since 0.1.0
 * @category routes
 */
export const answer = <R>(
  self: Effect.Effect<HttpServerResponse.HttpServerResponse, HttpServerResponse.HttpServerResponse, R>
): Effect.Effect<HttpServerResponse.HttpServerResponse, never, R> => Effect.merge(self)
