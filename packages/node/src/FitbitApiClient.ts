/**
 * A drop-in replacement for fitbit-node 2.2.0's `FitbitApiClient`: the same constructor,
 * methods, arguments and results, as Promises, built on the core Effect programs
 * (`FitbitAuth`, `FitbitHttp`). The class translates arguments and results; every behaviour
 * (validation, URLs, encoding, errors, timeouts) lives in core.
 *
 * One `ManagedRuntime` per client, built on first use and reused by every call, holds the
 * configuration and the HTTP client (undici's connection pool unless another `HttpClient`
 * layer is given). `close()` frees it.
 *
 * Deliberate differences from fitbit-node are listed in the README ("Migrating from fitbit-node").
 *
 * @since 0.1.0
 */
import { FitbitAuth, FitbitConfig, Errors, FitbitHttp, OAuth } from "@fitbit-effect/core"
import type { RateLimit, RateLimitPolicy } from "@fitbit-effect/core"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import type * as Redacted from "effect/Redacted"
import type * as ClientOptions from "./ClientOptions.js"
import * as ClientRuntime from "./ClientRuntime.js"
import * as NodeFitbit from "./NodeFitbit.js"
import { GoogleLegacyBackend } from "./GoogleLegacyBackend.js"
import { TokenEndpointError } from "./TokenEndpointError.js"

/**
 * Options beyond the client credentials. Every one is optional; without them the client talks
 * to Fitbit's production endpoints over undici with API version `1.2`, like fitbit-node.
 *
 * @since 0.1.0
 * @category models
 */
export interface FitbitApiClientSettings extends ClientOptions.FitbitEndpointSettings {
  /**
   * Where the data comes from. `"fitbit"` (the default): the Fitbit Web API. `"google-health"`:
   * the Google Health API v4, with Google OAuth (the client id and secret are the Google OAuth
   * client's, `baseUrl` one origin for Google's endpoints such as the emulator) and the legacy
   * paths translated (README: "fitbit-node calls on Google Health").
   */
  readonly backend?: "fitbit" | "google-health" | undefined
  /**
   * Retrying data calls (core's `RetryPolicy`: only what is safe to repeat, honouring
   * `Retry-After`). Off by default: like fitbit-node, each call sends one request. `true`
   * takes core's default policy.
   */
  readonly retry?: ClientOptions.RetrySetting | undefined
  /**
   * Refusing, before sending, a call for a user (an explicit `userId`) whose rate-limit budget
   * the last answer reported spent (core's `RateLimitPolicy`; rejects with `RateLimited`).
   * Off by default: like fitbit-node, every call is sent. `true` takes core's defaults.
   */
  readonly rateLimit?: boolean | RateLimitPolicy.Options | undefined
}

/**
 * The options object of the constructor: fitbit-node's `{clientId, clientSecret, apiVersion}`
 * plus the optional settings.
 *
 * @since 0.1.0
 * @category models
 */
export interface FitbitApiClientOptions extends ClientOptions.ClientCredentials, FitbitApiClientSettings {}

/**
 * fitbit-node's `userId` argument: falsy means `-` (the token's own user), `false` leaves the
 * `/user/…` segment out.
 *
 * @since 0.1.0
 * @category models
 */
export type UserId = string | false | null | undefined

/**
 * Extra request headers, merged over `Authorization` (and `Accept`).
 *
 * @since 0.1.0
 * @category models
 */
export type ExtraHeaders = Readonly<Record<string, string | undefined>> | null | undefined

/**
 * The second element of a data call's result: what fitbit-node users read from `request`'s
 * response (`statusCode`, `statusMessage`, `headers`, `body`), plus the request and the
 * rate-limit state.
 *
 * @since 0.1.0
 * @category models
 */
export interface ApiResponse<B = any> extends ClientOptions.VerbResponse<B> {
  /** The `Fitbit-Rate-Limit-*` state when the answer carried those headers. */
  readonly rateLimit: RateLimit.RateLimitState | undefined
}

/**
 * What `get/post/put/delete` resolve with, for every HTTP status: `[body, response]`.
 *
 * @since 0.1.0
 * @category models
 */
export type ApiResult<B = any> = ClientOptions.VerbResult<B, ApiResponse<B>>

/**
 * The token JSON `getAccessToken` resolves with (the token endpoint's answer).
 *
 * @since 0.1.0
 * @category models
 */
export interface AccessTokenJson extends ClientOptions.TokenEndpointJson {
  user_id?: string
}

/**
 * What `refreshAccessToken` resolves with: the token JSON plus `expires_at`, as simple-oauth2's
 * `token` property.
 *
 * @since 0.1.0
 * @category models
 */
