// Issue 19: every Promise client has setDefaults (the README's examples and code you cannot edit
// are pointed at the emulator with it), and FitbitSessionClient builds its own authorization URL.
import { Errors } from "@fitbit-effect/core"
import { Google, startEmulator } from "@fitbit-effect/emulator"
import { FitbitSessionClient, GoogleHealthClient } from "@fitbit-effect/node"
import { afterAll, beforeAll, describe, expect, it } from "vitest"

let emulator: Awaited<ReturnType<typeof startEmulator>>
beforeAll(async () => {
  emulator = await startEmulator({ seed: "defaults" })
})
afterAll(() => emulator.close())

describe("setDefaults", () => {
  it("GoogleHealthClient: a client built afterwards uses the defaults; its own options win; the previous defaults come back", async () => {
    const before = GoogleHealthClient.setDefaults({ baseUrl: emulator.baseUrl })
    try {
      const google = new GoogleHealthClient({ clientId: emulator.defaultApp.clientId, clientSecret: emulator.defaultApp.clientSecret })
      const { accessToken } = Google.grantTokens(emulator.state)
      const identity = await google.getIdentity(accessToken)
      expect(identity.legacyUserId).toBe(emulator.defaultUser.userId)
      await google.close()
      const own = new GoogleHealthClient({ clientId: "x.apps.googleusercontent.com", baseUrl: "http://127.0.0.1:9" })
      expect(own.getAuthorizeUrl(["sleep.readonly"], "https://app.example/cb")).toMatch(/^http:\/\/127\.0\.0\.1:9\//)
      await own.close()
    } finally {
      expect(GoogleHealthClient.setDefaults(before)).toEqual({ baseUrl: emulator.baseUrl })
    }
    const after = new GoogleHealthClient({ clientId: "x.apps.googleusercontent.com" })
    expect(after.getAuthorizeUrl(["sleep.readonly"], "https://app.example/cb")).toMatch(/^https:\/\/accounts\.google\.com\//)
    await after.close()
  })

  it("FitbitSessionClient: the defaults reach the session's calls and its authorization URL", async () => {
    const before = FitbitSessionClient.setDefaults({ baseUrl: emulator.baseUrl })
    try {
      const fitbit = new FitbitSessionClient({ clientId: emulator.defaultApp.clientId, clientSecret: emulator.defaultApp.clientSecret })
      const url = new URL(fitbit.getAuthorizeUrl("activity profile", emulator.defaultApp.redirectUri, { state: "s-1" }))
      expect(url.origin).toBe(emulator.baseUrl)
      expect(Object.fromEntries(url.searchParams)).toMatchObject({
        response_type: "code",
        client_id: emulator.defaultApp.clientId,
        scope: "activity profile",
        redirect_uri: emulator.defaultApp.redirectUri,
        state: "s-1"
      })
      const tokens = emulator.grantTokens({ scopes: ["profile"] })
      const key = await fitbit.saveTokens({ access_token: tokens.accessToken, refresh_token: tokens.refreshToken, expires_in: 3600, user_id: tokens.userId })
      const { body } = await fitbit.get(key, "/profile.json")
      expect(body.user.encodedId).toBe(emulator.defaultUser.userId)
      await fitbit.close()
    } finally {
      FitbitSessionClient.setDefaults(before)
    }
  })

  it("FitbitSessionClient.getAuthorizeUrl refuses a missing scope or redirect URL with InvalidInput", async () => {
    const fitbit = new FitbitSessionClient({ clientId: "23ABCD", clientSecret: "s" })
    for (const [scope, redirect, field] of [["", "https://app.example/cb", "scope"], [42, "https://app.example/cb", "scope"], ["activity", "", "redirectUrl"]] as const) {
      const thrown = (() => {
        try {
          fitbit.getAuthorizeUrl(scope as string, redirect)
        } catch (error) {
          return error
        }
      })()
      expect(thrown).toBeInstanceOf(Errors.InvalidInput)
      expect((thrown as Errors.InvalidInput).field).toBe(field)
    }
    await fitbit.close()
  })
})

describe("Promise clients under concurrency", () => {
  it("100 concurrent calls on one client: all answered, and no listener-leak warning (close() does not add a listener per call)", async () => {
    const { FitbitApiClient } = await import("@fitbit-effect/node")
    const warnings: Array<string> = []
    const onWarning = (warning: Error) => warnings.push(`${warning.name}: ${warning.message}`)
    process.on("warning", onWarning)
    const client = new FitbitApiClient({ ...emulator.defaultApp, baseUrl: emulator.baseUrl })
    const { accessToken } = emulator.grantTokens({ scopes: ["profile"] })
    try {
      const answers = await Promise.all(Array.from({ length: 100 }, () => client.get("/profile.json", accessToken)))
      expect(answers.map(([, response]) => response.statusCode)).toEqual(Array(100).fill(200))
      await new Promise((resolve) => setImmediate(resolve)) // warnings are emitted on the next tick
      expect(warnings).toEqual([])
    } finally {
      process.off("warning", onWarning)
      await client.close()
    }
  })
})
