// Google's per-data-type rules (`GoogleDataTypeRules`) held from both sides: a call that breaks a
// rule fails before sending with `InvalidInput` naming the rule (the emulator counts no request),
// and the emulator, driven with raw HTTP as any client would, serves the same rules: the sleep
// `OR` filter, Google's refusal of a start-time filter on sleep, per-type page sizes (25 for
// sessions, larger sizes truncated), proto-name query parameters, roll-up reach, and the
// v4beta-only types refused on v4.
import { describe, expect, it, layer } from "@effect/vitest"
import { GoogleDataPoints, GoogleDataTypeRules, GoogleDataTypes, GoogleHealthHttp } from "@fitbit-effect/core"
import { Emulator, Google } from "@fitbit-effect/emulator"
import * as Effect from "effect/Effect"
import { googleClient, withGoogleClient } from "./fixtures/googleClient.js"

const googleBeta = (emu: Emulator.EmulatorHandle) => googleClient(emu, { maxRetries: 0 }, "v4beta")

const requestsTo = (emu: Emulator.EmulatorHandle, dataType: string) =>
  Object.entries(emu.counters().requestsByPath)
    .filter(([path]) => path.includes(`/dataTypes/${dataType}/`))
    .reduce((n, [, c]) => n + c, 0)

/** A raw GET against the emulator: status and JSON body. */
const raw = (emu: Emulator.EmulatorHandle, token: string, path: string, init: RequestInit = {}) =>
  Effect.promise(async () => {
    const res = await fetch(`${emu.baseUrl}${path}`, { ...init, headers: { authorization: `Bearer ${token}`, "content-type": "application/json" } })
    return { status: res.status, body: await res.json() as any }
  })

const SLEEP_OR = `sleep.interval.civil_end_time >= "2026-11-02" AND sleep.interval.civil_end_time < "2026-11-04" OR ` +
  `sleep.interval.civil_end_time >= "2026-11-20" AND sleep.interval.civil_end_time < "2026-11-22"`

describe("the rules table", () => {
  it("every rule's filter fields follow its placement; sessions page by 25; roll-ups reach 14 or 90 days", () => {
    for (const [id, rule] of Object.entries(GoogleDataTypeRules.RULES)) {
      expect(rule.pageSize.max, id).toBe(id === "sleep" || id === "exercise" ? 25 : 10000)
      if (rule.methods.includes("rollUp") || rule.methods.includes("dailyRollUp")) expect([14, 90], id).toContain(rule.rollUpDays)
      else expect(rule.rollUpDays, id).toBeUndefined()
    }
    expect(GoogleDataTypeRules.RULES["sleep"]!.filter.or).toBe(true)
    expect(Object.entries(GoogleDataTypeRules.RULES).filter(([, r]) => r.filter.or).map(([id]) => id)).toEqual(["sleep"])
    expect(Object.entries(GoogleDataTypeRules.RULES).filter(([, r]) => r.rollUpDays === 14).map(([id]) => id).sort())
      .toEqual(["active-minutes", "calories-in-heart-rate-zone", "heart-rate", "total-calories"])
  })

  it("check names the rule a call breaks, and passes calls that keep them", () => {
    const call = (path: string, query: Record<string, unknown> = {}, body?: unknown, httpMethod = "GET", channel: "v4" | "v4beta" = "v4") =>
      GoogleDataTypeRules.check({ channel, httpMethod, path, query, body })
    expect(call("/users/me/dataTypes/sleep/dataPoints", { filter: "sleep.interval.start_time >= \"2026-11-01T00:00:00Z\"" })?.reason)
      .toContain("sleep.interval.end_time or sleep.interval.civil_end_time")
    expect(call("/users/me/dataTypes/sleep/dataPoints", { filter: SLEEP_OR })).toBeUndefined()
    expect(call("/users/me/dataTypes/steps/dataPoints", { filter: SLEEP_OR.replaceAll("sleep.interval.civil_end_time", "steps.interval.civil_start_time") })?.reason)
      .toContain("OR, which Google accepts only for sleep")
    expect(call("/users/me/dataTypes/electrocardiogram/dataPoints", { filter: "electrocardiogram.interval.start_time < \"2026-11-01T00:00:00Z\"" })?.reason)
      .toContain("Google accepts >= on electrocardiogram")
    expect(call("/users/me/dataTypes/daily-resting-heart-rate/dataPoints", { filter: "daily_resting_heart_rate.date >= \"2026-11-01\"" })).toBeUndefined()
    expect(call("/users/me/dataTypes/sleep/dataPoints", { dataSourceFamily: "users/me/dataSourceFamilies/google-wearables" })?.field).toBe("dataSourceFamily")
    expect(call("/users/me/dataTypes/sleep/dataPoints:reconcile", { dataSourceFamily: "users/me/dataSourceFamilies/google-wearables" })).toBeUndefined()
    const range = { start: { date: { year: 2026, month: 11, day: 1 } }, end: { date: { year: 2026, month: 11, day: 20 } } }
    expect(call("/users/me/dataTypes/heart-rate/dataPoints:dailyRollUp", {}, { range }, "POST")?.reason).toContain("at most 14 days")
    expect(call("/users/me/dataTypes/steps/dataPoints:dailyRollUp", {}, { range }, "POST")).toBeUndefined()
    expect(call("/users/me/dataTypes/daily-resting-heart-rate/dataPoints:rollUp", {}, {}, "POST")?.reason).toContain("does not support rollUp")
    expect(call("/users/me/dataTypes/steps/dataPoints", {}, {}, "POST")?.reason).toContain("steps does not support create")
    expect(call("/users/me/dataTypes/skin-temperature-sensors/dataPoints")?.reason).toContain("v4beta")
    expect(call("/users/me/dataTypes/skin-temperature-sensors/dataPoints", {}, undefined, "GET", "v4beta")).toBeUndefined()
    // A type newer than the table is Google's to judge.
    expect(call("/users/me/dataTypes/blood-ketones/dataPoints", {}, {}, "POST")).toBeUndefined()
  })
})

