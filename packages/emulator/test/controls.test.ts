// The emulator's test controls: faults, counters, clock, the HTTP control routes, the layer,
// the command line, and the data generator's determinism.
import { it as effectIt, layer } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as http from "node:http"
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest"
import { banner, parseArgs } from "../src/Command.js"
import { DataGenerator, Emulator, type EmulatorHandle, startEmulator } from "../src/index.js"
import { api, fitbitErrorOf, FORM, form, token } from "./helpers.js"

let emu: EmulatorHandle & { close(): Promise<void> }
let access: string
beforeAll(async () => {
  emu = await startEmulator({ clock: { start: "2026-11-25T12:00:00Z" } })
})
afterAll(() => emu.close())
beforeEach(() => {
  emu.clearFaults()
  emu.resetCounters()
  access = emu.grantTokens().accessToken
})

describe("faults", () => {
  it("status500 and status503 answer Fitbit's system error JSON, then the next request is normal", async () => {
    emu.injectFault({ kind: "status500" })
    const five = await api(emu, "/1/user/-/profile.json", access)
    expect(five.status).toBe(500)
    expect((await fitbitErrorOf(five)).errorType).toBe("system")
    emu.injectFault({ kind: "status503", count: 2 })
    expect((await api(emu, "/1/user/-/profile.json", access)).status).toBe(503)
    expect((await api(emu, "/1/user/-/profile.json", access)).status).toBe(503)
    expect((await api(emu, "/1/user/-/profile.json", access)).status).toBe(200)
    expect(emu.counters().faults).toBe(3)
  })

  it("html502 answers an HTML page", async () => {
    emu.injectFault({ kind: "html502" })
    const response = await api(emu, "/1/user/-/profile.json", access)
    expect(response.status).toBe(502)
    expect(response.headers.get("content-type")).toContain("text/html")
    expect(await response.text()).toContain("<h1>502 Bad Gateway</h1>")
  })

  it("status429 answers with Retry-After", async () => {
    emu.injectFault({ kind: "status429", retryAfterSeconds: 7 })
    const response = await api(emu, "/1/user/-/profile.json", access)
    expect(response.status).toBe(429)
    expect(response.headers.get("retry-after")).toBe("7")
  })

  it("malformedJson answers 200 with a body that does not parse", async () => {
    emu.injectFault({ kind: "malformedJson" })
    const response = await api(emu, "/1/user/-/profile.json", access)
    expect(response.status).toBe(200)
    expect(response.headers.get("content-type")).toContain("application/json")
    await expect(response.clone().json()).rejects.toThrow()
  })

  it("reset destroys the connection without an answer", async () => {
    emu.injectFault({ kind: "reset" })
    await expect(api(emu, "/1/user/-/profile.json", access)).rejects.toThrow()
    expect((await api(emu, "/1/user/-/profile.json", access)).status).toBe(200)
  })

  it("delay holds the answer back, then serves it", async () => {
    emu.injectFault({ kind: "delay", delayMillis: 1000, match: { pathPrefix: "/1/user/-/profile.json" } })
    // No timing assertion: the delayed request outlives a normal one sent after it.
    const order: Array<string> = []
    const slow = api(emu, "/1/user/-/profile.json", access).then((r) => order.push(`slow ${r.status}`))
    await new Promise((resolve) => setImmediate(resolve))
    const fast = api(emu, "/1/user/-/devices.json", access).then((r) => order.push(`fast ${r.status}`))
    await Promise.all([slow, fast])
    expect(order).toEqual(["fast 200", "slow 200"])
  })

  it("roundTrips counts requests that waited for an answer; requests in flight together share a step", async () => {
    emu.resetCounters()
    await api(emu, "/1/user/-/profile.json", access)
    await api(emu, "/1/user/-/devices.json", access)
    expect(emu.counters().roundTrips).toBe(2)
    emu.resetCounters()
    // Held back together: both arrive before either is answered.
    emu.injectFault({ kind: "delay", delayMillis: 200, count: 2, match: { pathPrefix: "/1/user/-/" } })
    await Promise.all([api(emu, "/1/user/-/profile.json", access), api(emu, "/1/user/-/devices.json", access)])
    expect(emu.counters().roundTrips).toBe(1)
    await api(emu, "/1/user/-/profile.json", access)
    expect(emu.counters().roundTrips).toBe(2)
  })

  it("matches by method and path prefix, and applies to the token endpoint too", async () => {
    emu.injectFault({ kind: "status503", match: { method: "POST", pathPrefix: "/oauth2/token" } })
    expect((await api(emu, "/1/user/-/profile.json", access)).status).toBe(200)
    const minted = emu.grantTokens()
    expect((await token(emu, { grant_type: "refresh_token", refresh_token: minted.refreshToken })).status).toBe(503)
    expect((await token(emu, { grant_type: "refresh_token", refresh_token: minted.refreshToken })).status).toBe(200)
    expect(emu.pendingFaults()).toEqual([])
  })

  it("rejects a fault it does not know", () => {
    expect(() => emu.injectFault({ kind: "bogus" as never })).toThrow(/kind/)
    expect(() => emu.injectFault({ kind: "reset", count: 0 })).toThrow(/count/)
  })
})

