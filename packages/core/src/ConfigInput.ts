/**
 * The inputs the Fitbit and Google Health configurations share: optional values read from
 * configuration (the environment by default), and the client id and secret checks.
 *
 * @since 0.1.0
 */
import * as Config from "effect/Config"
import type * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import { InvalidInput } from "./Errors.js"

/**
 * An optional string setting: `undefined` when absent.
 *
 * @since 0.1.0
 * @category config
 */
export const optionalString = (name: string): Config.Config<string | undefined> =>
  Config.option(Config.string(name)).pipe(Config.map(Option.getOrUndefined))

/**
 * An optional secret setting, kept `Redacted`: `undefined` when absent.
 *
 * @since 0.1.0
 * @category config
 */
export const optionalSecret = (name: string): Config.Config<Redacted.Redacted<string> | undefined> =>
  Config.option(Config.redacted(name)).pipe(Config.map(Option.getOrUndefined))

/**
 * An optional duration setting (e.g. `30 seconds`): `undefined` when absent.
 *
 * @since 0.1.0
 * @category config
 */
export const optionalDuration = (name: string): Config.Config<Duration.Duration | undefined> =>
  Config.option(Config.duration(name)).pipe(Config.map(Option.getOrUndefined))

/**
 * Checks a client id: a non-blank string.
 *
 * @since 0.1.0
 * @category validation
 */
export const validateClientId = (clientId: unknown): Effect.Effect<string, InvalidInput> =>
  typeof clientId !== "string" || clientId.trim() === ""
    ? Effect.fail(new InvalidInput({ field: "clientId", reason: "a client id is required" }))
    : Effect.succeed(clientId)

/**
 * A client secret as an option, `Redacted`; absent or empty means a public client.
 *
 * @since 0.1.0
 * @category constructors
 */
export const clientSecret = (
  secret: string | Redacted.Redacted<string> | undefined
): Option.Option<Redacted.Redacted<string>> =>
  secret === undefined || secret === ""
    ? Option.none()
    : Option.some(typeof secret === "string" ? Redacted.make(secret) : secret)

/**
 * The options both providers' configurations take: the client credentials and where every
 * endpoint is. `baseUrl` points every endpoint at one origin (the emulator); the specific
 * URLs override it.
 *
 * @since 0.1.0
 * @category models
 */
export interface CommonOptions {
  readonly clientId: string
  /** Absent (or empty) for a public client with PKCE; kept `Redacted`. */
  readonly clientSecret?: string | Redacted.Redacted<string> | undefined
  /** One origin for every endpoint, e.g. the emulator (`http://127.0.0.1:8787`). */
  readonly baseUrl?: string | undefined
  readonly authorizeUrl?: string | undefined
  readonly tokenUrl?: string | undefined
  readonly revokeUrl?: string | undefined
  /** Origin (and optional prefix) of the data API. */
  readonly apiBaseUrl?: string | undefined
  /** Per-request timeout (default 30 seconds). */
  readonly timeout?: Duration.DurationInput | undefined
}

/**
 * The settings both backends read under their prefix: `{prefix}_CLIENT_ID`,
 * `{prefix}_CLIENT_SECRET`, `{prefix}_BASE_URL`, `{prefix}_AUTHORIZE_URL`, `{prefix}_TOKEN_URL`,
 * `{prefix}_REVOKE_URL`, `{prefix}_API_URL`, `{prefix}_TIMEOUT`; all but the client id optional.
 *
 * @since 0.1.0
 * @category config
 */
export const common = (prefix: string): Config.Config<CommonOptions> =>
  Config.all({
    clientId: Config.string(`${prefix}_CLIENT_ID`),
    clientSecret: optionalSecret(`${prefix}_CLIENT_SECRET`),
    baseUrl: optionalString(`${prefix}_BASE_URL`),
    authorizeUrl: optionalString(`${prefix}_AUTHORIZE_URL`),
    tokenUrl: optionalString(`${prefix}_TOKEN_URL`),
    revokeUrl: optionalString(`${prefix}_REVOKE_URL`),
    apiBaseUrl: optionalString(`${prefix}_API_URL`),
    timeout: optionalDuration(`${prefix}_TIMEOUT`)
  })
