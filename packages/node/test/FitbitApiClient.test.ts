/**
 * The Promise facade against fitbit-node 2.2.0's behaviours, on a recording mock HttpClient:
 * exact URLs, headers and bodies, `[body, response]` for every status, rejections only on
 * transport failure or bad input, simple-oauth2's token error shape, `expires_at`, both
 * constructor forms, apiVersion 1.2 by default, one runtime per client, no secret printed.
 */
import { createRequire } from "node:module"
import { inspect } from "node:util"
import { afterEach, describe, expect, it } from "@effect/vitest"
import { HttpClient } from "@effect/platform"
import { Effect, Layer, Redacted } from "effect"
import { MockHttpClient } from "@fitbit-effect/core/testing"
import { FitbitApiClient, type FitbitApiClientOptions, TokenEndpointError } from "@fitbit-effect/node"
import DropIn from "@fitbit-effect/node/fitbit-node"

const CLIENT_ID = "23BCDE"
const CLIENT_SECRET = "0a1b2c3d4e5f60718293a4b5c6d7e8f9"
const ACCESS_TOKEN = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJBQkMxMjMifQ.q9Z2xN4sL0pWm3Yv8tR1uKbE7cHjDf5aGi6oPnQwXyz"
const REFRESH_TOKEN = "c8f3e1a9b2d74f6e8a0b5c3d2e1f4a6b8c9d0e1f2a3b4c5d6e7f8091a2b3c4d5"
const BASIC = "Basic " + Buffer.from(`${CLIENT_ID}:${CLIENT_SECRET}`).toString("base64")

const tokenBody = {
  access_token: ACCESS_TOKEN,
  expires_in: 28800,
  refresh_token: REFRESH_TOKEN,
  scope: "heartrate profile activity",
  token_type: "Bearer",
  user_id: "ABC123"
}
const fitbitError = (errorType: string, message: string) => ({ errors: [{ errorType, message }], success: false })

const clients: Array<FitbitApiClient> = []
afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.close()))
})

const track = (client: FitbitApiClient) => {
  clients.push(client)
  return client
}

/** A facade on a recording mock that answers with `answer` (a fixed answer or a function). */
const setup = (
  answer: MockHttpClient.MockAnswer | ((request: MockHttpClient.RecordedRequest) => MockHttpClient.MockAnswer) = {
    status: 200,
    body: { ok: true }
  },
  options: Partial<FitbitApiClientOptions> = {}
) => {
  const mock = MockHttpClient.make(typeof answer === "function" ? answer : () => answer)
  const client = track(
    new FitbitApiClient({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, httpClient: mock.layer, ...options })
  )
  return { mock, client }
}

const last = (mock: MockHttpClient.MockHttpClient) => mock.requests[mock.requests.length - 1]!

