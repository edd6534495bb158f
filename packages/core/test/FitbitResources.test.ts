import { describe, expect, it } from "@effect/vitest"
import { Chunk, Effect, Redacted, Stream } from "effect"
import { FitbitResources } from "@fitbit-effect/core"
import { MockHttpClient } from "@fitbit-effect/core/testing"
import { ACCESS_TOKEN, RATE_LIMIT_HEADERS, refusedBeforeSending, type RefusalCase, setup } from "./fixtures.js"

const { Activities, Body, Devices, HeartRate, Profile, Sleep, Subscriptions, Water } = FitbitResources
const API = "https://api.fitbit.com"
const token = Redacted.make(ACCESS_TOKEN)

/** A mock that answers each request URL (without origin) from a table; anything else is a 404. */
const routes = (table: Record<string, unknown>, status = 200) =>
  setup((request) => {
    const key = `${request.method} ${request.url.replace(API, "")}`
    return key in table
      ? { status, body: table[key], headers: RATE_LIMIT_HEADERS }
      : { status: 404, body: { errors: [{ errorType: "not_found", message: `no route ${key}` }], success: false } }
  })

const profileBody = {
  user: {
    age: 38,
    avatar: "https://static0.fitbit.com/images/profile/defaultProfile_100.png",
    averageDailySteps: 8123,
    displayName: "Sam",
    encodedId: "ABC123",
    features: { exerciseGoal: true },
    fullName: "Sam Example",
    gender: "FEMALE",
    height: 170.2,
    locale: "en_GB",
    memberSince: "2019-03-02",
    offsetFromUTCMillis: 3600000,
    timezone: "Europe/Berlin",
    weight: 63.5,
    topBadges: []
  }
}

describe("Profile and Devices", () => {
  it.effect("Profile.get decodes the user and keeps unknown fields", () => {
    const { layer, mock } = routes({ "GET /1/user/-/profile.json": profileBody })
    return Effect.gen(function*() {
      const profile = yield* Profile.get(token)
      expect(profile.user.encodedId).toBe("ABC123")
      expect(profile.user.offsetFromUTCMillis).toBe(3600000)
      expect(profile.user.features).toEqual({ exerciseGoal: true })
      expect(mock.requests[0]!.headers.authorization).toBe(`Bearer ${ACCESS_TOKEN}`)
    }).pipe(Effect.provide(layer))
  })

  it.effect("Profile.get for another user and Profile.update as a form", () => {
    const { layer, mock } = routes({ "GET /1/user/228TQ4/profile.json": profileBody, "POST /1/user/-/profile.json": profileBody })
    return Effect.gen(function*() {
      yield* Profile.get(token, { userId: "228TQ4" })
      yield* Profile.update(token, { fullName: "Sam Q. Example", timezone: "Europe/Berlin" })
      expect(mock.requests[1]!.body).toBe("fullName=Sam%20Q.%20Example&timezone=Europe%2FBerlin")
      expect(mock.requests[1]!.headers["content-type"]).toBe("application/x-www-form-urlencoded")
    }).pipe(Effect.provide(layer))
  })

  it.effect("a profile without encodedId is a DecodeError", () => {
    const { layer } = routes({ "GET /1/user/-/profile.json": { user: { displayName: "x" } } })
    return Effect.gen(function*() {
      const error = yield* Effect.flip(Profile.get(token))
      expect(error._tag).toBe("DecodeError")
    }).pipe(Effect.provide(layer))
  })

  it.effect("Devices.list decodes the array", () => {
    const { layer } = routes({
      "GET /1/user/-/devices.json": [
        { battery: "High", batteryLevel: 95, deviceVersion: "Charge 6", features: [], id: "2570612980", lastSyncTime: "2026-11-25T07:12:33.000", mac: "C1A2B3C4D5E6", type: "TRACKER" },
        { battery: "Medium", deviceVersion: "Aria Air", id: "1111", lastSyncTime: "2026-11-24T21:00:01.000", type: "SCALE" }
      ]
    })
    return Effect.gen(function*() {
      const devices = yield* Devices.list(token)
      expect(devices.map((d) => [d.type, d.batteryLevel])).toEqual([["TRACKER", 95], ["SCALE", undefined]])
    }).pipe(Effect.provide(layer))
  })
})

