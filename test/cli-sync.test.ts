// `fitbit-effect sync` and `export` as OS processes of the built CLI against the emulator: 30 days of
// every readable type exported as NDJSON, CSV, JSON and a SQLite copy, each parsed back and matching
// what the emulator lists; a sync SIGKILLed midway then run again holds every point once and sends
// fewer requests than a full run.
import * as SqlClient from "@effect/sql/SqlClient"
import { GoogleDataPoints } from "@fitbit-effect/core"
import { Sync } from "@fitbit-effect/core/sync"
import { startEmulator } from "@fitbit-effect/emulator"
import { NodeGoogleHealth } from "@fitbit-effect/node"
import * as Sql from "@fitbit-effect/node/sql"
import { Chunk, Effect, Stream } from "effect"
import { execFileSync, spawn } from "node:child_process"
import * as Fs from "node:fs"
import * as Os from "node:os"
import * as NodePath from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { cliBin, cliEnv, freePort, loginThroughUrl, parseCsv, runCli } from "./fixtures/commandLine.js"

const CLIENT_ID = "CLI_SYNC_APP"
const CLIENT_SECRET = "cli-sync-secret-0123456789"

let emu: Awaited<ReturnType<typeof startEmulator>>
let root: string
let accessToken: string

/** The CLI's environment with its home at `home`, the client and the emulator from GOOGLE_HEALTH_*. */
const envOf = (home: string): Record<string, string> =>
  cliEnv(home, { GOOGLE_HEALTH_CLIENT_ID: CLIENT_ID, GOOGLE_HEALTH_CLIENT_SECRET: CLIENT_SECRET, GOOGLE_HEALTH_BASE_URL: emu.baseUrl })

const run = (args: ReadonlyArray<string>, home = NodePath.join(root, "home")) =>
  runCli(args, { env: envOf(home), timeout: 170_000, maxBuffer: 256 * 1024 * 1024 })

const onDb = <A>(file: string, effect: Effect.Effect<A, unknown, SqlClient.SqlClient>) => Effect.runPromise(Effect.provide(effect, Sql.sqlClient({ sqlite: file })))

/** What the emulator lists for a type on the days the archive's cursor synced, as JSON texts, sorted. */
const listed = async (dataType: string, synced: { start: string; end: string }) => {
  const filter = synced.start === "" ? undefined : GoogleDataPoints.filters.range(dataType, synced.start, synced.end)
  const points = await Effect.runPromise(
    Stream.runCollect(GoogleDataPoints.stream(accessToken, dataType as never, { filter, pageSize: 10_000, keepRaw: true })).pipe(
      Effect.provide(NodeGoogleHealth.layer({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, baseUrl: emu.baseUrl }))
    )
  )
  return Chunk.toReadonlyArray(points).map((p) => JSON.stringify(p.raw)).sort()
}

beforeAll(async () => {
  emu = await startEmulator({ seed: "cli-sync", googleQuota: { perUserPerMinute: 1_000_000, perProjectPerMinute: 1_000_000 } })
  root = Fs.mkdtempSync(NodePath.join(Os.tmpdir(), "fitbit-effect-cli-sync-"))
  const port = await freePort()
  emu.addApp({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, redirectUris: [`http://127.0.0.1:${port}/callback`] })
  const login = await loginThroughUrl(["--port", String(port)], { env: envOf(NodePath.join(root, "home")) })
  expect(login.code).toBe(0)
  accessToken = (await run(["auth", "token"])).stdout.trim()
}, 180_000)

afterAll(async () => {
  await emu?.close()
  if (root !== undefined) Fs.rmSync(root, { recursive: true, force: true })
})

let fullRequests = 0

