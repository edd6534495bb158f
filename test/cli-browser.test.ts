// `fitbit-effect login` in a real headless browser (Debian's chromium through puppeteer-core) against
// the emulator's HTML consent page, with the emulator's default app (it registers
// http://127.0.0.1:8080/callback; Google's loopback rule lets the CLI listen on any port): Allow →
// the CLI's loopback → a 0600 tokens.db and `auth status`; a callback whose state was changed is
// refused (exit 6) and the browser is told why. Also the emulator's redirect rule itself.
// Skipped only where chromium is absent outside CI (CI installs it: apt-get install -y chromium).
import { startEmulator } from "@fitbit-effect/emulator"
import * as Fs from "node:fs"
import * as Os from "node:os"
import * as NodePath from "node:path"
import puppeteer, { type Browser } from "puppeteer-core"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { cliEnv, runCli, startLogin } from "./fixtures/commandLine.js"

const CHROMIUM = "/usr/bin/chromium"
const hasChromium = Fs.existsSync(CHROMIUM)
const APP = { clientId: "23EMUL", clientSecret: "emulator-client-secret-0123456789abcdef" } // the emulator's default app

let emu: Awaited<ReturnType<typeof startEmulator>>
let root: string
let home: string

const run = (args: ReadonlyArray<string>, stdin?: string) => runCli(args, { env: cliEnv(home), stdin })

/** Starts `login --no-browser` against the emulator, waits for the URL it prints on stderr. */
const startEmulatorLogin = () => startLogin(["--base-url", emu.baseUrl], { env: cliEnv(home) })

const authorize = (redirectUri: string) =>
  fetch(`${emu.baseUrl}/o/oauth2/v2/auth?${new URLSearchParams({
    client_id: APP.clientId,
    redirect_uri: redirectUri,
    response_type: "code",
    scope: "https://www.googleapis.com/auth/googlehealth.sleep.readonly",
    state: "s"
  })}`, { redirect: "manual" })

beforeAll(async () => {
  emu = await startEmulator({ seed: "cli-browser", clock: { start: "2026-11-25T08:00:00Z" } })
  root = Fs.mkdtempSync(NodePath.join(Os.tmpdir(), "fitbit-effect-cli-browser-"))
  home = NodePath.join(root, "home")
})

afterAll(async () => {
  await emu?.close()
  if (root !== undefined) Fs.rmSync(root, { recursive: true, force: true })
})

describe("the emulator's Google redirect rule (loopback: any port)", () => {
  it("accepts the registered loopback redirect on another port, refuses another path, another host and a non-loopback URI", async () => {
    emu.setConsent("auto")
    const otherPort = await authorize("http://127.0.0.1:54321/callback")
    expect(otherPort.status).toBe(302)
    expect(otherPort.headers.get("location")).toMatch(/^http:\/\/127\.0\.0\.1:54321\/callback\?code=/)
    for (const refused of ["http://127.0.0.1:8080/other", "http://localhost:8080/callback", "https://127.0.0.1:8080/callback", "http://example.com:8080/callback", "http://example.com:9999/callback"]) {
      const answer = await authorize(refused)
      expect(answer.status, refused).toBe(400)
      expect(await answer.json()).toMatchObject({ error: "redirect_uri_mismatch" })
    }
    emu.addApp({ clientId: "WEB_APP", clientSecret: "web-secret-0123456789", redirectUris: ["https://app.example/callback"] })
    const web = await fetch(`${emu.baseUrl}/o/oauth2/v2/auth?${new URLSearchParams({
      client_id: "WEB_APP",
      redirect_uri: "https://app.example:8443/callback",
      response_type: "code",
      scope: "https://www.googleapis.com/auth/googlehealth.sleep.readonly"
    })}`, { redirect: "manual" })
    expect(web.status).toBe(400)
  })
})

describe.skipIf(!hasChromium && process.env.CI !== "true")("fitbit-effect login in headless chromium", () => {
  let browser: Browser

  beforeAll(async () => {
    const setup = await run(["setup", "--client-id", APP.clientId, "--client-secret-stdin", "--base-url", emu.baseUrl], `${APP.clientSecret}\n`)
    expect(setup.code).toBe(0)
    browser = await puppeteer.launch({ executablePath: CHROMIUM, args: ["--no-sandbox", "--headless=new"] })
  }, 60_000)

  afterAll(async () => {
    await browser?.close()
  })

  it("Allow on the consent page: chromium follows the redirect to the CLI's loopback, the grant is stored 0600, auth status shows it", async () => {
    emu.setConsent("page")
    const login = await startEmulatorLogin()
    const page = await browser.newPage()
    await page.goto(login.url)
    await page.waitForSelector("#allow")
    await Promise.all([page.waitForNavigation(), page.click("#allow")])
    expect(page.url()).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/callback\?/)
    expect(await page.$eval("#title", (e) => e.textContent)).toBe("Logged in")
    const result = await login.done
    expect(result.code).toBe(0)
    expect(result.stdout).toMatch(/Logged in as \d+ \(profile default/)
    const tokens = NodePath.join(home, "tokens.db")
    expect(Fs.statSync(tokens).mode & 0o777).toBe(0o600)
    const status = await run(["auth", "status", "--format", "json"])
    expect(status.code).toBe(0)
    expect(JSON.parse(status.stdout)).toMatchObject({ profile: "default", status: "active" })
    await page.close()
  }, 90_000)

  it("a callback whose state was changed: the CLI refuses it (exit 6), the browser page says why", async () => {
    emu.setConsent("page")
    const login = await startEmulatorLogin()
    const page = await browser.newPage()
    const redirectUri = new URL(login.url).searchParams.get("redirect_uri")!
    // Catch the real callback before it reaches the CLI, then send the browser there with another state.
    let real: string | undefined
    await page.setRequestInterception(true)
    page.on("request", (request) => {
      if (real === undefined && request.url().startsWith(redirectUri)) {
        real = request.url()
        void request.respond({ status: 200, contentType: "text/plain", body: "held" })
      } else void request.continue()
    })
    await page.goto(login.url)
    await page.waitForSelector("#allow")
    await Promise.all([page.waitForNavigation(), page.click("#allow")])
    expect(real).toBeDefined()
    const forged = new URL(real!)
    expect(forged.searchParams.get("code")).not.toBeNull()
    forged.searchParams.set("state", "a-state-this-login-never-issued-0123456789")
    const answer = await page.goto(forged.toString())
    expect(answer?.status()).toBe(400)
    expect(await page.$eval("#title", (e) => e.textContent)).toBe("Login refused")
    expect(await page.$eval("#message", (e) => e.textContent)).toContain("state does not match")
    const result = await login.done
    expect(result.code).toBe(6)
    expect(result.stderr).toContain("state does not match")
    await page.close()
  }, 90_000)
})
