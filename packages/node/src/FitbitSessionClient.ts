/**
 * Sessions for plain Node code: a Promise client that keeps each user's grant in a token store
 * and makes calls by user, never by token. Tokens are refreshed before they expire, or after
 * the API says they have, once per user however many calls are waiting (single-flight), and
 * the rotated pair is saved (and handed to `onRefresh`, like python-fitbit's `refresh_cb`)
 * before any call uses it. A refused refresh token rejects with `ReauthorizationRequired`
 * and the stored grant is marked, not deleted. GETs are retried on transport errors, 5xx and
 * 429; writes never are once sent, unless a call says `idempotent: true`.
 *
 * All behaviour is core's `FitbitSession`; this class only runs it.
 *
 * @since 0.1.0
 */
import { type Errors, FitbitAuth, FitbitConfig, type FitbitHttp, FitbitSession, OAuth, type RateLimit, RateLimitPolicy, RetryPolicy, TokenStore } from "@fitbit-effect/core/fitbit"
import type * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import type * as ClientOptions from "./ClientOptions.js"
import * as ClientRuntime from "./internal/ClientRuntime.js"
import * as FitbitPages from "./internal/FitbitPages.js"
import * as FileTokenStore from "./FileTokenStore.js"
import * as NodeFitbit from "./NodeFitbit.js"

/**
 * A token set as the token endpoint sends it (fitbit-node's `getAccessToken` result).
 *
 * @since 0.1.0
 * @category models
 */
export interface TokenJson {
  readonly access_token: string
  readonly refresh_token?: string | undefined
  readonly expires_in: number
  readonly scope?: string | undefined
  readonly token_type?: string | undefined
  readonly user_id?: string | undefined
}

/**
 * A SQL store: `{ sqlite: path }` or `{ postgres: url, maxConnections? }`.
 *
 * @since 0.1.0
 * @category models
 */
export type SqlStoreOption =
  | { readonly sqlite: string }
  | { readonly postgres: string | Redacted.Redacted<string>; readonly maxConnections?: number | undefined }

/** A layer from `./sql.js`, loaded only when asked for (its drivers are optional peers). */
const fromSql = <A>(f: (sql: typeof import("./sql.js")) => Layer.Layer<A, unknown>): Layer.Layer<A, unknown> =>
  Layer.unwrapEffect(Effect.map(
    Effect.tryPromise({
      try: () => import("./sql.js"),
      catch: (cause) =>
        ClientRuntime.invalid(
          "store",
          `a SQL store needs @effect/sql (npm install @effect/sql@^0.52) and its driver; loading it failed: ${TokenStore.describeCause(cause)}`
        )
    }),
    f
  ))

/** The SQL store. */
const sqlStore = (option: SqlStoreOption): Layer.Layer<TokenStore.TokenStore, unknown> => fromSql((sql) => sql.layer(option))

/** The rate-limit policy: in memory, or in the SQL store's database when asked to share it. */
const rateLimitLayer = (options: FitbitSessionClientOptions): Layer.Layer<RateLimitPolicy.RateLimitPolicy, unknown> => {
  if (options.shareRateLimits !== true) return RateLimitPolicy.layer(options.rateLimit ?? {})
  const store = options.store
  if (typeof store !== "object" || store === null || !("sqlite" in store || "postgres" in store)) {
    throw ClientRuntime.invalid("shareRateLimits", "needs a SQL store: { sqlite } or { postgres }")
  }
  return fromSql((sql) => sql.layerRateLimits(store as SqlStoreOption, options.rateLimit ?? {}))
}

/**
 * Options of {@link FitbitSessionClient}: the credentials, Fitbit's endpoint settings, and how
 * grants are stored, refreshed, retried and rate-limited.
 *
 * @since 0.1.0
 * @category models
 */
