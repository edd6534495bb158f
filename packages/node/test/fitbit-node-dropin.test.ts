/**
 * The package's built output as fitbit-node users load it: `require("@fitbit-effect/node/fitbit-node")`
 * answers the class itself, `import` its default export, and fitbit-node's own example.js
 * (only the require line changed) runs its authorize → getAccessToken → get("/profile.json")
 * flow against a recording mock.
 *
 * Each check runs in a fresh Node process on `dist`. `pnpm test` builds first; when the
 * package's sources are newer than its `dist` (or a `dist` is missing), `beforeAll` rebuilds.
 */
import { execFileSync } from "node:child_process"
import { existsSync, readdirSync, statSync } from "node:fs"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { beforeAll, describe, expect, it } from "@effect/vitest"

const packageDir = fileURLToPath(new URL("..", import.meta.url))
const fixtures = join(packageDir, "test", "fixtures")
const coreDir = join(packageDir, "..", "core")

const newestIn = (dir: string): number =>
  readdirSync(dir, { withFileTypes: true }).reduce(
    (newest, entry) =>
      Math.max(newest, entry.isDirectory() ? newestIn(join(dir, entry.name)) : statSync(join(dir, entry.name)).mtimeMs),
    0
  )

const builtFiles = ["index.cjs", "index.js", "index.d.cts", "fitbit-node.cjs", "fitbit-node.js", "fitbit-node.d.cts", "fitbit-node.bundle.cjs", "fitbit-node.bundle.js"]

const isStale = (): boolean => {
  if (!existsSync(join(coreDir, "dist", "index.cjs"))) return true
  if (builtFiles.some((file) => !existsSync(join(packageDir, "dist", file)))) return true
  const built = Math.min(...builtFiles.map((file) => statSync(join(packageDir, "dist", file)).mtimeMs))
  return Math.max(newestIn(join(packageDir, "src")), newestIn(join(packageDir, "shims"))) > built
}

/** Runs a fixture in a fresh Node process and parses the JSON line it prints. */
const runNode = (args: ReadonlyArray<string>, env: Record<string, string> = {}): any => {
  const out = execFileSync(process.execPath, args, {
    cwd: packageDir,
    env: { ...process.env, ...env },
    encoding: "utf8",
    timeout: 20_000
  })
  return JSON.parse(out.trim().split("\n").pop()!)
}

const runExample = (scenario: string) =>
  runNode([join(fixtures, "run-example.cjs"), scenario], { NODE_PATH: join(fixtures, "modules") })

beforeAll(() => {
  if (isStale()) {
    execFileSync("pnpm", ["--filter", "@fitbit-effect/node...", "build"], { cwd: packageDir, stdio: "ignore" })
  }
}, 120_000)

describe("built CommonJS and ESM entries", () => {
  it("require() of the fitbit-node subpath answers the class itself", () => {
    expect(runNode([join(fixtures, "require-check.cjs")])).toEqual({
      type: "function",
      name: "FitbitApiClient",
      selfContained: true,
      sameAnswersAsNamed: true,
      layer: "function",
      url: "https://api.fitbit.com/1.2/user/-/profile.json"
    })
  })

  it("import of the fitbit-node subpath answers the class as its default export", () => {
    expect(runNode([join(fixtures, "import-check.mjs")])).toEqual({
      type: "function",
      name: "FitbitApiClient",
      selfContained: true,
      sameAnswersAsNamed: true,
      layer: "function",
      url: "https://api.fitbit.com/1.2/user/-/profile.json"
    })
  })
})

describe("fitbit-node's example.js, only the require line changed", () => {
  it("redirects to the authorize URL, exchanges the code and sends the profile", () => {
    const result = runExample("ok")
    expect(result.port).toBe(3000)
    expect(result.authorize).toEqual({
      status: 302,
      location: "https://www.fitbit.com/oauth2/authorize?response_type=code&client_id=YOUR_CLIENT_ID" +
        "&scope=activity%20heartrate%20location%20nutrition%20profile%20settings%20sleep%20social%20weight" +
        "&redirect_uri=YOUR_CALLBACK_URL"
    })
    expect(result.callback).toEqual({
      status: 200,
      body: { user: { encodedId: "ABC123", displayName: "Ada", age: 36, locale: "en_GB" } }
    })
    const [exchange, profile] = result.requests
    expect(result.requests).toHaveLength(2)
    expect(exchange.method).toBe("POST")
    expect(exchange.url).toBe("https://api.fitbit.com/oauth2/token")
    expect(exchange.headers.authorization).toBe(
      "Basic " + Buffer.from("YOUR_CLIENT_ID:YOUR_CLIENT_SECRET").toString("base64")
    )
    expect(Object.fromEntries(new URLSearchParams(exchange.body))).toEqual({
      grant_type: "authorization_code",
      code: "CODE123",
      redirect_uri: "YOUR_CALLBACK_URL",
      client_id: "YOUR_CLIENT_ID"
    })
    expect(profile.method).toBe("GET")
    expect(profile.url).toBe("https://api.fitbit.com/1.2/user/-/profile.json")
    expect(profile.headers.authorization).toMatch(/^Bearer eyJ/)
  })

  it("a rejected code reaches the example's catch as {status, message, context}", () => {
    const result = runExample("bad-code")
    expect(result.callback).toEqual({
      status: 400,
      body: {
        name: "Error",
        status: 400,
        message: "Bad Request",
        context: { errors: [{ errorType: "invalid_grant", message: "Authorization code invalid" }], success: false }
      }
    })
    expect(result.requests).toHaveLength(1)
  })

  it("a 401 from the API resolves like fitbit-node: the example sends the error body", () => {
    const result = runExample("expired")
    expect(result.callback).toEqual({
      status: 200,
      body: { errors: [{ errorType: "expired_token", message: "Access token expired" }], success: false }
    })
  })
})
