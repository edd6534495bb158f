// Issue 33: the fitbit-effect command, as a user runs it (an OS process of the built CLI) against the
// emulator: setup keeps the client in a 0600 file (the secret from stdin), login drives Google's consent
// through a loopback redirect (PKCE, state) into a 0600 tokens.db, a callback with another state is
// refused, and auth status / token / logout / revoke keep tokens out of everything but `auth token`.
import { startEmulator } from "@fitbit-effect/emulator"
import * as Fs from "node:fs"
import * as Os from "node:os"
import * as NodePath from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { cliEnv, freePort, parseCsv, runCli, startCli, startLogin } from "./fixtures/commandLine.js"

const CLIENT_ID = "CLI_AUTH_APP"
const CLIENT_SECRET = "cli-auth-secret-0123456789"

let emu: Awaited<ReturnType<typeof startEmulator>>
let home: string

const run = (args: ReadonlyArray<string>, options: { readonly stdin?: string; readonly env?: Record<string, string> } = {}) =>
  runCli(args, { env: cliEnv(home, options.env), stdin: options.stdin })

/** Starts `login` against the emulator (--base-url), waits for the URL it prints on stderr. */
const startEmulatorLogin = (args: ReadonlyArray<string>, environment: Record<string, string> = {}) =>
  startLogin(["--base-url", emu.baseUrl, ...args], { env: cliEnv(home, environment) })

const mode = (file: string) => Fs.statSync(file).mode & 0o777

beforeAll(async () => {
  emu = await startEmulator({ seed: "cli-auth", clock: { start: "2026-11-25T08:00:00Z" } })
  home = Fs.mkdtempSync(NodePath.join(Os.tmpdir(), "fitbit-effect-cli-"))
  home = NodePath.join(home, "home") // created by setup
})

afterAll(async () => {
  await emu?.close()
  if (home !== undefined) Fs.rmSync(NodePath.dirname(home), { recursive: true, force: true })
})

