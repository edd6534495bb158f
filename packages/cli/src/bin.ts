/**
 * The `fitbit-effect` executable: runs the command and exits with its code (see `ExitCode`).
 *
 * @since 0.1.0
 */
import * as NodeContext from "@effect/platform-node/NodeContext"
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import * as ValidationError from "@effect/cli/ValidationError"
import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Logger from "effect/Logger"
import * as LogLevel from "effect/LogLevel"
import * as Cli from "./Cli.js"
import { classify, ExitCode } from "./ExitCode.js"
import * as Output from "./Output.js"

// A reader that stops early (`| head`) is no failure.
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code === "EPIPE") process.exit(ExitCode.ok)
})

const main = Cli.run(process.argv).pipe(
  Effect.as(ExitCode.ok as number),
  Effect.catchAllCause((cause) => {
    if (Cause.isInterruptedOnly(cause)) return Effect.succeed(130)
    const failure = Cause.squash(cause)
    const { code, message } = ValidationError.isValidationError(failure) ? { code: ExitCode.usage, message: "" } : classify(failure)
    // @effect/cli has printed its own usage errors with the help.
    const printed = ValidationError.isValidationError(failure)
    return Effect.as(printed ? Effect.void : Effect.sync(() => process.stderr.write(`fitbit-effect: ${message}\n`)), code)
  }),
  Logger.withMinimumLogLevel(LogLevel.Warning),
  Output.withPlainConsoleWhereUnstyled,
  Effect.provide(NodeContext.layer)
)

NodeRuntime.runMain(main, {
  disableErrorReporting: true,
  teardown: (exit, onExit) => onExit(Exit.isSuccess(exit) ? exit.value as number : Exit.isInterrupted(exit) ? 130 : ExitCode.unexpected)
})
