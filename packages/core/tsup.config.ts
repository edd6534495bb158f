import { defineConfig } from "tsup"

export default defineConfig({
  entry: { index: "src/index.ts", "sql/index": "src/sql/index.ts" },
  external: ["@effect/sql"],
  format: ["esm", "cjs"],
  dts: false,
  clean: true,
  sourcemap: true,
  target: "es2022",
  tsconfig: "tsconfig.build.json"
})
