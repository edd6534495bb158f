// The legacy Fitbit Web API's retirement (410 Gone since 2026-11-02), end to end against the
// emulator with its legacy routes retired: a typed LegacyApiRetired that says how to move, the
// facade keeping fitbit-node's shapes (a resolved [body, response] for data calls, a
// TokenEndpointError for token calls) and warning the process once, FitbitSessionClient failing a
// retired user's later calls without a request, and Google Health routes still served.
import { Errors } from "@fitbit-effect/core"
import { Google, startEmulator, type EmulatorHandle } from "@fitbit-effect/emulator"
import { FitbitApiClient, FitbitSessionClient, GoogleHealthClient, TokenEndpointError } from "@fitbit-effect/node"
import { afterAll, beforeAll, describe, expect, it } from "vitest"

let emu: EmulatorHandle & { close(): Promise<void> }

beforeAll(async () => {
  emu = await startEmulator({ clock: { start: "2026-11-25T12:00:00Z" }, legacyRetired: true })
})
afterAll(async () => {
  await emu.close()
})

const requestsTo = (fragment: string) =>
  Object.entries(emu.counters().requestsByPath).filter(([path]) => path.includes(fragment)).reduce((n, [, c]) => n + c, 0)

describe("the legacy API retired (410 Gone)", () => {
  it("the facade resolves fitbit-node's [body, response] for a data call and warns the process once with how to move", async () => {
    const client = new FitbitApiClient({ ...emu.defaultApp, baseUrl: emu.baseUrl })
    const warnings: Array<Error & { code?: string }> = []
    const onWarning = (w: Error & { code?: string }) => warnings.push(w)
    process.on("warning", onWarning)
    try {
      const [body, response] = await client.get("/profile.json", "any-token")
      await client.get("/activities/date/today.json", "any-token")
      // Node emits warnings on the next tick.
      await new Promise((resolve) => setImmediate(resolve))
      expect(response.statusCode).toBe(410)
      expect(body.errors[0].message).toContain("turned off")
      const ours = warnings.filter((w) => w.code === "FITBIT_EFFECT_LEGACY_API_RETIRED")
      expect(ours).toHaveLength(1)
      expect(ours[0]!.message).toContain(`backend: "google-health"`)
    } finally {
      process.off("warning", onWarning)
      await client.close()
    }
  })

  it("a token call rejects with fitbit-node's TokenEndpointError shape, tagged LegacyApiRetired, its text saying how to move", async () => {
    const client = new FitbitApiClient({ ...emu.defaultApp, baseUrl: emu.baseUrl })
    try {
      const error = await client.refreshAccessToken("a-refresh-token", "a-refresh-token").catch((e) => e)
      expect(error).toBeInstanceOf(TokenEndpointError)
      expect(error).toMatchObject({ status: 410, message: "Gone", _tag: "LegacyApiRetired" })
      expect(String(error)).toContain(`backend: "google-health"`)
      expect(String(error)).not.toContain("a-refresh-token")
    } finally {
      await client.close()
    }
  })

  it("FitbitSessionClient: the first call of a user fails with LegacyApiRetired, later ones fail at once without a request", async () => {
    const client = new FitbitSessionClient({ ...emu.defaultApp, baseUrl: emu.baseUrl })
    try {
      const t = emu.grantTokens()
      const key = await client.saveTokens({ access_token: t.accessToken, refresh_token: t.refreshToken, expires_in: t.expiresIn, user_id: t.userId })
      const before = requestsTo("/steps/")
      const first = await client.get(key, "/activities/steps/date/today/1d.json").catch((e) => e)
      expect(first).toBeInstanceOf(Errors.LegacyApiRetired)
      expect(first.message).toContain("consent again with Google")
      expect(requestsTo("/steps/") - before).toBe(1)
      const second = await client.get(key, "/activities/steps/date/today/1d.json").catch((e) => e)
      expect(second).toBe(first)
      expect(requestsTo("/steps/") - before).toBe(1)
      // Another user is not affected until its own call meets the 410.
      const other = emu.grantTokens({ userId: emu.defaultUser.userId })
      const otherKey = await client.saveTokens(
        { access_token: other.accessToken, refresh_token: other.refreshToken, expires_in: other.expiresIn, user_id: other.userId },
        "second-key"
      )
      const third = await client.get(otherKey, "/activities/steps/date/today/1d.json").catch((e) => e)
      expect(third._tag).toBe("LegacyApiRetired")
      expect(requestsTo("/steps/") - before).toBe(2)
    } finally {
      await client.close()
    }
  })

  it("Google Health routes are still served, and the switch turns the legacy routes back on", async () => {
    const google = new GoogleHealthClient({ clientId: emu.defaultApp.clientId, clientSecret: emu.defaultApp.clientSecret, baseUrl: emu.baseUrl })
    const facade = new FitbitApiClient({ ...emu.defaultApp, baseUrl: emu.baseUrl })
    try {
      const identity = await google.getIdentity(Google.grantTokens(emu.state).accessToken)
      expect(identity.legacyUserId).toBe(emu.defaultUser.userId)
      emu.retireLegacyApi(false)
      const [, response] = await facade.get("/profile.json", emu.grantTokens().accessToken)
      expect(response.statusCode).toBe(200)
    } finally {
      emu.retireLegacyApi(true)
      await google.close()
      await facade.close()
    }
  })
})