describe("constructor", () => {
  it("takes fitbit-node's options object, with apiVersion 1.2 by default on every verb", async () => {
    const { client, mock } = setup()
    expect(client.apiVersion).toBe("1.2")
    await client.get("/profile.json", ACCESS_TOKEN)
    await client.post("/foods/log/water.json", ACCESS_TOKEN, { amount: 250 })
    await client.put("/profile.json", ACCESS_TOKEN, { gender: "NA" })
    await client.delete("/sleep/123.json", ACCESS_TOKEN)
    expect(mock.requests.map((r) => `${r.method} ${r.url}`)).toEqual([
      "GET https://api.fitbit.com/1.2/user/-/profile.json",
      "POST https://api.fitbit.com/1.2/user/-/foods/log/water.json",
      "PUT https://api.fitbit.com/1.2/user/-/profile.json",
      "DELETE https://api.fitbit.com/1.2/user/-/sleep/123.json"
    ])
  })

  it("honours an explicit apiVersion", async () => {
    const { client, mock } = setup(undefined, { apiVersion: "1" })
    await client.get("/activities/date/2026-11-24.json", ACCESS_TOKEN)
    expect(last(mock).url).toBe("https://api.fitbit.com/1/user/-/activities/date/2026-11-24.json")
  })

  it("takes the seed README's positional (clientId, clientSecret), which fitbit-node 2.2 breaks", async () => {
    const mock = MockHttpClient.make(() => ({ status: 200, body: tokenBody }))
    const client = track(new FitbitApiClient(CLIENT_ID, CLIENT_SECRET, { httpClient: mock.layer }))
    expect(client.apiVersion).toBe("1.2")
    expect(client.getAuthorizeUrl("profile", "https://app.example/cb")).toContain(`client_id=${CLIENT_ID}&`)
    await client.getAccessToken("code-1", "https://app.example/cb")
    expect(last(mock).headers.authorization).toBe(BASIC)
  })

  it("keeps a Redacted secret as given", async () => {
    const mock = MockHttpClient.make(() => ({ status: 200, body: tokenBody }))
    const client = track(new FitbitApiClient({ clientId: CLIENT_ID, clientSecret: Redacted.make(CLIENT_SECRET), httpClient: mock.layer }))
    await client.getAccessToken("code-1", "https://app.example/cb")
    expect(last(mock).headers.authorization).toBe(BASIC)
  })

  it("throws InvalidInput for a missing client id, a bad version or a plain-http remote URL", () => {
    const attempts = [
      () => new FitbitApiClient({ clientSecret: CLIENT_SECRET } as any),
      () => new FitbitApiClient({ clientId: CLIENT_ID, apiVersion: "2" }),
      () => new FitbitApiClient({ clientId: CLIENT_ID, baseUrl: "http://fitbit.example.com" }),
      () => new (FitbitApiClient as any)(42)
    ]
    for (const attempt of attempts) {
      expect(attempt).toThrow(expect.objectContaining({ _tag: "InvalidInput" }))
    }
  })

  it("the drop-in entry's default export is the class itself", () => {
    expect(DropIn).toBe(FitbitApiClient)
  })
})

describe("getAuthorizeUrl", () => {
  const client = new FitbitApiClient({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET })

  it("puts parameters in fitbit-node's order on www.fitbit.com", () => {
    expect(client.getAuthorizeUrl("activity profile", "https://app.example/cb?x=1", "consent", "s t")).toBe(
      "https://www.fitbit.com/oauth2/authorize?response_type=code&client_id=23BCDE&scope=activity%20profile" +
        "&redirect_uri=https%3A%2F%2Fapp.example%2Fcb%3Fx%3D1&prompt=consent&state=s%20t"
    )
  })

  it("leaves out an absent prompt or state (fitbit-node sends empty ones)", () => {
    expect(client.getAuthorizeUrl("profile", "https://app.example/cb")).toBe(
      "https://www.fitbit.com/oauth2/authorize?response_type=code&client_id=23BCDE&scope=profile" +
        "&redirect_uri=https%3A%2F%2Fapp.example%2Fcb"
    )
    expect(client.getAuthorizeUrl("profile", "https://app.example/cb", undefined, "abc")).toMatch(/cb&state=abc$/)
  })

  it("joins an array of scopes with spaces", () => {
    expect(client.getAuthorizeUrl(["sleep", "heartrate"], "https://app.example/cb")).toContain("scope=sleep%20heartrate&")
  })

  it("throws InvalidInput without a scope or a redirect URL", () => {
    expect(() => client.getAuthorizeUrl(undefined as any, "https://app.example/cb")).toThrow(
      expect.objectContaining({ _tag: "InvalidInput", field: "scope" })
    )
    expect(() => client.getAuthorizeUrl("  ", "https://app.example/cb")).toThrow(expect.objectContaining({ field: "scope" }))
    expect(() => client.getAuthorizeUrl("profile", undefined as any)).toThrow(expect.objectContaining({ field: "redirectUrl" }))
  })

  it("matches fitbit-node 2.2.0's own URL, apart from the empty prompt/state it appends", () => {
    const requireFromBench = createRequire(new URL("../../../bench/package.json", import.meta.url))
    const FitbitNode = requireFromBench("fitbit-node")
    const original = new FitbitNode({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET })
    const scope = "activity heartrate location nutrition profile settings sleep social weight"
    const redirect = "https://app.example/fitbit/callback"
    expect(client.getAuthorizeUrl(scope, redirect, "login consent", "xyz-123")).toBe(
      original.getAuthorizeUrl(scope, redirect, "login consent", "xyz-123")
    )
    expect(client.getAuthorizeUrl(scope, redirect)).toBe(original.getAuthorizeUrl(scope, redirect).replace("&prompt=&state=", ""))
  })
})

