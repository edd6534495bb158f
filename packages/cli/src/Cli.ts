/**
 * The `fitbit-effect` command: `setup`, `login`, `auth status|token|revoke|logout`, `api`, `types`,
 * and the commands of `./commands/` (`show`, `sync`, `export`, `listen`, `doctor`, `emulator`). Every command takes `--profile NAME` (default `default`) and `--base-url URL` (or
 * `GOOGLE_HEALTH_BASE_URL`: the emulator, say), and its `--help` shows an example.
 *
 * @since 0.1.0
 */
import * as Args from "@effect/cli/Args"
import * as Command from "@effect/cli/Command"
import * as Options from "@effect/cli/Options"
import * as Prompt from "@effect/cli/Prompt"
import type { FitbitHttp } from "@fitbit-effect/core"
import { GoogleAuth, GoogleDataTypeRules, GoogleDataTypes, GoogleHealthConfig, GoogleHealthHttp, GoogleHealthSession, GoogleUsers, LegacyFitbit, OAuthState, Pkce } from "@fitbit-effect/core"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import { baseUrlOption, checkProfile, err, help, profileOption, readStdin } from "./CommandParts.js"
import * as DataTypes from "./DataTypes.js"
import { ExitCode, fail } from "./ExitCode.js"
import type { CliFailure } from "./ExitCode.js"
import * as Home from "./Home.js"
import * as Loopback from "./Loopback.js"
import * as Output from "./Output.js"
import * as Services from "./Services.js"
import { exportCommand } from "./commands/export.js"
import { forgetArchivedGrant, syncCommand } from "./commands/sync.js"
import { emulatorCommand } from "./commands/emulator.js"
import { listenCommand } from "./commands/listen.js"
import { doctorCommand } from "./commands/doctor.js"
import { showCommand } from "./commands/show.js"

const out = (text: string) => Effect.promise(() => Output.write(text))

// ---- shared options -------------------------------------------------------------------------

const formatOption = Options.choice("format", Output.FORMATS).pipe(
  Options.optional,
  Options.withDescription("json, ndjson, csv or pretty (default: pretty on a terminal, JSON or NDJSON when piped).")
)

const yesOption = Options.boolean("yes").pipe(Options.withDescription("Confirm (the command changes what is stored)."))

const baseUrlOf = (option: Option.Option<string>): string | undefined => Option.getOrUndefined(option)

// ---- setup ----------------------------------------------------------------------------------

const setup = Command.make(
  "setup",
  {
    clientId: Options.text("client-id").pipe(Options.optional, Options.withDescription("The OAuth client id (Google Cloud console: a Desktop app client).")),
    secretFromStdin: Options.boolean("client-secret-stdin").pipe(Options.withDescription("Read the client secret from stdin (never from an argument).")),
    baseUrl: baseUrlOption
  },
  ({ baseUrl, clientId, secretFromStdin }) =>
    Effect.gen(function*() {
      const interactive = process.stdin.isTTY === true && !secretFromStdin
      const id = Option.isSome(clientId)
        ? clientId.value
        : interactive
        ? yield* Prompt.text({ message: "OAuth client id" })
        : yield* Effect.fail(fail(ExitCode.usage, "setup: give --client-id ID (and --client-secret-stdin), or run it on a terminal to be asked"))
      if (id.trim() === "") return yield* Effect.fail(fail(ExitCode.usage, "setup: the client id is empty"))
      const secret = secretFromStdin
        ? Redacted.make((yield* readStdin).replace(/\r?\n$/, ""))
        : interactive
        ? yield* Prompt.password({ message: "OAuth client secret (empty for a public client)" })
        : undefined
      if (secret !== undefined && /[\r\n]/.test(Redacted.value(secret))) {
        return yield* Effect.fail(fail(ExitCode.usage, "setup: the client secret read from stdin holds more than one line"))
      }
      // Not asked and not given (no terminal, no --client-secret-stdin): the same client keeps its stored secret.
      const stored = yield* Home.readConfig
      const reused = secret === undefined && stored.clientId === id.trim() && stored.clientSecret !== undefined
      const kept = reused ? Redacted.make(stored.clientSecret!) : secret === undefined || Redacted.value(secret) === "" ? undefined : secret
      const url = baseUrlOf(baseUrl)
      if (url !== undefined) yield* checkBaseUrl(url)
      const file = yield* Home.writeConfig({ clientId: id.trim(), clientSecret: kept, baseUrl: url })
      yield* err(`Wrote ${file} (client ${id.trim()}${kept === undefined ? ", no secret" : reused ? ", its secret kept from before" : ", secret kept"}${url === undefined ? ", Google's endpoints" : `, base URL ${url}`}).`)
    })
).pipe(Command.withDescription(help(
  "Stores the OAuth client (id, secret, and optionally a base URL) in $FITBIT_EFFECT_HOME/config.json (mode 0600). GOOGLE_HEALTH_CLIENT_ID and GOOGLE_HEALTH_CLIENT_SECRET, when set, win over it.",
  ["printf '%s' \"$SECRET\" | fitbit-effect setup --client-id 1234.apps.googleusercontent.com --client-secret-stdin", "fitbit-effect setup   # asks on a terminal"]
)))

