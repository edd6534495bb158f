// Conformance of the emulator's OAuth endpoints with ../shared/fitbit-api.md, over raw HTTP.
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type EmulatorHandle, startEmulator } from "../src/index.js"
import { api, authorize, basic, codeFor, fitbitErrorOf, FORM, form, pkcePair, token } from "./helpers.js"

let emu: EmulatorHandle & { close(): Promise<void> }
beforeAll(async () => {
  emu = await startEmulator({ clock: { start: "2026-11-25T12:00:00Z" } })
})
afterAll(() => emu.close())

describe("GET /oauth2/authorize", () => {
  it("auto-consent redirects to the registered URI with code, state and Fitbit's #_=_ fragment", async () => {
    const { response, location } = await authorize(emu, {
      response_type: "code",
      client_id: emu.defaultApp.clientId,
      redirect_uri: emu.defaultApp.redirectUri,
      scope: "activity sleep",
      state: "xyz 1"
    })
    expect(response.status).toBe(302)
    expect(location!.startsWith(emu.defaultApp.redirectUri + "?")).toBe(true)
    expect(location!.endsWith("#_=_")).toBe(true)
    const query = new URL(location!).searchParams
    expect(query.get("state")).toBe("xyz 1")
    expect(query.get("code")).toMatch(/^[A-Za-z0-9_-]{20,}$/)
  })

  it("rejects an unknown client and a redirect URI that is not an exact match with 400 JSON, without redirecting", async () => {
    const unknown = await authorize(emu, { response_type: "code", client_id: "NOPE99", scope: "activity" })
    expect(unknown.response.status).toBe(400)
    expect(await fitbitErrorOf(unknown.response)).toMatchObject({ errorType: "invalid_request", fieldName: "client_id" })
    const mismatch = await authorize(emu, {
      response_type: "code",
      client_id: emu.defaultApp.clientId,
      redirect_uri: emu.defaultApp.redirectUri + "/",
      scope: "activity"
    })
    expect(mismatch.response.status).toBe(400)
    expect(mismatch.location).toBeNull()
    expect(await fitbitErrorOf(mismatch.response)).toMatchObject({ errorType: "invalid_request", fieldName: "redirect_uri" })
  })

  it.each([
    [{ scope: "activity bogus" }, "invalid_scope"],
    [{ scope: "" }, "invalid_scope"],
    [{ response_type: "token" }, "unsupported_response_type"],
    [{ prompt: "always" }, "invalid_request"],
    [{ code_challenge: pkcePair().challenge, code_challenge_method: "plain" }, "invalid_request"],
    [{ code_challenge: "short", code_challenge_method: "S256" }, "invalid_request"]
  ])("redirects other bad parameters back with an error and the state: %j", async (bad, error) => {
    const { response, query } = await authorize(emu, {
      response_type: "code",
      client_id: emu.defaultApp.clientId,
      redirect_uri: emu.defaultApp.redirectUri,
      scope: "activity",
      state: "s1",
      ...bad
    })
    expect(response.status).toBe(302)
    expect(query!.get("error")).toBe(error)
    expect(query!.get("state")).toBe("s1")
    expect(query!.get("code")).toBeNull()
  })

  it("requires PKCE from a public app", async () => {
    const { query } = await authorize(emu, {
      response_type: "code",
      client_id: emu.publicApp.clientId,
      redirect_uri: emu.publicApp.redirectUri,
      scope: "activity"
    })
    expect(query!.get("error")).toBe("invalid_request")
  })

  it("answers with an HTML consent page whose Allow and Deny buttons redirect accordingly", async () => {
    emu.setConsent("page")
    try {
      const { response } = await authorize(emu, {
        response_type: "code",
        client_id: emu.defaultApp.clientId,
        redirect_uri: emu.defaultApp.redirectUri,
        scope: "sleep",
        state: "st"
      })
      expect(response.status).toBe(200)
      expect(response.headers.get("content-type")).toContain("text/html")
      const html = await response.text()
      expect(html).toContain(`value="allow"`)
      expect(html).toContain("<code>sleep</code>: sleep logs and stages")
      expect(html).toContain(`value="deny"`)
      const hidden = [...html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)]
        .map((m) => [m[1]!, m[2]!.replace(/&amp;/g, "&")] as [string, string])
      const decide = (decision: string) =>
        fetch(`${emu.baseUrl}/oauth2/authorize/decision`, {
          method: "POST",
          headers: FORM,
          body: form({ ...Object.fromEntries(hidden), decision, emulator_user: emu.defaultUser.userId }),
          redirect: "manual"
        })
      const allowed = new URL((await decide("allow")).headers.get("location")!).searchParams
      expect(allowed.get("code")).not.toBeNull()
      expect(allowed.get("state")).toBe("st")
      const denied = new URL((await decide("deny")).headers.get("location")!).searchParams
      expect(denied.get("error")).toBe("access_denied")
      expect(denied.get("code")).toBeNull()
    } finally {
      emu.setConsent("auto")
    }
  })

  it("deny mode redirects with access_denied", async () => {
    emu.setConsent("deny")
    try {
      const { query } = await authorize(emu, {
        response_type: "code",
        client_id: emu.defaultApp.clientId,
        scope: "activity",
        state: "d"
      })
      expect(query!.get("error")).toBe("access_denied")
      expect(query!.get("state")).toBe("d")
    } finally {
      emu.setConsent("auto")
    }
  })
})

