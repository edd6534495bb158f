// The Google Health route group on the wire, with raw fetch (no client library): Google OAuth's
// answers and errors, the /v4 error JSON, page tokens, the data being the Fitbit routes' data,
// and the subscriber verification handshake.
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import * as Http from "node:http"
import type { AddressInfo } from "node:net"
import { DataGenerator, Emulator, Google } from "../src/index.js"
import { FORM, api, basic, form, pkcePair } from "./helpers.js"

let emu: Awaited<ReturnType<typeof Emulator.startEmulator>>

beforeAll(async () => {
  emu = await Emulator.startEmulator({ clock: { start: "2026-11-25T12:00:00Z" } })
})
afterAll(() => emu.close())

const SCOPE = "https://www.googleapis.com/auth/googlehealth."

const authorize = async (params: Record<string, string>) => {
  const url = new URL(`${emu.baseUrl}/o/oauth2/v2/auth`)
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v)
  const response = await fetch(url, { redirect: "manual" })
  const location = response.headers.get("location")
  return { response, query: location === null ? undefined : new URL(location).searchParams }
}

const token = (fields: Record<string, string>, headers: Record<string, string> = {}) =>
  fetch(`${emu.baseUrl}/token`, { method: "POST", headers: { ...FORM, ...headers }, body: form(fields) })

const googleErrorOf = async (response: Response) => {
  const body = await response.json() as { error: { code: number; message: string; status: string; details?: Array<{ reason?: string }> } }
  expect(body.error.code).toBe(response.status)
  return body.error
}

describe("Google OAuth endpoints", () => {
  it("authorize → code (with scope and state) → token with client_secret_post; offline gives a refresh token", async () => {
    const pkce = pkcePair()
    const { response, query } = await authorize({
      response_type: "code",
      client_id: emu.defaultApp.clientId,
      redirect_uri: emu.defaultApp.redirectUri,
      scope: `${SCOPE}sleep.readonly ${SCOPE}activity_and_fitness.readonly`,
      state: "st",
      access_type: "offline",
      code_challenge: pkce.challenge,
      code_challenge_method: "S256"
    })
    expect(response.status).toBe(302)
    expect(query?.get("state")).toBe("st")
    expect(query?.get("scope")).toBe(`${SCOPE}sleep.readonly ${SCOPE}activity_and_fitness.readonly`)
    const answer = await token({
      grant_type: "authorization_code",
      code: query!.get("code")!,
      redirect_uri: emu.defaultApp.redirectUri,
      code_verifier: pkce.verifier,
      client_id: emu.defaultApp.clientId,
      client_secret: emu.defaultApp.clientSecret
    })
    expect(answer.status).toBe(200)
    expect(answer.headers.get("cache-control")).toBe("no-store")
    const body = await answer.json() as Record<string, unknown>
    expect(Object.keys(body).sort()).toEqual(["access_token", "expires_in", "refresh_token", "scope", "token_type"])
    expect(body).toMatchObject({ expires_in: 3599, token_type: "Bearer" })

    const refreshed = await (await token({
      grant_type: "refresh_token",
      refresh_token: body.refresh_token as string
    }, { authorization: basic(emu.defaultApp.clientId, emu.defaultApp.clientSecret) })).json() as Record<string, unknown>
    expect(refreshed.refresh_token).toBeUndefined()
    expect(refreshed.access_token).not.toBe(body.access_token)

    const revoked = await fetch(`${emu.baseUrl}/revoke?token=${encodeURIComponent(body.refresh_token as string)}`, { method: "POST" })
    expect(revoked.status).toBe(200)
    const again = await fetch(`${emu.baseUrl}/revoke`, { method: "POST", headers: FORM, body: form({ token: body.refresh_token as string }) })
    expect(await again.json()).toEqual({ error: "invalid_token", error_description: "Token expired or revoked" })
  })

  it("OAuth errors are {error, error_description}", async () => {
    const unknownClient = await authorize({ response_type: "code", client_id: "nobody", redirect_uri: emu.defaultApp.redirectUri, scope: `${SCOPE}sleep` })
    expect(unknownClient.response.status).toBe(401)
    const badScope = await authorize({ response_type: "code", client_id: emu.defaultApp.clientId, redirect_uri: emu.defaultApp.redirectUri, scope: "activity" })
    expect(badScope.query?.get("error")).toBe("invalid_scope")
    const wrongSecret = await token({ grant_type: "refresh_token", refresh_token: "x", client_id: emu.defaultApp.clientId, client_secret: "nope" })
    expect(wrongSecret.status).toBe(401)
    expect(await wrongSecret.json()).toEqual({ error: "invalid_client", error_description: "Unauthorized" })
    const badGrant = await token({ grant_type: "authorization_code", code: "used-or-unknown", redirect_uri: emu.defaultApp.redirectUri, client_id: emu.defaultApp.clientId, client_secret: emu.defaultApp.clientSecret })
    expect(await badGrant.json()).toMatchObject({ error: "invalid_grant" })
    const noGrantType = await token({ client_id: emu.defaultApp.clientId, client_secret: emu.defaultApp.clientSecret })
    expect(await noGrantType.json()).toMatchObject({ error: "invalid_request" })
  })
})