describe("get/post/put/delete", () => {
  it("sends Bearer and Accept: application/json, no body on GET and DELETE", async () => {
    const { client, mock } = setup()
    await client.get("/profile.json", ACCESS_TOKEN)
    await client.delete("/activities/555.json", ACCESS_TOKEN)
    for (const request of mock.requests) {
      expect(request.headers.authorization).toBe(`Bearer ${ACCESS_TOKEN}`)
      expect(request.headers.accept).toBe("application/json")
      expect(request.headers["content-type"]).toBeUndefined()
      expect(request.body).toBe("")
    }
  })

  it("maps userId like fitbit-node: falsy is '-', false drops the segment, an id is used", async () => {
    const { client, mock } = setup()
    for (const userId of [undefined, null, ""] as const) await client.get("/profile.json", ACCESS_TOKEN, userId)
    await client.get("/profile.json", ACCESS_TOKEN, "228TQ4")
    await client.get("/foods/search.json?query=apple%20pie", ACCESS_TOKEN, false)
    expect(mock.requests.map((r) => r.url)).toEqual([
      "https://api.fitbit.com/1.2/user/-/profile.json",
      "https://api.fitbit.com/1.2/user/-/profile.json",
      "https://api.fitbit.com/1.2/user/-/profile.json",
      "https://api.fitbit.com/1.2/user/228TQ4/profile.json",
      "https://api.fitbit.com/1.2/foods/search.json?query=apple%20pie"
    ])
  })

  it("merges extraHeaders over Authorization", async () => {
    const { client, mock } = setup()
    await client.post("/activities/apiSubscriptions/sub-1.json", ACCESS_TOKEN, undefined, undefined, {
      "X-Fitbit-Subscriber-Id": "7"
    })
    expect(last(mock).headers["x-fitbit-subscriber-id"]).toBe("7")
    expect(last(mock).headers.authorization).toBe(`Bearer ${ACCESS_TOKEN}`)
    await client.get("/profile.json", ACCESS_TOKEN, undefined, { Authorization: "Bearer other-token" })
    expect(last(mock).headers.authorization).toBe("Bearer other-token")
  })

  it("form-encodes post/put data as request's `form` (qs) does; no data sends no body", async () => {
    const { client, mock } = setup()
    await client.post("/foods/log/water.json", ACCESS_TOKEN, { amount: 250.5, date: "2026-11-24", unit: "ml" })
    expect(last(mock).headers["content-type"]).toBe("application/x-www-form-urlencoded")
    expect(last(mock).body).toBe("amount=250.5&date=2026-11-24&unit=ml")
    await client.put("/profile.json", ACCESS_TOKEN, { aboutMe: "runs & swims!", a: { b: ["x", "y"] } })
    expect(last(mock).body).toBe("aboutMe=runs%20%26%20swims%21&a%5Bb%5D%5B0%5D=x&a%5Bb%5D%5B1%5D=y")
    for (const empty of [undefined, null]) {
      await client.post("/activities/apiSubscriptions/1.json", ACCESS_TOKEN, empty)
      expect(last(mock).body).toBe("")
      expect(last(mock).headers["content-type"]).toBeUndefined()
    }
  })

  it("resolves [body, response] for 2xx, 4xx and 5xx alike", async () => {
    const answers: Array<MockHttpClient.MockAnswer> = [
      {
        status: 200,
        body: { user: { encodedId: "ABC123" } },
        headers: { "Fitbit-Rate-Limit-Limit": "150", "Fitbit-Rate-Limit-Remaining": "149", "Fitbit-Rate-Limit-Reset": "1200" }
      },
      { status: 204 },
      { status: 401, body: fitbitError("expired_token", "Access token expired") },
      { status: 404, body: fitbitError("not_found", "No such log") },
      { status: 429, body: "", headers: { "retry-after": "60" } },
      { status: 502, body: "<html>bad gateway</html>", headers: { "content-type": "text/html" } }
    ]
    let i = 0
    const { client } = setup(() => answers[i++]!)
    const results = []
    for (let n = 0; n < answers.length; n++) results.push(await client.get("/profile.json", ACCESS_TOKEN))

    const [ok, noContent, expired, notFound, limited, badGateway] = results
    expect(ok![0]).toEqual({ user: { encodedId: "ABC123" } })
    expect(ok![1]).toMatchObject({ statusCode: 200, statusMessage: "OK", body: ok![0], method: "GET" })
    expect(ok![1].headers["content-type"]).toBe("application/json")
    expect(ok![1].headers["fitbit-rate-limit-remaining"]).toBe("149")
    expect(ok![1].rateLimit).toMatchObject({ limit: 150, remaining: 149, resetSeconds: 1200 })
    expect(ok![1].url).toBe("https://api.fitbit.com/1.2/user/-/profile.json")
    expect(noContent![0]).toBeUndefined()
    expect(noContent![1].statusCode).toBe(204)
    expect(expired![0]).toEqual(fitbitError("expired_token", "Access token expired"))
    expect(expired![1].statusCode).toBe(401)
    expect(notFound![1]).toMatchObject({ statusCode: 404, statusMessage: "Not Found" })
    expect(limited![0]).toBeUndefined()
    expect(limited![1].statusCode).toBe(429)
    expect(limited![1].headers["retry-after"]).toBe("60")
    expect(limited![1].rateLimit).toBeUndefined()
    expect(badGateway![0]).toBe("<html>bad gateway</html>")
    expect(badGateway![1].statusCode).toBe(502)
  })

  it("rejects only on transport failure, with TransportError and no token in it", async () => {
    const { client } = setup("transport-error")
    const error = await client.get("/profile.json", ACCESS_TOKEN).then(() => undefined, (e: unknown) => e)
    expect(error).toBeInstanceOf(Error)
    expect(error).toMatchObject({ _tag: "TransportError", method: "GET", url: "https://api.fitbit.com/1.2/user/-/profile.json" })
    expect(`${String(error)} ${JSON.stringify(error)} ${(error as Error).stack}`).not.toContain(ACCESS_TOKEN)
  })

  it("rejects bad input with InvalidInput and sends nothing", async () => {
    const { client, mock } = setup()
    const cases: Array<[() => Promise<unknown>, string]> = [
      [() => client.get("//evil.example/steal", ACCESS_TOKEN), "path"],
      [() => client.get("https://evil.example/steal", ACCESS_TOKEN), "path"],
      [() => client.get("/../../oauth2/token", ACCESS_TOKEN), "path"],
      [() => client.get("profile.json", ACCESS_TOKEN), "path"],
      [() => client.get("/profile.json", ACCESS_TOKEN, "../x"), "userId"],
      [() => client.get("/profile.json", ""), "accessToken"],
      [() => client.get("/profile.json", ACCESS_TOKEN, undefined, { "X-Evil": "a\r\nHost: evil" }), "headers"],
      [() => client.post("/profile.json", ACCESS_TOKEN, 42 as any), "body"]
    ]
    for (const [call, field] of cases) {
      const error = await call().then(() => undefined, (e: unknown) => e)
      expect(error).toBeInstanceOf(Error)
      expect(error).toMatchObject({ _tag: "InvalidInput", field })
    }
    expect(mock.requests).toEqual([])
  })
})

