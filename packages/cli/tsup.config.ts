import { defineConfig } from "tsup"

// One ES module file for the `fitbit-effect` command; every package it runs on stays a dependency.
export default defineConfig({
  entry: { bin: "src/bin.ts" },
  format: ["esm"],
  banner: { js: "#!/usr/bin/env node" },
  dts: false,
  clean: true,
  sourcemap: true,
  target: "es2022",
  platform: "node",
  tsconfig: "tsconfig.build.json",
  external: [/^@effect\//, /^effect(\/|$)/, /^@fitbit-effect\//]
})
