// `import FitbitApiClient from "@fitbit-effect/node/fitbit-node"`: the class as the default export.
export { FitbitApiClient as default } from "./index.js";
