// The Promise facade (fitbit-node compatible FitbitApiClient) against the emulator over
// loopback sockets (no mock layer): the OAuth flow, refresh with rotation and expires_in,
// revoke, introspect, the four verbs with userId and extra headers, and how every failure
// the emulator can produce reaches Promise code.
import { startEmulator, type EmulatorHandle } from "@fitbit-effect/emulator"
import { FitbitApiClient, type FitbitApiClientOptions, TokenEndpointError } from "@fitbit-effect/node"
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest"

let emu: EmulatorHandle & { close(): Promise<void> }
let client: FitbitApiClient
const clients: Array<FitbitApiClient> = []

const make = (options: Partial<FitbitApiClientOptions> = {}) => {
  const made = new FitbitApiClient({
    clientId: emu.defaultApp.clientId,
    clientSecret: emu.defaultApp.clientSecret,
    baseUrl: emu.baseUrl,
    ...options
  })
  clients.push(made)
  return made
}

beforeAll(async () => {
  emu = await startEmulator({ clock: { start: "2026-11-25T12:00:00Z" } })
})
afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()))
  await emu.close()
})
beforeEach(() => {
  client = make()
})
afterEach(() => {
  emu.clearFaults()
  emu.setRateLimit(150)
  emu.setNow(Date.parse("2026-11-25T12:00:00Z"))
})

const consent = async (url: string) => {
  const response = await fetch(url, { redirect: "manual" })
  return new URL(response.headers.get("location")!).searchParams
}

describe("OAuth through the facade", () => {
  it("getAuthorizeUrl → consent → getAccessToken resolves fitbit-node's token JSON", async () => {
    const url = client.getAuthorizeUrl("activity profile", emu.defaultApp.redirectUri, "consent", "st-1")
    expect(url.startsWith(`${emu.baseUrl}/oauth2/authorize?`)).toBe(true)
    const query = await consent(url)
    expect(query.get("state")).toBe("st-1")
    const token = await client.getAccessToken(query.get("code")!, emu.defaultApp.redirectUri)
    expect(token).toMatchObject({ expires_in: 28800, scope: "activity profile", token_type: "Bearer", user_id: emu.defaultUser.userId })
    const [profile, response] = await client.get("/profile.json", token.access_token)
    expect(response.statusCode).toBe(200)
    expect(profile.user.encodedId).toBe(emu.defaultUser.userId)
    // a used code rejects with simple-oauth2's HTTPError shape
    const reused = await client.getAccessToken(query.get("code")!, emu.defaultApp.redirectUri).catch((e) => e)
    expect(reused).toBeInstanceOf(TokenEndpointError)
    expect(reused).toMatchObject({ status: 400, _tag: "InvalidGrant" })
    expect(reused.context.errors[0].errorType).toBe("invalid_grant")
  })

  it("refreshAccessToken rotates, honours expiresIn, and the old refresh token is refused", async () => {
    const minted = emu.grantTokens()
    const refreshed = await client.refreshAccessToken(minted.accessToken, minted.refreshToken, 3600)
    expect(refreshed.expires_in).toBe(3600)
    expect(refreshed.refresh_token).not.toBe(minted.refreshToken)
    expect(refreshed.expires_at).toBeInstanceOf(Date)
    const [, ok] = await client.get("/profile.json", refreshed.access_token)
    expect(ok.statusCode).toBe(200)
    const reuse = await client.refreshAccessToken(minted.accessToken, minted.refreshToken).catch((e) => e)
    expect(reuse).toMatchObject({ status: 400, _tag: "InvalidGrant" })
    expect(JSON.stringify(reuse)).not.toContain(minted.refreshToken)
  })

  it("revokeAccessToken resolves {} and ends the grant: calls then resolve with 401 invalid_token", async () => {
    const minted = emu.grantTokens()
    expect(await client.revokeAccessToken(minted.accessToken)).toEqual({})
    const [body, response] = await client.get("/profile.json", minted.accessToken)
    expect(response.statusCode).toBe(401)
    expect(body.errors[0].errorType).toBe("invalid_token")
    const refresh = await client.refreshAccessToken(minted.accessToken, minted.refreshToken).catch((e) => e)
    expect(refresh.status).toBe(400)
  })

  it("introspectAccessToken answers active and inactive", async () => {
    const minted = emu.grantTokens({ scopes: ["activity"] })
    const active = await client.introspectAccessToken(minted.accessToken)
    expect(active).toMatchObject({ active: true, user_id: emu.defaultUser.userId, client_id: emu.defaultApp.clientId })
    const other = emu.grantTokens()
    expect((await client.introspectAccessToken("gone", other.accessToken)).active).toBe(false)
  })

  it("a public app: no secret, client_id in the body (PKCE via the core), then data calls", async () => {
    const pub = make({ clientId: emu.publicApp.clientId, clientSecret: undefined })
    const minted = emu.grantTokens({ clientId: emu.publicApp.clientId })
    const refreshed = await pub.refreshAccessToken(minted.accessToken, minted.refreshToken)
    expect(refreshed.access_token).not.toBe(minted.accessToken)
    const [, response] = await pub.get("/profile.json", refreshed.access_token)
    expect(response.statusCode).toBe(200)
  })

  it("a wrong client secret rejects with 401 invalid_client", async () => {
    const wrong = make({ clientSecret: "wrong" })
    const error = await wrong.refreshAccessToken("", emu.grantTokens().refreshToken).catch((e) => e)
    expect(error).toMatchObject({ status: 401, _tag: "InvalidClient" })
    expect(error.context.errors[0].errorType).toBe("invalid_client")
  })
})