export interface RefreshedTokenJson extends AccessTokenJson {
  /** When the new access token expires: receipt time plus `expires_in`. */
  expires_at: Date
}

/**
 * An RFC 7662 introspection answer (`introspectAccessToken`); `exp`, `iat` in epoch milliseconds.
 *
 * @since 0.1.0
 * @category models
 */
export interface IntrospectionJson {
  active: boolean
  scope?: string | undefined
  client_id?: string | undefined
  user_id?: string | undefined
  token_type?: string | undefined
  exp?: number | undefined
  iat?: number | undefined
}

const { invalid, orThrow } = ClientRuntime

/** Token-endpoint answers become simple-oauth2's error shape; other failures stay as they are. */
const tokenErrors = <A, E>(effect: Effect.Effect<A, E, NodeFitbit.Services>) =>
  Effect.catchIf(
    effect,
    Errors.isApiFailure,
    (failure) => Effect.fail(new TokenEndpointError(failure))
  )

/** fitbit-node: `userId || '-'`, and `false` drops the segment. */
const toUserId = (userId: unknown): string | false | undefined =>
  userId === false ? false : userId ? (userId as string) : undefined

const toResult = (method: string, response: FitbitHttp.FitbitResponse): ApiResult =>
  ClientRuntime.toResult(method, response, { rateLimit: Option.getOrUndefined(response.rateLimit) })

/** Settings under every client's own options; see `FitbitApiClient.setDefaults`. */
let defaults: FitbitApiClientSettings = {}

/**
 * fitbit-node 2.2.0's `FitbitApiClient`, on Effect.
 *
 * @example
 * ```js
 * const FitbitApiClient = require("@fitbit-effect/node/fitbit-node")
 * const client = new FitbitApiClient({ clientId: "23ABCD", clientSecret: "…", apiVersion: "1.2" })
 * const token = await client.getAccessToken(code, "https://example.com/callback")
 * const [profile, response] = await client.get("/profile.json", token.access_token)
 * ```
 *
 * @since 0.1.0
 * @category facade
 */
export class FitbitApiClient extends ClientRuntime.PromiseClient<NodeFitbit.Services> {
  /**
   * Sets settings used by every client constructed afterwards, under its own options: for
   * code you cannot change (fitbit-node code constructing its own client), e.g. to point it
   * at the emulator (`baseUrl`) or a recording `HttpClient` layer in tests. Answers the
   * previous defaults so a test can restore them.
   *
   * @since 0.1.0
   */
  static setDefaults(settings: FitbitApiClientSettings = {}): FitbitApiClientSettings {
    const previous = defaults
    defaults = { ...settings }
    return previous
  }

  /** The API version of every data call (fitbit-node's `apiVersion` property). */
  readonly apiVersion: string
  /** The OAuth client id. */
  readonly clientId: string

  readonly #config: FitbitConfig.FitbitConfigShape
  readonly #google: GoogleLegacyBackend | undefined

  /**
   * fitbit-node's form: `new FitbitApiClient({clientId, clientSecret, apiVersion = "1.2"})`,
   * plus optional settings. Throws `InvalidInput` for a missing client id or a bad URL/version.
   */
  constructor(options: FitbitApiClientOptions)
  /** The seed README's form: `new FitbitApiClient(clientId, clientSecret)`, settings optional. */
  constructor(
    clientId: string,
    clientSecret?: string | Redacted.Redacted<string>,
    settings?: FitbitApiClientSettings
  )
  constructor(
    first: FitbitApiClientOptions | string,
    clientSecret?: string | Redacted.Redacted<string>,
    settings?: FitbitApiClientSettings
  ) {
    let options: FitbitApiClientOptions
    if (typeof first === "string") {
      options = { ...settings, clientId: first, clientSecret }
    } else if (typeof first === "object" && first !== null) {
      options = first
    } else {
      throw invalid("options", "expected { clientId, clientSecret } or (clientId, clientSecret)")
    }
    const merged: FitbitApiClientOptions = { ...defaults, ...ClientRuntime.definedOnly(options), clientId: options.clientId }
    const config = orThrow(FitbitConfig.make({ ...merged, apiVersion: merged.apiVersion ?? "1.2" }))
    super(NodeFitbit.layerWith(
      Layer.merge(Layer.succeed(FitbitConfig.FitbitConfig, config), ClientRuntime.policies(merged)),
      merged.httpClient ?? NodeFitbit.layerHttpClient
    ))
    this.#config = config
    this.apiVersion = config.apiVersion
    this.clientId = config.clientId
    this.#google = merged.backend === "google-health"
      ? new GoogleLegacyBackend({
        clientId: merged.clientId,
        clientSecret: merged.clientSecret,
        baseUrl: merged.baseUrl,
        timeout: merged.timeout,
        httpClient: merged.httpClient,
        retry: merged.retry,
        apiVersion: config.apiVersion
      })
      : merged.backend === undefined || merged.backend === "fitbit"
      ? undefined
      : (() => {
        throw invalid("backend", `must be "fitbit" or "google-health"`)
      })()
  }

