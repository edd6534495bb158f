/**
 * Issue 18, classes 5–9 at the unit level: bad input refused before anything is sent (bodies,
 * transport headers, paths, configuration), token answers that do not decode never quoted,
 * actionable error mapping, and the windowed intraday heart-rate answer decoded.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer, Redacted } from "effect"
import { type Errors, FitbitConfig, FitbitHttp, FitbitResources, GoogleHealthConfig, GoogleHealthHttp, OAuth, RetryPolicy, TokenStore } from "@fitbit-effect/core"
import * as ErrorDecoder from "../src/internal/errorDecoder.js"
import * as ParseReason from "../src/internal/parseReason.js"
import { MockHttpClient } from "@fitbit-effect/core/testing"
import { Schema } from "effect"
import { ACCESS_TOKEN, CLIENT_ID, CLIENT_SECRET, printed, REFRESH_TOKEN, setup, tokenBody } from "./fixtures.js"

const expectInvalid = (error: { readonly _tag: string }, field: string) => {
  expect(error._tag).toBe("InvalidInput")
  expect((error as unknown as { field: string }).field).toBe(field)
}

const googleSetup = (handler: (request: MockHttpClient.RecordedRequest) => MockHttpClient.MockAnswer) => {
  const mock = MockHttpClient.make(handler)
  const layer = GoogleHealthHttp.layer.pipe(
    Layer.provideMerge(GoogleHealthConfig.layer({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET })),
    Layer.provideMerge(mock.layer),
    Layer.provideMerge(RetryPolicy.layer({ maxRetries: 0 }))
  )
  return { mock, layer }
}

describe("bodies are serialised before anything is sent", () => {
  const circular: Record<string, unknown> = { a: 1 }
  circular.self = circular
  const cases: ReadonlyArray<[string, FitbitHttp.Body, boolean]> = [
    ["a circular form body", circular as FitbitHttp.Body, false],
    ["a circular JSON body", circular as FitbitHttp.Body, true],
    ["a BigInt in a JSON body", { n: 10n } as unknown as FitbitHttp.Body, true],
    ["a function as the JSON body", (() => 1) as unknown as FitbitHttp.Body, true]
  ]
  for (const [name, body, json] of cases) {
    it.effect(`Fitbit: ${name} is InvalidInput naming body, nothing sent`, () =>
      Effect.gen(function*() {
        const { layer, mock } = setup(() => ({ status: 200, body: {} }))
        const error = yield* Effect.flip(FitbitHttp.post("/activities.json", ACCESS_TOKEN, body, { json }).pipe(Effect.provide(layer)))
        expectInvalid(error, "body")
        expect(mock.requests).toHaveLength(0)
      }))
  }
  it.effect("Google: a circular or BigInt body is InvalidInput naming body, nothing sent", () =>
    Effect.gen(function*() {
      const { layer, mock } = googleSetup(() => ({ status: 200, body: {} }))
      for (const body of [circular, { n: 1n }]) {
        const error = yield* Effect.flip(
          GoogleHealthHttp.call({ method: "POST", path: "/users/me/dataTypes/steps/dataPoints", accessToken: "ya29.google-token", body }).pipe(
            Effect.provide(layer)
          )
        )
        expectInvalid(error, "body")
      }
      expect(mock.requests).toHaveLength(0)
    }))
})

describe("headers the transport owns are refused", () => {
  for (const name of ["Host", "content-length", "Transfer-Encoding", "Connection", "Keep-Alive", "Upgrade", "TE", "Trailer", "Proxy-Authorization", "Expect"]) {
    it.effect(`${name} in extra headers`, () =>
      Effect.gen(function*() {
        const { layer, mock } = setup(() => ({ status: 200, body: {} }))
        const error = yield* Effect.flip(FitbitHttp.get("/profile.json", ACCESS_TOKEN, { headers: { [name]: "evil.example" } }).pipe(Effect.provide(layer)))
        expectInvalid(error, "headers")
        expect(error.message).toContain(name)
        expect(mock.requests).toHaveLength(0)
      }))
  }
  it.effect("an ordinary extra header is still sent", () =>
    Effect.gen(function*() {
      const { layer, mock } = setup(() => ({ status: 200, body: {} }))
      yield* FitbitHttp.get("/profile.json", ACCESS_TOKEN, { headers: { "X-Fitbit-Subscriber-Id": "1" } }).pipe(Effect.provide(layer))
      expect(mock.requests[0]!.headers["x-fitbit-subscriber-id"]).toBe("1")
    }))
})

describe("paths are ASCII and bounded", () => {
  const cases: ReadonlyArray<[string, string]> = [
    ["a 100 KB path", `/activities/${"a".repeat(100_000)}.json`],
    ["U+FF0E fullwidth full stops", "/activities/\uFF0E\uFF0E/oauth2/token"],
    ["U+FF0F fullwidth solidus", "/activities\uFF0F..\uFF0Foauth2/token"],
    ["U+2025 two-dot leader", "/activities/\u2025/oauth2/token"],
    ["U+FF0E percent-encoded", "/activities/%EF%BC%8E%EF%BC%8E/oauth2/token"],
    ["a non-ASCII letter", "/profil\u00e9.json"]
  ]
  for (const [name, path] of cases) {
    it.effect(name, () =>
      Effect.gen(function*() {
        const { layer, mock } = setup(() => ({ status: 200, body: {} }))
        const error = yield* Effect.flip(FitbitHttp.get(path, ACCESS_TOKEN).pipe(Effect.provide(layer)))
        expectInvalid(error, "path")
        expect(error.message.length).toBeLessThan(300)
        expect(mock.requests).toHaveLength(0)
      }))
  }
})

describe("one configuration validator for every client", () => {
  for (const timeout of [0, -5, "0 seconds", Infinity, "soon"]) {
    it.effect(`timeout ${String(timeout)} is refused by the Fitbit and the Google configuration`, () =>
      Effect.gen(function*() {
        const options = { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, timeout: timeout as never }
        expectInvalid(yield* Effect.flip(FitbitConfig.make(options)), "timeout")
        expectInvalid(yield* Effect.flip(GoogleHealthConfig.make(options)), "timeout")
      }))
  }
  it.effect("a Redacted holding no value (an unset environment variable) is InvalidInput naming clientSecret", () =>
    Effect.gen(function*() {
      const options = { clientId: CLIENT_ID, clientSecret: Redacted.make(undefined as unknown as string) }
      for (const make of [FitbitConfig.make, GoogleHealthConfig.make] as ReadonlyArray<(options: FitbitConfig.Options) => Effect.Effect<unknown, Errors.InvalidInput>>) {
        const error = yield* Effect.flip(make(options))
        expectInvalid(error, "clientSecret")
        expect(error.message).toContain("environment variable")
      }
    }))
  it.effect("a wiped Redacted is InvalidInput, not a defect", () =>
    Effect.gen(function*() {
      const secret = Redacted.make(CLIENT_SECRET)
      Redacted.unsafeWipe(secret)
      const error = yield* Effect.flip(FitbitConfig.make({ clientId: CLIENT_ID, clientSecret: secret }))
      expectInvalid(error, "clientSecret")
    }))
})

describe("a token answer that does not decode is never quoted", () => {
  const bodies: ReadonlyArray<[string, unknown]> = [
    ["access_token as an array", tokenBody({ access_token: [ACCESS_TOKEN] })],
    ["expires_in as a string", tokenBody({ expires_in: REFRESH_TOKEN })],
    ["a form-encoded body", `access_token=${ACCESS_TOKEN}&refresh_token=${REFRESH_TOKEN}&expires_in=3600`],
    ["an array of token answers", [tokenBody()]]
  ]
  for (const [name, body] of bodies) {
    it.effect(name, () =>
      Effect.gen(function*() {
        const { layer } = setup(() => ({ status: 200, body }))
        const provider = FitbitConfig.toOAuthProvider(yield* FitbitConfig.make({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET }))
        const error = yield* Effect.flip(OAuth.refresh(provider, { refreshToken: "r-old-token" }).pipe(Effect.provide(layer)))
        expect(error._tag).toBe("DecodeError")
        const text = printed(error)
        expect(text).not.toContain(ACCESS_TOKEN)
        expect(text).not.toContain(REFRESH_TOKEN)
        expect(text).not.toContain(ACCESS_TOKEN.slice(0, 20))
      }))
  }
  it("the reason names the field and the kind received", () => {
    const exit = Schema.decodeUnknownEither(OAuth.TokenResponse)(tokenBody({ access_token: [ACCESS_TOKEN] }))
    if (exit._tag === "Right") throw new Error("expected a failure")
    const reason = ParseReason.describe(exit.left)
    expect(reason).toContain(`["access_token"]`)
    expect(reason).toContain("an array (1 item)")
    expect(reason).not.toContain(ACCESS_TOKEN)
  })
  it.effect("a stored grant that does not decode is described without its tokens", () =>
    Effect.gen(function*() {
      const text = JSON.stringify({ tokens: { accessToken: ACCESS_TOKEN, refreshToken: [REFRESH_TOKEN] }, status: "active" })
      const reason = yield* Effect.flip(TokenStore.decodeGrant(text))
      expect(reason).toContain("refreshToken")
      expect(reason).not.toContain(ACCESS_TOKEN)
      expect(reason).not.toContain(REFRESH_TOKEN)
    }))
})

describe("errors that name their fix", () => {
  const googleBody = (status: string, code: number, reason: string, message: string) => ({
    error: {
      code,
      status,
      message,
      details: [{ "@type": "type.googleapis.com/google.rpc.ErrorInfo", reason, domain: "googleapis.com" }]
    }
  })
  const decode = (status: number, body: unknown) =>
    ErrorDecoder.toApiFailure({ status, method: "GET", url: "https://health.googleapis.com/v4/users/me/profile", body, headers: {}, now: 0 })

  it("Google SERVICE_DISABLED is SetupRequired api_not_enabled, not InsufficientScope", () => {
    const error = decode(403, googleBody("PERMISSION_DENIED", 403, "SERVICE_DISABLED", "Google Health API has not been used in project 1 before or it is disabled."))
    expect(error._tag).toBe("SetupRequired")
    expect((error as unknown as { reason: string }).reason).toBe("api_not_enabled")
    expect(error.message).toContain("enable it")
    expect(error.message).toContain("Consent again will not help")
  })
  it("Google ACCOUNT_NOT_LINKED is SetupRequired account_not_linked, not ValidationFailed", () => {
    const error = decode(400, googleBody("FAILED_PRECONDITION", 400, "ACCOUNT_NOT_LINKED", "The account is not linked."))
    expect(error._tag).toBe("SetupRequired")
    expect((error as unknown as { reason: string }).reason).toBe("account_not_linked")
    expect(error.message).toContain("Google account their Fitbit account was moved to")
  })
  it("Fitbit 401 invalid_request is SetupRequired authorization_missing; 400 invalid_request stays ValidationFailed", () => {
    const body = { errors: [{ errorType: "invalid_request", message: "Authorization header required" }], success: false }
    const missing = decode(401, body)
    expect(missing._tag).toBe("SetupRequired")
    expect((missing as unknown as { reason: string }).reason).toBe("authorization_missing")
    expect(missing.message).toContain("Authorization header")
    expect(decode(400, body)._tag).toBe("ValidationFailed")
  })
  it("a plain PERMISSION_DENIED is still InsufficientScope", () => {
    expect(decode(403, googleBody("PERMISSION_DENIED", 403, "ACCESS_TOKEN_SCOPE_INSUFFICIENT", "scope"))._tag).toBe("InsufficientScope")
  })
})

describe("what the service sends for a windowed intraday heart-rate call", () => {
  // The day entry as three independent recordings (2016–2024) show it: zones beside dateTime, value a string.
  const recorded = {
    "activities-heart": [{
      customHeartRateZones: [],
      dateTime: "2024-03-02",
      heartRateZones: [
        { caloriesOut: 12.3, max: 96, min: 30, minutes: 50, name: "Out of Range" },
        { caloriesOut: 3.1, max: 134, min: 96, minutes: 10, name: "Fat Burn" },
        { caloriesOut: 0, max: 163, min: 134, minutes: 0, name: "Cardio" },
        { caloriesOut: 0, max: 220, min: 163, minutes: 0, name: "Peak" }
      ],
      value: "63.5"
    }],
    "activities-heart-intraday": { dataset: [{ time: "08:00:00", value: 63 }, { time: "08:01:00", value: 64 }], datasetInterval: 1, datasetType: "minute" }
  }
  it.effect("HeartRate.intraday with a time window decodes it", () =>
    Effect.gen(function*() {
      const { layer, mock } = setup(() => ({ status: 200, body: recorded }))
      const answer = yield* FitbitResources.HeartRate.intraday(ACCESS_TOKEN, {
        date: "2024-03-02",
        detailLevel: "1min",
        startTime: "08:00",
        endTime: "09:00"
      }).pipe(Effect.provide(layer))
      expect(mock.requests[0]!.url).toContain("/activities/heart/date/2024-03-02/1d/1min/time/08:00/09:00.json")
      expect(answer["activities-heart"][0]!.value).toBe("63.5")
      expect(answer["activities-heart-intraday"].dataset).toHaveLength(2)
    }))
})
