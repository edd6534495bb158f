// The fitbit-node drop-in bundles its own effect: that copy must keep its global values (default
// services, clock, caches) to itself. Effect 3 keeps them in one store per process,
// globalThis["effect/GlobalValue"], shared by every copy: an app running its own effect 3 beside the
// drop-in would run the bundle's services and log "Executing an Effect versioned … with a Runtime
// of version …" at each (seen with effect 3.22.5 beside the bundle's 3.22.4).
import { execFile } from "node:child_process"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { promisify } from "node:util"
import { describe, expect, it } from "vitest"

const root = fileURLToPath(new URL("..", import.meta.url))

describe("the drop-in's bundled effect", () => {
  for (const format of ["cjs", "js"] as const) {
    it(`(${format}) keeps its global values in its own store, not effect's shared one`, async () => {
      const bundle = join(root, "packages", "node", "dist", `fitbit-node.bundle.${format}`)
      const script = `
        const m = ${format === "cjs" ? `require(${JSON.stringify(bundle)})` : `await import(${JSON.stringify(bundle)})`}
        const FitbitApiClient = m.default ?? m
        const client = new FitbitApiClient({ clientId: "23ABCD", clientSecret: "s" })
        client.getAuthorizeUrl("activity", "https://app.example/cb")
        console.log(JSON.stringify({ shared: globalThis["effect/GlobalValue"] === undefined ? 0 : globalThis["effect/GlobalValue"].size, own: globalThis["@fitbit-effect/node/fitbit-node/effect/GlobalValue"]?.size ?? 0 }))
        process.exit(0)`
      const { stdout } = await promisify(execFile)(process.execPath, [format === "cjs" ? "-e" : "--input-type=module", ...(format === "cjs" ? [script] : ["-e", script])], { cwd: root })
      const { own, shared } = JSON.parse(stdout.trim()) as { shared: number; own: number }
      expect(shared).toBe(0)
      expect(own).toBeGreaterThan(0)
    })
  }
})
