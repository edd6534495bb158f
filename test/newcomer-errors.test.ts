// Issue 19, part 6: the errors a newcomer meets say what happened and what to do, once: the tag is
// printed once, a bad baseUrl is reported as baseUrl, and the emulator's command says why it
// cannot start (a port in use, a --now that is not a date) instead of exiting silently.
import { Errors, FitbitConfig, GoogleHealth, GoogleHealthConfig } from "@fitbit-effect/core"
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
      for (const make of [FitbitConfig.make, GoogleHealthConfig.make]) {
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
      const typo = "stpes" as GoogleHealth.DataTypes.DataTypeId // a plain string would not compile
      const error = await google.listDataPoints("token", typo).catch((e) => e)
      expect(error).toMatchObject({ _tag: "InvalidInput", field: "dataType" })
      expect(error.message).toContain(`did you mean "steps"`)
      expect(error.message).toContain("DataTypes.unlisted")
      const rollUp = await google.dailyRollUp("token", "heart-rat" as GoogleHealth.DataTypes.DataTypeId, { range: { start: "2026-11-01", end: "2026-11-02" } }).catch((e) => e)
      expect(rollUp.message).toContain(`did you mean "heart-rate"`)
      expect(received).toBe(0)
      const page = await google.listDataPoints("token", GoogleHealth.DataTypes.unlisted("blood-ketones"))
      expect(page.dataPoints).toEqual([])
      expect(received).toBe(1)
    } finally {
      await google.close()
      server.close()
    }
  })
})
