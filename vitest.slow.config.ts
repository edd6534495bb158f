import { defineConfig } from "vitest/config"
import { CONDITIONS, SLOW } from "./vitest.config.js"

// `pnpm test:slow`: the suites too long for `pnpm test`: Sync across machines (test/slow: 3 OS
// processes × 50 users over Postgres), the sync killed mid-window, the command line's tests.
// Standalone, not merged with vitest.config.ts (a merge would concatenate its include and exclude).
export default defineConfig({
  resolve: { conditions: CONDITIONS },
  ssr: { resolve: { conditions: CONDITIONS, externalConditions: ["@fitbit-effect/source"] } },
  test: {
    include: SLOW.map((glob) => (glob.endsWith("/**") ? `${glob}/*.test.ts` : glob)),
    exclude: ["**/node_modules/**"],
    maxWorkers: 2,
    minWorkers: 1,
    testTimeout: 180_000,
    hookTimeout: 60_000,
    reporters: process.env.CI ? ["default", "json"] : ["default"],
    ...(process.env.CI ? { outputFile: { json: "coverage/vitest-slow-report.json" } } : {})
  }
})
