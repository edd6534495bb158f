/**
 * The Google Health part of `pnpm demo`: Google OAuth (offline access, PKCE, state), the
 * identity that maps the legacy Fitbit id to the Google health user id, a week of steps as a
 * daily roll-up, last night's sleep as a typed data point, then the migration bridge reading
 * the same user through both backends, and refresh (Google keeps the refresh token), revoke
 * and the typed error after it. Part Effect API, part `GoogleHealthClient` Promise facade.
 *
 * @since 0.1.0
 */
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { FitbitAuth, FitbitConfig, FitbitHttp, FitbitSession, GoogleAuth, GoogleDataPoints, GoogleDataTypes, GoogleHealthConfig, GoogleHealthHttp, GoogleHealthSession, GoogleUsers, HealthBridge, Pkce, RetryPolicy, TokenStore } from "@fitbit-effect/core"
import { GoogleHealthClient } from "@fitbit-effect/node"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import type * as Scope from "effect/Scope"
import { createHash, randomBytes } from "node:crypto"


/**
 * Where the walkthrough runs: the emulator's origin, an app registered there, and how consent
 * is obtained (the URL the browser lands on).
 *
 * @since 0.1.0
 * @category models
 */
export interface GoogleDemoTarget {
  readonly clientId: string
  readonly clientSecret: string
  readonly redirectUri: string
  readonly baseUrl: string
  readonly consent: (authorizeUrl: string) => Effect.Effect<string, Error>
  /** The emulator's "today" (`YYYY-MM-DD`), so the ranges read the generated data. */
  readonly today: string
}

const show = (token: string | Redacted.Redacted<string> | undefined): string => {
  if (token === undefined) return "(none)"
  const value = typeof token === "string" ? token : Redacted.value(token)
  return `<redacted ${value.length} chars #${createHash("sha256").update(value).digest("hex").slice(0, 8)}>`
}

const addDays = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10)

const fromPromise = <A>(f: () => Promise<A>): Effect.Effect<A, Error> =>
  Effect.tryPromise({ try: f, catch: (error) => (error instanceof Error ? error : new Error(String(error))) })

/**
 * Runs the Google Health walkthrough, numbering its steps from `firstStep`; answers the last step's number.
 *
 * @since 0.1.0
 * @category demo
 */
