// Two faithfulness checks on the wire, with raw fetch: injected status faults answer in the
// dialect of the path they hit (Fitbit's `{errors}`, Google's `{error:{code,message,status}}`,
// OAuth's `{error, error_description}`), and a token issued by one provider's OAuth endpoints
// is refused by the other provider's data routes.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest"
import { Emulator, Google } from "../src/index.js"
import { FORM, api, basic, codeFor, fitbitErrorOf, form, pkcePair, token } from "./helpers.js"

let emu: Awaited<ReturnType<typeof Emulator.startEmulator>>

beforeAll(async () => {
  emu = await Emulator.startEmulator({ clock: { start: "2026-11-25T12:00:00Z" } })
})
afterAll(() => emu.close())
afterEach(() => emu.clearFaults())

const SCOPE = "https://www.googleapis.com/auth/googlehealth."

/** A token issued through Google's OAuth endpoints (consent, then `/token`). */
const googleToken = async () => {
  const pkce = pkcePair()
  const url = new URL(`${emu.baseUrl}/o/oauth2/v2/auth`)
  for (
    const [k, v] of Object.entries({
      response_type: "code",
      client_id: emu.defaultApp.clientId,
      redirect_uri: emu.defaultApp.redirectUri,
      scope: `${SCOPE}profile.readonly ${SCOPE}activity_and_fitness.readonly`,
      code_challenge: pkce.challenge,
      code_challenge_method: "S256"
    })
  ) url.searchParams.set(k, v)
  const consent = await fetch(url, { redirect: "manual" })
  const code = new URL(consent.headers.get("location")!).searchParams.get("code")!
  const answer = await fetch(`${emu.baseUrl}/token`, {
    method: "POST",
    headers: FORM,
    body: form({
      grant_type: "authorization_code",
      code,
      redirect_uri: emu.defaultApp.redirectUri,
      code_verifier: pkce.verifier,
      client_id: emu.defaultApp.clientId,
      client_secret: emu.defaultApp.clientSecret
    })
  })
  expect(answer.status).toBe(200)
  return (await answer.json() as { access_token: string }).access_token
}

/** A token issued through Fitbit's OAuth endpoints (consent, then `/oauth2/token`). */
const fitbitToken = async () => {
  const code = await codeFor(emu)
  const answer = await token(emu, { grant_type: "authorization_code", code, redirect_uri: emu.defaultApp.redirectUri })
  expect(answer.status).toBe(200)
  return (await answer.json() as { access_token: string }).access_token
}

const googleErrorOf = async (response: Response) => {
  const body = await response.json() as { error: { code: number; message: string; status: string } }
  expect(body.error.code).toBe(response.status)
  expect(body.error.message).toEqual(expect.any(String))
  return body.error
}

const oauthErrorOf = async (response: Response) => {
  const body = await response.json() as { error: string; error_description: string }
  expect(body.error).toEqual(expect.any(String))
  expect(body.error_description).toEqual(expect.any(String))
  return body
}

