// Conformance of the emulator's data endpoints with ../shared/fitbit-api.md: shapes, error
// JSON, rate limits, writes and deterministic data, over raw HTTP.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest"
import { DataGenerator, type EmulatorHandle, startEmulator } from "../src/index.js"
import { api, fitbitErrorOf, FORM, form } from "./helpers.js"

const NOON = Date.parse("2026-11-25T12:00:00Z")
let emu: EmulatorHandle & { close(): Promise<void> }
let access: string
beforeAll(async () => {
  emu = await startEmulator({ clock: { start: NOON }, seed: "conformance" })
})
afterAll(() => emu.close())
beforeEach(() => {
  emu.setNow(NOON)
  emu.setRateLimit(150)
  access = emu.grantTokens().accessToken
})

const get = async (path: string, token = access) => {
  const response = await api(emu, path, token)
  return { response, body: await response.json() as any }
}

describe("data endpoints", () => {
  it("profile names the user by encoded id", async () => {
    const { body, response } = await get("/1/user/-/profile.json")
    expect(response.status).toBe(200)
    expect(body.user).toMatchObject({ encodedId: emu.defaultUser.userId, displayName: emu.defaultUser.displayName, memberSince: "2024-01-15" })
    const own = await get(`/1/user/${emu.defaultUser.userId}/profile.json`)
    expect(own.body.user.encodedId).toBe(emu.defaultUser.userId)
  })

  it("devices is an array of trackers with a sync time", async () => {
    const { body } = await get("/1/user/-/devices.json")
    expect(Array.isArray(body)).toBe(true)
    expect(body[0]).toMatchObject({ type: "TRACKER", deviceVersion: expect.any(String), lastSyncTime: expect.stringMatching(/^2026-11-25T/) })
  })

  it("the daily summary, the time series and the intraday series agree on steps", async () => {
    const summary = (await get("/1/user/-/activities/date/2026-11-24.json")).body.summary
    const expected = DataGenerator.steps("conformance", emu.defaultUser.userId, "2026-11-24")
    expect(summary.steps).toBe(expected)
    expect(summary.distances.find((d: any) => d.activity === "total").distance).toBeGreaterThan(0)
    const series = (await get("/1/user/-/activities/steps/date/2026-11-24/7d.json")).body["activities-steps"]
    expect(series).toHaveLength(7)
    expect(series.at(-1)).toEqual({ dateTime: "2026-11-24", value: String(expected) })
    expect(series[0].dateTime).toBe("2026-11-18")
    const ranged = (await get("/1/user/-/activities/steps/date/2026-11-20/2026-11-24.json")).body["activities-steps"]
    expect(ranged.map((p: any) => p.dateTime)).toEqual(["2026-11-20", "2026-11-21", "2026-11-22", "2026-11-23", "2026-11-24"])
    const intraday = (await get("/1/user/-/activities/steps/date/2026-11-24/1d/15min.json")).body["activities-steps-intraday"]
    expect(intraday.dataset).toHaveLength(96)
    expect(intraday.dataset.reduce((n: number, p: any) => n + p.value, 0)).toBe(expected)
  })

  it("`today` is the user's date on the emulator clock", async () => {
    const today = (await get("/1/user/-/activities/steps/date/today/1d.json")).body["activities-steps"]
    expect(today[0].dateTime).toBe("2026-11-25")
    emu.advance(24 * 3600_000)
    const fresh = emu.grantTokens().accessToken
    expect((await get("/1/user/-/activities/steps/date/today/1d.json", fresh)).body["activities-steps"][0].dateTime).toBe("2026-11-26")
  })

  it("heart rate: zones per day, intraday per minute", async () => {
    const day = (await get("/1/user/-/activities/heart/date/2026-11-24/1d.json")).body["activities-heart"]
    expect(day[0].value.heartRateZones.map((z: any) => z.name)).toEqual(["Out of Range", "Fat Burn", "Cardio", "Peak"])
    expect(day[0].value.heartRateZones.reduce((n: number, z: any) => n + z.minutes, 0)).toBe(1440)
    const intraday = (await get("/1/user/-/activities/heart/date/2026-11-24/1d/1min.json")).body["activities-heart-intraday"]
    expect(intraday).toMatchObject({ datasetInterval: 1, datasetType: "minute" })
    expect(intraday.dataset).toHaveLength(1440)
    expect(intraday.dataset[61]).toEqual({ time: "01:01:00", value: expect.any(Number) })
  })

  it("heart rate with a time window: the day entry as the service sends it (zones beside dateTime, value a string)", async () => {
    const body = (await get("/1/user/-/activities/heart/date/2026-11-24/1d/1min/time/08:00/08:59.json")).body
    const day = body["activities-heart"][0]
    expect(day.heartRateZones.map((z: any) => z.name)).toEqual(["Out of Range", "Fat Burn", "Cardio", "Peak"])
    expect(typeof day.value).toBe("string")
    const dataset: Array<{ value: number }> = body["activities-heart-intraday"].dataset
    expect(dataset).toHaveLength(60)
    expect(Number(day.value)).toBeCloseTo(dataset.reduce((n, p) => n + p.value, 0) / dataset.length, 1)
  })

  it("sleep 1.2 by date, range and list, with levels", async () => {
    const night = (await get("/1.2/user/-/sleep/date/2026-11-24.json")).body
    expect(night.sleep[0]).toMatchObject({ dateOfSleep: "2026-11-24", isMainSleep: true, type: "stages" })
    expect(night.summary.totalMinutesAsleep).toBe(night.sleep[0].minutesAsleep)
    const levels = night.sleep[0].levels
    expect(levels.data.reduce((n: number, s: any) => n + s.seconds, 0) / 60).toBe(night.sleep[0].timeInBed)
    const range = (await get("/1.2/user/-/sleep/date/2026-11-20/2026-11-24.json")).body.sleep
    expect(range).toHaveLength(5)
    const list = (await get("/1.2/user/-/sleep/list.json?beforeDate=2026-11-25&sort=desc&limit=3&offset=0")).body
    expect(list.sleep.map((s: any) => s.dateOfSleep)).toEqual(["2026-11-24", "2026-11-23", "2026-11-22"])
    expect(list.pagination).toMatchObject({ beforeDate: "2026-11-25", limit: 3, offset: 0, sort: "desc", previous: "" })
    const next = new URL(list.pagination.next)
    expect(next.origin).toBe(emu.baseUrl)
    const page2 = (await get(next.pathname + next.search)).body
    expect(page2.sleep[0].dateOfSleep).toBe("2026-11-21")
    expect(page2.pagination.previous).not.toBe("")
  })

  it("activity log list paginates and validates its parameters", async () => {
    const list = (await get("/1/user/-/activities/list.json?afterDate=2026-10-01&sort=asc&limit=5&offset=0")).body
    expect(list.activities.length).toBe(5)
    expect(list.pagination).toMatchObject({ afterDate: "2026-10-01", limit: 5, sort: "asc" })
    expect(list.pagination.next).toContain("offset=5")
    for (const bad of ["limit=5", "beforeDate=2026-11-01&sort=asc", "afterDate=2026-11-01&limit=101"]) {
      expect((await api(emu, `/1/user/-/activities/list.json?${bad}`, access)).status).toBe(400)
    }
    const response = await api(emu, "/1/user/-/activities/list.json?afterDate=2026-11-01&limit=101", access)
    expect((await fitbitErrorOf(response))).toMatchObject({ errorType: "validation", fieldName: "limit" })
  })

  it("weight logs and body series", async () => {
    const logs = (await get("/1/user/-/body/log/weight/date/2026-11-24/30d.json")).body.weight
    expect(logs.length).toBeGreaterThan(10)
    expect(logs[0]).toMatchObject({ bmi: expect.any(Number), weight: expect.any(Number), date: expect.any(String), logId: expect.any(Number) })
    const series = (await get("/1/user/-/body/weight/date/2026-11-24/7d.json")).body["body-weight"]
    expect(series).toHaveLength(7)
    expect(series.every((p: any) => Number(p.value) > 50)).toBe(true)
  })

  it("en_US answers in imperial units", async () => {
    const metric = (await get("/1/user/-/profile.json")).body.user.weight
    const imperial = await (await api(emu, "/1/user/-/profile.json", access, { headers: { "accept-language": "en_US" } })).json()
    expect(imperial.user.weight).toBeCloseTo(metric * 2.2046, 1)
  })
})

