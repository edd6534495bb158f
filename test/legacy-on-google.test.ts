// fitbit-node calls answered from Google Health. For one emulated user, every supported legacy
// path (every row of `LegacyFitbit.Routes.ROUTES`, which the README's table lists) is answered by
// the emulator's Fitbit routes and by the translation over the emulator's Google routes, in
// metric and in `en_US` units; the two JSON answers must be equal field by field, except the
// fields listed in EXCEPTIONS (what Google does not provide, as the README says). Unsupported
// paths answer 501 with a Fitbit-style error naming the closest Google method; Google's errors
// come back as Fitbit's; water writes go to Google; the token calls run Google OAuth.
import { afterAll, beforeAll, describe, expect, it } from "@effect/vitest"
import { FitbitConfig, FitbitHttp, FitbitResources, GoogleAuth, GoogleHealthConfig, GoogleHealthHttp, LegacyFitbit } from "@fitbit-effect/core"
import { DataGenerator, Emulator, Google } from "@fitbit-effect/emulator"
import { FitbitApiClient } from "@fitbit-effect/node"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"

type Handle = Awaited<ReturnType<typeof Emulator.startEmulator>>

let emu: Handle
let fitbit: FitbitApiClient
let google: FitbitApiClient
let fitbitToken: string
let googleToken: string
let today: string

const ALL_GOOGLE = GoogleAuth.SCOPES.map((s) => GoogleAuth.scope(s))

/**
 * The user the answers are compared for, and the frozen instant the emulator answers at. Each pair
 * of answers must be taken at one emulator instant: values derived from "now" (a device's
 * lastSyncTime is now minus a while, to the second) differed by a second when the two answers
 * straddled a second of a ticking clock. The instant is the wall clock's at the start, since the
 * translation resolves "today" by the wall clock; the user lives where that is early afternoon, so
 * the emulator's "today" and the wall clock's are the same date for ten hours at least.
 */
const frozen = (() => {
  const startedAt = Date.now()
  const offsetHours = 13 - new Date(startedAt).getUTCHours() // -10 … +13: a real time zone's offset
  const timezone = offsetHours === 0 ? "UTC" : `Etc/GMT${offsetHours > 0 ? "-" : "+"}${Math.abs(offsetHours)}` // Etc/ signs are inverted
  return { startedAt, user: { userId: "LEGACY1", timezone, offsetFromUTCMillis: offsetHours * 3_600_000 } }
})()

beforeAll(async () => {
  emu = await Emulator.startEmulator({
    clock: { start: frozen.startedAt },
    users: [frozen.user],
    rateLimitPerHour: 1_000_000,
    googleQuota: { perUserPerMinute: 1_000_000 }
  })
  const credentials = { clientId: emu.defaultApp.clientId, clientSecret: emu.defaultApp.clientSecret, baseUrl: emu.baseUrl }
  fitbit = new FitbitApiClient(credentials)
  google = new FitbitApiClient({ ...credentials, backend: "google-health" })
  fitbitToken = emu.grantTokens().accessToken
  googleToken = Google.grantTokens(emu.state, { scopes: ALL_GOOGLE }).accessToken
  today = new Date(emu.now() + emu.defaultUser.offsetFromUTCMillis).toISOString().slice(0, 10)
})

afterAll(async () => {
  await fitbit.close()
  await google.close()
  await emu.close()
})

const day = (back: number) => DataGenerator.addDays(today, -back)