const checkBaseUrl = (url: string) =>
  Effect.try({
    try: () => {
      const parsed = new URL(url)
      if (parsed.protocol !== "https:" && parsed.protocol !== "http:") throw new Error("not http(s)")
    },
    catch: () => fail(ExitCode.usage, `--base-url: ${JSON.stringify(url)} is not an http(s) URL`)
  })

// ---- login ----------------------------------------------------------------------------------

/** `sleep.readonly`, a full scope URL, or a list of them separated by commas or spaces. */
const scopesOf = (given: ReadonlyArray<string>): ReadonlyArray<string> => {
  const names = given.flatMap((item) => item.split(/[\s,]+/)).filter((name) => name !== "")
  if (names.length === 0) return GoogleAuth.READ_SCOPES
  return [...new Set(names.map((name) => name.includes("://") ? name : `${GoogleAuth.SCOPE_PREFIX}${name.replace(/^googlehealth\./, "")}`))]
}

const login = Command.make(
  "login",
  {
    profile: profileOption,
    baseUrl: baseUrlOption,
    scopes: Options.text("scopes").pipe(
      Options.repeated,
      Options.withDescription("Scopes to ask for: names such as sleep.readonly or full URLs, comma separated or repeated (default: activity_and_fitness, health_metrics_and_measurements, sleep, profile and settings, read-only).")
    ),
    noBrowser: Options.boolean("no-browser").pipe(Options.withDescription("Do not open a browser; only print the URL.")),
    port: Options.integer("port").pipe(Options.withDefault(0), Options.withDescription("The loopback port (default: a free one).")),
    timeout: Options.integer("timeout").pipe(Options.withDefault(300), Options.withDescription("Seconds to wait for the browser (default 300)."))
  },
  ({ baseUrl, noBrowser, port, profile, scopes, timeout }) =>
    Effect.gen(function*() {
      const key = yield* checkProfile(profile)
      if (port < 0 || port > 65535) return yield* Effect.fail(fail(ExitCode.usage, "--port: a port from 0 to 65535"))
      if (timeout < 1) return yield* Effect.fail(fail(ExitCode.usage, "--timeout: at least 1 second"))
      yield* Services.withSession(baseUrlOf(baseUrl), (client) =>
        Effect.gen(function*() {
          const loopback = yield* Loopback.start(port)
          const pkce = yield* Pkce.make()
          const state = yield* OAuthState.generate()
          const url = yield* GoogleAuth.authorizeUrl({
            scope: scopesOf(scopes),
            redirectUri: loopback.redirectUri,
            state,
            codeChallenge: pkce.challenge,
            accessType: "offline",
            prompt: "consent"
          })
          yield* err(`Open this URL: ${url}`)
          if (!noBrowser && Loopback.canOpenBrowser()) yield* Loopback.openBrowser(url)
          yield* err(`Waiting for the browser on ${loopback.redirectUri} (${timeout} s)…`)
          const callback = yield* loopback.callback.pipe(
            Effect.timeoutFail({
              duration: Duration.seconds(timeout),
              onTimeout: () => fail(ExitCode.network, `no answer from the browser within ${timeout} s; run login again (--timeout to wait longer)`)
            })
          )
          const params = callback.params
          const refused = params.get("error")
          if (refused !== null) {
            yield* callback.respond(400, "Login refused", `Google answered ${refused}. Nothing was stored; you can close this tab.`)
            return yield* Effect.fail(fail(
              refused === "access_denied" ? ExitCode.refused : ExitCode.api,
              refused === "access_denied" ? "consent was denied; nothing was stored" : `the authorization server answered ${JSON.stringify(refused)}; nothing was stored`
            ))
          }
          const verified = yield* Effect.either(OAuthState.verify(state, params.get("state")))
          if (Either.isLeft(verified)) {
            yield* callback.respond(400, "Login refused", "This answer does not belong to the login that is waiting (its state does not match). Nothing was stored.")
            return yield* Effect.fail(fail(ExitCode.refused, "refused the callback: its state does not match the one issued (nothing was stored)"))
          }
          const code = params.get("code")
          if (code === null || code === "") {
            yield* callback.respond(400, "Login failed", "The answer carried no code. Nothing was stored.")
            return yield* Effect.fail(fail(ExitCode.api, "the callback carried no code; nothing was stored"))
          }
          const sessions = yield* GoogleHealthSession.GoogleHealthSession
          const exchanged = yield* sessions.exchangeCode({ code, redirectUri: loopback.redirectUri, codeVerifier: pkce.verifier, key }).pipe(
            Effect.tapError(() => callback.respond(502, "Login failed", "The code could not be exchanged for a token; see the terminal."))
          )
          const identity = yield* GoogleUsers.getIdentity(exchanged.tokens.accessToken).pipe(Effect.option)
          const who: Pick<Home.ProfileInfo, "healthUserId" | "legacyUserId"> = Option.match(identity, {
            onNone: () => ({}),
            onSome: (found) => ({ healthUserId: found.healthUserId, legacyUserId: found.legacyUserId })
          })
          yield* Home.writeProfile(key, { ...who, baseUrl: client.baseUrl, loggedInAt: new Date().toISOString() })
          const name = who.healthUserId ?? "(the user's identity was not readable with these scopes)"
          yield* callback.respond(200, "Logged in", `fitbit-effect is logged in as ${name} (profile ${key}). You can close this tab.`)
          yield* out(`Logged in as ${name} (profile ${key}, ${exchanged.tokens.scopes.length} scopes).\n`)
        }).pipe(Effect.scoped))
    })
).pipe(Command.withDescription(help(
  "Logs a profile in with Google: opens the consent page (PKCE, a random state, offline access), waits for the redirect to a loopback server on 127.0.0.1, and stores the grant in $FITBIT_EFFECT_HOME/tokens.db. The URL is always printed on stderr.",
  ["fitbit-effect login", "fitbit-effect login --profile work --scopes sleep.readonly,profile.readonly --no-browser"]
)))

