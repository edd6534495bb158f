import { FitbitApiClient } from "./fitbit-node-types.cjs";

export = FitbitApiClient;