describe("writes", () => {
  it("water: POST persists, GET returns it, POST/PUT updates, DELETE removes", async () => {
    const created = await api(emu, "/1/user/-/foods/log/water.json", access, {
      method: "POST",
      headers: FORM,
      body: form({ amount: "250", date: "2026-11-25", unit: "ml" })
    })
    expect(created.status).toBe(201)
    const { waterLog } = await created.json() as any
    expect(waterLog.amount).toBe(250)
    const day = (await get("/1/user/-/foods/log/water/date/2026-11-25.json")).body
    expect(day.water).toContainEqual({ amount: 250, logId: waterLog.logId })
    const generated = day.summary.water - 250
    const put = await api(emu, `/1/user/-/foods/log/water/${waterLog.logId}.json`, access, { method: "PUT", headers: FORM, body: form({ amount: "300" }) })
    expect(put.status).toBe(200)
    expect((await get("/1/user/-/foods/log/water/date/2026-11-25.json")).body.summary.water).toBe(generated + 300)
    const removed = await api(emu, `/1/user/-/foods/log/water/${waterLog.logId}.json`, access, { method: "DELETE" })
    expect(removed.status).toBe(204)
    const left = (await get("/1/user/-/foods/log/water/date/2026-11-25.json")).body
    expect(left.water.map((w: { logId: number }) => w.logId)).not.toContain(waterLog.logId)
    expect(left.summary.water).toBe(generated)
    // A generated glass can be edited and deleted too.
    const glass = left.water[0]
    const edited = await api(emu, `/1/user/-/foods/log/water/${glass.logId}.json`, access, { method: "POST", headers: FORM, body: form({ amount: "100" }) })
    expect(edited.status).toBe(200)
    expect((await get("/1/user/-/foods/log/water/date/2026-11-25.json")).body.water).toContainEqual({ amount: 100, logId: glass.logId })
    expect((await api(emu, `/1/user/-/foods/log/water/${glass.logId}.json`, access, { method: "DELETE" })).status).toBe(204)
    expect((await get("/1/user/-/foods/log/water/date/2026-11-25.json")).body.summary.water).toBe(generated - glass.amount)
    const again = await api(emu, `/1/user/-/foods/log/water/${waterLog.logId}.json`, access, { method: "DELETE" })
    expect(again.status).toBe(404)
    expect((await fitbitErrorOf(again)).errorType).toBe("not_found")
  })

  it("a bad water amount answers 400 validation with the field", async () => {
    const response = await api(emu, "/1/user/-/foods/log/water.json", access, { method: "POST", headers: FORM, body: form({ amount: "lots", date: "today" }) })
    expect(response.status).toBe(400)
    expect(await fitbitErrorOf(response)).toMatchObject({ errorType: "validation", fieldName: "amount" })
  })

  it("a sleep log overlapping the night's sleep answers 409 conflict", async () => {
    const response = await api(emu, "/1.2/user/-/sleep.json", access, {
      method: "POST",
      headers: FORM,
      body: form({ date: "2026-11-24", startTime: "02:00", duration: String(3600_000) })
    })
    expect(response.status).toBe(409)
    expect((await fitbitErrorOf(response)).errorType).toBe("conflict")
    const nap = await api(emu, "/1.2/user/-/sleep.json", access, {
      method: "POST",
      headers: FORM,
      body: form({ date: "2026-11-24", startTime: "14:00", duration: String(1800_000) })
    })
    expect(nap.status).toBe(201)
  })

  it("subscriptions: create with X-Fitbit-Subscriber-Id, list, delete", async () => {
    const create = await api(emu, "/1/user/-/sleep/apiSubscriptions/sub-1.json", access, {
      method: "POST",
      headers: { "x-fitbit-subscriber-id": "42" }
    })
    expect(create.status).toBe(201)
    expect(await create.json()).toEqual({
      collectionType: "sleep",
      ownerId: emu.defaultUser.userId,
      ownerType: "user",
      subscriberId: "42",
      subscriptionId: "sub-1"
    })
    const clash = await api(emu, "/1/user/-/activities/apiSubscriptions/sub-1.json", access, { method: "POST" })
    expect(clash.status).toBe(409)
    const all = (await get("/1/user/-/apiSubscriptions.json")).body.apiSubscriptions
    expect(all.map((s: any) => s.subscriptionId)).toContain("sub-1")
    expect((await get("/1/user/-/body/apiSubscriptions.json")).body.apiSubscriptions).toEqual([])
    expect((await api(emu, "/1/user/-/sleep/apiSubscriptions/sub-1.json", access, { method: "DELETE" })).status).toBe(204)
    expect((await api(emu, "/1/user/-/sleep/apiSubscriptions/sub-1.json", access, { method: "DELETE" })).status).toBe(404)
  })

  it("counts writes", async () => {
    emu.resetCounters()
    await api(emu, "/1/user/-/foods/log/water.json", access, { method: "POST", headers: FORM, body: form({ amount: "1", date: "today" }) })
    await api(emu, "/1/user/-/foods/log/water.json", access, { method: "POST", headers: FORM, body: form({ amount: "x", date: "today" }) })
    expect(emu.counters().writes).toBe(1)
    expect(emu.counters().requestsByRoute["POST /:version/user/:userId/foods/log/water.json"]).toBe(2)
  })
})

