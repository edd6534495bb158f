// Issue 18, class 1: close() of a FitbitSessionClient while a refresh is in flight. A token
// server on 127.0.0.1 holds its answer until the test lets it go; the grant lives in a file.
// close() waits for the refresh to reach the store, the call that waited for it rejects with
// ClientClosed, the file holds the rotated pair, and calls after close() reject at once.
import { FitbitSessionClient } from "@fitbit-effect/node"
import type { Duration } from "effect"
import * as fs from "node:fs"
import * as http from "node:http"
import type { AddressInfo } from "node:net"
import * as os from "node:os"
import * as path from "node:path"
import { afterEach, describe, expect, it } from "vitest"

interface HeldServer {
  readonly baseUrl: string
  /** Resolves when a token request has arrived (the refresh is in flight). */
  readonly tokenRequested: Promise<void>
  /** Lets the held token answer go (`null`: never answer it). */
  readonly answer: (body: Record<string, unknown>) => void
  readonly requests: Array<string>
  readonly close: () => Promise<void>
}

/** A Fitbit stand-in: the token endpoint holds its answer; the data endpoint answers at once. */
const heldServer = async (): Promise<HeldServer> => {
  const requests: Array<string> = []
  let requested!: () => void
  const tokenRequested = new Promise<void>((resolve) => (requested = resolve))
  let release!: (body: Record<string, unknown>) => void
  const released = new Promise<Record<string, unknown>>((resolve) => (release = resolve))
  const server = http.createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`)
    req.resume()
    if (req.url === "/oauth2/token") {
      requested()
      void released.then((body) => {
        res.writeHead(200, { "content-type": "application/json" })
        res.end(JSON.stringify(body))
      })
      return
    }
    res.writeHead(200, { "content-type": "application/json" })
    res.end(JSON.stringify({ user: { encodedId: "ABC123" } }))
  })
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  const { port } = server.address() as AddressInfo
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    tokenRequested,
    answer: release,
    requests,
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()) })
  }
}

const cleanup: Array<() => Promise<void> | void> = []
afterEach(async () => {
  for (const f of cleanup.splice(0)) await f()
})

const setup = async (timeout: Duration.DurationInput = "30 seconds") => {
  const server = await heldServer()
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "fitbit-shutdown-"))
  const file = path.join(dir, "tokens.json")
  cleanup.push(() => server.close(), () => fs.rmSync(dir, { recursive: true, force: true }))
  const client = new FitbitSessionClient({ clientId: "23BCDE", clientSecret: "client-secret-1", baseUrl: server.baseUrl, store: { file }, timeout, retry: false })
  const key = await client.saveTokens({ access_token: "old-access-token", refresh_token: "old-refresh-token", expires_in: 0, user_id: "ABC123" })
  const storedRefresh = () => JSON.parse(fs.readFileSync(file, "utf8")).grants[`fitbit:${key}`].tokens.refreshToken as string
  return { server, client, key, storedRefresh }
}

describe("closing a session client while a refresh is in flight", () => {
  it("close() waits for the refresh to reach the store; the waiting call rejects with ClientClosed; later calls at once", async () => {
    const { server, client, key, storedRefresh } = await setup()
    const call = client.get(key, "/profile.json")
    const settled = call.then(() => "resolved", (error) => error)
    await server.tokenRequested
    let closed = false
    const closing = client.close().then(() => (closed = true))
    // The provider answers only now; close() must not have finished before it.
    expect(closed).toBe(false)
    server.answer({ access_token: "new-access-token", refresh_token: "new-refresh-token", expires_in: 28800, token_type: "Bearer", scope: "profile", user_id: "ABC123" })
    await closing
    expect(storedRefresh()).toBe("new-refresh-token")
    expect(await settled).toMatchObject({ _tag: "ClientClosed", when: "pending_at_close" })
    const before = server.requests.length
    await expect(client.get(key, "/profile.json")).rejects.toMatchObject({ _tag: "ClientClosed", when: "after_close" })
    expect(server.requests.length).toBe(before)
    // Exactly one token request and no data request: the call was cut short, not sent with the new token.
    expect(server.requests.filter((r) => r.startsWith("POST /oauth2/token"))).toHaveLength(1)
  })

  it("a provider that never answers: close() gives up after the client's timeout, the call still settles, the old grant stays", async () => {
    const { server, client, key, storedRefresh } = await setup("300 millis")
    const call = client.get(key, "/profile.json").then(() => "resolved", (error) => error)
    await server.tokenRequested
    await client.close()
    const error = await call
    expect(error).toMatchObject({ _tag: "ClientClosed", when: "pending_at_close" })
    expect(storedRefresh()).toBe("old-refresh-token")
  })

  it("close() twice answers the same promise, and a client closed before any call rejects at once", async () => {
    const { client, key, server } = await setup()
    const first = client.close()
    expect(client.close()).toBe(first)
    await first
    await expect(client.get(key, "/profile.json")).rejects.toMatchObject({ _tag: "ClientClosed" })
    expect(server.requests).toHaveLength(0)
  })
})
