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
import { Errors, FitbitConfig, FitbitHttp } from "@fitbit-effect/core/fitbit"
import type { RateLimitPolicy } from "@fitbit-effect/core/fitbit"
import * as Effect from "effect/Effect"
import type * as Redacted from "effect/Redacted"
import type * as ClientOptions from "./ClientOptions.js"
import * as ClientRuntime from "./internal/ClientRuntime.js"
import * as FitbitPages from "./internal/FitbitPages.js"
import * as LegacyBackend from "./internal/LegacyBackend.js"

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
 * The token JSON `getAccessToken` resolves with (the token endpoint's answer).
 *
 * @since 0.1.0
 * @category models
 */
export type AccessTokenJson = LegacyBackend.AccessTokenJson

/**
 * What `refreshAccessToken` resolves with: the token JSON plus `expires_at`.
 *
 * @since 0.1.0
 * @category models
 */
export type RefreshedTokenJson = LegacyBackend.RefreshedTokenJson

/**
 * An RFC 7662 introspection answer (`introspectAccessToken`); `exp`, `iat` in epoch milliseconds.
 *
 * @since 0.1.0
 * @category models
 */
export type IntrospectionJson = LegacyBackend.IntrospectionJson

const { invalid, orThrow } = ClientRuntime

/** fitbit-node: `userId || '-'`, and `false` drops the segment. */
const toUserId = (userId: unknown): string | false | undefined =>
  userId === false ? false : userId ? (userId as string) : undefined

/** Settings under every client's own options (`setDefaults`). */
const defaults = new ClientRuntime.Defaults<FitbitApiClientSettings>()

let warnedRetired = false

/** Tells the process once (a Node warning) that the Fitbit Web API answered 410 Gone, and how to move. */
const warnRetired = (method: string, url: string): void => {
  if (warnedRetired) return
  warnedRetired = true
  process.emitWarning(
    new Errors.LegacyApiRetired({ status: 410, method, url, errors: [] }).message,
    { type: "FitbitEffectWarning", code: "FITBIT_EFFECT_LEGACY_API_RETIRED" }
  )
}

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
 * @category constructors
 */
export class FitbitApiClient extends ClientRuntime.PromiseClient<LegacyBackend.LegacyBackend | FitbitHttp.FitbitHttp> {
  /**
   * Sets settings used by every client constructed afterwards, under its own options: for
   * code you cannot change (fitbit-node code constructing its own client), e.g. to point it
   * at the emulator (`baseUrl`) or a recording `HttpClient` layer in tests. Answers the
   * previous defaults so a test can restore them.
   *
   * @since 0.1.0
   */
  static setDefaults(settings: FitbitApiClientSettings = {}): FitbitApiClientSettings {
    return defaults.set(settings)
  }

  /** The API version of every data call (fitbit-node's `apiVersion` property). */
  readonly apiVersion: string
  /** The OAuth client id. */
  readonly clientId: string

  readonly #config: FitbitConfig.FitbitConfigShape
  readonly #backend: LegacyBackend.Choice

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
    const merged: FitbitApiClientOptions = defaults.merge(options)
    const config = orThrow(FitbitConfig.make({ ...merged, apiVersion: merged.apiVersion ?? "1.2" }))
    const backend = merged.backend === undefined || merged.backend === "fitbit"
      ? LegacyBackend.fitbit(config, merged)
      : merged.backend === "google-health"
      ? LegacyBackend.googleHealth({ ...merged, apiVersion: config.apiVersion })
      : (() => {
        throw invalid("backend", `must be "fitbit" or "google-health"`)
      })()
    super(backend.layer)
    this.#config = config
    this.#backend = backend
    this.apiVersion = config.apiVersion
    this.clientId = config.clientId
  }

  /** Which API answers this client's calls. */
  get backend(): "fitbit" | "google-health" {
    return this.#backend.name
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
    return this.#backend.authorizeUrl(scope, redirectUrl, prompt, state)
  }

  /** Exchanges an authorization code; resolves with the token JSON. */
  getAccessToken(code: string, redirectUrl: string): Promise<AccessTokenJson> {
    return this.#call((backend) => backend.exchangeCode(code, redirectUrl))
  }

  /**
   * Trades the refresh token for a new pair; resolves with the token JSON plus `expires_at`.
   * `expiresIn` (seconds) is sent as `expires_in` (fitbit-node accepted it but never sent it).
   * `accessToken` is accepted for compatibility and not sent.
   */
  refreshAccessToken(_accessToken: string, refreshToken: string, expiresIn?: number | string): Promise<RefreshedTokenJson> {
    const lifetime = expiresIn === undefined || expiresIn === null
      ? undefined
      : typeof expiresIn === "string" && /^\d+$/.test(expiresIn)
      ? Number(expiresIn)
      : expiresIn
    if (lifetime !== undefined && typeof lifetime !== "number") {
      return Promise.reject(invalid("expiresIn", "must be a positive whole number of seconds"))
    }
    return this.#call((backend) => backend.refresh(refreshToken, lifetime))
  }

  /**
   * Revokes the token (which ends the whole grant). Resolves with `{}`, the body Fitbit answers
   * a successful revocation with.
   */
  revokeAccessToken(accessToken: string): Promise<Record<string, never>> {
    return this.#call((backend) => backend.revoke(accessToken))
  }

  /**
   * Not in fitbit-node: asks Fitbit about a token (`/1.1/oauth2/introspect`). The call is
   * authenticated with `bearer`, a valid access token (the inspected token by default). With
   * `backend: "google-health"` it rejects with `InvalidInput` before anything is sent: Fitbit's
   * endpoint does not know Google tokens.
   */
  introspectAccessToken(token: string, bearer: string = token): Promise<IntrospectionJson> {
    return this.#call((backend) => backend.introspect(token, bearer))
  }

  /** `GET {apiBaseUrl}/{apiVersion}[/user/{userId}]{path}`; resolves `[body, response]` for every status. */
  get(path: string, accessToken: string, userId?: UserId, extraHeaders?: ExtraHeaders): Promise<ClientOptions.VerbResult> {
    return ClientRuntime.withAwaitHint(this.#send("GET", path, accessToken, undefined, userId, extraHeaders), "get")
  }

  /** `POST` with `data` form-encoded; resolves `[body, response]` for every status. */
  post(path: string, accessToken: string, data?: FitbitHttp.Body | null, userId?: UserId, extraHeaders?: ExtraHeaders): Promise<ClientOptions.VerbResult> {
    return ClientRuntime.withAwaitHint(this.#send("POST", path, accessToken, data, userId, extraHeaders), "post")
  }

  /** `PUT` with `data` form-encoded; resolves `[body, response]` for every status. */
  put(path: string, accessToken: string, data?: FitbitHttp.Body | null, userId?: UserId, extraHeaders?: ExtraHeaders): Promise<ClientOptions.VerbResult> {
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
  ): AsyncIterable<ClientOptions.VerbResult> {
    return FitbitPages.followPages(
      path,
      (page) => this.get(page, accessToken, options.userId, options.extraHeaders),
      ([body, response]) => ({ body, status: response.statusCode, url: response.url }),
      options.maxPages
    )
  }

  /** `DELETE`; resolves `[body, response]` for every status. */
  delete(path: string, accessToken: string, userId?: UserId, extraHeaders?: ExtraHeaders): Promise<ClientOptions.VerbResult> {
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
    return { _id: "FitbitApiClient", clientId: this.clientId, apiVersion: this.apiVersion, apiBaseUrl: this.#backend.apiBaseUrl }
  }

  /** A description without secrets. */
  override toString(): string {
    return `FitbitApiClient(clientId: ${this.clientId}, apiVersion: ${this.apiVersion}, api: ${this.#backend.apiBaseUrl})`
  }

  #send(
    method: FitbitHttp.Method,
    path: string,
    accessToken: string,
    data: unknown,
    userId: unknown,
    extraHeaders: unknown
  ): Promise<ClientOptions.VerbResult> {
    const request: FitbitHttp.FitbitRequest = {
      method,
      path,
      accessToken,
      apiVersion: this.apiVersion,
      userId: toUserId(userId),
      // fitbit-node ignores falsy headers and data (`request` sends no body for them).
      headers: (extraHeaders || undefined) as FitbitHttp.RequestOptions["headers"],
      body: (data || undefined) as FitbitHttp.Body | undefined
    }
    // Straight to the data-API service of the backend (Fitbit's, or the translation to Google Health).
    return this.run(Effect.flatMap(FitbitHttp.FitbitHttp, (http) =>
      Effect.map(http.execute(request), (response) => {
        // fitbit-node resolves a 410 like any answer; the process is told once how to move.
        if (response.status === 410 && this.#backend.name === "fitbit") warnRetired(response.method, response.url)
        return ClientRuntime.toResult(method, response)
      })))
  }

  #call<A>(f: (backend: LegacyBackend.LegacyBackendShape) => Effect.Effect<A, unknown>): Promise<A> {
    return this.run(Effect.flatMap(LegacyBackend.LegacyBackend, f))
  }
}