/** Concrete paths for every route (by its template), version first when it needs one. */
const samples = (): Record<string, ReadonlyArray<string>> => {
  const d = day(5)
  const ACTIVITY = ["steps", "distance", "calories", "caloriesBMR", "activityCalories", "floors", "elevation", "minutesSedentary", "minutesLightlyActive", "minutesFairlyActive", "minutesVeryActive", "active-zone-minutes"]
  return {
    "/profile.json": ["/profile.json"],
    "/devices.json": ["/devices.json"],
    "/activities/date/{date}.json": [`/activities/date/${d}.json`, `/activities/date/${day(12)}.json`, "/activities/date/today.json"],
    "/activities/{resource}/date/{date}/{period}.json": [
      ...ACTIVITY.map((r) => `/activities/${r}/date/${d}/7d.json`),
      `/activities/steps/date/${day(20)}/${day(2)}.json`,
      `/activities/minutesSedentary/date/${day(40)}/${day(10)}.json`
    ],
    "/activities/steps/date/{date}/1d/15min.json": [`/activities/steps/date/${d}/1d/15min.json`],
    "/activities/steps/date/{date}/1d/15min/time/{start}/{end}.json": [`/activities/steps/date/${d}/1d/15min/time/08:00/12:30.json`],
    "/activities/heart/date/{date}/{period}.json": [`/activities/heart/date/${d}/7d.json`, `/activities/heart/date/${day(9)}/${day(3)}.json`],
    "/activities/heart/date/{date}/1d/5min.json": [`/activities/heart/date/${d}/1d/5min.json`],
    "/activities/heart/date/{date}/1d/5min/time/{start}/{end}.json": [`/activities/heart/date/${d}/1d/5min/time/06:00/07:00.json`],
    "/sleep/date/{date}.json": [`/sleep/date/${d}.json`],
    "/sleep/date/{date}/{end}.json": [`/sleep/date/${day(10)}/${d}.json`],
    "/sleep/list.json": [`/sleep/list.json?beforeDate=${d}&sort=desc&limit=5&offset=0`, `/sleep/list.json?beforeDate=${d}&limit=3&offset=3`],
    "/body/log/weight/date/{date}.json": [0, 1, 2, 3, 4, 5, 6].map((b) => `/body/log/weight/date/${day(b)}.json`),
    "/body/log/weight/date/{date}/{period}.json": [`/body/log/weight/date/${d}/30d.json`],
    "/body/log/fat/date/{date}.json": [0, 1, 2, 3].map((b) => `/body/log/fat/date/${day(b)}.json`),
    "/body/log/fat/date/{date}/{period}.json": [`/body/log/fat/date/${day(20)}/${d}.json`],
    "/body/{resource}/date/{date}/{period}.json": ["weight", "bmi", "fat"].map((r) => `/body/${r}/date/${d}/1m.json`),
    "/foods/log/water/date/{date}.json": [`/foods/log/water/date/${d}.json`],
    "/foods/log/water/date/{date}/{period}.json": [`/foods/log/water/date/${d}/7d.json`],
    ...Object.fromEntries(["spo2", "hrv", "br", "cardioscore", "temp/skin"].flatMap((m) => [
      [`/${m}/date/{date}.json`, [`1|/${m}/date/${d}.json`]],
      [`/${m}/date/{date}/{end}.json`, [`1|/${m}/date/${day(14)}/${d}.json`]]
    ]))
  }
}

/** What Google does not provide or what differs, by route (README: "What differs"): removed from both answers before comparing. */
const EXCEPTIONS: Record<string, ReadonlyArray<string>> = {
  "/profile.json": ["user.displayName", "user.fullName", "user.gender", "user.dateOfBirth", "user.startDayOfWeek", "user.weight", "user.averageDailySteps"],
  "/activities/date/{date}.json": ["summary.marginalCalories"],
  "/sleep/date/{date}.json": ["sleep[].levels.summary.*.thirtyDayAvgMinutes"],
  "/sleep/date/{date}/{end}.json": ["sleep[].levels.summary.*.thirtyDayAvgMinutes"],
  "/sleep/list.json": ["sleep[].levels.summary.*.thirtyDayAvgMinutes", "pagination.next", "pagination.previous"]
}

const drop = (value: any, path: ReadonlyArray<string>): void => {
  if (value === null || typeof value !== "object" || path.length === 0) return
  const [head, ...rest] = path
  if (head!.endsWith("[]")) {
    for (const item of value[head!.slice(0, -2)] ?? []) drop(item, rest)
  } else if (head === "*") {
    for (const key of Object.keys(value)) {
      if (rest.length === 0) delete value[key]
      else drop(value[key], rest)
    }
  } else if (rest.length === 0) {
    delete value[head!]
  } else {
    drop(value[head!], rest)
  }
}

