// Issue 33: `fitbit-effect api` and `types`, as OS processes of the built CLI against the emulator: a
// data-points path answers the emulator's points, --paginate reads every page (NDJSON when piped),
// --dry-run sends nothing and names no token, --format csv parses back; types and types describe read
// Google's rules and the schemas; bad commands, unknown types and missing logins have their exit codes;
// every command has --help with an example, and the completions come with @effect/cli.
import { startEmulator } from "@fitbit-effect/emulator"
import { execFile } from "node:child_process"
import * as Fs from "node:fs"
import { createRequire } from "node:module"
import * as Os from "node:os"
import * as NodePath from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { cliBin, cliEnv, exitCodeOf, freePort, loginThroughUrl, parseCsv, runCli } from "./fixtures/commandLine.js"

const CLIENT_ID = "CLI_API_APP"
const CLIENT_SECRET = "cli-api-secret-0123456789"
// Two days of steps at the emulator's 15-minute intervals: 192 points.
const FILTER = "steps.interval.civil_start_time >= \"2026-11-23T00:00:00\" AND steps.interval.civil_start_time < \"2026-11-25T00:00:00\""
const STEPS = "/v4/users/me/dataTypes/steps/dataPoints"

let emu: Awaited<ReturnType<typeof startEmulator>>
let root: string
let accessToken: string

/** The CLI's environment: its home under root, the client and the emulator from GOOGLE_HEALTH_*. */
const env = (extra: Record<string, string> = {}) =>
  cliEnv(NodePath.join(root, "home"), { GOOGLE_HEALTH_CLIENT_ID: CLIENT_ID, GOOGLE_HEALTH_CLIENT_SECRET: CLIENT_SECRET, GOOGLE_HEALTH_BASE_URL: emu.baseUrl, ...extra })

const run = (args: ReadonlyArray<string>, extra: Record<string, string> = {}) =>
  runCli(args, { env: env(extra), maxBuffer: 64 * 1024 * 1024 })

/** The points of the two days, read directly with the token, page by page. */
const direct = async (): Promise<Array<unknown>> => {
  const points: Array<unknown> = []
  let pageToken: string | undefined
  do {
    const url = new URL(`${emu.baseUrl}${STEPS}`)
    url.searchParams.set("filter", FILTER)
    url.searchParams.set("pageSize", "1000")
    if (pageToken !== undefined) url.searchParams.set("pageToken", pageToken)
    const page = await (await fetch(url, { headers: { authorization: `Bearer ${accessToken}` } })).json() as { dataPoints?: Array<unknown>; nextPageToken?: string }
    points.push(...(page.dataPoints ?? []))
    pageToken = page.nextPageToken === "" ? undefined : page.nextPageToken
  } while (pageToken !== undefined)
  return points
}

beforeAll(async () => {
  emu = await startEmulator({ seed: "cli-api", clock: { start: "2026-11-25T08:00:00Z" } })
  root = Fs.mkdtempSync(NodePath.join(Os.tmpdir(), "fitbit-effect-cli-api-"))
  const port = await freePort()
  emu.addApp({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, redirectUris: [`http://127.0.0.1:${port}/callback`] })
  // Log in as a user would: the URL the CLI prints, followed to its loopback.
  const login = await loginThroughUrl(["--port", String(port)], { env: env() })
  expect(login.code).toBe(0)
  accessToken = (await run(["auth", "token"])).stdout.trim()
})

afterAll(async () => {
  await emu?.close()
  if (root !== undefined) Fs.rmSync(root, { recursive: true, force: true })
})