describe("POST /oauth2/token: authorization_code", () => {
  it("exchanges a code once, with Basic auth, answering Fitbit's token JSON", async () => {
    const code = await codeFor(emu)
    const fields = { grant_type: "authorization_code", code, redirect_uri: emu.defaultApp.redirectUri, client_id: emu.defaultApp.clientId }
    const first = await token(emu, fields)
    expect(first.status).toBe(200)
    expect(first.headers.get("cache-control")).toBe("no-store")
    const body = await first.json()
    expect(body).toMatchObject({ expires_in: 28800, token_type: "Bearer", user_id: emu.defaultUser.userId, scope: "activity profile sleep" })
    expect(body.access_token).not.toBe(body.refresh_token)
    const again = await token(emu, fields)
    expect(again.status).toBe(400)
    expect((await fitbitErrorOf(again)).errorType).toBe("invalid_grant")
  })

  it("refuses a code after 10 minutes on the emulator clock", async () => {
    const code = await codeFor(emu)
    emu.advance(10 * 60_000 + 1)
    const response = await token(emu, { grant_type: "authorization_code", code, redirect_uri: emu.defaultApp.redirectUri })
    expect(response.status).toBe(400)
    expect((await fitbitErrorOf(response)).errorType).toBe("invalid_grant")
  })

  it("refuses a redirect URI other than the authorize request's", async () => {
    const code = await codeFor(emu)
    const response = await token(emu, { grant_type: "authorization_code", code, redirect_uri: "http://127.0.0.1:8080/other" })
    expect(response.status).toBe(400)
    expect((await fitbitErrorOf(response)).errorType).toBe("invalid_grant")
  })

  it("checks the PKCE verifier, and lets a public app authenticate with client_id alone", async () => {
    const pkce = pkcePair()
    const params = {
      response_type: "code",
      client_id: emu.publicApp.clientId,
      redirect_uri: emu.publicApp.redirectUri,
      scope: "activity",
      code_challenge: pkce.challenge,
      code_challenge_method: "S256"
    }
    const wrong = await token(emu, {
      grant_type: "authorization_code",
      code: (await authorize(emu, params)).query!.get("code")!,
      redirect_uri: emu.publicApp.redirectUri,
      client_id: emu.publicApp.clientId,
      code_verifier: pkcePair().verifier
    }, null)
    expect(wrong.status).toBe(400)
    expect(await fitbitErrorOf(wrong)).toMatchObject({ errorType: "invalid_grant", fieldName: "code_verifier" })
    const missing = await token(emu, {
      grant_type: "authorization_code",
      code: (await authorize(emu, params)).query!.get("code")!,
      redirect_uri: emu.publicApp.redirectUri,
      client_id: emu.publicApp.clientId
    }, null)
    expect(missing.status).toBe(400)
    const right = await token(emu, {
      grant_type: "authorization_code",
      code: (await authorize(emu, params)).query!.get("code")!,
      redirect_uri: emu.publicApp.redirectUri,
      client_id: emu.publicApp.clientId,
      code_verifier: pkce.verifier
    }, null)
    expect(right.status).toBe(200)
    expect((await right.json()).scope).toBe("activity")
  })

  it("answers 401 invalid_client for a confidential app without Basic auth, a wrong secret, or no client at all", async () => {
    const code = await codeFor(emu)
    const fields = { grant_type: "authorization_code", code, redirect_uri: emu.defaultApp.redirectUri, client_id: emu.defaultApp.clientId }
    for (const auth of [null, basic(emu.defaultApp.clientId, "wrong"), "Basic !!!"]) {
      const response = await token(emu, fields, auth)
      expect(response.status).toBe(401)
      expect((await fitbitErrorOf(response)).errorType).toBe("invalid_client")
    }
    const anonymous = await token(emu, { grant_type: "authorization_code", code }, null)
    expect(anonymous.status).toBe(401)
  })

  it("answers unsupported_grant_type and invalid_request for bad grants", async () => {
    const unsupported = await token(emu, { grant_type: "password" })
    expect(unsupported.status).toBe(400)
    expect((await fitbitErrorOf(unsupported)).errorType).toBe("unsupported_grant_type")
    const missing = await token(emu, { grant_type: "authorization_code" })
    expect(await fitbitErrorOf(missing)).toMatchObject({ errorType: "invalid_request", fieldName: "code" })
  })
})

