export { FitbitApiClient as default } from "./index.js";
