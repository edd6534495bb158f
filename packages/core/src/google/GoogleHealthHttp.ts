/**
 * Calls to the Google Health API v4 (`https://health.googleapis.com/v4/...`): `get`, `post`,
 * `patch` and `delete` with an access token and JSON bodies, validated before anything is
 * sent, and failed with the same tagged errors as the Fitbit verbs for every non-2xx answer
 * (Google's `{"error": {"code", "message", "status", "details"}}` is decoded by `ErrorDecoder`).
 *
 * @since 0.1.0
 */
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import * as ApiCall from "../internal/apiCall.js"
import * as Errors from "../Errors.js"
import * as ErrorDecoder from "../internal/errorDecoder.js"
import * as FormBody from "../internal/formBody.js"
import * as RequestBody from "../internal/requestBody.js"
import * as HttpExchange from "../HttpExchange.js"
import type * as RateLimitPolicy from "../RateLimitPolicy.js"
import * as Url from "../internal/url.js"
import * as GoogleDataTypeRules from "./GoogleDataTypeRules.js"
import * as GoogleHealthConfig from "./GoogleHealthConfig.js"
import { reveal } from "../internal/secret.js"

/**
 * HTTP methods of the Health API.
 *
 * @since 0.1.0
 * @category models
 */
export type Method = "GET" | "POST" | "PATCH" | "DELETE"

/**
 * A query parameter value; arrays repeat the parameter, `undefined` leaves it out.
 *
 * @since 0.1.0
 * @category models
 */
export type QueryValue = string | number | boolean | ReadonlyArray<string> | undefined

/**
 * Per-call options.
 *
 * @since 0.1.0
 * @category models
 */
export interface RequestOptions {
  /** Query parameters (`pageSize`, `pageToken`, `filter`, `updateMask`, …). */
  readonly query?: Readonly<Record<string, QueryValue>> | undefined
  /** Headers merged over the defaults (`Authorization`, `Accept`). */
  readonly headers?: Readonly<Record<string, string | undefined>> | undefined
  /**
   * Whether repeating this call is harmless. Default: `true` for `GET`, `false` otherwise (writes
   * are then retried only when the request provably was never sent).
   */
  readonly idempotent?: boolean | undefined
  /** Whose rate-limit budget the call spends (sessions pass their user key); untracked when absent. */
  readonly rateLimitKey?: string | undefined
}

/**
 * One call to the Health API. `path` is the part after `/v4`, e.g. `/users/me/profile`.
 *
 * @since 0.1.0
 * @category models
 */
export interface GoogleHealthRequest extends RequestOptions {
  readonly method: Method
  readonly path: string
  /**
   * The user's access token; `null` for the few methods Google serves without one (the SMART
   * Health Links endpoints, authorised by the link itself), which then send no `Authorization`.
   */
  readonly accessToken: string | Redacted.Redacted<string> | null
  /** Sent as JSON (strings as they are). */
  readonly body?: unknown
  /** Further values (e.g. a webhook secret in the body) to keep out of error messages. */
  readonly secrets?: ReadonlyArray<string> | undefined
}

/**
 * The service behind the verbs. Both apply the `RetryPolicy` (retrying only what is safe to
 * repeat) and the `RateLimitPolicy` in context, or their defaults.
 *
 * @since 0.1.0
 * @category models
 */
export interface GoogleHealthHttpShape {
  /** Sends a call and answers with whatever status came back; fails only on bad input, transport or timeout. */
  readonly execute: (
    request: GoogleHealthRequest
  ) => Effect.Effect<HttpExchange.ApiResponse, Errors.ExecuteFailure>
  /** Sends a call and fails with the tagged error of any non-2xx answer (after safe retries). */
  readonly request: (request: GoogleHealthRequest) => Effect.Effect<HttpExchange.ApiResponse, Errors.RequestFailure>
  /** The per-user rate-limit tracker the service uses. */
  readonly rateLimits: RateLimitPolicy.RateLimitPolicyShape
}

