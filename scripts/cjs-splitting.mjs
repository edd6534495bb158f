// tsup options for code splitting in the CommonJS build as well as in the ES module build, so
// that every entry of a package loads the same module instances (one class per error, one tag per
// service) whichever entries a program mixes. esbuild splits only ES modules; `treeshake` makes
// tsup hand each chunk to rollup, which writes it as CommonJS. (Without it tsup converts chunks
// with sucrase, which breaks valid code: a `yield*` inside `??` moves into an arrow function, and
// an assignment to a private field `this.#layer` becomes one to the module's export `layer`.)
// Every CommonJS file then requires its chunks first, so the effect guard is a file of its own
// (effect-guard.mjs: `effectGuardFirst`).

/** Spread into a tsup config: `{ ...cjsSplitting, entry: … }`. */
export const cjsSplitting = {
  splitting: true,
  treeshake: true
}
