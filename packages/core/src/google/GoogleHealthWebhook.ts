/**
 * The subscriber endpoint for Google Health API webhooks. Google verifies an endpoint with
 * two POSTs of `{"type":"verification"}`: one with the configured `Authorization` value
 * (answer `201`), one without it (answer `401`/`403`). Notifications are POSTs with the same
 * `Authorization`; the handler checks it in constant time (SHA-256 of both sides, compared
 * byte by byte), then hands the parsed JSON to the application.
 *
 * Offered three ways: {@link handle} (an Effect over a plain request), {@link httpApp} (an
 * `@effect/platform` HTTP app) and {@link makeHandler} (a framework-free
 * `(method, headers, body) => Promise<response>`).
 *
 * @since 0.1.0
 */
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as Effect from "effect/Effect"
import * as Predicate from "effect/Predicate"
import * as Redacted from "effect/Redacted"
import { constantTimeEqual } from "../internal/secret.js"

/**
 * A request as the handler sees it.
 *
 * @since 0.1.0
 * @category models
 */
export interface WebhookRequest {
  readonly method: string
  /** Header names in any case; array values (Node's) use their first element. */
  readonly headers: Readonly<Record<string, string | ReadonlyArray<string> | undefined>>
  readonly body: string | Uint8Array
}

/**
 * What to answer.
 *
 * @since 0.1.0
 * @category models
 */
export interface WebhookResponse {
  readonly status: number
  readonly headers: Readonly<Record<string, string>>
  readonly body: string
}

/**
 * A notification delivered to the application: the parsed JSON body, and the signature
 * header when Google sent one (`X-HEALTHAPI-SIGNATURE` / `GOOGLE-HEALTH-API-SIGNATURE`, an
 * ECDSA P-256 signature the application may verify with Google's public key).
 *
 * @since 0.1.0
 * @category models
 */
export interface Notification {
  readonly payload: Readonly<Record<string, unknown>>
  readonly signature?: string
}

/**
 * Handler options.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options<E = never, R = never> {
  /** The exact `Authorization` value given to Google as `endpointAuthorization.secret` (`Bearer …`). */
  readonly secret: string | Redacted.Redacted<string>
  /** Runs for each authorised notification; a failure answers 500 so that Google retries. */
  readonly onNotification?: ((notification: Notification) => Effect.Effect<void, E, R>) | undefined
  /** Bodies above this many bytes are refused with 413 (default 1 MiB). */
  readonly maxBodyBytes?: number | undefined
}

const encoder = new TextEncoder()

const header = (headers: WebhookRequest["headers"], name: string): string | undefined => {
  for (const [key, value] of Object.entries(headers ?? {})) {
    if (key.toLowerCase() !== name) continue
    if (typeof value === "string") return value
    if (Array.isArray(value) && typeof value[0] === "string") return value[0]
  }
  return undefined
}

const sha256 = (text: string): Effect.Effect<Uint8Array> =>
  Effect.promise(() => crypto.subtle.digest("SHA-256", encoder.encode(text))).pipe(
    Effect.map((buffer) => new Uint8Array(buffer))
  )

/**
 * Compares two strings in time that depends on neither their contents nor their lengths:
 * both are hashed with SHA-256 and the digests compared without an early exit.
 *
 * @since 0.1.0
 * @category validation
 */
export const constantTimeEquals = (a: string, b: string): Effect.Effect<boolean> =>
  Effect.gen(function*() {
    const [x, y] = [yield* sha256(a), yield* sha256(b)]
    // Two digests of the same length: the comparison shows nothing of the values' lengths either.
    return constantTimeEqual(String.fromCharCode(...x), String.fromCharCode(...y))
  })

const json = (status: number, body: unknown, extra: Record<string, string> = {}): WebhookResponse => ({
  status,
  headers: { "content-type": "application/json", ...extra },
  body: JSON.stringify(body)
})

const problem = (status: number, message: string, extra: Record<string, string> = {}): WebhookResponse =>
  json(status, { error: { code: status, message } }, extra)