describe("token methods", () => {
  it("getAccessToken posts the code with Basic auth and resolves the token JSON", async () => {
    const { client, mock } = setup({ status: 200, body: tokenBody })
    const result = await client.getAccessToken("the-code", "https://app.example/cb")
    expect(result).toEqual(tokenBody)
    const request = last(mock)
    expect(`${request.method} ${request.url}`).toBe("POST https://api.fitbit.com/oauth2/token")
    expect(request.headers.authorization).toBe(BASIC)
    expect(request.headers["content-type"]).toBe("application/x-www-form-urlencoded")
    expect(MockHttpClient.formFields(request)).toEqual({
      grant_type: "authorization_code",
      code: "the-code",
      redirect_uri: "https://app.example/cb",
      client_id: CLIENT_ID
    })
  })

  it("refreshAccessToken resolves the token JSON plus expires_at, and sends expiresIn only when given", async () => {
    const renewed = { ...tokenBody, access_token: "new-access", refresh_token: "new-refresh", expires_in: 3600 }
    const { client, mock } = setup({ status: 200, body: renewed })
    const before = Date.now()
    const result = await client.refreshAccessToken(ACCESS_TOKEN, REFRESH_TOKEN)
    const after = Date.now()
    expect(result).toMatchObject(renewed)
    expect(result.expires_at).toBeInstanceOf(Date)
    expect(result.expires_at.getTime()).toBeGreaterThanOrEqual(before + 3600_000)
    expect(result.expires_at.getTime()).toBeLessThanOrEqual(after + 3600_000)
    expect(last(mock).url).toBe("https://api.fitbit.com/oauth2/token")
    expect(last(mock).headers.authorization).toBe(BASIC)
    expect(MockHttpClient.formFields(last(mock))).toEqual({ grant_type: "refresh_token", refresh_token: REFRESH_TOKEN })

    await client.refreshAccessToken(ACCESS_TOKEN, REFRESH_TOKEN, 28800)
    expect(MockHttpClient.formFields(last(mock))).toEqual({
      grant_type: "refresh_token",
      refresh_token: REFRESH_TOKEN,
      expires_in: "28800"
    })
    const bad = await client.refreshAccessToken(ACCESS_TOKEN, REFRESH_TOKEN, -5).then(() => undefined, (e: unknown) => e)
    expect(bad).toMatchObject({ _tag: "InvalidInput", field: "expiresIn" })
    expect(mock.requests).toHaveLength(2)
  })

  it("revokeAccessToken posts the token with Basic auth and resolves {}", async () => {
    const { client, mock } = setup({ status: 200, body: {} })
    expect(await client.revokeAccessToken(ACCESS_TOKEN)).toEqual({})
    expect(`${last(mock).method} ${last(mock).url}`).toBe("POST https://api.fitbit.com/oauth2/revoke")
    expect(last(mock).headers.authorization).toBe(BASIC)
    expect(MockHttpClient.formFields(last(mock))).toEqual({ token: ACCESS_TOKEN })
  })

  it("introspectAccessToken authenticates with the bearer and resolves the answer", async () => {
    const answer = { active: true, scope: "{PROFILE=READ}", client_id: CLIENT_ID, user_id: "ABC123", token_type: "access_token", exp: 1, iat: 0 }
    const { client, mock } = setup({ status: 200, body: answer })
    expect(await client.introspectAccessToken("other-token", ACCESS_TOKEN)).toEqual(answer)
    expect(last(mock).url).toBe("https://api.fitbit.com/1.1/oauth2/introspect")
    expect(last(mock).headers.authorization).toBe(`Bearer ${ACCESS_TOKEN}`)
    expect(MockHttpClient.formFields(last(mock))).toEqual({ token: "other-token" })
  })

  it("token-endpoint failures reject with simple-oauth2's {status, message, context}", async () => {
    const body = fitbitError("invalid_grant", "Refresh token invalid: " + REFRESH_TOKEN)
    const { client } = setup({ status: 400, body })
    const error = await client.refreshAccessToken(ACCESS_TOKEN, REFRESH_TOKEN).then(() => undefined, (e: unknown) => e)
    expect(error).toBeInstanceOf(TokenEndpointError)
    expect(error).toBeInstanceOf(Error)
    const e = error as TokenEndpointError
    expect({ name: e.name, status: e.status, message: e.message }).toEqual({ name: "Error", status: 400, message: "Bad Request" })
    expect(e.context).toEqual(fitbitError("invalid_grant", "Refresh token invalid: [redacted]"))
    expect(e._tag).toBe("InvalidGrant")
    expect(e.cause._tag).toBe("InvalidGrant")
    // What `res.status(err.status).send(err)` in fitbit-node's example serializes:
    expect(Object.keys(JSON.parse(JSON.stringify(e)))).toEqual(["name", "status", "message", "context"])
    expect(`${String(e)} ${JSON.stringify(e)} ${e.stack}`).not.toContain(REFRESH_TOKEN)
  })

  it("a non-JSON token-endpoint failure has context null; each status keeps its text", async () => {
    const answers: Array<MockHttpClient.MockAnswer> = [
      { status: 401, body: fitbitError("invalid_client", "Invalid authorization header") },
      { status: 503, body: "<html>down</html>" }
    ]
    let i = 0
    const { client } = setup(() => answers[i++]!)
    const first = await client.getAccessToken("c", "https://app.example/cb").catch((e) => e)
    expect(first).toMatchObject({ status: 401, message: "Unauthorized", _tag: "InvalidClient" })
    const second = await client.getAccessToken("c", "https://app.example/cb").catch((e) => e)
    expect(second).toMatchObject({ status: 503, message: "Service Unavailable", context: null, _tag: "ServerError" })
  })

  it("token-endpoint transport failures reject with TransportError", async () => {
    const { client } = setup("transport-error")
    await expect(client.revokeAccessToken(ACCESS_TOKEN)).rejects.toMatchObject({ _tag: "TransportError" })
  })
})

