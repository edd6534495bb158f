import { defineConfig } from "tsup"

// The `fitbit-effect` command bundled with everything it runs on (effect 3, @effect/*, @fitbit-effect/*):
// one parse instead of every ES module of those packages resolved one by one (cold `--help` 0.85 s → 0.3 s), and an
// install that cannot pick up another effect major. The parts only some commands need (the cluster, the
// Postgres driver) are chunks loaded on demand. `better-sqlite3` stays a dependency: it is a native addon.
export default defineConfig({
  entry: { bin: "src/bin.ts" },
  format: ["esm"],
  // Bundled CommonJS modules (undici, ws, pg) call `require` for Node's own modules and read
  // `__filename`.
  banner: {
    js: [
      "#!/usr/bin/env node",
      "import { createRequire as __fitbitEffectCreateRequire } from \"node:module\"",
      "import { fileURLToPath as __fitbitEffectFileURLToPath } from \"node:url\"",
      "const require = __fitbitEffectCreateRequire(import.meta.url)",
      "const __filename = __fitbitEffectFileURLToPath(import.meta.url)",
      "const __dirname = __fitbitEffectFileURLToPath(new URL(\".\", import.meta.url))"
    ].join("\n")
  },
  dts: false,
  clean: true,
  sourcemap: false,
  splitting: true,
  target: "es2022",
  platform: "node",
  tsconfig: "tsconfig.build.json",
  noExternal: [/^(?!better-sqlite3(\/|$))/]
})
