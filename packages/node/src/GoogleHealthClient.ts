/**
 * A Promise client for the Google Health API v4, built like `FitbitApiClient` on the core Effect
 * programs (`GoogleAuth`, `GoogleHealthHttp`, the typed resources): Google OAuth (authorize
 * URL with offline access and PKCE, code exchange, refresh, revoke), the verbs
 * `get/post/patch/delete` resolving `[body, response]` for every status, and (from
 * `GoogleHealthResources`) typed helpers for every resource resolving decoded values. The
 * class translates arguments and results; every
 * behaviour lives in core.
 *
 * One `ManagedRuntime` per client, built on first use and reused by every call, holds the
 * configuration and the HTTP client (undici's connection pool unless another `HttpClient`
 * layer is given). `close()` (or `dispose()`) frees it.
 *
 * @since 0.1.0
 */
import { GoogleAuth, GoogleDataPoints, GoogleHealthConfig, GoogleHealthHttp, Pkce } from "@fitbit-effect/core/google"
import type { OAuth } from "@fitbit-effect/core/google"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import type * as ClientOptions from "./ClientOptions.js"
import * as ClientRuntime from "./internal/ClientRuntime.js"
import * as GoogleHealthResources from "./internal/GoogleHealthResources.js"
import * as UndiciHttpClient from "./UndiciHttpClient.js"


type Services = GoogleHealthResources.Services

/**
 * Options of the client. Only `clientId` is required; without the rest it talks to Google's
 * production endpoints over undici, one request per call.
 *
 * @since 0.1.0
 * @category models
 */
export interface GoogleHealthClientOptions extends ClientOptions.ClientCredentials, ClientOptions.EndpointSettings {
  /** Retrying calls that are safe to repeat (core's `RetryPolicy`); off by default, `true` for the defaults. */
  readonly retry?: ClientOptions.RetrySetting | undefined
  /** The API channel: `v4` (stable, default) or `v4beta` (the public beta: early-access types, fields and methods). */
  readonly channel?: GoogleHealthConfig.Channel | undefined
  /**
   * Google's quotas counted before sending: 300 requests a minute per user and 120,000 per
   * project by default; override either, or `false` to count none.
   */
  readonly quota?: GoogleHealthConfig.Options["quota"]
}

/**
 * The token JSON the token methods resolve with (Google's token endpoint answer). After an
 * offline code exchange `refresh_token` is present; after a refresh it is the new one or the
 * one given.
 *
 * @since 0.1.0
 * @category models
 */
export interface GoogleTokenJson extends ClientOptions.TokenEndpointJson {
  /** When the access token expires. */
  expires_at: Date
}

/**
 * Options of {@link GoogleHealthClient.getAuthorizeUrl}.
 *
 * @since 0.1.0
 * @category models
 */
export interface AuthorizeUrlOptions {
  readonly state?: string | undefined
  /** E.g. `consent` to be given a refresh token again. */
  readonly prompt?: string | undefined
  /** Default `offline` (a refresh token). */
  readonly accessType?: "offline" | "online" | undefined
  /** Default `true`. */
  readonly includeGrantedScopes?: boolean | undefined
  /** PKCE S256 challenge; see {@link GoogleHealthClient.createPkce}. */
  readonly codeChallenge?: string | undefined
  readonly loginHint?: string | undefined
}

/** Query parameters of a verb call. */
type Query = Readonly<Record<string, GoogleHealthHttp.QueryValue>> | null | undefined
/** Extra headers of a verb call. */
type Headers = Readonly<Record<string, string | undefined>> | null | undefined

const { invalid, orThrow } = ClientRuntime

/**
 * Everything but the credentials: what {@link GoogleHealthClient.setDefaults} takes.
 *
 * @since 0.1.0
 * @category models
 */
export type GoogleHealthClientSettings = Omit<GoogleHealthClientOptions, "clientId" | "clientSecret">

