// The README's code examples, as the README test reads them. Every `ts` and `js` block must be
// preceded by a marker comment that says how the block is checked:
//
//   <!-- example NAME project=dropin|effect|sqlite|emulator|sync run=node|vitest|no [context=app|fitbit-token|google-token|google-users] -->
//
// - project: which consumer project (the README's install lines, npm, empty directory) checks it;
// - run: `node` runs it against the emulator, `vitest` runs it as a test file, `no` only type-checks
//   it (a server that listens forever, a database URL);
// - context: the names a fragment uses without defining them, completed by the shared preamble
//   (readme/context.d.mts says what each is; the harness gives them real values):
//   `app` (an Express-style router: app.get(path, (req, res) => …)), `accessToken` (a user's access
//   token: `fitbit-token` for Fitbit, `google-token` for Google Health); `google-users` (no name: the
//   harness stores Google grants of two emulator users in ./var/app.db, and in DATABASE_URL when set,
//   as an app's consent would have).
// A block without a marker, or with an unknown key or value, is an error: nothing in the README goes
// untested by accident.

const KEYS = {
  project: ["dropin", "effect", "sqlite", "emulator", "sync"],
  run: ["node", "vitest", "no"],
  context: ["app", "fitbit-token", "google-token", "google-users"]
}

/**
 * Reads every fenced block of a markdown text. Answers `{ examples, errors }`: one example per
 * `ts`/`js` block (name, language, options, code, the README line of its first code line, file
 * name), and one error per block that cannot be checked.
 */
export const extractExamples = (markdown) => {
  const lines = markdown.split("\n")
  const examples = []
  const errors = []
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\w*)\s*$/.exec(lines[i])
    if (open === null) continue
    const lang = open[1]
    let end = i + 1
    while (end < lines.length && lines[end] !== "```") end++
    const code = lines.slice(i + 1, end).join("\n") + "\n"
    const at = i + 1
    if (lang === "ts" || lang === "js") {
      let prev = i - 1
      while (prev >= 0 && lines[prev].trim() === "") prev--
      const marker = prev >= 0 ? /^<!-- example (\S+)((?:\s+\w+=\S+)*)\s*-->$/.exec(lines[prev].trim()) : null
      if (marker === null) {
        errors.push(`README.md:${at}: a ${lang} block without an <!-- example … --> marker before it`)
      } else {
        const options = {}
        for (const pair of marker[2].trim().split(/\s+/).filter((s) => s !== "")) {
          const [key, value] = pair.split("=")
          if (!(key in KEYS) || !KEYS[key].includes(value)) {
            errors.push(`README.md:${prev + 1}: example ${marker[1]}: ${key}=${value} is not one of ${key in KEYS ? KEYS[key].join(", ") : Object.keys(KEYS).join(", ")}`)
          }
          options[key] = value
        }
        for (const key of ["project", "run"]) {
          if (options[key] === undefined) errors.push(`README.md:${prev + 1}: example ${marker[1]}: ${key}= is missing`)
        }
        if (examples.some((e) => e.name === marker[1])) errors.push(`README.md:${prev + 1}: example ${marker[1]}: the name is used twice`)
        const commonJs = lang === "js" && /\brequire\(/.test(code)
        const ext = lang === "ts" ? ".mts" : commonJs ? ".cjs" : ".mjs"
        const file = options.run === "vitest" ? `${marker[1]}.test${ext}` : `${marker[1]}${ext}`
        examples.push({ name: marker[1], lang, ...options, code, line: at + 1, file })
      }
    }
    i = end
  }
  return { examples, errors }
}

/** The preamble that completes a fragment: declarations only, one line each; answers its lines. */
export const preambleOf = (example) => {
  const names = example.context === "app" ? [["app", "App"]]
    : example.context === "fitbit-token" || example.context === "google-token" ? [["accessToken", "AccessToken"]]
    : []
  return names.map(([name, type]) =>
    example.lang === "ts"
      ? `declare const ${name}: import("./context.mjs").${type} // README preamble (context=${example.context})`
      : `/** @type {import("./context.mjs").${type}} */ const ${name} = /** @type {any} */ (globalThis).${name} // README preamble (context=${example.context})`
  )
}