describe("errors, in Fitbit's JSON", () => {
  it("unknown paths: 404 not_found", async () => {
    for (const path of ["/1/user/-/nothing.json", "/nowhere", "/1/user/-/activities/bogus/date/today/1d.json"]) {
      const response = await api(emu, path, access)
      expect(response.status).toBe(404)
      expect((await fitbitErrorOf(response)).errorType).toBe("not_found")
    }
  })

  it("a version Fitbit does not serve for the resource: 404 not_found", async () => {
    for (const path of ["/2/user/-/profile.json", "/1/user/-/sleep/list.json?afterDate=2026-11-01", "/1.1/user/-/sleep/date/2026-11-01/2026-11-02.json"]) {
      const response = await api(emu, path, access)
      expect(response.status).toBe(404)
      const entry = await fitbitErrorOf(response)
      expect(entry.errorType).toBe("not_found")
      expect(entry.message).toContain("version")
    }
    expect((await api(emu, "/1.1/user/-/profile.json", access)).status).toBe(200)
  })

  it("missing scope: 403 insufficient_scope", async () => {
    const narrow = emu.grantTokens({ scopes: ["activity"] }).accessToken
    const response = await api(emu, "/1.2/user/-/sleep/date/today.json", narrow)
    expect(response.status).toBe(403)
    const entry = await fitbitErrorOf(response)
    expect(entry.errorType).toBe("insufficient_scope")
    expect(entry.message).toContain("[sleep]")
  })

  it("another user's data: 403 insufficient_permissions", async () => {
    emu.addUser({ userId: "XYZ789" })
    const response = await api(emu, "/1/user/XYZ789/profile.json", access)
    expect(response.status).toBe(403)
    expect((await fitbitErrorOf(response)).errorType).toBe("insufficient_permissions")
  })

  it("expired, revoked, unknown and missing tokens: 401", async () => {
    const expiring = emu.grantTokens()
    emu.expireAccessTokens(emu.defaultUser.userId)
    const expired = await api(emu, "/1/user/-/profile.json", expiring.accessToken)
    expect(expired.status).toBe(401)
    const expiredEntry = await fitbitErrorOf(expired)
    expect(expiredEntry.errorType).toBe("expired_token")
    expect(expiredEntry.message).toContain("Access token expired")
    const revoking = emu.grantTokens()
    emu.revokeGrant(emu.defaultUser.userId)
    const revoked = await api(emu, "/1/user/-/profile.json", revoking.accessToken)
    expect(revoked.status).toBe(401)
    expect((await fitbitErrorOf(revoked)).errorType).toBe("invalid_token")
    const unknown = await api(emu, "/1/user/-/profile.json", "made-up")
    expect((await fitbitErrorOf(unknown)).errorType).toBe("invalid_token")
    const missing = await api(emu, "/1/user/-/profile.json", undefined)
    expect(missing.status).toBe(401)
    expect((await fitbitErrorOf(missing)).errorType).toBe("invalid_client")
  })

  it("access tokens expire by the emulator clock after expires_in", async () => {
    const minted = emu.grantTokens({ expiresIn: 60 })
    expect((await api(emu, "/1/user/-/profile.json", minted.accessToken)).status).toBe(200)
    emu.advance(60_000)
    expect((await api(emu, "/1/user/-/profile.json", minted.accessToken)).status).toBe(401)
  })

  it("bad dates: 400 validation naming the field", async () => {
    const response = await api(emu, "/1/user/-/activities/date/2026-02-30.json", access)
    expect(response.status).toBe(400)
    expect(await fitbitErrorOf(response)).toMatchObject({ errorType: "validation", fieldName: "date" })
  })
})

