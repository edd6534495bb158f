// The command line's cold start: `fitbit-effect --help` and `fitbit-effect api GET users/me/profile`
// (a logged-in profile, the emulator answering) in fresh processes of the built CLI, as a user's
// shell starts them; `node -e ""` for the floor. Medians of wall time, spawn to exit.
import { startEmulator } from "@fitbit-effect/emulator"
import { spawn } from "node:child_process"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { performance } from "node:perf_hooks"
import { median } from "./coldstart.js"

const CLIENT_ID = "bench-cli-app"
const CLIENT_SECRET = "bench-cli-secret-0123456789"


/** Runs `node args` to its exit (asynchronously: the emulator answers from this process). */
const run = (args, env, { stdin, onStderr } = {}) =>
  new Promise((resolve, reject) => {
    const start = performance.now()
    const child = spawn(process.execPath, args, { env, stdio: ["pipe", "pipe", "pipe"] })
    let stdout = ""
    let stderr = ""
    child.stdout.on("data", (chunk) => (stdout += chunk))
    child.stderr.on("data", (chunk) => {
      stderr += chunk
      onStderr?.(stderr)
    })
    child.on("error", reject)
    child.on("close", (code) => {
      const wallMs = performance.now() - start
      if (code !== 0) reject(new Error(`node ${args.join(" ")} exited ${code}: ${stderr.slice(0, 500)}`))
      else resolve({ stdout, stderr, wallMs })
    })
    child.stdin.end(stdin ?? "")
  })

/** `setup` and `login` (the emulator consents; this process follows the redirect as a browser would). */
const logIn = async (bin, env, baseUrl) => {
  await run([bin, "setup", "--client-id", CLIENT_ID, "--client-secret-stdin", "--base-url", baseUrl], env, { stdin: `${CLIENT_SECRET}\n` })
  let consented = false
  await run([bin, "login", "--no-browser", "--timeout", "60"], env, {
    onStderr: (stderr) => {
      const found = /Open this URL: (\S+)/.exec(stderr)
      if (found === null || consented) return
      consented = true
      void (async () => {
        const consent = await fetch(found[1], { redirect: "manual" })
        const callback = consent.headers.get("location")
        if (callback === null) throw new Error(`the emulator's consent answered ${consent.status} without a redirect`)
        await (await fetch(callback)).text()
      })()
    }
  })
}

/**
 * Cold start of the built CLI (`packages/cli/dist/bin.js` under `root`): `runs` fresh processes per
 * command, round-robin; answers the medians, or `{ skipped }` when the CLI is not built.
 */
export const measureCli = async ({ root, runs }) => {
  const bin = path.join(root, "packages", "cli", "dist", "bin.js")
  if (!fs.existsSync(bin)) return { skipped: "packages/cli is not built (pnpm build)" }
  const home = fs.mkdtempSync(path.join(os.tmpdir(), "fitbit-effect-bench-cli-"))
  const emulator = await startEmulator({ seed: "bench-cli" })
  try {
    emulator.addApp({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, redirectUris: ["http://127.0.0.1:8080/callback"] })
    const env = { PATH: process.env.PATH, HOME: home, FITBIT_EFFECT_HOME: path.join(home, "fitbit-effect"), NO_COLOR: "1" }
    await logIn(bin, env, emulator.baseUrl)
    const commands = [
      { key: "node", label: "node -e \"\" (the floor)", args: ["-e", ""] },
      { key: "help", label: "fitbit-effect --help", args: [bin, "--help"] },
      { key: "api", label: "fitbit-effect api GET users/me/profile (emulator)", args: [bin, "api", "GET", "users/me/profile", "--format", "json"] }
    ]
    const samples = commands.map(() => [])
    for (let i = 0; i < runs; i++) {
      for (const [c, command] of commands.entries()) {
        const result = await run(command.args, env)
        if (command.key === "api" && !/^users\/\d+\/profile$/.test(JSON.parse(result.stdout).name)) {
          throw new Error(`fitbit-effect api answered ${result.stdout.slice(0, 200)}`)
        }
        samples[c].push(result.wallMs)
      }
    }
    return { runs, rows: commands.map((command, c) => ({ key: command.key, label: command.label, wallMs: median(samples[c]) })) }
  } finally {
    await emulator.close()
    fs.rmSync(home, { recursive: true, force: true })
  }
}
