/**
 * The subscriber endpoint for Google Health API webhooks. Google verifies an endpoint with
 * two POSTs of `{"type":"verification"}`: one with the configured `Authorization` value
 * (answer `201`), one without it (answer `401`/`403`). Notifications are POSTs with the same
 * `Authorization`, holding an array of up to 99 `{ "data": {...} }` items (sometimes a single one);
 * the handler checks the `Authorization` in constant time (SHA-256 of both sides, compared byte by
 * byte), decodes each item into a typed {@link Notification} and hands the {@link Delivery} (with
 * the signature header and the raw body it covers) to the application.
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
import * as Schema from "effect/Schema"
import * as BoundedBody from "../internal/boundedBody.js"
import * as ErrorDecoder from "../internal/errorDecoder.js"
import * as ParseReason from "../internal/parseReason.js"
import * as Values from "./datatypes/Values.js"
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
 * An interval a notification names, as Google sends it: physical time (`startTime`/`endTime`,
 * RFC 3339), civil time (`start`/`end` as civil date-times), and the civil interval as ISO 8601
 * text. Any field Google adds is kept.
 *
 * @since 0.1.0
 * @category models
 */
export const NotificationInterval = Schema.Struct(
  {
    physicalTimeInterval: Schema.optional(Schema.Struct({ startTime: Schema.optional(Schema.String), endTime: Schema.optional(Schema.String) })),
    civilDateTimeInterval: Schema.optional(Schema.Struct({ start: Schema.optional(Values.CivilDateTime), end: Schema.optional(Values.CivilDateTime) })),
    civilIso8601TimeInterval: Schema.optional(Schema.String)
  },
  Schema.Record({ key: Schema.String, value: Schema.Unknown })
)

/**
 * @since 0.1.0
 * @category models
 */
export type NotificationInterval = typeof NotificationInterval.Type

/**
 * What Google's documentation names as operations. Others seen live (`UPDATE`) or added later are
 * kept as they come, never refused.
 *
 * @since 0.1.0
 * @category models
 */
export type KnownOperation = "UPSERT" | "DELETE" | "UPDATE"

/**
 * One notification: a user's data of one type changed in the intervals named (re-read them). The
 * `data` of an item of the array Google posts; an operation or a data type this library does not
 * know is kept as it comes, and so is any field Google adds.
 *
 * @since 0.1.0
 * @category models
 */
export const Notification = Schema.Struct(
  {
    healthUserId: Schema.String,
    /** `UPSERT`, `DELETE` (Google's documentation), `UPDATE` (seen live), or another Google adds. */
    operation: Schema.String as Schema.Schema<KnownOperation | (string & {}), string>,
    /** The data type, kebab-case (`steps`, `sleep`, …), known to `GoogleDataTypes` or not. */
    dataType: Schema.String,
    intervals: Schema.optionalWith(Schema.Array(NotificationInterval), { default: () => [] }),
    version: Schema.optional(Schema.String),
    clientProvidedSubscriptionName: Schema.optional(Schema.String)
  },
  Schema.Record({ key: Schema.String, value: Schema.Unknown })
)

/**
 * @since 0.1.0
 * @category models
 */
export type Notification = typeof Notification.Type

/**
 * One delivery: the notifications of a POST (Google sends an array of up to 99 items, sometimes a
 * single item), the items that could not be read as notifications (kept, with why, so a malformed
 * item does not make Google redeliver the rest for 7 days), the signature header when Google sent
 * one (`X-HEALTHAPI-SIGNATURE` / `GOOGLE-HEALTH-API-SIGNATURE`, ECDSA P-256 over the raw body),
 * and the raw body the signature covers.
 *
 * @since 0.1.0
 * @category models
 */
export interface Delivery {
  readonly notifications: ReadonlyArray<Notification>
  readonly unreadable: ReadonlyArray<{ readonly item: unknown; readonly reason: string }>
  readonly signature?: string | undefined
  readonly rawBody: Uint8Array
}

const decodeItem = Schema.decodeUnknownEither(Schema.Struct({ data: Notification }))

/**
 * The delivery in a notification's JSON: an array of `{ "data": {...} }` items or a single one.
 * `undefined` when the JSON is neither (an object without `data`, a number, …).
 *
 * @since 0.1.0
 * @category decoding
 */
export const decodeDelivery = (
  json: unknown
): Pick<Delivery, "notifications" | "unreadable"> | undefined => {
  const items = Array.isArray(json) ? json : Predicate.isRecord(json) && "data" in json ? [json] : undefined
  if (items === undefined) return undefined
  const notifications: Array<Notification> = []
  const unreadable: Array<{ readonly item: unknown; readonly reason: string }> = []
  for (const item of items) {
    const decoded = decodeItem(item)
    if (decoded._tag === "Right") notifications.push(decoded.right.data)
    else unreadable.push({ item, reason: ParseReason.describe(decoded.left) })
  }
  return { notifications, unreadable }
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
  /** Runs for each authorised delivery (a POST of notifications); a failure answers 500 so that Google redelivers. */
  readonly onNotifications?: ((delivery: Delivery) => Effect.Effect<void, E, R>) | undefined
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
export const handle = <E = never, R = never>(options: Options<E, R>) => {
  refuseRenamedOptions(options)
  return (request: WebhookRequest): Effect.Effect<WebhookResponse, never, R> => answer(options, request)
}

/**
 * Throws at once for `onNotification`, the option's name before it took a whole delivery: a
 * handler built with it would answer 204 and drop every notification (Google would not redeliver).
 */
const refuseRenamedOptions = (options: object): void => {
  if (typeof options === "object" && options !== null && "onNotification" in options) {
    throw new TypeError("GoogleHealthWebhook: the option is onNotifications (it receives a Delivery: { notifications, unreadable, signature, rawBody }); onNotification is no longer read")
  }
}

const answer = <E, R>(options: Options<E, R>, request: WebhookRequest): Effect.Effect<WebhookResponse, never, R> =>
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
    if (Predicate.isRecord(payload) && payload.type === "verification") return json(201, {})
    const delivery = decodeDelivery(payload)
    if (delivery === undefined) return problem(400, "the body must be a notification or an array of them")
    if (options.onNotifications !== undefined) {
      const signature = header(headers, "x-healthapi-signature") ?? header(headers, "google-health-api-signature")
      const outcome = yield* Effect.either(
        Effect.suspend(() => options.onNotifications!({ ...delivery, signature, rawBody: read }))
      ).pipe(Effect.catchAllDefect(() => Effect.succeed({ _tag: "Left" as const })))
      if (outcome._tag === "Left") return problem(500, "the notifications could not be processed")
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
  refuseRenamedOptions(options)
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
  readonly onNotifications?: ((delivery: Delivery) => void | Promise<void>) | undefined
  readonly maxBodyBytes?: number | undefined
}): (
  method: string,
  headers: WebhookRequest["headers"],
  body: WebhookRequest["body"]
) => Promise<WebhookResponse> => {
  refuseRenamedOptions(options)
  const callback = options.onNotifications
  const run = handle({
    secret: options.secret,
    maxBodyBytes: options.maxBodyBytes,
    onNotifications: callback === undefined
      ? undefined
      : (delivery) => Effect.tryPromise(async () => callback(delivery))
  })
  return (method, headers, body) => Effect.runPromise(run({ method, headers, body }))
}
