/**
 * Side by side with fitbit-node 2.2.0 itself (installed for the benchmarks): both clients call
 * the same recording HTTP server on 127.0.0.1 (an ephemeral port), and what they send and
 * what they resolve or reject with are compared. fitbit-node hard-codes api.fitbit.com, so its
 * URL helper is overridden (as the benchmark does) and its simple-oauth2 instance is rebuilt
 * with the same settings on the local host. Our client runs on its default undici HttpClient.
 *
 * Where the two differ on purpose (documented in the README's migration table), the test
 * names the difference instead of comparing.
 */
import { createServer, type IncomingMessage, type Server } from "node:http"
import type { AddressInfo } from "node:net"
import { createRequire } from "node:module"
import { afterAll, beforeAll, describe, expect, it } from "@effect/vitest"
import { FitbitApiClient } from "@fitbit-effect/node"

const CLIENT_ID = "23BCDE"
const CLIENT_SECRET = "0a1b2c3d4e5f60718293a4b5c6d7e8f9"
const ACCESS_TOKEN = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJBQkMxMjMifQ.q9Z2xN4sL0pWm3Yv8tR1uKbE7cHjDf5aGi6oPnQwXyz"
const REFRESH_TOKEN = "c8f3e1a9b2d74f6e8a0b5c3d2e1f4a6b8c9d0e1f2a3b4c5d6e7f8091a2b3c4d5"
const tokenBody = {
  access_token: ACCESS_TOKEN,
  expires_in: 28800,
  refresh_token: REFRESH_TOKEN,
  scope: "profile activity",
  token_type: "Bearer",
  user_id: "ABC123"
}
const fitbitError = (errorType: string, message: string) => ({ errors: [{ errorType, message }], success: false })

interface Seen {
  readonly method: string
  readonly url: string
  readonly headers: IncomingMessage["headers"]
  readonly body: string
}

/** The server's answers, by method and path. */
const answer = (method: string, path: string, body: string): [number, Record<string, string>, string] => {
  const json = (status: number, value: unknown): [number, Record<string, string>, string] => [
    status,
    { "content-type": "application/json", "fitbit-rate-limit-remaining": "149" },
    JSON.stringify(value)
  ]
  const form = Object.fromEntries(new URLSearchParams(body))
  if (path === "/oauth2/token") {
    return form.code === "bad" || form.refresh_token === "used"
      ? json(400, fitbitError("invalid_grant", "Authorization code invalid"))
      : json(200, tokenBody)
  }
  if (path === "/oauth2/revoke") return json(200, {})
  if (path.endsWith("/profile.json")) return json(200, { user: { encodedId: "ABC123" } })
  if (path.endsWith("/expired.json")) return json(401, fitbitError("expired_token", "Access token expired"))
  if (path.endsWith("/gateway.json")) return [502, { "content-type": "text/html" }, "<html>Bad gateway</html>"]
  if (method === "DELETE") return [204, {}, ""]
  if (method === "POST" || method === "PUT") return json(201, { received: form })
  return json(404, fitbitError("not_found", "no such resource"))
}