describe("rate limits", () => {
  it("every data answer carries the three headers; the reset counts to the top of the hour", async () => {
    emu.setNow(Date.parse("2026-11-25T12:59:00Z"))
    const first = await api(emu, "/1/user/-/profile.json", access)
    expect(first.headers.get("fitbit-rate-limit-limit")).toBe("150")
    expect(first.headers.get("fitbit-rate-limit-remaining")).toBe("149")
    expect(first.headers.get("fitbit-rate-limit-reset")).toBe("60")
    const error = await api(emu, "/1/user/-/nothing-here/date/today.json", access)
    expect(error.status).toBe(404)
    const scoped = await api(emu, "/1.2/user/-/sleep/date/today.json", emu.grantTokens({ scopes: ["activity"] }).accessToken)
    expect(scoped.status).toBe(403)
    expect(scoped.headers.get("fitbit-rate-limit-remaining")).toBe("148")
  })

  it("over the limit: 429 with Retry-After until the next clock hour", async () => {
    emu.setRateLimit(3)
    emu.setNow(Date.parse("2026-11-25T12:30:00Z"))
    for (let i = 0; i < 3; i++) expect((await api(emu, "/1/user/-/profile.json", access)).status).toBe(200)
    const refused = await api(emu, "/1/user/-/profile.json", access)
    expect(refused.status).toBe(429)
    expect(refused.headers.get("retry-after")).toBe("1800")
    expect(refused.headers.get("fitbit-rate-limit-remaining")).toBe("0")
    // another user has their own budget
    emu.addUser({ userId: "OTHER1" })
    expect((await api(emu, "/1/user/-/profile.json", emu.grantTokens({ userId: "OTHER1" }).accessToken)).status).toBe(200)
    emu.setNow(Date.parse("2026-11-25T13:00:00Z"))
    const reset = await api(emu, "/1/user/-/profile.json", access)
    expect(reset.status).toBe(200)
    expect(reset.headers.get("fitbit-rate-limit-remaining")).toBe("2")
  })
})

describe("determinism", () => {
  it("the same seed gives the same data; another seed differs", async () => {
    const twin = await startEmulator({ clock: { start: NOON }, seed: "conformance" })
    const other = await startEmulator({ clock: { start: NOON }, seed: "another" })
    try {
      const path = "/1.2/user/-/sleep/date/2026-11-10/2026-11-14.json"
      const a = await (await api(emu, path, access)).json()
      const b = await (await api(twin, path, twin.grantTokens().accessToken)).json()
      const c = await (await api(other, path, other.grantTokens().accessToken)).json()
      expect(b).toEqual(a)
      expect(c).not.toEqual(a)
    } finally {
      await twin.close()
      await other.close()
    }
  })
})
