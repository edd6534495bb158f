// Copies the fitbit-node drop-in entry next to the build output, after tsup (whose `clean`
// and declaration passes would otherwise remove hand-written files from dist).
// `require("@fitbit-effect/node/fitbit-node")` answers the class itself (`module.exports =`),
// `import` its default export; `fitbit-node.d.cts` types the former with `export =`. Both read
// `fitbit-node-types.d.ts`, self-contained declarations that import nothing.
import { copyFile } from "node:fs/promises"

const files = ["fitbit-node.cjs", "fitbit-node.d.cts", "fitbit-node.js", "fitbit-node.d.ts", "fitbit-node-types.d.ts"]
const here = new URL(".", import.meta.url)
await Promise.all(files.map((file) => copyFile(new URL(file, here), new URL(`../dist/${file}`, here))))
// The same self-contained declarations for CommonJS consumers (`fitbit-node.d.cts` imports them).
await copyFile(new URL("fitbit-node-types.d.ts", here), new URL("../dist/fitbit-node-types.d.cts", here))
