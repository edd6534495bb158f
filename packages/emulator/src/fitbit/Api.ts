/**
 * The emulated Fitbit Web API data endpoints, one module per resource group (as the client's
 * `resources/` are): profile and devices, activity, heart rate, sleep (1.2), body, nutrition
 * and subscriptions, answering from the data generator and the users' writes. Every call is
 * checked by `DataRoute.dataHandler` in Fitbit's order; every authenticated answer carries the
 * `Fitbit-Rate-Limit-*` headers.
 *
 * @since 0.1.0
 */
import * as HttpRouter from "@effect/platform/HttpRouter"
import type { EmulatorState } from "../EmulatorState.js"
import * as Activities from "./Activities.js"
import * as Body from "./Body.js"
import type { Step } from "./DataRoute.js"
import * as HeartRate from "./HeartRate.js"
import * as Nutrition from "./Nutrition.js"
import * as Profile from "./Profile.js"
import * as Sleep from "./Sleep.js"
import * as Subscriptions from "./Subscriptions.js"
import * as Vitals from "./Vitals.js"

export {
  /** The versions most resources answer to. */
  ANY_VERSION,
  /** What a data handler gets once the call is authenticated. */
  type CallContext,
  /** Turns a data handler into a route handler with Fitbit's checks. */
  dataHandler,
  /** The description of one data route. */
  type RouteSpec
} from "./DataRoute.js"

const steps: ReadonlyArray<Step> = [
  ...Profile.routes,
  ...Activities.routes,
  ...HeartRate.routes,
  ...Sleep.routes,
  ...Body.routes,
  ...Nutrition.routes,
  ...Vitals.routes,
  Subscriptions.routes
]

/**
 * The data routes.
 *
 * @since 0.1.0
 * @category routes
 */
export const router: HttpRouter.HttpRouter<never, EmulatorState> = steps.reduce(
  (self, step) => step(self),
  HttpRouter.empty as HttpRouter.HttpRouter<never, EmulatorState>
)