/**
 * Answers one request: 405 for anything but POST, 401 without `Authorization`, 403 with a
 * wrong one, 413 for an oversized body, 400 for a body that is not a JSON object, 201 for a
 * verification, 204 for a notification the application accepted, 500 when it failed.
 *
 * @since 0.1.0
 * @category handlers
 */
export const handle = <E = never, R = never>(options: Options<E, R>) =>
(request: WebhookRequest): Effect.Effect<WebhookResponse, never, R> =>
  Effect.gen(function*() {
    if (typeof request?.method !== "string" || request.method.toUpperCase() !== "POST") {
      return problem(405, "only POST is accepted", { allow: "POST" })
    }
    const expected = typeof options.secret === "string" ? options.secret : Redacted.value(options.secret)
    const given = header(request.headers, "authorization")
    if (given === undefined || given === "") {
      return problem(401, "missing Authorization", { "www-authenticate": "Bearer" })
    }
    if (expected === "" || !(yield* constantTimeEquals(given, expected))) {
      return problem(403, "Authorization does not match")
    }
    const bytes = typeof request.body === "string" ? encoder.encode(request.body) : request.body
    if (!(bytes instanceof Uint8Array)) return problem(400, "the body must be JSON")
    if (bytes.byteLength > (options.maxBodyBytes ?? 1024 * 1024)) return problem(413, "the body is too large")
    let payload: unknown
    try {
      payload = JSON.parse(typeof request.body === "string" ? request.body : new TextDecoder().decode(bytes))
    } catch {
      return problem(400, "the body must be JSON")
    }
    if (!Predicate.isRecord(payload)) return problem(400, "the body must be a JSON object")
    if (payload.type === "verification") return json(201, {})
    if (options.onNotification !== undefined) {
      const signature = header(request.headers, "x-healthapi-signature") ??
        header(request.headers, "google-health-api-signature")
      const outcome = yield* Effect.either(
        Effect.suspend(() => options.onNotification!({ payload, ...(signature === undefined ? {} : { signature }) }))
      ).pipe(Effect.catchAllDefect(() => Effect.succeed({ _tag: "Left" as const })))
      if (outcome._tag === "Left") return problem(500, "the notification could not be processed")
    }
    return { status: 204, headers: {}, body: "" }
  })

/**
 * The handler as an `@effect/platform` HTTP app: mount it on the route Google posts to.
 *
 * @since 0.1.0
 * @category handlers
 */
export const httpApp = <E = never, R = never>(
  options: Options<E, R>
): Effect.Effect<HttpServerResponse.HttpServerResponse, never, R | HttpServerRequest.HttpServerRequest> => {
  const run = handle(options)
  return Effect.gen(function*() {
    const request = yield* HttpServerRequest.HttpServerRequest
    const body = yield* Effect.either(request.text)
    if (body._tag === "Left") return HttpServerResponse.unsafeJson({ error: { code: 400, message: "unreadable body" } }, { status: 400 })
    const response = yield* run({ method: request.method, headers: request.headers, body: body.right })
    return response.body === ""
      ? HttpServerResponse.empty({ status: response.status, headers: response.headers })
      : HttpServerResponse.text(response.body, {
        status: response.status,
        headers: response.headers,
        contentType: response.headers["content-type"] ?? "application/json"
      })
  })
}

/**
 * The handler as a framework-free function for Express, Fastify, Next.js route handlers, …:
 * give it the method, the headers and the raw body; it answers status, headers and body.
 *
 * @since 0.1.0
 * @category handlers
 */
export const makeHandler = (options: {
  readonly secret: string | Redacted.Redacted<string>
  readonly onNotification?: ((notification: Notification) => void | Promise<void>) | undefined
  readonly maxBodyBytes?: number | undefined
}): (
  method: string,
  headers: WebhookRequest["headers"],
  body: string | Uint8Array
) => Promise<WebhookResponse> => {
  const callback = options.onNotification
  const run = handle({
    secret: options.secret,
    maxBodyBytes: options.maxBodyBytes,
    onNotification: callback === undefined
      ? undefined
      : (notification) => Effect.tryPromise(async () => callback(notification))
  })
  return (method, headers, body) => Effect.runPromise(run({ method, headers, body }))
}