/** Settings under every client's own options (`setDefaults`). */
const defaults = new ClientRuntime.Defaults<GoogleHealthClientSettings>()

const tokenJson = (tokens: OAuth.TokenSet): GoogleTokenJson => {
  const wire = tokens.toWire()
  return {
    access_token: wire.access_token,
    expires_in: wire.expires_in,
    ...(wire.refresh_token === undefined ? {} : { refresh_token: wire.refresh_token }),
    scope: wire.scope,
    token_type: wire.token_type,
    expires_at: new Date(tokens.expiresAt)
  }
}

/**
 * The Google Health API v4 as Promises.
 *
 * @example
 * ```ts
 * const google = new GoogleHealthClient({ clientId, clientSecret })
 * const pkce = await google.createPkce()
 * const url = google.getAuthorizeUrl(GoogleHealthClient.READ_SCOPES, redirectUri, { state, codeChallenge: pkce.challenge })
 * const token = await google.getAccessToken(code, redirectUri, pkce.verifier)
 * const steps = await google.listAllDataPoints(token.access_token, "steps", { filter })
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export class GoogleHealthClient extends GoogleHealthResources.GoogleHealthResources {
  /** The read-only scopes a migrating Fitbit app usually asks for. */
  static readonly READ_SCOPES: ReadonlyArray<string> = GoogleAuth.READ_SCOPES
  /** The full scope URL of a scope name such as `sleep.readonly`. */
  static readonly scope = GoogleAuth.scope
  /** The data-point filters (AIP-160 time ranges): `intervalCivil`, `sampleCivil`, `dailyDate`, `sleepCivilEnd`, … */
  static readonly filters = GoogleDataPoints.filters

  /** The OAuth client id. */
  readonly clientId: string
  readonly #config: GoogleHealthConfig.GoogleHealthConfigShape

  /**
   * Sets settings used by every client constructed afterwards, under its own options: for code
   * you cannot change, e.g. to point it at the emulator (`baseUrl`) or a recording `HttpClient`
   * layer in tests. Answers the previous defaults so a test can restore them.
   *
   * @since 0.1.0
   */
  static setDefaults(settings: GoogleHealthClientSettings = {}): GoogleHealthClientSettings {
    return defaults.set(settings)
  }

  /** Throws `InvalidInput` for a missing client id or a bad URL. */
  constructor(given: GoogleHealthClientOptions) {
    if (typeof given !== "object" || given === null) throw invalid("options", "expected { clientId, clientSecret? }")
    const options: GoogleHealthClientOptions = defaults.merge(given)
    const config = orThrow(GoogleHealthConfig.make(options))
    super(
      GoogleHealthHttp.layer.pipe(
        Layer.provideMerge(Layer.mergeAll(
          Layer.succeed(GoogleHealthConfig.GoogleHealthConfig, config),
          options.httpClient ?? UndiciHttpClient.layer({}, { timeout: config.timeout, maxBodyBytes: config.maxBodyBytes }),
          // Retries as asked; answers are observed, no call is refused before sending.
          ClientRuntime.policies({ retry: options.retry })
        ))
      ) as Layer.Layer<Services, unknown>
    )
    this.#config = config
    this.clientId = config.clientId
  }

  // -------------------------------------------------------------------------------------------
  // OAuth

  /** A fresh PKCE pair: send `challenge` in the authorize URL, keep `verifier` for the exchange. */
  async createPkce(): Promise<{ readonly verifier: string; readonly challenge: string }> {
    const pair = await Effect.runPromise(Pkce.make())
    return { verifier: Redacted.value(pair.verifier), challenge: pair.challenge }
  }

  /**
   * Google's authorization URL (`access_type=offline` and `include_granted_scopes=true` unless
   * told otherwise). Throws `InvalidInput` for a missing scope or redirect URL.
   */
  getAuthorizeUrl(scope: string | ReadonlyArray<string>, redirectUrl: string, options: AuthorizeUrlOptions = {}): string {
    if (!(typeof scope === "string" || Array.isArray(scope)) || (typeof scope === "string" ? scope : scope.join(" ")).trim() === "") {
      throw invalid("scope", "a space-separated string (or array) of scopes is required")
    }
    if (typeof redirectUrl !== "string" || redirectUrl === "") throw invalid("redirectUrl", "a redirect URL is required")
    return GoogleAuth.authorizeUrlFor(this.#config, { scope, redirectUri: redirectUrl, ...options })
  }

  /** Exchanges an authorization code (with the PKCE verifier when a challenge was sent). */
  getAccessToken(code: string, redirectUrl: string, codeVerifier?: string): Promise<GoogleTokenJson> {
    return this.run(Effect.map(GoogleAuth.exchangeCode({ code, redirectUri: redirectUrl, codeVerifier }), tokenJson))
  }

  /**
   * Refreshes an access token. `refresh_token` in the answer is Google's new one when it rotated,
   * else the one given: store it either way.
   */
  refreshAccessToken(refreshToken: string): Promise<GoogleTokenJson> {
    return this.run(Effect.map(GoogleAuth.refresh(refreshToken), tokenJson))
  }

  /** Revokes an access or refresh token (the whole grant). Resolves with `{}`. */
  revokeAccessToken(token: string): Promise<Record<string, never>> {
    return this.run(Effect.as(GoogleAuth.revoke(token), {}))
  }

  // -------------------------------------------------------------------------------------------
  // verbs

  /** `GET {apiBaseUrl}/v4{path}`; resolves `[body, response]` for every status. */
  get(path: string, accessToken: string, query?: Query, extraHeaders?: Headers): Promise<ClientOptions.VerbResult> {
    return ClientRuntime.withAwaitHint(this.#send("GET", path, accessToken, undefined, query, extraHeaders), "get")
  }

  /** `POST` a JSON body; resolves `[body, response]` for every status. */
  post(path: string, accessToken: string, body?: unknown, query?: Query, extraHeaders?: Headers): Promise<ClientOptions.VerbResult> {
    return ClientRuntime.withAwaitHint(this.#send("POST", path, accessToken, body, query, extraHeaders), "post")
  }

  /** `PATCH` a JSON body (pass `{ updateMask }` as query for partial updates). */
  patch(path: string, accessToken: string, body: unknown, query?: Query, extraHeaders?: Headers): Promise<ClientOptions.VerbResult> {
    return ClientRuntime.withAwaitHint(this.#send("PATCH", path, accessToken, body, query, extraHeaders), "patch")
  }

  /** `DELETE`; resolves `[body, response]` for every status. */
  delete(path: string, accessToken: string, query?: Query, extraHeaders?: Headers): Promise<ClientOptions.VerbResult> {
    return ClientRuntime.withAwaitHint(this.#send("DELETE", path, accessToken, undefined, query, extraHeaders), "delete")
  }

  // -------------------------------------------------------------------------------------------

  /** A description without secrets. */
  override toJSON(): { readonly _id: "GoogleHealthClient"; readonly clientId: string; readonly apiBaseUrl: string } {
    return { _id: "GoogleHealthClient", clientId: this.clientId, apiBaseUrl: this.#config.apiBaseUrl }
  }

  /** A description without secrets. */
  override toString(): string {
    return `GoogleHealthClient(clientId: ${this.clientId}, api: ${this.#config.apiBaseUrl})`
  }

  #send(
    method: GoogleHealthHttp.Method,
    path: string,
    accessToken: string,
    body: unknown,
    query: Query,
    headers: Headers
  ): Promise<ClientOptions.VerbResult> {
    return this.run(
      Effect.flatMap(GoogleHealthHttp.GoogleHealthHttp, (http) =>
        http.execute({
          method,
          path,
          accessToken,
          body,
          query: query ?? undefined,
          headers: headers ?? undefined
        })).pipe(Effect.map((response): ClientOptions.VerbResult => ClientRuntime.toResult(method, response)))
    )
  }
}
