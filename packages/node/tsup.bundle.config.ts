import { defineConfig } from "tsup"

// The fitbit-node drop-in entry as one self-contained file: effect, @effect/platform and
// @fitbit-effect/core inlined and tree-shaken to what the facade runs, undici left outside (it
// is a dependency, loaded at the first request). A `require()` of the facade then reads one
// file instead of effect's whole module graph. Runs after the main build (which cleans dist).
export default defineConfig({
  entry: { "fitbit-node.bundle": "src/fitbit-node.ts" },
  format: ["esm", "cjs"],
  dts: false,
  clean: false,
  sourcemap: false,
  target: "es2022",
  platform: "node",
  tsconfig: "tsconfig.build.json",
  noExternal: [/^effect(\/|$)/, /^@effect\//, /^@fitbit-effect\/core(\/|$)/],
  external: ["undici"],
  // Core's split build imports some chunks for their order only; core declares no side effects, so
  // the bundle drops those imports, as it should: not worth a warning per import.
  esbuildOptions(options) {
    options.logOverride = { ...options.logOverride, "ignored-bare-import": "silent" }
  }
})
