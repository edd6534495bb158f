/**
 * Google OAuth 2.0 for the Google Health API as Effect programs: the authorization URL
 * (`access_type=offline` for a refresh token, `include_granted_scopes`, PKCE S256), code
 * exchange, refresh (whether or not Google rotates the refresh token) and revoke. A thin
 * binding of the generic `OAuth` module to `GoogleHealthConfig`.
 *
 * @since 0.1.0
 */
import type * as HttpClient from "@effect/platform/HttpClient"
import * as Effect from "effect/Effect"
import type * as Redacted from "effect/Redacted"
import * as OAuth from "../OAuth.js"
import * as GoogleHealthConfig from "./GoogleHealthConfig.js"

/**
 * The prefix every Google Health scope shares.
 *
 * @since 0.1.0
 * @category constants
 */
export const SCOPE_PREFIX = "https://www.googleapis.com/auth/googlehealth."

/**
 * The Google Health API's scope names (without {@link SCOPE_PREFIX}), as Google's client lists them.
 *
 * @since 0.1.0
 * @category constants
 */
export const SCOPES = [
  "activity_and_fitness",
  "activity_and_fitness.readonly",
  "activity_and_fitness.writeonly",
  "health_metrics_and_measurements",
  "health_metrics_and_measurements.readonly",
  "health_metrics_and_measurements.writeonly",
  "sleep",
  "sleep.readonly",
  "sleep.writeonly",
  "nutrition",
  "nutrition.readonly",
  "nutrition.writeonly",
  "location",
  "location.readonly",
  "profile",
  "profile.readonly",
  "profile.writeonly",
  "settings",
  "settings.readonly",
  "settings.writeonly",
  "ecg.readonly",
  "irn.readonly",
  "logged_symptoms.readonly",
  "logged_symptoms.writeonly",
  "mindfulness.readonly",
  "mindfulness.writeonly",
  "reproductive_health.readonly",
  "reproductive_health.writeonly"
] as const

/**
 * A Google Health scope name such as `sleep.readonly`.
 *
 * @since 0.1.0
 * @category models
 */
export type ScopeName = typeof SCOPES[number]

/**
 * The full scope URL of a scope name: `scope("sleep.readonly")` is
 * `https://www.googleapis.com/auth/googlehealth.sleep.readonly`.
 *
 * @since 0.1.0
 * @category authorization
 */
export const scope = (name: ScopeName): string => SCOPE_PREFIX + name

/**
 * The full scope URLs of several scope names.
 *
 * @since 0.1.0
 * @category authorization
 */
export const scopes = (...names: ReadonlyArray<ScopeName>): Array<string> => names.map(scope)

/**
 * The read-only scopes a migrating Fitbit app usually asks for: activity, health metrics,
 * sleep, profile and settings.
 *
 * @since 0.1.0
 * @category authorization
 */
export const READ_SCOPES: ReadonlyArray<string> = scopes(
  "activity_and_fitness.readonly",
  "health_metrics_and_measurements.readonly",
  "sleep.readonly",
  "profile.readonly",
  "settings.readonly"
)

/**
 * Parameters of Google's authorization URL.
 *
 * @since 0.1.0
 * @category models
 */
export interface AuthorizeParams extends OAuth.AuthorizeParams {
  /** `offline` (the default) asks for a refresh token; `online` does not. */
  readonly accessType?: "offline" | "online" | undefined
  /** Incremental authorization: keep scopes granted earlier (default `true`). */
  readonly includeGrantedScopes?: boolean | undefined
  /** Pre-fills the account chooser. */
  readonly loginHint?: string | undefined
}

/**
 * Builds Google's authorization URL for a configuration. Pure. Google returns a refresh
 * token only on the first consent unless `prompt: "consent"` is given.
 *
 * @since 0.1.0
 * @category authorization
 */
export const authorizeUrlFor = (config: GoogleHealthConfig.GoogleHealthConfigShape, params: AuthorizeParams): string =>
  OAuth.authorizeUrl(config, {
    ...params,
    extraParams: {
      access_type: params.accessType ?? "offline",
      include_granted_scopes: params.includeGrantedScopes === false ? "false" : "true",
      login_hint: params.loginHint,
      ...params.extraParams
    }
  })

/**
 * Builds the authorization URL from the configuration in context.
 *
 * @since 0.1.0
 * @category authorization
 */
export const authorizeUrl = (
  params: AuthorizeParams
): Effect.Effect<string, never, GoogleHealthConfig.GoogleHealthConfig> =>
  Effect.map(GoogleHealthConfig.GoogleHealthConfig, (config) => authorizeUrlFor(config, params))

const withProvider = <A, E, R>(
  f: (provider: OAuth.OAuthProvider) => Effect.Effect<A, E, R>
): Effect.Effect<A, E, R | GoogleHealthConfig.GoogleHealthConfig> =>
  Effect.flatMap(GoogleHealthConfig.GoogleHealthConfig, (config) => f(GoogleHealthConfig.toOAuthProvider(config)))

/**
 * The OAuth provider of the configuration in context (for sessions and token stores).
 *
 * @since 0.1.0
 * @category constructors
 */
export const provider: Effect.Effect<OAuth.OAuthProvider, never, GoogleHealthConfig.GoogleHealthConfig> = Effect.map(
  GoogleHealthConfig.GoogleHealthConfig,
  GoogleHealthConfig.toOAuthProvider
)

/**
 * Exchanges an authorization code (with its PKCE verifier, when one was used) for a token set.
 *
 * @since 0.1.0
 * @category tokens
 */
export const exchangeCode = (params: {
  readonly code: string
  readonly redirectUri: string
  readonly codeVerifier?: string | Redacted.Redacted<string> | undefined
}): Effect.Effect<OAuth.TokenSet, OAuth.TokenFailure, GoogleHealthConfig.GoogleHealthConfig | HttpClient.HttpClient> =>
  withProvider((p) => OAuth.exchangeCode(p, params))

/**
 * Refreshes an access token. Google usually answers without a new refresh token, and then
 * the one given is kept; when it does rotate, the new one is returned.
 *
 * @since 0.1.0
 * @category tokens
 */
export const refresh = (
  refreshToken: string | Redacted.Redacted<string>
): Effect.Effect<OAuth.TokenSet, OAuth.TokenFailure, GoogleHealthConfig.GoogleHealthConfig | HttpClient.HttpClient> =>
  withProvider((p) => OAuth.refresh(p, { refreshToken }))

/**
 * Revokes an access or refresh token (`https://oauth2.googleapis.com/revoke`), ending the grant.
 *
 * @since 0.1.0
 * @category tokens
 */
export const revoke = (
  token: string | Redacted.Redacted<string>
): Effect.Effect<void, OAuth.TokenFailure, GoogleHealthConfig.GoogleHealthConfig | HttpClient.HttpClient> =>
  withProvider((p) => OAuth.revoke(p, token))
