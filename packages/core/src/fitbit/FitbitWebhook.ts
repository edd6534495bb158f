/**
 * The subscriber endpoint of Fitbit's change notifications (webhooks), with Web Crypto only:
 * the verification handshake (`GET ?verify=<code>` → 204 for the configured code, 404
 * otherwise), the `X-Fitbit-Signature` check (base64 HMAC-SHA1 of the raw body keyed with
 * `client_secret + "&"`, compared in constant time), decoding of the notification array,
 * and a handler that calls your callback with the decoded notifications. The handler comes
 * framework-free (`handle`, `makeHandler`) and as an `@effect/platform` `HttpApp` (`httpApp`).
 *
 * Fitbit expects an answer within 5 seconds: let the callback record or enqueue the work and
 * fetch the data afterwards. A callback failure answers 500, so Fitbit delivers again later.
 *
 * @since 0.1.0
 */
import type * as HttpApp from "@effect/platform/HttpApp"
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as Config from "effect/Config"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as ParseResult from "effect/ParseResult"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import * as BoundedBody from "../internal/boundedBody.js"
import * as ErrorDecoder from "../internal/errorDecoder.js"
import { constantTimeEqual, reveal } from "../internal/secret.js"

/**
 * One change notification: which collection changed, for which user, on which date.
 * `date` is absent from some `userRevokedAccess` notifications; unknown fields are kept.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Notification = Schema.Struct(
  {
    collectionType: Schema.String,
    date: Schema.optional(Schema.String),
    ownerId: Schema.String,
    ownerType: Schema.String,
    subscriptionId: Schema.String
  },
  Schema.Record({ key: Schema.String, value: Schema.Unknown })
)

/**
 * A decoded notification.
 *
 * @since 0.1.0
 * @category models
 */
export type Notification = typeof Notification.Type

/**
 * The notification body: a JSON array of notifications.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Notifications = Schema.Array(Notification)

/**
 * What the subscriber endpoint needs to know.
 *
 * @since 0.1.0
 * @category models
 */
export interface WebhookConfig {
  /** The app's client secret: the signature key is `clientSecret + "&"`. */
  readonly clientSecret: string | Redacted.Redacted<string>
  /** The verification code shown for the subscriber in the app's settings at dev.fitbit.com. */
  readonly verificationCode: string | Redacted.Redacted<string>
  /** Bodies above this many bytes are refused with 413, unread past the bound (default 1 MiB). */
  readonly maxBodyBytes?: number | undefined
}

/**
 * Reads the webhook configuration: `FITBIT_CLIENT_SECRET` and
 * `FITBIT_SUBSCRIBER_VERIFICATION_CODE`, both kept `Redacted`.
 *
 * @since 0.1.0
 * @category layers
 */
export const config: Config.Config<WebhookConfig> = Config.all({
  clientSecret: Config.redacted("FITBIT_CLIENT_SECRET"),
  verificationCode: Config.redacted("FITBIT_SUBSCRIBER_VERIFICATION_CODE")
})

/**
 * An incoming request, framework-free. `url` may be absolute or a path with its query;
 * `headers` a fetch `Headers` or a plain object (as Node's `req.headers`); `rawBody` the
 * exact bytes received (the signature is over them).
 *
 * @since 0.1.0
 * @category models
 */
export interface WebhookRequest {
  readonly method: string
  readonly url: string
  readonly headers: HeaderSource
  /** The raw body, or its chunks as they arrive (a Node request): read only once the headers are accepted, up to `maxBodyBytes`. */
  readonly rawBody?: string | Uint8Array | AsyncIterable<Uint8Array | string> | undefined
}

/**
 * Headers as a fetch `Headers` or a plain object of names to values.
 *
 * @since 0.1.0
 * @category models
 */
export type HeaderSource =
  | { readonly get: (name: string) => string | null }
  | Readonly<Record<string, string | ReadonlyArray<string> | undefined>>

/**
 * The answer to send back: a status and an optional plain-text body.
 *
 * @since 0.1.0
 * @category models
 */
export interface WebhookResponse {
  readonly status: number
  readonly body?: string | undefined
}

const bytesOf = (body: string | Uint8Array | undefined): Uint8Array =>
  body === undefined ? new Uint8Array(0) : typeof body === "string" ? new TextEncoder().encode(body) : body

const toBase64 = (bytes: Uint8Array): string => {
  let binary = ""
  for (const byte of bytes) binary += String.fromCharCode(byte)
  return btoa(binary)
}

/**
 * Computes Fitbit's signature of a body: `base64(HMAC-SHA1(clientSecret + "&", body))`.
 *
 * @since 0.1.0
 * @category authorization
 */
