/**
 * A Promise client for the Google Health API v4, built like `FitbitApiClient` on the core Effect
 * programs (`GoogleAuth`, `GoogleHealthHttp`, the typed resources): Google OAuth (authorize
 * URL with offline access and PKCE, code exchange, refresh, revoke), the verbs
 * `get/post/patch/delete` resolving `[body, response]` for every status, and typed helpers for
 * every resource resolving decoded values. The class translates arguments and results; every
 * behaviour lives in core.
 *
 * One `ManagedRuntime` per client, built on first use and reused by every call, holds the
 * configuration and the HTTP client (undici's connection pool unless another `HttpClient`
 * layer is given). `close()` (or `dispose()`) frees it.
 *
 * @since 0.1.0
 */
import type * as HttpClient from "@effect/platform/HttpClient"
import { GoogleHealth, Pkce } from "@fitbit-effect/core"
import type {
  GoogleDataPoints,
  GoogleDataTypes,
  GoogleHealthConfig as GoogleHealthConfigTypes,
  GoogleHealthHttp as GoogleHealthHttpTypes,
  GoogleOperation,
  GooglePairedDevices,
  GoogleSubscribers,
  GoogleUsers,
  OAuth,
  RetryPolicy
} from "@fitbit-effect/core"
import * as Chunk from "effect/Chunk"
import type * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import * as Stream from "effect/Stream"
import * as ClientRuntime from "./ClientRuntime.js"
import * as NodeFitbit from "./NodeFitbit.js"

const {
  DataPoints,
  GoogleAuth,
  GoogleHealthConfig,
  GoogleHealthHttp,
  PairedDevices,
  Subscribers,
  Users
} = GoogleHealth

type Services =
  | GoogleHealthConfigTypes.GoogleHealthConfig
  | GoogleHealthHttpTypes.GoogleHealthHttp
  | HttpClient.HttpClient

/**
 * Options of the client. Only `clientId` is required; without the rest it talks to Google's
 * production endpoints over undici, one request per call.
 *
 * @since 0.1.0
 * @category models
 */
export interface GoogleHealthClientOptions {
  readonly clientId: string
  /** Absent for a public (installed) app with PKCE; kept `Redacted` inside the client. */
  readonly clientSecret?: string | Redacted.Redacted<string> | undefined
  /** Points every endpoint at one origin with Google's paths, e.g. the emulator. */
  readonly baseUrl?: string | undefined
  readonly authorizeUrl?: string | undefined
  readonly tokenUrl?: string | undefined
  readonly revokeUrl?: string | undefined
  /** Origin of the Health API (default `https://health.googleapis.com`). */
  readonly apiBaseUrl?: string | undefined
  /** Per-request timeout (default 30 seconds). */
  readonly timeout?: Duration.DurationInput | undefined
  /** The `HttpClient` to send with (default: `@effect/platform-node`'s undici client). */
  readonly httpClient?: Layer.Layer<HttpClient.HttpClient, unknown> | undefined
  /** Retrying calls that are safe to repeat (core's `RetryPolicy`); off by default, `true` for the defaults. */
  readonly retry?: boolean | RetryPolicy.Options | undefined
}

/**
 * The second element of a verb's result.
 *
 * @since 0.1.0
 * @category models
 */
export interface GoogleHealthResponse<B = any> {
  readonly statusCode: number
  readonly statusMessage: string
  /** Header names lower-cased. */
  readonly headers: Readonly<Record<string, string>>
  /** The parsed JSON body, the text when it was not JSON, `undefined` when empty. */
  readonly body: B
  readonly method: string
  /** The request URL without its query string. */
  readonly url: string
}

/**
 * What `get/post/patch/delete` resolve with, for every HTTP status: `[body, response]`.
 *
 * @since 0.1.0
 * @category models
 */
export type GoogleHealthResult<B = any> = [body: B, response: GoogleHealthResponse<B>]

/**
 * The token JSON the token methods resolve with (Google's token endpoint answer).
 *
 * @since 0.1.0
 * @category models
 */
export interface GoogleTokenJson {
  access_token: string
  expires_in: number
  /** Present after an offline code exchange; after a refresh, the new one or the one given. */
  refresh_token?: string
  scope: string
  token_type: string
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
type Query = Readonly<Record<string, GoogleHealthHttpTypes.QueryValue>> | null | undefined
/** Extra headers of a verb call. */
type Headers = Readonly<Record<string, string | undefined>> | null | undefined

const { invalid, orThrow } = ClientRuntime

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
 * @category facade
 */
export class GoogleHealthClient extends ClientRuntime.PromiseClient<Services> {
  /** The read-only scopes a migrating Fitbit app usually asks for. */
  static readonly READ_SCOPES: ReadonlyArray<string> = GoogleAuth.READ_SCOPES
  /** The full scope URL of a scope name such as `sleep.readonly`. */
  static readonly scope = GoogleAuth.scope

  /** The OAuth client id. */
  readonly clientId: string
  readonly #config: GoogleHealthConfigTypes.GoogleHealthConfigShape

