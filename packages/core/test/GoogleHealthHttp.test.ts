// Google Health backend on a recording mock HttpClient: the exact wire format of Google OAuth
// and of the /v4 verbs and resources, Google's error shapes mapped onto the tagged errors, and
// no secret in any message.
import { describe, expect, it } from "@effect/vitest"
import { ConfigProvider, Effect, Layer, Redacted, Stream, Chunk } from "effect"
import { GoogleAuth, GoogleDataPoints, GoogleDataTypes, GoogleHealthConfig, GoogleHealthHttp, GooglePairedDevices, GoogleSubscribers, GoogleUsers, RetryPolicy } from "@fitbit-effect/core"
import { MockHttpClient } from "@fitbit-effect/core/testing"


const CLIENT_ID = "123456789012-abcdefghij.apps.googleusercontent.com"
const CLIENT_SECRET = "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"
const ACCESS = "ya29.a0AfB_byC1d2e3f4g5h6i7j8k9l0m1n2o3p4q5r6s7t8u9v0w"
const REFRESH = "1//0gA1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8S9t0"

const googleError = (code: number, status: string, message: string, reason?: string) => ({
  error: {
    code,
    message,
    status,
    ...(reason === undefined ? {} : { details: [{ "@type": "type.googleapis.com/google.rpc.ErrorInfo", reason, domain: "googleapis.com" }] })
  }
})

const setup = (handler: Parameters<typeof MockHttpClient.make>[0], options: Partial<GoogleHealthConfig.Options> = {}) => {
  const mock = MockHttpClient.make(handler)
  const layer = GoogleHealthHttp.layer.pipe(
    Layer.provideMerge(GoogleHealthConfig.layer({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, ...options })),
    Layer.provideMerge(mock.layer),
    Layer.provideMerge(RetryPolicy.layer({ maxRetries: 0 }))
  )
  return { mock, layer }
}

describe("configuration", () => {
  it.effect("defaults to Google's endpoints; baseUrl points all of them at one origin", () =>
    Effect.gen(function*() {
      const prod = yield* GoogleHealthConfig.make({ clientId: CLIENT_ID })
      expect(prod).toMatchObject({ ...GoogleHealthConfig.GOOGLE_URLS })
      const local = yield* GoogleHealthConfig.make({ clientId: CLIENT_ID, baseUrl: "http://127.0.0.1:8787/" })
      expect(local).toMatchObject({
        authorizeUrl: "http://127.0.0.1:8787/o/oauth2/v2/auth",
        tokenUrl: "http://127.0.0.1:8787/token",
        revokeUrl: "http://127.0.0.1:8787/revoke",
        apiBaseUrl: "http://127.0.0.1:8787"
      })
      const insecure = yield* Effect.flip(GoogleHealthConfig.make({ clientId: CLIENT_ID, baseUrl: "http://health.example.com" }))
      expect(insecure).toMatchObject({ _tag: "InvalidInput", field: "baseUrl" })
      expect((yield* Effect.flip(GoogleHealthConfig.make({ clientId: " " })))._tag).toBe("InvalidInput")
      expect(GoogleHealthConfig.toOAuthProvider(prod)).toMatchObject({ name: "google", clientAuthentication: "post" })
    }))

  it.effect("layerConfig reads GOOGLE_HEALTH_* and keeps the secret redacted", () =>
    Effect.gen(function*() {
      const config = yield* GoogleHealthConfig.GoogleHealthConfig.pipe(
        Effect.provide(GoogleHealthConfig.layerConfig()),
        Effect.withConfigProvider(ConfigProvider.fromMap(new Map([
          ["GOOGLE_HEALTH_CLIENT_ID", CLIENT_ID],
          ["GOOGLE_HEALTH_CLIENT_SECRET", CLIENT_SECRET],
          ["GOOGLE_HEALTH_BASE_URL", "http://localhost:9000"],
          ["GOOGLE_HEALTH_TIMEOUT", "5 seconds"]
        ])))
      )
      expect(config.tokenUrl).toBe("http://localhost:9000/token")
      expect(String(config.clientSecret)).not.toContain(CLIENT_SECRET)
      expect(JSON.stringify(config)).not.toContain(CLIENT_SECRET)
    }))
})

