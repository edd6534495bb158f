/**
 * Google's answer shapes as the emulated `/v4/` routes send them: the error JSON
 * `{"error": {"code", "message", "status", "details"}}` (with a `google.rpc.ErrorInfo` reason),
 * the common error kinds, a finished long-running `Operation`, and reading a JSON request body.
 *
 * @since 0.1.0
 */
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import type * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as Effect from "effect/Effect"
import * as Http from "../Http.js"
import { type Caller } from "./Caller.js"

type Reply = HttpServerResponse.HttpServerResponse

/**
 * Google's error answer; `reason` becomes a `google.rpc.ErrorInfo` detail (with `metadata`), and
 * `details` follow it (`google.rpc.RetryInfo`, `google.rpc.BadRequest`).
 *
 * @since 0.1.0
 * @category responses
 */
export const googleError = (
  code: number,
  status: string,
  message: string,
  options: {
    readonly reason?: string | undefined
    readonly headers?: Record<string, string> | undefined
    /** More `ErrorInfo` metadata (e.g. `quota_metric`). */
    readonly metadata?: Record<string, string> | undefined
    /** Further details after the `ErrorInfo` (e.g. `google.rpc.RetryInfo`). */
    readonly details?: ReadonlyArray<Record<string, unknown>> | undefined
  } = {}
): Reply => {
  const details = [
    ...(options.reason === undefined ? [] : [{
      "@type": "type.googleapis.com/google.rpc.ErrorInfo",
      reason: options.reason,
      domain: "googleapis.com",
      metadata: { service: "health.googleapis.com", ...options.metadata }
    }]),
    ...(options.details ?? [])
  ]
  return Http.json(
    { error: { code, message, status, ...(details.length === 0 ? {} : { details }) } },
    code,
    options.headers ?? {}
  )
}
/**
 * 400 `INVALID_ARGUMENT` with a message.
 *
 * @since 0.1.0
 */
export const invalid = (message: string) => googleError(400, "INVALID_ARGUMENT", message)
/**
 * 404 `NOT_FOUND`.
 *
 * @since 0.1.0
 */
export const notFound = (message = "Requested entity was not found.") => googleError(404, "NOT_FOUND", message)
/**
 * 400 `FAILED_PRECONDITION` with a message.
 *
 * @since 0.1.0
 */
export const precondition = (message: string) => googleError(400, "FAILED_PRECONDITION", message)
/**
 * The request body as a JSON object (`{}` when empty); 400 when it is not one.
 *
 * @since 0.1.0
 */
export const readJson: Effect.Effect<Record<string, unknown>, Reply, HttpServerRequest.HttpServerRequest> = Effect.gen(function*() {
  const request = yield* HttpServerRequest.HttpServerRequest
  const text = yield* Effect.orElseSucceed(request.text, () => "")
  if (text.trim() === "") return {}
  try {
    const value = JSON.parse(text)
    if (typeof value === "object" && value !== null && !Array.isArray(value)) return value as Record<string, unknown>
  } catch {
    // fall through
  }
  return yield* Effect.fail(invalid("Invalid JSON payload received."))
})
/**
 * A finished long-running operation answering `response`.
 *
 * @since 0.1.0
 */
export const operation = (caller: Caller, response: Record<string, unknown>) => ({
  name: `operations/${caller.google.nextId++}`,
  done: true,
  response
})
