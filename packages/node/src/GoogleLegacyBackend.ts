/**
 * The Google Health backend of `FitbitApiClient` (`backend: "google-health"`): fitbit-node's
 * calls on one runtime over Google Health. Authorization runs Google OAuth (Fitbit scope names
 * mapped to Google's, `access_type=offline`, consent asked so a refresh token comes back); the
 * token JSON keeps fitbit-node's fields, `user_id` being the legacy Fitbit user id Google maps
 * the account to. The verbs go through core's `LegacyFitbit.LegacyOnGoogle` translation.
 *
 * @since 0.1.0
 */
import type * as HttpClient from "@effect/platform/HttpClient"
import { Errors, FitbitHttp, GoogleHealth, LegacyFitbit } from "@fitbit-effect/core"
import type { GoogleHealthConfig as GoogleHealthConfigTypes, GoogleHealthHttp as GoogleHealthHttpTypes } from "@fitbit-effect/core"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import type * as Redacted from "effect/Redacted"
import type * as ClientOptions from "./ClientOptions.js"
import * as ClientRuntime from "./ClientRuntime.js"
import * as NodeFitbit from "./NodeFitbit.js"
import { TokenEndpointError } from "./TokenEndpointError.js"

const { Auth, Config, Http, Users } = GoogleHealth

/**
 * What the backend's runtime provides.
 *
 * @since 0.1.0
 * @category models
 */
export type Services =
  | GoogleHealthConfigTypes.GoogleHealthConfig
  | GoogleHealthHttpTypes.GoogleHealthHttp
  | HttpClient.HttpClient
  | FitbitHttp.FitbitHttp

/**
 * The backend's options: the Google OAuth client and Google's endpoints (`baseUrl` for one
 * origin such as the emulator), plus the client's HTTP and retry settings.
 *
 * @since 0.1.0
 * @category models
 */
export interface GoogleLegacyOptions extends ClientOptions.EndpointSettings {
  readonly clientId: string
  readonly clientSecret?: string | Redacted.Redacted<string> | undefined
  readonly retry?: ClientOptions.RetrySetting | undefined
  /** The legacy API version of calls without one (default `1.2`). */
  readonly apiVersion?: string | undefined
}

/**
 * fitbit-node's token JSON, from Google.
 *
 * @since 0.1.0
 * @category models
 */
export interface LegacyTokenJson {
  readonly access_token: string
  readonly expires_in: number
  readonly refresh_token?: string
  readonly scope: string
  readonly token_type: string
  /** The legacy Fitbit user id (Google's `legacyUserId`); the health user id if there is none. */
  readonly user_id: string
}

const tokenErrors = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
  Effect.catchIf(effect, Errors.isApiFailure, (failure) => Effect.fail(new TokenEndpointError(failure)))

const PROMPTS: Readonly<Record<string, string>> = { consent: "consent", login: "select_account", none: "none" }

/**
 * fitbit-node's calls answered from Google Health.
 *
 * @since 0.1.0
 * @category facade
 */
export class GoogleLegacyBackend extends ClientRuntime.PromiseClient<Services> {
  readonly #config: GoogleHealthConfigTypes.GoogleHealthConfigShape
  readonly #apiVersion: string

  constructor(options: GoogleLegacyOptions) {
    const config = ClientRuntime.orThrow(Config.make(options))
    const google = Http.layer.pipe(
      Layer.provideMerge(Layer.mergeAll(
        Layer.succeed(Config.GoogleHealthConfig, config),
        options.httpClient ?? NodeFitbit.layerHttpClient,
        ClientRuntime.policies({ retry: options.retry })
      ))
    )
    super(Layer.provideMerge(LegacyFitbit.LegacyOnGoogle.layer, google) as Layer.Layer<Services, unknown>)
    this.#config = config
    this.#apiVersion = options.apiVersion ?? "1.2"
  }

  /** Google's authorization URL for Fitbit scope names (offline access; consent unless `prompt` says otherwise). */
  getAuthorizeUrl(scope: string | ReadonlyArray<string>, redirectUrl: string, prompt?: string, state?: string): string {
    const scopes = ClientRuntime.orThrow(LegacyFitbit.LegacyOnGoogle.googleScopes(scope))
    if (typeof redirectUrl !== "string" || redirectUrl === "") throw ClientRuntime.invalid("redirectUrl", "a redirect URL is required")
    const promptValue = (prompt ?? "consent").split(/\s+/).map((p) => PROMPTS[p] ?? p).join(" ")
    return Auth.authorizeUrlFor(this.#config, {
      scope: scopes,
      redirectUri: redirectUrl,
      prompt: promptValue,
      ...(state === undefined || state === null || state === "" ? {} : { state })
    })
  }

  /** Exchanges a Google authorization code; fitbit-node's token JSON (with the legacy user id). */
  getAccessToken(code: string, redirectUrl: string): Promise<LegacyTokenJson> {
    return this.run(tokenErrors(Effect.flatMap(Auth.exchangeCode({ code, redirectUri: redirectUrl }), (tokens) => this.#withUser(tokens.toWire()))))
  }

  /** Refreshes with Google; fitbit-node's JSON plus `expires_at`. Google keeps the refresh token unless it rotates it. */
  refreshAccessToken(refreshToken: string): Promise<LegacyTokenJson & { readonly expires_at: Date }> {
    return this.run(tokenErrors(Effect.flatMap(Auth.refresh(refreshToken), (tokens) =>
      Effect.map(this.#withUser({ ...tokens.toWire(), refresh_token: tokens.toWire().refresh_token ?? refreshToken }), (json) => ({
        ...json,
        expires_at: new Date(tokens.expiresAt)
      })))))
  }

  /** Revokes the grant with Google; resolves `{}` like fitbit-node. */
  revokeAccessToken(accessToken: string): Promise<Record<string, never>> {
    return this.run(tokenErrors(Effect.as(Auth.revoke(accessToken), {})))
  }

  /** One legacy call, answered from Google Health. */
  send(request: FitbitHttp.FitbitRequest): Promise<FitbitHttp.FitbitResponse> {
    return this.run(Effect.flatMap(FitbitHttp.FitbitHttp, (http) => http.execute({ apiVersion: this.#apiVersion, ...request })))
  }

  /** A description without secrets. */
  override toJSON(): { readonly _id: "GoogleLegacyBackend"; readonly clientId: string; readonly apiBaseUrl: string } {
    return { _id: "GoogleLegacyBackend", clientId: this.#config.clientId, apiBaseUrl: this.#config.apiBaseUrl }
  }

  #withUser(wire: { readonly access_token: string; readonly [key: string]: unknown }) {
    return Effect.map(Users.getIdentity(wire.access_token), (identity): LegacyTokenJson => ({
      access_token: wire.access_token,
      expires_in: Number(wire.expires_in ?? 3600),
      ...(typeof wire.refresh_token === "string" ? { refresh_token: wire.refresh_token } : {}),
      scope: String(wire.scope ?? ""),
      token_type: String(wire.token_type ?? "Bearer"),
      user_id: identity.legacyUserId ?? identity.healthUserId ?? ""
    }))
  }
}
