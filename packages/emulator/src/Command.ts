/**
 * What the `fitbit-emulator` command reads and prints: its arguments (`parseArgs`) and the banner
 * it starts with (`banner`). The command itself is `cli.ts`.
 *
 * @since 0.1.0
 */
import type * as Emulator from "./Emulator.js"
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

