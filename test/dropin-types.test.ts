// Issue 19, part 3: the fitbit-node drop-in's declarations are self-contained. A consumer with only
// the drop-in's files (no effect, no @effect/platform, no core anywhere up the tree) type-checks
// with --strict and without --skipLibCheck, gets real types (not any), and a wrong option fails.
// (test/fixtures/dropin/conformance.ts keeps the declarations in step with the class.)
import { execFileSync } from "node:child_process"
import * as fs from "node:fs"
import { createRequire } from "node:module"
import * as os from "node:os"
import { join } from "node:path"
import { afterAll, describe, expect, it } from "vitest"

const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc")
const dist = join(__dirname, "..", "packages", "node", "dist")
const project = fs.mkdtempSync(join(os.tmpdir(), "fitbit-dropin-types-"))
afterAll(() => fs.rmSync(project, { recursive: true, force: true }))

const install = () => {
  const target = join(project, "node_modules", "@fitbit-effect", "node")
  fs.mkdirSync(join(target, "dist"), { recursive: true })
  for (const file of fs.readdirSync(dist).filter((f) => f.startsWith("fitbit-node") && f.includes(".d."))) {
    fs.copyFileSync(join(dist, file), join(target, "dist", file))
  }
  const pkg = JSON.parse(fs.readFileSync(join(dist, "..", "package.json"), "utf8"))
  fs.writeFileSync(join(target, "package.json"), JSON.stringify({ name: pkg.name, version: pkg.version, type: "module", exports: { "./fitbit-node": pkg.exports["./fitbit-node"] } }))
  fs.writeFileSync(join(project, "package.json"), JSON.stringify({ name: "consumer", private: true, type: "module" }))
}

const compile = (name: string, source: string): string => {
  fs.writeFileSync(join(project, name), source)
  try {
    execFileSync(process.execPath, [tsc, "--noEmit", "--strict", "--module", "nodenext", "--moduleResolution", "nodenext", "--target", "es2022", name], { cwd: project, encoding: "utf8", stdio: "pipe" })
    return ""
  } catch (error) {
    return String((error as { stdout?: string }).stdout ?? error)
  }
}

describe("the drop-in's declarations stand alone", () => {
  install()
  it("ESM and CommonJS consumers compile strictly, without skipLibCheck, with nothing else installed", () => {
    const esm = `import FitbitApiClient from "@fitbit-effect/node/fitbit-node"
const client = new FitbitApiClient({ clientId: "23ABCD", clientSecret: "secret", timeout: "10 seconds", retry: { maxRetries: 2 } })
export const url: string = client.getAuthorizeUrl("activity profile", "https://app.example/cb")
export const call = async () => {
  const [body, response] = await client.get("/profile.json", "token")
  const status: number = response.statusCode
  const remaining: number | undefined = response.rateLimit?.remaining
  const token = await client.refreshAccessToken("a", "r")
  const expires: Date = token.expires_at
  return { body, status, remaining, expires }
}
`
    expect(compile("esm.mts", esm)).toBe("")
    const cjs = `import FitbitApiClient = require("@fitbit-effect/node/fitbit-node")
const client = new FitbitApiClient("23ABCD", "secret")
export const backend: "fitbit" | "google-health" = client.backend
`
    expect(compile("cjs.cts", cjs)).toBe("")
  })

  it("the types are real: a wrong option or result type is a compile error, not any", () => {
    const bad = `import FitbitApiClient from "@fitbit-effect/node/fitbit-node"
new FitbitApiClient({ clientId: "23ABCD", timeout: "soon" })
const client = new FitbitApiClient("23ABCD")
export const n: number = client.getAuthorizeUrl("activity", "https://app.example/cb")
`
    const output = compile("bad.mts", bad)
    expect(output).toContain("bad.mts(2,")
    expect(output).toContain("timeout")
    expect(output).toContain("bad.mts(4,")
    expect(output).not.toContain("TS2307") // nothing it imports is missing
  })
})
