import { defineConfig, mergeConfig } from "vitest/config"
import base from "./vitest.config.js"

// `pnpm test:slow`: the suites too long for `pnpm test` (test/slow: Sync across machines, 3 OS
// processes × 50 users over Postgres), one file at a time.
export default mergeConfig(base, defineConfig({
  test: {
    include: ["test/slow/**/*.test.ts"],
    exclude: ["**/node_modules/**"],
    maxWorkers: 1,
    ...(process.env.CI ? { outputFile: { json: "coverage/vitest-slow-report.json" } } : {})
  }
}))
