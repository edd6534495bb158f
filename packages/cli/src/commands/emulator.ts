/**
 * `fitbit-effect emulator`: the local emulator (`@fitbit-effect/emulator`, loaded only when this
 * command runs), its base URL and apps' credentials printed, until Ctrl-C.
 *
 * @since 0.1.0
 */
import * as Command from "@effect/cli/Command"
import * as Options from "@effect/cli/Options"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import { ExitCode, fail } from "../ExitCode.js"
import { help } from "../CommandParts.js"

/** @since 0.1.0 */
export const emulatorCommand = Command.make(
  "emulator",
  {
    port: Options.integer("port").pipe(Options.withDefault(8787), Options.withDescription("The port on 127.0.0.1 (default 8787; 0: a free one).")),
    seed: Options.text("seed").pipe(Options.optional, Options.withDescription("The seed of the generated data (the same seed, the same data)."))
  },
  ({ port, seed }) =>
    Effect.gen(function*() {
      if (!Number.isInteger(port) || port < 0 || port > 65_535) return yield* Effect.fail(fail(ExitCode.usage, "--port: a port from 0 to 65535"))
      const Emulator = yield* Effect.promise(() => import("@fitbit-effect/emulator"))
      const emu = yield* Effect.acquireRelease(
        Effect.tryPromise({
          try: () => Emulator.startEmulator({ port, ...(Option.isSome(seed) ? { seed: seed.value } : {}) }),
          catch: (error) => fail(ExitCode.usage, `cannot listen on 127.0.0.1:${port}: ${(error as { code?: string; message?: string }).code ?? (error as Error).message ?? "failed"}`)
        }),
        (e) => Effect.promise(() => e.close())
      )
      const lines = [
        `emulator listening at ${emu.baseUrl}`,
        `  confidential app: client id ${emu.defaultApp.clientId}, secret ${emu.defaultApp.clientSecret}, redirect URI ${emu.defaultApp.redirectUri}`,
        `  public app: client id ${emu.publicApp.clientId} (no secret, PKCE), redirect URI ${emu.publicApp.redirectUri}`,
        `  use it: printf '%s' '${emu.defaultApp.clientSecret}' | fitbit-effect setup --client-id ${emu.defaultApp.clientId} --client-secret-stdin --base-url ${emu.baseUrl}`,
        `          fitbit-effect login --port ${new URL(emu.defaultApp.redirectUri).port || "8080"}`,
        "Ctrl-C stops it."
      ]
      yield* Effect.sync(() => process.stdout.write(lines.join("\n") + "\n"))
      return yield* Effect.never
    }).pipe(Effect.scoped)
).pipe(Command.withDescription(help(
  "Starts the local Google Health (and Fitbit) emulator and prints its base URL and its apps' credentials (test credentials, not secrets), until Ctrl-C.",
  ["fitbit-effect emulator", "fitbit-effect emulator --port 0 --seed demo"]
)))
