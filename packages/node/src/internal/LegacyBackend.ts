/**
 * Where `FitbitApiClient`'s calls go, chosen once when the client is constructed: the Fitbit
 * Web API (`fitbit`) or the Google Health API through core's legacy translation
 * (`google-health`). A backend is a layer of the client's one runtime (the `LegacyBackend`
 * service: token calls and the verbs) plus what the facade needs synchronously (the
 * authorization URL). Every method of the facade asks the service, so none branches on the
 * backend, and a method a backend cannot serve fails with a typed error before anything is sent.
 *
 * @since 0.1.0
 */
import { Errors, FitbitAuth, FitbitConfig, FitbitHttp, GoogleAuth, GoogleHealthConfig, GoogleHealthHttp, GoogleUsers, LegacyFitbit, OAuth } from "@fitbit-effect/core"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import type * as ClientOptions from "../ClientOptions.js"
import * as ClientRuntime from "./ClientRuntime.js"
import * as NodeFitbit from "../NodeFitbit.js"
import * as UndiciHttpClient from "../UndiciHttpClient.js"
import { TokenEndpointError } from "../TokenEndpointError.js"


/**
 * The token endpoint's JSON, as fitbit-node resolves it.
 *
 * @since 0.1.0
 * @category models
 */
export interface AccessTokenJson extends ClientOptions.TokenEndpointJson {
  user_id?: string
}

/**
 * A refresh's token JSON plus `expires_at`, as simple-oauth2's `token` property.
 *
 * @since 0.1.0
 * @category models
 */
export interface RefreshedTokenJson extends AccessTokenJson {
  /** When the new access token expires: receipt time plus `expires_in`. */
  expires_at: Date
}

/**
 * An RFC 7662 introspection answer; `exp`, `iat` in epoch milliseconds.
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

/**
 * How a backend call fails: a token-endpoint answer as simple-oauth2's `TokenEndpointError`, or
 * core's tagged errors (the facade rejects with either).
 *
 * @since 0.1.0
 * @category models
 */
export type Failure = unknown

/**
 * The backend's calls.
 *
 * @since 0.1.0
 * @category models
 */
export interface LegacyBackendShape {
  readonly exchangeCode: (code: string, redirectUri: string) => Effect.Effect<AccessTokenJson, Failure>
  readonly refresh: (refreshToken: string, expiresIn: number | undefined) => Effect.Effect<RefreshedTokenJson, Failure>
  readonly revoke: (token: string) => Effect.Effect<Record<string, never>, Failure>
  readonly introspect: (token: string, bearer: string) => Effect.Effect<IntrospectionJson, Failure>
}

/**
 * The backend service of a `FitbitApiClient` runtime.
 *
 * @since 0.1.0
 * @category services
 */
export class LegacyBackend extends Context.Tag("@fitbit-effect/node/LegacyBackend")<LegacyBackend, LegacyBackendShape>() {}

/**
 * A chosen backend: its layer and its synchronous part.
 *
 * @since 0.1.0
 * @category models
 */
export interface Choice {
  readonly name: "fitbit" | "google-health"
  /** The backend's token calls and the data-API service its verbs go to (`FitbitHttp`, native or translated). */
  readonly layer: Layer.Layer<LegacyBackend | FitbitHttp.FitbitHttp, unknown>
  /** The authorization page URL; throws `InvalidInput` for a missing scope or redirect URL. */
  readonly authorizeUrl: (scope: string | ReadonlyArray<string>, redirectUrl: string, prompt?: string | null, state?: string | null) => string
  /** The data API's origin, for descriptions. */
  readonly apiBaseUrl: string
}

/**
 * The client settings a backend is built from.
 *
 * @since 0.1.0
 * @category models
 */
export interface Settings extends ClientOptions.EndpointSettings {
  readonly clientId: string
  readonly clientSecret?: ClientOptions.ClientCredentials["clientSecret"]
  readonly retry?: ClientOptions.RetrySetting | undefined
  readonly rateLimit?: Parameters<typeof ClientRuntime.policies>[0]["rateLimit"]
}

/** Token-endpoint answers become simple-oauth2's error shape; other failures stay as they are. */
const tokenErrors = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
  Effect.catchIf(effect, Errors.isApiFailure, (failure) => Effect.fail(new TokenEndpointError(failure)))

/**
 * The Fitbit Web API: Fitbit OAuth and `FitbitHttp` over the client's HTTP layer.
 *
 * @since 0.1.0
 * @category constructors
 */
