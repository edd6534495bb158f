/**
 * Calls to the Fitbit Web API: `get`, `post`, `put` and `delete` with an access token,
 * validated before anything is sent, answered with status, headers, parsed body and
 * rate-limit state, and failed with a tagged error for every non-2xx answer.
 *
 * @since 0.1.0
 */
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import * as ApiCall from "../internal/apiCall.js"
import * as FitbitConfig from "./FitbitConfig.js"
import * as Errors from "../Errors.js"
import * as ErrorDecoder from "../internal/errorDecoder.js"
import type * as FormBody from "../internal/formBody.js"
import * as RequestBody from "../internal/requestBody.js"
import * as HttpExchange from "../HttpExchange.js"
import * as RateLimit from "../RateLimit.js"
import type * as RateLimitPolicy from "../RateLimitPolicy.js"
import * as Url from "../internal/url.js"
import { reveal } from "../internal/secret.js"

const FITBIT_USER_ID = /^[0-9A-Z]{6,8}$/

/**
 * Checks a Fitbit user id: `-` (the token's own user) or an encoded id such as `228TQ4`.
 *
 * @since 0.1.0
 * @category validation
 */
export const validateFitbitUserId = (userId: unknown): Either.Either<string, Errors.InvalidInput> =>
  userId === "-" || (typeof userId === "string" && FITBIT_USER_ID.test(userId))
    ? Either.right(userId)
    : Either.left(
      new Errors.InvalidInput({ field: "userId", reason: `must be "-" or a Fitbit user id (6 to 8 characters of A-Z 0-9)` })
    )


/**
 * HTTP methods of the data API.
 *
 * @since 0.1.0
 * @category models
 */
export type Method = "GET" | "POST" | "PUT" | "DELETE"

/**
 * Per-call options.
 *
 * @since 0.1.0
 * @category models
 */
export interface RequestOptions {
  /** `-` (default: the token's user), a Fitbit user id, or `false` to leave out the `/user/…` segment. */
  readonly userId?: string | false | null | undefined
  /** API version for this call; the configured default otherwise. */
  readonly apiVersion?: string | undefined
  /** Headers merged over the defaults (`Authorization`, `Accept`, `Accept-Language`). */
  readonly headers?: Readonly<Record<string, string | undefined>> | undefined
  /** Send the body as JSON instead of a form. */
  readonly json?: boolean | undefined
  /**
   * Whether repeating this call is harmless. Default: `true` for `GET`, `false` for `POST`, `PUT`
   * and `DELETE`, which are then retried only when the request provably was never sent. Set
   * `true` on a write only when doing it twice cannot duplicate data; `false` turns retries off.
   */
  readonly idempotent?: boolean | undefined
  /**
   * Whose rate-limit budget the call spends (sessions pass their user key). Default: the
   * `userId` when it names a user; with neither, the budget is not tracked.
   */
  readonly rateLimitKey?: string | undefined
}

/**
 * A request body: an object (form-encoded like fitbit-node, or JSON with `json: true`) or a ready string.
 *
 * @since 0.1.0
 * @category models
 */
export type Body = { readonly [key: string]: FormBody.FormValue } | string

/**
 * One call to the data API.
 *
 * @since 0.1.0
 * @category models
 */
export interface FitbitRequest extends RequestOptions {
  readonly method: Method
  readonly path: string
  readonly accessToken: string | Redacted.Redacted<string>
  readonly body?: Body | undefined
}

/**
 * The service behind the verbs.
 *
 * Both verbs apply the `RetryPolicy` (retrying only what is safe to repeat)
 * and the `RateLimitPolicy`; when the context has none, the defaults.
 *
 * @since 0.1.0
 * @category models
 */
export interface FitbitHttpShape {
  /**
   * Sends a call and answers with whatever status came back (the last one, after retries);
   * fails only on bad input, transport, timeout, or a rate-limit budget spent before sending.
   */
  readonly execute: (
    request: FitbitRequest
  ) => Effect.Effect<HttpExchange.ApiResponse, Errors.ExecuteFailure>
  /** Sends a call and fails with the tagged error of any non-2xx answer (after retries). */
  readonly request: (request: FitbitRequest) => Effect.Effect<HttpExchange.ApiResponse, Errors.RequestFailure>
  /** The per-user rate-limit tracker the service uses. */
  readonly rateLimits?: RateLimitPolicy.RateLimitPolicyShape | undefined
}

/**
 * The data-API service.
 *
 * @since 0.1.0
 * @category schemas
 */
export class FitbitHttp extends Context.Tag("@fitbit-effect/core/FitbitHttp")<FitbitHttp, FitbitHttpShape>() {}

/**
 * Builds the URL of a call: `{apiBaseUrl}/{version}[/user/{userId}]{path}`, after checking
 * every part.
 *
 * @since 0.1.0
 * @category requests
 */
export const buildUrl = (
  config: Pick<FitbitConfig.FitbitConfigShape, "apiBaseUrl" | "apiVersion">,
  path: string,
  options: Pick<RequestOptions, "userId" | "apiVersion"> = {}
): Either.Either<string, Errors.InvalidInput> => {
  const checkedPath = Url.validatePath(path)
  if (Either.isLeft(checkedPath)) return checkedPath
  const version = FitbitConfig.validateVersion(options.apiVersion ?? config.apiVersion)
  if (Either.isLeft(version)) return version
  const userId = options.userId
  if (userId === false) return Either.right(`${config.apiBaseUrl}/${version.right}${checkedPath.right}`)
  const user = validateFitbitUserId(userId === undefined || userId === null || userId === "" ? "-" : userId)
  if (Either.isLeft(user)) return user
  return Either.right(`${config.apiBaseUrl}/${version.right}/user/${user.right}${checkedPath.right}`)
}

