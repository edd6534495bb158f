// The emulator in its own process for the sync section (forked by lib/sync.js), so that neither
// its memory nor its CPU is the orchestrator's: Google's quotas lifted, users added and their
// Google grants minted on command.
//
// argv[2]: the seed.
// IPC in:  {type: "user", id, userId, memberSince} -> {type: "done", id, grant: {user, accessToken, refreshToken}}
//          {type: "counters", id}                   -> {type: "done", id, counters}
//          {type: "close"}
// IPC out: {type: "listening", baseUrl, clientId, clientSecret}
import { Emulator, Google } from "@fitbit-effect/emulator"

const emulator = await Emulator.startEmulator({
  seed: process.argv[2] ?? "bench-sync",
  googleQuota: { perUserPerMinute: 1_000_000_000, perProjectPerMinute: 1_000_000_000 }
})
process.send({ type: "listening", baseUrl: emulator.baseUrl, clientId: emulator.defaultApp.clientId, clientSecret: emulator.defaultApp.clientSecret })
process.on("message", async (message) => {
  if (message?.type === "close") {
    await emulator.close()
    process.exit(0)
  } else if (message?.type === "user") {
    emulator.addUser({ userId: message.userId, memberSince: message.memberSince })
    const minted = Google.grantTokens(emulator.state, { userId: message.userId })
    process.send({ type: "done", id: message.id, grant: { user: message.userId, accessToken: minted.accessToken, refreshToken: minted.refreshToken } })
  } else if (message?.type === "counters") {
    process.send({ type: "done", id: message.id, counters: emulator.counters() })
  }
})
process.on("disconnect", () => process.exit(0))