const dailySummaryBody = {
  activities: [
    { activityId: 90009, activityParentId: 90009, activityParentName: "Run", calories: 312, description: "Running - 5 mph (12 min/mile)", distance: 4.02, duration: 1800000, hasActiveZoneMinutes: true, hasStartTime: true, isFavorite: false, lastModified: "2026-11-25T08:02:11.000Z", logId: 55512345678, name: "Run", startDate: "2026-11-25", startTime: "07:30", steps: 4321 }
  ],
  goals: { activeMinutes: 30, caloriesOut: 2600, distance: 8.05, floors: 10, steps: 10000 },
  summary: {
    activeScore: -1,
    activityCalories: 1200,
    caloriesBMR: 1500,
    caloriesOut: 2700,
    distances: [{ activity: "total", distance: 7.23 }, { activity: "tracker", distance: 7.23 }],
    elevation: 30.48,
    fairlyActiveMinutes: 20,
    floors: 10,
    heartRateZones: [{ caloriesOut: 1800.5, max: 94, min: 30, minutes: 1100, name: "Out of Range" }],
    lightlyActiveMinutes: 200,
    marginalCalories: 700,
    restingHeartRate: 58,
    sedentaryMinutes: 700,
    steps: 10234,
    veryActiveMinutes: 30
  }
}

describe("Activities", () => {
  it.effect("dailySummary decodes summary, goals and activities", () => {
    const { layer } = routes({ "GET /1/user/-/activities/date/2026-11-25.json": dailySummaryBody })
    return Effect.gen(function*() {
      const day = yield* Activities.dailySummary(token, { date: "2026-11-25" })
      expect(day.summary.steps).toBe(10234)
      expect(day.summary.restingHeartRate).toBe(58)
      expect(day.summary.distances?.[0]).toEqual({ activity: "total", distance: 7.23 })
      expect(day.summary.marginalCalories).toBe(700)
      expect(day.activities[0]!.logId).toBe(55512345678)
      expect(day.goals?.steps).toBe(10000)
    }).pipe(Effect.provide(layer))
  })

  it.effect("timeSeries by period and by range, string values decoded to numbers", () => {
    const points = [{ dateTime: "2026-11-24", value: "8123" }, { dateTime: "2026-11-25", value: "10234" }]
    const { layer, mock } = routes({
      "GET /1/user/-/activities/steps/date/today/7d.json": { "activities-steps": points },
      "GET /1/user/-/activities/tracker/distance/date/2026-11-24/2026-11-25.json": {
        "activities-tracker-distance": [{ dateTime: "2026-11-24", value: "6.12" }, { dateTime: "2026-11-25", value: "7.2300000000000004" }]
      }
    })
    return Effect.gen(function*() {
      const steps = yield* Activities.timeSeries(token, { resource: "steps", date: "today", period: "7d" })
      expect(steps).toEqual([{ dateTime: "2026-11-24", value: 8123 }, { dateTime: "2026-11-25", value: 10234 }])
      const distance = yield* Activities.timeSeries(token, { resource: "tracker/distance", startDate: "2026-11-24", endDate: "2026-11-25" })
      expect(distance.map((p) => p.value)).toEqual([6.12, 7.2300000000000004])
      expect(mock.requests).toHaveLength(2)
    }).pipe(Effect.provide(layer))
  })

  it.effect("a non-numeric time-series value is a DecodeError", () => {
    const { layer } = routes({ "GET /1/user/-/activities/steps/date/today/1d.json": { "activities-steps": [{ dateTime: "2026-11-25", value: "lots" }] } })
    return Effect.gen(function*() {
      const error = yield* Effect.flip(Activities.timeSeries(token, { resource: "steps", date: "today", period: "1d" }))
      expect(error._tag).toBe("DecodeError")
    }).pipe(Effect.provide(layer))
  })

  it.effect("intraday with a time window", () => {
    const { layer } = routes({
      "GET /1/user/-/activities/steps/date/2026-11-25/1d/15min/time/08:00/08:30.json": {
        "activities-steps": [{ dateTime: "2026-11-25", value: "130" }],
        "activities-steps-intraday": { dataset: [{ time: "08:00:00", value: 50 }, { time: "08:15:00", value: 80 }], datasetInterval: 15, datasetType: "minute" }
      }
    })
    return Effect.gen(function*() {
      const result = yield* Activities.intraday(token, { resource: "steps", date: "2026-11-25", detailLevel: "15min", startTime: "08:00", endTime: "08:30" })
      expect(result.summary[0]!.value).toBe(130)
      expect(result.intraday.dataset).toEqual([{ time: "08:00:00", value: 50 }, { time: "08:15:00", value: 80 }])
      expect(result.intraday.datasetInterval).toBe(15)
    }).pipe(Effect.provide(layer))
  })

  it.effect("log posts the form fitbit-node would, and deleteLog sends DELETE", () => {
    const { layer, mock } = setup((request) =>
      request.method === "POST"
        ? { status: 201, body: { activityLog: { activityId: 90009, activityParentId: 90009, calories: 312, description: "", distance: 4.02, duration: 1800000, isFavorite: false, logId: 55512345679, name: "Run", startTime: "07:30", steps: 4321 } } }
        : { status: 204 }
    )
    return Effect.gen(function*() {
      const logged = yield* Activities.log(token, { activityId: 90009, date: "2026-11-25", startTime: "07:30", durationMillis: 1800000, distance: 4.02, distanceUnit: "Kilometer" })
      expect(logged.activityLog.logId).toBe(55512345679)
      yield* Activities.log(token, { activityName: "Yoga", manualCalories: 120, date: "2026-11-25", startTime: "18:00", durationMillis: 3600000 })
      yield* Activities.deleteLog(token, { logId: 55512345679 })
      expect(mock.requests.map((r) => `${r.method} ${r.url}`)).toEqual([
        `POST ${API}/1/user/-/activities.json`,
        `POST ${API}/1/user/-/activities.json`,
        `DELETE ${API}/1/user/-/activities/55512345679.json`
      ])
      expect(MockHttpClient.formFields(mock.requests[0]!)).toEqual({
        activityId: "90009",
        startTime: "07:30",
        durationMillis: "1800000",
        date: "2026-11-25",
        distance: "4.02",
        distanceUnit: "Kilometer"
      })
      expect(mock.requests[1]!.body).toBe("activityName=Yoga&manualCalories=120&startTime=18%3A00&durationMillis=3600000&date=2026-11-25")
    }).pipe(Effect.provide(layer))
  })
})