export const sign = (
  clientSecret: string | Redacted.Redacted<string>,
  rawBody: string | Uint8Array
): Effect.Effect<string> =>
  Effect.promise(async () => {
    const key = await crypto.subtle.importKey(
      "raw",
      new TextEncoder().encode(`${reveal(clientSecret)}&`),
      { name: "HMAC", hash: "SHA-1" },
      false,
      ["sign"]
    )
    const mac = await crypto.subtle.sign("HMAC", key, bytesOf(rawBody) as Uint8Array<ArrayBuffer>)
    return toBase64(new Uint8Array(mac))
  })

/**
 * Whether `signature` (the `X-Fitbit-Signature` value) is the signature of `rawBody`,
 * compared in constant time. A missing signature is not valid.
 *
 * @since 0.1.0
 * @category authorization
 */
export const verifySignature = (
  clientSecret: string | Redacted.Redacted<string>,
  rawBody: string | Uint8Array,
  signature: string | null | undefined
): Effect.Effect<boolean> =>
  typeof signature !== "string" || signature === ""
    ? Effect.succeed(false)
    : Effect.map(sign(clientSecret, rawBody), (expected) => constantTimeEqual(expected, signature.trim()))

/**
 * Answers a verification request: 204 when `verify` equals the configured code (compared
 * in constant time), 404 otherwise (also when there is no `verify` parameter). Pure.
 *
 * @since 0.1.0
 * @category authorization
 */
export const verificationStatus = (
  verificationCode: string | Redacted.Redacted<string>,
  verify: string | null | undefined
): 204 | 404 => {
  const expected = reveal(verificationCode)
  return typeof verify === "string" && expected !== "" && constantTimeEqual(verify, expected) ? 204 : 404
}

/**
 * Decodes a notification body (JSON text or bytes) into notifications.
 *
 * @since 0.1.0
 * @category decoding
 */
export const decodeNotifications = (
  rawBody: string | Uint8Array
): Either.Either<ReadonlyArray<Notification>, ParseResult.ParseError | "not JSON"> => {
  const text = typeof rawBody === "string" ? rawBody : new TextDecoder().decode(rawBody)
  let json: unknown
  try {
    // Parsed without `__proto__` keys: the notification keeps its unknown fields, never a prototype of a sender's choosing.
    json = ErrorDecoder.parseJson(text)
  } catch {
    return Either.left("not JSON")
  }
  return Schema.decodeUnknownEither(Notifications)(json)
}

const headerOf = (headers: HeaderSource, name: string): string | undefined => {
  if (typeof (headers as { get?: unknown }).get === "function") {
    return (headers as { get: (name: string) => string | null }).get(name) ?? undefined
  }
  const record = headers as Readonly<Record<string, string | ReadonlyArray<string> | undefined>>
  const value = record[name] ?? Object.entries(record).find(([key]) => key.toLowerCase() === name)?.[1]
  return value === undefined ? undefined : typeof value === "string" ? value : value[0]
}

const searchParam = (url: string, name: string): string | null => {
  try {
    return new URL(url, "http://subscriber.invalid").searchParams.get(name)
  } catch {
    return null
  }
}

/**
 * The subscriber endpoint as an Effect: `GET` answers the verification handshake; `POST`
 * checks `X-Fitbit-Signature` (404 when missing or wrong, as Fitbit asks), decodes the body
 * (400 when it is not a notification array), calls `onNotifications`, and answers 204 (500 when
 * the callback fails). Other methods answer 405. Never fails.
 *
 * @since 0.1.0
 * @category handlers
 */
export const handle = <E, R>(
  config: WebhookConfig,
  onNotifications: (notifications: ReadonlyArray<Notification>) => Effect.Effect<void, E, R>
) =>
(request: WebhookRequest): Effect.Effect<WebhookResponse, never, R> =>
  Effect.gen(function*() {
    const method = request.method.toUpperCase()
    if (method === "GET") {
      return { status: verificationStatus(config.verificationCode, searchParam(request.url, "verify")) }
    }
    if (method !== "POST") return { status: 405, body: "method not allowed" }
    const refused = refuseByHeaders(config, request.headers)
    if (refused !== undefined) return refused
    const raw = yield* readBody(request.rawBody, config.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES)
    if (!(raw instanceof Uint8Array)) return raw
    return yield* acceptSigned(config, onNotifications, request.headers, raw)
  })

const DEFAULT_MAX_BODY_BYTES = 1024 * 1024

/**
 * What a notification gets from its headers alone, before its body is read: 404 without an
 * `X-Fitbit-Signature` (Fitbit always signs), 413 when `Content-Length` says more than
 * `maxBodyBytes`; `undefined` when the body may be read and its signature checked.
 *
 * @since 0.1.0
 * @category handlers
 */