/**
 * The Health API service.
 *
 * @since 0.1.0
 * @category schemas
 */
export class GoogleHealthHttp extends Context.Tag("@fitbit-effect/core/GoogleHealthHttp")<
  GoogleHealthHttp,
  GoogleHealthHttpShape
>() {}

const MINUTE = 60_000

const ACCEPT_JSON: Readonly<Record<string, string>> = { accept: "application/json" }

/** The headers of a call: the bearer token and `Accept`, or `Accept` alone for an anonymous call. */
/**
 * Whether a token is one Fitbit issued (a JWT whose payload names `"iss": "Fitbit"`): Google
 * answers such a token with a bare `UNAUTHENTICATED`, so it is refused before sending, with the fix.
 */
const isFitbitToken = (token: unknown): boolean => {
  const value = Redacted.isRedacted(token) ? Redacted.value(token as Redacted.Redacted<unknown>) : token
  if (typeof value !== "string" || !value.startsWith("eyJ")) return false
  const payload = value.split(".")[1]
  if (payload === undefined) return false
  try {
    const json = JSON.parse(atob(payload.replace(/-/g, "+").replace(/_/g, "/").padEnd(Math.ceil(payload.length / 4) * 4, "=")))
    return typeof json === "object" && json !== null && json.iss === "Fitbit"
  } catch {
    return false
  }
}

const headersOf = (request: GoogleHealthRequest): Either.Either<Record<string, string>, Errors.InvalidInput> => {
  if (isFitbitToken(request.accessToken)) {
    return Either.left(
      new Errors.InvalidInput({
        field: "accessToken",
        reason: "this is a Fitbit access token; the Google Health API takes Google OAuth tokens. Authorize the user with Google (GoogleAuth, GoogleHealthClient.getAuthorizeUrl, or FitbitApiClient's backend: \"google-health\"); Fitbit grants do not carry over"
      })
    )
  }
  if (request.accessToken !== null) return Url.bearerHeaders(request.accessToken, request.headers)
  return Either.map(Url.validateHeaders(request.headers), (extra) => {
    const headers: Record<string, string> = { ...ACCEPT_JSON }
    for (const name in extra) headers[name.toLowerCase()] = extra[name]!
    return headers
  })
}

/**
 * Encodes query parameters (RFC 3986), in order, repeating array values.
 *
 * @since 0.1.0
 * @category requests
 */
export const encodeQuery = (query: Readonly<Record<string, QueryValue>> | undefined): string => {
  if (query === undefined || query === null) return ""
  const parts: Array<string> = []
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined) continue
    const values = Array.isArray(value) ? value : [String(value)]
    for (const v of values) parts.push(`${FormBody.encodeComponent(key)}=${FormBody.encodeComponent(String(v))}`)
  }
  return parts.join("&")
}

/**
 * Builds the URL of a call: `{apiBaseUrl}/{channel}{path}?{query}` (`v4` unless configured), after checking the path (no
 * host, scheme, `..`, control characters or whitespace).
 *
 * @since 0.1.0
 * @category requests
 */
export const buildUrl = (
  config: Pick<GoogleHealthConfig.GoogleHealthConfigShape, "apiBaseUrl"> & { readonly channel?: GoogleHealthConfig.Channel | undefined },
  path: string,
  query?: Readonly<Record<string, QueryValue>>
): Either.Either<string, Errors.InvalidInput> => {
  if (typeof path !== "string") return Either.left(new Errors.InvalidInput({ field: "path", reason: "must be a string" }))
  const normalised = path.startsWith("/") ? path : `/${path}`
  // A path given with its channel prefix (`/v4/…`, `/v4beta/…`) is taken without it: the configured channel decides.
  const bare = /^\/v4(?:beta)?\//.exec(normalised)
  const checked = Url.validatePath(bare === null ? normalised : normalised.slice(bare[0].length - 1))
  if (Either.isLeft(checked)) return checked
  const encoded = encodeQuery(query)
  const separator = encoded === "" ? "" : checked.right.includes("?") ? "&" : "?"
  return Either.right(`${config.apiBaseUrl}/${config.channel ?? "v4"}${checked.right}${separator}${encoded}`)
}

