// The Google Health API v4 backend against the emulator over loopback sockets (no mock layer):
// Google OAuth (PKCE, offline access, refresh with and without rotation, revoke), every
// resource (users, data points with every custom method, paired devices, subscribers and
// subscriptions with the real endpoint-verification handshake), the error shapes, quota,
// faults and the session.
import { describe, expect, layer } from "@effect/vitest"
import { GoogleAuth, GoogleDataPoints, GoogleDataTypes, GoogleHealthConfig, GoogleHealthSession, GooglePairedDevices, GoogleSubscribers, GoogleUsers, Pkce, TokenStore } from "@fitbit-effect/core"
import { DataGenerator, Emulator, Google } from "@fitbit-effect/emulator"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import * as Stream from "effect/Stream"
import { webhookServer } from "./fixtures/googleWebhook.js"
import { googleClient, withGoogleClient } from "./fixtures/googleClient.js"


type Handle = Emulator.EmulatorHandle

const client = googleClient
const withClient = withGoogleClient

const mint = (emu: Handle, options: Parameters<typeof Google.grantTokens>[1] = {}) => Google.grantTokens(emu.state, options)

/** Plays the browser: follows the authorize URL to the redirect. */
const consent = (url: string) =>
  Effect.promise(async () => {
    const response = await fetch(url, { redirect: "manual" })
    const location = new URL(response.headers.get("location")!)
    return { code: location.searchParams.get("code")!, state: location.searchParams.get("state") }
  })

