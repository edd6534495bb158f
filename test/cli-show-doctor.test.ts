// `fitbit-effect show` and `doctor` as OS processes of the built CLI against the emulator (its default
// app, logged in through the printed URL as a user would): `show steps` piped prints one line a day
// equal to the emulator's daily roll-up sums; on a real terminal (tmux) it draws a bar per day and the
// min/max/mean line; unknown types exit 2 naming the supported ones. `doctor` passes with every scope,
// flags a missing scope (exit 8), an unreachable endpoint (a closed port) quickly, a missing client.
import { CivilDateRange, GoogleDataPoints, GoogleDataTypes } from "@fitbit-effect/core"
import { NodeGoogleHealth } from "@fitbit-effect/node"
import { startEmulator } from "@fitbit-effect/emulator"
import * as Effect from "effect/Effect"
import * as Stream from "effect/Stream"
import { execFileSync } from "node:child_process"
import * as Fs from "node:fs"
import * as Os from "node:os"
import * as NodePath from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { cliBin, cliEnv, freePort, loginThroughUrl, runCli } from "./fixtures/commandLine.js"

const hasTmux = (() => {
  try {
    execFileSync("tmux", ["-V"], { stdio: "ignore" })
    return true
  } catch {
    return false
  }
})()

let emu: Awaited<ReturnType<typeof startEmulator>>
let root: string
let home: string

const run = (args: ReadonlyArray<string>, stdin = "") => runCli(args, { env: cliEnv(home), stdin })

/** `login` as a user would: the printed URL, followed (the emulator consents at once) to the loopback. */
const login = (args: ReadonlyArray<string> = []) => loginThroughUrl(args, { env: cliEnv(home) })

const token = async (profile = "default") => (await run(["auth", "token", "--profile", profile])).stdout.trim()

const library = <A, E>(effect: Effect.Effect<A, E, NodeGoogleHealth.Services>) =>
  Effect.runPromise(effect.pipe(Effect.provide(NodeGoogleHealth.layer({ clientId: emu.defaultApp.clientId, clientSecret: emu.defaultApp.clientSecret, baseUrl: emu.baseUrl }))))

beforeAll(async () => {
  emu = await startEmulator({ seed: "cli-show-doctor" })
  root = Fs.mkdtempSync(NodePath.join(Os.tmpdir(), "fitbit-effect-cli-show-"))
  home = NodePath.join(root, "home")
  emu.setConsent("auto")
  const setup = await run(["setup", "--client-id", emu.defaultApp.clientId, "--client-secret-stdin", "--base-url", emu.baseUrl], `${emu.defaultApp.clientSecret}\n`)
  expect(setup.code).toBe(0)
  const logged = await login()
  expect(logged.code, logged.stderr).toBe(0)
}, 90_000)

afterAll(async () => {
  await emu?.close()
  if (root !== undefined) Fs.rmSync(root, { recursive: true, force: true })
})