describe("fitbit-effect api", () => {
  it("GET a data-points path answers the emulator's points (JSON when piped)", async () => {
    const result = await run(["api", "GET", STEPS, "--query", `filter=${FILTER}`, "--query", "pageSize=1000"])
    expect(result.code).toBe(0)
    const body = JSON.parse(result.stdout) as { dataPoints: Array<unknown> }
    expect(body.dataPoints).toEqual(await direct())
    expect(body.dataPoints.length).toBeGreaterThan(100)
    expect(result.stdout + result.stderr).not.toContain(accessToken)
  })

  it("a path without /v4 is the same call; --format pretty indents", async () => {
    const result = await run(["api", "get", "users/me/identity", "--format", "pretty"])
    expect(result.code).toBe(0)
    expect(result.stdout).toContain("\n  \"legacyUserId\": \"ABC123\"")
  })

  it("--paginate reads every page and emits every point, NDJSON when piped", async () => {
    emu.resetCounters()
    const result = await run(["api", "GET", STEPS, "--query", `filter=${FILTER}`, "--query", "pageSize=50", "--paginate"])
    expect(result.code).toBe(0)
    const sent = emu.counters().requests
    const lines = result.stdout.trimEnd().split("\n")
    const expected = await direct()
    expect(lines.map((line) => JSON.parse(line))).toEqual(expected)
    expect(sent).toBeGreaterThanOrEqual(Math.ceil(expected.length / 50))
  })

  it("--paginate --format json is one array", async () => {
    const result = await run(["api", "GET", STEPS, "--query", `filter=${FILTER}`, "--query", "pageSize=70", "--paginate", "--format", "json"])
    expect(JSON.parse(result.stdout)).toEqual(await direct())
  })

  it("--format csv flattens the points into dotted columns that parse back", async () => {
    const result = await run(["api", "GET", STEPS, "--query", `filter=${FILTER}`, "--query", "pageSize=40", "--paginate", "--format", "csv"])
    expect(result.code).toBe(0)
    const [header, ...rows] = parseCsv(result.stdout)
    const expected = await direct() as Array<{ steps: { count: string; interval: { startTime: string } } }>
    expect(rows).toHaveLength(expected.length)
    const count = header.indexOf("steps.count")
    const startTime = header.indexOf("steps.interval.startTime")
    expect(count).toBeGreaterThanOrEqual(0)
    expect(rows.map((row) => [row[count], row[startTime]])).toEqual(expected.map((p) => [String(p.steps.count), p.steps.interval.startTime]))
  })

  it("--dry-run prints the request with the token redacted and sends nothing", async () => {
    emu.resetCounters()
    const result = await run(["api", "POST", "users/me/dataTypes/weight/dataPoints", "--data", "{\"weight\":{\"weightGrams\":70000}}", "--query", "x=1", "--dry-run"])
    expect(result.code).toBe(0)
    expect(result.stdout).toContain(`POST ${emu.baseUrl}/v4/users/me/dataTypes/weight/dataPoints?x=1`)
    expect(result.stdout).toContain("authorization: Bearer <redacted")
    expect(result.stdout).toContain("\"weightGrams\": 70000")
    expect(result.stdout + result.stderr).not.toContain(accessToken)
    expect(result.stdout + result.stderr).not.toContain(CLIENT_SECRET)
    expect(emu.counters().requests).toBe(0)
  })

  it("a 404 from Google exits 4; a 5xx exits 5; the messages hold no token", async () => {
    const missing = await run(["api", "GET", "users/me/nothing-here"])
    expect(missing.code).toBe(4)
    expect(missing.stderr).toContain("404")
    emu.injectFault({ kind: "status503", count: 10, match: { pathPrefix: "/v4/users/me/identity" } })
    try {
      const down = await run(["api", "GET", "users/me/identity"])
      expect(down.code).toBe(5)
      expect(down.stderr + down.stdout).not.toContain(accessToken)
    } finally {
      emu.clearFaults()
    }
  })

  it("an unknown data type in a path is refused before sending (2), naming the nearest", async () => {
    const result = await run(["api", "GET", "users/me/dataTypes/stpes/dataPoints"])
    expect(result.code).toBe(2)
    expect(result.stderr).toContain("did you mean \"steps\"")
  })
})

