/**
 * A fitbit-node app (fitbit-node's example flow plus a week of steps, heart rate and sleep, then
 * a refresh and a revoke) run on the built `@fitbit-effect/node/fitbit-node` entry in a fresh
 * Node process, once against the emulator's Fitbit Web API and once, with only its constructor
 * options changed (`backend: "google-health"`), against the emulator's Google Health API after
 * consenting with Google. Both runs must send the same answer.
 */
import { Emulator } from "@fitbit-effect/emulator"
import { execFile } from "node:child_process"
import { readFileSync } from "node:fs"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { promisify } from "node:util"
import { afterAll, beforeAll, describe, expect, it } from "vitest"

const packageDir = fileURLToPath(new URL("../packages/node", import.meta.url))
const fixtures = join(packageDir, "test", "fixtures")

let emu: Awaited<ReturnType<typeof Emulator.startEmulator>>

beforeAll(async () => {
  emu = await Emulator.startEmulator({ rateLimitPerHour: 100_000, googleQuota: { perUserPerMinute: 100_000 } })
  emu.addApp({ clientId: "WEEK_CLIENT_ID", clientSecret: "WEEK_CLIENT_SECRET", redirectUris: ["http://localhost:3000/callback"] })
})

afterAll(() => emu.close())

const run = async (variant: "fitbit" | "google") => {
  const { stdout } = await promisify(execFile)(process.execPath, [join(fixtures, "run-week.cjs"), variant, emu.baseUrl], {
    cwd: packageDir,
    env: { ...process.env, NODE_PATH: join(fixtures, "modules") },
    timeout: 30_000
  })
  return JSON.parse(stdout.trim().split("\n").pop()!)
}

describe("a fitbit-node app on Google Health", () => {
  it("the two scripts differ only in their constructor options", () => {
    const lines = (file: string) => readFileSync(join(fixtures, file), "utf8").split("\n").filter((l) => !l.startsWith("//"))
    const fitbit = lines("week-fitbit.cjs")
    const google = lines("week-google.cjs")
    expect(google.filter((l) => !fitbit.includes(l))).toEqual(["\tapiVersion: '1.2',", "\tbackend: \"google-health\""])
    expect(fitbit.filter((l) => !google.includes(l))).toEqual(["\tapiVersion: '1.2'"])
  })

  it("runs unchanged: Google consent instead of Fitbit's, the same answers", async () => {
    const [fitbit, google] = [await run("fitbit"), await run("google")]
    expect(fitbit.authorize).toBe("/oauth2/authorize")
    expect(google.authorize).toBe("/o/oauth2/v2/auth")
    expect(fitbit.callback.status).toBe(200)
    expect(google.callback.status, JSON.stringify(google.callback.body).slice(0, 400)).toBe(200)
    expect(google.callback.body).toEqual(fitbit.callback.body)
    expect(google.callback.body.steps).toHaveLength(7)
    expect(google.callback.body.sleep.length).toBeGreaterThan(0)
  }, 60_000)
})

describe("the backend is chosen once, for every method", () => {
  it("introspectAccessToken on google-health refuses with InvalidInput and sends nothing (a Google token never goes to Fitbit)", async () => {
    const { Errors } = await import("@fitbit-effect/core")
    const { FitbitApiClient } = await import("@fitbit-effect/node")
    const client = new FitbitApiClient({ clientId: emu.defaultApp.clientId, clientSecret: emu.defaultApp.clientSecret, baseUrl: emu.baseUrl, backend: "google-health" })
    emu.resetCounters()
    const rejected = await client.introspectAccessToken("ya29.a-google-token").then(() => undefined, (e: unknown) => e)
    expect(rejected).toBeInstanceOf(Errors.InvalidInput)
    expect((rejected as InstanceType<typeof Errors.InvalidInput>).field).toBe("backend")
    expect(String(rejected)).not.toContain("ya29.a-google-token")
    expect(emu.counters().requests).toBe(0)
    expect(client.backend).toBe("google-health")
    expect(JSON.stringify(client)).toContain(emu.baseUrl)
    await client.close()
  })
})