// ---- auth -----------------------------------------------------------------------------------

const notLoggedIn = (profile: string) =>
  fail(ExitCode.loginRequired, `profile ${JSON.stringify(profile)} is not logged in: run fitbit-effect login --profile ${profile}`)

const iso = (millis: number | undefined) => millis === undefined ? undefined : new Date(millis).toISOString()

const ago = (millis: number): string => {
  const seconds = Math.round(Math.abs(millis) / 1000)
  const text = seconds < 120 ? `${seconds} s` : seconds < 7200 ? `${Math.round(seconds / 60)} min` : seconds < 172800 ? `${Math.round(seconds / 3600)} h` : `${Math.round(seconds / 86400)} days`
  return millis >= 0 ? `${text} ago` : `in ${text}`
}

const status = Command.make(
  "status",
  { profile: profileOption, baseUrl: baseUrlOption, format: formatOption },
  ({ baseUrl, format, profile }) =>
    Services.withSession(baseUrlOf(baseUrl), () =>
      Effect.gen(function*() {
        const key = yield* checkProfile(profile)
        const sessions = yield* GoogleHealthSession.GoogleHealthSession
        const grant = yield* sessions.session.grant(key)
        if (Option.isNone(grant)) return yield* Effect.fail(notLoggedIn(key))
        const info = (yield* Home.readProfiles)[key] ?? {}
        const now = Date.now()
        const tokens = grant.value.tokens
        const report = {
          profile: key,
          user: info.healthUserId ?? null,
          legacyUserId: info.legacyUserId ?? null,
          status: grant.value.status,
          scopes: tokens.scopes,
          grantedAt: iso(grant.value.grantedAt) ?? null,
          refreshedAt: iso(grant.value.updatedAt) ?? null,
          expiresAt: iso(tokens.expiresAt) ?? null,
          expired: tokens.isExpired(now),
          refreshToken: tokens.refreshToken !== undefined,
          baseUrl: info.baseUrl ?? null
        }
        const chosen = Option.getOrElse(format, () => Output.stdoutIsTerminal() ? "pretty" as const : "json" as const)
        if (chosen !== "pretty") return yield* out(Output.render(report, chosen))
        yield* out([
          `profile:        ${key}`,
          `user:           ${report.user ?? "(unknown)"}${report.legacyUserId === null ? "" : ` (Fitbit ${report.legacyUserId})`}`,
          `status:         ${report.status === "active" ? "logged in" : "needs consent again (fitbit-effect login)"}`,
          `scopes:         ${tokens.scopes.map((scope) => scope.replace(GoogleAuth.SCOPE_PREFIX, "")).join(" ")}`,
          `granted:        ${grant.value.grantedAt === undefined ? "(unknown)" : `${report.grantedAt} (${ago(now - grant.value.grantedAt)})`}`,
          `token:          ${report.expired ? "expired" : "valid"}, expires ${report.expiresAt} (${ago(now - tokens.expiresAt)})`,
          `refresh token:  ${report.refreshToken ? "held" : "none (log in again when the token expires)"}`,
          ...(report.baseUrl === null ? [] : [`base URL:       ${report.baseUrl}`])
        ].join("\n") + "\n")
      }))
).pipe(Command.withDescription(help(
  "Shows a profile's login: the user, the scopes, when the grant was made and the token expires, whether a refresh token is held. Never a token.",
  ["fitbit-effect auth status", "fitbit-effect auth status --profile work --format json"]
)))