let server: Server
let origin: string
const seen: Array<Seen> = []
let ours: FitbitApiClient
let theirs: any

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Array<Buffer> = []
    req.on("data", (chunk: Buffer) => chunks.push(chunk))
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8")
      seen.push({ method: req.method!, url: req.url!, headers: req.headers, body })
      const [status, headers, text] = answer(req.method!, req.url!.split("?")[0]!, body)
      res.writeHead(status, headers)
      res.end(text)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`

  const requireFromBench = createRequire(new URL("../../../bench/package.json", import.meta.url))
  const FitbitNode = requireFromBench("fitbit-node")
  const requireFromFitbitNode = createRequire(requireFromBench.resolve("fitbit-node"))
  const createOAuth2 = requireFromFitbitNode("simple-oauth2").create
  class LocalFitbitNode extends FitbitNode {
    constructor(options: unknown) {
      super(options)
      // fitbit-node's own simple-oauth2 settings, on the local host instead of api.fitbit.com.
      this.oauth2 = createOAuth2({
        client: { id: CLIENT_ID, secret: CLIENT_SECRET },
        auth: {
          tokenHost: `${origin}/`,
          tokenPath: "oauth2/token",
          revokePath: "oauth2/revoke",
          authorizeHost: `${origin}/`,
          authorizePath: "oauth2/authorize"
        },
        options: { useBasicAuthorizationHeader: true }
      })
    }
    getUrl(path: string, userId: unknown) {
      return super.getUrl(path, userId).replace("https://api.fitbit.com", origin)
    }
  }
  theirs = new LocalFitbitNode({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET })
  ours = new FitbitApiClient({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, baseUrl: origin })
})

afterAll(async () => {
  await ours?.close()
  await new Promise((resolve) => server?.close(resolve))
})

/** Runs the same call on both clients; answers both outcomes and both recorded requests. */
const both = async (call: (client: any) => Promise<unknown>) => {
  const settle = (client: any) => {
    const from = seen.length
    return call(client).then(
      (value) => ({ ok: true as const, value, requests: seen.slice(from) }),
      (error) => ({ ok: false as const, value: error, requests: seen.slice(from) })
    )
  }
  const original = await settle(theirs)
  const facade = await settle(ours)
  return { original, facade }
}

const wire = (request: Seen) => ({
  method: request.method,
  url: request.url,
  authorization: request.headers.authorization,
  accept: request.headers.accept,
  contentType: request.headers["content-type"],
  body: request.body
})

describe("data calls, side by side with fitbit-node", () => {
  const calls: Array<[string, (client: any) => Promise<unknown>]> = [
    ["GET 200", (c) => c.get("/profile.json", ACCESS_TOKEN)],
    ["GET for a user id", (c) => c.get("/profile.json", ACCESS_TOKEN, "228TQ4")],
    ["GET without the user segment", (c) => c.get("/foods/search.json?query=apple", ACCESS_TOKEN, false)],
    ["GET 401 with a JSON error body", (c) => c.get("/expired.json", ACCESS_TOKEN)],
    ["GET 502 with an HTML body", (c) => c.get("/gateway.json", ACCESS_TOKEN)],
    ["GET 404", (c) => c.get("/nothing-here.json", ACCESS_TOKEN)],
    ["GET with extra headers", (c) => c.get("/profile.json", ACCESS_TOKEN, undefined, { "X-Fitbit-Subscriber-Id": "7" })],
    ["POST a form", (c) => c.post("/foods/log/water.json", ACCESS_TOKEN, { amount: 250, unit: "ml", date: "2026-11-24" })],
    ["POST nested data", (c) => c.post("/activities.json", ACCESS_TOKEN, { a: { b: ["x y", "z&"] }, n: null })],
    ["POST without data", (c) => c.post("/activities/apiSubscriptions/1.json", ACCESS_TOKEN)],
    ["PUT a form", (c) => c.put("/profile.json", ACCESS_TOKEN, { aboutMe: "runs (and swims)!" })],
    ["DELETE 204", (c) => c.delete("/activities/555.json", ACCESS_TOKEN)]
  ]

  for (const [name, call] of calls) {
    it(`${name}: same request, same [body, response.statusCode]`, async () => {
      const { facade, original } = await both(call)
      expect(original.ok).toBe(true)
      expect(facade.ok).toBe(true)
      const [theirBody, theirResponse] = original.value as [unknown, any]
      const [ourBody, ourResponse] = facade.value as [unknown, any]
      expect(ourBody).toEqual(theirBody)
      expect(ourResponse.statusCode).toBe(theirResponse.statusCode)
      expect(ourResponse.statusMessage).toBe(theirResponse.statusMessage)
      expect(ourResponse.headers["content-type"]).toBe(theirResponse.headers["content-type"])
      expect(ourResponse.headers["fitbit-rate-limit-remaining"]).toBe(theirResponse.headers["fitbit-rate-limit-remaining"])
      expect(facade.requests.map(wire)).toEqual(original.requests.map(wire))
      expect(facade.requests).toHaveLength(1)
    })
  }

  it("both reject when nothing listens (transport failure)", async () => {
    const closed = createServer()
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve))
    const port = (closed.address() as AddressInfo).port
    await new Promise((resolve) => closed.close(resolve))
    const local = new FitbitApiClient({ clientId: CLIENT_ID, baseUrl: `http://127.0.0.1:${port}` })
    const original = Object.getPrototypeOf(theirs).constructor as new(options: unknown) => any
    class Unreachable extends original {
      getUrl(path: string, userId: unknown) {
        return super.getUrl(path, userId).replace(origin, `http://127.0.0.1:${port}`)
      }
    }
    const unreachable = new Unreachable({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET })
    await expect(unreachable.get("/profile.json", ACCESS_TOKEN)).rejects.toMatchObject({ code: "ECONNREFUSED" })
    await expect(local.get("/profile.json", ACCESS_TOKEN)).rejects.toMatchObject({ _tag: "TransportError" })
    await local.close()
  })
})

