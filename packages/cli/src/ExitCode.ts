/**
 * The command's exit codes, stable across versions (documented in the package's README), and the
 * one translation of every failure into a code and a line for stderr. A failure's line never holds a
 * token or a secret: core's errors name none, and this module's own failures are written here.
 *
 * @since 0.1.0
 */
import * as Data from "effect/Data"

/**
 * The exit codes.
 *
 * @since 0.1.0
 * @category constants
 */
export const ExitCode = {
  /** Done. */
  ok: 0,
  /** Anything unexpected (a bug, an unreadable store). */
  unexpected: 1,
  /** Bad arguments: an unknown command or option, a malformed value, a call Google's rules refuse before sending. */
  usage: 2,
  /** Not logged in, or the grant needs consent again (expired, revoked, a scope missing): run `fitbit-effect login`. */
  loginRequired: 3,
  /** Google answered with a 4xx error (not found, invalid argument, quota exhausted, …). */
  api: 4,
  /** The network failed, Google answered 5xx, or a wait timed out. */
  network: 5,
  /** Refused by the user: consent denied, or a callback whose `state` was not the one issued. */
  refused: 6,
  /** Not configured: no client id or secret (run `fitbit-effect setup`), or the client was refused as unknown. */
  config: 7,
  /** Busy: another process syncs the same archive (`sync`, or `export` syncing first). */
  busy: 9
} as const

/**
 * A failure of the command itself, with its exit code and the line to print.
 *
 * @since 0.1.0
 * @category errors
 */
export class CliFailure extends Data.TaggedError("CliFailure")<{
  readonly code: number
  readonly message: string
}> {}

/**
 * A failure with its code.
 *
 * @since 0.1.0
 * @category constructors
 */
export const fail = (code: number, message: string): CliFailure => new CliFailure({ code, message })

const tagOf = (error: unknown): string | undefined =>
  typeof error === "object" && error !== null && typeof (error as { _tag?: unknown })._tag === "string"
    ? (error as { _tag: string })._tag
    : undefined

const messageOf = (error: unknown): string => {
  const message = error instanceof Error || (typeof error === "object" && error !== null && "message" in error)
    ? String((error as { message: unknown }).message)
    : String(error)
  return message === "" ? (tagOf(error) ?? "failed") : message
}

/**
 * The exit code and line of any failure.
 *
 * @since 0.1.0
 * @category errors
 */
export const classify = (error: unknown): { readonly code: number; readonly message: string } => {
  const tag = tagOf(error)
  const message = messageOf(error)
  switch (tag) {
    case "CliFailure":
      return { code: (error as CliFailure).code, message }
    case "ValidationError":
    case "InvalidInput":
      return { code: ExitCode.usage, message }
    case "ReauthorizationRequired":
      return { code: ExitCode.loginRequired, message: `${message}; run: fitbit-effect login --profile ${JSON.stringify((error as { key: string }).key)}` }
    case "ExpiredToken":
    case "InvalidToken":
    case "InvalidGrant":
    case "InsufficientScope":
      return { code: ExitCode.loginRequired, message: `${message}; run: fitbit-effect login (with the --scopes the call needs)` }
    case "InvalidClient":
      return { code: ExitCode.config, message: `${message}; check the client id and secret (fitbit-effect setup)` }
    case "StateMismatch":
      return { code: ExitCode.refused, message }
    case "SyncBusy":
      return {
        code: ExitCode.busy,
        message: `another fitbit-effect process is syncing this archive (${(error as { holder?: string }).holder ?? "unknown"}): wait for it to finish, or use export --no-sync to read what is synced`
      }
    case "ServerError":
    case "TransportError":
    case "TimeoutError":
      return { code: ExitCode.network, message }
    case "ValidationFailed":
    case "NotFound":
    case "Conflict":
    case "RateLimited":
    case "SetupRequired":
    case "LegacyApiRetired":
      return { code: ExitCode.api, message }
    case "ApiError": {
      const status = (error as { status?: unknown }).status
      // 501: a call the API does not implement (a legacy path without a translation) is no network failure.
      return { code: typeof status === "number" && status >= 500 && status !== 501 ? ExitCode.network : ExitCode.api, message }
    }
    default:
      return { code: ExitCode.unexpected, message }
  }
}