/** The request of a call, checked; pure (an `Either`, so the pipeline takes no fiber step for it). */
const toHttpRequest = (
  config: GoogleHealthConfig.GoogleHealthConfigShape,
  request: GoogleHealthRequest
): Either.Either<HttpClientRequest.HttpClientRequest, Errors.InvalidInput> => {
  const url = buildUrl(config, request.path, request.query)
  if (Either.isLeft(url)) return Either.left(url.left)
  const headers = headersOf(request)
  if (Either.isLeft(headers)) return Either.left(headers.left)
  const http = HttpClientRequest.make(request.method)(url.right, { headers: headers.right })
  // A POST without a body sends `{}`, as Google's clients do.
  const body = request.method === "GET" || request.method === "DELETE" ? undefined : request.body ?? (request.method === "POST" ? {} : undefined)
  const withBody = body === undefined ? Either.right(http) : RequestBody.withBody(http, body, "json")
  return Either.flatMap(withBody, (checked) => withinRules(config, request, checked))
}

/** The request, unless the call breaks its data type's rules (`GoogleDataTypeRules.check`). */
const withinRules = (
  config: GoogleHealthConfig.GoogleHealthConfigShape,
  request: GoogleHealthRequest,
  http: HttpClientRequest.HttpClientRequest
): Either.Either<HttpClientRequest.HttpClientRequest, Errors.InvalidInput> => {
  const broken = GoogleDataTypeRules.check({
    channel: config.channel,
    httpMethod: request.method,
    path: request.path,
    query: request.query,
    body: request.body
  })
  return broken === undefined ? Either.right(http) : Either.left(broken)
}

/** The path of a request URL (after the origin), `""` when it is not one. */
const pathOf = (url: string): string => {
  try {
    return new URL(url).pathname
  } catch {
    return ""
  }
}

/**
 * An `InsufficientScope` with the scopes its call needed (`GoogleDataTypeRules.requiredScopes`),
 * one to ask for per group; any other failure as it is.
 *
 * @since 0.1.0
 * @category decoding
 */
export const withScopes = (failure: Errors.ApiFailure): Errors.ApiFailure => {
  if (failure._tag !== "InsufficientScope" || failure.requiredScopes !== undefined) return failure
  const required = GoogleDataTypeRules.requiredScopes(failure.method, pathOf(failure.url))
  return required === undefined ? failure : new Errors.InsufficientScope({ ...failure, requiredScopes: required.map((group) => group[0]!) })
}

/**
 * A path with user, data-point, device and subscriber ids replaced by placeholders, for spans.
 *
 * @since 0.1.0
 * @category formatting
 */
export const templateOf = (path: string): string =>
  path
    .split("?")[0]!
    .replace(/\/users\/[^/:]+/, "/users/{user}")
    .replace(/\/(dataPoints|pairedDevices|subscribers|subscriptions)\/[^/:]+/g, "/$1/{id}")
    .replace(/\/projects\/[^/:]+/, "/projects/{project}")
    .replace(/\/shl\/m\/[^/]+$/, "/shl/m/{id}")
    .replace(/\/shl\/r\/[^/]+\/[^/]+$/, "/shl/r/{id}/{token}")

