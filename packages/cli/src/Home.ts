/**
 * Where the command keeps its files: `$FITBIT_EFFECT_HOME` (default `$XDG_CONFIG_HOME/fitbit-effect`,
 * else `~/.config/fitbit-effect`), a directory of mode 0700 holding `config.json` (the OAuth client,
 * mode 0600), `tokens.db` (the grants, one per profile, in the SQLite token store, mode 0600) and
 * `profiles.json` (who each profile is: no token, mode 0600).
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"
import * as Fs from "node:fs"
import * as Os from "node:os"
import * as NodePath from "node:path"
import { ExitCode, fail } from "./ExitCode.js"
import type { CliFailure } from "./ExitCode.js"

/**
 * Google Health's API origin (shown when no base URL is configured; consent and tokens have their own hosts).
 *
 * @since 0.1.0
 * @category constants
 */
export const GOOGLE_BASE_URL = "https://health.googleapis.com"

/**
 * The directory of the command's files.
 *
 * @since 0.1.0
 * @category utils
 */
export const home = (): string => {
  const explicit = process.env.FITBIT_EFFECT_HOME
  if (explicit !== undefined && explicit !== "") return NodePath.resolve(explicit)
  const xdg = process.env.XDG_CONFIG_HOME
  return NodePath.join(xdg !== undefined && xdg !== "" ? xdg : NodePath.join(Os.homedir(), ".config"), "fitbit-effect")
}

/** @since 0.1.0 @category paths */
export const configFile = (): string => NodePath.join(home(), "config.json")
/** @since 0.1.0 @category paths */
export const tokensFile = (): string => NodePath.join(home(), "tokens.db")
/** @since 0.1.0 @category paths */
export const profilesFile = (): string => NodePath.join(home(), "profiles.json")

/**
 * What `config.json` holds.
 *
 * @since 0.1.0
 * @category models
 */
export interface StoredConfig {
  readonly clientId?: string | undefined
  readonly clientSecret?: string | undefined
  readonly baseUrl?: string | undefined
}

/**
 * The client a command runs with: the environment's `GOOGLE_HEALTH_CLIENT_ID` and
 * `GOOGLE_HEALTH_CLIENT_SECRET` win over `config.json`; the base URL is `--base-url`, else
 * `GOOGLE_HEALTH_BASE_URL`, else the config's, else none: Google's own endpoints (the API at
 * health.googleapis.com, consent at accounts.google.com, tokens at oauth2.googleapis.com).
 *
 * @since 0.1.0
 * @category models
 */
export interface Client {
  readonly clientId: string
  readonly clientSecret: Redacted.Redacted<string> | undefined
  /** One origin for every endpoint (the emulator); `undefined`: Google's own endpoints. */
  readonly baseUrl: string | undefined
}

/**
 * Where a client's calls go, for people: its base URL, or Google's endpoints.
 *
 * @since 0.1.0
 * @category formatting
 */
export const describeBaseUrl = (client: Client): string => client.baseUrl ?? `${GOOGLE_BASE_URL} (Google's endpoints)`

const unreadable = (file: string, cause: unknown): CliFailure =>
  fail(ExitCode.config, `cannot read ${file}: ${cause instanceof Error ? cause.message.replace(/\s+/g, " ") : "unreadable"}`)

/**
 * Reads `config.json` (an empty config when there is none).
 *
 * @since 0.1.0
 * @category services
 */
export const readConfig: Effect.Effect<StoredConfig, CliFailure> = Effect.suspend(() => {
  const file = configFile()
  if (!Fs.existsSync(file)) return Effect.succeed({})
  return Effect.try({
    try: () => {
      const parsed: unknown = JSON.parse(Fs.readFileSync(file, "utf8"))
      if (typeof parsed !== "object" || parsed === null) throw new Error("not a JSON object")
      const record = parsed as Record<string, unknown>
      const text = (key: string) => (typeof record[key] === "string" && record[key] !== "" ? record[key] as string : undefined)
      return { clientId: text("clientId"), clientSecret: text("clientSecret"), baseUrl: text("baseUrl") }
    },
    // The parse error of a JSON file may quote its text, the secret included: never shown.
    catch: (cause) => unreadable(file, cause instanceof SyntaxError ? new Error("not valid JSON") : cause)
  })
})

const nonEmpty = (value: string | undefined): string | undefined => value === undefined || value === "" ? undefined : value

/**
 * The client, from the environment and `config.json`.
 *
 * @since 0.1.0
 * @category services
 */
export const client = (baseUrlFlag: string | undefined): Effect.Effect<Client, CliFailure> =>
  Effect.flatMap(readConfig, (stored) => {
    const clientId = nonEmpty(process.env.GOOGLE_HEALTH_CLIENT_ID) ?? stored.clientId
    const secret = nonEmpty(process.env.GOOGLE_HEALTH_CLIENT_SECRET) ?? stored.clientSecret
    // No base URL: Google's own endpoints, each on its host (one origin for all would send consent and tokens to the API's).
    const baseUrl = nonEmpty(baseUrlFlag) ?? nonEmpty(process.env.GOOGLE_HEALTH_BASE_URL) ?? stored.baseUrl
    if (clientId === undefined) {
      return Effect.fail(fail(ExitCode.config, `no OAuth client configured: run "fitbit-effect setup --client-id ID --client-secret-stdin" or set GOOGLE_HEALTH_CLIENT_ID and GOOGLE_HEALTH_CLIENT_SECRET`))
    }
    return Effect.succeed({ clientId, clientSecret: secret === undefined ? undefined : Redacted.make(secret), baseUrl: baseUrl?.replace(/\/+$/, "") })
  })

