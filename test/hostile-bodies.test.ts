// Issue 34, class 2: a response body has a size limit in the HTTP client, enforced while it
// arrives (and at the headers when Content-Length says more), failing with the typed
// ResponseTooLarge; every failure inside the client settles the call, so nothing a server sends
// can hang a call past its timeout. Misbehaving local servers answer what a hostile provider could.
import { NodeHttpClient } from "@effect/platform-node"
import { FitbitHttp, GoogleHealthConfig, GoogleHealthHttp } from "@fitbit-effect/core"
import { FitbitApiClient, GoogleHealthClient, NodeFitbit, NodeGoogleHealth } from "@fitbit-effect/node"
import { Cause, Effect, Exit } from "effect"
import * as http from "node:http"
import type { AddressInfo } from "node:net"
import { afterAll, beforeAll, describe, expect, it } from "vitest"

const MiB = 1024 * 1024
const piece = Buffer.alloc(64 * 1024, "a")
const bigPiece = Buffer.alloc(8 * MiB, "a")

/** Bytes the server wrote per request id: a refused body stops the writing. */
const written = new Map<string, number>()

let server: http.Server
let origin = ""

/** Writes `total` bytes of body in pieces (64 KiB, or 8 MiB for `fast`), honouring back-pressure, stopping when the client goes. */
const writeBody = (id: string, res: http.ServerResponse, total: number, fast = false) => {
  let sent = 0
  const unit = fast ? bigPiece : piece
  const more = () => {
    while (sent < total) {
      const chunk = total - sent >= unit.length ? unit : unit.subarray(0, total - sent)
      sent += chunk.length
      written.set(id, sent)
      if (!res.write(chunk)) return void res.once("drain", more)
    }
    res.end()
  }
  res.on("close", () => written.set(id, sent))
  more()
}

beforeAll(async () => {
  server = http.createServer((req, res) => {
    req.resume()
    const url = new URL(req.url ?? "/", "http://x")
    const id = url.searchParams.get("id") ?? url.pathname
    const size = Number(url.searchParams.get("mib") ?? "0") * MiB
    if (url.searchParams.has("declared")) {
      // Says 10 GiB, sends nothing more: only the headers can refuse it (a timeout would not be typed).
      res.writeHead(200, { "content-type": "application/json", "content-length": String(10 * 1024 * MiB) })
      res.flushHeaders()
      return
    }
    res.writeHead(400, { "content-type": "application/json" })
    writeBody(id, res, size, url.searchParams.has("fast"))
  })
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
afterAll(() => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()) }))

const settings = { clientId: "23BCDE", clientSecret: "secret", timeout: "20 seconds" } as const
let ids = 0

/** Every route through which a body reaches this library: both providers, Effect and Promise, our client and another. */
const routes: Array<[string, (query: string) => Promise<unknown>]> = [
  ["FitbitHttp (lean undici)", (query) =>
    Effect.runPromise(Effect.flip(FitbitHttp.get(`/profile.json?${query}`, "token").pipe(Effect.provide(NodeFitbit.layer({ ...settings, baseUrl: origin })))))],
  ["GoogleHealthHttp (lean undici)", (query) =>
    Effect.runPromise(Effect.flip(GoogleHealthHttp.get(`/users/me/profile?${query}`, "token").pipe(Effect.provide(NodeGoogleHealth.layer({ ...settings, baseUrl: origin })))))],
  ["GoogleHealthHttp (platform-node undici, bounded by the pipeline)", (query) =>
    Effect.runPromise(Effect.flip(GoogleHealthHttp.get(`/users/me/profile?${query}`, "token").pipe(
      Effect.provide(NodeGoogleHealth.layerWith(GoogleHealthConfig.layer({ ...settings, baseUrl: origin }), NodeHttpClient.layerUndici))
    )))],
  ["FitbitApiClient", async (query) => {
    const client = new FitbitApiClient({ ...settings, baseUrl: origin })
    try {
      return await client.get(`/profile.json?${query}`, "token").then(() => "resolved", (e) => e)
    } finally {
      await client.close()
    }
  }],
  ["GoogleHealthClient", async (query) => {
    const client = new GoogleHealthClient({ ...settings, baseUrl: origin })
    try {
      return await client.get(`/users/me/profile?${query}`, "token").then(() => "resolved", (e) => e)
    } finally {
      await client.close()
    }
  }]
]

describe("bodies larger than the client takes fail typed, without being read whole", () => {
  for (const [name, call] of routes) {
    it(`${name}: a 200 MiB body fails with ResponseTooLarge after about 64 MiB, and memory stays bounded`, async () => {
      const id = `big-${ids++}`
      const before = process.memoryUsage().rss
      const error = await call(`id=${id}&mib=200`)
      expect(error).toMatchObject({ _tag: "ResponseTooLarge", limitBytes: 64 * MiB })
      expect(String((error as Error).message)).toContain("larger than 67108864 bytes")
      // The server stopped well before 200 MiB (the socket was destroyed), and the client held no more than the limit.
      await expect.poll(() => written.get(id) ?? 0, { timeout: 5_000 }).toBeGreaterThan(0)
      expect(written.get(id)!).toBeLessThan(150 * MiB)
      expect(process.memoryUsage().rss - before).toBeLessThan(400 * MiB)
    })

    it(`${name}: a Content-Length of 10 GiB fails at the headers with ResponseTooLarge, not at the timeout`, async () => {
      const error = await call("declared=1")
      expect(error).toMatchObject({ _tag: "ResponseTooLarge" })
    })
  }

  it("maxBodyBytes is an option of every configuration: 1 MiB refuses a 2 MiB body; a bad value is InvalidInput", async () => {
    const error = await Effect.runPromise(Effect.flip(GoogleHealthHttp.get("/users/me/profile", "token", { query: { mib: 2, id: "small" } }).pipe(
      Effect.provide(NodeGoogleHealth.layer({ ...settings, baseUrl: origin, maxBodyBytes: MiB }))
    )))
    expect(error).toMatchObject({ _tag: "ResponseTooLarge", limitBytes: MiB })
    expect(() => new FitbitApiClient({ ...settings, maxBodyBytes: -1 })).toThrow(expect.objectContaining({ _tag: "InvalidInput", field: "maxBodyBytes" }))
  })
})

describe("every failure inside the client settles the call", () => {
  it("a 520 MiB body with the limit raised past it: the call settles by itself (V8 cannot make such a string) with a TransportError, not at its timeout", async () => {
    // Before issue 34 the read threw inside undici's callback after the timer was cleared: the call never settled.
    const exit = await Effect.runPromiseExit(GoogleHealthHttp.get(`/users/me/profile?id=huge&mib=520&fast=1`, "token").pipe(
      Effect.provide(NodeGoogleHealth.layer({ ...settings, timeout: "100 seconds", baseUrl: origin, maxBodyBytes: 600 * MiB }))
    ))
    expect(Exit.isFailure(exit)).toBe(true)
    const error = Exit.isFailure(exit) ? Cause.squash(exit.cause) : undefined
    expect(error).toMatchObject({ _tag: "TransportError" })
    expect(String((error as Error).message)).toContain("Cannot create a string longer than")
  }, 110_000)
})