describe("data calls through the facade", () => {
  it("post, put, get, delete a water log; [body, response] with status and rate-limit headers", async () => {
    const token = emu.grantTokens().accessToken
    const [created, createdResponse] = await client.post("/foods/log/water.json", token, { amount: 250, date: "2026-11-25", unit: "ml" })
    expect(createdResponse.statusCode).toBe(201)
    const logId = created.waterLog.logId
    const [updated] = await client.put(`/foods/log/water/${logId}.json`, token, { amount: 400 })
    expect(updated.waterLog.amount).toBe(400)
    const [day, dayResponse] = await client.get("/foods/log/water/date/2026-11-25.json", token)
    expect(day.water).toContainEqual({ amount: 400, logId })
    expect(dayResponse.headers["fitbit-rate-limit-limit"]).toBe("150")
    expect(dayResponse.rateLimit?.limit).toBe(150)
    const [, removed] = await client.delete(`/foods/log/water/${logId}.json`, token)
    expect(removed.statusCode).toBe(204)
    const [again] = await client.get("/foods/log/water/date/2026-11-25.json", token)
    // The day's generated glasses stay; the deleted log is gone.
    expect(again.water.map((w: { logId: number }) => w.logId)).not.toContain(logId)
    expect(again.water).toHaveLength(day.water.length - 1)
  })

  it("apiVersion 1.2 by default (sleep list), an explicit user id, userId false, extra headers", async () => {
    const token = emu.grantTokens().accessToken
    expect(client.apiVersion).toBe("1.2")
    const [list, listResponse] = await client.get("/sleep/list.json?afterDate=2026-11-01&sort=asc&limit=3&offset=0", token)
    expect(listResponse.statusCode).toBe(200)
    expect(list.sleep.map((s: any) => s.dateOfSleep)).toEqual(["2026-11-02", "2026-11-03", "2026-11-04"])
    const [own] = await client.get("/profile.json", token, emu.defaultUser.userId)
    expect(own.user.encodedId).toBe(emu.defaultUser.userId)
    const [foods, foodsResponse] = await client.get("/foods/search.json?query=ban", token, false)
    expect(foodsResponse.url).toBe(`${emu.baseUrl}/1.2/foods/search.json`)
    expect(foods.foods.map((f: any) => f.name)).toEqual(["Banana"])
    const [sub, subResponse] = await client.post("/sleep/apiSubscriptions/facade-1.json", token, null, null, { "X-Fitbit-Subscriber-Id": "9" })
    expect(subResponse.statusCode).toBe(201)
    expect(sub).toMatchObject({ subscriberId: "9", collectionType: "sleep" })
    const [subs] = await client.get("/apiSubscriptions.json", token, undefined, { "X-Fitbit-Subscriber-Id": "9" })
    expect(subs.apiSubscriptions.map((s: any) => s.subscriptionId)).toContain("facade-1")
  })

  it("today's activity and last night's sleep, as the demo reads them", async () => {
    const token = emu.grantTokens().accessToken
    const [activity] = await client.get("/activities/date/today.json", token)
    const [series] = await client.get("/activities/steps/date/today/1d.json", token)
    expect(String(activity.summary.steps)).toBe(series["activities-steps"][0].value)
    const [sleep] = await client.get("/sleep/date/today.json", token)
    expect(sleep.sleep[0]).toMatchObject({ dateOfSleep: "2026-11-25", isMainSleep: true })
  })
})