/** Creates the home directory with mode 0700 (and makes an existing one 0700). */
const ensureHome = (): void => {
  const dir = home()
  Fs.mkdirSync(dir, { recursive: true, mode: 0o700 })
  Fs.chmodSync(dir, 0o700)
}

/**
 * Writes a file of the home directory with mode 0600, whole or not at all (a temporary file renamed).
 *
 * @since 0.1.0
 * @category services
 */
export const writePrivate = (file: string, text: string): Effect.Effect<void, CliFailure> =>
  Effect.try({
    try: () => {
      ensureHome()
      const temporary = `${file}.${process.pid}.tmp`
      const fd = Fs.openSync(temporary, Fs.constants.O_CREAT | Fs.constants.O_WRONLY | Fs.constants.O_TRUNC, 0o600)
      try {
        Fs.fchmodSync(fd, 0o600)
        Fs.writeSync(fd, text)
        Fs.fsyncSync(fd)
      } finally {
        Fs.closeSync(fd)
      }
      Fs.renameSync(temporary, file)
    },
    catch: (cause) => fail(ExitCode.unexpected, `cannot write ${file}: ${cause instanceof Error ? cause.message : "failed"}`)
  })

/**
 * Writes `config.json`.
 *
 * @since 0.1.0
 * @category services
 */
export const writeConfig = (config: {
  readonly clientId: string
  readonly clientSecret: Redacted.Redacted<string> | undefined
  readonly baseUrl: string | undefined
}): Effect.Effect<string, CliFailure> => {
  const file = configFile()
  const body = {
    clientId: config.clientId,
    ...(config.clientSecret === undefined ? {} : { clientSecret: Redacted.value(config.clientSecret) }),
    ...(config.baseUrl === undefined ? {} : { baseUrl: config.baseUrl })
  }
  return Effect.as(writePrivate(file, `${JSON.stringify(body, null, 2)}\n`), file)
}

/**
 * Who a profile is, as recorded at login (no token).
 *
 * @since 0.1.0
 * @category models
 */
export interface ProfileInfo {
  readonly healthUserId?: string | undefined
  readonly legacyUserId?: string | undefined
  readonly baseUrl?: string | undefined
  readonly loggedInAt?: string | undefined
}

/**
 * Every profile's record.
 *
 * @since 0.1.0
 * @category tokens
 */
export const readProfiles: Effect.Effect<Record<string, ProfileInfo>, CliFailure> = Effect.suspend(() => {
  const file = profilesFile()
  if (!Fs.existsSync(file)) return Effect.succeed({})
  return Effect.try({
    try: () => {
      const parsed: unknown = JSON.parse(Fs.readFileSync(file, "utf8"))
      return typeof parsed === "object" && parsed !== null ? parsed as Record<string, ProfileInfo> : {}
    },
    catch: (cause) => unreadable(file, cause)
  })
})

/**
 * Records (or with `undefined`, forgets) a profile.
 *
 * @since 0.1.0
 * @category tokens
 */
export const writeProfile = (profile: string, info: ProfileInfo | undefined): Effect.Effect<void, CliFailure> =>
  Effect.flatMap(readProfiles, (profiles) => {
    const next = { ...profiles }
    if (info === undefined) delete next[profile]
    else next[profile] = info
    return writePrivate(profilesFile(), `${JSON.stringify(next, null, 2)}\n`)
  })

/** A base URL as recorded or configured; Google's API origin and none are the same: Google's endpoints. */
const originOf = (baseUrl: string | undefined): string | undefined => baseUrl === GOOGLE_BASE_URL ? undefined : baseUrl

/**
 * Fails unless the client sends to where the profile logged in: a grant made at one server (the
 * emulator, or Google) is never sent to another (a token of Google's to whatever a base URL names).
 * A profile without a record passes (its grant, if any, says the rest).
 *
 * @since 0.1.0
 * @category tokens
 */
export const checkProfileOrigin = (profile: string, client: Client): Effect.Effect<void, CliFailure> =>
  Effect.flatMap(readProfiles, (profiles) => {
    const info = profiles[profile]
    if (info === undefined || !("baseUrl" in info)) return Effect.void
    const loggedInAt = originOf(info.baseUrl)
    const now = originOf(client.baseUrl)
    if (loggedInAt === now) return Effect.void
    const named = (origin: string | undefined) => origin ?? "Google's endpoints"
    return Effect.fail(fail(
      ExitCode.config,
      `profile ${profile} logged in at ${named(loggedInAt)}, but this command would send its token to ${named(now)}: ${loggedInAt === undefined ? "drop --base-url / GOOGLE_HEALTH_BASE_URL / the config's baseUrl" : `pass --base-url ${loggedInAt}`}, or log in again (fitbit-effect login --profile ${profile})`
    ))
  })