describe("Google OAuth wire format", () => {
  it.effect("authorize URL: offline access, incremental scopes, PKCE, state", () =>
    Effect.gen(function*() {
      const config = yield* GoogleHealthConfig.make({ clientId: CLIENT_ID })
      const url = new URL(GoogleAuth.authorizeUrlFor(config, {
        scope: GoogleAuth.scopes("sleep.readonly", "activity_and_fitness.readonly"),
        redirectUri: "https://app.example.com/callback",
        state: "csrf-1",
        prompt: "consent",
        codeChallenge: "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
        loginHint: "alex@example.com"
      }))
      expect(url.origin + url.pathname).toBe("https://accounts.google.com/o/oauth2/v2/auth")
      expect(Object.fromEntries(url.searchParams)).toEqual({
        response_type: "code",
        client_id: CLIENT_ID,
        scope: "https://www.googleapis.com/auth/googlehealth.sleep.readonly https://www.googleapis.com/auth/googlehealth.activity_and_fitness.readonly",
        redirect_uri: "https://app.example.com/callback",
        prompt: "consent",
        state: "csrf-1",
        code_challenge: "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
        code_challenge_method: "S256",
        access_type: "offline",
        include_granted_scopes: "true",
        login_hint: "alex@example.com"
      })
      const online = new URL(GoogleAuth.authorizeUrlFor(config, { scope: "x", redirectUri: "https://a/b", accessType: "online", includeGrantedScopes: false }))
      expect(online.searchParams.get("access_type")).toBe("online")
      expect(online.searchParams.get("include_granted_scopes")).toBe("false")
    }))

  it.effect("code exchange posts client_secret_post with the verifier; refresh keeps an unrotated refresh token", () => {
    const { layer, mock } = setup((request) =>
      request.url.endsWith("/token")
        ? MockHttpClient.formFields(request).grant_type === "authorization_code"
          ? { status: 200, body: { access_token: ACCESS, expires_in: 3599, refresh_token: REFRESH, scope: GoogleAuth.READ_SCOPES.join(" "), token_type: "Bearer", id_token: "eyJx.eyJy.z" } }
          : { status: 200, body: { access_token: `${ACCESS}-2`, expires_in: 3599, scope: GoogleAuth.READ_SCOPES.join(" "), token_type: "Bearer" } }
        : { status: 200, body: {} }
    )
    return Effect.gen(function*() {
      const verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
      const tokens = yield* GoogleAuth.exchangeCode({ code: "4/0AX4XfWh-code", redirectUri: "https://app.example.com/callback", codeVerifier: verifier })
      const exchange = mock.requests[0]!
      expect(exchange.method).toBe("POST")
      expect(exchange.url).toBe("https://oauth2.googleapis.com/token")
      expect(exchange.headers["authorization"]).toBeUndefined()
      expect(exchange.headers["content-type"]).toBe("application/x-www-form-urlencoded")
      expect(MockHttpClient.formFields(exchange)).toEqual({
        grant_type: "authorization_code",
        code: "4/0AX4XfWh-code",
        redirect_uri: "https://app.example.com/callback",
        code_verifier: verifier,
        client_id: CLIENT_ID,
        client_secret: CLIENT_SECRET
      })
      expect(tokens.scopes).toEqual([...GoogleAuth.READ_SCOPES])
      expect(String(tokens)).not.toContain(ACCESS)

      const refreshed = yield* GoogleAuth.refresh(tokens.refreshToken!)
      expect(MockHttpClient.formFields(mock.requests[1]!)).toEqual({
        grant_type: "refresh_token",
        refresh_token: REFRESH,
        client_id: CLIENT_ID,
        client_secret: CLIENT_SECRET
      })
      expect(Redacted.value(refreshed.accessToken)).toBe(`${ACCESS}-2`)
      expect(Redacted.value(refreshed.refreshToken!)).toBe(REFRESH)

      yield* GoogleAuth.revoke(refreshed.refreshToken!)
      expect(mock.requests[2]!.url).toBe("https://oauth2.googleapis.com/revoke")
      expect(MockHttpClient.formFields(mock.requests[2]!).token).toBe(REFRESH)
    }).pipe(Effect.provide(layer))
  })

  it.effect("a rotated refresh token replaces the old one", () => {
    const { layer } = setup(() => ({ status: 200, body: { access_token: ACCESS, expires_in: 3599, refresh_token: "1//new-refresh", token_type: "Bearer" } }))
    return Effect.gen(function*() {
      const refreshed = yield* GoogleAuth.refresh(REFRESH)
      expect(Redacted.value(refreshed.refreshToken!)).toBe("1//new-refresh")
    }).pipe(Effect.provide(layer))
  })

  it.effect("token errors {error, error_description} become tagged errors without secrets", () => {
    const answers = [
      { status: 400, body: { error: "invalid_grant", error_description: `Token has been expired or revoked: ${REFRESH}` } },
      { status: 401, body: { error: "invalid_client", error_description: "Unauthorized" } },
      { status: 400, body: { error: "invalid_request", error_description: "Missing required parameter: code" } }
    ]
    let i = 0
    const { layer } = setup(() => answers[i++]!)
    return Effect.gen(function*() {
      const grant = yield* Effect.flip(GoogleAuth.refresh(REFRESH))
      expect(grant._tag).toBe("InvalidGrant")
      expect(grant.message).not.toContain(REFRESH)
      expect(grant.message).not.toContain(CLIENT_SECRET)
      expect((yield* Effect.flip(GoogleAuth.refresh(REFRESH)))._tag).toBe("InvalidClient")
      expect((yield* Effect.flip(GoogleAuth.refresh(REFRESH)))._tag).toBe("ValidationFailed")
      expect((yield* Effect.flip(GoogleAuth.exchangeCode({ code: "", redirectUri: "https://a/b" })))._tag).toBe("InvalidInput")
    }).pipe(Effect.provide(layer))
  })
})