describe("POST /oauth2/token: refresh_token", () => {
  it("rotates: the new pair works, the old refresh token answers 400 invalid_grant", async () => {
    const minted = emu.grantTokens()
    const first = await token(emu, { grant_type: "refresh_token", refresh_token: minted.refreshToken })
    expect(first.status).toBe(200)
    const rotated = await first.json()
    expect(rotated.refresh_token).not.toBe(minted.refreshToken)
    expect(rotated.access_token).not.toBe(minted.accessToken)
    const reuse = await token(emu, { grant_type: "refresh_token", refresh_token: minted.refreshToken })
    expect(reuse.status).toBe(400)
    expect((await fitbitErrorOf(reuse)).errorType).toBe("invalid_grant")
    const next = await token(emu, { grant_type: "refresh_token", refresh_token: rotated.refresh_token })
    expect(next.status).toBe(200)
    expect((await api(emu, "/1/user/-/profile.json", rotated.access_token)).status).toBe(200)
  })

  it("honours expires_in and rejects a malformed one", async () => {
    const minted = emu.grantTokens()
    const response = await token(emu, { grant_type: "refresh_token", refresh_token: minted.refreshToken, expires_in: "3600" })
    const body = await response.json()
    expect(body.expires_in).toBe(3600)
    emu.advance(3600_000)
    const expired = await api(emu, "/1/user/-/profile.json", body.access_token)
    expect(expired.status).toBe(401)
    expect((await fitbitErrorOf(expired)).errorType).toBe("expired_token")
    const bad = await token(emu, { grant_type: "refresh_token", refresh_token: body.refresh_token, expires_in: "-5" })
    expect(await fitbitErrorOf(bad)).toMatchObject({ errorType: "invalid_request", fieldName: "expires_in" })
  })

  it("counts refreshes per user and refuses another app's refresh token", async () => {
    emu.resetCounters()
    const minted = emu.grantTokens()
    await token(emu, { grant_type: "refresh_token", refresh_token: minted.refreshToken })
    expect(emu.counters().refreshesByUser[emu.defaultUser.userId]).toBe(1)
    const other = emu.grantTokens({ clientId: emu.publicApp.clientId })
    const stolen = await token(emu, { grant_type: "refresh_token", refresh_token: other.refreshToken })
    expect(stolen.status).toBe(400)
    expect(emu.counters().tokenRequests).toBe(2)
  })

  it("may replay a used refresh token within a configured grace window", async () => {
    const graceful = await startEmulator({ refreshGraceMillis: 5000, clock: { start: 0 } })
    try {
      const minted = graceful.grantTokens()
      const a = await (await token(graceful, { grant_type: "refresh_token", refresh_token: minted.refreshToken })).json()
      const b = await (await token(graceful, { grant_type: "refresh_token", refresh_token: minted.refreshToken })).json()
      expect(b.refresh_token).toBe(a.refresh_token)
      graceful.advance(5001)
      expect((await token(graceful, { grant_type: "refresh_token", refresh_token: minted.refreshToken })).status).toBe(400)
    } finally {
      await graceful.close()
    }
  })
})

