// Issue 18, class 4: a FileTokenStore file shared by OS processes. Each read-modify-write holds
// a lock file across processes, so no write is lost: two processes × 40 users each save and then
// rotate every grant, and the file ends with all 80 users at revision 2. A process killed while
// holding the lock does not block the others.
import { execFile, spawn } from "node:child_process"
import * as fs from "node:fs"
import * as os from "node:os"
import { join } from "node:path"
import { promisify } from "node:util"
import { afterEach, describe, expect, it } from "vitest"

const root = join(__dirname, "..")
const worker = join(root, "test", "fixtures", "file-store-worker.mjs")
const dirs: Array<string> = []
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true })
})
const tempFile = () => {
  const dir = fs.mkdtempSync(join(os.tmpdir(), "fitbit-file-store-"))
  dirs.push(dir)
  return join(dir, "tokens.json")
}

const run = async (env: Record<string, string>) => {
  const { stdout } = await promisify(execFile)(process.execPath, [worker], { cwd: join(root, "test"), env: { ...process.env, ...env }, timeout: 60_000 })
  return JSON.parse(stdout.trim().split("\n").pop()!) as { ok: number; failed: number; refused: number; firstFailure?: string }
}

describe("FileTokenStore shared by OS processes", () => {
  it("2 processes × 40 users, saved then rotated concurrently: every write kept, 80 grants at revision 2", async () => {
    const file = tempFile()
    const startAt = String(Date.now() + 400)
    const results = await Promise.all(["p1", "p2"].map((prefix) => run({ FILE: file, PREFIX: prefix, COUNT: "40", START_AT: startAt })))
    for (const result of results) expect(result).toMatchObject({ ok: 80, failed: 0, refused: 0 })
    const grants = JSON.parse(fs.readFileSync(file, "utf8")).grants as Record<string, { revision: number; tokens: { refreshToken: string } }>
    expect(Object.keys(grants)).toHaveLength(80)
    for (const [user, grant] of Object.entries(grants)) {
      expect(grant.revision).toBe(2)
      expect(grant.tokens.refreshToken).toBe(`refresh-${user}-2`)
    }
    expect(fs.existsSync(`${file}.lock`)).toBe(false)
    expect(fs.statSync(file).mode & 0o777).toBe(0o600)
    console.log(`FileTokenStore: 2 processes × 40 users → ${Object.keys(grants).length} grants kept, ${results.reduce((n, r) => n + r.failed, 0)} failed writes`)
  })

  it("a process killed (SIGKILL) while holding the lock does not block the others", async () => {
    const file = tempFile()
    const holder = spawn(process.execPath, [worker], { env: { ...process.env, FILE: file, MODE: "hold-lock" }, stdio: ["ignore", "pipe", "inherit"] })
    await new Promise<void>((resolve) => holder.stdout.once("data", () => resolve()))
    expect(fs.existsSync(`${file}.lock`)).toBe(true)
    holder.kill("SIGKILL")
    await new Promise((resolve) => holder.once("exit", resolve))
    const result = await run({ FILE: file, PREFIX: "after", COUNT: "5", START_AT: "0" })
    expect(result).toMatchObject({ ok: 10, failed: 0 })
    expect(Object.keys(JSON.parse(fs.readFileSync(file, "utf8")).grants)).toHaveLength(5)
  })
})