const WRITES = new Set(["POST", "PUT", "DELETE"])

describe("every supported legacy path answers the same JSON from Google Health", () => {
  it("every route of the table has samples here", () => {
    const table = samples()
    const missing = LegacyFitbit.Routes.ROUTES.filter((r) => !WRITES.has(r.method) && table[r.path] === undefined).map((r) => r.path)
    expect(missing).toEqual([])
  })

  for (const route of LegacyFitbit.Routes.ROUTES.filter((r) => !WRITES.has(r.method))) {
    for (const language of [undefined, "en_US"] as const) {
      it(`GET ${route.path}${language === undefined ? "" : " (en_US)"}`, async () => {
        for (const sample of samples()[route.path] ?? []) {
          const [version, path] = sample.includes("|") ? sample.split("|") as [string, string] : [undefined, sample]
          const headers = language === undefined ? undefined : { "Accept-Language": language }
          const call = (client: FitbitApiClient, token: string) =>
            version === undefined
              ? client.get(path, token, undefined, headers)
              : new FitbitApiClient({
                clientId: emu.defaultApp.clientId,
                clientSecret: emu.defaultApp.clientSecret,
                baseUrl: emu.baseUrl,
                apiVersion: version,
                ...(client.backend === "google-health" ? { backend: "google-health" as const } : {})
              }).get(path, token, undefined, headers)
          const [expected, fitbitResponse] = await call(fitbit, fitbitToken)
          const [actual, googleResponse] = await call(google, googleToken)
          expect(fitbitResponse.statusCode, `${sample} (Fitbit)`).toBe(200)
          expect(googleResponse.statusCode, `${sample}: ${JSON.stringify(actual).slice(0, 300)}`).toBe(200)
          for (const field of EXCEPTIONS[route.path] ?? []) {
            drop(expected, field.split("."))
            drop(actual, field.split("."))
          }
          expect(actual, sample).toEqual(expected)
        }
      })
    }
  }
})

