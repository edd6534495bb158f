// Issue 30, part 4: scopes named. A call Google refuses for a missing scope says which scope it
// needed; under a session, a call the stored grant's scopes cannot satisfy is refused before it is
// sent, naming the scope to ask for and the scopes the grant holds.
import { GoogleAuth, GoogleDataPoints, GoogleDataTypeRules, GoogleHealthSession, GoogleUsers, OAuth, RetryPolicy, TokenStore } from "@fitbit-effect/core"
import { Emulator, Google } from "@fitbit-effect/emulator"
import { NodeGoogleHealth } from "@fitbit-effect/node"
import { layer } from "@effect/vitest"
import { Effect, Either, Layer } from "effect"
import { expect } from "vitest"

const ACTIVITY_READ = GoogleAuth.scope("activity_and_fitness.readonly")
const SLEEP_READ = GoogleAuth.scope("sleep.readonly")
const filter = GoogleDataPoints.filters.range("sleep", "2026-11-20", "2026-11-22")

layer(Emulator.layer({ seed: "scopes", clock: { start: "2026-11-25T08:00:00Z" } }), { excludeTestServices: true })((it) => {
  const services = Effect.map(Emulator.EmulatorService, (emulator) =>
    Layer.merge(NodeGoogleHealth.layer({ ...emulator.defaultApp, baseUrl: emulator.baseUrl }), TokenStore.layerMemory))

  /** A session over the emulator with a stored grant of `scopes` under `key`; the counters reset. */
  const sessionWithGrant = (key: string, scopes: ReadonlyArray<string>, options: GoogleHealthSession.Options = {}) =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.EmulatorService
      const context = yield* Layer.build(yield* services)
      const session = yield* GoogleHealthSession.make(options).pipe(Effect.provide(context))
      const minted = Google.grantTokens(emulator.state, { scopes })
      const tokens = Either.getOrThrow(OAuth.tokenSetFromWire({ access_token: minted.accessToken, refresh_token: minted.refreshToken, expires_in: 3600, scope: scopes.join(" ") }, Date.now()))
      yield* session.session.save(key, tokens)
      emulator.resetCounters()
      return { emulator, session }
    })

  it.effect("a token without the sleep scope: Google's refusal becomes InsufficientScope naming googlehealth.sleep.readonly", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.EmulatorService
      const { accessToken } = Google.grantTokens(emulator.state, { scopes: [ACTIVITY_READ] })
      const error = yield* Effect.flip(GoogleDataPoints.list(accessToken, "sleep", { filter }).pipe(Effect.provide(yield* services)))
      expect(error).toMatchObject({ _tag: "InsufficientScope", requiredScopes: [SLEEP_READ] })
      expect(error.message).toContain("googlehealth.sleep.readonly")
      const profile = yield* Effect.flip(GoogleUsers.getProfile(accessToken).pipe(Effect.provide(yield* services)))
      expect(profile).toMatchObject({ _tag: "InsufficientScope", requiredScopes: [GoogleAuth.scope("profile.readonly")] })
    }))

  it.scoped("a session whose grant lacks the scope refuses the call before sending, with the scope to ask for and the grant's scopes", () =>
    Effect.gen(function*() {
      const { emulator, session } = yield* sessionWithGrant("user-1", [ACTIVITY_READ])
      const refused = yield* Effect.flip(session.withAccessToken("user-1", (token) => GoogleDataPoints.list(token, "sleep", { filter })))
      expect(refused).toMatchObject({ _tag: "InsufficientScope", requiredScopes: [SLEEP_READ], grantedScopes: [ACTIVITY_READ] })
      expect(refused.message).toContain("not sent")
      expect(refused.message).toContain("needs googlehealth.sleep.readonly")
      expect(refused.message).toContain("has googlehealth.activity_and_fitness.readonly")
      expect(emulator.counters().requests).toBe(0)
      // What the grant allows goes through.
      const steps = yield* session.withAccessToken("user-1", (token) =>
        GoogleDataPoints.list(token, "steps", { filter: GoogleDataPoints.filters.range("steps", "2026-11-20", "2026-11-21") }))
      expect(steps.dataPoints.length).toBeGreaterThan(0)
    }))

  it("requiredScopes: reads need .readonly, writes .writeonly, TCX its location too, identity is not judged", () => {
    expect(GoogleDataTypeRules.requiredScopes("GET", "/users/me/dataTypes/sleep/dataPoints")).toEqual([[SLEEP_READ, GoogleAuth.scope("sleep")]])
    expect(GoogleDataTypeRules.requiredScopes("POST", "/v4/users/me/dataTypes/weight/dataPoints")?.[0]?.[0]).toBe(GoogleAuth.scope("health_metrics_and_measurements.writeonly"))
    expect(GoogleDataTypeRules.requiredScopes("POST", "/users/me/dataTypes/steps/dataPoints:dailyRollUp")?.[0]?.[0]).toBe(ACTIVITY_READ)
    expect(GoogleDataTypeRules.requiredScopes("GET", "/users/me/dataTypes/exercise/dataPoints/1:exportExerciseTcx")?.map((group) => group[0])).toEqual([ACTIVITY_READ, GoogleAuth.scope("location.readonly")])
    expect(GoogleDataTypeRules.requiredScopes("PATCH", "/users/me/settings")?.[0]?.[0]).toBe(GoogleAuth.scope("settings.writeonly"))
    expect(GoogleDataTypeRules.requiredScopes("GET", "/users/me/identity")).toBeUndefined()
  })

  it.scoped("a malformed escape in a path under a session is InvalidInput naming the path, never a defect; nothing sent", () =>
    Effect.gen(function*() {
      const { emulator, session } = yield* sessionWithGrant("user-2", [ACTIVITY_READ])
      const exit = yield* Effect.exit(session.request("user-2", { method: "GET", path: "/users/me/dataTypes/%E0/dataPoints" }))
      expect(exit._tag).toBe("Failure")
      const error = yield* Effect.flip(session.request("user-2", { method: "GET", path: "/users/me/dataTypes/%E0/dataPoints" }))
      expect(error).toMatchObject({ _tag: "InvalidInput", field: "path" })
      expect(emulator.counters().requests).toBe(0)
    }))

  it.scoped("a session's own isExpiredToken decides which refusals refresh, in withAccessToken too", () =>
    Effect.gen(function*() {
      // This app's gateway answers 503 to a stale token: it asks the session to refresh on ServerError.
      const { emulator, session } = yield* sessionWithGrant("user-3", [ACTIVITY_READ], { isExpiredToken: (e) => (e as { _tag?: string })?._tag === "ServerError" })
      emulator.injectFault({ kind: "status503", count: 1, match: { pathPrefix: "/v4/users/me/dataTypes/steps" } })
      const steps = yield* session.withAccessToken("user-3", (token) =>
        GoogleDataPoints.list(token, "steps", { filter: GoogleDataPoints.filters.range("steps", "2026-11-20", "2026-11-21") })).pipe(
          Effect.provideService(RetryPolicy.RetryPolicy, RetryPolicy.never)
        )
      expect(steps.dataPoints.length).toBeGreaterThan(0)
      expect(emulator.counters().tokenRequests).toBe(1) // refreshed once, on the app's own rule
    }))
})
