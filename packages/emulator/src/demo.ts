/**
 * `pnpm demo`: the whole seed flow with this library against the local emulator (or, with
 * `--live` and `FITBIT_CLIENT_ID` / `FITBIT_CLIENT_SECRET` (and `FITBIT_REDIRECT_URI`), against
 * Fitbit's real hosts): authorize URL with PKCE and state, consent, code exchange, profile,
 * today's activity, last night's sleep, refresh, revoke, and a typed error for the revoked
 * token. Part Effect API, part Promise facade. Tokens never appear in clear.
 *
 * @since 0.1.0
 */
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import { Errors, FitbitAuth, FitbitHttp, Pkce } from "@fitbit-effect/core"
import { FitbitApiClient, NodeFitbit } from "@fitbit-effect/node"
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"
import { createHash, randomBytes } from "node:crypto"
import * as readline from "node:readline/promises"
import * as Emulator from "./Emulator.js"
import { googleWalkthrough } from "./google/demo.js"
import { legacyWalkthrough } from "./google/legacyDemo.js"

const SCOPES = ["activity", "heartrate", "profile", "sleep", "weight"]

/** A token as the transcript shows it: never in clear, only its length and a short fingerprint. */
const show = (token: string | Redacted.Redacted<string> | undefined): string => {
  if (token === undefined) return "(none)"
  const value = typeof token === "string" ? token : Redacted.value(token)
  return `<redacted ${value.length} chars #${createHash("sha256").update(value).digest("hex").slice(0, 8)}>`
}

let stepNumber = 0
const step = (title: string) => Effect.sync(() => console.log(`\n${++stepNumber}. ${title}`))
const line = (text: string) => Effect.sync(() => console.log(`   ${text}`))

interface Target {
  readonly clientId: string
  readonly clientSecret: string
  readonly redirectUri: string
  readonly baseUrl: string | undefined
  /** Obtains consent for an authorize URL and answers with the URL the browser lands on. */
  readonly consent: (authorizeUrl: string) => Effect.Effect<string, Error>
}

const emulatorTarget = Effect.map(Emulator.start(), (emulator): Target => ({
  clientId: emulator.defaultApp.clientId,
  clientSecret: emulator.defaultApp.clientSecret,
  redirectUri: emulator.defaultApp.redirectUri,
  baseUrl: emulator.baseUrl,
  // Auto-consent: the emulator redirects at once, as Fitbit does after the user clicks Allow.
  consent: (authorizeUrl) =>
    Effect.tryPromise({
      try: async () => {
        const response = await fetch(authorizeUrl, { redirect: "manual" })
        const location = response.headers.get("location")
        if (response.status !== 302 || location === null) throw new Error(`authorize answered ${response.status}`)
        return location
      },
      catch: (error) => (error instanceof Error ? error : new Error(String(error)))
    })
}))

const liveTarget = Effect.gen(function*() {
  const clientId = process.env.FITBIT_CLIENT_ID
  const clientSecret = process.env.FITBIT_CLIENT_SECRET
  // The redirect URI registered with the app (Fitbit compares it exactly).
  const redirectUri = process.env.FITBIT_REDIRECT_URI || "http://localhost:8080/callback"
  if (!clientId || !clientSecret) {
    return yield* Effect.fail(new Error("--live needs FITBIT_CLIENT_ID and FITBIT_CLIENT_SECRET (and FITBIT_REDIRECT_URI unless it is http://localhost:8080/callback)"))
  }
  console.log(`redirect URI ${redirectUri}`)
  return {
    clientId,
    clientSecret,
    redirectUri,
    baseUrl: undefined,
    consent: (authorizeUrl: string) =>
      Effect.tryPromise({
        try: async () => {
          console.log(`   open this URL in a browser and allow access:\n   ${authorizeUrl}`)
          const rl = readline.createInterface({ input: process.stdin, output: process.stdout })
          try {
            return (await rl.question("   paste the URL you were redirected to: ")).trim()
          } finally {
            rl.close()
          }
        },
        catch: (error) => (error instanceof Error ? error : new Error(String(error)))
      })
  } satisfies Target
})