describe("the bundle", () => {
  it("uses its own undici, not one installed beside it", async () => {
    // The CLI as an install lays it out, with a foreign undici next to it whose Agent cannot be made.
    const prefix = NodePath.join(root, "beside")
    const cliDir = NodePath.join(prefix, "node_modules", "@fitbit-effect", "cli")
    Fs.cpSync(NodePath.dirname(cliBin), NodePath.join(cliDir, "dist"), { recursive: true })
    Fs.copyFileSync(NodePath.join(NodePath.dirname(cliBin), "..", "package.json"), NodePath.join(cliDir, "package.json"))
    const sqlite = NodePath.dirname(createRequire(cliBin).resolve("better-sqlite3/package.json"))
    Fs.symlinkSync(sqlite, NodePath.join(prefix, "node_modules", "better-sqlite3"), "dir")
    const foreign = NodePath.join(prefix, "node_modules", "undici")
    Fs.mkdirSync(NodePath.join(foreign, "lib", "dispatcher"), { recursive: true })
    Fs.writeFileSync(NodePath.join(foreign, "package.json"), JSON.stringify({ name: "undici", version: "5.0.0", main: "index.js" }))
    Fs.writeFileSync(NodePath.join(foreign, "index.js"), "throw new Error('the foreign undici index was loaded')\n")
    Fs.writeFileSync(NodePath.join(foreign, "lib", "dispatcher", "agent.js"), "module.exports = class Agent { constructor() { throw new Error('the foreign undici Agent was used') } }\n")
    const result = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      execFile(process.execPath, [NodePath.join(cliDir, "dist", "bin.js"), "api", "GET", "users/me/identity"], { env: env() }, (error, stdout, stderr) =>
        resolve({ code: exitCodeOf(error), stdout: String(stdout), stderr: String(stderr) }))
    })
    expect(result.code, result.stderr).toBe(0)
    expect(JSON.parse(result.stdout)).toMatchObject({ legacyUserId: "ABC123" })
  })
})