  /** Throws `InvalidInput` for a missing client id or a bad URL. */
  constructor(options: GoogleHealthClientOptions) {
    if (typeof options !== "object" || options === null) throw invalid("options", "expected { clientId, clientSecret? }")
    const config = orThrow(GoogleHealthConfig.make(options))
    super(
      GoogleHealthHttp.layer.pipe(
        Layer.provideMerge(Layer.mergeAll(
          Layer.succeed(GoogleHealthConfig.GoogleHealthConfig, config),
          options.httpClient ?? NodeFitbit.layerHttpClient,
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
  get(path: string, accessToken: string, query?: Query, extraHeaders?: Headers): Promise<GoogleHealthResult> {
    return this.#send("GET", path, accessToken, undefined, query, extraHeaders)
  }

  /** `POST` a JSON body; resolves `[body, response]` for every status. */
  post(path: string, accessToken: string, body?: unknown, query?: Query, extraHeaders?: Headers): Promise<GoogleHealthResult> {
    return this.#send("POST", path, accessToken, body, query, extraHeaders)
  }

  /** `PATCH` a JSON body (pass `{ updateMask }` as query for partial updates). */
  patch(path: string, accessToken: string, body: unknown, query?: Query, extraHeaders?: Headers): Promise<GoogleHealthResult> {
    return this.#send("PATCH", path, accessToken, body, query, extraHeaders)
  }

  /** `DELETE`; resolves `[body, response]` for every status. */
  delete(path: string, accessToken: string, query?: Query, extraHeaders?: Headers): Promise<GoogleHealthResult> {
    return this.#send("DELETE", path, accessToken, undefined, query, extraHeaders)
  }

  // -------------------------------------------------------------------------------------------
  // typed helpers: resolve decoded values, reject with the tagged errors

  /** `users/me/identity`: the health user id and the legacy Fitbit user id. */
  getIdentity(accessToken: string): Promise<GoogleUsers.Identity> {
    return this.run(Users.getIdentity(accessToken))
  }

  /** `users/{user}/profile`. */
  getProfile(accessToken: string, user?: string): Promise<GoogleUsers.Profile> {
    return this.run(Users.getProfile(accessToken, { user }))
  }

  /** `users/{user}/settings`. */
  getSettings(accessToken: string, user?: string): Promise<GoogleUsers.Settings> {
    return this.run(Users.getSettings(accessToken, { user }))
  }

  /** Updates profile fields (mask: the fields given, unless `updateMask`). */
  updateProfile(accessToken: string, profile: Partial<GoogleUsers.Profile>, updateMask?: string): Promise<GoogleUsers.Profile> {
    return this.run(Users.updateProfile(accessToken, profile, { updateMask }))
  }

  /** Updates settings fields (mask: the fields given, unless `updateMask`). */
  updateSettings(accessToken: string, settings: Partial<GoogleUsers.Settings>, updateMask?: string): Promise<GoogleUsers.Settings> {
    return this.run(Users.updateSettings(accessToken, settings, { updateMask }))
  }

  /** One page of data points. */
  listDataPoints(accessToken: string, dataType: string, options?: GoogleDataPoints.ListOptions): Promise<GoogleDataPoints.DataPointsPage> {
    return this.run(DataPoints.list(accessToken, dataType, options))
  }

  /** Every data point of every page (follows `nextPageToken`). */
  listAllDataPoints(
    accessToken: string,
    dataType: string,
    options?: Omit<GoogleDataPoints.ListOptions, "pageToken">
  ): Promise<Array<GoogleDataTypes.DataPoint>> {
    return this.run(Effect.map(Stream.runCollect(DataPoints.stream(accessToken, dataType, options)), Chunk.toArray))
  }

  /** Every data point as an async iterable, fetching pages as it is consumed. */
  iterateDataPoints(
    accessToken: string,
    dataType: string,
    options?: Omit<GoogleDataPoints.ListOptions, "pageToken">
  ): AsyncIterable<GoogleDataTypes.DataPoint> {
    const runtime = this.managedRuntime
    const stream = DataPoints.stream(accessToken, dataType, options)
    return {
      [Symbol.asyncIterator]: (): AsyncIterator<GoogleDataTypes.DataPoint> => {
        const inner = runtime.runtime().then((rt) => Stream.toAsyncIterableRuntime(stream, rt)[Symbol.asyncIterator]())
        return {
          next: () => inner.then((it) => it.next()),
          return: (value?: unknown) =>
            inner.then((it) => it.return?.(value) ?? Promise.resolve({ done: true as const, value: undefined }))
        }
      }
    }
  }

  /** One identifiable data point by name or `{ dataType, id }`. */
  getDataPoint(accessToken: string, ref: Parameters<typeof GoogleDataPoints.get>[1]): Promise<GoogleDataTypes.DataPoint> {
    return this.run(DataPoints.get(accessToken, ref))
  }

  /** Creates a data point from its wire JSON (see `DataTypes.encodeDataPoint`). */
  createDataPoint(accessToken: string, dataType: string, dataPoint: Readonly<Record<string, unknown>>): Promise<GoogleOperation.Operation> {
    return this.run(DataPoints.create(accessToken, dataType, dataPoint))
  }

  /** Replaces an identifiable data point. */
  patchDataPoint(
    accessToken: string,
    ref: Parameters<typeof GoogleDataPoints.patch>[1],
    dataPoint: Readonly<Record<string, unknown>>
  ): Promise<GoogleOperation.Operation> {
    return this.run(DataPoints.patch(accessToken, ref, dataPoint))
  }

  /** Deletes data points by name. */
  batchDeleteDataPoints(accessToken: string, names: ReadonlyArray<string>, dataType?: string): Promise<GoogleOperation.Operation> {
    return this.run(DataPoints.batchDelete(accessToken, names, { dataType }))
  }

  /** Rolls data points up over physical windows. */
  rollUp(accessToken: string, dataType: string, options: GoogleDataPoints.RollUpOptions): Promise<GoogleDataPoints.RollUpPage> {
    return this.run(DataPoints.rollUp(accessToken, dataType, options))
  }

  /** Rolls data points up over civil days. */
  dailyRollUp(accessToken: string, dataType: string, options: GoogleDataPoints.DailyRollUpOptions): Promise<GoogleDataPoints.RollUpPage> {
    return this.run(DataPoints.dailyRollUp(accessToken, dataType, options))
  }

  /** One page of reconciled data points. */
  reconcile(
    accessToken: string,
    dataType: string,
    options?: GoogleDataPoints.ListOptions & GoogleDataPoints.SourceOptions
  ): Promise<GoogleDataPoints.DataPointsPage> {
    return this.run(DataPoints.reconcile(accessToken, dataType, options))
  }

  /** One page of paired devices. */
  listPairedDevices(accessToken: string, options?: GooglePairedDevices.ListOptions): Promise<GooglePairedDevices.PairedDevicesPage> {
    return this.run(PairedDevices.list(accessToken, options))
  }

  /** One paired device. */
  getPairedDevice(accessToken: string, deviceId: string, user?: string): Promise<GooglePairedDevices.PairedDevice> {
    return this.run(PairedDevices.get(accessToken, deviceId, { user }))
  }

  /** Registers a subscriber endpoint (Google verifies it first). */
  createSubscriber(
    accessToken: string,
    projectId: string,
    input: Parameters<typeof GoogleSubscribers.create>[2],
    subscriberId?: string
  ): Promise<GoogleOperation.Operation> {
    return this.run(Subscribers.create(accessToken, projectId, input, { subscriberId }))
  }

  /** Lists a project's subscribers (every page). */
  listSubscribers(accessToken: string, projectId: string): Promise<Array<GoogleSubscribers.Subscriber>> {
    return this.run(Effect.map(Stream.runCollect(Subscribers.stream(accessToken, projectId)), Chunk.toArray))
  }

  /** Updates a subscriber (mask: the fields given). */
  patchSubscriber(accessToken: string, name: string, input: GoogleSubscribers.SubscriberInput): Promise<GoogleOperation.Operation> {
    return this.run(Subscribers.patch(accessToken, name, input))
  }

  /** Deletes a subscriber (`force` deletes its subscriptions too). */
  deleteSubscriber(accessToken: string, name: string, force?: boolean): Promise<GoogleOperation.Operation> {
    return this.run(Subscribers.del(accessToken, name, { force }))
  }

  /** Subscribes a user's data types. */
  createSubscription(
    accessToken: string,
    subscriberName: string,
    input: Parameters<typeof GoogleSubscribers.createSubscription>[2],
    subscriptionId?: string
  ): Promise<GoogleSubscribers.Subscription> {
    return this.run(Subscribers.createSubscription(accessToken, subscriberName, input, { subscriptionId }))
  }

  /** Lists a subscriber's subscriptions (every page), optionally filtered. */
  listSubscriptions(accessToken: string, subscriberName: string, filter?: string): Promise<Array<GoogleSubscribers.Subscription>> {
    return this.run(Effect.map(Stream.runCollect(Subscribers.streamSubscriptions(accessToken, subscriberName, { filter })), Chunk.toArray))
  }

  /** Changes a subscription's data types. */
  patchSubscription(accessToken: string, name: string, dataTypes: ReadonlyArray<string>): Promise<GoogleSubscribers.Subscription> {
    return this.run(Subscribers.patchSubscription(accessToken, name, { dataTypes }))
  }

  /** Deletes a subscription. */
  deleteSubscription(accessToken: string, name: string): Promise<void> {
    return this.run(Subscribers.deleteSubscription(accessToken, name))
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
    method: GoogleHealthHttpTypes.Method,
    path: string,
    accessToken: string,
    body: unknown,
    query: Query,
    headers: Headers
  ): Promise<GoogleHealthResult> {
    return this.run(
      Effect.flatMap(GoogleHealthHttp.GoogleHealthHttp, (http) =>
        http.execute({
          method,
          path,
          accessToken,
          body,
          query: query ?? undefined,
          headers: headers ?? undefined
        })).pipe(Effect.map((response): GoogleHealthResult => ClientRuntime.toResult(method, response)))
    )
  }
}