describe("what the translation does not answer, and errors", () => {
  it("an unsupported path is 501 with a Fitbit-style error naming the closest Google method", async () => {
    const [body, response] = await google.get(`/foods/log/date/${day(1)}.json`, googleToken)
    expect(response.statusCode).toBe(501)
    expect(body.errors[0].errorType).toBe("not_supported")
    expect(body.errors[0].message).toContain("nutrition-log")
    const [friends, friendsResponse] = await google.get("/friends.json", googleToken)
    expect(friendsResponse.statusCode).toBe(501)
    expect(friends.errors[0].message).toContain("Google Health has no such data")
    const [, finer] = await google.get(`/activities/steps/date/${day(1)}/1d/1min.json`, googleToken)
    expect(finer.statusCode).toBe(501)
    const [other] = await google.get("/profile.json", googleToken, "ABC999")
    expect(other.errors[0].message).toContain("own user")
  })

  it("a path Fitbit does not have is 404 not_found in Fitbit's shape, with the supported path it is a typo of", async () => {
    const [typo, typoResponse] = await google.get("/activities/stepz/date/today/1d.json", googleToken)
    expect(typoResponse.statusCode).toBe(404)
    expect(typo).toEqual({
      errors: [{
        errorType: "not_found",
        message: "The API you are requesting could not be found: GET /1.2/user/-/activities/stepz/date/today/1d.json. Did you mean GET /1.2/user/-/activities/steps/date/today/1d.json?"
      }],
      success: false
    })
    // The same as the emulator's Fitbit API answers: a 404 not_found.
    const [fitbitTypo, fitbitResponse] = await fitbit.get("/activities/stepz/date/today/1d.json", fitbitToken)
    expect(fitbitResponse.statusCode).toBe(404)
    expect(fitbitTypo.errors[0].errorType).toBe("not_found")
    // A misspelt segment, a missing extension, a sleep path asked on version 1 (sleep answers on 1.2).
    const [body] = await google.get(`/body/log/wieght/date/${day(1)}.json`, googleToken)
    expect(body.errors[0].message).toContain(`Did you mean GET /1.2/user/-/body/log/weight/date/${day(1)}.json?`)
    const [profile] = await google.get("/profile", googleToken)
    expect(profile.errors[0].message).toContain("Did you mean GET /1.2/user/-/profile.json?")
    const [sleep, sleepResponse] = await google.get(`/sleeep/date/${day(1)}.json`, googleToken)
    expect(sleepResponse.statusCode).toBe(404)
    expect(sleep.errors[0].message).toContain(`Did you mean GET /1.2/user/-/sleep/date/${day(1)}.json?`)
    // Nothing close: a 404 without a guess.
    const [far, farResponse] = await google.get("/completely/unknown/thing.json", googleToken)
    expect(farResponse.statusCode).toBe(404)
    expect(far.errors[0].message).not.toContain("Did you mean")
    // Known Fitbit paths Google Health cannot answer stay 501.
    for (const known of ["/badges.json", `/activities/tracker/steps/date/${day(1)}/7d.json`, "/foods/log/favorite.json", "/irn/alerts/list.json"]) {
      const [, response] = await google.get(known, googleToken)
      expect(response.statusCode, known).toBe(501)
    }
  })

  it("Google's errors come back as Fitbit's: invalid token, missing scope, bad date", async () => {
    const [invalid, invalidResponse] = await google.get("/profile.json", "not-a-google-token")
    expect(invalidResponse.statusCode).toBe(401)
    expect(invalid.errors[0].errorType).toBe("invalid_token")
    expect(invalid.errors[0].message).not.toContain("not-a-google-token")
    const sleepOnly = Google.grantTokens(emu.state, { scopes: ["profile.readonly", "settings.readonly", "sleep.readonly"].map((s) => GoogleAuth.scope(s as GoogleAuth.ScopeName)) })
    const [refused, refusedResponse] = await google.get(`/activities/steps/date/${day(1)}/7d.json`, sleepOnly.accessToken)
    expect(refusedResponse.statusCode).toBe(403)
    expect(refused.errors[0].errorType).toBe("insufficient_scope")
    const [bad, badResponse] = await google.get("/activities/date/2026-13-45.json", googleToken)
    expect(badResponse.statusCode).toBe(400)
    expect(bad.errors[0]).toMatchObject({ errorType: "validation", fieldName: "date" })
  })
})

describe("water writes go to Google Health", () => {
  it("log, update and delete a glass; the day's summary follows", async () => {
    const date = day(2)
    const [before] = await google.get(`/foods/log/water/date/${date}.json`, googleToken)
    const [created, createdResponse] = await google.post("/foods/log/water.json", googleToken, { amount: 330, date, unit: "ml" })
    expect(createdResponse.statusCode).toBe(201)
    const logId = created.waterLog.logId as number
    expect(created.waterLog.amount).toBe(330)
    const [after] = await google.get(`/foods/log/water/date/${date}.json`, googleToken)
    expect(after.summary.water).toBe(before.summary.water + 330)
    expect(after.water).toContainEqual({ amount: 330, logId })
    const [updated] = await google.put(`/foods/log/water/${logId}.json`, googleToken, { amount: 8, unit: "fl oz" })
    expect(updated.waterLog.amount).toBe(236.59)
    const [, removed] = await google.delete(`/foods/log/water/${logId}.json`, googleToken)
    expect(removed.statusCode).toBe(204)
    const [gone] = await google.get(`/foods/log/water/date/${date}.json`, googleToken)
    expect(gone.summary.water).toBe(before.summary.water)
    const [, invalid] = await google.post("/foods/log/water.json", googleToken, { amount: "lots", date })
    expect(invalid.statusCode).toBe(400)
  })
})