layer(Emulator.layer({ clock: { start: "2026-11-25T12:00:00Z" } }), { excludeTestServices: true })("Google Health against the emulator", (it) => {
  describe("Google OAuth", () => {
    it.effect("authorize URL (offline, PKCE, state), code exchange, refresh without rotation, revoke", () =>
      withClient(Effect.gen(function*() {
        const emu = yield* Emulator.EmulatorService
        const pkce = yield* Pkce.make()
        const url = yield* GoogleAuth.authorizeUrl({
          scope: GoogleAuth.READ_SCOPES,
          redirectUri: emu.defaultApp.redirectUri,
          state: "xyz-state",
          prompt: "consent",
          codeChallenge: pkce.challenge
        })
        expect(url.startsWith(`${emu.baseUrl}/o/oauth2/v2/auth?`)).toBe(true)
        const params = new URL(url).searchParams
        expect(params.get("access_type")).toBe("offline")
        expect(params.get("include_granted_scopes")).toBe("true")
        expect(params.get("code_challenge_method")).toBe("S256")
        const { code, state } = yield* consent(url)
        expect(state).toBe("xyz-state")
        const tokens = yield* GoogleAuth.exchangeCode({ code, redirectUri: emu.defaultApp.redirectUri, codeVerifier: pkce.verifier })
        expect(tokens.refreshToken).toBeDefined()
        expect(tokens.scopes).toEqual([...GoogleAuth.READ_SCOPES])
        expect(tokens.expiresIn).toBe(3599)

        const identity = yield* GoogleUsers.getIdentity(tokens.accessToken)
        expect(identity.legacyUserId).toBe(emu.defaultUser.userId)

        const refreshed = yield* GoogleAuth.refresh(tokens.refreshToken!)
        expect(Redacted.value(refreshed.accessToken)).not.toBe(Redacted.value(tokens.accessToken))
        // Google did not rotate: the refresh token given is kept, and still works.
        expect(Redacted.value(refreshed.refreshToken!)).toBe(Redacted.value(tokens.refreshToken!))
        const again = yield* GoogleAuth.refresh(refreshed.refreshToken!)
        yield* GoogleUsers.getIdentity(again.accessToken)

        yield* GoogleAuth.revoke(again.refreshToken!)
        const denied = yield* Effect.flip(GoogleUsers.getIdentity(again.accessToken))
        expect(denied._tag).toBe("InvalidToken")
        const refused = yield* Effect.flip(GoogleAuth.refresh(again.refreshToken!))
        expect(refused._tag).toBe("InvalidGrant")
      })))

    it.effect("refresh when Google rotates the refresh token; online access gives none", () =>
      withClient(Effect.gen(function*() {
        const emu = yield* Emulator.EmulatorService
        Google.configure(emu.state, { rotateRefreshTokens: true })
        try {
          const minted = mint(emu)
          const rotated = yield* GoogleAuth.refresh(minted.refreshToken)
          expect(Redacted.value(rotated.refreshToken!)).not.toBe(minted.refreshToken)
          const old = yield* Effect.flip(GoogleAuth.refresh(minted.refreshToken))
          expect(old._tag).toBe("InvalidGrant")
          yield* GoogleAuth.refresh(rotated.refreshToken!)
        } finally {
          Google.configure(emu.state, { rotateRefreshTokens: false })
        }
        const url = yield* GoogleAuth.authorizeUrl({
          scope: GoogleAuth.scopes("sleep.readonly"),
          redirectUri: emu.defaultApp.redirectUri,
          accessType: "online"
        })
        const { code } = yield* consent(url)
        const online = yield* GoogleAuth.exchangeCode({ code, redirectUri: emu.defaultApp.redirectUri })
        expect(online.refreshToken).toBeUndefined()
      })))

    it.effect("token errors are the tagged OAuth errors, secrets never in messages", () =>
      Effect.gen(function*() {
        const emu = yield* Emulator.EmulatorService
        const wrong = GoogleHealthConfig.layer({ clientId: emu.defaultApp.clientId, clientSecret: "not-the-secret-0000", baseUrl: emu.baseUrl })
        const bad = yield* Effect.flip(GoogleAuth.refresh("some-refresh-token-value").pipe(
          Effect.provide(Layer.merge(wrong, NodeHttpClient.layerUndici))
        ))
        expect(bad._tag).toBe("InvalidClient")
        expect(bad.message).not.toContain("not-the-secret-0000")
        const pkce = yield* Pkce.make()
        const url = yield* GoogleAuth.authorizeUrl({ scope: GoogleAuth.READ_SCOPES, redirectUri: emu.defaultApp.redirectUri, codeChallenge: pkce.challenge })
        const { code } = yield* consent(url)
        const other = yield* Pkce.make()
        const mismatch = yield* Effect.flip(GoogleAuth.exchangeCode({ code, redirectUri: emu.defaultApp.redirectUri, codeVerifier: other.verifier }))
        expect(mismatch._tag).toBe("InvalidGrant")
      }).pipe((self) => withClient(self)))
  })

  describe("users", () => {
    it.effect("identity, profile and settings; updates with field masks", () =>
      withClient(Effect.gen(function*() {
        const emu = yield* Emulator.EmulatorService
        const { accessToken } = mint(emu)
        const identity = yield* GoogleUsers.getIdentity(accessToken)
        expect(identity).toMatchObject({ healthUserId: Google.healthUserIdOf(emu.defaultUser.userId), legacyUserId: emu.defaultUser.userId })
        const profile = yield* GoogleUsers.getProfile(accessToken)
        expect(profile.membershipStartDate).toEqual({ year: 2024, month: 1, day: 15 })
        expect(profile.age).toBe(36)
        const byId = yield* GoogleUsers.getProfile(accessToken, { user: identity.healthUserId! })
        expect(byId.name).toBe(profile.name)
        const updated = yield* GoogleUsers.updateProfile(accessToken, { userConfiguredWalkingStrideLengthMm: 740 })
        expect(updated.userConfiguredWalkingStrideLengthMm).toBe(740)
        expect((yield* GoogleUsers.getProfile(accessToken)).userConfiguredWalkingStrideLengthMm).toBe(740)
        const refused = yield* Effect.flip(GoogleUsers.updateProfile(accessToken, { age: 20 }))
        expect(refused._tag).toBe("ValidationFailed")

        const settings = yield* GoogleUsers.getSettings(accessToken)
        expect(settings.timeZone).toBe("UTC")
        const changed = yield* GoogleUsers.updateSettings(accessToken, { distanceUnit: "MILES" })
        expect(changed.distanceUnit).toBe("MILES")
        expect((yield* GoogleUsers.getSettings(accessToken)).distanceUnit).toBe("MILES")

        const other = yield* Effect.flip(GoogleUsers.getProfile(accessToken, { user: "someone-else" }))
        expect(other._tag).toBe("InsufficientScope")
      })))

    it.effect("the IRN profile answers with the irn scope and is refused without it", () =>
      withClient(Effect.gen(function*() {
        const emu = yield* Emulator.EmulatorService
        const withIrn = mint(emu, { scopes: [...GoogleAuth.READ_SCOPES, `${GoogleAuth.SCOPE_PREFIX}irn.readonly`] })
        const identity = yield* GoogleUsers.getIdentity(withIrn.accessToken)
        const irn = yield* GoogleUsers.getIrnProfile(withIrn.accessToken)
        expect(irn.name).toBe(`users/${identity.healthUserId}/irnProfile`)
        expect(irn.enrollmentStatus).toBe(true)
        expect(irn.onboardingStatus).toBe(true)
        expect(Date.parse(irn.updateTime!)).toBe(emu.now() - 3_600_000)
        const withoutIrn = mint(emu, { scopes: [...GoogleAuth.READ_SCOPES] })
        const refused = yield* Effect.flip(GoogleUsers.getIrnProfile(withoutIrn.accessToken))
        expect(refused._tag).toBe("InsufficientScope")
      })))
  })

  describe("data points", () => {
    it.effect("list with a filter follows nextPageToken; the stream sums to the day's steps", () =>
      withClient(Effect.gen(function*() {
        const emu = yield* Emulator.EmulatorService
        const { accessToken } = mint(emu)
        const filter = GoogleDataPoints.filters.intervalCivil("steps", "2026-11-20", "2026-11-21")
        const first = yield* GoogleDataPoints.list(accessToken, "steps", { filter, pageSize: 10 })
        expect(first.dataPoints).toHaveLength(10)
        expect(first.nextPageToken).toBeDefined()
        const second = yield* GoogleDataPoints.list(accessToken, "steps", { filter, pageSize: 10, pageToken: first.nextPageToken })
        expect(second.dataPoints[0]).not.toEqual(first.dataPoints[0])
        const all = Chunk.toReadonlyArray(yield* Stream.runCollect(GoogleDataPoints.stream(accessToken, "steps", { filter, pageSize: 10 })))
        expect(all.length).toBeGreaterThan(20)
        const steps = GoogleDataTypes.valuesOf("steps", all)
        expect(steps).toHaveLength(all.length)
        expect(steps.reduce((n, s) => n + s.count, 0)).toBe(DataGenerator.steps(emu.seed, emu.defaultUser.userId, "2026-11-20"))
        // Newest first, as Google orders them.
        expect(steps[0]!.interval.startTime > steps[steps.length - 1]!.interval.startTime).toBe(true)
        const badToken = yield* Effect.flip(GoogleDataPoints.list(accessToken, "steps", { filter, pageToken: "not-a-token" }))
        expect(badToken._tag).toBe("ValidationFailed")
        // A filter on another type's field breaks Google's filter rule: refused before sending.
        const badFilter = yield* Effect.flip(GoogleDataPoints.list(accessToken, "steps", { filter: "weight.date >= \"2026-11-01\"" }))
        expect(badFilter._tag).toBe("InvalidInput")
      })))

    it.effect("an exercise exports as TCX: raw XML with the activity and location scopes, refused without location", () =>
      withClient(Effect.gen(function*() {
        const emu = yield* Emulator.EmulatorService
        const { accessToken } = mint(emu)
        const filter = GoogleDataPoints.filters.intervalCivil("exercise", "2026-11-18", "2026-11-25")
        const workouts = yield* GoogleDataPoints.list(accessToken, "exercise", { filter })
        const workout = workouts.dataPoints.find((p) => p._tag === "Exercise")
        expect(workout).toBeDefined()
        if (workout?._tag !== "Exercise") return
        const id = workout.name!.split("/").pop()!
        const tcx = yield* GoogleDataPoints.exportExerciseTcx(accessToken, { id }, { partialData: true })
        const start = new Date(workout.value.interval.startTime).toISOString()
        expect(tcx).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<TrainingCenterDatabase /)
        expect(tcx).toContain(`<Id>${start}</Id>`)
        expect(tcx).toContain(`<Lap StartTime="${start}">`)
        expect(yield* GoogleDataPoints.exportExerciseTcx(accessToken, workout.name!)).toBe(tcx)

        const noLocation = mint(emu, { scopes: [`${GoogleAuth.SCOPE_PREFIX}activity_and_fitness.readonly`] })
        expect((yield* Effect.flip(GoogleDataPoints.exportExerciseTcx(noLocation.accessToken, { id })))._tag).toBe("InsufficientScope")
        expect((yield* Effect.flip(GoogleDataPoints.exportExerciseTcx(accessToken, { id: "999999" })))._tag).toBe("NotFound")
        const notExercise = yield* Effect.flip(GoogleDataPoints.exportExerciseTcx(accessToken, "users/me/dataTypes/steps/dataPoints/1"))
        expect(notExercise._tag).toBe("InvalidInput")
      })))

    it.effect("a week of each kind of type decodes; sleep, weight, exercise are identifiable and get-able", () =>
      withClient(Effect.gen(function*() {
        const emu = yield* Emulator.EmulatorService
        const { accessToken } = mint(emu)
        const week = (type: string) => {
          switch (type) {
            case "sleep":
              return GoogleDataPoints.filters.sleepCivilEnd("2026-11-18", "2026-11-25")
            case "daily-resting-heart-rate":
            case "daily-heart-rate-variability":
            case "daily-oxygen-saturation":
              return GoogleDataPoints.filters.dailyDate(type, "2026-11-18", "2026-11-25")
            case "heart-rate":
            case "heart-rate-variability":
            case "weight":
            case "body-fat":
            case "oxygen-saturation":
              return GoogleDataPoints.filters.sampleCivil(type, "2026-11-18", "2026-11-25")
            default:
              return GoogleDataPoints.filters.intervalCivil(type, "2026-11-18", "2026-11-25")
          }
        }
        // Every type's decoding is checked in google-datatypes-emulator.test.ts; here the week's filters.
        for (const type of ["steps", "heart-rate", "daily-resting-heart-rate", "weight", "exercise"]) {
          const points = Chunk.toReadonlyArray(yield* Stream.runCollect(GoogleDataPoints.stream(accessToken, type as GoogleDataTypes.DataTypeId, { filter: week(type) })))
          expect(points.length, type).toBeGreaterThan(0)
          expect(points.every((p) => p._tag !== "Unknown" && p.dataType === type), type).toBe(true)
        }
        const sleeps = yield* GoogleDataPoints.list(accessToken, "sleep", { filter: week("sleep") })
        expect(sleeps.dataPoints).toHaveLength(7)
        const night = sleeps.dataPoints[0]!
        const fetched = yield* GoogleDataPoints.get(accessToken, night.name!)
        expect(fetched).toEqual(night)
        const expected = DataGenerator.sleep(emu.seed, emu.defaultUser.userId, "2026-11-24")
        const value = GoogleDataTypes.valuesOf("sleep", [night])[0]!
        expect(value.summary?.minutesAsleep).toBe(expected.minutesAsleep)
        const missing = yield* Effect.flip(GoogleDataPoints.get(accessToken, { dataType: "sleep", id: "123456" }))
        expect(missing._tag).toBe("NotFound")
      })))

    it.effect("create, get, patch, batchDelete; a type without a schema round-trips as raw JSON", () =>
      withClient(Effect.gen(function*() {
        const emu = yield* Emulator.EmulatorService
        const { accessToken } = mint(emu)
        const weight = { weightGrams: 71500, sampleTime: { physicalTime: "2026-11-25T07:30:00Z", utcOffset: "0s" } }
        const op = yield* GoogleDataPoints.create(accessToken, "weight", weight, { id: "morning-weigh-in" })
        expect(op.done).toBe(true)
        const name = `users/${Google.healthUserIdOf(emu.defaultUser.userId)}/dataTypes/weight/dataPoints/morning-weigh-in`
        const created = yield* GoogleDataPoints.get(accessToken, name)
        expect(GoogleDataTypes.valuesOf("weight", [created])[0]!.weightGrams).toBe(71500)
        const again = yield* Effect.flip(GoogleDataPoints.create(accessToken, "weight", weight, { id: "morning-weigh-in" }))
        expect(again._tag).toBe("Conflict")
        const listed = yield* GoogleDataPoints.list(accessToken, "weight", { filter: GoogleDataPoints.filters.sampleTime("weight", "2026-11-25T07:00:00Z", "2026-11-25T08:00:00Z") })
        expect(listed.dataPoints.map((p) => p.name)).toContain(name)

        yield* GoogleDataPoints.patch(accessToken, name, { weightGrams: 71200, sampleTime: { physicalTime: "2026-11-25T07:30:00Z", utcOffset: "0s" } })
        expect(GoogleDataTypes.valuesOf("weight", [yield* GoogleDataPoints.get(accessToken, name)])[0]!.weightGrams).toBe(71200)

        // A type Google adds after this client was built: created as raw JSON, listed back as Unknown.
        const future = { skinConductance: { microsiemens: 2.5, interval: { startTime: "2026-11-25T09:00:00Z", endTime: "2026-11-25T10:00:00Z" } } }
        const skinConductance = GoogleDataTypes.unlisted("skin-conductance") // the escape hatch for types newer than the library
        yield* GoogleDataPoints.create(accessToken, skinConductance, future)
        const futurePage = yield* GoogleDataPoints.list(accessToken, skinConductance, {
          filter: GoogleDataPoints.filters.intervalCivil("skin-conductance", "2026-11-25", "2026-11-26")
        })
        expect(futurePage.dataPoints).toHaveLength(1)
        const unknown = futurePage.dataPoints[0]!
        expect(unknown._tag).toBe("Unknown")
        expect(unknown.dataType).toBe("skin-conductance")
        expect((unknown.raw as { skinConductance: unknown }).skinConductance).toEqual(future.skinConductance)

        const deleted = yield* GoogleDataPoints.batchDelete(accessToken, [name, unknown.name!])
        expect(deleted.done).toBe(true)
        expect((yield* Effect.flip(GoogleDataPoints.get(accessToken, name)))._tag).toBe("NotFound")
        const gone = yield* Effect.flip(GoogleDataPoints.batchDelete(accessToken, [name]))
        expect(gone._tag).toBe("NotFound")
      })))

    it.effect("rollUp, dailyRollUp and reconcile agree with the generated totals", () =>
      withClient(Effect.gen(function*() {
        const emu = yield* Emulator.EmulatorService
        const { accessToken } = mint(emu)
        const user = emu.defaultUser.userId
        const hourly = yield* GoogleDataPoints.rollUp(accessToken, "steps", {
          range: { startTime: "2026-11-21T00:00:00Z", endTime: "2026-11-22T00:00:00Z" },
          windowSeconds: 3600
        })
        expect(hourly.rollupDataPoints.length).toBeGreaterThan(5)
        expect(hourly.rollupDataPoints.reduce((n, w) => n + (w.steps?.countSum ?? 0), 0)).toBe(DataGenerator.steps(emu.seed, user, "2026-11-21"))

        const daily = yield* GoogleDataPoints.dailyRollUp(accessToken, "steps", { range: { start: "2026-11-18", end: "2026-11-25" } })
        expect(daily.rollupDataPoints.map((w) => w.steps?.countSum)).toEqual(
          DataGenerator.datesBetween("2026-11-18", "2026-11-24").map((d) => DataGenerator.steps(emu.seed, user, d))
        )
        const weekly = yield* GoogleDataPoints.dailyRollUp(accessToken, "steps", { range: { start: "2026-11-18", end: "2026-11-25" }, windowSizeDays: 7 })
        expect(weekly.rollupDataPoints).toHaveLength(1)
        const heart = yield* GoogleDataPoints.dailyRollUp(accessToken, "heart-rate", { range: { start: "2026-11-24", end: "2026-11-25" } })
        const hr = heart.rollupDataPoints[0]!.heartRate!
        expect(hr.beatsPerMinuteMin! <= hr.beatsPerMinuteAvg! && hr.beatsPerMinuteAvg! <= hr.beatsPerMinuteMax!).toBe(true)
        // heart-rate rolls up over at most 14 days (Google's rule): refused before sending.
        const tooLong = yield* Effect.flip(GoogleDataPoints.dailyRollUp(accessToken, "heart-rate", { range: { start: "2026-10-01", end: "2026-11-25" } }))
        expect(tooLong._tag).toBe("InvalidInput")
        expect(tooLong._tag === "InvalidInput" && tooLong.field).toBe("range")

        const reconciled = Chunk.toReadonlyArray(yield* Stream.runCollect(GoogleDataPoints.reconcileStream(accessToken, "sleep", {
          filter: GoogleDataPoints.filters.sleepCivilEnd("2026-11-22", "2026-11-25"),
          dataSourceFamily: "users/me/dataSourceFamilies/google-wearables"
        })))
        expect(reconciled).toHaveLength(3)
        expect(reconciled.every((p) => p._tag === "Sleep" && p.name !== undefined && p.dataSource === undefined)).toBe(true)
      })))
  })

  describe("paired devices", () => {
    it.effect("list pages, stream, get", () =>
      withClient(Effect.gen(function*() {
        const emu = yield* Emulator.EmulatorService
        const { accessToken } = mint(emu)
        const first = yield* GooglePairedDevices.list(accessToken, { pageSize: 1 })
        expect(first.pairedDevices).toHaveLength(1)
        expect(first.nextPageToken).toBeDefined()
        const all = Chunk.toReadonlyArray(yield* Stream.runCollect(GooglePairedDevices.stream(accessToken, { pageSize: 1 })))
        expect(all.map((d) => d.deviceType)).toEqual(["TRACKER", "SCALE"])
        const id = all[1]!.name!.split("/").pop()!
        expect((yield* GooglePairedDevices.get(accessToken, id)).deviceVersion).toBe("Aria Air")
        expect((yield* Effect.flip(GooglePairedDevices.get(accessToken, "999")))._tag).toBe("NotFound")
      })))
  })

  describe("subscribers and subscriptions", () => {
    it.scoped("the verification handshake runs against a real endpoint; CRUD of subscribers and subscriptions", () =>
      withClient(Effect.gen(function*() {
        const emu = yield* Emulator.EmulatorService
        const { accessToken } = mint(emu)
        const secret = "Bearer webhook-secret-0123456789"
        const received: Array<unknown> = []
        const endpoint = yield* webhookServer(secret, received)

        const direct = yield* Effect.promise(() => Google.verifyEndpoint(endpoint.url, secret))
        expect(direct).toMatchObject({ ok: true, withAuthorization: 201, withoutAuthorization: 401 })
        const wrongSecret = yield* Effect.promise(() => Google.verifyEndpoint(endpoint.url, "Bearer something-else"))
        expect(wrongSecret.ok).toBe(false)

        const project = "fitbit-effect-tests"
        const op = yield* GoogleSubscribers.create(accessToken, project, {
          endpointUri: endpoint.url,
          secret: Redacted.make(secret),
          subscriberConfigs: [{ dataTypes: ["steps", "sleep"], subscriptionCreatePolicy: "MANUAL" }]
        }, { subscriberId: "main-endpoint" })
        expect(op.done).toBe(true)
        const name = `projects/${project}/subscribers/main-endpoint`
        expect(op.response).toMatchObject({ name, endpointAuthorization: { secretSet: true } })
        expect(JSON.stringify(op)).not.toContain("webhook-secret")

        const failed = yield* Effect.flip(GoogleSubscribers.create(accessToken, project, {
          endpointUri: endpoint.url,
          secret: "Bearer not-what-the-endpoint-expects"
        }, { subscriberId: "bad-endpoint" }))
        expect(failed._tag).toBe("ValidationFailed")
        expect(failed.message).not.toContain("not-what-the-endpoint-expects")

        const listed = yield* GoogleSubscribers.list(accessToken, project)
        expect(listed.subscribers.map((s) => s.name)).toEqual([name])
        expect(listed.totalSize).toBe(1)
        yield* GoogleSubscribers.patch(accessToken, name, { subscriberConfigs: [{ dataTypes: ["steps", "sleep", "weight"], subscriptionCreatePolicy: "MANUAL" }] })
        expect((yield* GoogleSubscribers.list(accessToken, project)).subscribers[0]!.subscriberConfigs![0]!.dataTypes).toContain("weight")

        const healthUser = Google.healthUserIdOf(emu.defaultUser.userId)
        const subscription = yield* GoogleSubscribers.createSubscription(accessToken, name, { user: healthUser, dataTypes: ["steps"] }, { subscriptionId: "alex-steps" })
        expect(subscription).toEqual({ name: `${name}/subscriptions/alex-steps`, user: `users/${healthUser}`, dataTypes: ["steps"] })
        const refused = yield* Effect.flip(GoogleSubscribers.createSubscription(accessToken, name, { user: healthUser, dataTypes: ["heart-rate"] }))
        expect(refused._tag).toBe("ValidationFailed")
        const found = yield* GoogleSubscribers.listSubscriptions(accessToken, name, { filter: `user = "users/${healthUser}"` })
        expect(found.subscriptions).toHaveLength(1)
        const patched = yield* GoogleSubscribers.patchSubscription(accessToken, subscription.name!, { dataTypes: ["steps", "sleep"] })
        expect(patched.dataTypes).toEqual(["steps", "sleep"])
        const all = Chunk.toReadonlyArray(yield* Stream.runCollect(GoogleSubscribers.streamSubscriptions(accessToken, name, { pageSize: 1 })))
        expect(all).toHaveLength(1)

        const blocked = yield* Effect.flip(GoogleSubscribers.del(accessToken, name))
        expect(blocked._tag).toBe("ValidationFailed")
        yield* GoogleSubscribers.deleteSubscription(accessToken, subscription.name!)
        yield* GoogleSubscribers.createSubscription(accessToken, name, { user: healthUser, dataTypes: ["sleep"] })
        yield* GoogleSubscribers.del(accessToken, name, { force: true })
        expect((yield* GoogleSubscribers.list(accessToken, project)).subscribers).toEqual([])
        expect(received).toEqual([])
      })))
  })

  describe("errors, quota, faults, sessions", () => {
    it.effect("expired token, missing scope, quota and injected faults map onto the tagged errors", () =>
      withClient(Effect.gen(function*() {
        const emu = yield* Emulator.EmulatorService
        const sleepOnly = mint(emu, { scopes: [`${GoogleAuth.SCOPE_PREFIX}sleep.readonly`] })
        const scope = yield* Effect.flip(GoogleUsers.getProfile(sleepOnly.accessToken))
        expect(scope._tag).toBe("InsufficientScope")
        const fitbitToken = emu.grantTokens()
        expect((yield* Effect.flip(GoogleUsers.getIdentity(fitbitToken.accessToken)))._tag).toBe("InvalidToken")

        const { accessToken } = mint(emu)
        emu.advance(3600_000)
        const expired = yield* Effect.flip(GoogleUsers.getIdentity(accessToken))
        expect(expired._tag).toBe("ExpiredToken")
        expect(expired.message).not.toContain(accessToken)

        const fresh = mint(emu)
        emu.injectFault({ kind: "status503", match: { pathPrefix: "/v4/users" } })
        const fault = yield* Effect.flip(GoogleUsers.getIdentity(fresh.accessToken))
        expect(fault._tag).toBe("ServerError")

        emu.setGoogleQuota({ perUserPerMinute: 1 })
        try {
          const quota = mint(emu, { userId: emu.defaultUser.userId })
          yield* GoogleUsers.getIdentity(quota.accessToken)
          const limited = yield* Effect.flip(GoogleUsers.getIdentity(quota.accessToken))
          expect(limited._tag).toBe("RateLimited")
          if (limited._tag !== "RateLimited") throw new Error(`expected RateLimited, got ${limited._tag}`)
          expect(limited.retryAfterSeconds).toBeGreaterThan(0)
          expect(limited.errors[0]?.errorType).toBe("RATE_LIMIT_EXCEEDED")
        } finally {
          emu.setGoogleQuota({ perUserPerMinute: 300 })
        }
      })))

    it.effect("a transient fault on a read is retried under the retry policy", () =>
      withClient(Effect.gen(function*() {
        const emu = yield* Emulator.EmulatorService
        const { accessToken } = mint(emu)
        emu.injectFault({ kind: "status500", match: { pathPrefix: "/v4/users/me/settings" } })
        const settings = yield* GoogleUsers.getSettings(accessToken)
        expect(settings.timeZone).toBe("UTC")
        expect(emu.pendingFaults()).toEqual([])
      }), { maxRetries: 1, baseDelay: 1, jitter: false }))

    it.scoped("a session refreshes an expired Google token once and keeps the unrotated refresh token", () =>
      Effect.gen(function*() {
        const emu = yield* Emulator.EmulatorService
        const services = yield* Layer.build(Layer.merge(client(emu), TokenStore.layerMemory))
        const session = yield* GoogleHealthSession.make().pipe(Effect.provide(services))
        const pkce = yield* Pkce.make()
        const url = GoogleAuth.authorizeUrlFor(
          yield* GoogleHealthConfig.make({ clientId: emu.defaultApp.clientId, baseUrl: emu.baseUrl }),
          { scope: GoogleAuth.READ_SCOPES, redirectUri: emu.defaultApp.redirectUri, codeChallenge: pkce.challenge }
        )
        const { code } = yield* consent(url)
        const { key, tokens } = yield* session.exchangeCode({ code, redirectUri: emu.defaultApp.redirectUri, codeVerifier: pkce.verifier })
        expect(key).toBe(Google.healthUserIdOf(emu.defaultUser.userId))
        emu.expireAccessTokens(emu.defaultUser.userId)
        const before = emu.counters().refreshesByUser[emu.defaultUser.userId] ?? 0
        const [a, b] = yield* Effect.all([
          session.withAccessToken(key, (token) => GoogleUsers.getProfile(token)),
          session.request(key, { method: "GET", path: "/users/me/settings" })
        ], { concurrency: 2 }).pipe(Effect.provide(services))
        expect(a.name).toContain("/profile")
        expect(b.status).toBe(200)
        expect((emu.counters().refreshesByUser[emu.defaultUser.userId] ?? 0) - before).toBe(1)
        const stored = yield* session.session.grant(key)
        expect(stored._tag).toBe("Some")
        if (stored._tag === "Some") expect(Redacted.value(stored.value.tokens.refreshToken!)).toBe(Redacted.value(tokens.refreshToken!))
        yield* session.revoke(key)
        expect((yield* session.session.grant(key))._tag).toBe("None")
      }))
  })
})

