import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer, Redacted } from "effect"
import { FitbitAuth, FitbitConfig, FitbitHttp, MockHttpClient, Pkce } from "@fitbit-effect/core"

describe("smoke", () => {
  it.effect("pkce rfc vector", () =>
    Effect.gen(function*() {
      const c = yield* Pkce.challengeOf("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk")
      expect(c).toBe("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM")
    }))
  it.effect("exchange and get", () => {
    const mock = MockHttpClient.make((req) =>
      req.url.includes("oauth2/token")
        ? { status: 200, body: { access_token: "AT-abcdef", expires_in: 28800, refresh_token: "RT", scope: "profile activity", token_type: "Bearer", user_id: "ABC123" } }
        : req.url.includes("profile")
        ? { status: 200, body: { user: { encodedId: "ABC123" } }, headers: { "fitbit-rate-limit-limit": "150", "fitbit-rate-limit-remaining": "149", "fitbit-rate-limit-reset": "100" } }
        : { status: 401, body: { errors: [{ errorType: "expired_token", message: "Access token expired: eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJBQkMifQ.sig123456" }], success: false } }
    )
    const layer = FitbitHttp.layer.pipe(Layer.provideMerge(FitbitConfig.layer({ clientId: "CID", clientSecret: "SECRET" })), Layer.provideMerge(mock.layer))
    return Effect.gen(function*() {
      const tokens = yield* FitbitAuth.exchangeCode({ code: "thecode", redirectUri: "https://app/cb" })
      expect(tokens.userId).toBe("ABC123")
      expect(String(tokens)).not.toContain("AT-abcdef")
      const res = yield* FitbitHttp.get("/profile.json", tokens.accessToken)
      expect(res.body).toEqual({ user: { encodedId: "ABC123" } })
      expect(res.rateLimit._tag).toBe("Some")
      const err = yield* Effect.flip(FitbitHttp.get("/activities.json", Redacted.make("tok"), { userId: false }))
      expect(err._tag).toBe("ExpiredToken")
      expect(err.message).not.toContain("eyJ")
      console.log(err.message, mock.requests.map((r) => [r.method, r.url, r.headers, r.body]))
      const bad = yield* Effect.flip(FitbitHttp.get("//evil.com/x", "tok"))
      expect(bad._tag).toBe("InvalidInput")
    }).pipe(Effect.provide(layer))
  })
})