/** The request of a call, checked; pure (an `Either`, so the pipeline takes no fiber step for it). */
const toHttpRequest = (
  config: FitbitConfig.FitbitConfigShape,
  request: FitbitRequest
): Either.Either<HttpClientRequest.HttpClientRequest, Errors.InvalidInput> => {
  const url = buildUrl(config, request.path, request)
  if (Either.isLeft(url)) return Either.left(url.left)
  const checkedHeaders = Url.bearerHeaders(
    request.accessToken,
    request.headers,
    Option.isSome(config.acceptLanguage) ? { "accept-language": config.acceptLanguage.value } : undefined
  )
  if (Either.isLeft(checkedHeaders)) return Either.left(checkedHeaders.left)
  const http = HttpClientRequest.make(request.method)(url.right, { headers: checkedHeaders.right })
  const body = request.body
  if (body === undefined || (request.method !== "POST" && request.method !== "PUT")) return Either.right(http)
  return RequestBody.withBody(http, body, request.json === true ? "json" : "form")
}

/**
 * Makes the service from the configuration and an `HttpClient`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make: Effect.Effect<FitbitHttpShape, never, FitbitConfig.FitbitConfig | HttpClient.HttpClient> = Effect
  .gen(function*() {
    const config = yield* FitbitConfig.FitbitConfig
    const pipeline = yield* ApiCall.make({
      provider: "fitbit",
      spanName: "fitbit",
      attributePrefix: "fitbit",
      templateOf,
      rateLimitOf: RateLimit.fromHeaders,
      decodeFailure: (response, secrets) => ErrorDecoder.toFitbitFailure({ ...response, now: response.receivedAt, secrets }),
      timeout: config.timeout,
      maxBodyBytes: config.maxBodyBytes
    })

    return ApiCall.service(pipeline, (request: FitbitRequest): ApiCall.Call => ({
      method: request.method,
      path: request.path,
      idempotent: request.idempotent,
      rateLimitKey: rateLimitKeyOf(request),
      prepare: Either.map(toHttpRequest(config, request), (http) => ({ http, secrets: [reveal(request.accessToken)] }))
    }))
  })

const rateLimitKeyOf = (request: FitbitRequest): string | undefined =>
  request.rateLimitKey ??
    (typeof request.userId === "string" && request.userId !== "" && request.userId !== "-" ? request.userId : undefined)

/**
 * The service as a layer.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<FitbitHttp, never, FitbitConfig.FitbitConfig | HttpClient.HttpClient> = Layer.effect(
  FitbitHttp,
  make
)

/**
 * A path with dates, ids and query values replaced by placeholders, for spans and metrics.
 *
 * @since 0.1.0
 * @category formatting
 */
export const templateOf = (path: string): string =>
  typeof path !== "string" ? "{invalid}" : path
    .split("?")[0]!
    .replace(/\d{4}-\d{2}-\d{2}/g, "{date}")
    .replace(/\/\d+(?=\.json$|\/)/g, "/{id}")

const call = (request: FitbitRequest) => Effect.flatMap(FitbitHttp, (http) => http.request(request))

/**
 * `GET` a path with an access token. With `schema`, the body is decoded by it.
 *
 * @since 0.1.0
 * @category verbs
 */
export const get: {
  <A, I>(
    path: string,
    accessToken: string | Redacted.Redacted<string>,
    options: RequestOptions & { readonly schema: Schema.Schema<A, I, never> }
  ): Effect.Effect<HttpExchange.ApiResponse<A>, Errors.RequestFailure, FitbitHttp>
  (
    path: string,
    accessToken: string | Redacted.Redacted<string>,
    options?: RequestOptions
  ): Effect.Effect<HttpExchange.ApiResponse, Errors.RequestFailure, FitbitHttp>
} = (
  path: string,
  accessToken: string | Redacted.Redacted<string>,
  options?: RequestOptions & { readonly schema?: Schema.Schema<any, any, never> }
): Effect.Effect<HttpExchange.ApiResponse<any>, Errors.RequestFailure, FitbitHttp> =>
  withSchema(call({ ...options, method: "GET", path, accessToken }), options?.schema, "GET")

/**
 * `POST` a body (form-encoded unless `json: true`) to a path.
 *
 * @since 0.1.0
 * @category verbs
 */
export const post = (
  path: string,
  accessToken: string | Redacted.Redacted<string>,
  body?: Body,
  options?: RequestOptions
): Effect.Effect<HttpExchange.ApiResponse, Errors.RequestFailure, FitbitHttp> =>
  call({ ...options, method: "POST", path, accessToken, body })

/**
 * `PUT` a body (form-encoded unless `json: true`) to a path.
 *
 * @since 0.1.0
 * @category verbs
 */
export const put = (
  path: string,
  accessToken: string | Redacted.Redacted<string>,
  body?: Body,
  options?: RequestOptions
): Effect.Effect<HttpExchange.ApiResponse, Errors.RequestFailure, FitbitHttp> =>
  call({ ...options, method: "PUT", path, accessToken, body })

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
): Effect.Effect<HttpExchange.ApiResponse, Errors.RequestFailure, FitbitHttp> =>
  call({ ...options, method: "DELETE", path, accessToken })

const withSchema = <E, R>(
  self: Effect.Effect<HttpExchange.ApiResponse, E, R>,
  schema: Schema.Schema<any, any, never> | undefined,
  method: Method
): Effect.Effect<HttpExchange.ApiResponse<any>, E | Errors.DecodeError, R> =>
  schema === undefined ? self : Effect.flatMap(self, HttpExchange.decodeBody(schema, method))
