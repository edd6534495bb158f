/**
 * The fitbit-node drop-in entry: `require("@fitbit-effect/node/fitbit-node")` answers the
 * `FitbitApiClient` class itself (like `require("fitbit-node")`), and
 * `import FitbitApiClient from "@fitbit-effect/node/fitbit-node"` its default export.
 *
 * The published CommonJS file (`module.exports = FitbitApiClient`) and its `export =` typings
 * are written next to the build output by `tsup.config.ts` from `shims/`; this source file is
 * the ESM form, used in the repository's own tests and type checks.
 *
 * @since 0.1.0
 */
import { FitbitApiClient } from "./FitbitApiClient.js"

/**
 * The `FitbitApiClient` class, as this entry's default export.
 *
 * @since 0.1.0
 * @category constructors
 */
export default FitbitApiClient