export const fitbit = (config: FitbitConfig.FitbitConfigShape, settings: Settings): Choice => {
  const service = Layer.effect(
    LegacyBackend,
    Effect.gen(function*() {
      const context = yield* Effect.context<NodeFitbit.Services>()
      const provide = <A, E>(effect: Effect.Effect<A, E, NodeFitbit.Services>) => Effect.provide(effect, context)
      return {
        exchangeCode: (code, redirectUri) =>
          provide(tokenErrors(Effect.map(FitbitAuth.exchangeCode({ code, redirectUri }), (tokens) => tokens.toWire()))),
        refresh: (refreshToken, expiresIn) =>
          provide(tokenErrors(Effect.map(
            FitbitAuth.refresh({ refreshToken, expiresIn }),
            (tokens): RefreshedTokenJson => ({ ...tokens.toWire(), expires_at: new Date(tokens.expiresAt) })
          ))),
        revoke: (token) => provide(tokenErrors(Effect.as(FitbitAuth.revoke(token), {}))),
        introspect: (token, bearer) =>
          provide(tokenErrors(Effect.map(FitbitAuth.introspect({ token, bearer }), (answer: OAuth.Introspection): IntrospectionJson => ({ ...answer })))),
      } satisfies LegacyBackendShape
    })
  )
  return {
    name: "fitbit",
    apiBaseUrl: config.apiBaseUrl,
    layer: Layer.provideMerge(
      service,
      NodeFitbit.layerWith(
        Layer.merge(Layer.succeed(FitbitConfig.FitbitConfig, config), ClientRuntime.policies(settings)),
        settings.httpClient
      )
    ),
    authorizeUrl: (scope, redirectUrl, prompt, state) => {
      ClientRuntime.checkAuthorizeArgs(scope, redirectUrl, prompt, state)
      return FitbitAuth.authorizeUrlFor(config, { scope, redirectUri: redirectUrl, prompt: prompt ?? undefined, state: state ?? undefined })
    }
  }
}

/** Google's prompt values for fitbit-node's. */
const PROMPTS: Readonly<Record<string, string>> = { consent: "consent", login: "select_account", none: "none" }

/**
 * The Google Health API: Google OAuth (Fitbit scope names mapped to Google's, offline access,
 * consent asked so a refresh token comes back) and the legacy paths translated by core's
 * `LegacyOnGoogle`. The token JSON keeps fitbit-node's fields, `user_id` being the legacy Fitbit
 * user id Google maps the account to. Introspection is Fitbit's endpoint: it fails with
 * `InvalidInput` before anything is sent.
 *
 * @since 0.1.0
 * @category constructors
 */
export const googleHealth = (settings: Settings & { readonly apiVersion: string }): Choice => {
  const config = ClientRuntime.orThrow(GoogleHealthConfig.make(settings))
  const google = GoogleHealthHttp.layer.pipe(
    Layer.provideMerge(Layer.mergeAll(
      Layer.succeed(GoogleHealthConfig.GoogleHealthConfig, config),
      settings.httpClient ?? UndiciHttpClient.layer({}, { timeout: config.timeout, maxBodyBytes: config.maxBodyBytes }),
      // Answers are observed; no call is refused before sending (Google's quotas are per project).
      ClientRuntime.policies({ retry: settings.retry })
    ))
  )
  const services = Layer.provideMerge(LegacyFitbit.LegacyOnGoogle.layer, google)
  type Services = Layer.Layer.Success<typeof services>
  const withUser = (wire: { readonly access_token: string; readonly [key: string]: unknown }) =>
    Effect.map(GoogleUsers.getIdentity(wire.access_token), (identity): AccessTokenJson => ({
      access_token: wire.access_token,
      expires_in: Number(wire.expires_in ?? 3600),
      ...(typeof wire.refresh_token === "string" ? { refresh_token: wire.refresh_token } : {}),
      scope: String(wire.scope ?? ""),
      token_type: String(wire.token_type ?? "Bearer"),
      user_id: identity.legacyUserId ?? identity.healthUserId ?? ""
    }))
  const service = Layer.effect(
    LegacyBackend,
    Effect.gen(function*() {
      const context = yield* Effect.context<Services>()
      const provide = <A, E>(effect: Effect.Effect<A, E, Services>) => Effect.provide(effect, context)
      return {
        exchangeCode: (code, redirectUri) =>
          provide(tokenErrors(Effect.flatMap(GoogleAuth.exchangeCode({ code, redirectUri }), (tokens) => withUser(tokens.toWire())))),
        // Google keeps the refresh token unless it rotates it; `expiresIn` is Fitbit's parameter.
        refresh: (refreshToken) =>
          provide(tokenErrors(Effect.flatMap(GoogleAuth.refresh(refreshToken), (tokens) =>
            Effect.map(
              withUser({ ...tokens.toWire(), refresh_token: tokens.toWire().refresh_token ?? refreshToken }),
              (json): RefreshedTokenJson => ({ ...json, expires_at: new Date(tokens.expiresAt) })
            )))),
        revoke: (token) => provide(tokenErrors(Effect.as(GoogleAuth.revoke(token), {}))),
        introspect: () =>
          Effect.fail(ClientRuntime.invalid(
            "backend",
            "introspectAccessToken asks Fitbit's introspection endpoint, which does not know Google tokens; with backend \"google-health\" a token's user and validity come from a call such as get(\"/profile.json\", token)"
          )),
      } satisfies LegacyBackendShape
    })
  )
  return {
    name: "google-health",
    apiBaseUrl: config.apiBaseUrl,
    layer: Layer.provideMerge(service, services) as Layer.Layer<LegacyBackend | FitbitHttp.FitbitHttp, unknown>,
    authorizeUrl: (scope, redirectUrl, prompt, state) => {
      const scopes = ClientRuntime.orThrow(LegacyFitbit.LegacyOnGoogle.googleScopes(scope))
      ClientRuntime.checkAuthorizeArgs(scopes, redirectUrl, prompt, state)
      const promptValue = (prompt ?? "consent").split(/\s+/).map((p) => PROMPTS[p] ?? p).join(" ")
      return GoogleAuth.authorizeUrlFor(config, {
        scope: scopes,
        redirectUri: redirectUrl,
        prompt: promptValue,
        ...(state === undefined || state === null || state === "" ? {} : { state })
      })
    }
  }
}