describe("Google Health scopes", () => {
  const read = (token: string, dataType: string) => api(emu, `/v4/users/me/dataTypes/${dataType}/dataPoints?pageSize=1`, token).then((r) => r.status)

  it("a grant with every scope (Google.grantTokens, POST /__emulator/tokens with provider google) reads every family, reproductive health, mindfulness and logged symptoms included", async () => {
    const overHttp = await fetch(`${emu.baseUrl}/__emulator/tokens`, { method: "POST", body: JSON.stringify({ provider: "google" }) })
    const minted = await overHttp.json() as { accessToken: string; scopes: Array<string> }
    expect(minted.scopes).toEqual(Google.grantTokens(emu.state).scopes)
    for (const name of ["reproductive_health.readonly", "reproductive_health.writeonly", "mindfulness.readonly", "mindfulness.writeonly", "logged_symptoms.readonly", "logged_symptoms.writeonly"]) {
      expect(minted.scopes, name).toContain(`${SCOPE}${name}`)
    }
    for (const dataType of ["menstrual-period", "ovulation-test", "moods", "symptoms", "steps", "sleep", "electrocardiogram", "food"]) {
      expect(await read(minted.accessToken, dataType), dataType).toBe(200)
    }
    // The same route still mints Fitbit grants without the provider.
    const fitbit = await (await fetch(`${emu.baseUrl}/__emulator/tokens`, { method: "POST", body: "{}" })).json() as { scopes: Array<string> }
    expect(fitbit.scopes).toContain("activity")
  })

  it("a family's scope opens that family only: read with .readonly (or the full scope), write with .writeonly", async () => {
    const moodsOnly = Google.grantTokens(emu.state, { scopes: [`${SCOPE}mindfulness.readonly`] }).accessToken
    expect(await read(moodsOnly, "moods")).toBe(200)
    expect(await read(moodsOnly, "symptoms")).toBe(403)
    expect(await read(moodsOnly, "menstrual-period")).toBe(403)
    const writeOnly = Google.grantTokens(emu.state, { scopes: [`${SCOPE}logged_symptoms.writeonly`] }).accessToken
    expect(await read(writeOnly, "symptoms")).toBe(403)
    const full = Google.grantTokens(emu.state, { scopes: [`${SCOPE}sleep`] }).accessToken
    expect(await read(full, "sleep")).toBe(200)
  })

  it("authorize accepts the scopes Google offers and refuses one it does not (there is no bare location scope)", async () => {
    const base = { response_type: "code", client_id: emu.defaultApp.clientId, redirect_uri: emu.defaultApp.redirectUri }
    const offered = await authorize({ ...base, scope: `${SCOPE}reproductive_health.readonly ${SCOPE}location.readonly` })
    expect(offered.query?.get("code")).toBeTruthy()
    const bare = await authorize({ ...base, scope: `${SCOPE}location` })
    expect(bare.query?.get("error")).toBe("invalid_scope")
  })
})