/** A facade call: a rejection becomes a failure of the walkthrough. */
const fromPromise = <A>(f: () => Promise<A>): Effect.Effect<A, Error> =>
  Effect.tryPromise({ try: f, catch: (error) => (error instanceof Error ? error : new Error(String(error))) })

const walkthrough = (target: Target) =>
  Effect.gen(function*() {
    const options = { clientId: target.clientId, clientSecret: target.clientSecret, baseUrl: target.baseUrl }
    const facade = new FitbitApiClient({ ...options, apiVersion: "1.2" })
    yield* Effect.addFinalizer(() => Effect.promise(() => facade.close()))

    yield* step("Build the authorization URL with PKCE and state (Effect: Pkce.make, FitbitAuth.authorizeUrl)")
    const pkce = yield* Pkce.make()
    const state = randomBytes(12).toString("base64url")
    const authorizeUrl = yield* FitbitAuth.authorizeUrl({
      scope: SCOPES,
      redirectUri: target.redirectUri,
      state,
      codeChallenge: pkce.challenge
    })
    const shown = new URL(authorizeUrl)
    yield* line(`${shown.origin}${shown.pathname}`)
    yield* line(`scope="${shown.searchParams.get("scope")}" code_challenge_method=${shown.searchParams.get("code_challenge_method")}`)
    yield* line(`PKCE verifier ${show(pkce.verifier)}, state ${show(state)}`)

    yield* step(target.baseUrl === undefined ? "Consent (in your browser)" : "Consent (the emulator's auto-consent)")
    const landed = new URL(yield* target.consent(authorizeUrl))
    const code = landed.searchParams.get("code")
    if (landed.searchParams.get("state") !== state) return yield* Effect.fail(new Error("state mismatch: possible CSRF"))
    if (code === null) return yield* Effect.fail(new Error(`no code: ${landed.searchParams.get("error") ?? "unknown error"}`))
    yield* line(`redirected to ${landed.origin}${landed.pathname} with code ${show(code)}; state matches`)

    yield* step("Exchange the code, with the PKCE verifier (Effect: FitbitAuth.exchangeCode)")
    const tokens = yield* FitbitAuth.exchangeCode({ code, redirectUri: target.redirectUri, codeVerifier: pkce.verifier })
    yield* line(`access ${show(tokens.accessToken)}, refresh ${show(tokens.refreshToken)}`)
    yield* line(`user ${tokens.userId}, expires in ${tokens.expiresIn}s, scopes: ${tokens.scopes.join(" ")}`)

    yield* step("Read the profile (Effect: FitbitHttp.get)")
    const profile = yield* FitbitHttp.get("/profile.json", tokens.accessToken)
    const user = (profile.body as { user: { displayName: string; memberSince: string; timezone: string } }).user
    yield* line(`${user.displayName}, member since ${user.memberSince}, time zone ${user.timezone}`)
    yield* line(
      profile.rateLimit._tag === "Some"
        ? `rate limit: ${profile.rateLimit.value.remaining}/${profile.rateLimit.value.limit} left, resets in ${profile.rateLimit.value.resetSeconds}s`
        : "no rate-limit headers"
    )

    yield* step("Read today's activity (Promise facade: client.get)")
    const access = Redacted.value(tokens.accessToken)
    const [activity, activityResponse] = yield* fromPromise(() => facade.get("/activities/date/today.json", access))
    if (activityResponse.statusCode !== 200) return yield* Effect.fail(new Error(`activity answered ${activityResponse.statusCode}`))
    const summary = activity.summary as { steps: number; caloriesOut: number; distances: Array<{ activity: string; distance: number }> }
    const total = summary.distances.find((d) => d.activity === "total")?.distance ?? 0
    yield* line(`${summary.steps} steps, ${total} km, ${summary.caloriesOut} kcal`)

    yield* step("Read last night's sleep (Promise facade, API 1.2)")
    const [sleep, sleepResponse] = yield* fromPromise(() => facade.get("/sleep/date/today.json", access))
    if (sleepResponse.statusCode !== 200) return yield* Effect.fail(new Error(`sleep answered ${sleepResponse.statusCode}`))
    const main = (sleep.sleep as Array<{ isMainSleep: boolean; startTime: string; endTime: string; minutesAsleep: number; efficiency: number }>)
      .find((s) => s.isMainSleep)
    yield* line(
      main === undefined
        ? "no sleep recorded"
        : `${Math.floor(main.minutesAsleep / 60)}h${String(main.minutesAsleep % 60).padStart(2, "0")} asleep, ${
          main.startTime.slice(11, 16)
        } to ${main.endTime.slice(11, 16)}, efficiency ${main.efficiency}%`
    )

    yield* step("Refresh the token (Promise facade: client.refreshAccessToken); Fitbit rotates the refresh token")
    const refreshed = yield* fromPromise(() => facade.refreshAccessToken(access, Redacted.value(tokens.refreshToken!)))
    yield* line(`new access ${show(refreshed.access_token)}, new refresh ${show(refreshed.refresh_token)}`)
    const reuse = yield* Effect.either(FitbitAuth.refresh({ refreshToken: tokens.refreshToken! }))
    yield* line(
      reuse._tag === "Left"
        ? `reusing the old refresh token fails with ${reuse.left._tag}, as at Fitbit`
        : "the old refresh token still worked (unexpected)"
    )

    yield* step("Revoke the grant (Effect: FitbitAuth.revoke)")
    yield* FitbitAuth.revoke(refreshed.access_token)
    yield* line("revoked")

    yield* step("Call with the revoked token: a typed error (Effect: catchTag)")
    const outcome = yield* FitbitHttp.get("/profile.json", refreshed.access_token).pipe(
      Effect.as("the call unexpectedly succeeded"),
      Effect.catchTag("InvalidToken", (error: Errors.InvalidToken) =>
        Effect.succeed(`failed with InvalidToken (${error.status} ${error.errors[0]?.errorType ?? ""})`))
    )
    yield* line(outcome)
    if (!outcome.startsWith("failed with InvalidToken")) return yield* Effect.fail(new Error(outcome))
  }).pipe(Effect.provide(NodeFitbit.layer({ clientId: target.clientId, clientSecret: target.clientSecret, baseUrl: target.baseUrl })))

