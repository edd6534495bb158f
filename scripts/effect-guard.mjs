// The first lines of every CommonJS entry of our packages (a tsup banner): loaded beside an
// `effect` that is not major 3 (npm's `latest` is 4 since 2026-10-01), the entry stops at once
// with an error naming both versions and the install line that fixes it, instead of
// "Cannot find module …/effect/dist/Either.js". ES modules fail earlier, at link time, where no
// code of ours runs yet; their import error names the effect module that is missing.

/** The banner for a package's CommonJS build: a tsup `banner` function. */
export const effectGuardBanner = (packageName) => (context) =>
  context.format !== "cjs" ? {} : {
    js: `"use strict";
;(() => {
  let version
  try { version = require("effect/package.json").version } catch { return }
  if (typeof version === "string" && !version.startsWith("3.")) {
    const error = new Error(${JSON.stringify(packageName)} + " runs on effect 3 (^3.22), but effect " + version + " is installed beside it. Fix: npm install effect@^3.22 @effect/platform@^0.97 (npm's latest effect is 4 since 2026-10-01; pin the major).")
    error.code = "ERR_FITBIT_EFFECT_UNSUPPORTED_EFFECT"
    throw error
  }
})();`
  }
