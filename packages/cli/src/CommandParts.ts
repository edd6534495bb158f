/**
 * The pieces every command shares: `--help` text with examples, a line on stderr, reading stdin,
 * and the `--profile` / `--base-url` options with the check of a profile's name.
 *
 * @since 0.1.0
 */
import * as HelpDoc from "@effect/cli/HelpDoc"
import * as Span from "@effect/cli/HelpDoc/Span"
import * as Options from "@effect/cli/Options"
import * as Effect from "effect/Effect"
import { ExitCode, fail } from "./ExitCode.js"
import type { CliFailure } from "./ExitCode.js"

/**
 * A description with examples, for `--help`.
 *
 * @since 0.1.0
 * @category help
 */
export const help = (text: string, examples: ReadonlyArray<string>): HelpDoc.HelpDoc =>
  HelpDoc.blocks([
    HelpDoc.p(text),
    HelpDoc.p(Span.strong("Examples:")),
    ...examples.map((example) => HelpDoc.p(Span.code(`  $ ${example}`)))
  ])

/**
 * Writes a line on stderr (what a command says about its work; its answer goes to stdout).
 *
 * @since 0.1.0
 * @category output
 */
export const err = (line: string): Effect.Effect<void> => Effect.sync(() => void process.stderr.write(`${line}\n`))

/**
 * All of stdin, as text (a secret, a JSON body).
 *
 * @since 0.1.0
 * @category input
 */
export const readStdin: Effect.Effect<string> = Effect.promise(() =>
  new Promise<string>((resolve, reject) => {
    const chunks: Array<Buffer> = []
    process.stdin.on("data", (chunk: Buffer) => chunks.push(chunk))
    process.stdin.once("end", () => resolve(Buffer.concat(chunks).toString("utf8")))
    process.stdin.once("error", reject)
  })
)

/**
 * `--profile NAME` (default `default`).
 *
 * @since 0.1.0
 * @category options
 */
export const profileOption = Options.text("profile").pipe(
  Options.withDefault("default"),
  Options.withDescription("The profile: one stored grant each (letters, digits, . _ -).")
)

/**
 * `--base-url URL`, optional.
 *
 * @since 0.1.0
 * @category options
 */
export const baseUrlOption = Options.text("base-url").pipe(
  Options.optional,
  Options.withDescription("One origin for every Google endpoint (the emulator: http://127.0.0.1:8787); else GOOGLE_HEALTH_BASE_URL, the config's, Google's.")
)

/**
 * A profile's name checked (letters, digits, `.`, `_`, `-`, at most 64): it names a file's rows and
 * keys, so anything else is a usage error.
 *
 * @since 0.1.0
 * @category options
 */
export const checkProfile = (profile: string): Effect.Effect<string, CliFailure> =>
  /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(profile)
    ? Effect.succeed(profile)
    : Effect.fail(fail(ExitCode.usage, `--profile: ${JSON.stringify(profile)} is not a profile name (letters, digits, . _ -; at most 64)`))
