#!/usr/bin/env node
// The README's "Command line" session, run for real: every `$ …` line of the first ```console block
// under "## Command line", each in a terminal of its own (tmux, 100 columns), against the emulator its
// first line starts (`fitbit-effect emulator --port 8787`: on a free port here, named 8787 in the
// README). `fitbit-effect login --no-browser` gets its consent as a browser would give it: this script
// opens the URL the command prints. Every command must exit 0.
//
//   node scripts/cli-transcript.mjs [--bin-dir DIR] [--write]
//
// --bin-dir: where `fitbit-effect` is (the consumer check passes the bin of a global npm install);
//            default: this checkout's build (packages/cli/dist/bin.js).
// --write:   puts each command's screen into the README under its line (real output, the port
//            and temporary paths named as a user would see them).
import { execFileSync } from "node:child_process"
import * as fs from "node:fs"
import * as net from "node:net"
import * as os from "node:os"
import * as path from "node:path"

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..")
const readmeFile = path.join(root, "README.md")
const args = process.argv.slice(2)
const write = args.includes("--write")
const binDirArg = args.indexOf("--bin-dir")
const README_PORT = "8787"
const COLUMNS = 100

/** The session block: its `$` lines and the output lines under each, and where it sits in the README. */
const parseSession = (readme) => {
  const heading = readme.indexOf("\n## Command line\n")
  if (heading < 0) throw new Error("README has no \"## Command line\" section")
  const open = readme.indexOf("```console\n", heading)
  const next = readme.indexOf("\n## ", heading + 1)
  if (open < 0 || (next >= 0 && open > next)) throw new Error("README's Command line section has no ```console block")
  const start = open + "```console\n".length
  const end = readme.indexOf("```", start)
  const steps = []
  for (const line of readme.slice(start, end).split("\n")) {
    if (line.startsWith("$ ")) steps.push({ command: line.slice(2), output: [] })
    else if (line !== "" || steps.length > 0) steps.at(-1)?.output.push(line)
  }
  return { steps, start, end }
}

const freePort = () =>
  new Promise((resolve) => {
    const server = net.createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address()
      server.close(() => resolve(port))
    })
  })

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))
const tmux = (...a) => execFileSync("tmux", a, { encoding: "utf8" })
const quote = (s) => `'${s.replace(/'/g, "'\\''")}'`

try {
  execFileSync("tmux", ["-V"], { stdio: "ignore" })
} catch {
  console.error("cli transcript: needs tmux, a terminal for each command (Debian: apt-get install tmux; .ci/run installs it)")
  process.exit(1)
}

const work = fs.mkdtempSync(path.join(os.tmpdir(), "fitbit-effect-transcript-"))
let binDir = binDirArg >= 0 ? path.resolve(args[binDirArg + 1]) : undefined
if (binDir === undefined) {
  binDir = path.join(work, "bin")
  fs.mkdirSync(binDir)
  const bin = path.join(root, "packages", "cli", "dist", "bin.js")
  if (!fs.existsSync(bin)) throw new Error("packages/cli is not built (pnpm build)")
  fs.writeFileSync(path.join(binDir, "fitbit-effect"), `#!/bin/sh\nexec ${quote(process.execPath)} ${quote(bin)} "$@"\n`, { mode: 0o755 })
}
const home = path.join(work, "home")
const cwd = path.join(work, "project")
fs.mkdirSync(home)
fs.mkdirSync(cwd)
const env = {
  PATH: `${binDir}:${path.dirname(process.execPath)}:/usr/local/bin:/usr/bin:/bin`,
  HOME: home,
  TERM: "xterm-256color",
  NO_COLOR: "1",
  LANG: "C.UTF-8",
  LC_ALL: "C.UTF-8"
}
const envLine = Object.entries(env).map(([k, v]) => `${k}=${quote(v)}`).join(" ")
const session = `fitbit-effect-transcript-${process.pid}`
let windows = 0

/** The screen of a tmux window, wrapped lines joined, from the start of its history. */
const screenOf = (target) => tmux("capture-pane", "-p", "-J", "-S", "-", "-t", target).replace(/\s+$/, "")

/**
 * Runs a shell line in a new tmux window of COLUMNS columns; `onScreen` sees the screen as it
 * changes; answers the screen and the exit code once the command has ended.
 */
const runInTerminal = async (line, { onScreen, background = false, ready } = {}) => {
  const name = `w${windows++}`
  const script = `cd ${quote(cwd)} && env ${envLine} sh -c ${quote(line)}; echo "[exit $?]"; sleep 600`
  if (windows === 1) tmux("new-session", "-d", "-s", session, "-n", name, "-x", String(COLUMNS), "-y", "50", script)
  else tmux("new-window", "-d", "-t", session, "-n", name, script)
  const target = `${session}:${name}`
  const deadline = Date.now() + 180_000
  for (;;) {
    const screen = screenOf(target)
    await onScreen?.(screen)
    const ended = /\[exit (\d+)\]\s*$/.exec(screen)
    if (ended !== null) return { screen: screen.slice(0, ended.index).replace(/\s+$/, ""), code: Number(ended[1]), target }
    if (background && ready(screen)) return { screen, code: 0, target }
    if (Date.now() > deadline) throw new Error(`no end within 180 s: ${line}\n${screen}`)
    await sleep(100)
  }
}

const readme = fs.readFileSync(readmeFile, "utf8")
const { steps, start, end } = parseSession(readme)
if (steps.length === 0 || !steps[0].command.startsWith("fitbit-effect emulator ")) {
  throw new Error("the Command line session must start with `$ fitbit-effect emulator --port 8787 …`")
}
const port = String(await freePort())
const local = (command) => command.replaceAll(`127.0.0.1:${README_PORT}`, `127.0.0.1:${port}`).replace(`--port ${README_PORT}`, `--port ${port}`)
/** A screen as the README shows it: the README's port, no temporary directory, no trailing blanks. */
const asReadme = (screen) =>
  screen.replaceAll(`127.0.0.1:${port}`, `127.0.0.1:${README_PORT}`).replaceAll(home, "~").replaceAll(cwd, ".").replace(/[ \t]+$/gm, "")

const results = []
let failed = false
try {
  for (const [i, step] of steps.entries()) {
    const command = local(step.command)
    let consented = false
    const result = i === 0
      ? await runInTerminal(command, { background: true, ready: (screen) => screen.includes("Ctrl-C stops it.") })
      : await runInTerminal(command, {
        // The browser's part of `login --no-browser`: open the printed URL, follow it to the loopback.
        onScreen: async (screen) => {
          const url = /Open this URL: (\S+)/.exec(screen)
          if (url === null || consented) return
          consented = true
          const answer = await fetch(url[1])
          if (!answer.ok) throw new Error(`the consent URL answered ${answer.status}`)
        }
      })
    results.push({ command: step.command, screen: asReadme(result.screen), code: result.code })
    console.log(`cli transcript: $ ${step.command} → exit ${result.code}`)
    if (result.code !== 0) {
      failed = true
      console.error(result.screen)
    }
  }
} finally {
  try {
    tmux("kill-session", "-t", session)
  } catch {
    // already gone
  }
  fs.rmSync(work, { recursive: true, force: true })
}
if (failed) process.exit(1)
if (write) {
  const block = results.map((r) => `$ ${r.command}\n${r.screen === "" ? "" : `${r.screen}\n`}`).join("")
  fs.writeFileSync(readmeFile, readme.slice(0, start) + block + readme.slice(end))
  console.log(`cli transcript: README.md's session written (${results.length} commands)`)
}
