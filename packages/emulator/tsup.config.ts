import { defineConfig } from "tsup"
import { effectGuardBanner } from "../../scripts/effect-guard.mjs"

export default defineConfig({
  entry: { index: "src/index.ts", cli: "src/cli.ts", demo: "src/demo.ts" },
  format: ["esm", "cjs"],
  banner: effectGuardBanner("@fitbit-effect/emulator"),
  dts: false,
  clean: true,
  sourcemap: true,
  target: "es2022",
  tsconfig: "tsconfig.build.json",
  external: ["@fitbit-effect/core", "@fitbit-effect/node"]
})
