// `fitbit-effect listen` and `emulator` as OS processes: the listener passes the emulator's
// subscriber verification with the Authorization value read from stdin, prints the notification
// the emulator sends (NDJSON when piped) and forwards the same body to --forward-to, printing the
// status the target answered; `emulator` prints its base URL and credentials and serves.
import { startEmulator } from "@fitbit-effect/emulator"
import { spawn } from "node:child_process"
import type { ChildProcess } from "node:child_process"
import * as Http from "node:http"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { cliBin } from "./fixtures/commandLine.js"

const AUTHORIZATION = "listen-test-authorization-0123456789"

let emu: Awaited<ReturnType<typeof startEmulator>>
const children: Array<ChildProcess> = []

/** Spawns the CLI and collects its output; `waitFor` resolves when a stream has shown a pattern. */
const start = (args: ReadonlyArray<string>, stdin?: string) => {
  const child = spawn(process.execPath, [cliBin, ...args], { stdio: ["pipe", "pipe", "pipe"], env: { ...process.env, NO_COLOR: "1" } })
  children.push(child)
  const seen = { stdout: "", stderr: "" }
  child.stdout.on("data", (c: Buffer) => (seen.stdout += c.toString()))
  child.stderr.on("data", (c: Buffer) => (seen.stderr += c.toString()))
  if (stdin !== undefined) child.stdin.end(stdin)
  const waitFor = (stream: "stdout" | "stderr", pattern: RegExp) =>
    new Promise<RegExpExecArray>((resolve, reject) => {
      const check = () => {
        const found = pattern.exec(seen[stream])
        if (found !== null) {
          clearInterval(timer)
          resolve(found)
        }
      }
      const timer = setInterval(check, 20)
      child.once("exit", (code) => {
        check()
        clearInterval(timer)
        reject(new Error(`exited ${code}: ${seen.stderr}`))
      })
    })
  return { child, seen, waitFor }
}

beforeAll(async () => {
  emu = await startEmulator({ seed: "cli-listen" })
})

afterAll(async () => {
  for (const child of children) if (child.exitCode === null) child.kill("SIGKILL")
  await emu?.close()
})