const activityLogEntry = (logId: number, startTime: string) => ({
  activeDuration: 1800000,
  activityLevel: [{ minutes: 5, name: "sedentary" }],
  activityName: "Walk",
  activityTypeId: 90013,
  averageHeartRate: 101,
  calories: 150,
  duration: 1800000,
  hasActiveZoneMinutes: false,
  lastModified: "2026-11-20T09:00:00.000Z",
  logId,
  logType: "auto_detected",
  originalDuration: 1800000,
  originalStartTime: startTime,
  startTime,
  steps: 2500
})

const listPage = (ids: ReadonlyArray<number>, offset: number, next: string) => ({
  activities: ids.map((id, i) => activityLogEntry(id, `2026-11-${String(20 - i).padStart(2, "0")}T08:00:00.000+01:00`)),
  pagination: { beforeDate: "2026-11-25", limit: 2, next, offset, previous: "", sort: "desc" }
})

describe("paginated lists", () => {
  it.effect("logList reads one page with the query Fitbit expects", () => {
    const { layer, mock } = routes({
      "GET /1/user/-/activities/list.json?beforeDate=2026-11-25&sort=desc&limit=2&offset=0": listPage([1, 2], 0, "")
    })
    return Effect.gen(function*() {
      const page = yield* Activities.logList(token, { beforeDate: "2026-11-25", limit: 2 })
      expect(page.activities.map((a) => a.logId)).toEqual([1, 2])
      expect(page.pagination.next).toBe("")
      expect(mock.requests).toHaveLength(1)
    }).pipe(Effect.provide(layer))
  })

  it.effect("streamLogList follows pagination.next until it is empty", () => {
    const q = (offset: number) => `/1/user/-/activities/list.json?beforeDate=2026-11-25&sort=desc&limit=2&offset=${offset}`
    const { layer, mock } = routes({
      [`GET ${q(0)}`]: listPage([1, 2], 0, `${API}${q(2)}`),
      [`GET ${q(2)}`]: listPage([3, 4], 2, `${API}${q(4)}`),
      [`GET ${q(4)}`]: listPage([5], 4, "")
    })
    return Effect.gen(function*() {
      const all = yield* Stream.runCollect(Activities.streamLogList(token, { beforeDate: "2026-11-25", limit: 2 }))
      expect(Chunk.toReadonlyArray(all).map((a) => a.logId)).toEqual([1, 2, 3, 4, 5])
      expect(mock.requests.map((r) => r.url)).toEqual([API + q(0), API + q(2), API + q(4)])
      for (const request of mock.requests) expect(request.headers.authorization).toBe(`Bearer ${ACCESS_TOKEN}`)
    }).pipe(Effect.provide(layer))
  })

  it.effect("the stream is lazy: taking 2 entries reads one page", () => {
    const q = (offset: number) => `/1/user/-/activities/list.json?beforeDate=2026-11-25&sort=desc&limit=2&offset=${offset}`
    const { layer, mock } = routes({
      [`GET ${q(0)}`]: listPage([1, 2], 0, `${API}${q(2)}`),
      [`GET ${q(2)}`]: listPage([3, 4], 2, "")
    })
    return Effect.gen(function*() {
      const first = yield* Stream.runCollect(Stream.take(Activities.streamLogList(token, { beforeDate: "2026-11-25", limit: 2 }), 2))
      expect(Chunk.size(first)).toBe(2)
      expect(mock.requests).toHaveLength(1)
    }).pipe(Effect.provide(layer))
  })

  it.effect("maxPages stops a list that never ends", () => {
    // A server that always answers the same page with a next link.
    const { layer, mock } = setup(() => ({
      status: 200,
      body: listPage([7, 8], 0, `${API}/1/user/-/activities/list.json?beforeDate=2026-11-25&sort=desc&limit=2&offset=2`)
    }))
    return Effect.gen(function*() {
      const all = yield* Stream.runCollect(Activities.streamLogList(token, { beforeDate: "2026-11-25", limit: 2 }, { maxPages: 3 }))
      expect(Chunk.size(all)).toBe(6)
      expect(mock.requests).toHaveLength(3)
    }).pipe(Effect.provide(layer))
  })

  it.effect("a next link to another host is refused and no token goes there", () => {
    const { layer, mock } = setup(() => ({
      status: 200,
      body: listPage([1, 2], 0, "https://evil.example/1/user/-/activities/list.json?offset=2")
    }))
    return Effect.gen(function*() {
      const error = yield* Effect.flip(Stream.runCollect(Activities.streamLogList(token, { beforeDate: "2026-11-25" })))
      expect(error._tag).toBe("DecodeError")
      expect(error.message).toContain("evil.example")
      expect(mock.requests).toHaveLength(1)
      expect(mock.requests.every((r) => r.url.startsWith(`${API}/`))).toBe(true)
    }).pipe(Effect.provide(layer))
  })

  it.effect("a next link on the same origin but another resource is refused", () => {
    const { layer, mock } = setup(() => ({ status: 200, body: listPage([1], 0, `${API}/1/user/-/profile.json?offset=2`) }))
    return Effect.gen(function*() {
      const error = yield* Effect.flip(Stream.runCollect(Activities.streamLogList(token, { beforeDate: "2026-11-25" })))
      expect(error._tag).toBe("DecodeError")
      expect(mock.requests).toHaveLength(1)
    }).pipe(Effect.provide(layer))
  })

  it.effect("a next link that names the user's encoded id is followed with the call's own path", () => {
    const { layer, mock } = setup((request) =>
      request.url.includes("offset=0")
        ? { status: 200, body: listPage([1], 0, `${API}/1/user/ABC123/activities/list.json?afterDate=2026-11-01&sort=asc&limit=1&offset=1`) }
        : { status: 200, body: listPage([2], 1, "") }
    )
    return Effect.gen(function*() {
      const all = yield* Stream.runCollect(Activities.streamLogList(token, { afterDate: "2026-11-01", limit: 1 }))
      expect(Chunk.toReadonlyArray(all).map((a) => a.logId)).toEqual([1, 2])
      expect(mock.requests[1]!.url).toBe(`${API}/1/user/-/activities/list.json?afterDate=2026-11-01&sort=asc&limit=1&offset=1`)
    }).pipe(Effect.provide(layer))
  })

  it.effect("an API error on a later page fails the stream with its tag", () => {
    const { layer } = setup((request) =>
      request.url.includes("offset=0")
        ? { status: 200, body: listPage([1], 0, `${API}/1/user/-/activities/list.json?beforeDate=2026-11-25&sort=desc&limit=20&offset=20`) }
        : { status: 429, headers: { "retry-after": "60" } }
    )
    return Effect.gen(function*() {
      const error = yield* Effect.flip(Stream.runCollect(Activities.streamLogList(token, { beforeDate: "2026-11-25" })))
      expect(error._tag).toBe("RateLimited")
    }).pipe(Effect.provide(layer))
  })
})