layer(Emulator.layer({ clock: { start: "2026-11-25T12:00:00Z" } }), { excludeTestServices: true })("Google's rules, client and emulator", (it) => {
  it.effect("a call that breaks a rule fails before sending, naming the rule", () =>
    withGoogleClient(Effect.gen(function*() {
      const emu = yield* Emulator.EmulatorService
      const { accessToken } = Google.grantTokens(emu.state, {})
      const sent = () => requestsTo(emu, "sleep") + requestsTo(emu, "steps") + requestsTo(emu, "skin-temperature-sensors") + requestsTo(emu, "daily-resting-heart-rate")
      const before = sent()
      const startTime = yield* Effect.flip(GoogleDataPoints.list(accessToken, "sleep", {
        filter: GoogleDataPoints.filters.intervalTime("sleep", "2026-11-01T00:00:00Z", "2026-11-02T00:00:00Z")
      }))
      expect(startTime._tag).toBe("InvalidInput")
      expect(startTime._tag === "InvalidInput" && startTime.field).toBe("filter")
      expect(String(startTime)).toContain("Google's filter rule for sleep")
      const wrongType = yield* Effect.flip(GoogleDataPoints.list(accessToken, "steps", { filter: "weight.sample_time.civil_time >= \"2026-11-01\"" }))
      expect(String(wrongType)).toContain("a steps filter names steps.{field}")
      const syntax = yield* Effect.flip(GoogleDataPoints.list(accessToken, "steps", { filter: "steps.interval.civil_start_time => \"2026-11-01\"" }))
      expect(syntax._tag).toBe("InvalidInput")
      const write = yield* Effect.flip(GoogleDataPoints.create(accessToken, "steps", { count: 5, interval: { startTime: "2026-11-25T07:00:00Z", endTime: "2026-11-25T07:01:00Z" } }))
      expect(String(write)).toContain("steps does not support create")
      const beta = yield* Effect.flip(GoogleDataPoints.list(accessToken, "skin-temperature-sensors"))
      expect(String(beta)).toContain("served on Google's v4beta channel only")
      // The raw verbs are held to the same rules.
      const raw = yield* Effect.flip(GoogleHealthHttp.post("/users/me/dataTypes/daily-resting-heart-rate/dataPoints:rollUp", accessToken, {}))
      expect(String(raw)).toContain("daily-resting-heart-rate does not support rollUp")
      expect(sent()).toBe(before)
    })))

  it.effect("sleep filtered by two ranges joined with OR: the client sends it, the emulator answers both ranges' nights", () =>
    withGoogleClient(Effect.gen(function*() {
      const emu = yield* Emulator.EmulatorService
      const { accessToken } = Google.grantTokens(emu.state, {})
      const filter = GoogleDataPoints.filters.anyOf(GoogleDataPoints.filters.sleepCivilEnd("2026-11-02", "2026-11-04"), GoogleDataPoints.filters.sleepCivilEnd("2026-11-20", "2026-11-22"))
      expect(filter).toBe(SLEEP_OR)
      const page = yield* GoogleDataPoints.list(accessToken, "sleep", { filter })
      const ends = GoogleDataTypes.valuesOf("sleep", page.dataPoints).map((s) => s.interval.civilEndTime!.date!.day!).sort((a, b) => a - b)
      expect(ends).toEqual([2, 3, 20, 21])
    })))

  it.effect("the emulator refuses what Google refuses, with Google's reason", () =>
    Effect.gen(function*() {
      const emu = yield* Emulator.EmulatorService
      const { accessToken } = Google.grantTokens(emu.state, {})
      const start = yield* raw(emu, accessToken, `/v4/users/me/dataTypes/sleep/dataPoints?filter=${encodeURIComponent("sleep.interval.start_time >= \"2026-11-01T00:00:00Z\"")}`)
      expect(start.status).toBe(400)
      expect(start.body.error.status).toBe("INVALID_ARGUMENT")
      expect(JSON.stringify(start.body.error.details)).toContain("INVALID_DATA_POINT_FILTER_DATA_TYPE_MEMBER")
      const or = yield* raw(emu, accessToken, `/v4/users/me/dataTypes/steps/dataPoints?filter=${encodeURIComponent(SLEEP_OR.replaceAll("sleep.interval.civil_end_time", "steps.interval.civil_start_time"))}`)
      expect(or.status).toBe(400)
      const family = yield* raw(emu, accessToken, `/v4/users/me/dataTypes/sleep/dataPoints?dataSourceFamily=users/me/dataSourceFamilies/google-wearables`)
      expect(family.status).toBe(400)
      const beta = yield* raw(emu, accessToken, "/v4/users/me/dataTypes/skin-temperature-sensors/dataPoints")
      expect(beta.status).toBe(400)
      const range = { start: { date: { year: 2026, month: 11, day: 1 } }, end: { date: { year: 2026, month: 11, day: 20 } } }
      const reach = yield* raw(emu, accessToken, "/v4/users/me/dataTypes/heart-rate/dataPoints:dailyRollUp", { method: "POST", body: JSON.stringify({ range }) })
      expect(reach.status).toBe(400)
      expect(reach.body.error.message).toContain("at most 14 days")
    }))

  it.effect("page sizes per type, larger ones truncated; proto-name query parameters are read", () =>
    Effect.gen(function*() {
      const emu = yield* Emulator.EmulatorService
      const { accessToken } = Google.grantTokens(emu.state, {})
      const steps = (query: string) => raw(emu, accessToken, `/v4/users/me/dataTypes/steps/dataPoints?${query}`)
      const proto = yield* steps("page_size=3")
      expect(proto.body.dataPoints).toHaveLength(3)
      const next = yield* steps(`page_size=3&page_token=${encodeURIComponent(proto.body.nextPageToken)}`)
      expect(next.body.dataPoints).toHaveLength(3)
      expect(next.body.dataPoints[0]).not.toEqual(proto.body.dataPoints[0])
      // The JSON name wins when both are given.
      expect((yield* steps("pageSize=2&page_size=5")).body.dataPoints).toHaveLength(2)
      const filter = encodeURIComponent(GoogleDataPoints.filters.sleepCivilEnd("2026-09-01", "2026-11-25"))
      const sleep = yield* raw(emu, accessToken, `/v4/users/me/dataTypes/sleep/dataPoints?filter=${filter}&pageSize=100`)
      expect(sleep.body.dataPoints).toHaveLength(25)
      expect(typeof sleep.body.nextPageToken).toBe("string")
    }))

  it.effect("skin-temperature-sensors on the v4beta channel: served and decoded", () =>
    Effect.gen(function*() {
      const emu = yield* Emulator.EmulatorService
      const { accessToken } = Google.grantTokens(emu.state, {})
      const page = yield* GoogleDataPoints.list(accessToken, "skin-temperature-sensors", {
        filter: GoogleDataPoints.filters.sampleCivil("skin-temperature-sensors", "2026-11-20", "2026-11-21")
      }).pipe(Effect.provide(googleBeta(emu)))
      expect(page.dataPoints.length).toBeGreaterThan(0)
      for (const point of page.dataPoints) {
        expect(point._tag).toBe("SkinTemperatureSensors")
        if (point._tag === "SkinTemperatureSensors") {
          expect(point.value.sensorData[0]!.temperatureCelsius).toBeGreaterThan(25)
          expect(point.value.sensorData[0]!.metadata?.measurementLocation).toBe("WRIST")
        }
      }
    }))
})
