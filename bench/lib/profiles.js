// The small-call profile of each client, kept in the bench's output so that a regression names its
// cause: each client runs alone (bench/profile.js: its own server process, c=64), profiled after
// its warm-up, and the functions with the most self time are kept, by name and file (idle time
// left out).
import { execFileSync } from "node:child_process"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { heaviest } from "./summarise-profile.js"

/** Profiles each client for `requests` calls at c=64 after a warm-up; answers `{ [key]: { rows: [{ percent, name }], error? } }`. */
export const measureProfiles = ({ here, keys, requests, rows = 8 }) => {
  const out = {}
  for (const key of keys) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `fitbit-effect-profile-${key}-`))
    try {
      const file = path.join(dir, `${key}.cpuprofile`)
      execFileSync(process.execPath, [path.join(here, "profile.js"), key, "64", String(requests), `--profile-out=${file}`], {
        cwd: here,
        stdio: ["ignore", "ignore", "pipe"],
        timeout: 300_000
      })
      out[key] = { rows: heaviest(JSON.parse(fs.readFileSync(file, "utf8")), rows, ["(idle)"]).self }
    } catch (error) {
      out[key] = { rows: [], error: String(error.message ?? error).split("\n")[0] }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true })
    }
  }
  return out
}