describe("fitbit-effect listen", () => {
  it("passes the subscriber's verification, prints the emulator's notification and forwards the same body", async () => {
    const received: Array<{ body: string; headers: Http.IncomingHttpHeaders }> = []
    const target = Http.createServer((req, res) => {
      let body = ""
      req.on("data", (c: Buffer) => (body += c.toString()))
      req.on("end", () => {
        received.push({ body, headers: req.headers })
        res.writeHead(202)
        res.end()
      })
    })
    await new Promise<void>((resolve) => target.listen(0, "127.0.0.1", resolve))
    const targetUrl = `http://127.0.0.1:${(target.address() as { port: number }).port}/hook`
    try {
      const listener = start(["listen", "--forward-to", targetUrl, "--secret-stdin"], AUTHORIZATION)
      const [, endpoint] = await listener.waitFor("stderr", /listening at (\S+?),/)
      const minted = await (await fetch(`${emu.baseUrl}/__emulator/tokens`, { method: "POST", body: JSON.stringify({ provider: "google" }) })).json() as { accessToken: string }
      const created = await fetch(`${emu.baseUrl}/v4/projects/cli-listen/subscribers?subscriberId=dev-listener`, {
        method: "POST",
        headers: { authorization: `Bearer ${minted.accessToken}`, "content-type": "application/json" },
        body: JSON.stringify({ endpointUri: endpoint, endpointAuthorization: { secret: AUTHORIZATION }, subscriberConfigs: [{ dataTypes: ["steps"], subscriptionCreatePolicy: "AUTOMATIC" }] })
      })
      expect(created.status, await created.clone().text()).toBe(200)
      const deliveries = await emu.notifyGoogle({
        userId: emu.defaultUser.userId,
        dataType: "steps",
        operation: "UPSERT",
        intervals: [{ startTime: "2026-11-25T07:00:00Z", endTime: "2026-11-25T08:00:00Z" }]
      }, { subscriber: "projects/cli-listen/subscribers/dev-listener" })
      expect(deliveries.map((d) => d.status)).toEqual([204])
      const [line] = await listener.waitFor("stdout", /^(\{.*\})\n/m)
      expect(JSON.parse(line)).toMatchObject({ dataType: "steps", operation: "UPSERT" })
      await listener.waitFor("stderr", /forwarded to \S+: 202[\s\S]*forwarded to \S+: 202[\s\S]*forwarded to \S+: 202/)
      // The verification POSTs and the notification, each with the body the emulator sent (the
      // forwards go out side by side: they may arrive in any order).
      const notification = received.find((r) => JSON.stringify(JSON.parse(r.body)) === JSON.stringify(deliveries[0]!.items))
      expect(notification, received.map((r) => r.body).join("\n")).toBeDefined()
      expect(notification!.headers.authorization).toBe(AUTHORIZATION)
      listener.child.kill("SIGINT")
      expect(await new Promise((resolve) => listener.child.once("exit", resolve))).toBe(130)
    } finally {
      target.close()
    }
  }, 90_000)

  it("a body over 1 MiB is refused (413) without being held, and the listener goes on serving", async () => {
    const listener = start(["listen", "--secret-stdin"], AUTHORIZATION)
    const [, endpoint] = await listener.waitFor("stderr", /listening at (\S+?)\/(?:\n|,)/)
    const huge = await fetch(`${endpoint}/`, { method: "POST", headers: { authorization: AUTHORIZATION, "content-type": "application/json" }, body: "x".repeat(2 * 1024 * 1024) })
      .then((answer) => answer.status, (error: unknown) => String(error))
    // 413, or the connection closed while the client was still sending (the refusal, seen from fetch's side).
    expect([413, "TypeError: fetch failed"]).toContain(huge)
    const after = await fetch(`${endpoint}/`, { method: "POST", headers: { authorization: AUTHORIZATION, "content-type": "application/json" }, body: "[]" })
    expect(after.status).toBeLessThan(300)
    expect(listener.seen.stdout).toBe("")
    listener.child.kill("SIGINT")
  }, 60_000)

  it("a wrong Authorization is refused (401) and not printed", async () => {
    const listener = start(["listen", "--secret-stdin"], AUTHORIZATION)
    const [, endpoint] = await listener.waitFor("stderr", /listening at (\S+?)\/(?:\n|,)/)
    const answer = await fetch(`${endpoint}/`, { method: "POST", headers: { authorization: "nope", "content-type": "application/json" }, body: "[]" })
    expect(answer.status).toBeGreaterThanOrEqual(400)
    expect(listener.seen.stdout).toBe("")
    listener.child.kill("SIGINT")
  }, 60_000)
})

describe("ports that cannot be listened on", () => {
  const exitOf = (args: ReadonlyArray<string>) => {
    const run = start(args)
    return new Promise<{ code: number | null; stderr: string }>((resolve) => run.child.once("close", (code) => resolve({ code, stderr: run.seen.stderr })))
  }

  it("emulator and listen: a port out of range, or one in use, exits 2 naming it", async () => {
    const taken = Number(new URL(emu.baseUrl).port)
    for (const command of ["emulator", "listen"]) {
      const range = await exitOf([command, "--port", "99999"])
      expect(range.code, range.stderr).toBe(2)
      expect(range.stderr).toContain("--port: a port from 0 to 65535")
      const inUse = await exitOf([command, "--port", String(taken)])
      expect(inUse.code, inUse.stderr).toBe(2)
      expect(inUse.stderr).toContain(`cannot listen on 127.0.0.1:${taken}: EADDRINUSE`)
    }
  }, 60_000)
})

describe("fitbit-effect emulator", () => {
  it("prints its base URL and credentials and serves until Ctrl-C", async () => {
    const emulator = start(["emulator", "--port", "0", "--seed", "cli"])
    const [, base] = await emulator.waitFor("stdout", /emulator listening at (\S+)/)
    expect(emulator.seen.stdout).toMatch(/confidential app: client id \S+, secret \S+/)
    const discovery = await fetch(`${base}/v4/users/me/identity`)
    expect(discovery.status).toBe(401)
    emulator.child.kill("SIGINT")
    const code = await new Promise((resolve) => emulator.child.once("exit", resolve))
    expect(code, emulator.seen.stderr).toBe(130)
  }, 60_000)
})