export interface FitbitSessionClientOptions extends ClientOptions.ClientCredentials, ClientOptions.FitbitEndpointSettings {
  /**
   * Where grants live: `"memory"` (default), `{ file }` (a JSON file, atomic writes, mode 0600,
   * one process), `{ sqlite: "./var/tokens.db" }` (one machine, many processes) or
   * `{ postgres: url }` (many machines) through `@fitbit-effect/node/sql` (install `@effect/sql`
   * and its driver), or any `TokenStore` layer.
   */
  readonly store?:
    | "memory"
    | { readonly file: string }
    | SqlStoreOption
    | Layer.Layer<TokenStore.TokenStore, unknown>
    | undefined
  /**
   * Called with every new token set of a user (after a refresh, a code exchange or `saveTokens`)
   * *before* it is used; if it throws or rejects, the tokens are not used and the call fails
   * with `TokenStoreError` (the new pair is kept in memory and offered again on the next call).
   */
  readonly onRefresh?: ((key: string, tokens: TokenJson) => void | Promise<void>) | undefined
  /** Refresh this long before expiry (default 5 minutes, never more than half a token's lifetime). */
  readonly refreshSkew?: Duration.DurationInput | undefined
  /**
   * With a store that has no lease (memory, file, your own): how long a refused refresh waits for
   * another client's write of the pair it may have just obtained with the same refresh token,
   * before the grant is marked as needing consent (default 5 seconds).
   */
  readonly refusalGrace?: Duration.DurationInput | undefined
  /** Retry policy (default: core's, on). `false` turns retries off. */
  readonly retry?: ClientOptions.RetrySetting | undefined
  /** What to do when a user's rate-limit budget is spent (default: fail fast with `RateLimited`). */
  readonly rateLimit?: RateLimitPolicy.Options | undefined
  /**
   * With a SQL `store`: keep each user's rate-limit budget in the same database, so every
   * process sees the budget the last answer reported and a spent budget stops them all.
   */
  readonly shareRateLimits?: boolean | undefined
}

/**
 * Everything but the credentials: what {@link FitbitSessionClient.setDefaults} takes.
 *
 * @since 0.1.0
 * @category models
 */
export type FitbitSessionClientSettings = Omit<FitbitSessionClientOptions, "clientId" | "clientSecret">

/** Settings under every client's own options (`setDefaults`). */
const defaults = new ClientRuntime.Defaults<FitbitSessionClientSettings>()

/**
 * Per-call options.
 *
 * @since 0.1.0
 * @category models
 */
export interface CallOptions {
  /** Extra headers (e.g. `X-Fitbit-Subscriber-Id`). */
  readonly headers?: Readonly<Record<string, string | undefined>> | undefined
  /** `-` (default), a user id, or `false` for paths without a user segment. */
  readonly userId?: string | false | undefined
  readonly apiVersion?: string | undefined
  readonly json?: boolean | undefined
  /** Allow retrying a write (only when repeating it cannot duplicate data). */
  readonly idempotent?: boolean | undefined
}

/**
 * A call's answer.
 *
 * @since 0.1.0
 * @category models
 */
export interface SessionResponse<B = any> {
  readonly status: number
  readonly headers: Readonly<Record<string, string>>
  readonly body: B
  readonly url: string
  readonly rateLimit: RateLimit.RateLimitState | undefined
}

const toJson = (tokens: OAuth.TokenSet): TokenJson => tokens.toWire()

/** An imported token JSON as a token set, checked as the token endpoint's answers are (throws `InvalidInput` naming the field). */
const fromJson = (json: TokenJson, receivedAt: number): OAuth.TokenSet => {
  if (typeof json !== "object" || json === null) {
    throw ClientRuntime.invalid("tokens", "expected the token endpoint's JSON ({ access_token, refresh_token, expires_in, ... })")
  }
  const expiresIn = typeof json.expires_in === "string" ? Number(json.expires_in) : json.expires_in
  return Either.getOrThrowWith(
    OAuth.tokenSetFromWire({ ...json, expires_in: expiresIn }, receivedAt),
    ({ field, reason }) => ClientRuntime.invalid(`tokens.${field}`, reason)
  )
}

