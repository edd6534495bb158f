import { defineConfig } from "tsup"
import { cjsSplitting } from "../../scripts/cjs-splitting.mjs"
import { effectGuardFirst } from "../../scripts/effect-guard.mjs"

export default defineConfig({
  ...cjsSplitting,
  ...effectGuardFirst("@fitbit-effect/node"),
  entry: ["src/index.ts", "src/google.ts", "src/fitbit.ts", "src/sql.ts", "src/sync.ts"],
  external: ["@effect/sql", "@effect/sql-pg", "@effect/sql-sqlite-node", "@effect/cluster", "@effect/rpc", "@effect/workflow", "@effect/platform-node", /^@fitbit-effect\/core(\/|$)/],
  format: ["esm", "cjs"],
  dts: true,
  clean: true,
  sourcemap: true,
  target: "es2022",
  tsconfig: "tsconfig.build.json"
})
