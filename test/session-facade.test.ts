// FitbitSessionClient (Promise sessions) against the emulator: calls by user key, refresh
// shared by concurrent calls, onRefresh called with the rotated pair before use, a file store
// that survives a restart, ReauthorizationRequired for a revoked grant, and writes never
// repeated. Plus prompt cancellation: an interrupted call closes its socket.
import { startEmulator, type EmulatorHandle } from "@fitbit-effect/emulator"
import { FitbitSessionClient, type FitbitSessionClientOptions, NodeFitbit, type TokenJson } from "@fitbit-effect/node"
import { FitbitConfig, FitbitHttp, RetryPolicy } from "@fitbit-effect/core"
import { Deferred, Effect, Fiber, Layer } from "effect"
import * as fs from "node:fs"
import * as http from "node:http"
import * as os from "node:os"
import * as path from "node:path"
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest"

let emu: EmulatorHandle & { close(): Promise<void> }
const clients: Array<FitbitSessionClient> = []

const make = (options: Partial<FitbitSessionClientOptions> = {}) => {
  const client = new FitbitSessionClient({
    clientId: emu.defaultApp.clientId,
    clientSecret: emu.defaultApp.clientSecret,
    baseUrl: emu.baseUrl,
    retry: { baseDelay: "20 millis" },
    ...options
  })
  clients.push(client)
  return client
}

const minted = (): TokenJson => {
  const t = emu.grantTokens()
  return {
    access_token: t.accessToken,
    refresh_token: t.refreshToken,
    expires_in: t.expiresIn,
    scope: t.scopes.join(" "),
    token_type: "Bearer",
    user_id: t.userId
  }
}

beforeAll(async () => {
  emu = await startEmulator()
  emu.setRateLimit(1_000_000)
})
afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()))
  await emu.close()
})
afterEach(() => {
  emu.clearFaults()
  emu.resetCounters()
})

describe("FitbitSessionClient", () => {
  it("calls by user key; concurrent calls after expiry share one refresh; onRefresh sees the new pair first", async () => {
    const seen: Array<{ key: string; tokens: TokenJson }> = []
    const client = make({ onRefresh: (key, tokens) => void seen.push({ key, tokens }) })
    const tokens = minted()
    const key = await client.saveTokens(tokens)
    expect(key).toBe(tokens.user_id)
    expect(seen).toHaveLength(1) // the save itself
    emu.expireAccessTokens()
    emu.resetCounters()
    const results = await Promise.all(Array.from({ length: 50 }, () => client.get(key, "/profile.json")))
    expect(results.every((r) => r.status === 200)).toBe(true)
    expect(emu.counters().refreshesByUser[key]).toBe(1)
    expect(seen).toHaveLength(2)
    expect(seen[1]!.key).toBe(key)
    expect(seen[1]!.tokens.refresh_token).not.toBe(tokens.refresh_token)
    expect(await client.accessToken(key)).toBe(seen[1]!.tokens.access_token)
    expect(results[0]!.rateLimit?.limit).toBe(1_000_000)
    expect((await client.rateLimit(key))?.limit).toBe(1_000_000)
  })

  it("an onRefresh that throws keeps the new pair out of use; the next call offers it again", async () => {
    let fail = false
    const saved: Array<string> = []
    const client = make({
      onRefresh: async (_key, tokens) => {
        if (fail) throw new Error("database unavailable")
        saved.push(tokens.refresh_token!)
      }
    })
    const key = await client.saveTokens(minted())
    emu.expireAccessTokens()
    fail = true
    await expect(client.get(key, "/profile.json")).rejects.toMatchObject({ _tag: "TokenStoreError" })
    fail = false
    expect((await client.get(key, "/profile.json")).status).toBe(200)
    expect(emu.counters().refreshesByUser[key]).toBe(1)
    expect(saved).toHaveLength(2)
  })

  it("a file store survives a restart of the client", async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "fitbit-session-")), "tokens.json")
    const first = make({ store: { file } })
    const key = await first.saveTokens(minted())
    emu.expireAccessTokens()
    await first.get(key, "/profile.json") // refreshes and saves the rotated pair
    await first.close()
    const second = make({ store: { file } })
    expect((await second.get(key, "/profile.json")).status).toBe(200)
    expect(emu.counters().refreshesByUser[key]).toBe(1)
    expect(fs.statSync(file).mode & 0o777).toBe(0o600)
  })

  it("refuses a non-loopback http base URL; never prints its secret or tokens", async () => {
    expect(() => new FitbitSessionClient({ clientId: "23ABCD", baseUrl: "http://api.example.com" })).toThrow(/https/)
    const client = make()
    const tokens = minted()
    await client.saveTokens(tokens)
    const printed = [String(client), JSON.stringify(client), (await import("node:util")).inspect(client, { showHidden: true })]
      .join("\n")
    for (const secret of [emu.defaultApp.clientSecret, tokens.access_token, tokens.refresh_token!]) {
      expect(printed).not.toContain(secret)
    }
  })

  it("a revoked grant rejects with ReauthorizationRequired and the grant is marked", async () => {
    const client = make()
    const key = await client.saveTokens(minted())
    emu.revokeGrant()
    await expect(client.get(key, "/profile.json")).rejects.toMatchObject({ _tag: "ReauthorizationRequired" })
    expect(await client.grantStatus(key)).toBe("reauthorization_required")
  })

  it("a POST meeting a 500 is sent once; a GET meeting one is retried", async () => {
    const client = make()
    const key = await client.saveTokens(minted())
    emu.resetCounters()
    emu.injectFault({ kind: "status500", count: 1, match: { method: "POST" } })
    await expect(client.post(key, "/foods/log/water.json", { amount: "250", date: "2026-11-25", unit: "ml" })).rejects
      .toMatchObject({ _tag: "ServerError" })
    expect(emu.counters().requestsByPath["POST /1/user/-/foods/log/water.json"]).toBe(1)
    expect(emu.counters().writes).toBe(0)
    emu.injectFault({ kind: "status500", count: 1, match: { method: "GET" } })
    expect((await client.get(key, "/profile.json")).status).toBe(200)
    expect(emu.counters().requestsByPath["GET /1/user/-/profile.json"]).toBe(2)
  })
})

