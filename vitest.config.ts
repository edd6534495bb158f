import { defineConfig } from "vitest/config"

// Workspace packages resolve to their TypeScript sources through the custom export condition,
// so tests never run against stale build output.
export const CONDITIONS = ["@fitbit-effect/source", "module", "node", "default"]

/** The files `pnpm test:slow` runs instead of `pnpm test`. */
export const SLOW = ["test/slow/**", "test/sync-crash.test.ts", "test/cli-*.test.ts"]

export default defineConfig({
  resolve: { conditions: CONDITIONS },
  ssr: { resolve: { conditions: CONDITIONS, externalConditions: ["@fitbit-effect/source"] } },
  test: {
    include: ["packages/*/test/**/*.test.ts", "test/**/*.test.ts"],
    // `pnpm test:slow` runs the rest (vitest.slow.config.ts): the multi-process sync across
    // machines, the sync killed mid-window, and the command line's tests (OS processes, a browser,
    // terminals), minutes long together.
    exclude: ["**/node_modules/**", ...SLOW],
    testTimeout: 30_000,
    // The files wait on sockets, child processes and databases far more than on the CPU: three at a
    // time keep a 2-core machine busy (vitest's default on 2 cores runs one file at a time).
    maxWorkers: 3,
    minWorkers: 1,
    hookTimeout: 30_000,
    // In CI a JSON report is written too, from which .ci/run prints its "N passed, N failed" line.
    reporters: process.env.CI ? ["default", "json"] : ["default"],
    ...(process.env.CI ? { outputFile: { json: "coverage/vitest-report.json" } } : {})
  }
})
