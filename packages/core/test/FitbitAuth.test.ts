import { describe, expect, it } from "@effect/vitest"
import { Duration, Effect, Layer, Option, Redacted, TestClock } from "effect"
import { FitbitAuth, FitbitConfig, OAuth } from "@fitbit-effect/core"
import { MockHttpClient } from "@fitbit-effect/core/testing"
import { ACCESS_TOKEN, CLIENT_ID, CLIENT_SECRET, printed, REFRESH_TOKEN, setup, tokenBody } from "./fixtures.js"

const basic = `Basic ${Buffer.from(`${CLIENT_ID}:${CLIENT_SECRET}`).toString("base64")}`
const TOKEN_URL = "https://api.fitbit.com/oauth2/token"

describe("authorize URL", () => {
  const config = Effect.runSync(FitbitConfig.make({ clientId: CLIENT_ID }))

  it("puts the parameters in fitbit-node's order, scope space-joined as %20", () => {
    const url = FitbitAuth.authorizeUrlFor(config, {
      scope: "activity heartrate  sleep",
      redirectUri: "https://app.example/callback?x=1",
      prompt: "login consent",
      state: "s/t+a=te",
      codeChallenge: "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
    })
    const parsed = new URL(url)
    expect(parsed.origin + parsed.pathname).toBe("https://www.fitbit.com/oauth2/authorize")
    expect([...parsed.searchParams.keys()]).toEqual([
      "response_type",
      "client_id",
      "scope",
      "redirect_uri",
      "prompt",
      "state",
      "code_challenge",
      "code_challenge_method"
    ])
    expect(Object.fromEntries(parsed.searchParams)).toEqual({
      response_type: "code",
      client_id: CLIENT_ID,
      scope: "activity heartrate sleep",
      redirect_uri: "https://app.example/callback?x=1",
      prompt: "login consent",
      state: "s/t+a=te",
      code_challenge: "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
      code_challenge_method: "S256"
    })
    // Spaces are %20 (never "+"), and reserved characters are percent-encoded.
    expect(url).toContain("scope=activity%20heartrate%20sleep")
    expect(url).toContain("prompt=login%20consent")
    expect(url).toContain("redirect_uri=https%3A%2F%2Fapp.example%2Fcallback%3Fx%3D1")
    expect(url).toContain("state=s%2Ft%2Ba%3Dte")
    expect(url).not.toContain("+")
  })

  it("joins an array of scopes the same way as a string", () => {
    const fromArray = FitbitAuth.authorizeUrlFor(config, { scope: ["activity", "profile"], redirectUri: "https://a/cb" })
    const fromString = FitbitAuth.authorizeUrlFor(config, { scope: "activity profile", redirectUri: "https://a/cb" })
    expect(fromArray).toBe(fromString)
    expect(fromArray).toContain("scope=activity%20profile&")
  })

  it("leaves out optional parameters that are not given", () => {
    const url = new URL(FitbitAuth.authorizeUrlFor(config, { scope: "profile", redirectUri: "https://a/cb" }))
    expect([...url.searchParams.keys()]).toEqual(["response_type", "client_id", "scope", "redirect_uri"])
  })

  it.effect("reads the configuration from context and honours baseUrl", () =>
    Effect.gen(function*() {
      const url = yield* FitbitAuth.authorizeUrl({ scope: "profile", redirectUri: "http://127.0.0.1:9/cb" })
      expect(url.startsWith("http://127.0.0.1:4100/oauth2/authorize?response_type=code&client_id=23BCDE&")).toBe(true)
    }).pipe(Effect.provide(FitbitConfig.layer({ clientId: CLIENT_ID, baseUrl: "http://127.0.0.1:4100/" }))))
})