  /** Which API answers this client's calls. */
  get backend(): "fitbit" | "google-health" {
    return this.#google === undefined ? "fitbit" : "google-health"
  }

  /** Frees the runtime (and the Google backend's, when there is one). */
  override async close(): Promise<void> {
    await this.#google?.close()
    return super.close()
  }

  /** The resolved configuration (secret `Redacted`), for subclasses. */
  protected get config(): FitbitConfig.FitbitConfigShape {
    return this.#config
  }

  /**
   * The authorization page URL: `response_type, client_id, scope, redirect_uri, prompt, state`
   * in fitbit-node's order. An empty `prompt` or `state` is left out. Throws `InvalidInput` for
   * a missing scope or redirect URL.
   */
  getAuthorizeUrl(scope: string | ReadonlyArray<string>, redirectUrl: string, prompt?: string, state?: string): string {
    if (this.#google !== undefined) return this.#google.getAuthorizeUrl(scope, redirectUrl, prompt, state)
    const validScope = typeof scope === "string" ||
      (Array.isArray(scope) && scope.every((s: unknown) => typeof s === "string"))
    if (!validScope || OAuth.joinScopes(scope) === "") {
      throw invalid("scope", "a space-separated string (or array) of scopes is required")
    }
    if (typeof redirectUrl !== "string" || redirectUrl === "") {
      throw invalid("redirectUrl", "a redirect URL is required")
    }
    for (const [field, value] of [["prompt", prompt], ["state", state]] as const) {
      if (value !== undefined && value !== null && typeof value !== "string") {
        throw invalid(field, "must be a string when given")
      }
    }
    return FitbitAuth.authorizeUrlFor(this.#config, {
      scope,
      redirectUri: redirectUrl,
      prompt: prompt ?? undefined,
      state: state ?? undefined
    })
  }

