// Issue 19, part 4: NodeGoogleHealth.layer / layerConfig give a Google Health program everything
// in one Effect.provide, like NodeFitbit.layer does for Fitbit: against the emulator over the
// undici client, from explicit options and from configuration.
import { expect, layer } from "@effect/vitest"
import { GoogleUsers } from "@fitbit-effect/core"
import { Emulator, Google } from "@fitbit-effect/emulator"
import { NodeGoogleHealth } from "@fitbit-effect/node"
import * as ConfigProvider from "effect/ConfigProvider"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"


layer(Emulator.layer(), { excludeTestServices: true })("NodeGoogleHealth", (it) => {
  it.effect("layer(options): one provide, a real call to the emulator", () =>
    Effect.gen(function*() {
      const emu = yield* Emulator.EmulatorService
      const { accessToken } = Google.grantTokens(emu.state, { scopes: ["https://www.googleapis.com/auth/googlehealth.profile.readonly"] })
      const identity = yield* GoogleUsers.getIdentity(accessToken).pipe(
        Effect.provide(NodeGoogleHealth.layer({ clientId: emu.defaultApp.clientId, clientSecret: emu.defaultApp.clientSecret, baseUrl: emu.baseUrl }))
      )
      expect(identity.legacyUserId).toBe(emu.defaultUser.userId)
    }))

  it.effect("layerConfig(): the same from GOOGLE_HEALTH_* settings", () =>
    Effect.gen(function*() {
      const emu = yield* Emulator.EmulatorService
      const { accessToken } = Google.grantTokens(emu.state, { scopes: ["https://www.googleapis.com/auth/googlehealth.profile.readonly"] })
      const settings = ConfigProvider.fromMap(new Map([
        ["GOOGLE_HEALTH_CLIENT_ID", emu.defaultApp.clientId],
        ["GOOGLE_HEALTH_CLIENT_SECRET", emu.defaultApp.clientSecret],
        ["GOOGLE_HEALTH_BASE_URL", emu.baseUrl]
      ]))
      const identity = yield* GoogleUsers.getIdentity(accessToken).pipe(
        Effect.provide(NodeGoogleHealth.layerConfig().pipe(Layer.provide(Layer.setConfigProvider(settings))))
      )
      expect(identity.legacyUserId).toBe(emu.defaultUser.userId)
    }))
})

