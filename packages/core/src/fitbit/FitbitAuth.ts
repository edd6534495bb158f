/**
 * Fitbit's OAuth 2.0 flow as Effect programs over the configured client: authorize URL,
 * code exchange, refresh, revoke and introspect. A thin binding of `OAuth` to `FitbitConfig`.
 *
 * @since 0.1.0
 */
import type * as HttpClient from "@effect/platform/HttpClient"
import * as Effect from "effect/Effect"
import type * as Redacted from "effect/Redacted"
import * as FitbitConfig from "./FitbitConfig.js"
import * as OAuth from "../OAuth.js"

/**
 * Fitbit's OAuth scopes.
 *
 * @since 0.1.0
 * @category constants
 */
export const SCOPES = [
  "activity",
  "cardio_fitness",
  "electrocardiogram",
  "heartrate",
  "irregular_rhythm_notifications",
  "location",
  "nutrition",
  "oxygen_saturation",
  "profile",
  "respiratory_rate",
  "settings",
  "sleep",
  "social",
  "temperature",
  "weight"
] as const

/**
 * A Fitbit OAuth scope.
 *
 * @since 0.1.0
 * @category models
 */
export type Scope = typeof SCOPES[number]

/**
 * Builds the authorization URL for a configuration. Pure.
 *
 * @since 0.1.0
 * @category authorization
 */
export const authorizeUrlFor = (config: FitbitConfig.FitbitConfigShape, params: OAuth.AuthorizeParams): string =>
  OAuth.authorizeUrl(config, params)

/**
 * Builds the authorization URL from the configuration in context.
 *
 * @since 0.1.0
 * @category authorization
 */
export const authorizeUrl = (params: OAuth.AuthorizeParams): Effect.Effect<string, never, FitbitConfig.FitbitConfig> =>
  Effect.map(FitbitConfig.FitbitConfig, (config) => authorizeUrlFor(config, params))

const withProvider = <A, E, R>(
  f: (provider: OAuth.OAuthProvider) => Effect.Effect<A, E, R>
): Effect.Effect<A, E, R | FitbitConfig.FitbitConfig> =>
  Effect.flatMap(FitbitConfig.FitbitConfig, (config) => f(FitbitConfig.toOAuthProvider(config)))

/**
 * Exchanges an authorization code for a token set.
 *
 * @since 0.1.0
 * @category tokens
 */
export const exchangeCode = (params: {
  readonly code: string
  readonly redirectUri: string
  readonly codeVerifier?: string | Redacted.Redacted<string> | undefined
}): Effect.Effect<OAuth.TokenSet, OAuth.TokenFailure, FitbitConfig.FitbitConfig | HttpClient.HttpClient> =>
  withProvider((provider) => OAuth.exchangeCode(provider, params))

/**
 * Refreshes a token set; Fitbit rotates the refresh token, so persist the result before use.
 *
 * @since 0.1.0
 * @category tokens
 */
export const refresh = (params: {
  readonly refreshToken: string | Redacted.Redacted<string>
  readonly expiresIn?: number | undefined
}): Effect.Effect<OAuth.TokenSet, OAuth.TokenFailure, FitbitConfig.FitbitConfig | HttpClient.HttpClient> =>
  withProvider((provider) => OAuth.refresh(provider, params))

/**
 * Revokes an access or refresh token, ending the grant.
 *
 * @since 0.1.0
 * @category tokens
 */
export const revoke = (
  token: string | Redacted.Redacted<string>
): Effect.Effect<void, OAuth.TokenFailure, FitbitConfig.FitbitConfig | HttpClient.HttpClient> =>
  withProvider((provider) => OAuth.revoke(provider, token))

/**
 * Introspects a token (`/1.1/oauth2/introspect`), authenticated with a valid access token.
 *
 * @since 0.1.0
 * @category tokens
 */
export const introspect = (params: {
  readonly token: string | Redacted.Redacted<string>
  readonly bearer: string | Redacted.Redacted<string>
}): Effect.Effect<OAuth.Introspection, OAuth.TokenFailure, FitbitConfig.FitbitConfig | HttpClient.HttpClient> =>
  withProvider((provider) => OAuth.introspect(provider, params))