/**
 * A Promise client with per-user sessions.
 *
 * @example
 * ```ts
 * const client = new FitbitSessionClient({ clientId, clientSecret, store: { file: "./tokens.json" } })
 * const { key } = await client.getAccessToken(code, redirectUri)      // after the OAuth redirect
 * const { body } = await client.get(key, "/activities/date/today.json")
 * await client.close()
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export class FitbitSessionClient extends ClientRuntime.PromiseClient<FitbitSession.FitbitSession> {
  readonly #config: FitbitConfig.FitbitConfigShape

  /**
   * Sets settings used by every client constructed afterwards, under its own options: for code
   * you cannot change, e.g. to point it at the emulator (`baseUrl`) or a recording `HttpClient`
   * layer in tests. Answers the previous defaults so a test can restore them.
   *
   * @since 0.1.0
   */
  static setDefaults(settings: FitbitSessionClientSettings = {}): FitbitSessionClientSettings {
    return defaults.set(settings)
  }

  /** Throws `InvalidInput` for a missing client id or a bad URL, version or timeout. */
  constructor(given: FitbitSessionClientOptions) {
    if (typeof given !== "object" || given === null) {
      throw ClientRuntime.invalid("options", "expected { clientId, clientSecret?, store?, ... }")
    }
    const options: FitbitSessionClientOptions = defaults.merge(given)
    const config = ClientRuntime.orThrow(FitbitConfig.make(options))
    const store = options.store === undefined || options.store === "memory"
      ? TokenStore.layerMemory
      : "file" in options.store
      ? FileTokenStore.layer({ path: options.store.file })
      : "sqlite" in options.store || "postgres" in options.store
      ? sqlStore(options.store)
      : options.store
    const onRefresh = options.onRefresh
    const hooked = onRefresh === undefined ? store : Layer.effect(
      TokenStore.TokenStore,
      Effect.flatMap(TokenStore.TokenStore, (inner) =>
        TokenStore.withWriteHook(inner, (key, grant) =>
          grant.status === "active"
            ? Effect.tryPromise({
              try: async () => await onRefresh(key.slice(key.indexOf(":") + 1), toJson(grant.tokens)),
              catch: (cause) => cause
            })
            : Effect.void))
    ).pipe(Layer.provide(store))
    const policies = Layer.mergeAll(
      Layer.succeed(FitbitConfig.FitbitConfig, config),
      options.retry === false ? RetryPolicy.layer({ maxRetries: 0 }) : RetryPolicy.layer(options.retry === true ? {} : options.retry ?? {}),
      rateLimitLayer(options)
    )
    const services = NodeFitbit.layerWith(policies, options.httpClient)
    super(FitbitSession.layer({ refreshSkew: options.refreshSkew, refusalGrace: options.refusalGrace }).pipe(Layer.provide(Layer.merge(services, hooked))))
    this.#config = config
  }

  #run<A, E>(f: (session: FitbitSession.FitbitSessionShape) => Effect.Effect<A, E>): Promise<A> {
    return this.run(Effect.flatMap(FitbitSession.FitbitSession, f))
  }

  /**
   * The authorization page URL to send the user to (Fitbit's `response_type=code` flow): space-
   * separated scopes, your redirect URL, and optionally `state`, `prompt` and a PKCE
   * `codeChallenge`. Throws `InvalidInput` for a missing scope or redirect URL.
   */
  getAuthorizeUrl(
    scope: string | ReadonlyArray<string>,
    redirectUrl: string,
    options: { readonly state?: string | undefined; readonly prompt?: string | undefined; readonly codeChallenge?: string | undefined } = {}
  ): string {
    ClientRuntime.checkAuthorizeArgs(scope, redirectUrl, options.prompt, options.state)
    return FitbitAuth.authorizeUrlFor(this.#config, { scope, redirectUri: redirectUrl, ...options })
  }

  /**
   * Exchanges an authorization code and stores the grant; resolves with the user's key (the
   * Fitbit user id unless `key` is given) and the token JSON.
   */
  getAccessToken(
    code: string,
    redirectUri: string,
    options: { readonly codeVerifier?: string | undefined; readonly key?: string | undefined } = {}
  ): Promise<{ readonly key: string; readonly tokens: TokenJson }> {
    return this.#run((s) =>
      Effect.map(s.exchangeCode({ code, redirectUri, codeVerifier: options.codeVerifier, key: options.key }), (r) => ({
        key: r.key,
        tokens: toJson(r.tokens)
      }))
    )
  }

  /** Stores tokens obtained elsewhere (e.g. fitbit-node's `getAccessToken` JSON); resolves with the key. */
  saveTokens(tokens: TokenJson, key?: string): Promise<string> {
    return this.#run((s) =>
      Effect.gen(function*() {
        const now = yield* Effect.clockWith((clock) => clock.currentTimeMillis)
        const set = yield* Effect.try({ try: () => fromJson(tokens, now), catch: (e) => e as ReturnType<typeof ClientRuntime.invalid> })
        const grant = yield* s.save(set, key)
        return key ?? grant.tokens.userId!
      })
    )
  }

  /** A valid access token for a user (refreshed if needed), for calls this client does not make. */
  accessToken(key: string): Promise<string> {
    return this.#run((s) => Effect.map(s.session.accessToken(key), Redacted.value))
  }

  /** The stored status of a user's grant: `active`, `reauthorization_required`, or `undefined`. */
  grantStatus(key: string): Promise<TokenStore.GrantStatus | undefined> {
    return this.#run((s) => Effect.map(s.session.grant(key), (g) => Option.getOrUndefined(Option.map(g, (x) => x.status))))
  }

  /** The user's last known rate-limit state. */
  rateLimit(key: string): Promise<RateLimit.RateLimitState | undefined> {
    return this.#run((s) => Effect.map(s.rateLimit(key), Option.getOrUndefined))
  }

  /** `GET` for a user (retried when transient). */
  get<B = any>(key: string, path: string, options: CallOptions = {}): Promise<SessionResponse<B>> {
    return this.#call(key, { ...options, method: "GET", path })
  }

  /**
   * Every page of a list for a user, following `pagination.next`: an async iterable of answers,
   * fetched as it is consumed, ending at an empty `next` or `maxPages` (default 100).
   */
  pages<B = any>(key: string, path: string, options: CallOptions & { readonly maxPages?: number } = {}): AsyncIterable<SessionResponse<B>> {
    const { maxPages, ...call } = options
    return FitbitPages.followPages(path, (page) => this.get<B>(key, page, call), (answer) => answer, maxPages)
  }

  /** `POST` for a user (never retried once sent unless `idempotent`). */
  post<B = any>(key: string, path: string, body?: FitbitHttp.Body, options: CallOptions = {}): Promise<SessionResponse<B>> {
    return this.#call(key, { ...options, method: "POST", path, body })
  }

  /** `PUT` for a user (never retried once sent unless `idempotent`). */
  put<B = any>(key: string, path: string, body?: FitbitHttp.Body, options: CallOptions = {}): Promise<SessionResponse<B>> {
    return this.#call(key, { ...options, method: "PUT", path, body })
  }

  /** `DELETE` for a user (never retried once sent unless `idempotent`). */
  delete<B = any>(key: string, path: string, options: CallOptions = {}): Promise<SessionResponse<B>> {
    return this.#call(key, { ...options, method: "DELETE", path })
  }

  /** Revokes the user's grant at Fitbit and forgets it. */
  revoke(key: string): Promise<void> {
    return this.#run((s) => s.revoke(key))
  }

  /** A description without secrets. */
  override toJSON(): { readonly _id: "FitbitSessionClient"; readonly clientId: string; readonly apiVersion: string; readonly apiBaseUrl: string } {
    return { _id: "FitbitSessionClient", clientId: this.#config.clientId, apiVersion: this.#config.apiVersion, apiBaseUrl: this.#config.apiBaseUrl }
  }

  /** A description without secrets. */
  override toString(): string {
    return `FitbitSessionClient(clientId: ${this.#config.clientId}, apiVersion: ${this.#config.apiVersion}, api: ${this.#config.apiBaseUrl})`
  }

  /**
   * Users whose calls met the legacy API's retirement (410 Gone): their later calls fail with
   * the same `LegacyApiRetired` at once, without a request (and a token refresh) each time.
   */
  readonly #retired = new Map<string, Errors.LegacyApiRetired>()

  #call<B>(key: string, request: FitbitSession.SessionRequest): Promise<SessionResponse<B>> {
    const retired = this.#retired.get(key)
    if (retired !== undefined) return Promise.reject(retired)
    return this.#run((s) =>
      s.request(key, request).pipe(
        Effect.tapError((error) =>
          error._tag === "LegacyApiRetired"
            ? Effect.zipRight(
              Effect.sync(() => this.#retired.set(key, error)),
              Effect.logWarning(`the Fitbit Web API is retired (410 Gone); the calls of ${JSON.stringify(key)} now fail at once`, { fix: error.message })
            )
            : Effect.void
        ),
        Effect.map((r) => ({
          status: r.status,
          headers: r.headers,
          body: r.body as B,
          url: r.url,
          rateLimit: Option.getOrUndefined(r.rateLimit)
        }))
      )
    )
  }
}