const sleepLog = {
  dateOfSleep: "2026-11-25",
  duration: 27720000,
  efficiency: 93,
  endTime: "2026-11-25T06:54:30.000",
  infoCode: 0,
  isMainSleep: true,
  levels: {
    data: [{ dateTime: "2026-11-24T23:12:30.000", level: "wake", seconds: 600 }, { dateTime: "2026-11-24T23:22:30.000", level: "light", seconds: 1800 }],
    shortData: [{ dateTime: "2026-11-25T01:00:00.000", level: "wake", seconds: 60 }],
    summary: { deep: { count: 4, minutes: 80, thirtyDayAvgMinutes: 75 }, light: { count: 30, minutes: 250, thirtyDayAvgMinutes: 240 } }
  },
  logId: 26589710670,
  logType: "auto_detected",
  minutesAfterWakeup: 0,
  minutesAsleep: 420,
  minutesAwake: 42,
  minutesToFallAsleep: 0,
  startTime: "2026-11-24T23:12:30.000",
  timeInBed: 462,
  type: "stages"
}

describe("Sleep (API 1.2)", () => {
  it.effect("byDate and byDateRange use version 1.2", () => {
    const body = { sleep: [sleepLog], summary: { stages: { deep: 80 }, totalMinutesAsleep: 420, totalSleepRecords: 1, totalTimeInBed: 462 } }
    const { layer, mock } = routes({
      "GET /1.2/user/-/sleep/date/2026-11-25.json": body,
      "GET /1.2/user/-/sleep/date/2026-11-01/2026-11-25.json": body
    })
    return Effect.gen(function*() {
      const day = yield* Sleep.byDate(token, { date: "2026-11-25" })
      expect(day.sleep[0]!.logId).toBe(26589710670)
      expect(day.sleep[0]!.levels?.data[1]!.level).toBe("light")
      expect(day.summary?.totalMinutesAsleep).toBe(420)
      expect(day.summary?.stages).toEqual({ deep: 80 })
      yield* Sleep.byDateRange(token, { startDate: "2026-11-01", endDate: "2026-11-25" })
      expect(mock.requests).toHaveLength(2)
    }).pipe(Effect.provide(layer))
  })

  it.effect("streamList follows pagination on /1.2/", () => {
    const q = (offset: number) => `/1.2/user/-/sleep/list.json?afterDate=2026-11-01&sort=asc&limit=1&offset=${offset}`
    const page = (logId: number, next: string) => ({ sleep: [{ ...sleepLog, logId }], pagination: { afterDate: "2026-11-01", limit: 1, next, offset: 0, previous: "", sort: "asc" } })
    const { layer } = routes({ [`GET ${q(0)}`]: page(1, `${API}${q(1)}`), [`GET ${q(1)}`]: page(2, "") })
    return Effect.gen(function*() {
      const logs = yield* Stream.runCollect(Sleep.streamList(token, { afterDate: "2026-11-01", limit: 1 }))
      expect(Chunk.toReadonlyArray(logs).map((s) => s.logId)).toEqual([1, 2])
      const first = yield* Sleep.list(token, { afterDate: "2026-11-01", limit: 1 })
      expect(first.pagination.next).toBe(`${API}${q(1)}`)
    }).pipe(Effect.provide(layer))
  })

  it.effect("log and deleteLog", () => {
    const { layer, mock } = setup((request) => request.method === "POST" ? { status: 201, body: { sleep: sleepLog } } : { status: 204 })
    return Effect.gen(function*() {
      const logged = yield* Sleep.log(token, { date: "2026-11-24", startTime: "23:10", duration: 27720000 })
      expect(logged.logId).toBe(26589710670)
      yield* Sleep.deleteLog(token, { logId: "26589710670" })
      expect(mock.requests.map((r) => `${r.method} ${r.url}`)).toEqual([
        `POST ${API}/1.2/user/-/sleep.json`,
        `DELETE ${API}/1.2/user/-/sleep/26589710670.json`
      ])
      expect(mock.requests[0]!.body).toBe("startTime=23%3A10&duration=27720000&date=2026-11-24")
    }).pipe(Effect.provide(layer))
  })

  it.effect("log accepts the created log as a one-element array; an empty one is a DecodeError", () => {
    let body: unknown = { sleep: [sleepLog] }
    const { layer } = setup(() => ({ status: 201, body }))
    return Effect.gen(function*() {
      const logged = yield* Sleep.log(token, { date: "2026-11-24", startTime: "23:10", duration: 27720000 })
      expect(logged.dateOfSleep).toBe("2026-11-25")
      body = { sleep: [] }
      const error = yield* Effect.flip(Sleep.log(token, { date: "2026-11-24", startTime: "23:10", duration: 27720000 }))
      expect(error._tag).toBe("DecodeError")
    }).pipe(Effect.provide(layer))
  })

  it.effect("an overlapping log is a Conflict", () => {
    const { layer } = setup(() => ({ status: 409, body: { errors: [{ errorType: "conflict", message: "Sleep log overlaps with an existing one." }], success: false } }))
    return Effect.gen(function*() {
      const error = yield* Effect.flip(Sleep.log(token, { date: "2026-11-24", startTime: "23:10", duration: 1000 }))
      expect(error._tag).toBe("Conflict")
    }).pipe(Effect.provide(layer))
  })
})

