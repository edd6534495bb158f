// Copies the fitbit-node drop-in entry next to the build output, after tsup (whose `clean`
// and declaration passes would otherwise remove hand-written files from dist).
// `require("@fitbit-effect/node/fitbit-node")` answers the class itself (`module.exports =`),
// `import` its default export; `fitbit-node.d.cts` types the former with `export =`.
import { copyFile } from "node:fs/promises"

const files = ["fitbit-node.cjs", "fitbit-node.d.cts", "fitbit-node.js", "fitbit-node.d.ts"]
const here = new URL(".", import.meta.url)
await Promise.all(files.map((file) => copyFile(new URL(file, here), new URL(`../dist/${file}`, here))))
