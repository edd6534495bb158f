// Declarations of examples.mjs, for the tests that read the README's examples.

/** One README example: its marker's name and options, its code and where it is. */
export interface Example {
  readonly name: string
  readonly lang: "ts" | "js"
  readonly project: "dropin" | "effect" | "sqlite" | "emulator"
  readonly run: "node" | "vitest" | "no"
  readonly context?: "app" | "fitbit-token" | "google-token"
  readonly code: string
  readonly line: number
  readonly file: string
}

/** Every fenced ts/js block of a markdown text, and one error per block that cannot be checked. */
export declare const extractExamples: (markdown: string) => { readonly examples: ReadonlyArray<Example>; readonly errors: ReadonlyArray<string> }

/** The declarations that complete a fragment (one line each). */
export declare const preambleOf: (example: Example) => Array<string>
