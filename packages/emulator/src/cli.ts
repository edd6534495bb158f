/**
 * `fitbit-emulator [--port 8787] [--host 127.0.0.1] [--seed s] [--consent page|auto|deny]
 * [--rate-limit 150] [--now 2026-11-25T08:00:00Z]`: runs the emulator until interrupted.
 *
 * @since 0.1.0
 */
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import { banner, parseArgs } from "./Command.js"
import * as Emulator from "./Emulator.js"

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