const token = Command.make(
  "token",
  { profile: profileOption, baseUrl: baseUrlOption },
  ({ baseUrl, profile }) =>
    Services.withProfileSession(baseUrlOf(baseUrl), profile, () =>
      Effect.gen(function*() {
        const key = yield* checkProfile(profile)
        const sessions = yield* GoogleHealthSession.GoogleHealthSession
        if (Option.isNone(yield* sessions.session.grant(key))) return yield* Effect.fail(notLoggedIn(key))
        const accessToken = yield* sessions.session.accessToken(key)
        yield* out(`${Redacted.value(accessToken)}\n`)
      }))
).pipe(Command.withDescription(help(
  "Prints the profile's access token (refreshed first when it has expired): the only command that prints a token.",
  ["fitbit-effect auth token --profile work", "curl -H \"Authorization: Bearer $(fitbit-effect auth token)\" https://health.googleapis.com/v4/users/me/identity"]
)))

const revoke = Command.make(
  "revoke",
  { profile: profileOption, baseUrl: baseUrlOption, yes: yesOption },
  ({ baseUrl, profile, yes }) =>
    Effect.gen(function*() {
      const key = yield* checkProfile(profile)
      if (!yes) return yield* Effect.fail(fail(ExitCode.usage, `revoke ends profile ${key}'s grant at Google and forgets it: add --yes`))
      yield* Services.withProfileSession(baseUrlOf(baseUrl), key, () =>
        Effect.gen(function*() {
          const sessions = yield* GoogleHealthSession.GoogleHealthSession
          if (Option.isNone(yield* sessions.session.grant(key))) return yield* Effect.fail(notLoggedIn(key))
          yield* sessions.revoke(key)
          yield* Home.writeProfile(key, undefined)
          yield* forgetArchivedGrant(key)
          yield* err(`Revoked and forgot profile ${key}.`)
        }))
    })
).pipe(Command.withDescription(help(
  "Revokes the profile's grant at Google and forgets it here (--yes to confirm).",
  ["fitbit-effect auth revoke --profile work --yes"]
)))

const logout = Command.make(
  "logout",
  { profile: profileOption, baseUrl: baseUrlOption, yes: yesOption },
  ({ baseUrl, profile, yes }) =>
    Effect.gen(function*() {
      const key = yield* checkProfile(profile)
      if (!yes) return yield* Effect.fail(fail(ExitCode.usage, `logout forgets profile ${key}'s grant here (Google keeps it; auth revoke ends it): add --yes`))
      yield* Services.withSession(baseUrlOf(baseUrl), () =>
        Effect.gen(function*() {
          const sessions = yield* GoogleHealthSession.GoogleHealthSession
          if (Option.isNone(yield* sessions.session.grant(key))) return yield* Effect.fail(notLoggedIn(key))
          yield* sessions.session.remove(key)
          yield* Home.writeProfile(key, undefined)
          yield* forgetArchivedGrant(key)
          yield* err(`Forgot profile ${key} (the grant stands at Google: auth revoke ends it).`)
        }))
    })
).pipe(Command.withDescription(help(
  "Forgets the profile's grant here, without telling Google (--yes to confirm).",
  ["fitbit-effect auth logout --yes"]
)))