describe("fitbit-effect show", () => {
  let expected: Array<[string, number]>

  beforeAll(async () => {
    const accessToken = await token()
    expected = await library(Effect.gen(function*() {
      const range = yield* CivilDateRange.forUser(accessToken, { lastDays: 7 })
      const last = new Date(`${range.end}T00:00:00Z`)
      last.setUTCDate(last.getUTCDate() - 1)
      const windows = yield* GoogleDataPoints.dailyRollUpByDate(accessToken, "steps", { start: range.start, end: last.toISOString().slice(0, 10) })
      return [...windows].map(([date, w]) => [date, Number(w.steps?.countSum ?? 0)] as [string, number]).sort((a, b) => a[0] < b[0] ? -1 : 1)
    }))
  }, 60_000)

  it("show steps --days 7, piped: 7 lines `YYYY-MM-DD value`, the emulator's daily sums", async () => {
    const result = await run(["show", "steps", "--days", "7"])
    expect(result.code, result.stderr).toBe(0)
    const lines = result.stdout.trim().split("\n")
    expect(lines).toHaveLength(7)
    const byDate = new Map(expected)
    expect(byDate.size).toBeGreaterThan(0)
    for (const line of lines) {
      const [date, value] = line.split(" ")
      expect(date).toMatch(/^\d{4}-\d{2}-\d{2}$/)
      expect(value === undefined ? null : Number(value)).toBe(byDate.get(date!) ?? null)
    }
    const json = await run(["show", "steps", "--days", "7", "--format", "json"])
    expect(JSON.parse(json.stdout)).toHaveLength(7)
    const csv = await run(["show", "steps", "--days", "7", "--format", "csv"])
    expect(csv.stdout.trim().split(/\r?\n/)[0]).toBe("date,value")
  }, 120_000)

  it("show sleep, daily-resting-heart-rate and weight, piped: 7 lines, a value each night or day (weight: days weighed), resting heart rate as the library lists it", async () => {
    const accessToken = await token()
    const listed = await library(Effect.gen(function*() {
      const range = yield* CivilDateRange.forUser(accessToken, { lastDays: 7 })
      const points = yield* Stream.runCollect(GoogleDataPoints.stream(accessToken, "daily-resting-heart-rate", { filter: GoogleDataPoints.filters.range("daily-resting-heart-rate", range.start, range.end) }))
      return new Map([...points].flatMap((p) => p._tag === "DailyRestingHeartRate" ? [[GoogleDataTypes.formatDate(p.value.date)!, Number(p.value.beatsPerMinute)] as const] : []))
    }))
    expect(listed.size).toBeGreaterThan(0)
    for (const type of ["sleep", "daily-resting-heart-rate", "weight"]) {
      const result = await run(["show", type, "--days", "7"])
      expect(result.code, result.stderr).toBe(0)
      const lines = result.stdout.trim().split("\n").map((line) => line.split(" "))
      expect(lines, type).toHaveLength(7)
      // A day without data (weight is not measured every day) has an empty value.
      expect(lines.filter(([, value]) => value !== undefined).length, type).toBeGreaterThanOrEqual(1)
      for (const [date, value] of lines) {
        if (value !== undefined) expect(Number(value), `${type} ${date}`).toBeGreaterThan(0)
        if (type === "daily-resting-heart-rate") expect(value === undefined ? undefined : Number(value)).toBe(listed.get(date!))
      }
    }
  }, 120_000)

  it("an unknown or non-day-shaped type exits 2 naming the supported ones", async () => {
    for (const type of ["stepz", "heart-rate"]) {
      const result = await run(["show", type])
      expect(result.code).toBe(2)
      expect(result.stderr).toContain("steps, sleep, daily-resting-heart-rate, weight")
    }
  })

  /** The screen of `fitbit-effect ARGS` in a 120×40 tmux terminal, once its min/max line shows. */
  const screenOf = async (args: ReadonlyArray<string>) => {
    const session = `fe-show-${process.pid}-${args[1]}`
    const vars = Object.entries(cliEnv(home)).filter(([k]) => k === "FITBIT_EFFECT_HOME" || k === "NO_COLOR")
    const command = `${vars.map(([k, v]) => `${k}='${v}'`).join(" ")} '${process.execPath}' '${cliBin}' ${args.join(" ")}; sleep 30`
    execFileSync("tmux", ["new-session", "-d", "-s", session, "-x", "120", "-y", "40", command])
    try {
      let screen = ""
      const deadline = Date.now() + 20_000
      while (Date.now() < deadline) {
        screen = execFileSync("tmux", ["capture-pane", "-p", "-t", session], { encoding: "utf8" })
        if (/min \S+ +max/.test(screen)) break
        await new Promise((resolve) => setTimeout(resolve, 100))
      }
      return screen
    } finally {
      execFileSync("tmux", ["kill-session", "-t", session])
    }
  }
  const barOf = (line: string) => /[█▏▎▍▌▋▊▉]+/.exec(line)?.[0] ?? ""
  const barLength = (bar: string) => [...bar].reduce((n, c) => n + (c === "█" ? 8 : "▏▎▍▌▋▊▉".indexOf(c) + 1), 0)

  it.skipIf(!hasTmux && process.env.CI !== "true")("on a terminal (tmux): a bar per day with its date and value, and min/max/mean", async () => {
    const screen = await screenOf(["show", "steps", "--days", "7"])
    const bars = screen.split("\n").filter((line) => /^\d{4}-\d{2}-\d{2} +\d+ +[█▏▎▍▌▋▊▉]*/.test(line))
    expect(bars, screen).toHaveLength(7)
    const max = Math.max(...expected.map(([, v]) => v))
    expect(screen).toMatch(new RegExp(`min \\d+ +max ${max} +mean [\\d.]+`))
    expect(screen).toContain("█")
  }, 90_000)

  it.skipIf(!hasTmux && process.env.CI !== "true")("a level (weight) on a terminal: bars from a floor under the smallest value, so the lightest day's bar is about a fifth of the heaviest's", async () => {
    const screen = await screenOf(["show", "weight", "--days", "30"])
    const floor = /bars from ([\d.]+)/.exec(screen)
    expect(floor, screen).not.toBeNull()
    const rows = screen.split("\n").flatMap((line) => {
      const found = /^\d{4}-\d{2}-\d{2} +([\d.]+) +([█▏▎▍▌▋▊▉]+)/.exec(line)
      return found === null ? [] : [{ value: Number(found[1]), bar: barLength(barOf(line)) }]
    })
    expect(rows.length, screen).toBeGreaterThan(10)
    const lightest = rows.reduce((a, b) => (b.value < a.value ? b : a))
    const heaviest = rows.reduce((a, b) => (b.value > a.value ? b : a))
    expect(lightest.value).toBeLessThan(heaviest.value)
    expect(Number(floor![1])).toBeLessThan(lightest.value)
    // (min - floor) / (max - floor) = 1/5 with the floor a quarter of the range below the minimum.
    expect(lightest.bar / heaviest.bar).toBeGreaterThan(0.1)
    expect(lightest.bar / heaviest.bar).toBeLessThan(0.3)
  }, 90_000)
})