describe("token calls, side by side with fitbit-node", () => {
  /** The form fields, without the client credentials simple-oauth2 also puts in the body. */
  const fields = (request: Seen) => {
    const { client_id: _id, client_secret: _secret, ...rest } = Object.fromEntries(new URLSearchParams(request.body))
    return rest
  }

  it("getAccessToken: same endpoint, auth and grant; same token JSON", async () => {
    const { facade, original } = await both((c) => c.getAccessToken("the-code", "https://app.example/cb"))
    expect(facade.value).toEqual(original.value)
    const [ourRequest, theirRequest] = [facade.requests[0]!, original.requests[0]!]
    expect(ourRequest.url).toBe(theirRequest.url)
    expect(ourRequest.headers.authorization).toBe(theirRequest.headers.authorization)
    expect(ourRequest.headers["content-type"]).toBe(theirRequest.headers["content-type"])
    expect(fields(ourRequest)).toEqual(fields(theirRequest))
    // Difference: simple-oauth2 also sends client_secret in the body; we send it only in the Basic header.
    expect(new URLSearchParams(theirRequest.body).get("client_secret")).toBe(CLIENT_SECRET)
    expect(new URLSearchParams(ourRequest.body).get("client_secret")).toBeNull()
  })

  it("refreshAccessToken: same token JSON with an expires_at Date", async () => {
    const { facade, original } = await both((c) => c.refreshAccessToken(ACCESS_TOKEN, REFRESH_TOKEN))
    const { expires_at: ourExpiry, ...ourToken } = facade.value as any
    const { expires_at: theirExpiry, ...theirToken } = original.value as any
    expect(ourToken).toEqual(theirToken)
    expect(ourExpiry).toBeInstanceOf(Date)
    expect(theirExpiry).toBeInstanceOf(Date)
    expect(fields(facade.requests[0]!)).toEqual(fields(original.requests[0]!))
  })

  it("refreshAccessToken with expiresIn: we send it, fitbit-node drops it", async () => {
    const { facade, original } = await both((c) => c.refreshAccessToken(ACCESS_TOKEN, REFRESH_TOKEN, 28800))
    expect(fields(original.requests[0]!).expires_in).toBeUndefined()
    expect(fields(facade.requests[0]!).expires_in).toBe("28800")
  })

  it("revokeAccessToken: both resolve {}; fitbit-node adds token_type_hint", async () => {
    const { facade, original } = await both((c) => c.revokeAccessToken(ACCESS_TOKEN))
    expect(facade.value).toEqual(original.value)
    expect(facade.value).toEqual({})
    expect(facade.requests[0]!.url).toBe(original.requests[0]!.url)
    expect(facade.requests[0]!.headers.authorization).toBe(original.requests[0]!.headers.authorization)
    expect(fields(original.requests[0]!)).toEqual({ token: ACCESS_TOKEN, token_type_hint: "access_token" })
    expect(fields(facade.requests[0]!)).toEqual({ token: ACCESS_TOKEN })
  })

  it("a rejected grant: both reject with {name, status, message, context}, serialized alike", async () => {
    const { facade, original } = await both((c) => c.getAccessToken("bad", "https://app.example/cb"))
    expect(original.ok).toBe(false)
    expect(facade.ok).toBe(false)
    const pick = (e: any) => ({ name: e.name, status: e.status, message: e.message, context: e.context })
    expect(pick(facade.value)).toEqual(pick(original.value))
    expect(JSON.parse(JSON.stringify(facade.value))).toEqual(JSON.parse(JSON.stringify(original.value)))
    const refresh = await both((c) => c.refreshAccessToken(ACCESS_TOKEN, "used"))
    expect(pick(refresh.facade.value)).toEqual(pick(refresh.original.value))
  })
})
