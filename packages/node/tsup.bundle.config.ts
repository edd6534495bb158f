import { readFile } from "node:fs/promises"
import { defineConfig } from "tsup"

/**
 * The bundle's copy of effect keeps its global values (default services, the clock, caches) to
 * itself. Effect 3 keeps them in `globalThis["effect/GlobalValue"]`, one store for every copy in a
 * process: an app that loads the drop-in and runs its own effect 3 would otherwise run the
 * bundle's services (and log "Executing an Effect versioned … with a Runtime of version …" at each).
 */
const privateGlobalValues = {
  name: "private-effect-global-values",
  setup(build: { onLoad: (options: { filter: RegExp }, f: (args: { path: string }) => Promise<{ contents: string; loader: "js" }>) => void }) {
    build.onLoad({ filter: /[\\/]effect[\\/]dist[\\/](esm|cjs)[\\/]GlobalValue\.js$/ }, async (args) => {
      const source = await readFile(args.path, "utf8")
      const contents = source.replace("`effect/GlobalValue`", "`@fitbit-effect/node/fitbit-node/effect/GlobalValue`")
      if (contents === source) throw new Error(`effect's GlobalValue.js no longer names its store \`effect/GlobalValue\`: ${args.path}`)
      return { contents, loader: "js" }
    })
  }
}

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
  esbuildPlugins: [privateGlobalValues],
  esbuildOptions(options) {
    options.logOverride = { ...options.logOverride, "ignored-bare-import": "silent" }
  }
})