describe("counters and clock", () => {
  it("counts requests by route and by path", async () => {
    await api(emu, "/1/user/-/profile.json", access)
    await api(emu, `/1/user/${emu.defaultUser.userId}/profile.json`, access)
    const counters = emu.counters()
    expect(counters.requestsByRoute["GET /:version/user/:userId/profile.json"]).toBe(2)
    expect(counters.requestsByPath["GET /1/user/-/profile.json"]).toBe(1)
    expect(counters.requests).toBe(2)
  })

  it("setNow and advance move the emulator clock", () => {
    emu.setNow(1_000)
    emu.advance(500)
    expect(emu.now()).toBe(1_500)
    emu.setNow(Date.parse("2026-11-25T12:00:00Z"))
  })
})

describe("HTTP control routes under /__emulator", () => {
  const control = (path: string, body?: unknown, method = body === undefined ? "GET" : "POST") =>
    fetch(`${emu.baseUrl}/__emulator${path}`, {
      method,
      headers: { "content-type": "application/json" },
      ...(body === undefined ? {} : { body: JSON.stringify(body) })
    }).then(async (r) => ({ status: r.status, body: await r.json() as any }))

  it("describe, mint, expire, fault, count, set the clock and the rate limit", async () => {
    const info = await control("")
    expect(info.body).toMatchObject({ baseUrl: emu.baseUrl, defaultApp: emu.defaultApp })
    const minted = (await control("/tokens", { scopes: ["profile"] })).body
    expect((await api(emu, "/1/user/-/profile.json", minted.accessToken)).status).toBe(200)
    await control("/expire", {})
    expect((await api(emu, "/1/user/-/profile.json", minted.accessToken)).status).toBe(401)
    await control("/faults", { kind: "status500" })
    expect((await control("/faults")).body.faults).toHaveLength(1)
    await control("/faults", undefined, "DELETE")
    expect((await control("/faults")).body.faults).toHaveLength(0)
    expect((await control("/counters")).body.requests).toBe(2)
    await control("/counters/reset", {})
    expect((await control("/counters")).body.requests).toBe(0)
    expect((await control("/clock", { now: 5_000 })).body.now).toBe(5_000)
    expect((await control("/clock", { advanceMillis: 1_000 })).body.now).toBe(6_000)
    emu.setNow(Date.parse("2026-11-25T12:00:00Z"))
    await control("/rate-limit", { perHour: 1 })
    const fresh = emu.grantTokens().accessToken
    expect((await api(emu, "/1/user/-/profile.json", fresh)).status).toBe(200)
    expect((await api(emu, "/1/user/-/profile.json", fresh)).status).toBe(429)
    emu.setRateLimit(150)
    const bad = await control("/faults", { kind: "nope" })
    expect(bad.status).toBe(400)
    expect(bad.body.ok).toBe(false)
  })

  it("control calls are neither counted nor faulted", async () => {
    emu.injectFault({ kind: "reset" })
    expect((await control("")).status).toBe(200)
    expect(emu.counters().requests).toBe(0)
    emu.clearFaults()
  })

  it("the revoke control ends a user's grants", async () => {
    await control("/revoke", { userId: emu.defaultUser.userId })
    const response = await api(emu, "/1/user/-/profile.json", access)
    expect((await fitbitErrorOf(response)).errorType).toBe("invalid_token")
  })
})