describe("code exchange", () => {
  it.effect("confidential client: POST form with Basic auth, client_id and code_verifier", () => {
    const { layer, mock } = setup(() => ({ status: 200, body: tokenBody() }))
    return Effect.gen(function*() {
      const tokens = yield* FitbitAuth.exchangeCode({
        code: "a1b2c3d4",
        redirectUri: "https://app.example/cb",
        codeVerifier: Redacted.make("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk")
      })
      expect(mock.requests).toHaveLength(1)
      const request = mock.requests[0]!
      expect(request.method).toBe("POST")
      expect(request.url).toBe(TOKEN_URL)
      expect(request.headers.authorization).toBe(basic)
      expect(request.headers["content-type"]).toBe("application/x-www-form-urlencoded")
      expect(MockHttpClient.formFields(request)).toEqual({
        grant_type: "authorization_code",
        code: "a1b2c3d4",
        redirect_uri: "https://app.example/cb",
        code_verifier: "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk",
        client_id: CLIENT_ID
      })
      expect(request.body).toContain("redirect_uri=https%3A%2F%2Fapp.example%2Fcb")
      expect(Redacted.value(tokens.accessToken)).toBe(ACCESS_TOKEN)
      expect(tokens.refreshToken && Redacted.value(tokens.refreshToken)).toBe(REFRESH_TOKEN)
      expect(tokens.scopes).toEqual(["heartrate", "profile", "activity", "sleep"])
      expect(tokens.userId).toBe("ABC123")
      expect(tokens.tokenType).toBe("Bearer")
      expect(tokens.expiresIn).toBe(28800)
    }).pipe(Effect.provide(layer))
  })

  it.effect("without a verifier sends no code_verifier", () => {
    const { layer, mock } = setup(() => ({ status: 200, body: tokenBody() }))
    return Effect.gen(function*() {
      yield* FitbitAuth.exchangeCode({ code: "c0de", redirectUri: "https://app.example/cb" })
      expect(Object.keys(MockHttpClient.formFields(mock.requests[0]!)).sort()).toEqual(
        ["client_id", "code", "grant_type", "redirect_uri"]
      )
    }).pipe(Effect.provide(layer))
  })

  it.effect("public (PKCE) client: client_id in the body and no Authorization header", () => {
    const mock = MockHttpClient.make(() => ({ status: 200, body: tokenBody() }))
    const layer = Layer.merge(FitbitConfig.layer({ clientId: CLIENT_ID }), mock.layer)
    return Effect.gen(function*() {
      yield* FitbitAuth.exchangeCode({
        code: "c0de",
        redirectUri: "https://app.example/cb",
        codeVerifier: "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
      })
      yield* FitbitAuth.refresh({ refreshToken: REFRESH_TOKEN })
      yield* FitbitAuth.revoke(REFRESH_TOKEN)
      expect(mock.requests).toHaveLength(3)
      for (const request of mock.requests) {
        expect(request.headers.authorization).toBeUndefined()
        expect(MockHttpClient.formFields(request).client_id).toBe(CLIENT_ID)
        expect(request.body).not.toContain("client_secret")
      }
      expect(MockHttpClient.formFields(mock.requests[0]!).code_verifier).toBe("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk")
    }).pipe(Effect.provide(layer))
  })

  it.effect("expiresAt is computed from the Clock at receipt", () => {
    const { layer } = setup(() => ({ status: 200, body: tokenBody({ expires_in: 3600 }) }))
    return Effect.gen(function*() {
      const now = Date.UTC(2026, 10, 25, 18, 0, 0)
      yield* TestClock.setTime(now)
      const tokens = yield* FitbitAuth.exchangeCode({ code: "c0de", redirectUri: "https://app.example/cb" })
      expect(tokens.expiresAt).toBe(now + 3600 * 1000)
      expect(tokens.isExpired(now)).toBe(false)
      expect(tokens.isExpired(now, 3600 * 1000)).toBe(true)
      yield* TestClock.adjust("2 hours")
      const later = yield* FitbitAuth.refresh({ refreshToken: REFRESH_TOKEN })
      expect(later.expiresAt).toBe(now + 2 * 3600 * 1000 + 3600 * 1000)
    }).pipe(Effect.provide(layer))
  })
})

describe("refresh", () => {
  it.effect("POSTs grant_type=refresh_token with Basic auth and no expires_in by default", () => {
    const { layer, mock } = setup(() => ({ status: 200, body: tokenBody({ refresh_token: "rotated-refresh-token-0001" }) }))
    return Effect.gen(function*() {
      const tokens = yield* FitbitAuth.refresh({ refreshToken: Redacted.make(REFRESH_TOKEN) })
      const request = mock.requests[0]!
      expect(request.method).toBe("POST")
      expect(request.url).toBe(TOKEN_URL)
      expect(request.headers.authorization).toBe(basic)
      expect(request.headers["content-type"]).toBe("application/x-www-form-urlencoded")
      expect(MockHttpClient.formFields(request)).toEqual({ grant_type: "refresh_token", refresh_token: REFRESH_TOKEN })
      expect(tokens.refreshToken && Redacted.value(tokens.refreshToken)).toBe("rotated-refresh-token-0001")
    }).pipe(Effect.provide(layer))
  })

  it.effect("sends expires_in when asked", () => {
    const { layer, mock } = setup(() => ({ status: 200, body: tokenBody() }))
    return Effect.gen(function*() {
      yield* FitbitAuth.refresh({ refreshToken: REFRESH_TOKEN, expiresIn: 28800 })
      expect(MockHttpClient.formFields(mock.requests[0]!)).toEqual({
        grant_type: "refresh_token",
        refresh_token: REFRESH_TOKEN,
        expires_in: "28800"
      })
    }).pipe(Effect.provide(layer))
  })

  it.effect("keeps the old refresh token when the provider does not rotate", () => {
    const { refresh_token: _, ...withoutRefresh } = tokenBody()
    const { layer } = setup(() => ({ status: 200, body: withoutRefresh }))
    return Effect.gen(function*() {
      const tokens = yield* FitbitAuth.refresh({ refreshToken: REFRESH_TOKEN })
      expect(tokens.refreshToken && Redacted.value(tokens.refreshToken)).toBe(REFRESH_TOKEN)
    }).pipe(Effect.provide(layer))
  })
})

