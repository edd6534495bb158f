/**
 * The inputs the Fitbit and Google Health configurations share: optional values read from
 * configuration (the environment by default), and the client id and secret checks.
 *
 * @since 0.1.0
 */
import * as Config from "effect/Config"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import { InvalidInput } from "./Errors.js"
import { DEFAULT_MAX_BODY_BYTES } from "./internal/httpExchange.js"

/**
 * An optional string setting: `undefined` when absent.
 *
 * @since 0.1.0
 * @category layers
 */
export const optionalString = (name: string): Config.Config<string | undefined> =>
  Config.option(Config.string(name)).pipe(Config.map(Option.getOrUndefined))

/**
 * An optional secret setting, kept `Redacted`: `undefined` when absent.
 *
 * @since 0.1.0
 * @category layers
 */
export const optionalSecret = (name: string): Config.Config<Redacted.Redacted<string> | undefined> =>
  Config.option(Config.redacted(name)).pipe(Config.map(Option.getOrUndefined))

/**
 * An optional duration setting (e.g. `30 seconds`): `undefined` when absent.
 *
 * @since 0.1.0
 * @category layers
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
 * Checks a client secret and answers it as an option, `Redacted`; absent or empty means a
 * public client. A `Redacted` that holds no string (`Redacted.make(process.env.UNSET!)`) or that
 * this copy of effect cannot open is refused as `InvalidInput` naming `clientSecret`, never
 * a defect, and the message never holds the value.
 *
 * @since 0.1.0
 * @category validation
 */
export const validateClientSecret = (secret: unknown): Effect.Effect<Option.Option<Redacted.Redacted<string>>, InvalidInput> => {
  const fail = (reason: string) => Effect.fail(new InvalidInput({ field: "clientSecret", reason }))
  if (secret === undefined || secret === "") return Effect.succeedNone
  if (typeof secret === "string") return Effect.succeed(Option.some(Redacted.make(secret)))
  if (!Redacted.isRedacted(secret)) return fail("must be a string or a Redacted string")
  let value: unknown
  try {
    value = Redacted.value(secret)
  } catch {
    return fail("is a Redacted this copy of effect cannot open (made by another effect version, or wiped); pass the secret as a string or a Redacted made with the same effect")
  }
  if (value === undefined || value === null) {
    return fail("is a Redacted holding no value: is the environment variable that should hold the secret set?")
  }
  if (typeof value !== "string") return fail("must hold a string")
  return value === "" ? Effect.succeedNone : Effect.succeed(Option.some(secret as Redacted.Redacted<string>))
}

/**
 * Checks a per-request timeout: a positive, finite duration (default 30 seconds). Zero,
 * negative, infinite and unreadable values are refused as `InvalidInput` naming `timeout`.
 *
 * @since 0.1.0
 * @category validation
 */
export const validateTimeout = (input: unknown): Effect.Effect<Duration.Duration, InvalidInput> => {
  const fail = Effect.fail(
    new InvalidInput({ field: "timeout", reason: "must be a positive, finite duration such as \"30 seconds\" or 30000 (milliseconds)" })
  )
  if (input === undefined) return Effect.succeed(Duration.seconds(30))
  let duration: Duration.Duration
  try {
    duration = Duration.decode(input as Duration.DurationInput)
  } catch {
    return fail
  }
  return Duration.isFinite(duration) && Duration.greaterThan(duration, Duration.zero) ? Effect.succeed(duration) : fail
}

/**
 * The checks every client's configuration shares, in one place: the client id, the client
 * secret and the timeout (see {@link validateClientId}, {@link validateClientSecret},
 * {@link validateTimeout}).
 *
 * @since 0.1.0
 * @category validation
 */
/**
 * Checks a `maxBodyBytes` option: a positive whole number of bytes (default
 * `HttpExchange.DEFAULT_MAX_BODY_BYTES`, 64 MiB).
 *
 * @since 0.1.0
 * @category validation
 */
export const validateMaxBodyBytes = (input: unknown): Effect.Effect<number, InvalidInput> =>
  input === undefined
    ? Effect.succeed(DEFAULT_MAX_BODY_BYTES)
    : typeof input === "number" && Number.isSafeInteger(input) && input > 0
    ? Effect.succeed(input)
    : Effect.fail(new InvalidInput({ field: "maxBodyBytes", reason: "must be a positive whole number of bytes, such as 67108864 (64 MiB)" }))

export const validateCommon = (options: unknown): Effect.Effect<{
  readonly clientId: string
  readonly clientSecret: Option.Option<Redacted.Redacted<string>>
  readonly timeout: Duration.Duration
  readonly maxBodyBytes: number
}, InvalidInput> =>
  typeof options !== "object" || options === null
    ? Effect.fail(new InvalidInput({ field: "options", reason: "expected an object such as { clientId, clientSecret }" }))
    : Effect.all({
      clientId: validateClientId((options as { clientId?: unknown }).clientId),
      clientSecret: validateClientSecret((options as { clientSecret?: unknown }).clientSecret),
      timeout: validateTimeout((options as { timeout?: unknown }).timeout),
      maxBodyBytes: validateMaxBodyBytes((options as { maxBodyBytes?: unknown }).maxBodyBytes)
    })

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
  /** The largest answer body read, in bytes (default 64 MiB); a larger one fails with `ResponseTooLarge`. */
  readonly maxBodyBytes?: number | undefined
}

/**
 * The settings both backends read under their prefix: `{prefix}_CLIENT_ID`,
 * `{prefix}_CLIENT_SECRET`, `{prefix}_BASE_URL`, `{prefix}_AUTHORIZE_URL`, `{prefix}_TOKEN_URL`,
 * `{prefix}_REVOKE_URL`, `{prefix}_API_URL`, `{prefix}_TIMEOUT`; all but the client id optional.
 *
 * @since 0.1.0
 * @category layers
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
    timeout: optionalDuration(`${prefix}_TIMEOUT`),
    maxBodyBytes: Config.option(Config.integer(`${prefix}_MAX_BODY_BYTES`)).pipe(Config.map(Option.getOrUndefined))
  })