describe("HeartRate", () => {
  const day = {
    dateTime: "2026-11-25",
    value: {
      customHeartRateZones: [],
      heartRateZones: [
        { caloriesOut: 1500.2, max: 94, min: 30, minutes: 1200, name: "Out of Range" },
        { caloriesOut: 400.1, max: 132, min: 94, minutes: 100, name: "Fat Burn" },
        { caloriesOut: 0, max: 160, min: 132, minutes: 0, name: "Cardio" },
        { caloriesOut: 0, max: 220, min: 160, minutes: 0, name: "Peak" }
      ],
      restingHeartRate: 58
    }
  }
  it.effect("timeSeries decodes zones and resting rate", () => {
    const { layer } = routes({ "GET /1/user/-/activities/heart/date/today/1d.json": { "activities-heart": [day] } })
    return Effect.gen(function*() {
      const days = yield* HeartRate.timeSeries(token, { date: "today", period: "1d" })
      expect(days[0]!.value.restingHeartRate).toBe(58)
      expect(days[0]!.value.heartRateZones.map((z) => z.name)).toEqual(["Out of Range", "Fat Burn", "Cardio", "Peak"])
    }).pipe(Effect.provide(layer))
  })

  it.effect("intraday decodes the dataset", () => {
    const { layer } = routes({
      "GET /1/user/-/activities/heart/date/2026-11-25/1d/1sec.json": {
        "activities-heart": [day],
        "activities-heart-intraday": { dataset: [{ time: "00:00:05", value: 61 }, { time: "00:00:10", value: 62 }], datasetInterval: 1, datasetType: "second" }
      }
    })
    return Effect.gen(function*() {
      const result = yield* HeartRate.intraday(token, { date: "2026-11-25", detailLevel: "1sec" })
      expect(result["activities-heart-intraday"].dataset.map((p) => p.value)).toEqual([61, 62])
      expect(result["activities-heart-intraday"].datasetType).toBe("second")
    }).pipe(Effect.provide(layer))
  })
})