describe("fitbit-effect export", () => {
  it("30 days of every readable type as NDJSON, then CSV, JSON and SQLite from the archive, match the emulator", async () => {
    emu.resetCounters()
    const ndjsonFile = NodePath.join(root, "points.ndjson")
    const first = await run(["export", "--since", "30", "--format", "ndjson", "--out", ndjsonFile])
    expect(first.stderr).toContain("synced default:")
    expect(first.code).toBe(0)
    fullRequests = emu.counters().requests
    const archive = NodePath.join(root, "home", "archive.db")
    const [status] = await onDb(archive, Sync.status("default"))
    expect(status!.types.length).toBeGreaterThan(3)

    const csv = await run(["export", "--since", "30", "--format", "csv", "--out", "-", "--no-sync"])
    expect(csv.code).toBe(0)
    const [header, ...rows] = parseCsv(csv.stdout)
    expect(header).toEqual(["user", "data_type", "day", "start_time", "end_time", "source", "amount", "value_json"])
    let total = 0
    for (const type of status!.types) {
      expect(type.lastError, type.dataType).toBeNull()
      const expected = await listed(type.dataType, type.synced!)
      const got = rows.filter((r) => r[1] === type.dataType).map((r) => r[7]).sort()
      expect(got, type.dataType).toEqual(expected)
      total += got.length
    }
    expect(total).toBe(rows.length)
    expect(total).toBeGreaterThan(1000)

    const ndjson = Fs.readFileSync(ndjsonFile, "utf8").trimEnd().split("\n").map((line) => JSON.parse(line) as unknown)
    expect(ndjson).toHaveLength(total)
    const json = await run(["export", "--since", "30", "--format", "json", "--out", "-", "--no-sync"])
    expect(JSON.parse(json.stdout)).toEqual(ndjson)

    const copy = NodePath.join(root, "copy.db")
    const sqlite = await run(["export", "--since", "30", "--types", "steps,sleep", "--format", "sqlite", "--out", copy, "--no-sync"])
    expect(sqlite.code).toBe(0)
    const counted = await onDb(copy, Effect.flatMap(SqlClient.SqlClient, (sql) => sql<{ data_type: string; n: number }>`SELECT data_type, COUNT(*) AS n FROM fitbit_effect_points GROUP BY data_type ORDER BY data_type`))
    expect(counted.map((c) => [c.data_type, Number(c.n)])).toEqual(
      ["sleep", "steps"].map((t) => [t, rows.filter((r) => r[1] === t).length]).filter(([, n]) => n !== 0)
    )
    const grants = await onDb(copy, Effect.flatMap(SqlClient.SqlClient, (sql) => sql<{ name: string }>`SELECT name FROM sqlite_master WHERE name LIKE '%grant%'`))
    expect(grants).toEqual([])
    // Its cursors are those of what it holds: the two types exported, no other.
    const cursors = await onDb(copy, Effect.flatMap(SqlClient.SqlClient, (sql) => sql<{ data_type: string }>`SELECT data_type FROM fitbit_effect_sync_cursors ORDER BY data_type`))
    expect(cursors.map((c) => c.data_type)).toEqual(["sleep", "steps"])
    expect(sqlite.stderr).toContain(`(sqlite, ${counted.reduce((n, c) => n + Number(c.n), 0)} points)`)

    // No overwrite without --yes (exit 2), and the file is kept.
    const refused = await run(["export", "--since", "30", "--format", "ndjson", "--out", ndjsonFile, "--no-sync"])
    expect(refused.code).toBe(2)
    expect(refused.stderr).toContain("--yes")
    expect(Fs.readFileSync(ndjsonFile, "utf8").trimEnd().split("\n")).toHaveLength(total)
  }, 180_000)

  it("a sync SIGKILLed midway then run again holds every point once, with fewer requests than a full run", async () => {
    const home = NodePath.join(root, "home2")
    Fs.mkdirSync(home, { mode: 0o700 })
    for (const f of ["tokens.db", "profiles.json"]) if (Fs.existsSync(NodePath.join(root, "home", f))) Fs.copyFileSync(NodePath.join(root, "home", f), NodePath.join(home, f))
    emu.resetCounters()
    const child = spawn(process.execPath, [cliBin, "sync", "--since", "30"], { env: envOf(home), stdio: ["ignore", "ignore", "pipe"] })
    await new Promise<void>((resolve) => {
      let seen = ""
      child.stderr.on("data", (chunk: Buffer) => {
        seen += chunk.toString()
        if ((seen.match(/ points?, /g) ?? []).length >= 4) resolve()
      })
      child.once("exit", () => resolve())
    })
    child.kill("SIGKILL")
    await new Promise((resolve) => child.once("close", resolve))
    const killedAfter = emu.counters().requests
    expect(killedAfter).toBeGreaterThan(0)
    emu.resetCounters()
    const again = await run(["sync", "--since", "30"], home)
    expect(again.code).toBe(0)
    expect(again.stderr).toContain("synced default:")
    const second = emu.counters().requests
    expect(second).toBeLessThan(fullRequests)
    const archive = NodePath.join(home, "archive.db")
    const [counts] = await onDb(archive, Effect.flatMap(SqlClient.SqlClient, (sql) =>
      sql<{ n: number; d: number }>`SELECT COUNT(*) AS n, COUNT(DISTINCT user_key || '|' || data_type || '|' || point_key) AS d FROM fitbit_effect_points`))
    expect(Number(counts!.n)).toBe(Number(counts!.d))
    const [whole] = await onDb(NodePath.join(root, "home", "archive.db"), Effect.flatMap(SqlClient.SqlClient, (sql) => sql<{ n: number }>`SELECT COUNT(*) AS n FROM fitbit_effect_points`))
    expect(Number(counts!.n)).toBe(Number(whole!.n))
  }, 180_000)
  it("a sync (or an export that syncs) of an archive another process is syncing exits 9 naming it; export --no-sync reads; free again, it syncs", async () => {
    const home = NodePath.join(root, "home-busy")
    Fs.mkdirSync(home, { mode: 0o700 })
    for (const f of ["tokens.db", "profiles.json"]) if (Fs.existsSync(NodePath.join(root, "home", f))) Fs.copyFileSync(NodePath.join(root, "home", f), NodePath.join(home, f))
    expect((await run(["sync", "--since", "7"], home)).code).toBe(0)
    // Another process's lease, live (another host: waited out, never taken), as a long sync elsewhere holds it.
    const archive = NodePath.join(home, "archive.db")
    const holder = "another-host:1:4242:1:cli-test"
    await onDb(archive, Effect.flatMap(SqlClient.SqlClient, (sql) =>
      sql`INSERT INTO fitbit_effect_sync_lease (id, holder, expires_at) VALUES ('single-runner', ${holder}, ${Date.now() + 3_600_000})
        ON CONFLICT (id) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at`))
    const second = await run(["sync", "--since", "7"], home)
    expect(second.code, second.stderr).toBe(9)
    expect(second.stderr).toContain("another fitbit-effect process is syncing this archive")
    expect(second.stderr).toContain(holder)
    expect((await run(["export", "--since", "7", "--format", "csv", "--out", "-"], home)).code).toBe(9)
    const reading = await run(["export", "--since", "7", "--format", "csv", "--out", "-", "--no-sync"], home)
    expect(reading.code, reading.stderr).toBe(0)
    expect(parseCsv(reading.stdout)[0]).toEqual(["user", "data_type", "day", "start_time", "end_time", "source", "amount", "value_json"])
    // Given back (the other process finished): the next sync runs.
    await onDb(archive, Effect.flatMap(SqlClient.SqlClient, (sql) => sql`DELETE FROM fitbit_effect_sync_lease`))
    expect((await run(["sync", "--since", "7"], home)).code).toBe(0)
  }, 180_000)

  it("a sync that could not read a type exits 4 naming it (an export that syncs first writes nothing); a type the login has no scope for exits 3 naming the login that fixes it", async () => {
    emu.injectFault({ kind: "malformedJson", count: 50, match: { pathPrefix: "/v4/users/me/dataTypes/weight/" } })
    try {
      const failed = await run(["sync", "--since", "7", "--types", "weight,steps"])
      expect(failed.code, failed.stderr).toBe(4)
      expect(failed.stderr).toContain("1 type failed this run (weight)")
      const out = NodePath.join(root, "not-written.csv")
      const exporting = await run(["export", "--since", "7", "--types", "weight", "--format", "csv", "--out", out])
      expect(exporting.code).toBe(4)
      expect(Fs.existsSync(out)).toBe(false)
    } finally {
      emu.clearFaults()
    }
    expect((await run(["sync", "--since", "7", "--types", "weight,steps"])).code).toBe(0)
    const typo = await run(["sync", "--since", "7", "--types", "stpes"])
    expect(typo.code).toBe(2)
    expect(typo.stderr).toContain("\"stpes\" (did you mean \"steps\"?)")
    const unscoped = await run(["sync", "--since", "7", "--types", "nutrition-log"])
    expect(unscoped.code, unscoped.stderr).toBe(3)
    expect(unscoped.stderr).toContain("not synced, the login's scopes do not cover them: nutrition-log")
    expect(unscoped.stderr).toContain("--scopes nutrition.readonly")
  }, 180_000)

  it("auth logout leaves no token behind: the grant goes from tokens.db and from the archive's copy", async () => {
    const home = NodePath.join(root, "home-logout")
    Fs.mkdirSync(home, { mode: 0o700 })
    for (const f of ["tokens.db", "profiles.json"]) if (Fs.existsSync(NodePath.join(root, "home", f))) Fs.copyFileSync(NodePath.join(root, "home", f), NodePath.join(home, f))
    expect((await run(["sync", "--since", "3", "--types", "steps"], home)).code).toBe(0)
    const grantsIn = (file: string) =>
      onDb(file, Effect.flatMap(SqlClient.SqlClient, (sql) => sql<{ n: number }>`SELECT COUNT(*) AS n FROM fitbit_effect_grants WHERE key = 'google:default'`))
    expect(Number((await grantsIn(NodePath.join(home, "archive.db")))[0]!.n)).toBe(1)
    expect((await run(["auth", "logout", "--yes"], home)).code).toBe(0)
    expect(Number((await grantsIn(NodePath.join(home, "archive.db")))[0]!.n)).toBe(0)
    expect(Number((await grantsIn(NodePath.join(home, "tokens.db")))[0]!.n)).toBe(0)
  }, 120_000)

  it("on a terminal (tmux): a progress bar, Ctrl-C stops with exit 130 and a line saying to run again, the next run finishes with the totals", async () => {
    const home = NodePath.join(root, "home3")
    Fs.mkdirSync(home, { mode: 0o700 })
    for (const f of ["tokens.db", "profiles.json"]) if (Fs.existsSync(NodePath.join(root, "home", f))) Fs.copyFileSync(NodePath.join(root, "home", f), NodePath.join(home, f))
    const env = envOf(home)
    const script = NodePath.join(root, "tty-sync.sh")
    const quote = (text: string) => `'${text.replace(/'/g, "'\\''")}'`
    Fs.writeFileSync(script, [
      ...["FITBIT_EFFECT_HOME", "GOOGLE_HEALTH_CLIENT_ID", "GOOGLE_HEALTH_CLIENT_SECRET", "GOOGLE_HEALTH_BASE_URL", "PATH"].map((k) => `export ${k}=${quote(env[k]!)}`),
      `${quote(process.execPath)} ${quote(cliBin)} sync --since 30`,
      "echo \"EXIT=$?\"",
      "sleep 60"
    ].join("\n") + "\n")
    const session = `fe-sync-${process.pid}`
    const tmux = (...args: Array<string>) => execFileSync("tmux", args, { encoding: "utf8" })
    const pane = () => tmux("capture-pane", "-p", "-t", session)
    const waitPane = async (pattern: RegExp, timeoutMillis = 30_000) => {
      const until = Date.now() + timeoutMillis
      for (;;) {
        const text = pane()
        if (pattern.test(text)) return text
        if (Date.now() > until) throw new Error(`the pane never showed ${pattern}:\n${text}`)
        await new Promise((resolve) => setTimeout(resolve, 50))
      }
    }
    // Every data-points read held back 400 ms: the pass takes long enough to be stopped midway.
    emu.injectFault({ kind: "delay", delayMillis: 400, count: 1000, match: { pathPrefix: "/v4/users/me/dataTypes/" } })
    try {
      tmux("new-session", "-d", "-x", "120", "-y", "40", "-s", session, `bash ${quote(script)}`)
      const drawn = await waitPane(/\[#+-*\]\s+\d+ windows?/)
      expect(drawn).toMatch(/\d+ points?\s+\d+ requests?/)
      tmux("send-keys", "-t", session, "C-c")
      const stopped = await waitPane(/EXIT=\d+/)
      expect(stopped).toContain("stopped: run again to resume")
      expect(stopped).toContain("EXIT=130")
      tmux("kill-session", "-t", session)
      emu.clearFaults()
      // The rest in a classic 80×24 terminal: every bar line fits its width and its height (more
      // types than rows: the last ones updated, and a line for the others), redrawn in place.
      tmux("new-session", "-d", "-x", "80", "-y", "24", "-s", session, `bash ${quote(script)}`)
      const finished = await waitPane(/EXIT=\d+/)
      expect(finished).toMatch(/synced default: \d+ points?, \d+ requests?, \d+ windows?/)
      expect(finished).toContain("EXIT=0")
      const screen = finished.split("\n").filter((line) => line.trim() !== "")
      const bars = screen.filter((line) => /\[[#-]+\]/.test(line))
      expect(bars.length, finished).toBeGreaterThan(3)
      for (const line of bars) expect(line, finished).toMatch(/^[a-z0-9-]+ +\[[#-]+\] +\d+ windows?/)
      const names = bars.map((line) => line.split(" ")[0])
      expect(new Set(names).size, finished).toBe(names.length)
      expect(bars.length, finished).toBeLessThanOrEqual(22)
    } finally {
      emu.clearFaults()
      try {
        tmux("kill-session", "-t", session)
      } catch {
        // gone already
      }
    }
  }, 180_000)
})
