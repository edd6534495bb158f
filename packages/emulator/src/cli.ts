/**
 * `fitbit-emulator [--port 8787] [--host 127.0.0.1] [--seed s] [--consent page|auto|deny]
 * [--rate-limit 150] [--now 2026-11-25T08:00:00Z]`: runs the emulator until interrupted.
 *
 * @since 0.1.0
 */
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import * as Emulator from "./Emulator.js"
import type { ConsentMode } from "./EmulatorState.js"

const USAGE = `usage: fitbit-emulator [--port 8787] [--host 127.0.0.1] [--seed <text>] [--consent page|auto|deny]
                       [--rate-limit <per hour>] [--now <ISO date-time, freezes the clock>]`

/**
 * Parses the command line into emulator options; throws with the usage on bad input.
 *
 * @since 0.1.0
 * @category decoding
 */
export const parseArgs = (argv: ReadonlyArray<string>): Emulator.EmulatorOptions => {
  const options: { -readonly [K in keyof Emulator.EmulatorOptions]: Emulator.EmulatorOptions[K] } = { consent: "page" }
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!
    const value = argv[i + 1]
    const need = () => {
      if (value === undefined) throw new Error(`${flag} needs a value\n${USAGE}`)
      i++
      return value
    }
    switch (flag) {
      case "--port": {
        const port = Number(need())
        if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`bad port\n${USAGE}`)
        options.port = port
        break
      }
      case "--host":
        options.host = need()
        break
      case "--seed":
        options.seed = need()
        break
      case "--consent": {
        const mode = need()
        if (mode !== "page" && mode !== "auto" && mode !== "deny") throw new Error(`bad consent mode\n${USAGE}`)
        options.consent = mode as ConsentMode
        break
      }
      case "--rate-limit": {
        const n = Number(need())
        if (!Number.isInteger(n) || n < 0) throw new Error(`bad rate limit\n${USAGE}`)
        options.rateLimitPerHour = n
        break
      }
      case "--now": {
        const start = need()
        if (Number.isNaN(Date.parse(start))) throw new Error(`--now: "${start}" is not a date-time such as 2026-11-25T08:00:00Z\n${USAGE}`)
        options.clock = { start, frozen: true }
        break
      }
      case "--help":
      case "-h":
        throw new Error(USAGE)
      default:
        throw new Error(`unknown option ${flag}\n${USAGE}`)
    }
  }
  return options
}

/**
 * What the emulator prints when it starts: where each backend answers, and which client id
 * serves which (the confidential app is Fitbit's server app and Google's OAuth client at once).
 *
 * @since 0.1.0
 * @category formatting
 */
export const banner = (emulator: Emulator.EmulatorHandle, consent: ConsentMode): Array<string> => {
  const base = emulator.baseUrl
  const { clientId, clientSecret, redirectUri } = emulator.defaultApp
  return [
    `Fitbit and Google Health emulator listening at ${base}`,
    `  Fitbit Web API:    ${base}/1/user/-/…  OAuth ${base}/oauth2/authorize, ${base}/oauth2/token`,
    `  Google Health API: ${base}/v4/…  OAuth ${base}/o/oauth2/v2/auth, ${base}/token`,
    `  confidential app: client id ${clientId}, secret ${clientSecret}`,
    `    serves both backends: the Fitbit "server" app (Basic auth) and the Google OAuth client (client_secret)`,
    `  public app: client id ${emulator.publicApp.clientId}, no secret, PKCE required`,
    `    serves both backends: the Fitbit "client" app and a Google client without a secret`,
    `  redirect URI: ${redirectUri}; user ${emulator.defaultUser.userId}; consent: ${consent}`
  ]
}

const main = Effect.gen(function*() {
  const options = yield* Effect.try({ try: () => parseArgs(process.argv.slice(2)), catch: (e) => e as Error })
  const emulator = yield* Emulator.start(options)
  for (const line of banner(emulator, options.consent ?? "auto")) console.log(line)
  console.log(`  controls: ${emulator.baseUrl}/__emulator (answered to this machine's scripts and tests only, never to web pages)`)
  const bound = new URL(emulator.baseUrl).hostname
  if (!["127.0.0.1", "localhost", "[::1]"].includes(bound)) {
    console.log(`  warning: listening on ${bound}, beyond this machine. The emulator is a test tool: whoever reaches this address`)
    console.log(`  can sign in as its users, read the default app's secret and move its clock. Use --host 127.0.0.1 unless that is what you want.`)
  }
  return yield* Effect.never
}).pipe(
  Effect.scoped,
  // Every failure, a defect included, is one line saying what happened and what to do.
  Effect.tapErrorCause((cause) => Effect.sync(() => console.error(`fitbit-emulator: ${describeFailure(Cause.squash(cause))}`)))
)

/** What went wrong, and the fix where there is an obvious one. */
const describeFailure = (error: unknown): string => {
  const text = error instanceof Error ? error.message : String(error)
  const code = findCode(error)
  const detail = text === "" ? "" : ` (${text})`
  if (code === "EADDRINUSE") return `the port is already in use${detail}; stop what listens there or pick another with --port (0 picks a free one)`
  if (code === "EACCES") return `not allowed to listen there${detail}; use a port above 1023`
  return text
}

const findCode = (error: unknown): string | undefined => {
  for (let current: unknown = error, depth = 0; current !== null && typeof current === "object" && depth < 5; depth++) {
    const code = (current as { code?: unknown }).code
    if (typeof code === "string") return code
    current = (current as { cause?: unknown; error?: unknown }).cause ?? (current as { error?: unknown }).error
  }
  return /EADDRINUSE/.test(String((error as { message?: unknown })?.message ?? error)) ? "EADDRINUSE" : undefined
}

NodeRuntime.runMain(main, { disableErrorReporting: true })