describe("Body and Water", () => {
  it.effect("weight logs, fat logs and body time series", () => {
    const { layer } = routes({
      "GET /1/user/-/body/log/weight/date/2026-11-25.json": {
        weight: [{ bmi: 21.9, date: "2026-11-25", fat: 22.1, logId: 1732521600000, source: "Aria", time: "07:01:02", weight: 63.5 }]
      },
      "GET /1/user/-/body/log/fat/date/2026-11-25/7d.json": { fat: [{ date: "2026-11-25", fat: 22.1, logId: 1732521600000, source: "Aria", time: "07:01:02" }] },
      "GET /1/user/-/body/bmi/date/2026-11-01/2026-11-02.json": { "body-bmi": [{ dateTime: "2026-11-01", value: "21.93" }, { dateTime: "2026-11-02", value: "21.90" }] }
    })
    return Effect.gen(function*() {
      const weights = yield* Body.weightLogs(token, { date: "2026-11-25" })
      expect(weights[0]).toMatchObject({ weight: 63.5, bmi: 21.9, fat: 22.1, source: "Aria" })
      const fats = yield* Body.fatLogs(token, { date: "2026-11-25", period: "7d" })
      expect(fats[0]!.fat).toBe(22.1)
      const bmi = yield* Body.timeSeries(token, { resource: "bmi", startDate: "2026-11-01", endDate: "2026-11-02" })
      expect(bmi.map((p) => p.value)).toEqual([21.93, 21.9])
    }).pipe(Effect.provide(layer))
  })

  it.effect("logWeight posts weight, date and time; Accept-Language passes through", () => {
    const { layer, mock } = setup(() => ({ status: 201, body: { weightLog: { bmi: 21.9, date: "2026-11-25", logId: 1, source: "API", time: "07:00:00", weight: 140 } } }))
    return Effect.gen(function*() {
      const logged = yield* Body.logWeight(token, { weight: 140, date: "2026-11-25", time: "07:00:00" }, { headers: { "Accept-Language": "en_US" } })
      expect(logged.weight).toBe(140)
      expect(mock.requests[0]!.body).toBe("weight=140&date=2026-11-25&time=07%3A00%3A00")
      expect(mock.requests[0]!.headers["accept-language"]).toBe("en_US")
    }).pipe(Effect.provide(layer))
  })

  it.effect("water: day, time series, log and delete", () => {
    const { layer, mock } = setup((request) => {
      const path = request.url.replace(API, "")
      if (path === "/1/user/-/foods/log/water/date/2026-11-25.json") {
        return { status: 200, body: { summary: { water: 750 }, water: [{ amount: 500, logId: 9001 }, { amount: 250, logId: 9002 }] } }
      }
      if (path === "/1/user/-/foods/log/water/date/today/1w.json") {
        return { status: 200, body: { "foods-log-water": [{ dateTime: "2026-11-25", value: "750.0" }] } }
      }
      if (request.method === "POST") return { status: 201, body: { waterLog: { amount: 250, logId: 9003 } } }
      return { status: 204 }
    })
    return Effect.gen(function*() {
      const day = yield* Water.byDate(token, { date: "2026-11-25" })
      expect(day.summary?.water).toBe(750)
      expect(day.water.map((w) => w.logId)).toEqual([9001, 9002])
      const series = yield* Water.timeSeries(token, { date: "today", period: "1w" })
      expect(series[0]!.value).toBe(750)
      const logged = yield* Water.log(token, { amount: 250, date: "2026-11-25", unit: "fl oz" })
      expect(logged).toEqual({ amount: 250, logId: 9003 })
      yield* Water.deleteLog(token, { logId: 9003 })
      expect(mock.requests[2]!.url).toBe(`${API}/1/user/-/foods/log/water.json`)
      expect(mock.requests[2]!.body).toBe("amount=250&date=2026-11-25&unit=fl%20oz")
      expect(`${mock.requests[3]!.method} ${mock.requests[3]!.url}`).toBe(`DELETE ${API}/1/user/-/foods/log/water/9003.json`)
    }).pipe(Effect.provide(layer))
  })
})