export const refuseByHeaders = (config: Pick<WebhookConfig, "maxBodyBytes">, headers: HeaderSource): WebhookResponse | undefined => {
  const signature = headerOf(headers, "x-fitbit-signature")
  if (signature === undefined || signature.trim() === "") return { status: 404 }
  if (BoundedBody.declaredTooLarge(headerOf(headers, "content-length"), config.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES)) {
    return { status: 413, body: "the body is too large" }
  }
  return undefined
}

/** The body's bytes, read with the bound; a body past it is 413. */
const readBody = (body: WebhookRequest["rawBody"], limit: number): Effect.Effect<Uint8Array | WebhookResponse> => {
  if (body === undefined || typeof body === "string" || body instanceof Uint8Array) {
    const bytes = bytesOf(body)
    return Effect.succeed(bytes.byteLength > limit ? { status: 413, body: "the body is too large" } : bytes)
  }
  return BoundedBody.collectAsync(body, limit).pipe(
    Effect.catchAll((error) =>
      Effect.succeed<WebhookResponse>(error instanceof BoundedBody.TooLarge ? { status: 413, body: "the body is too large" } : { status: 400, body: "unreadable body" })
    )
  )
}

/** A notification whose headers were accepted: its signature checked over the bytes, then decoded and handed on. */
const acceptSigned = <E, R>(
  config: WebhookConfig,
  onNotifications: (notifications: ReadonlyArray<Notification>) => Effect.Effect<void, E, R>,
  headers: HeaderSource,
  raw: Uint8Array
): Effect.Effect<WebhookResponse, never, R> =>
  Effect.gen(function*() {
    const valid = yield* verifySignature(config.clientSecret, raw, headerOf(headers, "x-fitbit-signature"))
    if (!valid) return { status: 404 }
    const decoded = decodeNotifications(raw)
    if (Either.isLeft(decoded)) return { status: 400, body: "expected a JSON array of notifications" }
    return yield* onNotifications(decoded.right).pipe(
      Effect.as<WebhookResponse>({ status: 204 }),
      Effect.catchAllCause((cause) =>
        Effect.logWarning("fitbit webhook: the notification callback failed", cause).pipe(
          Effect.as<WebhookResponse>({ status: 500, body: "notification handling failed" })
        )
      )
    )
  })

/**
 * A framework-free, Promise-based handler for any server (Node `http`, Express, a worker):
 * `(method, url, headers, rawBody) => Promise<{status, body?}>`, calling `onNotifications`
 * (which may return a Promise) with the decoded notifications.
 *
 * @since 0.1.0
 * @category handlers
 */
export const makeHandler = (
  config: WebhookConfig,
  onNotifications: (notifications: ReadonlyArray<Notification>) => void | Promise<void>
) => {
  const run = handle(config, (notifications) => Effect.tryPromise(async () => onNotifications(notifications)))
  return (
    method: string,
    url: string,
    headers: HeaderSource,
    rawBody?: WebhookRequest["rawBody"]
  ): Promise<WebhookResponse> => Effect.runPromise(run({ method, url, headers, rawBody }))
}

/**
 * The subscriber endpoint as an `@effect/platform` `HttpApp`: serve it with any
 * `HttpServer` or `HttpApp.toWebHandler`. `onNotifications` runs with the app's context.
 *
 * @since 0.1.0
 * @category handlers
 */
export const httpApp = <E, R>(
  config: WebhookConfig,
  onNotifications: (notifications: ReadonlyArray<Notification>) => Effect.Effect<void, E, R>
): HttpApp.Default<never, R> => {
  const run = handle(config, onNotifications)
  const limit = config.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES
  return Effect.gen(function*() {
    const request = yield* HttpServerRequest.HttpServerRequest
    // A POST is refused from its headers, the body unread; otherwise the body is read with the bound.
    const refused = request.method.toUpperCase() === "POST" ? refuseByHeaders(config, request.headers) : undefined
    const response = refused ?? (request.method.toUpperCase() !== "POST"
      ? yield* run({ method: request.method, url: request.url, headers: request.headers })
      : yield* BoundedBody.collect(request.stream, limit).pipe(
        Effect.matchEffect({
          onFailure: (error) =>
            Effect.succeed<WebhookResponse>(error instanceof BoundedBody.TooLarge ? { status: 413, body: "the body is too large" } : { status: 400, body: "could not read the body" }),
          onSuccess: (raw) => acceptSigned(config, onNotifications, request.headers, raw)
        })
      ))
    return response.body === undefined
      ? HttpServerResponse.empty({ status: response.status })
      : HttpServerResponse.text(response.body, { status: response.status })
  })
}
