// Issue 19, part 6: the errors a newcomer meets say what happened and what to do, once: the tag is
// printed once, a bad baseUrl is reported as baseUrl, and the emulator's command says why it
// cannot start (a port in use, a --now that is not a date) instead of exiting silently.
import { Errors, FitbitConfig, GoogleDataTypes, GoogleHealthConfig } from "@fitbit-effect/core"
import { FitbitApiClient, GoogleHealthClient } from "@fitbit-effect/node"
import { Effect } from "effect"
import { execFile } from "node:child_process"
import * as http from "node:http"
import type { AddressInfo } from "node:net"
import { join } from "node:path"
import { describe, expect, it } from "vitest"

const cli = join(__dirname, "..", "packages", "emulator", "bin", "fitbit-emulator.js")
const runCli = (args: ReadonlyArray<string>) =>
  new Promise<{ code: number | null; stderr: string }>((resolve) => {
    const child = execFile(process.execPath, [cli, ...args], { timeout: 20_000 }, (error, _stdout, stderr) =>
      resolve({ code: error === null ? 0 : (child.exitCode ?? 1), stderr }))
  })

describe("errors print their tag once", () => {
  const errors = [
    new Errors.InvalidClient({ status: 401, method: "POST", url: "https://api.fitbit.com/oauth2/token", errors: [] }),
    new Errors.TransportError({ method: "GET", url: "https://api.fitbit.com/1/user/-/profile.json", reason: "ECONNRESET" }),
    new Errors.TimeoutError({ method: "GET", url: "https://api.fitbit.com/1/user/-/profile.json", timeoutMillis: 30_000 }),
    new Errors.DecodeError({ status: 200, method: "GET", url: "https://api.fitbit.com/1/user/-/profile.json", reason: "at [\"user\"]: is missing" }),
    new Errors.InvalidInput({ field: "path", reason: "must start with \"/\"" }),
    new Errors.ClientClosed({ when: "after_close" })
  ]
  for (const error of errors) {
    it(error._tag, () => {
      const text = String(error)
      expect(text.startsWith(`${error._tag}: `)).toBe(true)
      expect(text.split(error._tag)).toHaveLength(2)
      expect(error.stack!.split("\n")[0]!.split(error._tag)).toHaveLength(2)
    })
  }
})

describe("a bad baseUrl is reported as baseUrl", () => {
  for (const baseUrl of ["not a url", "http://example.com", "ftp://127.0.0.1"]) {
    it(JSON.stringify(baseUrl), () => {
      for (const make of [FitbitConfig.make, GoogleHealthConfig.make] as ReadonlyArray<(options: FitbitConfig.Options) => Effect.Effect<unknown, Errors.InvalidInput>>) {
        const error = Effect.runSync(Effect.flip(make({ clientId: "23BCDE", baseUrl })))
        expect(error).toMatchObject({ _tag: "InvalidInput", field: "baseUrl" })
      }
      expect(() => new FitbitApiClient({ clientId: "23BCDE", baseUrl })).toThrow(/baseUrl/)
      expect(() => new GoogleHealthClient({ clientId: "c", baseUrl })).toThrow(/baseUrl/)
    })
  }
})

describe("the emulator's command says why it cannot start", () => {
  it("a port in use: exit 1 and a line naming the port problem and the fix", async () => {
    const server = http.createServer()
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
    const { port } = server.address() as AddressInfo
    const { code, stderr } = await runCli(["--port", String(port)])
    server.close()
    expect(code).toBe(1)
    expect(stderr).toContain("already in use")
    expect(stderr).toContain("--port")
  })
  it("--now that is not a date: exit 1 and the expected form", async () => {
    const { code, stderr } = await runCli(["--now", "yesterday"])
    expect(code).toBe(1)
    expect(stderr).toContain("\"yesterday\" is not a date-time")
  })
})