const main = Effect.gen(function*() {
  const live = process.argv.includes("--live")
  console.log(live ? "fitbit-effect demo against Fitbit's hosts" : "fitbit-effect demo against the local Fitbit emulator")
  const target = live ? yield* liveTarget : yield* emulatorTarget
  if (target.baseUrl !== undefined) console.log(`emulator listening at ${target.baseUrl}`)
  yield* walkthrough(target)
  if (target.baseUrl === undefined) {
    console.log("\n(the Google Health API walkthrough runs against the emulator only)")
  } else {
    // The same emulated user, now through the Google Health API v4 and the migration bridge.
    const baseUrl = target.baseUrl
    const clock = yield* fromPromise(() => fetch(`${baseUrl}/__emulator/clock`).then((r) => r.json() as Promise<{ now: number }>))
    const googleTarget = { ...target, baseUrl, today: new Date(clock.now).toISOString().slice(0, 10) }
    const last = yield* googleWalkthrough(googleTarget, stepNumber + 1)
    // fitbit-node's own flow, answered from Google Health.
    yield* legacyWalkthrough(googleTarget, last + 1)
  }
  console.log("\ndone: every step passed")
}).pipe(
  Effect.scoped,
  Effect.tapError((error) =>
    Effect.sync(() => {
      console.error(`\ndemo failed: ${error instanceof Error ? error.message : String(error)}`)
    })
  )
)

NodeRuntime.runMain(main, { disableErrorReporting: true })
