import { defineConfig } from "tsup"
import { cjsSplitting } from "../../scripts/cjs-splitting.mjs"
import { effectGuardFirst } from "../../scripts/effect-guard.mjs"

export default defineConfig({
  ...cjsSplitting,
  ...effectGuardFirst("@fitbit-effect/core"),
  entry: {
    index: "src/index.ts",
    kernel: "src/kernel.ts",
    "fitbit/index": "src/fitbit/index.ts",
    "google/index": "src/google/index.ts",
    "sql/index": "src/sql/index.ts",
    "sync/index": "src/sync/index.ts",
    "testing/index": "src/testing/index.ts"
  },
  external: ["@effect/sql", "@effect/cluster", "@effect/rpc", "@effect/workflow"],
  format: ["esm", "cjs"],
  dts: false,
  clean: true,
  sourcemap: true,
  target: "es2022",
  tsconfig: "tsconfig.build.json"
})