describe("the /v4 verbs", () => {
  it.effect("GET with query, PATCH with JSON and updateMask, POST empty body, DELETE", () => {
    const { layer, mock } = setup(() => ({ status: 200, body: {} }))
    return Effect.gen(function*() {
      yield* GoogleHealthHttp.get("/users/me/dataTypes/steps/dataPoints", Redacted.make(ACCESS), {
        query: { filter: `steps.interval.civil_start_time >= "2026-11-01"`, pageSize: 50, pageToken: undefined, tags: ["a", "b"] },
        headers: { "X-Goog-User-Project": "my-project" }
      })
      const get = mock.requests[0]!
      expect(get.url).toBe(
        "https://health.googleapis.com/v4/users/me/dataTypes/steps/dataPoints?filter=steps.interval.civil_start_time%20%3E%3D%20%222026-11-01%22&pageSize=50&tags=a&tags=b"
      )
      expect(get.headers).toMatchObject({ authorization: `Bearer ${ACCESS}`, accept: "application/json", "x-goog-user-project": "my-project" })
      yield* GoogleUsers.updateProfile(ACCESS, { userConfiguredWalkingStrideLengthMm: 740 })
      const patch = mock.requests[1]!
      expect(patch.method).toBe("PATCH")
      expect(patch.url).toBe("https://health.googleapis.com/v4/users/me/profile?updateMask=user_configured_walking_stride_length_mm")
      expect(patch.headers["content-type"]).toBe("application/json")
      expect(JSON.parse(patch.body)).toEqual({ userConfiguredWalkingStrideLengthMm: 740 })
      yield* GoogleHealthHttp.post("users/me/dataTypes/steps/dataPoints:rollUp", ACCESS)
      expect(mock.requests[2]!.body).toBe("{}")
      expect(mock.requests[2]!.url).toBe("https://health.googleapis.com/v4/users/me/dataTypes/steps/dataPoints:rollUp")
      yield* GoogleHealthHttp.del("/projects/p1/subscribers/s1", ACCESS, { query: { force: true } })
      expect(mock.requests[3]).toMatchObject({ method: "DELETE", url: "https://health.googleapis.com/v4/projects/p1/subscribers/s1?force=true", body: "" })
    }).pipe(Effect.provide(layer))
  })

  it.effect("bad paths, ids and tokens never reach the network", () => {
    const { layer, mock } = setup(() => ({ status: 200, body: {} }))
    return Effect.gen(function*() {
      const failures = [
        yield* Effect.flip(GoogleHealthHttp.get("//evil.example.com/x", ACCESS)),
        yield* Effect.flip(GoogleHealthHttp.get("/users/me/../../admin", ACCESS)),
        yield* Effect.flip(GoogleHealthHttp.get("/users/me\r\nHost: evil", ACCESS)),
        yield* Effect.flip(GoogleHealthHttp.get("/users/me/profile", "")),
        yield* Effect.flip(GoogleHealthHttp.get("/users/me/profile", ACCESS, { headers: { "X-Bad": "a\r\nb" } })),
        yield* Effect.flip(GoogleUsers.getProfile(ACCESS, { user: "../other" })),
        yield* Effect.flip(GoogleDataPoints.list(ACCESS, "Steps/../x" as GoogleDataTypes.DataTypeId)),
        yield* Effect.flip(GoogleDataPoints.list(ACCESS, "steps", { pageSize: -1 })),
        yield* Effect.flip(GoogleDataPoints.get(ACCESS, "users/me/dataTypes/sleep/dataPoints/a/b")),
        yield* Effect.flip(GoogleDataPoints.batchDelete(ACCESS, [])),
        yield* Effect.flip(GoogleDataPoints.dailyRollUp(ACCESS, "steps", { range: { start: "2026-02-30", end: "2026-03-01" } })),
        yield* Effect.flip(GoogleDataPoints.rollUp(ACCESS, "steps", { range: { startTime: "yesterday", endTime: "today" }, windowSeconds: 60 })),
        yield* Effect.flip(GooglePairedDevices.get(ACCESS, "a/b")),
        yield* Effect.flip(GoogleSubscribers.create(ACCESS, "p", { endpointUri: "not a url", secret: "Bearer s" })),
        yield* Effect.flip(GoogleSubscribers.patch(ACCESS, "projects/p/subscribers/s/extra", {}))
      ]
      expect(failures.map((f) => f._tag)).toEqual(failures.map(() => "InvalidInput"))
      expect(mock.requests).toHaveLength(0)
    }).pipe(Effect.provide(layer))
  })

  it.effect("Google's error JSON maps onto the same tagged errors as Fitbit's", () => {
    const answers: Array<MockHttpClient.MockAnswer> = [
      { status: 401, body: googleError(401, "UNAUTHENTICATED", "Request had invalid authentication credentials.") },
      { status: 401, body: googleError(401, "UNAUTHENTICATED", "Request had invalid authentication credentials.", "ACCESS_TOKEN_EXPIRED") },
      { status: 403, body: googleError(403, "PERMISSION_DENIED", "Request had insufficient authentication scopes.", "ACCESS_TOKEN_SCOPE_INSUFFICIENT") },
      { status: 429, headers: { "retry-after": "17" }, body: googleError(429, "RESOURCE_EXHAUSTED", "Quota exceeded", "RATE_LIMIT_EXCEEDED") },
      { status: 400, body: googleError(400, "INVALID_ARGUMENT", "Invalid filter") },
      { status: 404, body: googleError(404, "NOT_FOUND", "Requested entity was not found.") },
      { status: 409, body: googleError(409, "ALREADY_EXISTS", "exists") },
      { status: 400, body: googleError(400, "FAILED_PRECONDITION", "Endpoint verification failed") },
      { status: 502, body: "<html><body>502 Bad Gateway</body></html>" },
      { status: 500, body: googleError(500, "INTERNAL", `Internal error for token ${ACCESS}`) }
    ]
    let i = 0
    const { layer } = setup(() => answers[i++]!)
    return Effect.gen(function*() {
      const tags: Array<string> = []
      for (let n = 0; n < answers.length; n++) {
        const error = yield* Effect.flip(GoogleUsers.getIdentity(ACCESS))
        tags.push(error._tag)
        expect(error.message).not.toContain(ACCESS)
        if (error._tag === "RateLimited") expect(error.retryAfterSeconds).toBe(17)
      }
      expect(tags).toEqual([
        "InvalidToken",
        "ExpiredToken",
        "InsufficientScope",
        "RateLimited",
        "ValidationFailed",
        "NotFound",
        "Conflict",
        "ValidationFailed",
        "ServerError",
        "ServerError"
      ])
    }).pipe(Effect.provide(layer))
  })

  it.effect("execute answers the last non-2xx response instead of failing", () => {
    const { layer } = setup(() => ({ status: 404, body: googleError(404, "NOT_FOUND", "nope") }))
    return Effect.gen(function*() {
      const http = yield* GoogleHealthHttp.GoogleHealthHttp
      const response = yield* http.execute({ method: "GET", path: "/users/me/profile", accessToken: ACCESS })
      expect(response.status).toBe(404)
      expect(response.body).toEqual(googleError(404, "NOT_FOUND", "nope"))
    }).pipe(Effect.provide(layer))
  })

  it.effect("a write is not retried after an answer; a read is", () => {
    let calls = 0
    const mock = MockHttpClient.make(() => (++calls === 1 ? { status: 503, body: googleError(503, "UNAVAILABLE", "try later") } : { status: 200, body: { done: true } }))
    const layer = GoogleHealthHttp.layer.pipe(
      Layer.provideMerge(GoogleHealthConfig.layer({ clientId: CLIENT_ID })),
      Layer.provideMerge(mock.layer),
      Layer.provideMerge(RetryPolicy.layer({ maxRetries: 2, baseDelay: 0, jitter: false }))
    )
    return Effect.gen(function*() {
      const write = yield* Effect.flip(GoogleDataPoints.create(ACCESS, "weight", { weightGrams: 70000, sampleTime: { physicalTime: "2026-11-25T07:30:00Z" } }))
      expect(write._tag).toBe("ServerError")
      expect(calls).toBe(1)
      calls = 0
      yield* GoogleUsers.getProfile(ACCESS)
      expect(calls).toBe(2)
    }).pipe(Effect.provide(layer))
  })
})

