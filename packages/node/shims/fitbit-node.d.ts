import { FitbitApiClient } from "./fitbit-node-types.js";
export type * from "./fitbit-node-types.js";
export default FitbitApiClient;
