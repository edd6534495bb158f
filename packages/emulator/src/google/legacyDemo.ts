/**
 * The last part of `pnpm demo`: fitbit-node's own flow on the Google Health backend. The same
 * `FitbitApiClient` calls as a fitbit-node app, with only `backend: "google-health"` added to
 * the constructor: Google consent for Fitbit scope names, the token JSON with the legacy user
 * id, a week of steps, heart rate and sleep in the legacy shapes, a path Google cannot answer
 * (a 501 naming the closest Google method), then refresh and revoke.
 *
 * @since 0.1.0
 */
import { FitbitApiClient } from "@fitbit-effect/node"
import * as Effect from "effect/Effect"
import type * as Scope from "effect/Scope"
import type { GoogleDemoTarget } from "./demo.js"

const fromPromise = <A>(f: () => Promise<A>): Effect.Effect<A, Error> =>
  Effect.tryPromise({ try: f, catch: (e) => (e instanceof Error ? e : new Error(String(e))) })

/** A token as the demo prints it: never its text. */
const show = (token: string | undefined) => (token === undefined ? "(none)" : `<redacted ${token.length} chars>`)

/**
 * Runs fitbit-node's flow on Google Health, numbering its steps from `firstStep`.
 *
 * @since 0.1.0
 * @category demo
 */
export const legacyWalkthrough = (target: GoogleDemoTarget, firstStep = 1): Effect.Effect<void, Error, Scope.Scope> => {
  let n = firstStep - 1
  const step = (title: string) => Effect.sync(() => console.log(`\n${++n}. ${title}`))
  const line = (text: string) => Effect.sync(() => console.log(`   ${text}`))
  return Effect.gen(function*() {
    const client = new FitbitApiClient({
      clientId: target.clientId,
      clientSecret: target.clientSecret,
      apiVersion: "1.2",
      baseUrl: target.baseUrl,
      backend: "google-health"
    })
    yield* Effect.addFinalizer(() => Effect.promise(() => client.close()))

    yield* step("fitbit-node code on Google Health: new FitbitApiClient({ …, backend: \"google-health\" })")
    const url = new URL(client.getAuthorizeUrl("activity heartrate profile sleep", target.redirectUri))
    yield* line(`getAuthorizeUrl("activity heartrate profile sleep") → ${url.origin}${url.pathname}`)
    yield* line(`Google scopes: ${url.searchParams.get("scope")!.replace(/https:\/\/www\.googleapis\.com\/auth\/googlehealth\./g, "")}`)

    yield* step("The user consents again, with Google; getAccessToken answers fitbit-node's token JSON")
    const landed = new URL(yield* target.consent(url.toString()))
    const token = yield* fromPromise(() => client.getAccessToken(landed.searchParams.get("code")!, target.redirectUri))
    yield* line(`access ${show(token.access_token)}, refresh ${show(token.refresh_token)}, user_id ${token.user_id} (the legacy Fitbit id)`)

    yield* step("The app's own calls, unchanged: a week of steps, heart rate and sleep")
    const [steps] = yield* fromPromise(() => client.get("/activities/steps/date/today/1w.json", token.access_token))
    yield* line(`steps: ${(steps["activities-steps"] as Array<{ value: string }>).map((d) => d.value).join(", ")}`)
    const [heart] = yield* fromPromise(() => client.get("/activities/heart/date/today/1w.json", token.access_token))
    yield* line(`resting heart rate: ${(heart["activities-heart"] as Array<{ value: { restingHeartRate: number } }>).map((d) => d.value.restingHeartRate).join(", ")}`)
    const [sleep] = yield* fromPromise(() => client.get("/sleep/date/today.json", token.access_token))
    const main = (sleep.sleep as Array<{ minutesAsleep: number; efficiency: number; levels: { data: Array<unknown> } }>)[0]
    yield* line(main === undefined ? "no sleep last night" : `last night: ${main.minutesAsleep} min asleep, efficiency ${main.efficiency}%, ${main.levels.data.length} stages`)

    yield* step("A path Google Health cannot answer: 501 with a Fitbit-style error, never an empty body")
    const [food, foodResponse] = yield* fromPromise(() => client.get("/foods/log/date/today.json", token.access_token))
    yield* line(`${foodResponse.statusCode} ${food.errors[0].errorType}: ${food.errors[0].message}`)
    if (foodResponse.statusCode !== 501) return yield* Effect.fail(new Error("an unsupported path did not answer 501"))

    yield* step("refreshAccessToken and revokeAccessToken run Google OAuth")
    const refreshed = yield* fromPromise(() => client.refreshAccessToken(token.access_token, token.refresh_token!))
    yield* line(`new access ${show(refreshed.access_token)}; refresh token ${refreshed.refresh_token === token.refresh_token ? "unchanged" : "rotated"}`)
    yield* fromPromise(() => client.revokeAccessToken(refreshed.access_token))
    const [after, afterResponse] = yield* fromPromise(() => client.get("/profile.json", refreshed.access_token))
    yield* line(`after revoking: ${afterResponse.statusCode} ${after.errors[0].errorType}`)
    if (afterResponse.statusCode !== 401) return yield* Effect.fail(new Error("the revoked token still worked"))
  })
}
