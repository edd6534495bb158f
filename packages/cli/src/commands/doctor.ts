/**
 * `fitbit-effect doctor [--profile] [--scopes]`: checks what a working login needs, one line each
 * with ✓, ! (a warning) or ✗ and a fix: the configuration (no secret printed), the token endpoint and
 * the API reachable (5 s each), the profile logged in, its scopes against the ones asked for, the
 * token's age and expiry, the Testing-mode 7-day limit of refresh tokens, the clock's skew against
 * the API's `Date`. Exits {@link DOCTOR_FAILED} when a check fails.
 *
 * @since 0.1.0
 */
import * as Command from "@effect/cli/Command"
import * as Options from "@effect/cli/Options"
import { GoogleAuth, GoogleHealthConfig, GoogleHealthSession } from "@fitbit-effect/core"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import { baseUrlOption, checkProfile, help, profileOption } from "../CommandParts.js"
import { fail } from "../ExitCode.js"
import * as Home from "../Home.js"
import * as Services from "../Services.js"

/**
 * The exit code of `doctor` when a check fails (warnings alone exit 0).
 *
 * @since 0.1.0
 * @category constants
 */
export const DOCTOR_FAILED = 8

const DAY = 86_400_000
const TIMEOUT_MS = 5_000
const MAX_SKEW_MS = 60_000

interface Check {
  readonly status: "ok" | "warn" | "fail"
  readonly line: string
  readonly fix?: string
}

const mark = { ok: "✓", warn: "!", fail: "✗" } as const
const ok = (line: string): Check => ({ status: "ok", line })
const warn = (line: string, fix: string): Check => ({ status: "warn", line, fix })
const bad = (line: string, fix: string): Check => ({ status: "fail", line, fix })

const ago = (ms: number): string => {
  const abs = Math.abs(ms)
  const text = abs < 60_000 ? `${Math.round(abs / 1000)} s` : abs < 3_600_000 ? `${Math.round(abs / 60_000)} min` : abs < DAY ? `${(abs / 3_600_000).toFixed(1)} h` : `${(abs / DAY).toFixed(1)} days`
  return ms >= 0 ? `${text} ago` : `in ${text}`
}

/** Any HTTP answer within 5 s: reachable; its `Date` header, if any. */
const probe = (method: "HEAD" | "GET", url: string) =>
  Effect.promise(async () => {
    const started = Date.now()
    try {
      const answer = await fetch(url, { method, signal: AbortSignal.timeout(TIMEOUT_MS), redirect: "manual" })
      await answer.body?.cancel()
      return { reached: true as const, status: answer.status, date: answer.headers.get("date"), at: (started + Date.now()) / 2 }
    } catch (error) {
      // fetch's TypeError carries the reason in its cause (an AggregateError when several addresses were tried).
      const inner = (error as { cause?: { code?: string; message?: string; errors?: ReadonlyArray<{ code?: string }> } }).cause
      const cause = inner?.code ?? inner?.errors?.find((e) => e.code !== undefined)?.code ?? inner?.message ?? (error instanceof Error ? error.name : "error")
      return { reached: false as const, why: cause === "TimeoutError" ? `no answer within ${TIMEOUT_MS / 1000} s` : String(cause) }
    }
  })

const scopesOf = (given: ReadonlyArray<string>): ReadonlyArray<string> => {
  const names = given.flatMap((item) => item.split(/[\s,]+/)).filter((name) => name !== "")
  if (names.length === 0) return GoogleAuth.READ_SCOPES
  return [...new Set(names.map((name) => name.includes("://") ? name : `${GoogleAuth.SCOPE_PREFIX}${name.replace(/^googlehealth\./, "")}`))]
}

/**
 * `fitbit-effect doctor`.
 *
 * @since 0.1.0
 * @category handlers
 */
