/**
 * The subscriber endpoint for Google Health API webhooks. Google verifies an endpoint with
 * two POSTs of `{"type":"verification"}`: one with the configured `Authorization` value
 * (answer `201`), one without it (answer `401`/`403`). Notifications are POSTs with the same
 * `Authorization`; the handler checks it in constant time (SHA-256 of both sides, compared
 * byte by byte), then hands the parsed JSON to the application.
 *
 * Offered three ways: {@link handle} (an Effect over a plain request), {@link httpApp} (an
 * `@effect/platform` HTTP app) and {@link makeHandler} (a framework-free
 * `(method, headers, body) => Promise<response>`). A request is refused from its headers before
 * its body is read (method, `Authorization`, a `Content-Length` above the limit), and the body is
 * then read with a bound (`maxBodyBytes`, 1 MiB by default): a stranger cannot make the endpoint
 * buffer more than that.
 *
 * @since 0.1.0
 */
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as Effect from "effect/Effect"
import * as Predicate from "effect/Predicate"
import * as Redacted from "effect/Redacted"
import * as BoundedBody from "../internal/boundedBody.js"
import * as ErrorDecoder from "../internal/errorDecoder.js"
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
  /** The raw body, or its chunks as they arrive (a Node request): read only once the headers are accepted, up to `maxBodyBytes`. */
  readonly body: string | Uint8Array | AsyncIterable<Uint8Array | string>
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

const DEFAULT_MAX_BODY_BYTES = 1024 * 1024

/**
 * The answer a request gets from its headers alone, before its body is read: 405 for anything but
 * POST, 401 without `Authorization`, 403 with a wrong one (compared in constant time), 413 when
 * `Content-Length` says more than `maxBodyBytes`; `undefined` when the body may be read.
 *
 * @since 0.1.0
 * @category handlers
 */
export const refuseByHeaders = (
  options: Pick<Options, "secret" | "maxBodyBytes">,
  method: string,
  headers: WebhookRequest["headers"]
): Effect.Effect<WebhookResponse | undefined> =>
  Effect.gen(function*() {
    if (typeof method !== "string" || method.toUpperCase() !== "POST") {
      return problem(405, "only POST is accepted", { allow: "POST" })
    }
    const expected = typeof options.secret === "string" ? options.secret : Redacted.value(options.secret)
    const given = header(headers, "authorization")
    if (given === undefined || given === "") {
      return problem(401, "missing Authorization", { "www-authenticate": "Bearer" })
    }
    if (expected === "" || !(yield* constantTimeEquals(given, expected))) {
      return problem(403, "Authorization does not match")
    }
    if (BoundedBody.declaredTooLarge(header(headers, "content-length"), options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES)) {
      return problem(413, "the body is too large")
    }
    return undefined
  })

/** The body's bytes, read with the bound; a body past it is 413. */
const readBody = (body: WebhookRequest["body"], limit: number): Effect.Effect<Uint8Array | WebhookResponse> => {
  if (typeof body === "string" || body instanceof Uint8Array) {
    const bytes = typeof body === "string" ? encoder.encode(body) : body
    return Effect.succeed(bytes.byteLength > limit ? problem(413, "the body is too large") : bytes)
  }
  if (typeof body !== "object" || body === null || !(Symbol.asyncIterator in body)) return Effect.succeed(problem(400, "the body must be JSON"))
  return BoundedBody.collectAsync(body, limit).pipe(
    Effect.catchAll((error) => Effect.succeed(error instanceof BoundedBody.TooLarge ? problem(413, "the body is too large") : problem(400, "unreadable body")))
  )
}

/**
 * Answers one request: refused from its headers first ({@link refuseByHeaders}), then the body
 * read up to `maxBodyBytes` (413 beyond), 400 for a body that is not a JSON object, 201 for a
 * verification, 204 for a notification the application accepted, 500 when it failed.
 *
 * @since 0.1.0
 * @category handlers
 */
export const handle = <E = never, R = never>(options: Options<E, R>) =>
(request: WebhookRequest): Effect.Effect<WebhookResponse, never, R> =>
  Effect.gen(function*() {
    const refused = yield* refuseByHeaders(options, request?.method, request?.headers ?? {})
    if (refused !== undefined) return refused
    const read = yield* readBody(request.body, options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES)
    return read instanceof Uint8Array ? yield* accepted(options, request.headers, read) : read
  })

/** What a request whose headers were accepted gets, from its body's bytes. */
const accepted = <E, R>(
  options: Options<E, R>,
  headers: WebhookRequest["headers"],
  read: Uint8Array
): Effect.Effect<WebhookResponse, never, R> =>
  Effect.gen(function*() {
    let payload: unknown
    try {
      payload = ErrorDecoder.parseJson(new TextDecoder().decode(read))
    } catch {
      return problem(400, "the body must be JSON")
    }
    if (!Predicate.isRecord(payload)) return problem(400, "the body must be a JSON object")
    if (payload.type === "verification") return json(201, {})
    if (options.onNotification !== undefined) {
      const signature = header(headers, "x-healthapi-signature") ?? header(headers, "google-health-api-signature")
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
  const limit = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES
  return Effect.gen(function*() {
    const request = yield* HttpServerRequest.HttpServerRequest
    // Refused from the headers, the body unread; otherwise read with the bound.
    const refused = yield* refuseByHeaders(options, request.method, request.headers)
    const response = refused ?? (yield* BoundedBody.collect(request.stream, limit).pipe(
      Effect.matchEffect({
        onFailure: (error) => Effect.succeed(error instanceof BoundedBody.TooLarge ? problem(413, "the body is too large") : problem(400, "unreadable body")),
        onSuccess: (body) => accepted(options, request.headers, body)
      })
    ))
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
  body: WebhookRequest["body"]
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
