// How many Google requests each fitbit-node call costs when answered from Google Health, and how
// many of them are sent one after another. Every request goes through a counting HttpClient that
// orders start and end events: a request's depth is one more than the deepest request that had
// ended before it started (concurrent requests start before any answer is read, so they share a
// depth). Targets (issue 22): at most 2 round trips in sequence on every path, and at most 6
// requests except where a path needs one Google read per data type (the daily summary) or a
// multi-year range (chunks, read at once). A second call with the same grant skips the settings and identity reads.
import { afterAll, beforeAll, describe, expect, it } from "@effect/vitest"
import { FitbitHttp, GoogleAuth, GoogleHealthConfig, GoogleHealthHttp, LegacyFitbit } from "@fitbit-effect/core"
import { DataGenerator, Emulator, Google } from "@fitbit-effect/emulator"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import * as HttpClient from "@effect/platform/HttpClient"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"

type Handle = Awaited<ReturnType<typeof Emulator.startEmulator>>
let emu: Handle
let token: string
let today: string

beforeAll(async () => {
  emu = await Emulator.startEmulator({ rateLimitPerHour: 1_000_000, googleQuota: { perUserPerMinute: 1_000_000 } })
  token = Google.grantTokens(emu.state, { scopes: GoogleAuth.SCOPES.map((s) => GoogleAuth.scope(s)) }).accessToken
  today = new Date(emu.now() + emu.defaultUser.offsetFromUTCMillis).toISOString().slice(0, 10)
})
afterAll(() => emu.close())

/** Start and end events of every request, in the order they happened. */
const tracer = () => {
  const events: Array<{ readonly id: number; readonly end: boolean }> = []
  let next = 0
  const layer = Layer.effect(
    HttpClient.HttpClient,
    Effect.map(HttpClient.HttpClient, (client) =>
      HttpClient.transform(client, (effect) =>
        Effect.suspend(() => {
          const id = next++
          events.push({ id, end: false })
          return Effect.ensuring(effect, Effect.sync(() => events.push({ id, end: true })))
        })))
  ).pipe(Layer.provide(NodeHttpClient.layerUndici))
  /** Requests, and the longest chain of requests each started after the previous one ended. */
  const measure = () => {
    const depth = new Map<number, number>()
    let ended = 0
    let deepest = 0
    for (const event of events) {
      if (!event.end) depth.set(event.id, ended + 1)
      else ended = Math.max(ended, depth.get(event.id)!)
      deepest = Math.max(deepest, depth.get(event.id)!)
    }
    const requests = next
    events.length = 0
    next = 0
    return { requests, sequential: deepest }
  }
  return { layer, measure }
}

const day = (back: number) => DataGenerator.addDays(today, -back)

/** Representative calls: one per kind of route, and the long ranges. */
const CALLS = (): ReadonlyArray<readonly [string, string, string?]> => [
  ["profile", "/profile.json"],
  ["daily activity summary", `/activities/date/${day(3)}.json`],
  ["daily activity summary, today", "/activities/date/today.json"],
  ["steps 7d", `/activities/steps/date/${day(1)}/7d.json`],
  ["steps 1y", `/activities/steps/date/${day(1)}/1y.json`],
  ["steps 3y range", `/activities/steps/date/${day(3 * 365)}/${day(1)}.json`],
  ["minutesSedentary 1y", `/activities/minutesSedentary/date/${day(1)}/1y.json`],
  ["minutesVeryActive 1y", `/activities/minutesVeryActive/date/${day(1)}/1y.json`],
  ["caloriesBMR 30d", `/activities/caloriesBMR/date/${day(1)}/30d.json`],
  ["intraday steps", `/activities/steps/date/${day(1)}/1d/15min.json`],
  ["intraday heart", `/activities/heart/date/${day(1)}/1d/5min.json`],
  ["heart 30d", `/activities/heart/date/${day(1)}/30d.json`],
  ["heart 1y", `/activities/heart/date/${day(1)}/1y.json`],
  ["sleep by date", `/sleep/date/${day(1)}.json`],
  ["sleep 100 days", `/sleep/date/${day(100)}/${day(1)}.json`],
  ["weight 30d", `/body/log/weight/date/${day(1)}/30d.json`],
  ["water 7d", `/foods/log/water/date/${day(1)}/7d.json`],
  ["hrv 30 days", `/hrv/date/${day(30)}/${day(1)}.json`, "1"]
]

/** Paths that need more than 6 requests, and why. */
const MANY: Readonly<Record<string, string>> = {
  "daily activity summary": "one read per data type the summary holds (12): Google reads one type per request",
  "daily activity summary, today": "one read per data type the summary holds (12); the settings are cached",
  "steps 3y range": "13 chunks of Google's 90-day roll-up reach, read at once",
  "heart 1y": "27 chunks of calories by heart-rate zone (a 14-day roll-up reach), read at once",
  "sleep 100 days": "5 chunks of 20 days (25 sessions a page), read at once"
}

describe("Google requests per fitbit-node call", () => {
  it("every call: at most 2 round trips in sequence; at most 6 requests unless listed; the grant's settings read once", async () => {
    const { layer, measure } = tracer()
    const services = LegacyFitbit.LegacyOnGoogle.layer.pipe(
      Layer.provide(GoogleHealthHttp.layer),
      Layer.provide(GoogleHealthConfig.layer({ clientId: emu.defaultApp.clientId, clientSecret: emu.defaultApp.clientSecret, baseUrl: emu.baseUrl })),
      Layer.provide(layer)
    )
    const results = await Effect.runPromise(Effect.gen(function*() {
      const http = yield* FitbitHttp.FitbitHttp
      const out: Array<{ name: string; first: { requests: number; sequential: number }; again: { requests: number; sequential: number } }> = []
      for (const [name, path, apiVersion] of CALLS()) {
        const call = { method: "GET" as const, path, accessToken: token, ...(apiVersion === undefined ? {} : { apiVersion }) }
        const first = yield* http.request(call).pipe(Effect.map(() => measure()))
        const again = yield* http.request(call).pipe(Effect.map(() => measure()))
        out.push({ name, first, again })
      }
      return out
    }).pipe(Effect.provide(services)))
    const table = Object.fromEntries(results.map((r) => [r.name, `${r.first.requests} requests, ${r.first.sequential} in sequence; again: ${r.again.requests}, ${r.again.sequential}`]))
    for (const { again, first, name } of results) {
      expect(first.sequential, `${name}: ${table[name]}`).toBeLessThanOrEqual(2)
      if (MANY[name] === undefined) expect(first.requests, `${name}: ${table[name]}`).toBeLessThanOrEqual(6)
      // The settings read is cached per grant: the same call again needs one request fewer, unless it reads no settings.
      expect(again.requests, `${name}: ${table[name]}`).toBeLessThanOrEqual(first.requests)
      expect(again.sequential, `${name}: ${table[name]}`).toBeLessThanOrEqual(first.sequential)
    }
    // Settings and identity are kept per grant. The profile reads profile, settings, identity, heights
    // and 30 days of steps, then only the first and the last two; a `today` summary then needs no
    // settings read at all: its 12 data reads (the date's own summary costs the same).
    const profile = results.find((r) => r.name === "profile")!
    expect([profile.first.requests, profile.again.requests]).toEqual([5, 3])
    const dated = results.find((r) => r.name === "daily activity summary")!
    const todayCall = results.find((r) => r.name === "daily activity summary, today")!
    expect(todayCall.first.requests).toBe(dated.first.requests)
    console.log(table)
  }, 180_000) // 40 calls over years of generated data: 15 s alone, longer beside other files
})
