// The GoogleHealthClient Promise facade against the emulator over loopback: Google OAuth with
// PKCE, the verbs' `[body, response]` for every status, typed helpers for every resource,
// pagination (array and async iteration), errors as tagged rejections, and no secret in
// its descriptions.
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { GoogleDataPoints, GoogleDataTypes, GoogleHealthWebhook } from "@fitbit-effect/core"
import { DataGenerator, Emulator, Google } from "@fitbit-effect/emulator"
import { GoogleHealthClient } from "@fitbit-effect/node"
import * as Http from "node:http"
import type { AddressInfo } from "node:net"
import { inspect } from "node:util"

let emu: Awaited<ReturnType<typeof Emulator.startEmulator>>
let client: GoogleHealthClient

beforeAll(async () => {
  emu = await Emulator.startEmulator({ clock: { start: "2026-11-25T12:00:00Z" } })
  client = new GoogleHealthClient({ clientId: emu.defaultApp.clientId, clientSecret: emu.defaultApp.clientSecret, baseUrl: emu.baseUrl })
})

afterAll(async () => {
  await client.close()
  await emu.close()
})

const follow = async (url: string) => {
  const response = await fetch(url, { redirect: "manual" })
  return new URL(response.headers.get("location")!).searchParams
}

describe("GoogleHealthClient", () => {
  it("runs the OAuth flow with PKCE, refreshes, revokes", async () => {
    const pkce = await client.createPkce()
    const url = client.getAuthorizeUrl(GoogleHealthClient.READ_SCOPES, emu.defaultApp.redirectUri, { state: "s1", codeChallenge: pkce.challenge })
    const params = await follow(url)
    expect(params.get("state")).toBe("s1")
    const token = await client.getAccessToken(params.get("code")!, emu.defaultApp.redirectUri, pkce.verifier)
    expect(token.refresh_token).toBeDefined()
    expect(token.expires_in).toBe(3599)
    expect(token.expires_at.getTime()).toBeGreaterThan(Date.now())
    const refreshed = await client.refreshAccessToken(token.refresh_token!)
    expect(refreshed.refresh_token).toBe(token.refresh_token)
    expect(refreshed.access_token).not.toBe(token.access_token)
    expect(await client.revokeAccessToken(refreshed.refresh_token!)).toEqual({})
    await expect(client.getIdentity(refreshed.access_token)).rejects.toMatchObject({ _tag: "InvalidToken", status: 401 })
    await expect(client.refreshAccessToken(refreshed.refresh_token!)).rejects.toMatchObject({ _tag: "InvalidGrant" })
    expect(() => client.getAuthorizeUrl("", emu.defaultApp.redirectUri)).toThrow(/scope/)
  })

  it("verbs resolve [body, response] for every status", async () => {
    const { accessToken } = Google.grantTokens(emu.state)
    const [identity, response] = await client.get("/users/me/identity", accessToken)
    expect(response.statusCode).toBe(200)
    expect(identity.legacyUserId).toBe(emu.defaultUser.userId)
    const [error, failed] = await client.get("/users/me/dataTypes/steps/dataPoints", accessToken, { filter: "steps.interval.start_time >= \"yesterday\"" })
    expect(failed.statusCode).toBe(400)
    expect(error.error.status).toBe("INVALID_ARGUMENT")
    const [patched] = await client.patch("/users/me/settings", accessToken, { weightUnit: "POUNDS" }, { updateMask: "weight_unit" })
    expect(patched.weightUnit).toBe("POUNDS")
    const [created, createdResponse] = await client.post("/users/me/dataTypes/body-fat/dataPoints", accessToken, {
      bodyFat: { percentage: 21.5, sampleTime: { physicalTime: "2026-11-25T07:00:00Z" } }
    })
    expect(createdResponse.statusCode).toBe(200)
    expect(created.done).toBe(true)
    const [, deleted] = await client.delete(`/projects/p-test/subscribers/missing-one`, accessToken)
    expect(deleted.statusCode).toBe(404)
    await expect(client.get("//evil.example/v4", accessToken)).rejects.toMatchObject({ _tag: "InvalidInput" })
  })

  it("typed helpers cover users, data points, paired devices and subscribers", async () => {
    const { accessToken } = Google.grantTokens(emu.state)
    expect((await client.getProfile(accessToken)).membershipStartDate).toEqual({ year: 2024, month: 1, day: 15 })
    expect((await client.updateProfile(accessToken, { userConfiguredRunningStrideLengthMm: 1100 })).userConfiguredRunningStrideLengthMm).toBe(1100)
    expect((await client.updateSettings(accessToken, { distanceUnit: "MILES" })).distanceUnit).toBe("MILES")
    expect((await client.getSettings(accessToken)).distanceUnit).toBe("MILES")
    expect(await client.getIrnProfile(accessToken)).toMatchObject({ enrollmentStatus: true, onboardingStatus: true })
    const workouts = await client.listAllDataPoints(accessToken, "exercise", {
      filter: GoogleDataPoints.filters.intervalCivil("exercise", "2026-11-18", "2026-11-25")
    })
    expect(await client.exportExerciseTcx(accessToken, workouts[0]!.name!)).toContain("<TrainingCenterDatabase")

    const filter = GoogleDataPoints.filters.intervalCivil("steps", "2026-11-22", "2026-11-23")
    const all = await client.listAllDataPoints(accessToken, "steps", { filter, pageSize: 7 })
    const iterated: Array<GoogleDataTypes.DataPoint> = []
    for await (const point of client.iterateDataPoints(accessToken, "steps", { filter, pageSize: 7 })) iterated.push(point)
    expect(iterated).toEqual(all)
    const total = GoogleDataTypes.valuesOf("steps", all).reduce((n, s) => n + s.count, 0)
    expect(total).toBe(DataGenerator.steps(emu.seed, emu.defaultUser.userId, "2026-11-22"))
    const daily = await client.dailyRollUp(accessToken, "steps", { range: { start: "2026-11-22", end: "2026-11-23" } })
    expect(daily.rollupDataPoints[0]!.steps!.countSum).toBe(total)
    const hourly = await client.rollUp(accessToken, "steps", { range: { startTime: "2026-11-22T00:00:00Z", endTime: "2026-11-23T00:00:00Z" }, windowSeconds: 86400 })
    expect(hourly.rollupDataPoints[0]!.steps!.countSum).toBe(total)
    const windows = await client.rollUpAll(accessToken, "steps", {
      range: { startTime: "2026-11-22T00:00:00Z", endTime: "2026-11-23T00:00:00Z" },
      windowSeconds: 3600,
      pageSize: 5
    })
    expect(windows.reduce((n, w) => n + (w.steps?.countSum ?? 0), 0)).toBe(total)
    expect(windows.length).toBeGreaterThan(5)
    const page = await client.listDataPoints(accessToken, "sleep", { filter: GoogleDataPoints.filters.sleepCivilEnd("2026-11-24", "2026-11-25") })
    const night = page.dataPoints[0]!
    expect(await client.getDataPoint(accessToken, night.name!)).toEqual(night)
    const reconciled = await client.reconcile(accessToken, "sleep", { filter: GoogleDataPoints.filters.sleepCivilEnd("2026-11-24", "2026-11-25") })
    expect(reconciled.dataPoints.map((p) => p.name)).toEqual([night.name])

    await client.createDataPoint(accessToken, "weight", { weightGrams: 70000, sampleTime: { physicalTime: "2026-11-25T06:00:00Z" } }, { id: "facade-weight" })
    const name = `users/${Google.healthUserIdOf(emu.defaultUser.userId)}/dataTypes/weight/dataPoints/facade-weight`
    await client.patchDataPoint(accessToken, name, { weightGrams: 69500, sampleTime: { physicalTime: "2026-11-25T06:00:00Z" } })
    expect(GoogleDataTypes.valuesOf("weight", [await client.getDataPoint(accessToken, name)])[0]!.weightGrams).toBe(69500)
    // The same checks as core's, before sending: a value missing its time, a type without create.
    await expect(client.createDataPoint(accessToken, "weight", { weightGrams: 1 } as never)).rejects.toMatchObject({ _tag: "InvalidInput", field: "dataPoint.sampleTime" })
    await expect(client.createDataPoint(accessToken, "steps", { count: 1, interval: { startTime: "2026-11-25T06:00:00Z", endTime: "2026-11-25T06:01:00Z" } }))
      .rejects.toMatchObject({ _tag: "InvalidInput", field: "dataType" })
    await client.batchDeleteDataPoints(accessToken, [name])
    await expect(client.getDataPoint(accessToken, name)).rejects.toMatchObject({ _tag: "NotFound", status: 404 })

    const devices = await client.listPairedDevices(accessToken)
    expect(devices.pairedDevices).toHaveLength(2)
    expect((await client.getPairedDevice(accessToken, devices.pairedDevices[0]!.name!.split("/").pop()!)).deviceType).toBe("TRACKER")

    const secret = "Bearer facade-webhook-secret-000"
    const handler = GoogleHealthWebhook.makeHandler({ secret })
    const server = Http.createServer((req, res) => {
      let body = ""
      req.on("data", (c) => (body += c))
      req.on("end", () => void handler(req.method ?? "", req.headers, body).then((a) => res.writeHead(a.status, a.headers).end(a.body)))
    })
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
    try {
      const endpointUri = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`
      const op = await client.createSubscriber(accessToken, "facade-project", {
        endpointUri,
        secret,
        subscriberConfigs: [{ dataTypes: ["sleep"], subscriptionCreatePolicy: "MANUAL" }]
      }, "facade-sub")
      expect(op.done).toBe(true)
      const subscriberName = "projects/facade-project/subscribers/facade-sub"
      expect((await client.listSubscribers(accessToken, "facade-project")).map((s) => s.name)).toEqual([subscriberName])
      await client.patchSubscriber(accessToken, subscriberName, { subscriberConfigs: [{ dataTypes: ["sleep", "steps"], subscriptionCreatePolicy: "MANUAL" }] })
      const subscription = await client.createSubscription(accessToken, subscriberName, { user: Google.healthUserIdOf(emu.defaultUser.userId), dataTypes: ["sleep"] })
      expect(await client.listSubscriptions(accessToken, subscriberName)).toEqual([subscription])
      expect((await client.patchSubscription(accessToken, subscription.name!, ["sleep", "steps"])).dataTypes).toEqual(["sleep", "steps"])
      await client.deleteSubscription(accessToken, subscription.name!)
      await client.deleteSubscriber(accessToken, subscriberName)
      expect(await client.listSubscribers(accessToken, "facade-project")).toEqual([])
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()))
    }
  })

  it("never shows the client secret; a closed client rejects", async () => {
    const other = new GoogleHealthClient({ clientId: "cid", clientSecret: "very-secret-value-123", baseUrl: emu.baseUrl })
    for (const text of [String(other), JSON.stringify(other), inspect(other)]) expect(text).not.toContain("very-secret-value-123")
    await other.close()
    await expect(other.getIdentity("token")).rejects.toMatchObject({ _tag: "ClientClosed", when: "after_close" })
    expect(() => new GoogleHealthClient({ clientId: "cid", baseUrl: "http://example.com" })).toThrow(/https/)
  })
})