describe("revoke and introspect", () => {
  it.effect("revoke POSTs token= with Basic auth", () => {
    const { layer, mock } = setup(() => ({ status: 200, body: {} }))
    return Effect.gen(function*() {
      yield* FitbitAuth.revoke(Redacted.make(ACCESS_TOKEN))
      const request = mock.requests[0]!
      expect(request.method).toBe("POST")
      expect(request.url).toBe("https://api.fitbit.com/oauth2/revoke")
      expect(request.headers.authorization).toBe(basic)
      expect(request.headers["content-type"]).toBe("application/x-www-form-urlencoded")
      expect(MockHttpClient.formFields(request)).toEqual({ token: ACCESS_TOKEN })
    }).pipe(Effect.provide(layer))
  })

  it.effect("introspect POSTs token= with the Bearer token and decodes the answer", () => {
    const exp = Date.UTC(2026, 10, 26)
    const { layer, mock } = setup(() => ({
      status: 200,
      body: { active: true, scope: "{ACTIVITY=READ, PROFILE=READ}", client_id: CLIENT_ID, user_id: "ABC123", token_type: "access_token", exp, iat: exp - 28_800_000 }
    }))
    return Effect.gen(function*() {
      const info = yield* FitbitAuth.introspect({ token: "inspected-token-1", bearer: Redacted.make(ACCESS_TOKEN) })
      const request = mock.requests[0]!
      expect(request.method).toBe("POST")
      expect(request.url).toBe("https://api.fitbit.com/1.1/oauth2/introspect")
      expect(request.headers.authorization).toBe(`Bearer ${ACCESS_TOKEN}`)
      expect(request.headers["content-type"]).toBe("application/x-www-form-urlencoded")
      expect(MockHttpClient.formFields(request)).toEqual({ token: "inspected-token-1" })
      expect(info.active).toBe(true)
      expect(info.exp).toBe(exp)
      expect(info.user_id).toBe("ABC123")
    }).pipe(Effect.provide(layer))
  })

  it.effect("introspect decodes an inactive token", () => {
    const { layer } = setup(() => ({ status: 200, body: { active: false } }))
    return Effect.gen(function*() {
      const info = yield* FitbitAuth.introspect({ token: "t0ken", bearer: ACCESS_TOKEN })
      expect(info.active).toBe(false)
      expect(info.scope).toBeUndefined()
    }).pipe(Effect.provide(layer))
  })
})

describe("TokenSet", () => {
  it.effect("never prints its tokens, but toWire gives them back", () => {
    const { layer } = setup(() => ({ status: 200, body: tokenBody() }))
    return Effect.gen(function*() {
      const tokens = yield* FitbitAuth.exchangeCode({ code: "c0de", redirectUri: "https://app.example/cb" })
      const shown = [String(tokens), JSON.stringify(tokens), `${tokens.accessToken}`].join("\n")
      expect(shown).not.toContain(ACCESS_TOKEN)
      expect(shown).not.toContain(REFRESH_TOKEN)
      expect(printed(tokens)).not.toContain(CLIENT_SECRET)
      expect(tokens.toWire()).toEqual({ ...tokenBody() })
    }).pipe(Effect.provide(layer))
  })

  it("the generic provider may put the client secret in the body (client_secret_post)", () =>
    Effect.gen(function*() {
      const mock = MockHttpClient.make(() => ({ status: 200, body: tokenBody() }))
      const provider: OAuth.OAuthProvider = {
        name: "test",
        clientId: "cid",
        clientSecret: Option.some(Redacted.make("csecret")),
        authorizeUrl: "https://auth.example/authorize",
        tokenUrl: "https://auth.example/token",
        revokeUrl: "https://auth.example/revoke",
        introspectUrl: Option.none(),
        clientAuthentication: "post",
        sendClientIdOnCodeExchange: false,
        timeout: Duration.seconds(5)
      }
      yield* OAuth.refresh(provider, { refreshToken: "rt-1234" }).pipe(Effect.provide(mock.layer))
      const request = mock.requests[0]!
      expect(request.headers.authorization).toBeUndefined()
      expect(MockHttpClient.formFields(request)).toEqual({
        grant_type: "refresh_token",
        refresh_token: "rt-1234",
        client_id: "cid",
        client_secret: "csecret"
      })
      const failure = yield* Effect.flip(OAuth.introspect(provider, { token: "a", bearer: "b" }).pipe(Effect.provide(mock.layer)))
      expect(failure._tag).toBe("InvalidInput")
      expect(mock.requests).toHaveLength(1)
    }).pipe(Effect.runPromise))
})