describe("POST /oauth2/revoke and /1.1/oauth2/introspect", () => {
  it("revoking the access token ends the whole grant", async () => {
    const minted = emu.grantTokens()
    const response = await fetch(`${emu.baseUrl}/oauth2/revoke`, {
      method: "POST",
      headers: { ...FORM, authorization: basic(emu.defaultApp.clientId, emu.defaultApp.clientSecret) },
      body: form({ token: minted.accessToken })
    })
    expect(response.status).toBe(200)
    expect(await response.json()).toEqual({})
    const call = await api(emu, "/1/user/-/profile.json", minted.accessToken)
    expect(call.status).toBe(401)
    expect((await fitbitErrorOf(call)).errorType).toBe("invalid_token")
    const refresh = await token(emu, { grant_type: "refresh_token", refresh_token: minted.refreshToken })
    expect(refresh.status).toBe(400)
  })

  it("revoking the refresh token ends the grant too; a public app revokes with client_id", async () => {
    const minted = emu.grantTokens({ clientId: emu.publicApp.clientId })
    const response = await fetch(`${emu.baseUrl}/oauth2/revoke`, {
      method: "POST",
      headers: FORM,
      body: form({ token: minted.refreshToken, client_id: emu.publicApp.clientId })
    })
    expect(response.status).toBe(200)
    expect((await api(emu, "/1/user/-/profile.json", minted.accessToken)).status).toBe(401)
  })

  it("introspects: active with Fitbit's fields, then inactive once revoked", async () => {
    const caller = emu.grantTokens()
    const target = emu.grantTokens({ scopes: ["activity", "sleep"] })
    const introspect = (tokenValue: string) =>
      fetch(`${emu.baseUrl}/1.1/oauth2/introspect`, {
        method: "POST",
        headers: { ...FORM, authorization: `Bearer ${caller.accessToken}` },
        body: form({ token: tokenValue })
      })
    const active = await (await introspect(target.accessToken)).json()
    expect(active).toMatchObject({
      active: true,
      client_id: emu.defaultApp.clientId,
      user_id: emu.defaultUser.userId,
      token_type: "access_token",
      exp: target.expiresAt,
      scope: "{ACTIVITY=READ_WRITE, SLEEP=READ_WRITE}"
    })
    expect(await (await introspect("not-a-token")).json()).toEqual({ active: false })
    const unauthenticated = await fetch(`${emu.baseUrl}/1.1/oauth2/introspect`, { method: "POST", headers: FORM, body: form({ token: target.accessToken }) })
    expect(unauthenticated.status).toBe(401)
  })
})
