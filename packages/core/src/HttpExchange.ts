/**
 * Sending one HTTP request and reading its whole answer, with transport failures and
 * timeouts turned into tagged errors. Shared by the OAuth, Fitbit and Google programs.
 *
 * @since 0.1.0
 */
import * as HttpClient from "@effect/platform/HttpClient"
import type * as HttpClientError from "@effect/platform/HttpClientError"
import type * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as Clock from "effect/Clock"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as ErrorDecoder from "./ErrorDecoder.js"
import { TimeoutError, TransportError } from "./FitbitError.js"

/**
 * A complete HTTP answer: status, headers (lower-cased names), the body as text and parsed.
 *
 * @since 0.1.0
 * @category models
 */
export interface RawResponse {
  readonly method: string
  /** The request URL without its query string. */
  readonly url: string
  readonly status: number
  readonly headers: Readonly<Record<string, string>>
  readonly text: string
  /** JSON when the body parsed as JSON, the text otherwise, `undefined` when empty. */
  readonly body: unknown
  /** When the answer was read, epoch milliseconds from `Clock`. */
  readonly receivedAt: number
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
 * Sends a request with the given client and reads the whole body. Only transport failures
 * and the timeout fail; every HTTP status is a success here.
 *
 * @since 0.1.0
 * @category sending
 */
export const send = (
  client: HttpClient.HttpClient,
  request: HttpClientRequest.HttpClientRequest,
  options: {
    readonly timeout: Duration.Duration
    /** Values to keep out of error messages. */
    readonly secrets?: ReadonlyArray<string>
  }
): Effect.Effect<RawResponse, TransportError | TimeoutError> => {
  const method = request.method
  const url = displayUrl(request.url)
  const secrets = options.secrets ?? []
  return client.execute(request).pipe(
    // Trace headers are not sent to third-party APIs: the wire format stays what the API documents.
    Effect.locally(HttpClient.currentTracerPropagation, false),
    Effect.flatMap((response) =>
      Effect.flatMap(response.text, (text) =>
        Effect.map(Clock.currentTimeMillis, (receivedAt): RawResponse => ({
          method,
          url,
          status: response.status,
          headers: response.headers,
          text,
          body: ErrorDecoder.parseBody(text),
          receivedAt
        })))
    ),
    Effect.mapError((error) => new TransportError({ method, url, reason: describeCause(error, secrets) })),
    Effect.timeoutFail({
      duration: options.timeout,
      onTimeout: () => new TimeoutError({ method, url, timeoutMillis: Duration.toMillis(options.timeout) })
    })
  )
}

/**
 * Whether a status is a success (2xx).
 *
 * @since 0.1.0
 * @category predicates
 */
export const isSuccess = (status: number): boolean => status >= 200 && status < 300