describe("fitbit-effect doctor", () => {
  it("passes when the profile holds every scope asked for: one ✓ line a check, exit 0, no secret printed", async () => {
    const result = await run(["doctor"])
    expect(result.code, result.stdout + result.stderr).toBe(0)
    expect(result.stdout).not.toContain(emu.defaultApp.clientSecret)
    expect(result.stdout).not.toContain("✗")
    for (const check of ["configuration: client", "secret present", "token endpoint reachable", "API reachable", "logged in", "scopes: all", "token: granted", "Testing mode", "clock: within"]) {
      expect(result.stdout).toContain(check)
    }
  }, 60_000)

  it("flags a missing scope of a profile logged in with fewer (exit 8, the login that fixes it)", async () => {
    // Another user: the same user's consent would add the scopes granted before (include_granted_scopes).
    emu.addUser({ userId: "NARROW1" })
    emu.setConsent("auto", "NARROW1")
    const logged = await login(["--profile", "narrow", "--scopes", "sleep.readonly"]).finally(() => emu.setConsent("auto", emu.defaultUser.userId))
    expect(logged.code, logged.stderr).toBe(0)
    const result = await run(["doctor", "--profile", "narrow"])
    expect(result.code).toBe(8)
    expect(result.stdout).toMatch(/✗ scopes: missing .*activity_and_fitness\.readonly/)
    expect(result.stdout).toContain("fix: fitbit-effect login --profile narrow --scopes")
    const enough = await run(["doctor", "--profile", "narrow", "--scopes", "sleep.readonly"])
    expect(enough.code, enough.stdout).toBe(0)
  }, 90_000)

  it("reports an unreachable endpoint (a closed port) quickly", async () => {
    const closed = await freePort()
    const started = Date.now()
    const result = await run(["doctor", "--base-url", `http://127.0.0.1:${closed}`])
    expect(result.code).toBe(8)
    expect(result.stdout).toMatch(/✗ token endpoint unreachable: http:\/\/127\.0\.0\.1:\d+\/token/)
    expect(result.stdout).toMatch(/✗ API unreachable/)
    // And the profile's token would go elsewhere than where it logged in: flagged with its fix.
    expect(result.stdout).toContain(`✗ profile default logged in at ${emu.baseUrl}, but this command would send its token to http://127.0.0.1:${closed}`)
    expect(Date.now() - started).toBeLessThan(10_000)
  }, 60_000)

  it("names the missing configuration", async () => {
    const saved = home
    home = NodePath.join(root, "empty-home")
    try {
      const result = await run(["doctor"])
      expect(result.code).toBe(8)
      expect(result.stdout).toContain("✗ configuration: no OAuth client")
    } finally {
      home = saved
    }
  })
})