describe("Subscriptions", () => {
  const subscription = { collectionType: "activities", ownerId: "ABC123", ownerType: "user", subscriberId: "1", subscriptionId: "user-42-activities" }

  it.effect("create, list and remove, with and without X-Fitbit-Subscriber-Id", () => {
    const { layer, mock } = setup((request) =>
      request.method === "POST"
        ? { status: 201, body: subscription }
        : request.method === "GET"
        ? { status: 200, body: { apiSubscriptions: [subscription] } }
        : { status: 204 }
    )
    return Effect.gen(function*() {
      const created = yield* Subscriptions.create(token, { collection: "activities", subscriptionId: "user-42-activities", subscriberId: "1" })
      expect(created.subscriptionId).toBe("user-42-activities")
      const all = yield* Subscriptions.list(token)
      expect(all).toHaveLength(1)
      yield* Subscriptions.remove(token, { collection: "activities", subscriptionId: "user-42-activities", subscriberId: "1" })
      expect(mock.requests.map((r) => `${r.method} ${r.url}`)).toEqual([
        `POST ${API}/1/user/-/activities/apiSubscriptions/user-42-activities.json`,
        `GET ${API}/1/user/-/apiSubscriptions.json`,
        `DELETE ${API}/1/user/-/activities/apiSubscriptions/user-42-activities.json`
      ])
      expect(mock.requests[0]!.headers["x-fitbit-subscriber-id"]).toBe("1")
      expect(mock.requests[0]!.body).toBe("")
      expect(mock.requests[1]!.headers["x-fitbit-subscriber-id"]).toBeUndefined()
      expect(mock.requests[2]!.headers["x-fitbit-subscriber-id"]).toBe("1")
    }).pipe(Effect.provide(layer))
  })
})

