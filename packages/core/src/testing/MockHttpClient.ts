/**
 * A recording `HttpClient` for tests: answers every request from a handler and keeps what
 * was sent (method, URL, headers, body text), so a test can assert the exact wire format.
 *
 * @since 0.1.0
 */
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientError from "@effect/platform/HttpClientError"
import type * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"

/**
 * A request as it would have gone on the wire.
 *
 * @since 0.1.0
 * @category models
 */
export interface RecordedRequest {
  readonly method: string
  /** The full URL, query included. */
  readonly url: string
  /** Header names lower-cased. */
  readonly headers: Readonly<Record<string, string>>
  /** The body as text (`""` when there is none). */
  readonly body: string
}

/**
 * What a handler answers: a response, `"transport-error"` to fail as a dropped connection,
 * or `"no-answer"` to never answer (for timeouts, driven with `TestClock`).
 *
 * @since 0.1.0
 * @category models
 */
export type MockAnswer =
  | {
    readonly status: number
    readonly headers?: Readonly<Record<string, string>>
    /** A string is sent as is; anything else as JSON. */
    readonly body?: unknown
  }
  | "transport-error"
  | "no-answer"

/**
 * A recording client: the `HttpClient` to provide, and the requests it has seen.
 *
 * @since 0.1.0
 * @category models
 */
export interface MockHttpClient {
  readonly client: HttpClient.HttpClient
  readonly requests: ReadonlyArray<RecordedRequest>
  readonly layer: Layer.Layer<HttpClient.HttpClient>
}

const bodyText = (request: HttpClientRequest.HttpClientRequest): string => {
  const body = request.body
  switch (body._tag) {
    case "Uint8Array":
      return new TextDecoder().decode(body.body)
    case "Raw":
      return typeof body.body === "string" ? body.body : String(body.body)
    default:
      return ""
  }
}

/**
 * Makes a recording client whose answers come from `handler`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (handler: (request: RecordedRequest) => MockAnswer): MockHttpClient => {
  const requests: Array<RecordedRequest> = []
  const client = HttpClient.make((request, url) =>
    Effect.suspend(() => {
      const recorded: RecordedRequest = {
        method: request.method,
        url: url.toString(),
        headers: { ...request.headers },
        body: bodyText(request)
      }
      requests.push(recorded)
      const answer = handler(recorded)
      if (answer === "no-answer") return Effect.never
      if (answer === "transport-error") {
        return Effect.fail(
          new HttpClientError.RequestError({
            request,
            reason: "Transport",
            cause: new Error("connection reset by mock")
          })
        )
      }
      const text = answer.body === undefined
        ? ""
        : typeof answer.body === "string"
        ? answer.body
        : JSON.stringify(answer.body)
      const isJson = answer.body !== undefined && typeof answer.body !== "string"
      return Effect.succeed(
        HttpClientResponse.fromWeb(
          request,
          new Response(text === "" ? null : text, {
            status: answer.status,
            headers: { ...(isJson ? { "content-type": "application/json" } : {}), ...answer.headers }
          })
        )
      )
    })
  )
  return { client, requests, layer: Layer.succeed(HttpClient.HttpClient, client) }
}

/**
 * Parses a recorded form body into its fields.
 *
 * @since 0.1.0
 * @category utils
 */
export const formFields = (request: RecordedRequest): Record<string, string> =>
  Object.fromEntries(new URLSearchParams(request.body))