const auth = Command.make("auth").pipe(
  Command.withSubcommands([status, token, revoke, logout]),
  Command.withDescription(help("The stored logins: status, token, revoke, logout.", ["fitbit-effect auth status"]))
)

// ---- api ------------------------------------------------------------------------------------

const METHODS = ["GET", "POST", "PATCH", "PUT", "DELETE"] as const
type Method = typeof METHODS[number]

const methodOf = (given: string): Effect.Effect<Method, ReturnType<typeof fail>> => {
  const upper = given.toUpperCase()
  return (METHODS as ReadonlyArray<string>).includes(upper)
    ? Effect.succeed(upper as Method)
    : Effect.fail(fail(ExitCode.usage, `METHOD: ${JSON.stringify(given)} is not one of ${METHODS.join(", ")}`))
}

const parseQuery = (items: ReadonlyArray<string>) =>
  Effect.gen(function*() {
    const query: Record<string, string | Array<string>> = {}
    for (const item of items) {
      const at = item.indexOf("=")
      if (at <= 0) return yield* Effect.fail(fail(ExitCode.usage, `--query: ${JSON.stringify(item)} is not key=value`))
      const key = item.slice(0, at)
      const value = item.slice(at + 1)
      const existing = query[key]
      query[key] = existing === undefined ? value : Array.isArray(existing) ? [...existing, value] : [existing, value]
    }
    return query
  })

const parseData = (data: Option.Option<string>) =>
  Effect.gen(function*() {
    if (Option.isNone(data)) return undefined
    const text = data.value === "-" ? yield* readStdin : data.value
    return yield* Effect.try({
      try: () => JSON.parse(text) as unknown,
      catch: () => fail(ExitCode.usage, "--data: not valid JSON (give a JSON value, or - to read it from stdin)")
    })
  })

/** A path segment decoded, or `undefined` when its percent-escapes are malformed (`%E0`). */
const decoded = (segment: string): string | undefined => {
  try {
    return decodeURIComponent(segment)
  } catch {
    return undefined
  }
}

const malformed = (path: string) => fail(ExitCode.usage, `PATH: ${JSON.stringify(path)} has a malformed percent-escape`)

/** A Google resource path: `/v4/users/…`, `/v4beta/users/…` or `users/…`. */
const resourcePath = (normalised: string) => {
  // A data type this library does not know is most likely a typo: Google would answer an empty page or a 404.
  const named = /\/dataTypes\/([^/:?]+)/.exec(normalised)
  if (named === null) return Effect.succeed(normalised)
  const type = decoded(named[1])
  if (type === undefined) return Effect.fail(malformed(normalised))
  if (!Object.prototype.hasOwnProperty.call(GoogleDataTypeRules.RULES, type)) {
    return Effect.fail(fail(ExitCode.usage, `unknown data type ${JSON.stringify(type)}: did you mean ${JSON.stringify(GoogleDataTypes.nearestDataType(type))}? (fitbit-effect types lists them)`))
  }
  return Effect.succeed(normalised)
}

/** A fitbit-node path (`/1/user/-/…`, `/1.2/user/-/…`, `/1/…`): its version, user and the path after them. */
interface LegacyPath {
  readonly version: string
  readonly userId: string | false
  readonly path: string
}

/** The legacy path's parts; `undefined` for a Google path; a usage failure for a malformed user segment. */
const legacyPath = (normalised: string): Either.Either<LegacyPath, CliFailure> | undefined => {
  const found = /^\/(1|1\.2)(\/user\/([^/]+))?(\/.*)$/.exec(normalised)
  if (found === null) return undefined
  const userId = found[3] === undefined ? false : decoded(found[3])
  if (userId === undefined) return Either.left(malformed(normalised))
  return Either.right({ version: found[1]!, userId, path: found[4]! })
}

/** The query of `--query`, appended to a legacy path (fitbit-node puts it in the path). */
const withQuery = (path: string, query: Record<string, string | Array<string>>) => {
  const params = new URLSearchParams()
  for (const [key, value] of Object.entries(query)) for (const item of Array.isArray(value) ? value : [value]) params.append(key, item)
  const text = params.toString()
  return text === "" ? path : `${path}${path.includes("?") ? "&" : "?"}${text}`
}

/** What `api` was asked, checked. */
interface ApiCall {
  readonly key: string
  readonly method: Method
  readonly query: Record<string, string | Array<string>>
  readonly body: unknown
  readonly paginate: boolean
  readonly dryRun: boolean
  readonly format: Option.Option<Output.Format>
  readonly baseUrl: string | undefined
}

