/**
 * The Fitbit client's configuration service: credentials, endpoint URLs, API version, timeout.
 *
 * @since 0.1.0
 */
import * as Config from "effect/Config"
import * as ConfigError from "effect/ConfigError"
import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as ConfigInput from "../ConfigInput.js"
import { InvalidInput } from "../Errors.js"
import type * as OAuth from "../OAuth.js"
import * as ErrorDecoder from "../internal/errorDecoder.js"
import * as Url from "../internal/url.js"

/**
 * Fitbit's production endpoints.
 *
 * @since 0.1.0
 * @category constants
 */
export const FITBIT_URLS = {
  authorizeUrl: "https://www.fitbit.com/oauth2/authorize",
  tokenUrl: "https://api.fitbit.com/oauth2/token",
  revokeUrl: "https://api.fitbit.com/oauth2/revoke",
  introspectUrl: "https://api.fitbit.com/1.1/oauth2/introspect",
  apiBaseUrl: "https://api.fitbit.com"
} as const

/**
 * The resolved configuration.
 *
 * @since 0.1.0
 * @category models
 */
export interface FitbitConfigShape {
  readonly clientId: string
  /** Absent for public (PKCE) apps, which authenticate with `client_id` in the body. */
  readonly clientSecret: Option.Option<Redacted.Redacted<string>>
  readonly authorizeUrl: string
  readonly tokenUrl: string
  readonly revokeUrl: string
  readonly introspectUrl: string
  /** Origin (and optional prefix) of the data API, without a trailing slash. */
  readonly apiBaseUrl: string
  /** Version used when a call names none: `1`, `1.1` or `1.2`. */
  readonly apiVersion: string
  /** `Accept-Language` sent with every data call (selects units), when set. */
  readonly acceptLanguage: Option.Option<string>
  /** Per-request timeout. */
  readonly timeout: Duration.Duration
  /** The largest answer body read, in bytes (default 64 MiB). */
  readonly maxBodyBytes: number
}

/**
 * The configuration service.
 *
 * @since 0.1.0
 * @category schemas
 */
export class FitbitConfig extends Context.Tag("@fitbit-effect/core/FitbitConfig")<FitbitConfig, FitbitConfigShape>() {}

/**
 * Options for {@link make} and {@link layer}. `baseUrl` points every endpoint at one
 * origin (the emulator); the specific URLs override it.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options extends ConfigInput.CommonOptions {
  readonly introspectUrl?: string | undefined
  /** API version of calls that name none: `1` (default), `1.1` or `1.2`. */
  readonly apiVersion?: string | undefined
  /** `Accept-Language` sent with every data call (selects units), e.g. `en_US`. */
  readonly acceptLanguage?: string | undefined
}

const VERSION = /^1(\.[0-9])?$/

/**
 * Checks an API version: `1`, `1.1`, `1.2`, …
 *
 * @since 0.1.0
 * @category validation
 */
export const validateVersion = (version: string): Either.Either<string, InvalidInput> =>
  VERSION.test(version)
    ? Either.right(version)
    : Either.left(new InvalidInput({ field: "apiVersion", reason: `"${version}" is not an API version like 1 or 1.2` }))

/**
 * Resolves and validates options: every URL must be https, or http on a loopback host.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (options: Options): Effect.Effect<FitbitConfigShape, InvalidInput> =>
  Effect.gen(function*() {
    const { clientId, clientSecret, maxBodyBytes, timeout } = yield* ConfigInput.validateCommon(options)
    // A bad baseUrl is reported as baseUrl, not as the first endpoint derived from it.
    const base = options.baseUrl === undefined ? undefined : Url.trimSlash(yield* Url.validateEndpoint("baseUrl", options.baseUrl))
    const pick = (field: string, given: string | undefined, onBase: string, fallback: string) =>
      Url.validateEndpoint(field, given ?? (base === undefined ? fallback : base + onBase))
    return {
      clientId,
      clientSecret,
      authorizeUrl: yield* pick("authorizeUrl", options.authorizeUrl, "/oauth2/authorize", FITBIT_URLS.authorizeUrl),
      tokenUrl: yield* pick("tokenUrl", options.tokenUrl, "/oauth2/token", FITBIT_URLS.tokenUrl),
      revokeUrl: yield* pick("revokeUrl", options.revokeUrl, "/oauth2/revoke", FITBIT_URLS.revokeUrl),
      introspectUrl: yield* pick(
        "introspectUrl",
        options.introspectUrl,
        "/1.1/oauth2/introspect",
        FITBIT_URLS.introspectUrl
      ),
      apiBaseUrl: Url.trimSlash(yield* pick("apiBaseUrl", options.apiBaseUrl, "", FITBIT_URLS.apiBaseUrl)),
      apiVersion: yield* validateVersion(options.apiVersion ?? "1"),
      acceptLanguage: options.acceptLanguage === undefined
        ? Option.none()
        : Option.some((yield* Url.validateHeaders({ "Accept-Language": options.acceptLanguage }))["Accept-Language"]!),
      timeout,
      maxBodyBytes
    }
  })

/**
 * A layer from explicit options.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (options: Options): Layer.Layer<FitbitConfig, InvalidInput> =>
  Layer.effect(FitbitConfig, make(options))

/**
 * Reads options from configuration: `FITBIT_CLIENT_ID`, `FITBIT_CLIENT_SECRET` (optional),
 * `FITBIT_BASE_URL`, `FITBIT_AUTHORIZE_URL`, `FITBIT_TOKEN_URL`, `FITBIT_REVOKE_URL`,
 * `FITBIT_INTROSPECT_URL`, `FITBIT_API_URL`, `FITBIT_API_VERSION`, `FITBIT_ACCEPT_LANGUAGE`,
 * `FITBIT_TIMEOUT` (a duration such as `30 seconds`).
 *
 * @since 0.1.0
 * @category layers
 */
export const config: Config.Config<Options> = Config.all([
  ConfigInput.common("FITBIT"),
  Config.all({
    introspectUrl: ConfigInput.optionalString("FITBIT_INTROSPECT_URL"),
    apiVersion: ConfigInput.optionalString("FITBIT_API_VERSION"),
    acceptLanguage: ConfigInput.optionalString("FITBIT_ACCEPT_LANGUAGE")
  })
]).pipe(Config.map(([common, fitbit]): Options => ({ ...common, ...fitbit })))

/**
 * A layer from configuration (the environment by default); see {@link config}.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerConfig = (
  source: Config.Config<Options> = config
): Layer.Layer<FitbitConfig, ConfigError.ConfigError | InvalidInput> =>
  Layer.effect(FitbitConfig, Effect.flatMap(source, make))

/**
 * The OAuth provider description of a Fitbit configuration.
 *
 * @since 0.1.0
 * @category utils
 */
export const toOAuthProvider = (self: FitbitConfigShape): OAuth.OAuthProvider => ({
  name: "fitbit",
  clientId: self.clientId,
  clientSecret: self.clientSecret,
  authorizeUrl: self.authorizeUrl,
  tokenUrl: self.tokenUrl,
  revokeUrl: self.revokeUrl,
  introspectUrl: Option.some(self.introspectUrl),
  clientAuthentication: "basic",
  sendClientIdOnCodeExchange: true,
  timeout: self.timeout,
  maxBodyBytes: self.maxBodyBytes,
  // Fitbit OAuth answers 410 since 2026-11-02: LegacyApiRetired, with how to move.
  decodeFailure: ErrorDecoder.toFitbitFailure
})