describe("retries and rate limits", () => {
  it("sends one request per call by default, like fitbit-node, even for a 503 or a spent budget", async () => {
    const { client, mock } = setup({
      status: 503,
      body: "busy",
      headers: { "fitbit-rate-limit-limit": "150", "fitbit-rate-limit-remaining": "0", "fitbit-rate-limit-reset": "600" }
    })
    const [, first] = await client.get("/profile.json", ACCESS_TOKEN, "228TQ4")
    const [, second] = await client.get("/profile.json", ACCESS_TOKEN, "228TQ4")
    expect([first.statusCode, second.statusCode]).toEqual([503, 503])
    expect(mock.requests).toHaveLength(2)
  })

  it("retry: opts in to core's RetryPolicy (GET only)", async () => {
    let n = 0
    const { client, mock } = setup(
      () => (n++ === 0 ? { status: 503, body: "busy" } : { status: 200, body: { ok: true } }),
      { retry: { maxRetries: 2, baseDelay: "1 millis", jitter: false } }
    )
    const [body, response] = await client.get("/profile.json", ACCESS_TOKEN)
    expect(response.statusCode).toBe(200)
    expect(body).toEqual({ ok: true })
    expect(mock.requests).toHaveLength(2)
    n = 0
    const [, posted] = await client.post("/foods/log/water.json", ACCESS_TOKEN, { amount: 1 })
    expect(posted.statusCode).toBe(503)
    expect(mock.requests).toHaveLength(3)
  })

  it("rateLimit: opts in to refusing a user's call once the budget is reported spent", async () => {
    const { client, mock } = setup(
      {
        status: 200,
        body: {},
        headers: { "fitbit-rate-limit-limit": "150", "fitbit-rate-limit-remaining": "0", "fitbit-rate-limit-reset": "600" }
      },
      { rateLimit: true }
    )
    await client.get("/profile.json", ACCESS_TOKEN, "228TQ4")
    const refused = await client.get("/profile.json", ACCESS_TOKEN, "228TQ4").catch((e) => e)
    expect(refused).toMatchObject({ _tag: "RateLimited" })
    // Counted down from the 600 s reset by the real clock since the answer.
    expect(refused.retryAfterSeconds).toBeGreaterThan(500)
    expect(refused.retryAfterSeconds).toBeLessThanOrEqual(600)
    expect(mock.requests).toHaveLength(1)
  })
})

