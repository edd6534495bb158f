// Issue 19, part 2: each SQL driver is optional on its own. With one of them not installed
// (a Node resolve hook makes it unresolvable), the other store works, and asking for the missing
// one fails with InvalidInput naming the package to install and keeping the loader's reason.
// A new SQLite file is created 0600.
import { execFile } from "node:child_process"
import * as fs from "node:fs"
import * as os from "node:os"
import { join } from "node:path"
import { promisify } from "node:util"
import { afterEach, describe, expect, it } from "vitest"

const fixtures = join(__dirname, "fixtures")
const dirs: Array<string> = []
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true })
})

const check = async (block: string, store: Record<string, string>) => {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ["--import", join(fixtures, "block-modules.mjs"), join(fixtures, "sql-driver-check.mjs")],
    { cwd: __dirname, env: { ...process.env, BLOCK_MODULES: block, STORE: JSON.stringify(store) }, timeout: 30_000 }
  )
  return JSON.parse(stdout.trim().split("\n").pop()!) as { ok: boolean; status?: string; tag?: string; message?: string; mode?: string }
}

const tempDb = () => {
  const dir = fs.mkdtempSync(join(os.tmpdir(), "fitbit-sql-driver-"))
  dirs.push(dir)
  return join(dir, "tokens.db")
}

describe("SQL drivers are optional on their own", () => {
  it("without @effect/sql-pg: the SQLite store works, its file is 0600", async () => {
    const result = await check("@effect/sql-pg", { sqlite: tempDb() })
    expect(result).toMatchObject({ ok: true, status: "active", mode: "600" })
  })

  it("a SQLite file in directories that do not exist yet: they are created 0700, the file 0600", async () => {
    const result = await check("@effect/sql-pg", { sqlite: join(tempDb(), "..", "var", "db", "tokens.db") })
    expect(result).toEqual({ ok: true, status: "active", mode: "600", dirMode: "700" })
  })

  it("without @effect/sql-pg: a Postgres store fails with InvalidInput naming the package and the reason", async () => {
    const result = await check("@effect/sql-pg", { postgres: "postgres://127.0.0.1:9/none" })
    expect(result.ok).toBe(false)
    expect(result.tag).toBe("InvalidInput")
    expect(result.message).toContain("npm install @effect/sql-pg@^0.53")
    expect(result.message).toContain("Cannot find package '@effect/sql-pg")
  })

  it("without @effect/sql-sqlite-node: a SQLite store fails naming @effect/sql-sqlite-node", async () => {
    const result = await check("@effect/sql-sqlite-node", { sqlite: tempDb() })
    expect(result).toMatchObject({ ok: false, tag: "InvalidInput" })
    expect(result.message).toContain("npm install @effect/sql-sqlite-node@^0.53")
  })
})
