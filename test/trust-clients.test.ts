// Issue 18, classes 6 and 7 through every Promise client: bad input rejects with a typed
// InvalidInput (it has a _tag) before anything is sent, configuration errors name the option,
// and a failing onRefresh hook keeps its message. A local server counts what reaches it.
import { FitbitApiClient, FitbitSessionClient, GoogleHealthClient } from "@fitbit-effect/node"
import { Redacted } from "effect"
import * as http from "node:http"
import type { AddressInfo } from "node:net"
import { afterAll, beforeAll, describe, expect, it } from "vitest"

let server: http.Server
let baseUrl = ""
let received = 0
let tokenAnswers = 0

beforeAll(async () => {
  server = http.createServer((req, res) => {
    received++
    req.resume()
    if (req.url === "/oauth2/token") {
      tokenAnswers++
      res.writeHead(200, { "content-type": "application/json" })
      res.end(JSON.stringify({ access_token: `access-${tokenAnswers}`, refresh_token: `refresh-${tokenAnswers}`, expires_in: 28800, token_type: "Bearer", user_id: "ABC123" }))
      return
    }
    res.writeHead(200, { "content-type": "application/json" })
    res.end("{}")
  })
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
afterAll(() => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()) }))

const circular: Record<string, unknown> = { amount: "250" }
circular.self = circular

/** Each client's way of sending a path and a body, for the same checks. */
const clients = () => {
  const facade = new FitbitApiClient({ clientId: "23BCDE", clientSecret: "secret-1", baseUrl })
  const facadeOnGoogle = new FitbitApiClient({ clientId: "google-client", clientSecret: "secret-1", baseUrl, backend: "google-health" })
  const google = new GoogleHealthClient({ clientId: "google-client", clientSecret: "secret-1", baseUrl })
  const session = new FitbitSessionClient({ clientId: "23BCDE", clientSecret: "secret-1", baseUrl })
  const key = session.saveTokens({ access_token: "access-0", refresh_token: "refresh-0", expires_in: 28800, user_id: "ABC123" })
  return {
    all: [facade, facadeOnGoogle, google, session],
    get: {
      FitbitApiClient: (path: string, headers?: Record<string, string>) => facade.get(path, "access-0", undefined, headers),
      "FitbitApiClient(google-health)": (path: string, headers?: Record<string, string>) => facadeOnGoogle.get(path, "access-0", undefined, headers),
      GoogleHealthClient: (path: string, headers?: Record<string, string>) => google.get(path, "access-0", undefined, headers),
      FitbitSessionClient: async (path: string, headers?: Record<string, string>) => session.get(await key, path, { headers })
    },
    post: {
      FitbitApiClient: (body: unknown) => facade.post("/foods/log/water.json", "access-0", body as never),
      "FitbitApiClient(google-health)": (body: unknown) => facadeOnGoogle.post("/foods/log/water.json", "access-0", body as never),
      GoogleHealthClient: (body: unknown) => google.post("/users/me/dataTypes/steps/dataPoints", "access-0", body),
      FitbitSessionClient: async (body: unknown) => session.post(await key, "/foods/log/water.json", body as never, { json: true })
    }
  }
}

describe("bad input through every Promise client: a typed InvalidInput, nothing sent", () => {
  it("circular and BigInt bodies, transport headers, oversized and non-ASCII paths", async () => {
    const c = clients()
    await c.get.FitbitSessionClient("/profile.json") // the session's grant is stored; count from here
    const before = received
    let checked = 0
    for (const [name, post] of Object.entries(c.post)) {
      // A BigInt form-encodes as its digits (as qs does); only a JSON body cannot hold one.
      const json = name === "GoogleHealthClient" || name === "FitbitSessionClient"
      for (const body of json ? [circular, { amount: 10n }] : [circular]) {
        await expect(post(body), `${name} body`).rejects.toMatchObject({ _tag: "InvalidInput", field: "body" })
        checked++
      }
    }
    for (const [name, get] of Object.entries(c.get)) {
      for (const header of ["Host", "Content-Length", "Transfer-Encoding", "Connection"]) {
        await expect(get("/profile.json", { [header]: "x" }), `${name} ${header}`).rejects.toMatchObject({ _tag: "InvalidInput", field: "headers" })
        checked++
      }
      for (const path of [`/profile/${"a".repeat(100_000)}.json`, "/activities/\uFF0E\uFF0E/x.json", "/a\uFF0F..\uFF0Fb", "/\u2025/x"]) {
        await expect(get(path), `${name} ${path.slice(0, 20)}`).rejects.toMatchObject({ _tag: "InvalidInput", field: "path" })
        checked++
      }
    }
    expect(received).toBe(before)
    expect(checked).toBe(2 * 1 + 2 * 2 + 4 * 8)
    await Promise.all(c.all.map((client) => client.close()))
  })
})

describe("configuration errors name the option, for every client", () => {
  const unset = () => Redacted.make(undefined as unknown as string)
  const constructors: Record<string, (options: Record<string, unknown>) => unknown> = {
    FitbitApiClient: (o) => new FitbitApiClient({ clientId: "23BCDE", baseUrl, ...o } as never),
    "FitbitApiClient(google-health)": (o) => new FitbitApiClient({ clientId: "google-client", baseUrl, backend: "google-health", ...o } as never),
    GoogleHealthClient: (o) => new GoogleHealthClient({ clientId: "google-client", baseUrl, ...o } as never),
    FitbitSessionClient: (o) => new FitbitSessionClient({ clientId: "23BCDE", baseUrl, ...o } as never)
  }
  for (const [name, make] of Object.entries(constructors)) {
    it(`${name}: an unset secret, and timeouts 0 and -5`, () => {
      const thrown = (options: Record<string, unknown>) => {
        try {
          make(options)
        } catch (error) {
          return error
        }
        return undefined
      }
      expect(thrown({ clientSecret: unset() })).toMatchObject({ _tag: "InvalidInput", field: "clientSecret" })
      expect(thrown({ timeout: 0 })).toMatchObject({ _tag: "InvalidInput", field: "timeout" })
      expect(thrown({ timeout: -5 })).toMatchObject({ _tag: "InvalidInput", field: "timeout" })
    })
  }
})

describe("causes keep their message", () => {
  it("an onRefresh hook that throws: TokenStoreError names the hook's own message, the pair is offered again", async () => {
    let fail = true
    const client = new FitbitSessionClient({
      clientId: "23BCDE",
      clientSecret: "secret-1",
      baseUrl,
      onRefresh: () => {
        if (fail) throw new Error("database unavailable")
      }
    })
    fail = false
    const key = await client.saveTokens({ access_token: "access-0", refresh_token: "refresh-0", expires_in: 0, user_id: "ABC123" })
    fail = true
    const error = await client.get(key, "/profile.json").catch((e) => e)
    expect(error._tag).toBe("TokenStoreError")
    expect(error.message).toContain("database unavailable")
    expect(error.message).not.toContain("UnknownException")
    fail = false
    expect((await client.get(key, "/profile.json")).status).toBe(200)
    await client.close()
  })
})