describe("a misspelled Google data type is refused before sending, naming the nearest known type", () => {
  it("DataPoints.list, rollUp and GoogleHealthClient: InvalidInput with a suggestion; DataTypes.unlisted lets a newer type through", async () => {
    let received = 0
    const server = http.createServer((req, res) => {
      received++
      req.resume()
      res.writeHead(200, { "content-type": "application/json" })
      res.end(JSON.stringify({ dataPoints: [] }))
    })
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
    const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
    const google = new GoogleHealthClient({ clientId: "c", baseUrl })
    try {
      const typo = "stpes" as GoogleDataTypes.DataTypeId // a plain string would not compile
      const error = await google.listDataPoints("token", typo).catch((e) => e)
      expect(error).toMatchObject({ _tag: "InvalidInput", field: "dataType" })
      expect(error.message).toContain(`did you mean "steps"`)
      expect(error.message).toContain("DataTypes.unlisted")
      const rollUp = await google.dailyRollUp("token", "heart-rat" as GoogleDataTypes.DataTypeId, { range: { start: "2026-11-01", end: "2026-11-02" } }).catch((e) => e)
      expect(rollUp.message).toContain(`did you mean "heart-rate"`)
      expect(received).toBe(0)
      const page = await google.listDataPoints("token", GoogleDataTypes.unlisted("blood-ketones"))
      expect(page.dataPoints).toEqual([])
      expect(received).toBe(1)
    } finally {
      await google.close()
      server.close()
    }
  })
})

describe("hints for the mistakes a newcomer makes", () => {
  // The shape of a real Fitbit access token: a JWT whose payload names "iss": "Fitbit".
  const fitbitToken = "eyJhbGciOiJIUzI1NiJ9." + Buffer.from(JSON.stringify({ aud: "23BCDE", sub: "ABC123", iss: "Fitbit", scopes: "ract rpro" })).toString("base64url") + ".c2lnbmF0dXJl"

  const countingServer = async (answer: (req: http.IncomingMessage) => { status: number; body: unknown }) => {
    let received = 0
    const server = http.createServer((req, res) => {
      received++
      req.resume()
      const { status, body } = answer(req)
      res.writeHead(status, { "content-type": "application/json" })
      res.end(JSON.stringify(body))
    })
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
    return { baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, received: () => received, close: () => server.close() }
  }

  it("a Fitbit token sent to the Google Health API: InvalidInput saying to authorize with Google, nothing sent", async () => {
    const server = await countingServer(() => ({ status: 401, body: { error: { code: 401, status: "UNAUTHENTICATED", message: "Request had invalid authentication credentials." } } }))
    const google = new GoogleHealthClient({ clientId: "c", baseUrl: server.baseUrl })
    const error = await google.get("/users/me/profile", fitbitToken).catch((e) => e)
    expect(error).toMatchObject({ _tag: "InvalidInput", field: "accessToken" })
    expect(error.message).toContain("Fitbit access token")
    expect(error.message).toContain("Authorize the user with Google")
    expect(server.received()).toBe(0)
    // A Google token (opaque) is sent as before.
    await google.get("/users/me/profile", "ya29.a0AfB_google-token")
    expect(server.received()).toBe(1)
    await google.close()
    server.close()
  })

  it("a forgotten await: destructuring the Promise says to add await", async () => {
    const server = await countingServer(() => ({ status: 200, body: {} }))
    const client = new FitbitApiClient({ clientId: "23BCDE", baseUrl: server.baseUrl })
    const google = new GoogleHealthClient({ clientId: "c", baseUrl: server.baseUrl })
    const forgot = (promise: Promise<unknown>) => {
      try {
        const [body] = promise as unknown as Array<unknown>
        return body
      } catch (error) {
        return error
      } finally {
        promise.catch(() => undefined)
      }
    }
    const error = forgot(client.get("/profile.json", "token"))
    expect(error).toBeInstanceOf(TypeError)
    expect((error as Error).message).toContain("add await")
    expect((forgot(google.get("/users/me/profile", "ya29.token")) as Error).message).toContain("const [body, response] = await client.get")
    const [body, response] = await client.get("/profile.json", "token")
    expect([body, response.statusCode]).toEqual([{}, 200])
    await Promise.all([client.close(), google.close()])
    server.close()
  })

  it("a refused code: message stays fitbit-node's, String(error) and the stack say what happened and what to do", async () => {
    const server = await countingServer(() => ({ status: 400, body: { errors: [{ errorType: "invalid_grant", message: "Authorization code invalid" }], success: false } }))
    const client = new FitbitApiClient({ clientId: "23BCDE", clientSecret: "secret-1", baseUrl: server.baseUrl })
    const error = await client.getAccessToken("used-code", "https://app.example/cb").catch((e) => e)
    expect(error.message).toBe("Bad Request")
    expect(String(error)).toContain("invalid_grant (Authorization code invalid)")
    expect(String(error)).toContain("send the user to authorize again")
    expect(error.stack.split("\n")[0]).toBe(String(error))
    expect(String(error).split("Bad Request")).toHaveLength(2)
    await client.close()
    server.close()
  })
})