/**
 * Makes the service from the configuration and an `HttpClient`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make: Effect.Effect<
  GoogleHealthHttpShape,
  never,
  GoogleHealthConfig.GoogleHealthConfig | HttpClient.HttpClient
> = Effect.gen(function*() {
  const config = yield* GoogleHealthConfig.GoogleHealthConfig
  const pipeline = yield* ApiCall.make({
    provider: "google-health",
    spanName: "google-health",
    attributePrefix: "google_health",
    templateOf: (path) => typeof path === "string" ? templateOf(path) : "",
    decodeFailure: (response, secrets) => withScopes(ErrorDecoder.toApiFailure({ ...response, now: response.receivedAt, secrets })),
    timeout: config.timeout,
    maxBodyBytes: config.maxBodyBytes,
    quotas: config.quota === undefined ? undefined : {
      perUser: { limit: config.quota.perUserPerMinute, windowMillis: MINUTE },
      perProject: { id: config.clientId, limit: config.quota.perProjectPerMinute, windowMillis: MINUTE }
    }
  })

  return ApiCall.service(pipeline, (request: GoogleHealthRequest): ApiCall.Call => ({
    method: request.method,
    path: request.path,
    idempotent: request.idempotent,
    rateLimitKey: request.rateLimitKey,
    prepare: Either.map(toHttpRequest(config, request), (http) => ({
      http,
      secrets: request.accessToken === null
        ? request.secrets ?? []
        : [reveal(request.accessToken), ...(request.secrets ?? [])]
    }))
  }))
})

/**
 * The service as a layer.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<GoogleHealthHttp, never, GoogleHealthConfig.GoogleHealthConfig | HttpClient.HttpClient> =
  Layer.effect(GoogleHealthHttp, make)

/**
 * Sends a call with the service in context; non-2xx answers fail with their tagged error.
 *
 * @since 0.1.0
 * @category verbs
 */
export const call = (
  request: GoogleHealthRequest
): Effect.Effect<HttpExchange.ApiResponse, Errors.RequestFailure, GoogleHealthHttp> =>
  Effect.flatMap(GoogleHealthHttp, (http) => http.request(request))

/**
 * `GET` a path with an access token.
 *
 * @since 0.1.0
 * @category verbs
 */
export const get = (
  path: string,
  accessToken: string | Redacted.Redacted<string>,
  options?: RequestOptions
): Effect.Effect<HttpExchange.ApiResponse, Errors.RequestFailure, GoogleHealthHttp> =>
  call({ ...options, method: "GET", path, accessToken })

/**
 * `POST` a JSON body to a path (an empty object when none is given).
 *
 * @since 0.1.0
 * @category verbs
 */
export const post = (
  path: string,
  accessToken: string | Redacted.Redacted<string>,
  body?: unknown,
  options?: RequestOptions
): Effect.Effect<HttpExchange.ApiResponse, Errors.RequestFailure, GoogleHealthHttp> =>
  call({ ...options, method: "POST", path, accessToken, body })

/**
 * `PATCH` a JSON body to a path (use `query: { updateMask }` for partial updates).
 *
 * @since 0.1.0
 * @category verbs
 */
export const patch = (
  path: string,
  accessToken: string | Redacted.Redacted<string>,
  body: unknown,
  options?: RequestOptions
): Effect.Effect<HttpExchange.ApiResponse, Errors.RequestFailure, GoogleHealthHttp> =>
  call({ ...options, method: "PATCH", path, accessToken, body })

/**
 * `DELETE` a path.
 *
 * @since 0.1.0
 * @category verbs
 */
export const del = (
  path: string,
  accessToken: string | Redacted.Redacted<string>,
  options?: RequestOptions
): Effect.Effect<HttpExchange.ApiResponse, Errors.RequestFailure, GoogleHealthHttp> =>
  call({ ...options, method: "DELETE", path, accessToken })

/**
 * Sends a call and decodes its body with a schema.
 *
 * @since 0.1.0
 * @category verbs
 */
export const callDecoded = <A, I>(
  request: GoogleHealthRequest,
  schema: Schema.Schema<A, I, never>
): Effect.Effect<A, Errors.RequestFailure, GoogleHealthHttp> =>
  call(request).pipe(
    Effect.flatMap(HttpExchange.decodeBody(schema, request.method)),
    Effect.map((response) => response.body)
  )