export const googleWalkthrough = (target: GoogleDemoTarget, firstStep = 1): Effect.Effect<number, unknown, Scope.Scope> => {
  let n = firstStep - 1
  const step = (title: string) => Effect.sync(() => console.log(`\n${++n}. ${title}`))
  const line = (text: string) => Effect.sync(() => console.log(`   ${text}`))
  const layer = Layer.mergeAll(
    GoogleHealthConfig.layer({ clientId: target.clientId, clientSecret: target.clientSecret, baseUrl: target.baseUrl }),
    FitbitConfig.layer({ clientId: target.clientId, clientSecret: target.clientSecret, baseUrl: target.baseUrl }),
    NodeHttpClient.layerUndici,
    TokenStore.layerMemory,
    RetryPolicy.layer({ maxRetries: 0 })
  )
  const directory = HealthBridge.makeDirectory({}, "fitbit")
  const services = HealthBridge.layer({ route: directory.route }).pipe(
    Layer.provideMerge(Layer.merge(FitbitSession.layer(), GoogleHealthSession.layer())),
    Layer.provideMerge(Layer.merge(FitbitHttp.layer, GoogleHealthHttp.layer)),
    Layer.provideMerge(layer)
  )
  const consentFor = (authorizeUrl: string, state: string) =>
    Effect.gen(function*() {
      const landed = new URL(yield* target.consent(authorizeUrl))
      if (landed.searchParams.get("state") !== state) return yield* Effect.fail(new Error("state mismatch: possible CSRF"))
      const code = landed.searchParams.get("code")
      if (code === null) return yield* Effect.fail(new Error(`no code: ${landed.searchParams.get("error") ?? "unknown error"}`))
      return code
    })

  return Effect.gen(function*() {
    const facade = new GoogleHealthClient({ clientId: target.clientId, clientSecret: target.clientSecret, baseUrl: target.baseUrl })
    yield* Effect.addFinalizer(() => Effect.promise(() => facade.close()))
    const lastWeek = { start: addDays(target.today, -7), end: target.today }

    yield* step("Google Health API v4: build Google's authorization URL, offline access with PKCE (facade: getAuthorizeUrl)")
    const pkce = yield* fromPromise(() => facade.createPkce())
    const state = randomBytes(12).toString("base64url")
    const authorizeUrl = facade.getAuthorizeUrl(GoogleHealthClient.READ_SCOPES, target.redirectUri, { state, codeChallenge: pkce.challenge, prompt: "consent" })
    const shown = new URL(authorizeUrl)
    yield* line(`${shown.origin}${shown.pathname} (Google's path)`)
    yield* line(`access_type=${shown.searchParams.get("access_type")} include_granted_scopes=${shown.searchParams.get("include_granted_scopes")}`)
    yield* line(`scopes: ${(shown.searchParams.get("scope") ?? "").split(" ").map((s) => s.replace(GoogleAuth.SCOPE_PREFIX, "")).join(", ")}`)

    yield* step("The user consents again, with Google: Fitbit tokens do not carry over")
    const code = yield* consentFor(authorizeUrl, state)
    yield* line(`code ${show(code)}; state matches`)

    yield* step("Exchange the code with the PKCE verifier (facade: getAccessToken)")
    const token = yield* fromPromise(() => facade.getAccessToken(code, target.redirectUri, pkce.verifier))
    yield* line(`access ${show(token.access_token)} (expires in ${token.expires_in}s), refresh ${show(token.refresh_token)}`)

    yield* step("Map the user: users/me/identity names the legacy Fitbit id (Effect: GoogleUsers.getIdentity)")
    const identity = yield* GoogleUsers.getIdentity(token.access_token)
    yield* line(`legacy Fitbit user ${identity.legacyUserId} is Google health user ${identity.healthUserId}`)

    yield* step("A week of steps as a daily roll-up (Effect: GoogleDataPoints.dailyRollUp)")
    const week = yield* GoogleDataPoints.dailyRollUp(token.access_token, "steps", { range: lastWeek })
    for (const day of week.rollupDataPoints) {
      yield* line(`${GoogleDataTypes.formatDate(day.civilStartTime?.date)}  ${String(day.steps?.countSum ?? 0).padStart(6)} steps`)
    }

    yield* step("Last night's sleep as a typed data point (facade: listDataPoints, DataTypes decoder)")
    const night = yield* fromPromise(() =>
      facade.listDataPoints(token.access_token, "sleep", { filter: GoogleDataPoints.filters.sleepCivilEnd(target.today, addDays(target.today, 1)) })
    )
    const sleep = GoogleDataTypes.valuesOf("sleep", night.dataPoints)[0]
    yield* line(
      sleep === undefined
        ? "no sleep recorded"
        : `${Math.floor((sleep.summary?.minutesAsleep ?? 0) / 60)}h${String((sleep.summary?.minutesAsleep ?? 0) % 60).padStart(2, "0")} asleep, ${
          sleep.stages?.length ?? 0
        } stages, ${sleep.interval.startTime} to ${sleep.interval.endTime}`
    )

    yield* step("Migration bridge: the same user read through both backends (HealthBridge)")
    const fitbitPkce = yield* Pkce.make()
    const fitbitState = randomBytes(12).toString("base64url")
    const fitbitUrl = yield* FitbitAuth.authorizeUrl({ scope: ["activity", "sleep", "heartrate", "profile"], redirectUri: target.redirectUri, state: fitbitState, codeChallenge: fitbitPkce.challenge })
    const fitbitCode = yield* consentFor(fitbitUrl, fitbitState)
    const fitbit = yield* FitbitSession.FitbitSession
    const google = yield* GoogleHealthSession.GoogleHealthSession
    const bridge = yield* HealthBridge.HealthBridge
    yield* fitbit.exchangeCode({ code: fitbitCode, redirectUri: target.redirectUri, codeVerifier: fitbitPkce.verifier, key: "user-42" })
    const googlePkce = yield* Pkce.make()
    const googleState = randomBytes(12).toString("base64url")
    const googleCode = yield* consentFor(
      yield* GoogleAuth.authorizeUrl({ scope: GoogleAuth.READ_SCOPES, redirectUri: target.redirectUri, state: googleState, codeChallenge: googlePkce.challenge }),
      googleState
    )
    yield* google.exchangeCode({ code: googleCode, redirectUri: target.redirectUri, codeVerifier: googlePkce.verifier, key: "user-42" })
    const range = { startDate: addDays(target.today, -3), endDate: addDays(target.today, -1) }
    const legacy = yield* bridge.dailySteps("user-42", range)
    const legacySleep = yield* bridge.sleepSessions("user-42", range)
    yield* directory.assign("user-42", "google-health")
    const moved = yield* bridge.dailySteps("user-42", range)
    const movedSleep = yield* bridge.sleepSessions("user-42", range)
    for (let i = 0; i < legacy.length; i++) {
      yield* line(`${legacy[i]!.date}  fitbit ${legacy[i]!.steps} steps / google-health ${moved[i]!.steps} steps`)
    }
    yield* line(`sleep minutes in bed: fitbit ${legacySleep.map((s) => s.durationMillis / 60_000).join(", ")} / google-health ${movedSleep.map((s) => s.durationMillis / 60_000).join(", ")}`)
    const same = JSON.stringify(legacy) === JSON.stringify(moved) &&
      JSON.stringify(legacySleep.map((s) => s.durationMillis)) === JSON.stringify(movedSleep.map((s) => s.durationMillis))
    yield* line(same ? "both backends agree; user-42 now reads from Google Health" : "the backends disagree")
    if (!same) return yield* Effect.fail(new Error("the bridge's backends disagree"))

    yield* step("Refresh (facade: refreshAccessToken); Google keeps the refresh token")
    const refreshed = yield* fromPromise(() => facade.refreshAccessToken(token.refresh_token!))
    yield* line(`new access ${show(refreshed.access_token)}; refresh token ${refreshed.refresh_token === token.refresh_token ? "unchanged" : "rotated"}`)

    yield* step("Revoke, then call: a typed error (Effect: GoogleAuth.revoke, catchTag)")
    yield* GoogleAuth.revoke(refreshed.refresh_token!)
    const outcome = yield* GoogleUsers.getIdentity(refreshed.access_token).pipe(
      Effect.as("the call unexpectedly succeeded"),
      Effect.catchTag("InvalidToken", (error) => Effect.succeed(`failed with InvalidToken (${error.status} ${error.errors[0]?.errorType ?? ""})`))
    )
    yield* line(outcome)
    if (!outcome.startsWith("failed with InvalidToken")) return yield* Effect.fail(new Error(outcome))
    return n
  }).pipe(Effect.provide(services))
}