describe("runtime and secrets", () => {
  it("builds the HttpClient layer once and reuses it for every call", async () => {
    const mock = MockHttpClient.make(() => ({ status: 200, body: tokenBody }))
    let builds = 0
    const counted = Layer.effect(HttpClient.HttpClient, Effect.sync(() => (builds++, mock.client)))
    const client = track(new FitbitApiClient({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, httpClient: counted }))
    expect(builds).toBe(0)
    await Promise.all([client.get("/profile.json", ACCESS_TOKEN), client.get("/devices.json", ACCESS_TOKEN)])
    await client.getAccessToken("code", "https://app.example/cb")
    await client.post("/profile.json", ACCESS_TOKEN, { a: "1" })
    expect(mock.requests).toHaveLength(4)
    expect(builds).toBe(1)
  })

  it("close() releases the layer's resources; later calls reject with ClientClosed at once, nothing sent", async () => {
    const mock = MockHttpClient.make(() => ({ status: 200, body: {} }))
    let released = 0
    const scoped = Layer.scoped(
      HttpClient.HttpClient,
      Effect.as(Effect.addFinalizer(() => Effect.sync(() => released++)), mock.client)
    )
    const client = new FitbitApiClient({ clientId: CLIENT_ID, httpClient: scoped })
    await client.get("/profile.json", ACCESS_TOKEN)
    await client.close()
    expect(released).toBe(1)
    await expect(client.get("/profile.json", ACCESS_TOKEN)).rejects.toMatchObject({ _tag: "ClientClosed", when: "after_close" })
    expect(mock.requests).toHaveLength(1)
  })

  it("setDefaults applies to clients constructed afterwards, under their own options", async () => {
    const fallback = MockHttpClient.make(() => ({ status: 200, body: { from: "defaults" } }))
    const own = MockHttpClient.make(() => ({ status: 200, body: { from: "own" } }))
    const previous = FitbitApiClient.setDefaults({ httpClient: fallback.layer, baseUrl: "http://127.0.0.1:8787" })
    try {
      const a = track(new FitbitApiClient({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET }))
      const b = track(new FitbitApiClient({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, httpClient: own.layer }))
      expect((await a.get("/profile.json", ACCESS_TOKEN))[0]).toEqual({ from: "defaults" })
      expect((await b.get("/profile.json", ACCESS_TOKEN))[0]).toEqual({ from: "own" })
      expect(fallback.requests[0]!.url).toBe("http://127.0.0.1:8787/1.2/user/-/profile.json")
      expect(a.getAuthorizeUrl("profile", "http://127.0.0.1:3000/cb")).toMatch(/^http:\/\/127\.0\.0\.1:8787\/oauth2\/authorize\?/)
    } finally {
      FitbitApiClient.setDefaults(previous)
    }
    const c = new FitbitApiClient(CLIENT_ID, CLIENT_SECRET)
    expect(c.getUrl("/profile.json")).toBe("https://api.fitbit.com/1.2/user/-/profile.json")
  })

  it("never prints the client secret", () => {
    const client = new FitbitApiClient({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET })
    const shown = [
      String(client),
      `${client}`,
      JSON.stringify(client),
      inspect(client, { showHidden: true, depth: Infinity }),
      JSON.stringify({ ...client }),
      Object.keys(client).join(",")
    ]
    for (const text of shown) expect(text).not.toContain(CLIENT_SECRET)
    expect(JSON.stringify(client)).toContain(CLIENT_ID)
  })

  it("keeps fitbit-node's helper methods getUrl and mergeHeaders", () => {
    const client = new FitbitApiClient({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, apiVersion: "1" })
    expect(client.getUrl("/sleep/list.json", false)).toBe("https://api.fitbit.com/1/sleep/list.json")
    expect(client.getUrl("/profile.json", "228TQ4")).toBe("https://api.fitbit.com/1/user/228TQ4/profile.json")
    expect(() => client.getUrl("//evil.example")).toThrow(expect.objectContaining({ _tag: "InvalidInput" }))
    expect(client.mergeHeaders("tok", { "X-Fitbit-Subscriber-Id": "1" })).toEqual({
      Authorization: "Bearer tok",
      "X-Fitbit-Subscriber-Id": "1"
    })
    expect(client.mergeHeaders("tok", null)).toEqual({ Authorization: "Bearer tok" })
  })
})
