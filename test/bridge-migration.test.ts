// The migration bridge: one emulated user read through both backends (legacy Fitbit Web API and
// Google Health API v4) over real HTTP gives the same daily step totals, sleep durations and
// resting heart rates; routing moves the user from one backend to the other.
import { describe, expect, layer } from "@effect/vitest"
import { FitbitConfig, FitbitHttp, FitbitSession, GoogleHealthConfig, GoogleHealthHttp, GoogleHealthSession, HealthBridge, OAuth, RetryPolicy, TokenStore } from "@fitbit-effect/core"
import { Emulator, Google } from "@fitbit-effect/emulator"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"


const RANGE = { startDate: "2026-11-11", endDate: "2026-11-24" } as const

/** Both backends' configuration, verbs, sessions (one shared token store) and the bridge. */
const services = (emu: Emulator.EmulatorHandle, directory?: HealthBridge.Directory) => {
  const base = Layer.mergeAll(
    FitbitConfig.layer({ clientId: emu.defaultApp.clientId, clientSecret: emu.defaultApp.clientSecret, baseUrl: emu.baseUrl }),
    GoogleHealthConfig.layer({ clientId: emu.defaultApp.clientId, clientSecret: emu.defaultApp.clientSecret, baseUrl: emu.baseUrl }),
    NodeHttpClient.layerUndici,
    TokenStore.layerMemory,
    RetryPolicy.layer({ maxRetries: 0 })
  )
  const http = Layer.merge(FitbitHttp.layer, GoogleHealthHttp.layer).pipe(Layer.provideMerge(base))
  const sessions = Layer.merge(FitbitSession.layer(), GoogleHealthSession.layer()).pipe(Layer.provideMerge(http))
  return HealthBridge.layer(directory === undefined ? {} : { route: directory.route }).pipe(Layer.provideMerge(sessions))
}

const tokenSet = (t: { accessToken: string; refreshToken: string; scopes: ReadonlyArray<string>; expiresIn: number; expiresAt: number }, userId?: string) =>
  new OAuth.TokenSet({
    accessToken: Redacted.make(t.accessToken),
    refreshToken: Redacted.make(t.refreshToken),
    tokenType: "Bearer",
    scopes: [...t.scopes],
    ...(userId === undefined ? {} : { userId }),
    expiresIn: t.expiresIn,
    expiresAt: t.expiresAt
  })

layer(Emulator.layer({ clock: { start: "2026-11-25T12:00:00Z" }, users: [{ userId: "MIG8RT", timezone: "Europe/Berlin", offsetFromUTCMillis: 3_600_000 }] }), {
  excludeTestServices: true
})("migration bridge", (it) => {
  describe("one user through both backends", () => {
    it.effect("equal daily step totals, sleep durations and resting heart rates", () =>
      Effect.gen(function*() {
        const emu = yield* Emulator.EmulatorService
        const user = "MIG8RT"
        const directory = HealthBridge.makeDirectory({ [user]: "fitbit" })
        return yield* Effect.gen(function*() {
          const fitbit = yield* FitbitSession.FitbitSession
          const google = yield* GoogleHealthSession.GoogleHealthSession
          const bridge = yield* HealthBridge.HealthBridge
          // The user's legacy grant, and the grant of their re-consent with Google, under the app's key.
          yield* fitbit.save(tokenSet(emu.grantTokens({ userId: user }), user), user)
          yield* google.session.save(user, tokenSet(Google.grantTokens(emu.state, { userId: user })))

          expect(yield* bridge.backendOf(user)).toBe("fitbit")
          const legacyProfile = yield* bridge.profile(user)
          const legacySteps = yield* bridge.dailySteps(user, RANGE)
          const legacySleep = yield* bridge.sleepSessions(user, RANGE)
          const legacyHeart = yield* bridge.heartRate(user, RANGE)

          yield* directory.assign(user, "google-health")
          expect(yield* bridge.backendOf(user)).toBe("google-health")
          const googleProfile = yield* bridge.profile(user)
          const googleSteps = yield* bridge.dailySteps(user, RANGE)
          const googleSleep = yield* bridge.sleepSessions(user, RANGE)
          const googleHeart = yield* bridge.heartRate(user, RANGE)

          expect(legacyProfile).toMatchObject({ backend: "fitbit", userId: user, memberSince: "2024-01-15", timeZone: "Europe/Berlin" })
          expect(googleProfile).toMatchObject({ backend: "google-health", legacyFitbitUserId: user, memberSince: "2024-01-15", timeZone: "Europe/Berlin" })
          expect(googleProfile.age).toBe(legacyProfile.age)

          expect(legacySteps).toHaveLength(14)
          expect(legacySteps.every((d) => d.steps > 0)).toBe(true)
          expect(googleSteps).toEqual(legacySteps)

          expect(legacySleep).toHaveLength(14)
          const durations = (sessions: ReadonlyArray<HealthBridge.SleepSession>) =>
            sessions.map((s) => ({ date: s.date, start: s.start, end: s.end, durationMillis: s.durationMillis, minutesAsleep: s.minutesAsleep }))
          expect(durations(googleSleep)).toEqual(durations(legacySleep))

          expect(legacyHeart.every((d) => typeof d.restingHeartRate === "number")).toBe(true)
          expect(googleHeart).toEqual(legacyHeart)

          // A range longer than one Google roll-up may span (90 days) is read in parts.
          const long = { startDate: "2026-07-01", endDate: "2026-11-24" } as const
          const googleLong = yield* bridge.dailySteps(user, long)
          yield* directory.assign(user, "fitbit")
          const legacyLong = yield* bridge.dailySteps(user, long)
          expect(legacyLong).toHaveLength(147)
          expect(googleLong).toEqual(legacyLong)
        }).pipe(Effect.provide(services(emu, directory)))
      }))

    it.effect("default routing: a user with a Google grant is read from Google, others from Fitbit", () =>
      Effect.gen(function*() {
        const emu = yield* Emulator.EmulatorService
        return yield* Effect.gen(function*() {
          const fitbit = yield* FitbitSession.FitbitSession
          const google = yield* GoogleHealthSession.GoogleHealthSession
          const bridge = yield* HealthBridge.HealthBridge
          yield* fitbit.save(tokenSet(emu.grantTokens({ userId: "MIG8RT" }), "MIG8RT"), "not-moved")
          yield* fitbit.save(tokenSet(emu.grantTokens({ userId: "MIG8RT" }), "MIG8RT"), "moved")
          yield* google.session.save("moved", tokenSet(Google.grantTokens(emu.state, { userId: "MIG8RT" })))
          expect(yield* bridge.backendOf("not-moved")).toBe("fitbit")
          expect(yield* bridge.backendOf("moved")).toBe("google-health")
          expect((yield* bridge.profile("moved")).backend).toBe("google-health")
          expect((yield* bridge.profile("not-moved")).backend).toBe("fitbit")
          const unknown = yield* Effect.flip(bridge.profile("never-consented"))
          expect(unknown._tag).toBe("ReauthorizationRequired")
          const bad = yield* Effect.flip(bridge.dailySteps("moved", { startDate: "2026-11-24", endDate: "2026-11-01" }))
          expect(bad._tag).toBe("InvalidInput")
        }).pipe(Effect.provide(services(emu)))
      }))
  })
})