describe("fitbit-effect setup, login and auth", () => {
  let port: number
  let accessToken: string

  it("setup keeps the client in a 0600 config.json in a 0700 directory, the secret read from stdin", async () => {
    const result = await run(["setup", "--client-id", CLIENT_ID, "--client-secret-stdin", "--base-url", emu.baseUrl], { stdin: `${CLIENT_SECRET}\n` })
    expect(result.code).toBe(0)
    expect(result.stdout + result.stderr).not.toContain(CLIENT_SECRET)
    const file = NodePath.join(home, "config.json")
    expect(mode(home)).toBe(0o700)
    expect(mode(file)).toBe(0o600)
    expect(JSON.parse(Fs.readFileSync(file, "utf8"))).toEqual({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, baseUrl: emu.baseUrl })
    // Run again for the same client without a secret to read (no terminal): the stored one stays.
    const again = await run(["setup", "--client-id", CLIENT_ID, "--base-url", emu.baseUrl])
    expect(again.code).toBe(0)
    expect(again.stderr).toContain("its secret kept from before")
    expect(again.stdout + again.stderr).not.toContain(CLIENT_SECRET)
    expect(JSON.parse(Fs.readFileSync(file, "utf8"))).toEqual({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, baseUrl: emu.baseUrl })
  })

  it("setup without a terminal and without --client-id is a usage error (2)", async () => {
    const result = await run(["setup", "--client-secret-stdin"], { stdin: "x\n" })
    expect(result.code).toBe(2)
    expect(result.stderr).toContain("--client-id")
  })

  it("login: the printed URL (PKCE S256, state, offline) consents, the loopback stores the grant in a 0600 tokens.db", async () => {
    port = await freePort()
    emu.addApp({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, redirectUris: [`http://127.0.0.1:${port}/callback`] })
    const login = await startEmulatorLogin(["--port", String(port)])
    const url = new URL(login.url)
    expect(url.origin).toBe(emu.baseUrl)
    expect(url.searchParams.get("redirect_uri")).toBe(`http://127.0.0.1:${port}/callback`)
    expect(url.searchParams.get("code_challenge_method")).toBe("S256")
    expect(url.searchParams.get("access_type")).toBe("offline")
    expect(url.searchParams.get("state")?.length).toBeGreaterThanOrEqual(32)
    // The emulator consents by itself and redirects to the loopback, as a browser would follow.
    const page = await fetch(login.url)
    expect(page.status).toBe(200)
    expect(await page.text()).toContain("Logged in")
    const result = await login.done
    expect(result.code).toBe(0)
    expect(result.stdout).toMatch(/Logged in as \d+ \(profile default/)
    expect(mode(NodePath.join(home, "tokens.db"))).toBe(0o600)
    expect(emu.counters().codeExchanges).toBeGreaterThanOrEqual(1)
  })

  it("auth token prints the access token, which the API takes", async () => {
    const result = await run(["auth", "token"])
    expect(result.code).toBe(0)
    accessToken = result.stdout.trim()
    expect(accessToken.length).toBeGreaterThan(10)
    const identity = await fetch(`${emu.baseUrl}/v4/users/me/identity`, { headers: { authorization: `Bearer ${accessToken}` } })
    expect(identity.status).toBe(200)
  })

  it("auth status shows the user, the scopes and the refresh token held, and no token", async () => {
    const text = await run(["auth", "status", "--format", "pretty"])
    expect(text.code).toBe(0)
    expect(text.stdout).toMatch(/user:\s+\d+ \(Fitbit ABC123\)/)
    expect(text.stdout).toContain("refresh token:  held")
    expect(text.stdout).toContain("sleep.readonly")
    const json = await run(["auth", "status", "--format", "json"])
    const status = JSON.parse(json.stdout)
    expect(status).toMatchObject({ profile: "default", legacyUserId: "ABC123", status: "active", refreshToken: true, expired: false })
    // CSV and NDJSON: the status is one row (its scopes a field of it), not the scopes as rows.
    const ndjson = await run(["auth", "status", "--format", "ndjson"])
    expect(ndjson.stdout.trimEnd().split("\n").map((line) => JSON.parse(line))).toEqual([status])
    const csv = await run(["auth", "status", "--format", "csv"])
    const [header, ...rows] = parseCsv(csv.stdout)
    expect(rows).toHaveLength(1)
    expect(rows[0]![header!.indexOf("profile")]).toBe("default")
    expect(rows[0]![header!.indexOf("legacyUserId")]).toBe("ABC123")
    for (const output of [text.stdout, text.stderr, json.stdout, json.stderr, ndjson.stdout, csv.stdout]) expect(output).not.toContain(accessToken)
    const db = Fs.readFileSync(NodePath.join(home, "tokens.db"))
    expect(db.includes(Buffer.from(accessToken))).toBe(true) // stored, where only auth token reads it
  })

  it("a callback with another state is refused: an error page, nothing stored, exit 6", async () => {
    const other = await freePort()
    const login = await startEmulatorLogin(["--port", String(other), "--profile", "wrong-state"])
    const page = await fetch(`http://127.0.0.1:${other}/callback?code=forged&state=not-the-one-issued`)
    expect(page.status).toBe(400)
    expect(await page.text()).toContain("Login refused")
    const result = await login.done
    expect(result.code).toBe(6)
    expect(result.stderr).toContain("state does not match")
    expect((await run(["auth", "status", "--profile", "wrong-state"])).code).toBe(3)
  })

  it("denied consent is refused with exit 6", async () => {
    const other = await freePort()
    emu.addApp({ clientId: "CLI_DENY_APP", clientSecret: CLIENT_SECRET, redirectUris: [`http://127.0.0.1:${other}/callback`] })
    emu.setConsent("deny")
    try {
      const login = await startEmulatorLogin(["--port", String(other), "--profile", "denied"], { GOOGLE_HEALTH_CLIENT_ID: "CLI_DENY_APP" })
      const page = await fetch(login.url)
      expect(page.status).toBe(400)
      expect((await login.done).code).toBe(6)
    } finally {
      emu.setConsent("auto")
    }
  })

  it("login gives up after --timeout with exit 5", async () => {
    const login = await startEmulatorLogin(["--profile", "slow", "--timeout", "1"])
    const result = await login.done
    expect(result.code).toBe(5)
    expect(result.stderr).toContain("within 1 s")
  })

  it("a profile never logged in: status, token and api exit 3", async () => {
    for (const args of [["auth", "status"], ["auth", "token"], ["api", "GET", "users/me/identity"]]) {
      const result = await run([...args, "--profile", "nobody"])
      expect(result.code).toBe(3)
      expect(result.stderr).toContain("fitbit-effect login --profile nobody")
    }
  })

  it("credentials from the environment win over config.json", async () => {
    const result = await run(["auth", "token"], { env: { GOOGLE_HEALTH_CLIENT_ID: "SOMEONE_ELSE" } })
    // The stored token is still valid, so no call is made: the client id only matters on refresh.
    expect(result.code).toBe(0)
    Fs.renameSync(NodePath.join(home, "config.json"), NodePath.join(home, "config.json.bak"))
    try {
      const missing = await run(["auth", "status"])
      expect(missing.code).toBe(7)
      expect(missing.stderr).toContain("fitbit-effect setup")
      const fromEnv = await run(["auth", "status"], { env: { GOOGLE_HEALTH_CLIENT_ID: CLIENT_ID, GOOGLE_HEALTH_CLIENT_SECRET: CLIENT_SECRET } })
      expect(fromEnv.code).toBe(0)
    } finally {
      Fs.renameSync(NodePath.join(home, "config.json.bak"), NodePath.join(home, "config.json"))
    }
  })

  it("a profile's token goes only where it logged in: another base URL exits 7 before anything is sent", async () => {
    emu.resetCounters()
    // Port 1 refuses connections: had the call gone out, it would exit 5 (network).
    for (const args of [["api", "GET", "users/me/identity"], ["auth", "token"], ["show", "steps"]]) {
      const elsewhere = await run([...args, "--base-url", "http://127.0.0.1:1"])
      expect(elsewhere.code, `${args.join(" ")}: ${elsewhere.stderr}`).toBe(7)
      expect(elsewhere.stderr).toContain(`logged in at ${emu.baseUrl}`)
      expect(elsewhere.stderr).toContain("http://127.0.0.1:1")
    }
    // Without any base URL the client is Google's: the emulator's grant is not sent there either.
    Fs.renameSync(NodePath.join(home, "config.json"), NodePath.join(home, "config.json.bak"))
    try {
      const google = await run(["api", "GET", "users/me/identity"], { env: { GOOGLE_HEALTH_CLIENT_ID: CLIENT_ID, GOOGLE_HEALTH_CLIENT_SECRET: CLIENT_SECRET } })
      expect(google.code, google.stderr).toBe(7)
      expect(google.stderr).toContain("would send its token to Google's endpoints")
    } finally {
      Fs.renameSync(NodePath.join(home, "config.json.bak"), NodePath.join(home, "config.json"))
    }
    expect(emu.counters().requests).toBe(0)
  })

  it("without a base URL, login sends the browser to Google's consent page (accounts.google.com), not the API's host", async () => {
    const other = NodePath.join(NodePath.dirname(home), "google-home")
    const login = startCli(["login", "--no-browser", "--timeout", "1"], {
      env: cliEnv(other, { GOOGLE_HEALTH_CLIENT_ID: "1234-abc.apps.googleusercontent.com", GOOGLE_HEALTH_CLIENT_SECRET: "not-a-real-secret" })
    })
    const result = await login.done
    const url = /Open this URL: (\S+)/.exec(result.stderr)?.[1]
    expect(url, result.stderr).toBeDefined()
    expect(new URL(url!).origin + new URL(url!).pathname).toBe("https://accounts.google.com/o/oauth2/v2/auth")
    expect(result.code).toBe(5) // timed out waiting for the browser
    const dryRun = await runCli(["api", "GET", "users/me/identity", "--dry-run"], {
      env: cliEnv(other, { GOOGLE_HEALTH_CLIENT_ID: "1234-abc.apps.googleusercontent.com" })
    })
    expect(dryRun.stdout).toContain("GET https://health.googleapis.com/v4/users/me/identity")
  })

  it("an expired token is refreshed by auth token", async () => {
    emu.expireAccessTokens()
    const result = await run(["auth", "token"])
    expect(result.code).toBe(0)
    // The CLI's clock decides expiry; the emulator refused the old token, so a call with it now fails.
    const old = await fetch(`${emu.baseUrl}/v4/users/me/identity`, { headers: { authorization: `Bearer ${accessToken}` } })
    expect(old.status).toBe(401)
    const api = await run(["api", "GET", "users/me/identity"])
    expect(api.code).toBe(0)
    expect(JSON.parse(api.stdout)).toMatchObject({ legacyUserId: "ABC123" })
  })

  it("logout and revoke ask for --yes (2), then forget the profile (status exits 3)", async () => {
    expect((await run(["auth", "logout"])).code).toBe(2)
    expect((await run(["auth", "revoke"])).code).toBe(2)
    const revoked = await run(["auth", "revoke", "--yes"])
    expect(revoked.code).toBe(0)
    expect(emu.counters().revocations).toBeGreaterThanOrEqual(1)
    expect((await run(["auth", "status"])).code).toBe(3)
    expect((await run(["auth", "logout", "--yes"])).code).toBe(3)
  })
})