describe("resources on the wire", () => {
  it.effect("data points: list decodes pages; stream follows nextPageToken and stops on a repeated token", () => {
    const page = (token: string | undefined, next?: string) => ({
      dataPoints: [{ steps: { count: "120", interval: { startTime: `2026-11-20T0${token === undefined ? 8 : 9}:00:00Z`, endTime: "2026-11-20T10:00:00Z" } } }],
      ...(next === undefined ? {} : { nextPageToken: next })
    })
    let loop = false
    const { layer, mock } = setup((request) => {
      const token = new URL(request.url).searchParams.get("pageToken") ?? undefined
      if (loop) return { status: 200, body: page(token, "same-token") }
      return { status: 200, body: token === undefined ? page(undefined, "p2") : page(token) }
    })
    return Effect.gen(function*() {
      const points = Chunk.toReadonlyArray(yield* Stream.runCollect(GoogleDataPoints.stream(ACCESS, "steps", { pageSize: 1, filter: "steps.interval.start_time >= \"2026-11-20T00:00:00Z\"" })))
      expect(points).toHaveLength(2)
      expect(GoogleDataTypes.valuesOf("steps", points).map((s) => s.count)).toEqual([120, 120])
      expect(new URL(mock.requests[1]!.url).searchParams.get("pageToken")).toBe("p2")
      loop = true
      const stopped = yield* Effect.flip(Stream.runCollect(GoogleDataPoints.stream(ACCESS, "steps")))
      expect(stopped._tag).toBe("DecodeError")
    }).pipe(Effect.provide(layer))
  })

  it.effect("custom methods: batchDelete, rollUp and dailyRollUp bodies", () => {
    const { layer, mock } = setup(() => ({ status: 200, body: { done: true, rollupDataPoints: [{ civilStartTime: { date: { year: 2026, month: 11, day: 1 } }, steps: { countSum: "8123" } }] } }))
    return Effect.gen(function*() {
      yield* GoogleDataPoints.batchDelete(ACCESS, ["users/me/dataTypes/weight/dataPoints/w-1"])
      expect(mock.requests[0]!.url).toBe("https://health.googleapis.com/v4/users/me/dataTypes/-/dataPoints:batchDelete")
      expect(JSON.parse(mock.requests[0]!.body)).toEqual({ names: ["users/me/dataTypes/weight/dataPoints/w-1"] })
      yield* GoogleDataPoints.rollUp(ACCESS, "distance", { range: { startTime: "2026-11-01T00:00:00Z", endTime: "2026-11-02T00:00:00Z" }, windowSeconds: 3600, pageSize: 24 })
      expect(JSON.parse(mock.requests[1]!.body)).toEqual({ range: { startTime: "2026-11-01T00:00:00Z", endTime: "2026-11-02T00:00:00Z" }, windowSize: "3600s", pageSize: 24 })
      const daily = yield* GoogleDataPoints.dailyRollUp(ACCESS, "steps", { range: { start: "2026-11-01", end: { year: 2026, month: 11, day: 8 } }, windowSizeDays: 7 })
      expect(JSON.parse(mock.requests[2]!.body)).toEqual({
        range: { start: { date: { year: 2026, month: 11, day: 1 } }, end: { date: { year: 2026, month: 11, day: 8 } } },
        windowSizeDays: 7
      })
      expect(daily.rollupDataPoints[0]!.steps!.countSum).toBe(8123)
      yield* GoogleDataPoints.reconcile(ACCESS, "sleep", { dataSourceFamily: "users/me/dataSourceFamilies/google-wearables" })
      expect(mock.requests[3]!.url).toBe(
        "https://health.googleapis.com/v4/users/me/dataTypes/sleep/dataPoints:reconcile?dataSourceFamily=users%2Fme%2FdataSourceFamilies%2Fgoogle-wearables"
      )
    }).pipe(Effect.provide(layer))
  })

  it.effect("subscribers: the secret is sent as endpointAuthorization and scrubbed from errors", () => {
    const secret = "Bearer subscriber-secret-4f1e2d3c"
    const { layer, mock } = setup(() => ({ status: 400, body: googleError(400, "FAILED_PRECONDITION", `Endpoint verification failed with Authorization ${secret}`) }))
    return Effect.gen(function*() {
      const failure = yield* Effect.flip(GoogleSubscribers.create(ACCESS, "my-project", {
        endpointUri: "https://hooks.example.com/google",
        secret: Redacted.make(secret),
        subscriberConfigs: [{ dataTypes: ["steps"], subscriptionCreatePolicy: "AUTOMATIC" }]
      }, { subscriberId: "hook-1" }))
      expect(failure._tag).toBe("ValidationFailed")
      expect(failure.message).not.toContain("subscriber-secret-4f1e2d3c")
      const sent = mock.requests[0]!
      expect(sent.url).toBe("https://health.googleapis.com/v4/projects/my-project/subscribers?subscriberId=hook-1")
      expect(JSON.parse(sent.body)).toEqual({
        endpointUri: "https://hooks.example.com/google",
        endpointAuthorization: { secret },
        subscriberConfigs: [{ dataTypes: ["steps"], subscriptionCreatePolicy: "AUTOMATIC" }]
      })
      yield* Effect.flip(GoogleSubscribers.patch(ACCESS, "projects/my-project/subscribers/hook-1", { endpointUri: "https://hooks.example.com/v2", secret }))
      expect(new URL(mock.requests[1]!.url).searchParams.get("updateMask")).toBe("endpoint_uri,endpoint_authorization")
    }).pipe(Effect.provide(layer))
  })
})