describe("failures reach Promise code as fitbit-node's did", () => {
  it("non-2xx answers resolve with Fitbit's error JSON: 401 expired, 403, 404, 400, 409", async () => {
    const minted = emu.grantTokens({ scopes: ["activity", "nutrition", "sleep"] })
    const cases: Array<[() => Promise<any>, number, string]> = [
      [() => client.get("/profile.json", minted.accessToken), 403, "insufficient_scope"],
      [() => client.get("/no/such.json", minted.accessToken), 404, "not_found"],
      [() => client.post("/foods/log/water.json", minted.accessToken, { amount: "?", date: "today" }), 400, "validation"],
      [() => client.post("/sleep.json", minted.accessToken, { date: "2026-11-24", startTime: "03:00", duration: 3600000 }), 409, "conflict"]
    ]
    for (const [call, status, errorType] of cases) {
      const [body, response] = await call()
      expect(response.statusCode).toBe(status)
      expect(body.errors[0].errorType).toBe(errorType)
    }
    emu.expireAccessTokens()
    const [expired, expiredResponse] = await client.get("/profile.json", minted.accessToken)
    expect(expiredResponse.statusCode).toBe(401)
    expect(expired.errors[0].errorType).toBe("expired_token")
  })

  it("429 resolves with Retry-After and the rate-limit headers", async () => {
    emu.setRateLimit(0)
    emu.setNow(Date.parse("2026-11-25T12:30:00Z"))
    const [, response] = await client.get("/profile.json", emu.grantTokens().accessToken)
    expect(response.statusCode).toBe(429)
    expect(response.headers["retry-after"]).toBe("1800")
    expect(response.rateLimit?.remaining).toBe(0)
  })

  it("5xx JSON, a 502 HTML page and malformed JSON resolve with what was sent", async () => {
    const token = emu.grantTokens().accessToken
    emu.injectFault({ kind: "status503" })
    const [busy, busyResponse] = await client.get("/profile.json", token)
    expect(busyResponse.statusCode).toBe(503)
    expect(busy.errors[0].errorType).toBe("system")
    emu.injectFault({ kind: "html502" })
    const [html, htmlResponse] = await client.get("/profile.json", token)
    expect(htmlResponse.statusCode).toBe(502)
    expect(html).toContain("502 Bad Gateway")
    emu.injectFault({ kind: "malformedJson" })
    const [text, textResponse] = await client.get("/profile.json", token)
    expect(textResponse.statusCode).toBe(200)
    expect(typeof text).toBe("string")
  })

  it("a reset connection rejects with TransportError; a late answer with TimeoutError", async () => {
    const token = emu.grantTokens().accessToken
    emu.injectFault({ kind: "reset" })
    await expect(client.get("/profile.json", token)).rejects.toMatchObject({ _tag: "TransportError" })
    const impatient = make({ timeout: "200 millis" })
    emu.injectFault({ kind: "delay", delayMillis: 2000 })
    await expect(impatient.get("/profile.json", token)).rejects.toMatchObject({ _tag: "TimeoutError" })
  })

  it("bad input rejects before anything is sent", async () => {
    emu.resetCounters()
    await expect(client.get("//evil.example/x", "t")).rejects.toMatchObject({ _tag: "InvalidInput" })
    await expect(client.get("/profile.json", "t", "not a user")).rejects.toMatchObject({ _tag: "InvalidInput" })
    expect(emu.counters().requests).toBe(0)
  })

  it("no secret shows in the client's JSON or string form", () => {
    const shown = JSON.stringify(client) + String(client)
    expect(shown).not.toContain(emu.defaultApp.clientSecret)
  })
})
