import { FitbitApiClient } from "./index.cjs";

export = FitbitApiClient;
