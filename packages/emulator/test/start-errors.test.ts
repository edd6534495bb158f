// startEmulator on a port it cannot take: a plain Error naming the address and the system's code
// (not an Effect FiberFailure saying "An error has occurred"), and nothing left listening.
import { startEmulator } from "@fitbit-effect/emulator"
import { describe, expect, it } from "vitest"

describe("startEmulator", () => {
  it("a port in use rejects with an Error naming it and EADDRINUSE", async () => {
    const first = await startEmulator({ port: 0 })
    const port = Number(new URL(first.baseUrl).port)
    try {
      const failure = await startEmulator({ port }).then(() => undefined, (error: unknown) => error as Error & { code?: string })
      expect(failure).toBeInstanceOf(Error)
      expect(failure!.message).toBe(`cannot listen on 127.0.0.1:${port}: EADDRINUSE`)
      expect(failure!.code).toBe("EADDRINUSE")
      // The first still answers.
      expect((await fetch(`${first.baseUrl}/v4/users/me/identity`)).status).toBe(401)
    } finally {
      await first.close()
    }
  })
})