/**
 * `api` on a fitbit-node path: answered from Google Health by core's `LegacyOnGoogle`, as the
 * fitbit-node drop-in answers it (the same translation, the same legacy JSON), with the profile's token.
 */
const legacyApi = (call: ApiCall, legacy: LegacyPath) =>
  Effect.gen(function*() {
    const { body, key, method } = call
    if (call.paginate) {
      return yield* Effect.fail(fail(ExitCode.usage, "--paginate follows Google's nextPageToken: a legacy path answers in one (give the Google resource path, /v4/users/me/dataTypes/…, to page)"))
    }
    if (method === "PATCH") return yield* Effect.fail(fail(ExitCode.usage, "METHOD: fitbit-node's paths take GET, POST, PUT or DELETE"))
    if (body !== undefined && (typeof body !== "object" || body === null || Array.isArray(body))) {
      return yield* Effect.fail(fail(ExitCode.usage, "--data: a legacy path takes a JSON object (its fields are sent as fitbit-node sends a form)"))
    }
    const path = withQuery(legacy.path, call.query)
    const display = `${method} /${legacy.version}${legacy.userId === false ? "" : `/user/${legacy.userId}`}${path}`
    if (call.dryRun) {
      const found = LegacyFitbit.Routes.match(method, legacy.path)
      const closest = LegacyFitbit.Routes.closestGoogleMethod(legacy.path)
      const lines = [
        display,
        "(fitbit-node's path: answered from Google Health as @fitbit-effect/node's fitbit-node drop-in answers it)",
        found === undefined
          ? `not translated: the answer would be Fitbit's 404 or 501${closest === undefined ? "" : ` (the closest Google Health method is ${closest})`}`
          : `Google Health calls: ${found.route.google}`,
        ...(found === undefined || found.route.differs === "" ? [] : [`differs from Fitbit's answer: ${found.route.differs}`]),
        `authorization: Bearer <redacted: profile ${key}'s access token>`,
        ...(body === undefined ? [] : ["", JSON.stringify(body, null, 2)])
      ]
      return yield* out(`${lines.join("\n")}\n`)
    }
    yield* Services.withProfileSession(call.baseUrl, key, () =>
      Effect.gen(function*() {
        const sessions = yield* GoogleHealthSession.GoogleHealthSession
        if (Option.isNone(yield* sessions.session.grant(key))) return yield* Effect.fail(notLoggedIn(key))
        // Made inside: the session's GoogleHealthHttp there refreshes a token Google refuses and sends again.
        const response = yield* sessions.withAccessToken(key, (accessToken) =>
          Effect.flatMap(LegacyFitbit.LegacyOnGoogle.make({ apiVersion: legacy.version }), (fitbit) =>
            fitbit.request({
              method,
              path,
              accessToken,
              userId: legacy.userId,
              apiVersion: legacy.version,
              ...(body === undefined ? {} : { body: body as FitbitHttp.Body })
            })))
        const chosen = Option.getOrElse(call.format, () => Output.defaultFormat(false))
        yield* out(response.body === undefined ? "" : Output.render(response.body, chosen))
      }))
  })