describe("fitbit-effect api on fitbit-node's legacy paths", () => {
  const DAY = "2026-11-24"

  /** The day's steps summed from the emulator's own points (read with the token, not through the CLI). */
  const stepsOf = async (day: string) => {
    const url = new URL(`${emu.baseUrl}${STEPS}`)
    url.searchParams.set("filter", `steps.interval.civil_start_time >= "${day}T00:00:00" AND steps.interval.civil_start_time < "${day}T23:59:59"`)
    url.searchParams.set("pageSize", "10000")
    const page = await (await fetch(url, { headers: { authorization: `Bearer ${accessToken}` } })).json() as { dataPoints: Array<{ steps: { count: string } }> }
    return page.dataPoints.reduce((sum, point) => sum + Number(point.steps.count), 0)
  }

  it("GET /1/user/-/activities/steps/date/DAY/1d.json answers Fitbit's JSON from Google Health: the day's steps", async () => {
    const result = await run(["api", "GET", `/1/user/-/activities/steps/date/${DAY}/1d.json`])
    expect(result.code).toBe(0)
    const body = JSON.parse(result.stdout) as { "activities-steps": Array<{ dateTime: string; value: string }> }
    const expected = await stepsOf(DAY)
    expect(expected).toBeGreaterThan(0)
    expect(body["activities-steps"]).toEqual([{ dateTime: DAY, value: String(expected) }])
    expect(result.stdout + result.stderr).not.toContain(accessToken)
  })

  it("the profile path without /user/- and a 1.2 sleep path answer too", async () => {
    const profile = await run(["api", "GET", "/1/user/-/profile.json"])
    expect(profile.code).toBe(0)
    expect((JSON.parse(profile.stdout) as { user: { encodedId: string } }).user.encodedId).toBe("ABC123")
    const sleep = await run(["api", "GET", `/1.2/user/-/sleep/date/${DAY}.json`])
    expect(sleep.code).toBe(0)
    expect(JSON.parse(sleep.stdout)).toHaveProperty("summary")
  })

  it("an expired token is refreshed once and the legacy call answers", async () => {
    const before = Object.values(emu.counters().refreshesByUser).reduce((a, b) => a + b, 0)
    emu.expireAccessTokens()
    const result = await run(["api", "GET", `/1/user/-/activities/steps/date/${DAY}/1d.json`])
    expect(result.code, result.stderr).toBe(0)
    expect(Object.values(emu.counters().refreshesByUser).reduce((a, b) => a + b, 0)).toBe(before + 1)
    accessToken = (await run(["auth", "token"])).stdout.trim()
  })

  it("--dry-run names the Google Health calls behind the path and sends nothing", async () => {
    emu.resetCounters()
    const result = await run(["api", "GET", "/1/user/-/activities/heart/date/today/1d.json", "--dry-run"])
    expect(result.code).toBe(0)
    expect(result.stdout).toContain("GET /1/user/-/activities/heart/date/today/1d.json")
    expect(result.stdout).toMatch(/Google Health calls: .*heart-rate|Google Health calls: .*resting/)
    expect(result.stdout).toContain("authorization: Bearer <redacted")
    expect(emu.counters().requests).toBe(0)
  })

  it("an untranslated Fitbit path exits 4 naming the closest Google method; a path Fitbit never had exits 4 with a suggestion", async () => {
    const untranslated = await run(["api", "GET", "/1/user/-/foods/log/date/2026-11-24.json"])
    expect(untranslated.code).toBe(4)
    expect(untranslated.stderr).toMatch(/not translated|Google Health/)
    const typo = await run(["api", "GET", "/1/user/-/profle.json"])
    expect(typo.code).toBe(4)
    expect(typo.stderr).toContain("Did you mean GET /1/user/-/profile.json?")
  })

  it("a malformed percent-escape in a path is a usage error (2), before anything is sent", async () => {
    emu.resetCounters()
    for (const path of ["/1/user/%E0/profile.json", "users/me/dataTypes/%E0/dataPoints"]) {
      const result = await run(["api", "GET", path])
      expect(result.code, `${path}: ${result.stderr}`).toBe(2)
      expect(result.stderr).toContain("malformed percent-escape")
    }
    expect(emu.counters().requests).toBe(0)
  })

  it("PUT is for legacy paths, PATCH for Google's; --paginate is Google's", async () => {
    expect((await run(["api", "PUT", "users/me/identity"])).code).toBe(2)
    expect((await run(["api", "PATCH", "/1/user/-/profile.json"])).code).toBe(2)
    const paginate = await run(["api", "GET", "/1/user/-/profile.json", "--paginate"])
    expect(paginate.code).toBe(2)
    expect(paginate.stderr).toContain("--paginate")
  })
})