  /** Exchanges an authorization code; resolves with the token JSON. */
  getAccessToken(code: string, redirectUrl: string): Promise<AccessTokenJson> {
    if (this.#google !== undefined) return this.#google.getAccessToken(code, redirectUrl)
    return this.run(
      tokenErrors(Effect.map(FitbitAuth.exchangeCode({ code, redirectUri: redirectUrl }), (tokens) => tokens.toWire()))
    )
  }

  /**
   * Trades the refresh token for a new pair; resolves with the token JSON plus `expires_at`.
   * `expiresIn` (seconds) is sent as `expires_in` (fitbit-node accepted it but never sent it).
   * `accessToken` is accepted for compatibility and not sent.
   */
  refreshAccessToken(_accessToken: string, refreshToken: string, expiresIn?: number | string): Promise<RefreshedTokenJson> {
    if (this.#google !== undefined) return this.#google.refreshAccessToken(refreshToken)
    const lifetime = expiresIn === undefined || expiresIn === null
      ? undefined
      : typeof expiresIn === "string" && /^\d+$/.test(expiresIn)
      ? Number(expiresIn)
      : expiresIn
    if (lifetime !== undefined && typeof lifetime !== "number") {
      return Promise.reject(invalid("expiresIn", "must be a positive whole number of seconds"))
    }
    return this.run(
      tokenErrors(Effect.map(
        FitbitAuth.refresh({ refreshToken, expiresIn: lifetime }),
        (tokens): RefreshedTokenJson => ({ ...tokens.toWire(), expires_at: new Date(tokens.expiresAt) })
      ))
    )
  }

  /**
   * Revokes the token (which ends the whole grant). Resolves with `{}`, the body Fitbit answers
   * a successful revocation with.
   */
  revokeAccessToken(accessToken: string): Promise<Record<string, never>> {
    if (this.#google !== undefined) return this.#google.revokeAccessToken(accessToken)
    return this.run(tokenErrors(Effect.as(FitbitAuth.revoke(accessToken), {})))
  }

  /**
   * Not in fitbit-node: asks Fitbit about a token (`/1.1/oauth2/introspect`). The call is
   * authenticated with `bearer`, a valid access token (the inspected token by default).
   */
  introspectAccessToken(token: string, bearer: string = token): Promise<IntrospectionJson> {
    return this.run(
      tokenErrors(Effect.map(
        FitbitAuth.introspect({ token, bearer }),
        (answer: OAuth.Introspection): IntrospectionJson => ({ ...answer })
      ))
    )
  }

  /** `GET {apiBaseUrl}/{apiVersion}[/user/{userId}]{path}`; resolves `[body, response]` for every status. */
  get(path: string, accessToken: string, userId?: UserId, extraHeaders?: ExtraHeaders): Promise<ApiResult> {
    return ClientRuntime.withAwaitHint(this.#send("GET", path, accessToken, undefined, userId, extraHeaders), "get")
  }

  /** `POST` with `data` form-encoded; resolves `[body, response]` for every status. */
  post(path: string, accessToken: string, data?: FitbitHttp.Body | null, userId?: UserId, extraHeaders?: ExtraHeaders): Promise<ApiResult> {
    return ClientRuntime.withAwaitHint(this.#send("POST", path, accessToken, data, userId, extraHeaders), "post")
  }

  /** `PUT` with `data` form-encoded; resolves `[body, response]` for every status. */
  put(path: string, accessToken: string, data?: FitbitHttp.Body | null, userId?: UserId, extraHeaders?: ExtraHeaders): Promise<ApiResult> {
    return ClientRuntime.withAwaitHint(this.#send("PUT", path, accessToken, data, userId, extraHeaders), "put")
  }

  /**
   * Every page of a list (`/activities/list.json?…`, `/sleep/list.json?…`), following
   * `pagination.next`: an async iterable of `[body, response]`, fetched as it is consumed, ending
   * at an empty `next`, a non-2xx answer (yielded first) or `maxPages` (default 100).
   */
  pages(
    path: string,
    accessToken: string,
    options: { readonly userId?: UserId; readonly extraHeaders?: ExtraHeaders; readonly maxPages?: number } = {}
  ): AsyncIterable<ApiResult> {
    return ClientRuntime.followPages(
      path,
      (page) => this.get(page, accessToken, options.userId, options.extraHeaders),
      ([body, response]) => ({ body, status: response.statusCode, url: response.url }),
      options.maxPages
    )
  }

  /** `DELETE`; resolves `[body, response]` for every status. */
  delete(path: string, accessToken: string, userId?: UserId, extraHeaders?: ExtraHeaders): Promise<ApiResult> {
    return ClientRuntime.withAwaitHint(this.#send("DELETE", path, accessToken, undefined, userId, extraHeaders), "delete")
  }

  /**
   * fitbit-node's URL helper: the URL a data call to `path` goes to. Throws `InvalidInput` for
   * a bad path or user id. (Overriding it does not redirect calls; use `baseUrl`/`apiBaseUrl`.)
   */
  getUrl(path: string, userId?: UserId): string {
    return orThrow(FitbitHttp.buildUrl(this.#config, path, { userId: toUserId(userId) }))
  }

  /** fitbit-node's header helper: `Authorization: Bearer …` with `extraHeaders` merged over it. */
  mergeHeaders(accessToken: string, extraHeaders?: ExtraHeaders): Record<string, string> {
    const headers: Record<string, string> = { Authorization: "Bearer " + accessToken }
    if (extraHeaders) {
      for (const [name, value] of Object.entries(extraHeaders)) {
        if (value !== undefined) headers[name] = value
      }
    }
    return headers
  }

  /** A description without secrets. */
  override toJSON(): { readonly _id: "FitbitApiClient"; readonly clientId: string; readonly apiVersion: string; readonly apiBaseUrl: string } {
    return { _id: "FitbitApiClient", clientId: this.clientId, apiVersion: this.apiVersion, apiBaseUrl: this.#config.apiBaseUrl }
  }

  /** A description without secrets. */
  override toString(): string {
    return `FitbitApiClient(clientId: ${this.clientId}, apiVersion: ${this.apiVersion}, api: ${this.#config.apiBaseUrl})`
  }

  #send(
    method: FitbitHttp.Method,
    path: string,
    accessToken: string,
    data: unknown,
    userId: unknown,
    extraHeaders: unknown
  ): Promise<ApiResult> {
    const request: FitbitHttp.FitbitRequest = {
      method,
      path,
      accessToken,
      userId: toUserId(userId),
      // fitbit-node ignores falsy headers and data (`request` sends no body for them).
      headers: (extraHeaders || undefined) as FitbitHttp.RequestOptions["headers"],
      body: (data || undefined) as FitbitHttp.Body | undefined
    }
    if (this.#google !== undefined) return this.#google.send(request).then((response) => toResult(method, response))
    return this.run(
      Effect.flatMap(FitbitHttp.FitbitHttp, (http) => http.execute(request)).pipe(Effect.map((response) => toResult(method, response)))
    )
  }
}
