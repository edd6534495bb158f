// Google's two channels (AIP-185): `v4` (stable, the default) and `v4beta` (the public beta, a
// superset). The configuration takes the channel, every call goes to it, a wrong one is refused
// before anything is built, and the emulator serves both.
import { Errors, GoogleHealthConfig, GoogleHealthHttp, GoogleUsers } from "@fitbit-effect/core"
import { Emulator, Google } from "@fitbit-effect/emulator"
import { GoogleHealthClient, NodeGoogleHealth } from "@fitbit-effect/node"
import { ConfigProvider, Effect, Either } from "effect"
import { afterAll, beforeAll, describe, expect, it } from "vitest"

let emu: Awaited<ReturnType<typeof Emulator.startEmulator>>

beforeAll(async () => {
  emu = await Emulator.startEmulator({ clock: { start: "2026-11-25T12:00:00Z" } })
})
afterAll(async () => {
  await emu.close()
})

const requestsUnder = (prefix: string) =>
  Object.entries(emu.counters().requestsByPath).filter(([path]) => path.split(" ")[1]!.startsWith(prefix)).reduce((n, [, c]) => n + c, 0)

describe("the channel", () => {
  it("defaults to v4, takes v4beta (also from GOOGLE_HEALTH_CHANNEL), and refuses anything else as InvalidInput naming channel", () => {
    const base = { clientId: "123-app.apps.googleusercontent.com" }
    expect(Effect.runSync(GoogleHealthConfig.make(base)).channel).toBe("v4")
    expect(Effect.runSync(GoogleHealthConfig.make({ ...base, channel: "v4beta" })).channel).toBe("v4beta")
    const wrong = Effect.runSync(Effect.flip(GoogleHealthConfig.make({ ...base, channel: "v5" as never })))
    expect(wrong).toBeInstanceOf(Errors.InvalidInput)
    expect(wrong).toMatchObject({ field: "channel" })
    expect(wrong.message).toContain("v4beta")
    const fromEnv = Effect.runSync(
      Effect.withConfigProvider(
        GoogleHealthConfig.config,
        ConfigProvider.fromMap(new Map([["GOOGLE_HEALTH_CLIENT_ID", base.clientId], ["GOOGLE_HEALTH_CHANNEL", "v4beta"]]))
      )
    )
    expect(fromEnv.channel).toBe("v4beta")
  })

  it("every call goes to the configured channel; a path given with either channel's prefix is taken without it", () => {
    const url = (channel: GoogleHealthConfig.Channel, path: string) =>
      Either.getOrThrow(GoogleHealthHttp.buildUrl({ apiBaseUrl: "https://health.googleapis.com", channel }, path))
    expect(url("v4", "/users/me/profile")).toBe("https://health.googleapis.com/v4/users/me/profile")
    expect(url("v4beta", "/users/me/profile")).toBe("https://health.googleapis.com/v4beta/users/me/profile")
    expect(url("v4beta", "/v4/users/me/profile")).toBe("https://health.googleapis.com/v4beta/users/me/profile")
    expect(url("v4", "/v4beta/users/me/profile")).toBe("https://health.googleapis.com/v4/users/me/profile")
  })

  it("against the emulator: the Effect layer and the Promise client on v4beta reach /v4beta, the default reaches /v4", async () => {
    const { accessToken } = Google.grantTokens(emu.state)
    const beforeBeta = requestsUnder("/v4beta/")
    const beforeStable = requestsUnder("/v4/")
    const identity = await Effect.runPromise(Effect.scoped(Effect.provide(
      GoogleUsers.getIdentity(accessToken),
      NodeGoogleHealth.layer({ ...emu.defaultApp, baseUrl: emu.baseUrl, channel: "v4beta" })
    )))
    expect(identity.legacyUserId).toBe(emu.defaultUser.userId)
    const client = new GoogleHealthClient({ ...emu.defaultApp, baseUrl: emu.baseUrl, channel: "v4beta" })
    const stable = new GoogleHealthClient({ ...emu.defaultApp, baseUrl: emu.baseUrl })
    try {
      expect((await client.getIdentity(accessToken)).legacyUserId).toBe(emu.defaultUser.userId)
      expect((await stable.getIdentity(accessToken)).legacyUserId).toBe(emu.defaultUser.userId)
    } finally {
      await client.close()
      await stable.close()
    }
    expect(requestsUnder("/v4beta/") - beforeBeta).toBe(2)
    expect(requestsUnder("/v4/") - beforeStable).toBe(1)
  })
})
