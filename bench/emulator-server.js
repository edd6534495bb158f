// The emulator in its own process for the throughput measurement (forked by lib/emulator.js):
// starts @fitbit-effect/emulator with the rate limit lifted, mints a token, reports both.
import { startEmulator } from "@fitbit-effect/emulator"

const emulator = await startEmulator({ rateLimitPerHour: 1_000_000_000, googleQuota: { perUserPerMinute: 1_000_000_000, perProjectPerMinute: 1_000_000_000 } })
const tokens = emulator.grantTokens()
process.send({ type: "listening", baseUrl: emulator.baseUrl, accessToken: tokens.accessToken })
process.on("message", async (message) => {
  if (message?.type === "close") {
    await emulator.close()
    process.exit(0)
  }
})
process.on("disconnect", () => process.exit(0))
