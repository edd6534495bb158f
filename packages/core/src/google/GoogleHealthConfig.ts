/**
 * The Google Health API client's configuration service: Google OAuth credentials, the Google
 * OAuth and Health API endpoints (overridable with one `baseUrl`, e.g. the emulator), timeout.
 *
 * @since 0.1.0
 */
import * as Config from "effect/Config"
import type * as ConfigError from "effect/ConfigError"
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
import * as Url from "../internal/url.js"

/**
 * Google's production endpoints.
 *
 * @since 0.1.0
 * @category constants
 */
export const GOOGLE_URLS = {
  authorizeUrl: "https://accounts.google.com/o/oauth2/v2/auth",
  tokenUrl: "https://oauth2.googleapis.com/token",
  revokeUrl: "https://oauth2.googleapis.com/revoke",
  apiBaseUrl: "https://health.googleapis.com"
} as const

/**
 * Where each endpoint sits under a `baseUrl` (the emulator mirrors Google's paths).
 *
 * @since 0.1.0
 * @category constants
 */
export const BASE_URL_PATHS = {
  authorizeUrl: "/o/oauth2/v2/auth",
  tokenUrl: "/token",
  revokeUrl: "/revoke",
  apiBaseUrl: ""
} as const

/**
 * The resolved configuration.
 *
 * @since 0.1.0
 * @category models
 */
export interface GoogleHealthConfigShape {
  readonly clientId: string
  /** Absent for public clients (installed apps with PKCE). */
  readonly clientSecret: Option.Option<Redacted.Redacted<string>>
  readonly authorizeUrl: string
  readonly tokenUrl: string
  readonly revokeUrl: string
  /** Origin (and optional prefix) of the Health API, without `/v4` and without a trailing slash. */
  readonly apiBaseUrl: string
  /** The API channel every call goes to (`v4` unless `v4beta` was chosen). */
  readonly channel: Channel
  /** Per-request timeout. */
  readonly timeout: Duration.Duration
  /** The largest answer body read, in bytes (default 64 MiB). */
  readonly maxBodyBytes: number
  /** Google's published quotas counted before sending; `undefined` when turned off. */
  readonly quota: Quota | undefined
}

/**
 * Google's published per-minute quotas, counted before sending through the `RateLimitPolicy` in
 * context (`SqlRateLimitPolicy` shares them across instances): a call that would exceed one waits
 * or fails (per the policy) with `RateLimited` instead of spending a 429.
 *
 * @since 0.1.0
 * @category models
 */
export interface Quota {
  /** Requests a minute per user (per `rateLimitKey`; sessions pass the user's key). Default 300. */
  readonly perUserPerMinute: number
  /** Requests a minute for the whole project (this client id). Default 120,000. */
  readonly perProjectPerMinute: number
}

/**
 * Google's defaults: 300 requests a minute per user and 120,000 a minute per project.
 *
 * @since 0.1.0
 * @category constants
 */
export const DEFAULT_QUOTA: Quota = { perUserPerMinute: 300, perProjectPerMinute: 120_000 }

/**
 * The channels Google serves the Health API on (AIP-185): `v4`, stable and backward compatible,
 * and `v4beta`, the public beta: a superset with early-access types, fields and methods that may
 * change without notice.
 *
 * @since 0.1.0
 * @category models
 */
export type Channel = "v4" | "v4beta"

/**
 * Checks a channel: absent (`v4`), `v4` or `v4beta`.
 *
 * @since 0.1.0
 * @category validation
 */
export const validateChannel = (channel: unknown): Either.Either<Channel, InvalidInput> =>
  channel === undefined || channel === "v4"
    ? Either.right("v4")
    : channel === "v4beta"
    ? Either.right("v4beta")
    : Either.left(
      new InvalidInput({
        field: "channel",
        reason: `must be "v4" (stable, the default) or "v4beta" (the public beta: early-access types, fields and methods)`
      })
    )

/**
 * The configuration service.
 *
 * @since 0.1.0
 * @category schemas
 */
export class GoogleHealthConfig extends Context.Tag("@fitbit-effect/core/GoogleHealthConfig")<
  GoogleHealthConfig,
  GoogleHealthConfigShape
>() {}

/**
 * Options for {@link make} and {@link layer}. `baseUrl` points every endpoint at one origin
 * (with Google's paths: `/o/oauth2/v2/auth`, `/token`, `/revoke`, `/v4/...`); the specific
 * URLs override it.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options extends ConfigInput.CommonOptions {
  /** The API channel: `v4` (default) or `v4beta`. */
  readonly channel?: Channel | undefined
  /**
   * Google's quotas to count before sending: {@link DEFAULT_QUOTA} when absent, either part
   * overridden (a project granted more), or `false` to count none.
   */
  readonly quota?: Partial<Quota> | false | undefined
}