describe("interruption", () => {
  it("interrupting a call closes its socket promptly", async () => {
    // A server that never answers, and tells when the client's socket closes.
    const arrived = Effect.runSync(Deferred.make<void>())
    const closed = Effect.runSync(Deferred.make<void>())
    const server = http.createServer((request) => {
      Effect.runSync(Deferred.succeed(arrived, undefined))
      request.socket.on("close", () => Effect.runSync(Deferred.succeed(closed, undefined)))
    })
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
    const port = (server.address() as { port: number }).port
    try {
      const layer = NodeFitbit.layerWith(
        Layer.merge(
          FitbitConfig.layer({ clientId: "23ABCD", baseUrl: `http://127.0.0.1:${port}`, timeout: "10 minutes" }),
          RetryPolicy.layer({ maxRetries: 0 })
        )
      )
      await Effect.runPromise(
        Effect.gen(function*() {
          const fiber = yield* Effect.fork(FitbitHttp.get("/profile.json", "tok"))
          yield* Deferred.await(arrived)
          yield* Fiber.interrupt(fiber)
          // Completes only if the client closed the connection (no timer involved).
          yield* Deferred.await(closed)
        }).pipe(Effect.provide(Layer.orDie(layer)))
      )
    } finally {
      server.closeAllConnections()
      server.close()
    }
  })
})

describe("telling unsent from possibly-sent writes on a real socket", () => {
  const post = (port: number) =>
    Effect.runPromise(
      Effect.flip(FitbitHttp.post("/foods/log/water.json", "tok", { amount: "250" })).pipe(
        Effect.provide(
          Layer.orDie(
            NodeFitbit.layerWith(
              Layer.merge(
                FitbitConfig.layer({ clientId: "23ABCD", baseUrl: `http://127.0.0.1:${port}` }),
                RetryPolicy.layer({ maxRetries: 0 })
              )
            )
          )
        )
      )
    )

  it("connection refused: a TransportError marked as never sent", async () => {
    const server = http.createServer()
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
    const port = (server.address() as { port: number }).port
    await new Promise<void>((resolve) => server.close(() => resolve()))
    const error = await post(port)
    expect(error._tag).toBe("TransportError")
    expect(error._tag === "TransportError" && error.sent === "no").toBe(true)
  })

  it("connection reset after the request arrived: a TransportError that may have been sent", async () => {
    let received = 0
    const server = http.createServer((request) => {
      received++
      request.socket.destroy()
    })
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
    const port = (server.address() as { port: number }).port
    try {
      const error = await post(port)
      expect(error._tag).toBe("TransportError")
      expect(error._tag === "TransportError" && error.sent === "maybe").toBe(true)
      expect(received).toBe(1)
    } finally {
      server.close()
    }
  })
})
