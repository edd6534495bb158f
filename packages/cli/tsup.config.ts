import * as Fs from "node:fs"
import * as NodePath from "node:path"
import { defineConfig } from "tsup"

/**
 * The licences of the packages inside the bundle, in `dist/THIRD-PARTY-NOTICES.md`: each package
 * esbuild took a module from (its metafile), by name and version, with its licence text.
 */
const writeNotices = () => {
  const metafile = NodePath.join("dist", "metafile-esm.json")
  const inputs = Object.keys(JSON.parse(Fs.readFileSync(metafile, "utf8")).inputs as Record<string, unknown>)
  Fs.rmSync(metafile)
  const packages = new Map<string, string>()
  for (const input of inputs) {
    const at = input.lastIndexOf("node_modules/")
    if (at < 0) continue
    const rest = input.slice(at + "node_modules/".length).split("/")
    const name = rest[0]!.startsWith("@") ? `${rest[0]}/${rest[1]}` : rest[0]!
    packages.set(name, NodePath.resolve(input.slice(0, at + "node_modules/".length) + name))
  }
  const sections = [...packages.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([name, dir]) => {
    const manifest = JSON.parse(Fs.readFileSync(NodePath.join(dir, "package.json"), "utf8")) as { version: string; license?: string }
    const file = Fs.readdirSync(dir).find((f) => /^(licen[cs]e|copying)(\.|$)/i.test(f))
    const text = file === undefined ? `(no licence file; package.json says ${manifest.license ?? "nothing"})` : Fs.readFileSync(NodePath.join(dir, file), "utf8").trim()
    return `## ${name}@${manifest.version} (${manifest.license ?? "unknown"})\n\n\`\`\`\n${text}\n\`\`\`\n`
  })
  Fs.writeFileSync(
    NodePath.join("dist", "THIRD-PARTY-NOTICES.md"),
    `# Third-party notices\n\n\`fitbit-effect\` bundles these packages (and @fitbit-effect/core, node and emulator, MIT).\n\n${sections.join("\n")}`
  )
}

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
  noExternal: [/^(?!better-sqlite3(\/|$))/],
  // @fitbit-effect/node loads undici's Agent by path, which in a bundle would resolve an undici
  // installed beside it, not the bundled one: told so, it uses the bundled undici.
  define: { __FITBIT_EFFECT_UNDICI_BUNDLED__: "true" },
  metafile: true,
  onSuccess: async () => writeNotices()
})
