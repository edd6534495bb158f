/**
 * Serves injected faults: wraps the whole app, and for a request that matches an armed fault
 * answers with the fault (or, for `delay`, waits and then lets the request through).
 * Requests under the control prefix are never faulted nor counted.
 *
 * @since 0.1.0
 */
import type * as HttpApp from "@effect/platform/HttpApp"
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as NodeHttpServerRequest from "@effect/platform-node/NodeHttpServerRequest"
import * as Effect from "effect/Effect"
import { EmulatorState } from "./EmulatorState.js"
import type * as Faults from "./Faults.js"
import * as GoogleAnswers from "./google/Answers.js"
import * as GoogleOAuth from "./google/OAuth.js"
import * as Http from "./Http.js"

/**
 * The reserved path prefix of the control routes.
 *
 * @since 0.1.0
 * @category constants
 */
export const CONTROL_PREFIX = "/__emulator"

const HTML_502 =
  "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n</body>\r\n</html>\r\n"

/** Waits in wall time, whatever clock the surrounding program uses. */
const wallSleep = (millis: number) =>
  Effect.async<void>((resume) => {
    const timer = setTimeout(() => resume(Effect.void), millis)
    return Effect.sync(() => clearTimeout(timer))
  })

/**
 * Which error dialect a path answers in: Google's OAuth endpoints answer OAuth's
 * `{"error", "error_description"}`, the Google Health API (`/v4/…`) Google's
 * `{"error": {"code", "message", "status"}}`, everything else Fitbit's `{"errors": […]}`.
 *
 * @since 0.1.0
 * @category routes
 */
export const dialectOf = (path: string): "fitbit" | "google-oauth" | "google-api" =>
  path === "/o/oauth2/v2/auth" || path === "/o/oauth2/v2/auth/decision" || path === "/token" || path === "/revoke"
    ? "google-oauth"
    : path === "/v4" || path.startsWith("/v4/") || path === "/v4beta" || path.startsWith("/v4beta/")
    ? "google-api"
    : "fitbit"

/** The legacy Fitbit routes once retired: 410 Gone, the body in Fitbit's error shape. */
const LEGACY_GONE = Http.fitbitError(
  410,
  "request",
  "The Fitbit Web API has been turned off. Fitbit data is available from the Google Health API: https://developers.google.com/health"
)

const GOOGLE_QUOTA =
  "Quota exceeded for quota metric 'Requests' and limit 'Requests per user per hour' of service 'health.googleapis.com'."

/** The status faults in Google's shapes (Google's token endpoint answers `internal_failure` on a 500). */
const serveGoogleFault = (
  fault: Faults.Fault,
  dialect: "google-oauth" | "google-api"
): HttpServerResponse.HttpServerResponse | undefined => {
  const oauth = dialect === "google-oauth"
  switch (fault.kind) {
    case "status500":
      return oauth
        ? GoogleOAuth.oauthError(500, "internal_failure", "An internal error occurred.")
        : GoogleAnswers.googleError(500, "INTERNAL", "Internal error encountered.")
    case "status503":
      return oauth
        ? GoogleOAuth.oauthError(503, "temporarily_unavailable", "The service is currently unavailable.")
        : GoogleAnswers.googleError(503, "UNAVAILABLE", "The service is currently unavailable.")
    case "status429": {
      const headers = { "retry-after": String(fault.retryAfterSeconds ?? 60) }
      return oauth
        ? HttpServerResponse.setHeaders(GoogleOAuth.oauthError(429, "rate_limit_exceeded", "Rate limit exceeded."), headers)
        : GoogleAnswers.googleError(429, "RESOURCE_EXHAUSTED", GOOGLE_QUOTA, { reason: "RATE_LIMIT_EXCEEDED", headers })
    }
    default:
      return undefined
  }
}

const serveFault = (
  fault: Faults.Fault,
  request: HttpServerRequest.HttpServerRequest,
  path: string
): Effect.Effect<HttpServerResponse.HttpServerResponse> => {
  const dialect = dialectOf(path)
  if (dialect !== "fitbit") {
    const google = serveGoogleFault(fault, dialect)
    if (google !== undefined) return Effect.succeed(google)
  }
  switch (fault.kind) {
    case "status500":
      return Effect.succeed(Http.fitbitError(500, "system", "An unexpected error has occurred. We are working on it."))
    case "status503":
      return Effect.succeed(Http.fitbitError(503, "system", "The service is temporarily unavailable."))
    case "html502":
      return Effect.succeed(HttpServerResponse.text(HTML_502, { status: 502, contentType: "text/html" }))
    case "status429": {
      const seconds = fault.retryAfterSeconds ?? 60
      return Effect.succeed(HttpServerResponse.empty({
        status: 429,
        headers: {
          "retry-after": String(seconds),
          "fitbit-rate-limit-limit": "150",
          "fitbit-rate-limit-remaining": "0",
          "fitbit-rate-limit-reset": String(seconds)
        }
      }))
    }
    case "malformedJson":
      return Effect.succeed(
        HttpServerResponse.text(`{"user": {"encodedId": "ABC123", "displayName": "Al`, { status: 200, contentType: "application/json" })
      )
    case "reset":
      return Effect.suspend(() => {
        const response = NodeHttpServerRequest.toServerResponse(request)
        response.socket?.destroy()
        // The response's "close" interrupts this fiber; nothing is ever written.
        return Effect.never
      })
    case "delay":
      return Effect.die("unreachable")
  }
}

/**
 * Wraps an app with fault injection and path counting.
 *
 * @since 0.1.0
 * @category handlers
 */
export const withFaults = <E, R>(
  app: HttpApp.Default<E, R>
): HttpApp.Default<E, R | EmulatorState> =>
  Effect.gen(function*() {
    const request = yield* HttpServerRequest.HttpServerRequest
    const path = Http.pathOf(request.url)
    if (path === CONTROL_PREFIX || path.startsWith(`${CONTROL_PREFIX}/`)) return yield* app
    const state = yield* EmulatorState
    state.counters.path(`${request.method} ${path}`)
    const step = state.counters.arrived()
    return yield* Effect.ensuring(
      Effect.gen(function*() {
        if (state.legacyRetired && dialectOf(path) === "fitbit") return LEGACY_GONE
        const fault = state.faults.take(request.method, path)
        if (fault === undefined) return yield* app
        state.counters.bump("faults")
        if (fault.kind === "delay") {
          yield* wallSleep(fault.delayMillis ?? 1000)
          return yield* app
        }
        return yield* serveFault(fault, request, path)
      }),
      Effect.sync(() => state.counters.answered(step))
    )
  })