describe("Google OAuth behind fitbit-node's token calls", () => {
  it("the authorize URL asks Google for the mapped scopes, offline; a code becomes fitbit-node's token JSON", async () => {
    const url = new URL(google.getAuthorizeUrl("activity heartrate sleep profile", emu.defaultApp.redirectUri, undefined, "s-1"))
    expect(url.pathname).toBe("/o/oauth2/v2/auth")
    const scope = url.searchParams.get("scope")!.split(" ")
    expect(scope).toEqual(expect.arrayContaining(["activity_and_fitness", "health_metrics_and_measurements", "sleep", "profile"].map((s) => GoogleAuth.scope(s as GoogleAuth.ScopeName))))
    expect(url.searchParams.get("access_type")).toBe("offline")
    expect(url.searchParams.get("prompt")).toBe("consent")
    expect(() => google.getAuthorizeUrl("friends", emu.defaultApp.redirectUri)).toThrow(/not a Fitbit scope/)
    const redirect = await fetch(url, { redirect: "manual" })
    const code = new URL(redirect.headers.get("location")!).searchParams.get("code")!
    const token = await google.getAccessToken(code, emu.defaultApp.redirectUri)
    expect(token.user_id).toBe(emu.defaultUser.userId)
    expect(token.token_type).toBe("Bearer")
    const [steps] = await google.get(`/activities/steps/date/${day(1)}/1d.json`, token.access_token)
    expect(Number(steps["activities-steps"][0].value)).toBe(DataGenerator.steps(emu.seed, emu.defaultUser.userId, day(1)))
    const refreshed = await google.refreshAccessToken(token.access_token, token.refresh_token!)
    expect(refreshed.refresh_token).toBe(token.refresh_token)
    expect(refreshed.expires_at).toBeInstanceOf(Date)
    expect(await google.revokeAccessToken(refreshed.access_token)).toEqual({})
    const [, revoked] = await google.get("/profile.json", refreshed.access_token)
    expect(revoked.statusCode).toBe(401)
  })
})

describe("the same translation as a layer, for Effect code", () => {
  it("FitbitResources programs run over LegacyOnGoogle.layer and agree with the Fitbit routes", async () => {
    const overGoogle = LegacyFitbit.LegacyOnGoogle.layer.pipe(
      Layer.provide(GoogleHealthHttp.layer),
      Layer.provide(GoogleHealthConfig.layer({ clientId: emu.defaultApp.clientId, clientSecret: emu.defaultApp.clientSecret, baseUrl: emu.baseUrl })),
      Layer.provide(NodeHttpClient.layerUndici)
    )
    const overFitbit = FitbitHttp.layer.pipe(
      Layer.provide(FitbitConfig.layer({ clientId: emu.defaultApp.clientId, clientSecret: emu.defaultApp.clientSecret, baseUrl: emu.baseUrl })),
      Layer.provide(NodeHttpClient.layerUndici)
    )
    const program = (token: string) =>
      Effect.all([
        FitbitResources.Activities.timeSeries(token, { resource: "steps", startDate: day(7), endDate: day(1) }),
        FitbitResources.Sleep.byDate(token, { date: day(2) })
      ])
    const [stepsG, sleepG] = await Effect.runPromise(Effect.provide(program(googleToken), overGoogle))
    const [stepsF, sleepF] = await Effect.runPromise(Effect.provide(program(fitbitToken), overFitbit))
    expect(stepsG).toEqual(stepsF)
    expect(sleepG.sleep.map((s) => s.minutesAsleep)).toEqual(sleepF.sleep.map((s) => s.minutesAsleep))
    const unsupported = await Effect.runPromise(Effect.flip(Effect.provide(FitbitResources.Activities.intraday(googleToken, { resource: "steps", date: day(1), detailLevel: "1min" }), overGoogle)))
    expect(unsupported._tag).toBe("ApiError")
    expect(unsupported.message).toContain("not translated")
  })
})