describe("fitbit-effect types", () => {
  it("types lists every data type with its rules", async () => {
    const table = await run(["types"])
    expect(table.code).toBe(0)
    expect(table.stdout).toMatch(/^steps\s+v4\s+interval\s+list/m)
    const json = await run(["types", "--format", "json"])
    const rows = JSON.parse(json.stdout) as Array<{ type: string; rollUpDays: number | ""; scope: string }>
    expect(rows.length).toBeGreaterThanOrEqual(43)
    expect(rows.find((row) => row.type === "heart-rate")).toMatchObject({ rollUpDays: 14, scope: "googlehealth.health_metrics_and_measurements" })
  })

  it("types describe prints a type's fields from its schema and its rules", async () => {
    const text = await run(["types", "describe", "sleep", "--format", "pretty"])
    expect(text.code).toBe(0)
    expect(text.stdout).toContain("filter:         interval.end_time, interval.civil_end_time (>= <, OR)")
    expect(text.stdout).toMatch(/sleep\.stages\[\]\.type\s+string/)
    const json = JSON.parse((await run(["types", "describe", "steps", "--format", "json"])).stdout) as {
      pointField: string
      fields: Array<{ field: string; type: string }>
    }
    expect(json.pointField).toBe("steps")
    expect(json.fields).toContainEqual({ field: "steps.count", type: "string | number", optional: true, unit: "count" })
    expect(json.fields.map((f) => f.field)).toContain("steps.interval.startTime")
  })

  it("types describe gives each measured field its unit, read from Google's field names", async () => {
    const unitsOf = async (type: string) => {
      const json = JSON.parse((await run(["types", "describe", type, "--format", "json"])).stdout) as { fields: Array<{ field: string; unit: string }> }
      return Object.fromEntries(json.fields.map((f) => [f.field, f.unit]))
    }
    const weight = await unitsOf("weight")
    expect(weight["weight.weightGrams"]).toBe("g")
    expect(weight["weight.sampleTime.physicalTime"]).toBe("time (RFC 3339)")
    expect(weight["weight.sampleTime.civilTime.time.minutes"]).toBe("") // a clock's minutes, not a duration
    expect((await unitsOf("heart-rate"))["heartRate.beatsPerMinute"]).toBe("bpm")
    expect((await unitsOf("sleep"))["sleep.summary.minutesAsleep"]).toBe("min")
    const pretty = await run(["types", "describe", "weight", "--format", "pretty"])
    expect(pretty.stdout).toMatch(/weight\.weightGrams\s+number\s+g\s+optional/)
  })

  it("an unknown type exits 2 naming the nearest", async () => {
    const result = await run(["types", "describe", "hart-rate"])
    expect(result.code).toBe(2)
    expect(result.stderr).toContain("did you mean \"heart-rate\"")
  })
})

describe("usage", () => {
  it("a bad command or option exits 2", async () => {
    expect((await run(["bogus"])).code).toBe(2)
    expect((await run(["api", "GET"])).code).toBe(2)
    expect((await run(["types", "--format", "xml"])).code).toBe(2)
    expect((await run(["api", "PUT", "users/me/identity"])).code).toBe(2)
  })

  it("--help works on every command and shows an example, unstyled when piped", async () => {
    const commands = [
      [], ["setup"], ["login"], ["auth"], ["auth", "status"], ["auth", "token"], ["auth", "revoke"], ["auth", "logout"], ["api"], ["types"], ["types", "describe"],
      ["show"], ["sync"], ["export"], ["listen"], ["doctor"], ["emulator"]
    ]
    const results = await Promise.all(commands.map((command) => run([...command, "--help"], { NO_COLOR: "" })))
    for (const [i, result] of results.entries()) {
      expect(result.code, commands[i].join(" ")).toBe(0)
      expect(result.stdout, commands[i].join(" ")).toContain("Examples:")
      expect(result.stdout, commands[i].join(" ")).toContain(`fitbit-effect ${commands[i].join(" ")}`.trim())
      expect(result.stdout, commands[i].join(" ")).not.toContain("\u001b[")
    }
    // A usage error's help, on stderr, too.
    const usage = await run(["bogus-command"], { NO_COLOR: "" })
    expect(usage.code).toBe(2)
    expect(usage.stderr + usage.stdout).not.toContain("\u001b[")
  })

  it("--completions bash prints a completion script for every command", async () => {
    const result = await run(["--completions", "bash"])
    expect(result.code).toBe(0)
    expect(result.stdout).toContain("complete")
    expect(result.stdout).toContain("fitbit-effect")
    for (const name of ["setup", "login", "auth", "api", "types"]) expect(result.stdout).toContain(name)
  })
})

describe("secrets", () => {
  it("a refresh refused for a wrong client secret exits 7 and names neither secret nor token", async () => {
    const wrong = "wrong-secret-must-not-be-printed-42"
    emu.expireAccessTokens()
    const result = await run(["api", "GET", "users/me/identity"], { GOOGLE_HEALTH_CLIENT_SECRET: wrong })
    expect(result.code).toBe(7)
    for (const secret of [wrong, CLIENT_SECRET, accessToken]) expect(result.stdout + result.stderr).not.toContain(secret)
    // With the right secret the same call refreshes and answers.
    const fixed = await run(["api", "GET", "users/me/identity"])
    expect(fixed.code).toBe(0)
  })
})