describe("Emulator.layer", () => {
  layer(Emulator.layer({ clock: { start: 0 } }))((it) => {
    it.effect("provides a running emulator on 127.0.0.1", () =>
      Effect.gen(function*() {
        const handle = yield* Emulator.EmulatorService
        expect(handle.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
        const response = yield* Effect.promise(() =>
          fetch(`${handle.baseUrl}/1/user/-/foods/log/water.json`, {
            method: "POST",
            headers: { ...FORM, authorization: `Bearer ${handle.grantTokens().accessToken}` },
            body: form({ amount: "2", date: "1970-01-01" })
          })
        )
        expect(response.status).toBe(201)
      }))
  })

  effectIt.scoped("Emulator.start stops listening when its scope closes", () =>
    Effect.gen(function*() {
      const baseUrl = yield* Effect.scoped(Effect.map(Emulator.start(), (h) => h.baseUrl))
      const outcome = yield* Effect.promise(() => fetch(`${baseUrl}/__emulator`).then(() => "answered", () => "refused"))
      expect(outcome).toBe("refused")
    }))
})

describe("command line", () => {
  it("parses options and rejects bad ones", () => {
    expect(parseArgs(["--port", "8787", "--seed", "s", "--consent", "auto", "--rate-limit", "10"])).toMatchObject({
      port: 8787,
      seed: "s",
      consent: "auto",
      rateLimitPerHour: 10
    })
    expect(parseArgs([]).consent).toBe("page")
    expect(() => parseArgs(["--port", "x"])).toThrow(/port/)
    expect(() => parseArgs(["--what"])).toThrow(/unknown option/)
    expect(() => parseArgs(["--port"])).toThrow(/needs a value/)
  })

  it("the banner says which client id serves which backend: the confidential app is the Google OAuth client too", () => {
    const text = banner(emu, "page").join("\n")
    expect(text).toContain(`${emu.baseUrl}/o/oauth2/v2/auth`)
    expect(text).toContain(`${emu.baseUrl}/oauth2/authorize`)
    expect(text).toMatch(new RegExp(`confidential app: client id ${emu.defaultApp.clientId}, secret ${emu.defaultApp.clientSecret}\\n.*Fitbit "server" app.*Google OAuth client`))
    expect(text).toMatch(new RegExp(`public app: client id ${emu.publicApp.clientId}, no secret, PKCE required\\n.*Fitbit "client" app.*Google client without a secret`))
    expect(text).toContain("consent: page")
  })
})

describe("DataGenerator", () => {
  it("is a function of (seed, user, date)", () => {
    const a = DataGenerator.sleep("s", "ABC123", "2026-01-01")
    expect(DataGenerator.sleep("s", "ABC123", "2026-01-01")).toEqual(a)
    expect(DataGenerator.sleep("s", "ABC124", "2026-01-01")).not.toEqual(a)
    expect(DataGenerator.sleep("t", "ABC123", "2026-01-01")).not.toEqual(a)
    expect(a.minutesAsleep + a.minutesAwake).toBe(a.timeInBed)
    expect(a.segments.reduce((n, s) => n + s.seconds, 0)).toBe(a.timeInBed * 60)
  })

  it("spreads a day's steps over its minutes exactly", () => {
    for (const date of ["2026-03-01", "2026-03-02", "2026-03-07"]) {
      const minutes = DataGenerator.stepsByMinute("s", "ABC123", date)
      expect(minutes).toHaveLength(1440)
      expect(minutes.reduce((a, b) => a + b, 0)).toBe(DataGenerator.steps("s", "ABC123", date))
    }
  })

  it("checks dates", () => {
    expect(DataGenerator.isDate("2024-02-29")).toBe(true)
    expect(DataGenerator.isDate("2025-02-29")).toBe(false)
    expect(DataGenerator.addDays("2026-12-31", 1)).toBe("2027-01-01")
  })
})

describe("the control routes are a test tool's: this machine's scripts, never a web page", () => {
  /** A raw request to a control route with the given headers (Node's http lets a test set Host). */
  const raw = (method: string, path: string, headers: Record<string, string>, body?: string) =>
    new Promise<{ status: number; body: string }>((resolve, reject) => {
      const url = new URL(emu.baseUrl)
      const request = http.request({ host: url.hostname, port: url.port, path, method, headers }, (response) => {
        let text = ""
        response.on("data", (chunk) => (text += chunk))
        response.on("end", () => resolve({ status: response.statusCode ?? 0, body: text }))
      })
      request.on("error", reject)
      request.end(body)
    })

  it("a cross-site text/plain POST (another Origin, or Sec-Fetch-Site cross-site) is 403 and moves nothing", async () => {
    const before = emu.now()
    const advance = JSON.stringify({ advanceMillis: 86_400_000 })
    for (const headers of [
      { origin: "http://evil.example", "content-type": "text/plain" },
      { origin: "null", "content-type": "text/plain" },
      { "sec-fetch-site": "cross-site", "content-type": "text/plain" },
      { "sec-fetch-site": "same-site", "content-type": "text/plain" }
    ]) {
      const answer = await raw("POST", "/__emulator/clock", headers, advance)
      expect(answer.status).toBe(403)
      expect(answer.body).toContain("web pages")
    }
    expect(emu.now()).toBe(before)
    const subscribers = await raw("POST", "/__emulator/subscribers", { origin: "http://evil.example" }, JSON.stringify({ url: "http://evil.example/hook", verificationCode: "x" }))
    expect(subscribers.status).toBe(403)
  })

  it("another Host (DNS rebinding) cannot read GET /__emulator, which holds the default app's secret", async () => {
    const rebound = await raw("GET", "/__emulator", { host: `attacker.example:${new URL(emu.baseUrl).port}` })
    expect(rebound.status).toBe(403)
    expect(rebound.body).not.toContain(emu.defaultApp.clientSecret)
  })

  it("a script on this machine (no Origin), and a page of the emulator's own origin, are answered", async () => {
    const script = await raw("GET", "/__emulator", {})
    expect(script.status).toBe(200)
    const own = await raw("POST", "/__emulator/counters/reset", { origin: emu.baseUrl, "sec-fetch-site": "same-origin" }, "{}")
    expect(own.status).toBe(200)
    const localhost = await raw("GET", "/__emulator/clock", { host: `localhost:${new URL(emu.baseUrl).port}` })
    expect(localhost.status).toBe(200)
  })
})