export const doctorCommand = Command.make(
  "doctor",
  {
    profile: profileOption,
    baseUrl: baseUrlOption,
    scopes: Options.text("scopes").pipe(
      Options.repeated,
      Options.withDescription("The scopes the app needs (names or URLs, comma separated or repeated; default the read scopes login asks for).")
    )
  },
  ({ baseUrl, profile, scopes }) =>
    Effect.gen(function*() {
      yield* checkProfile(profile)
      const checks: Array<Check> = []
      const report = (check: Check) =>
        Effect.sync(() => {
          checks.push(check)
          process.stdout.write(`${mark[check.status]} ${check.line}${check.fix === undefined ? "" : `\n    fix: ${check.fix}`}\n`)
        })
      const client = yield* Effect.either(Home.client(Option.getOrUndefined(baseUrl)))
      if (client._tag === "Left") {
        yield* report(bad("configuration: no OAuth client", "fitbit-effect setup --client-id ID --client-secret-stdin (or GOOGLE_HEALTH_CLIENT_ID / GOOGLE_HEALTH_CLIENT_SECRET)"))
      } else {
        const c = client.right
        yield* report(c.clientSecret === undefined
          ? warn(`configuration: client ${c.clientId}, no secret (a public client), base URL ${Home.describeBaseUrl(c)}`, "a Desktop app client of Google needs its secret: printf '%s' \"$SECRET\" | fitbit-effect setup --client-id ID --client-secret-stdin")
          : ok(`configuration: client ${c.clientId}, secret present, base URL ${Home.describeBaseUrl(c)}`))
        yield* Services.withSession(c.baseUrl, () =>
          Effect.gen(function*() {
            const config = yield* GoogleHealthConfig.GoogleHealthConfig
            const [tokenEndpoint, api] = yield* Effect.all([
              probe("HEAD", config.tokenUrl),
              probe("GET", `${config.apiBaseUrl}/v4/users/me/identity`)
            ], { concurrency: 2 })
            yield* report(tokenEndpoint.reached
              ? ok(`token endpoint reachable: ${config.tokenUrl} (a HEAD answered HTTP ${tokenEndpoint.status}; it takes POSTs)`)
              : bad(`token endpoint unreachable: ${config.tokenUrl} (${tokenEndpoint.why})`, "check the network, a proxy, or --base-url / GOOGLE_HEALTH_BASE_URL"))
            yield* report(api.reached
              ? ok(`API reachable: ${config.apiBaseUrl} (answered HTTP ${api.status} without a token)`)
              : bad(`API unreachable: ${config.apiBaseUrl} (${api.why})`, "check the network, a proxy, or --base-url / GOOGLE_HEALTH_BASE_URL"))
            const sessions = yield* GoogleHealthSession.GoogleHealthSession
            const grant = yield* sessions.session.grant(profile)
            if (Option.isNone(grant)) {
              yield* report(bad(`profile ${profile}: not logged in`, `fitbit-effect login --profile ${profile}`))
            } else {
              const g = grant.value
              const now = Date.now()
              yield* report(g.status === "active"
                ? ok(`profile ${profile}: logged in`)
                : bad(`profile ${profile}: needs consent again (${g.status})`, `fitbit-effect login --profile ${profile}`))
              // Commands send a profile's token only where it logged in.
              const origin = yield* Effect.either(Home.checkProfileOrigin(profile, c))
              if (Either.isLeft(origin)) {
                const [problem, fix] = origin.left.message.split(": ", 2) as [string, string | undefined]
                yield* report(bad(problem, fix ?? `fitbit-effect login --profile ${profile}`))
              }
              const wanted = scopesOf(scopes)
              const missing = wanted.filter((s) => !g.tokens.scopes.includes(s))
              yield* report(missing.length === 0
                ? ok(`scopes: all ${wanted.length} asked for are granted`)
                : bad(
                  `scopes: missing ${missing.map((s) => s.replace(GoogleAuth.SCOPE_PREFIX, "")).join(", ")}`,
                  `fitbit-effect login --profile ${profile} --scopes ${wanted.map((s) => s.replace(GoogleAuth.SCOPE_PREFIX, "")).join(",")}`
                ))
              const expiry = g.tokens.expiresAt
              const granted = g.grantedAt
              const age = granted === undefined ? "granted (unknown)" : `granted ${new Date(granted).toISOString()} (${ago(now - granted)})`
              const tokenLine = `token: ${age}; access token ${expiry <= now ? "expired" : "valid"}, expires ${new Date(expiry).toISOString()} (${ago(now - expiry)})`
              yield* report(g.tokens.refreshToken !== undefined || expiry > now
                ? ok(`${tokenLine}${g.tokens.refreshToken === undefined ? ", no refresh token" : ", refresh token held"}`)
                : bad(`${tokenLine}, no refresh token`, `fitbit-effect login --profile ${profile}`))
              if (granted !== undefined && now - granted > 6 * DAY) {
                yield* report(warn(
                  `Testing mode: if the app is in Testing, its refresh token stops working ${new Date(granted + 7 * DAY).toISOString()} (7 days after consent)`,
                  `publish the app (OAuth consent screen: In production), or log in again before then: fitbit-effect login --profile ${profile}`
                ))
              } else {
                yield* report(ok("Testing mode: the grant is under 6 days old (apps in Testing lose refresh tokens 7 days after consent)"))
              }
            }
            if (api.reached && api.date !== null && !Number.isNaN(Date.parse(api.date))) {
              const skew = api.at - Date.parse(api.date)
              // The Date header has a one-second resolution.
              yield* report(Math.abs(skew) <= MAX_SKEW_MS + 1000
                ? ok(`clock: within ${Math.max(1, Math.round(Math.abs(skew) / 1000))} s of the API's`)
                : warn(`clock: ${Math.round(Math.abs(skew) / 1000)} s ${skew > 0 ? "ahead of" : "behind"} the API's`, "synchronise the clock (timedatectl set-ntp true); tokens are judged expired by it"))
            } else {
              yield* report(warn("clock: not compared (no Date header from the API)", "run doctor again when the API is reachable"))
            }
          }))
      }
      const failed = checks.filter((c) => c.status === "fail").length
      if (failed > 0) return yield* Effect.fail(fail(DOCTOR_FAILED, `doctor: ${failed} check${failed === 1 ? "" : "s"} failed`))
    })
).pipe(Command.withDescription(help(
  `Checks the configuration (no secret printed), that the token endpoint and the API answer (5 s each), the profile's login, its scopes against those asked for (--scopes; default the read scopes), the token's age and expiry, Testing mode's 7-day refresh tokens, and the clock against the API's. ✓ passed, ! warning, ✗ failed with a fix. Exits ${DOCTOR_FAILED} when a check fails.`,
  ["fitbit-effect doctor", "fitbit-effect doctor --profile work --scopes sleep.readonly"]
)))
