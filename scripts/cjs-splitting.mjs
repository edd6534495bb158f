// tsup options for code splitting in the CommonJS build as well as in the ES module build, so
// that every entry of a package loads the same module instances (one class per error, one tag per
// service) whichever entries a program mixes. tsup turns split ESM chunks into CommonJS with
// sucrase, whose `??` and `?.` rewrite moves a `yield*` into an arrow function (a syntax error in
// a generator), so esbuild lowers both (and `??=`) in the CommonJS build first.

/** Spread into a tsup config: `{ ...cjsSplitting, entry: … }`. */
export const cjsSplitting = {
  splitting: true,
  esbuildOptions(options, { format }) {
    if (format === "cjs") {
      options.supported = { ...options.supported, "nullish-coalescing": false, "optional-chain": false, "logical-assignment": false }
    }
  }
}