const api = Command.make(
  "api",
  {
    method: Args.text({ name: "METHOD" }).pipe(Args.withDescription("GET, POST, PATCH or DELETE (PUT on fitbit-node's paths).")),
    path: Args.text({ name: "PATH" }).pipe(Args.withDescription("A Google Health resource path (/v4/users/me/…, users/me/…) or a fitbit-node path (/1/user/-/…, answered from Google Health).")),
    profile: profileOption,
    baseUrl: baseUrlOption,
    data: Options.text("data").pipe(Options.optional, Options.withDescription("A JSON body, or - to read it from stdin.")),
    query: Options.text("query").pipe(Options.repeated, Options.withDescription("A query parameter key=value (repeat for more).")),
    paginate: Options.boolean("paginate").pipe(Options.withDescription("Follow nextPageToken and emit every item of the pages' array (NDJSON when piped).")),
    dryRun: Options.boolean("dry-run").pipe(Options.withDescription("Print the request (token redacted) and send nothing.")),
    format: formatOption
  },
  ({ baseUrl, data, dryRun, format, method: given, paginate, path, profile, query }) =>
    Effect.gen(function*() {
      const key = yield* checkProfile(profile)
      const method = yield* methodOf(given)
      const normalised = path.startsWith("/") ? path : `/${path}`
      const params = yield* parseQuery(query)
      const body = yield* parseData(data)
      const legacy = legacyPath(normalised)
      if (legacy !== undefined) {
        if (Either.isLeft(legacy)) return yield* Effect.fail(legacy.left)
        return yield* legacyApi({ key, method, query: params, body, paginate, dryRun, format, baseUrl: baseUrlOf(baseUrl) }, legacy.right)
      }
      if (method === "PUT") return yield* Effect.fail(fail(ExitCode.usage, "METHOD: Google Health updates with PATCH (PUT is for fitbit-node's paths)"))
      const resource = yield* resourcePath(normalised)
      if (paginate && method !== "GET") return yield* Effect.fail(fail(ExitCode.usage, "--paginate follows the pages of a GET"))
      if (dryRun) {
        return yield* Services.withClient(baseUrlOf(baseUrl), () =>
          Effect.gen(function*() {
            const config = yield* GoogleHealthConfig.GoogleHealthConfig
            const url = GoogleHealthHttp.buildUrl(config, resource, params)
            if (Either.isLeft(url)) return yield* Effect.fail(url.left)
            const lines = [
              `${method} ${url.right}`,
              "accept: application/json",
              `authorization: Bearer <redacted: profile ${key}'s access token>`,
              ...(body === undefined ? [] : ["content-type: application/json", "", JSON.stringify(body, null, 2)])
            ]
            yield* out(`${lines.join("\n")}\n`)
          }))
      }
      yield* Services.withProfileSession(baseUrlOf(baseUrl), key, () =>
        Effect.gen(function*() {
          const sessions = yield* GoogleHealthSession.GoogleHealthSession
          if (Option.isNone(yield* sessions.session.grant(key))) return yield* Effect.fail(notLoggedIn(key))
          const send = (extra: Record<string, string>) =>
            sessions.request(key, { method, path: resource, query: { ...params, ...extra }, ...(body === undefined ? {} : { body }) })
          if (!paginate) {
            const response = yield* send({})
            const chosen = Option.getOrElse(format, () => Output.defaultFormat(false))
            return yield* out(typeof response.body === "string" ? response.body : response.body === undefined ? "" : Output.render(response.body, chosen))
          }
          const chosen = Option.getOrElse(format, () => Output.defaultFormat(true))
          const buffered: Array<unknown> = []
          let pageToken: string | undefined = undefined
          let pages = 0
          do {
            const response = yield* send(pageToken === undefined ? {} : { pageToken })
            pages++
            const page = response.body as Record<string, unknown> | undefined
            const field = Output.itemsField(page)
            const items = field === undefined || page === undefined ? [] : page[field] as ReadonlyArray<unknown>
            if (chosen === "ndjson") yield* out(items.map((item) => `${JSON.stringify(item)}\n`).join(""))
            else if (chosen === "pretty") yield* out(items.map((item) => `${JSON.stringify(item, null, 2)}\n`).join(""))
            else buffered.push(...items)
            const next = page?.nextPageToken
            pageToken = typeof next === "string" && next !== "" ? next : undefined
            if (pages > 100_000) return yield* Effect.fail(fail(ExitCode.api, "more than 100,000 pages: stopped"))
          } while (pageToken !== undefined)
          if (chosen === "json") yield* out(`${JSON.stringify(buffered)}\n`)
          if (chosen === "csv") yield* out(Output.toCsv(buffered))
        }))
    })
).pipe(Command.withDescription(help(
  "Calls a Google Health resource path, or a fitbit-node path (/1/user/-/…, answered from Google Health as the drop-in answers it), with the profile's token (refreshed when needed) and prints the answer: pretty on a terminal, JSON when piped, NDJSON with --paginate, CSV with --format csv.",
  [
    "fitbit-effect api GET /v4/users/me/identity",
    "fitbit-effect api GET users/me/dataTypes/steps/dataPoints --query pageSize=100 --paginate --format csv > steps.csv",
    "fitbit-effect api GET /1/user/-/activities/steps/date/today/1w.json",
    "fitbit-effect api POST users/me/dataTypes/weight/dataPoints --data '{\"weight\":{\"sampleTime\":{\"physicalTime\":\"2026-11-25T08:00:00Z\"},\"weightGrams\":70000}}' --dry-run"
  ]
)))

// ---- types ----------------------------------------------------------------------------------