describe("/v4 resources", () => {
  it("Google's error JSON: 401 with WWW-Authenticate, expired reason, 403 scope, 404, Fitbit tokens refused", async () => {
    const missing = await api(emu, "/v4/users/me/identity", undefined)
    expect(missing.status).toBe(401)
    expect(missing.headers.get("www-authenticate")).toContain("invalid_token")
    expect((await googleErrorOf(missing)).status).toBe("UNAUTHENTICATED")
    const fitbit = emu.grantTokens()
    expect((await api(emu, "/v4/users/me/identity", fitbit.accessToken)).status).toBe(401)
    const narrow = Google.grantTokens(emu.state, { scopes: [`${SCOPE}sleep.readonly`] })
    const denied = await googleErrorOf(await api(emu, "/v4/users/me/profile", narrow.accessToken))
    expect(denied).toMatchObject({ status: "PERMISSION_DENIED", details: [{ reason: "ACCESS_TOKEN_SCOPE_INSUFFICIENT" }] })
    expect((await api(emu, "/v4/users/me/dataTypes/sleep/dataPoints", narrow.accessToken)).status).toBe(200)
    const full = Google.grantTokens(emu.state)
    expect((await googleErrorOf(await api(emu, "/v4/users/me/nothing-here", full.accessToken))).status).toBe("NOT_FOUND")
    emu.expireAccessTokens(emu.defaultUser.userId)
    const expired = await googleErrorOf(await api(emu, "/v4/users/me/identity", full.accessToken))
    expect(expired.details?.[0]?.reason).toBe("ACCESS_TOKEN_EXPIRED")
  })

  it("quotas per user and per project: Google's 429 RESOURCE_EXHAUSTED, no Retry-After; the next minute serves again; faults apply to Google paths", async () => {
    emu.addUser({ userId: "QUOTA1" })
    emu.addUser({ userId: "QUOTA2" })
    const { accessToken } = Google.grantTokens(emu.state, { userId: "QUOTA1" })
    const other = Google.grantTokens(emu.state, { userId: "QUOTA2" }).accessToken
    emu.advance(60_000 - (emu.now() % 60_000))
    emu.setGoogleQuota({ perUserPerMinute: 2, perProjectPerMinute: 3 })
    try {
      expect((await api(emu, "/v4/users/me/identity", accessToken)).status).toBe(200)
      expect((await api(emu, "/v4/users/me/identity", accessToken)).status).toBe(200)
      const limited = await api(emu, "/v4/users/me/identity", accessToken)
      expect(limited.status).toBe(429)
      expect(limited.headers.get("retry-after")).toBeNull()
      const userError = await googleErrorOf(limited)
      expect(userError.status).toBe("RESOURCE_EXHAUSTED")
      expect(userError.message).toContain("'Queries per minute per user'")
      // Another user of the same project: one left in the project's minute, then the project's quota.
      expect((await api(emu, "/v4/users/me/identity", other)).status).toBe(200)
      const project = await api(emu, "/v4/users/me/identity", other)
      expect(project.status).toBe(429)
      expect((await googleErrorOf(project)).message).toContain("'Queries per minute'")
      emu.advance(60_000)
      expect((await api(emu, "/v4/users/me/identity", accessToken)).status).toBe(200)
    } finally {
      emu.setGoogleQuota({ perUserPerMinute: 300, perProjectPerMinute: 120_000 })
    }
    emu.injectFault({ kind: "status503", match: { pathPrefix: "/v4/" } })
    expect((await api(emu, "/v4/users/me/identity", accessToken)).status).toBe(503)
    expect((await api(emu, "/v4/users/me/identity", accessToken)).status).toBe(200)
  })

  it("a dataPoints method a data type does not have is INVALID_ARGUMENT; an unlisted type is not judged", async () => {
    const { accessToken } = Google.grantTokens(emu.state)
    const post = (path: string, body: unknown) =>
      api(emu, path, accessToken, { method: "POST", body: JSON.stringify(body), headers: { "content-type": "application/json" } })
    const refused = [
      await post("/v4/users/me/dataTypes/steps/dataPoints", { steps: { count: "5" } }),
      await api(emu, "/v4/users/me/dataTypes/heart-rate/dataPoints/some-point", accessToken),
      await api(emu, "/v4/users/me/dataTypes/total-calories/dataPoints", accessToken),
      await post("/v4/users/me/dataTypes/daily-resting-heart-rate/dataPoints:rollUp", {}),
      await post("/v4/users/me/dataTypes/basal-energy-burned/dataPoints:dailyRollUp", {}),
      await post("/v4/users/me/dataTypes/-/dataPoints:batchDelete", { names: ["users/me/dataTypes/steps/dataPoints/some-point"] })
    ]
    for (const response of refused) {
      expect(response.status, response.url).toBe(400)
      expect((await googleErrorOf(response)).status).toBe("INVALID_ARGUMENT")
    }
    expect((await api(emu, "/v4/users/me/dataTypes/weight/dataPoints/nothing-here", accessToken)).status).toBe(404)
    expect((await api(emu, "/v4/users/me/dataTypes/blood-ketones/dataPoints", accessToken)).status).toBe(200)
  })

  it("page tokens walk the list; a token of another query is refused", async () => {
    const { accessToken } = Google.grantTokens(emu.state)
    const filter = encodeURIComponent(`heart_rate.sample_time.civil_time >= "2026-11-20" AND heart_rate.sample_time.civil_time < "2026-11-21"`)
    let url = `/v4/users/me/dataTypes/heart-rate/dataPoints?pageSize=100&filter=${filter}`
    const seen: Array<unknown> = []
    let pages = 0
    let first: string | undefined
    for (;;) {
      const body = await (await api(emu, url, accessToken)).json() as { dataPoints: Array<unknown>; nextPageToken?: string }
      seen.push(...body.dataPoints)
      pages++
      if (body.nextPageToken === undefined) break
      first ??= body.nextPageToken
      url = `/v4/users/me/dataTypes/heart-rate/dataPoints?pageSize=100&filter=${filter}&pageToken=${encodeURIComponent(body.nextPageToken)}`
    }
    expect(seen).toHaveLength(288)
    expect(pages).toBe(3)
    const mismatched = await api(emu, `/v4/users/me/dataTypes/heart-rate/dataPoints?pageSize=50&filter=${filter}&pageToken=${encodeURIComponent(first!)}`, accessToken)
    expect((await googleErrorOf(mismatched)).status).toBe("INVALID_ARGUMENT")
  })

  it("serves the Fitbit routes' numbers: steps per day, sleep, resting heart rate", async () => {
    const { accessToken } = Google.grantTokens(emu.state)
    const fitbit = emu.grantTokens()
    const rollup = await (await api(emu, "/v4/users/me/dataTypes/steps/dataPoints:dailyRollUp", accessToken, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ range: { start: { date: { year: 2026, month: 11, day: 10 } }, end: { date: { year: 2026, month: 11, day: 13 } } } })
    })).json() as { rollupDataPoints: Array<{ steps: { countSum: string } }> }
    const series = await (await api(emu, "/1/user/-/activities/steps/date/2026-11-10/2026-11-12.json", fitbit.accessToken)).json() as {
      "activities-steps": Array<{ value: string }>
    }
    expect(rollup.rollupDataPoints.map((w) => w.steps.countSum)).toEqual(series["activities-steps"].map((p) => p.value))
    const expected = DataGenerator.sleep(emu.seed, emu.defaultUser.userId, "2026-11-12")
    const sleep = await (await api(emu, `/v4/users/me/dataTypes/sleep/dataPoints/${expected.logId}`, accessToken)).json() as {
      sleep: { interval: { startTime: string; endTime: string }; summary: { minutesAsleep: string } }
    }
    expect(Date.parse(sleep.sleep.interval.endTime) - Date.parse(sleep.sleep.interval.startTime)).toBe(expected.durationMillis)
    expect(sleep.sleep.summary.minutesAsleep).toBe(String(expected.minutesAsleep))
  })

  it("verifies a subscriber endpoint with the two POSTs before creating it", async () => {
    const { accessToken } = Google.grantTokens(emu.state)
    const calls: Array<{ authorization: string | undefined; body: string }> = []
    let mode: "good" | "lenient" = "good"
    const server = Http.createServer((req, res) => {
      let body = ""
      req.on("data", (c) => (body += c))
      req.on("end", () => {
        calls.push({ authorization: req.headers.authorization, body })
        const authorised = req.headers.authorization === "Bearer hook-secret"
        res.writeHead(mode === "lenient" || authorised ? 201 : 401).end()
      })
    })
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
    const endpointUri = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`
    try {
      const create = (id: string) =>
        api(emu, `/v4/projects/raw-project/subscribers?subscriberId=${id}`, accessToken, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ endpointUri, endpointAuthorization: { secret: "Bearer hook-secret" }, subscriberConfigs: [] })
        })
      const ok = await create("raw-good")
      expect(ok.status).toBe(200)
      expect(calls).toEqual([
        { authorization: "Bearer hook-secret", body: JSON.stringify({ type: "verification" }) },
        { authorization: undefined, body: JSON.stringify({ type: "verification" }) }
      ])
      const created = await ok.json() as { done: boolean; response: { name: string; endpointAuthorization: unknown } }
      expect(created.response).toMatchObject({ name: "projects/raw-project/subscribers/raw-good", endpointAuthorization: { secretSet: true } })
      expect(JSON.stringify(created)).not.toContain("hook-secret")
      mode = "lenient"
      const refused = await create("raw-lenient")
      expect((await googleErrorOf(refused)).status).toBe("FAILED_PRECONDITION")
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()))
    }
  })
})
