// `import FitbitApiClient from "@fitbit-effect/node/fitbit-node"`: the class as the default export,
// from the self-contained facade file (see tsup.bundle.config.ts).
export { default } from "./fitbit-node.bundle.js";