const validateQuota = (quota: unknown): Effect.Effect<Quota | undefined, InvalidInput> => {
  if (quota === false) return Effect.succeed(undefined)
  if (quota === undefined) return Effect.succeed(DEFAULT_QUOTA)
  if (typeof quota !== "object" || quota === null) {
    return Effect.fail(new InvalidInput({ field: "quota", reason: "must be false or { perUserPerMinute?, perProjectPerMinute? }" }))
  }
  const given = quota as Record<string, unknown>
  for (const field of ["perUserPerMinute", "perProjectPerMinute"] as const) {
    const value = given[field]
    if (value !== undefined && !(typeof value === "number" && Number.isInteger(value) && value >= 1)) {
      return Effect.fail(new InvalidInput({ field: `quota.${field}`, reason: "must be a whole number of requests, at least 1" }))
    }
  }
  return Effect.succeed({
    perUserPerMinute: (given.perUserPerMinute as number | undefined) ?? DEFAULT_QUOTA.perUserPerMinute,
    perProjectPerMinute: (given.perProjectPerMinute as number | undefined) ?? DEFAULT_QUOTA.perProjectPerMinute
  })
}

/**
 * Resolves and validates options: every URL must be https, or http on a loopback host.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (options: Options): Effect.Effect<GoogleHealthConfigShape, InvalidInput> =>
  Effect.gen(function*() {
    const { clientId, clientSecret, maxBodyBytes, timeout } = yield* ConfigInput.validateCommon(options)
    // A bad baseUrl is reported as baseUrl, not as the first endpoint derived from it.
    const base = options.baseUrl === undefined ? undefined : Url.trimSlash(yield* Url.validateEndpoint("baseUrl", options.baseUrl))
    const pick = (field: keyof typeof GOOGLE_URLS, given: string | undefined) =>
      Url.validateEndpoint(field, given ?? (base === undefined ? GOOGLE_URLS[field] : base + BASE_URL_PATHS[field]))
    return {
      clientId,
      clientSecret,
      authorizeUrl: yield* pick("authorizeUrl", options.authorizeUrl),
      tokenUrl: yield* pick("tokenUrl", options.tokenUrl),
      revokeUrl: yield* pick("revokeUrl", options.revokeUrl),
      apiBaseUrl: Url.trimSlash(yield* pick("apiBaseUrl", options.apiBaseUrl)),
      channel: yield* validateChannel((options as { channel?: unknown }).channel),
      timeout,
      maxBodyBytes,
      quota: yield* validateQuota((options as { quota?: unknown }).quota)
    }
  })

/**
 * A layer from explicit options.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (options: Options): Layer.Layer<GoogleHealthConfig, InvalidInput> =>
  Layer.effect(GoogleHealthConfig, make(options))

/**
 * Reads options from configuration: `GOOGLE_HEALTH_CLIENT_ID`, `GOOGLE_HEALTH_CLIENT_SECRET`
 * (optional), `GOOGLE_HEALTH_BASE_URL`, `GOOGLE_HEALTH_AUTHORIZE_URL`, `GOOGLE_HEALTH_TOKEN_URL`,
 * `GOOGLE_HEALTH_REVOKE_URL`, `GOOGLE_HEALTH_API_URL`, `GOOGLE_HEALTH_TIMEOUT` (e.g. `30 seconds`),
 * `GOOGLE_HEALTH_CHANNEL` (`v4` or `v4beta`).
 *
 * @since 0.1.0
 * @category layers
 */
export const config: Config.Config<Options> = Config.map(
  Config.all([ConfigInput.common("GOOGLE_HEALTH"), ConfigInput.optionalString("GOOGLE_HEALTH_CHANNEL")]),
  ([common, channel]): Options => (channel === undefined ? common : { ...common, channel: channel as Channel })
)

/**
 * A layer from configuration (the environment by default); see {@link config}.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerConfig = (
  source: Config.Config<Options> = config
): Layer.Layer<GoogleHealthConfig, ConfigError.ConfigError | InvalidInput> =>
  Layer.effect(GoogleHealthConfig, Effect.flatMap(source, make))

/**
 * The OAuth provider description of a Google configuration: client credentials in the form
 * body (`client_secret_post`), no introspection endpoint.
 *
 * @since 0.1.0
 * @category utils
 */
export const toOAuthProvider = (self: GoogleHealthConfigShape): OAuth.OAuthProvider => ({
  name: "google",
  clientId: self.clientId,
  clientSecret: self.clientSecret,
  authorizeUrl: self.authorizeUrl,
  tokenUrl: self.tokenUrl,
  revokeUrl: self.revokeUrl,
  introspectUrl: Option.none(),
  clientAuthentication: "post",
  sendClientIdOnCodeExchange: true,
  timeout: self.timeout,
  maxBodyBytes: self.maxBodyBytes,
  refusalHint: testingModeHint
})

const DAY = 24 * 60 * 60 * 1000

/**
 * The hint for a refresh token Google refused 7 days or more after consent: a Cloud project whose
 * OAuth consent screen is in Testing mode issues refresh tokens that expire after 7 days.
 *
 * @since 0.1.0
 * @category utils
 */
export const testingModeHint = (grantAgeMillis: number): string | undefined =>
  grantAgeMillis >= 7 * DAY - 60 * 60 * 1000
    ? `the refresh token was refused ${Math.floor(grantAgeMillis / DAY)} days after consent: if the Google Cloud project's OAuth consent screen is in Testing mode, its refresh tokens expire after 7 days (and at most 100 listed test users can consent); publish the app (and complete verification for restricted scopes) so grants last`
    : undefined