const TYPE_COLUMNS = ["type", "channel", "placement", "methods", "pageSize", "filter", "rollUpDays", "scope"]

const describeType = Command.make(
  "describe",
  { type: Args.text({ name: "TYPE" }), format: formatOption },
  ({ format, type }) =>
    Effect.gen(function*() {
      const described = DataTypes.describe(type)
      if (Either.isLeft(described)) return yield* Effect.fail(described.left)
      const { fields, pointField, rule } = described.right
      const chosen = Option.getOrElse(format, () => Output.stdoutIsTerminal() ? "pretty" as const : "json" as const)
      if (chosen === "json") return yield* out(`${JSON.stringify({ ...rule, pointField: pointField ?? null, fields })}\n`)
      if (chosen === "ndjson" || chosen === "csv") return yield* out(Output.render(fields, chosen))
      yield* out([
        `${rule.type}`,
        `  channel:        ${rule.channel}`,
        `  placement:      ${rule.placement}`,
        `  methods:        ${rule.methods}`,
        `  page size:      ${rule.pageSize} (default/max)`,
        `  filter:         ${rule.filter}`,
        `  roll-up reach:  ${rule.rollUpDays === "" ? "no roll-ups" : `${rule.rollUpDays} days`}`,
        `  data source:    ${rule.sourceFamily ? "list takes dataSourceFamily" : "no dataSourceFamily on list"}`,
        `  scope:          ${rule.scope}.readonly (read), ${rule.scope}.writeonly (write)`,
        "",
        pointField === undefined ? "  (roll-ups only: no data points of its own)" : `  fields of a data point (JSON, under "${pointField}"):`,
        ...(fields.length === 0 ? [] : [DataTypes.table(fields.map((f) => ({ ...f, optional: f.optional ? "optional" : "" })), ["field", "type", "unit", "optional"]).replace(/^/gm, "    ").trimEnd()])
      ].join("\n") + "\n")
    })
).pipe(Command.withDescription(help(
  "Describes a data type: Google's rules for it and the fields of its data points.",
  ["fitbit-effect types describe sleep", "fitbit-effect types describe heart-rate --format csv"]
)))

const types = Command.make(
  "types",
  { format: formatOption },
  ({ format }) =>
    Effect.gen(function*() {
      const rows = DataTypes.rows()
      const chosen = Option.getOrUndefined(format)
      if (chosen === undefined || chosen === "pretty") {
        return yield* out(DataTypes.table(rows as unknown as ReadonlyArray<Record<string, unknown>>, TYPE_COLUMNS))
      }
      yield* out(Output.render(rows, chosen))
    })
).pipe(
  Command.withSubcommands([describeType]),
  Command.withDescription(help(
    "Lists every Google Health data type with Google's rules: channel, placement, methods, page size (default/max), filter fields and operators, roll-up reach in days, scope.",
    ["fitbit-effect types", "fitbit-effect types --format csv", "fitbit-effect types describe steps"]
  ))
)

// ---- the command ----------------------------------------------------------------------------

/**
 * The root command.
 *
 * @since 0.1.0
 * @category handlers
 */
export const command = Command.make("fitbit-effect").pipe(
  Command.withSubcommands([setup, login, auth, api, types, syncCommand, exportCommand, listenCommand, emulatorCommand, showCommand, doctorCommand]),
  Command.withDescription(help(
    "The Google Health API from a shell: store your OAuth client (setup), log in (login), inspect logins (auth), call the API on Google's or fitbit-node's paths (api), read Google's rules per data type (types), chart your days (show), sync and export your data into a local archive (sync, export), receive notifications (listen), check your setup (doctor), run the local emulator (emulator). Works against the emulator with --base-url or GOOGLE_HEALTH_BASE_URL. Exit codes: 0 ok, 1 unexpected, 2 usage, 3 login needed, 4 API error, 5 network/5xx/timeout, 6 refused by the user, 7 not configured, 8 a doctor check failed, 9 another process syncs the archive, 130 stopped by Ctrl-C.",
    ["fitbit-effect setup --client-id ID --client-secret-stdin < secret.txt", "fitbit-effect login", "fitbit-effect api GET users/me/identity", "fitbit-effect show steps --days 14", "fitbit-effect export --types steps,sleep --since 90 --format csv --out health.csv"]
  ))
)

/**
 * The command as a function of `process.argv`.
 *
 * @since 0.1.0
 * @category handlers
 */
export const run = Command.run(command, { name: "fitbit-effect", version: "0.1.0" })