describe("bad parameters never reach the network", () => {
  const cases: ReadonlyArray<RefusalCase> = [
    ["date 2026-02-30", "date", Activities.dailySummary(token, { date: "2026-02-30" })],
    ["date 25-11-2026", "date", Activities.dailySummary(token, { date: "25-11-2026" })],
    ["date ../x", "date", Sleep.byDate(token, { date: "../profile" })],
    ["date yesterday", "date", Water.byDate(token, { date: "yesterday" })],
    ["period 2d", "period", Activities.timeSeries(token, { resource: "steps", date: "today", period: "2d" as "1d" })],
    ["period max for heart", "period", HeartRate.timeSeries(token, { date: "today", period: "max" as "1d" })],
    ["start after end", "startDate", Activities.timeSeries(token, { resource: "steps", startDate: "2026-11-25", endDate: "2026-11-01" })],
    ["unknown resource", "resource", Activities.timeSeries(token, { resource: "../../oauth2" as "steps", date: "today", period: "1d" })],
    ["weight log period 1y", "period", Body.weightLogs(token, { date: "today", period: "1y" as "1m" })],
    ["detail 1sec for steps", "detailLevel", Activities.intraday(token, { resource: "steps", date: "today", detailLevel: "1sec" as "1min" })],
    ["startTime alone", "startTime", HeartRate.intraday(token, { date: "today", detailLevel: "1min", startTime: "08:00" })],
    ["time 25:00", "startTime", HeartRate.intraday(token, { date: "today", detailLevel: "1min", startTime: "25:00", endTime: "26:00" })],
    ["list with both dates", "beforeDate", Activities.logList(token, { beforeDate: "2026-11-25", afterDate: "2026-11-01" } as never)],
    ["list with no date", "beforeDate", Sleep.list(token, {} as never)],
    ["list sort mismatch", "sort", Activities.logList(token, { beforeDate: "2026-11-25", sort: "asc" })],
    ["list limit 101", "limit", Activities.logList(token, { afterDate: "2026-11-01", limit: 101 })],
    ["list offset -1", "offset", Activities.logList(token, { afterDate: "2026-11-01", offset: -1 })],
    ["list bad date-time", "afterDate", Activities.logList(token, { afterDate: "2026-11-01T25:00:00" })],
    ["stream maxPages 0", "maxPages", Stream.runCollect(Activities.streamLogList(token, { beforeDate: "2026-11-25" }, { maxPages: 0 }))],
    ["stream bad params", "limit", Stream.runCollect(Sleep.streamList(token, { beforeDate: "2026-11-25", limit: 0 }))],
    ["logId 0", "logId", Activities.deleteLog(token, { logId: 0 })],
    ["logId ../1", "logId", Sleep.deleteLog(token, { logId: "../1" })],
    ["water amount -5", "amount", Water.log(token, { amount: -5, date: "today" })],
    ["water unit gallon", "unit", Water.log(token, { amount: 5, date: "today", unit: "gallon" as "ml" })],
    ["weight NaN", "weight", Body.logWeight(token, { weight: Number.NaN, date: "today" })],
    ["activity without id or name", "activityId", Activities.log(token, { activityName: " ", manualCalories: 1, date: "today", startTime: "07:00", durationMillis: 1 })],
    ["activity name without calories", "activityId", Activities.log(token, { activityName: "Yoga", date: "today", startTime: "07:00", durationMillis: 1 } as never)],
    ["subscription id with a slash", "subscriptionId", Subscriptions.create(token, { subscriptionId: "a/b" })],
    ["subscription without its id (untyped JavaScript)", "subscriptionId", Subscriptions.remove(token, {} as { subscriptionId: string })],
    ["subscriber id with CRLF", "subscriberId", Subscriptions.list(token, { subscriberId: "1\r\nX-Evil: 1" })],
    ["unknown collection", "collection", Subscriptions.list(token, { collection: "heart" as "body" })],
    ["bad user id", "userId", Profile.get(token, { userId: "../../x" })]
  ]
  refusedBeforeSending(cases)
})