describe("injected status faults answer in the dialect of the path", () => {
  it("/v4/ answers Google's API error: 500 INTERNAL, 503 UNAVAILABLE, 429 RESOURCE_EXHAUSTED with Retry-After", async () => {
    const access = await googleToken()
    const cases = [["status500", 500, "INTERNAL"], ["status503", 503, "UNAVAILABLE"], ["status429", 429, "RESOURCE_EXHAUSTED"]] as const
    for (const [kind, status, name] of cases) {
      emu.injectFault({ kind, retryAfterSeconds: 7, match: { pathPrefix: "/v4/" } })
      const response = await api(emu, "/v4/users/me/identity", access)
      expect(response.status).toBe(status)
      expect(response.headers.get("content-type")).toMatch(/application\/json/)
      if (kind === "status429") expect(response.headers.get("retry-after")).toBe("7")
      const error = await googleErrorOf(response)
      expect(error.status).toBe(name)
    }
    // The fault was used up: the next call is served normally.
    expect((await api(emu, "/v4/users/me/identity", access)).status).toBe(200)
  })

  it("Google's /token and /revoke answer OAuth's {error, error_description}", async () => {
    const cases = [["status500", 500, "internal_failure"], ["status503", 503, "temporarily_unavailable"], ["status429", 429, "rate_limit_exceeded"]] as const
    for (const path of ["/token", "/revoke"]) {
      for (const [kind, status, error] of cases) {
        emu.injectFault({ kind, match: { pathPrefix: path } })
        const response = await fetch(`${emu.baseUrl}${path}`, { method: "POST", headers: FORM, body: form({ token: "x" }) })
        expect(response.status).toBe(status)
        const body = await oauthErrorOf(response)
        expect(body.error).toBe(error)
        expect(body).not.toHaveProperty("errors")
      }
    }
  })

  it("Fitbit's paths keep Fitbit's error JSON (data and OAuth)", async () => {
    const access = await fitbitToken()
    for (const [kind, status] of [["status500", 500], ["status503", 503]] as const) {
      emu.injectFault({ kind, match: { pathPrefix: "/1/user" } })
      const data = await api(emu, "/1/user/-/profile.json", access)
      expect(data.status).toBe(status)
      expect((await fitbitErrorOf(data)).errorType).toBe("system")
      emu.injectFault({ kind, match: { pathPrefix: "/oauth2/token" } })
      const oauth = await token(emu, { grant_type: "refresh_token", refresh_token: "x" })
      expect(oauth.status).toBe(status)
      expect((await fitbitErrorOf(oauth)).errorType).toBe("system")
    }
    emu.injectFault({ kind: "status429", retryAfterSeconds: 9, match: { pathPrefix: "/1/user" } })
    const limited = await api(emu, "/1/user/-/profile.json", access)
    expect(limited.status).toBe(429)
    expect(limited.headers.get("fitbit-rate-limit-remaining")).toBe("0")
    expect(limited.headers.get("retry-after")).toBe("9")
  })

  it("html502 stays a proxy's HTML page on Google's paths", async () => {
    emu.injectFault({ kind: "html502", match: { pathPrefix: "/v4/" } })
    const response = await api(emu, "/v4/users/me/identity", undefined)
    expect(response.status).toBe(502)
    expect(response.headers.get("content-type")).toMatch(/text\/html/)
    expect(await response.text()).toContain("502 Bad Gateway")
  })
})

describe("tokens are only good on their own provider's routes", () => {
  it("a Google-issued token is refused on Fitbit's data routes with 401 invalid_token", async () => {
    const google = await googleToken()
    expect((await api(emu, "/v4/users/me/identity", google)).status).toBe(200)
    const response = await api(emu, "/1/user/-/profile.json", google)
    expect(response.status).toBe(401)
    expect((await fitbitErrorOf(response)).errorType).toBe("invalid_token")
    // A Google grant minted directly (as tests do) is refused on another data route too.
    const minted = Google.grantTokens(emu.state).accessToken
    expect((await fitbitErrorOf(await api(emu, "/1/user/-/activities/date/2026-11-24.json", minted))).errorType).toBe("invalid_token")
  })

  it("a Fitbit-issued token is refused on /v4/ with Google's 401 UNAUTHENTICATED", async () => {
    const fitbit = await fitbitToken()
    expect((await api(emu, "/1/user/-/profile.json", fitbit)).status).toBe(200)
    const response = await api(emu, "/v4/users/me/identity", fitbit)
    expect(response.status).toBe(401)
    expect(response.headers.get("www-authenticate")).toMatch(/invalid_token/)
    expect((await googleErrorOf(response)).status).toBe("UNAUTHENTICATED")
  })

  it("grants minted without a provider stay Fitbit's", async () => {
    const minted = emu.grantTokens().accessToken
    expect((await api(emu, "/1/user/-/profile.json", minted)).status).toBe(200)
    expect((await api(emu, "/v4/users/me/identity", minted)).status).toBe(401)
  })

  it("a Fitbit token basic-authenticated at Google's /revoke is refused and stays valid on Fitbit", async () => {
    const fitbit = await fitbitToken()
    const response = await fetch(`${emu.baseUrl}/revoke`, {
      method: "POST",
      headers: { ...FORM, authorization: basic(emu.defaultApp.clientId, emu.defaultApp.clientSecret) },
      body: form({ token: fitbit })
    })
    expect(response.status).toBe(400)
    expect((await oauthErrorOf(response)).error).toBe("invalid_token")
    expect((await api(emu, "/1/user/-/profile.json", fitbit)).status).toBe(200)
  })
})
