/**
 * The Google Health API v4 resources as the emulator serves them under `/v4/`, one module per
 * resource group: `users/{user}` (identity, profile, settings, paired devices: `Users`),
 * `users/{user}/dataTypes/{dataType}/dataPoints` (`DataPoints`, `RollUps`), and
 * `projects/{project}/subscribers` with their `subscriptions` (`Subscribers`), and the SMART
 * Health Links under `shl/` (`SharedLinks`, which need no token). Every other call is
 * authenticated first (`Caller`). Data comes from the same generator as the Fitbit routes.
 * Errors are Google's `{"error": {"code", "message", "status", "details"}}`; a spent quota
 * answers 429 `RESOURCE_EXHAUSTED` with `Retry-After`.
 *
 * @since 0.1.0
 */
import * as HttpRouter from "@effect/platform/HttpRouter"
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as Effect from "effect/Effect"
import { EmulatorState } from "../EmulatorState.js"
import * as Http from "../Http.js"
import { notFound } from "./Answers.js"
import { authenticate, checkUser } from "./Caller.js"
import * as DataPoints from "./DataPoints.js"
import * as SharedLinks from "./SharedLinks.js"
import * as Subscribers from "./Subscribers.js"
import * as Users from "./Users.js"

export {
  /** Google's error answer. */
  googleError
} from "./Answers.js"
export {
  /** The scope family a data type belongs to. */
  categoryOf
} from "./Caller.js"

const dispatch = Effect.gen(function*() {
  const state = yield* EmulatorState
  const request = yield* HttpServerRequest.HttpServerRequest
  const method = request.method
  const query = yield* Http.query
  // v4beta is a superset of v4 (AIP-185): the same resources answer on both channels.
  const segments = Http.pathOf(request.url).replace(/^\/v4(?:beta)?\//, "").split("/")
  if (segments.some((s) => s === "")) return yield* Effect.fail(notFound("Method not found."))
  // SMART Health Links take no access token: the link authorises.
  const shared = SharedLinks.handle(state, method, segments)
  if (shared !== undefined) return yield* shared
  const caller = yield* authenticate(state, request.headers)
  if (segments[0] === "projects" && segments.length >= 3 && segments[2] === "subscribers") {
    return yield* Subscribers.handle(caller, method, segments, query)
  }
  if (segments[0] !== "users" || segments.length < 2) return yield* Effect.fail(notFound("Method not found."))
  yield* checkUser(caller, segments[1]!)
  const rest = segments.slice(2)
  const handled = Users.handle(caller, method, rest, query) ?? DataPoints.handle(caller, method, rest, query)
  return handled === undefined ? yield* Effect.fail(notFound("Method not found.")) : yield* handled
})

const route = Http.counted(Http.answer(dispatch))

/**
 * The `/v4/` routes, and the same under `/v4beta/` (the beta channel, a superset of v4).
 *
 * @since 0.1.0
 * @category routes
 */
export const router = HttpRouter.empty.pipe(
  HttpRouter.get("/v4/*", route),
  HttpRouter.post("/v4/*", route),
  HttpRouter.patch("/v4/*", route),
  HttpRouter.del("/v4/*", route),
  HttpRouter.get("/v4beta/*", route),
  HttpRouter.post("/v4beta/*", route),
  HttpRouter.patch("/v4beta/*", route),
  HttpRouter.del("/v4beta/*", route)
)
