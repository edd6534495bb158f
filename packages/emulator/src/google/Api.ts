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
import { invalid, notFound } from "./Answers.js"
import { authenticate, checkUser } from "./Caller.js"
import * as DataPoints from "./DataPoints.js"
import * as Rules from "./Rules.js"
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
  const query = protoNames(yield* Http.query)
  // v4beta is a superset of v4 (AIP-185): the same resources answer on both channels, except
  // the data types Google serves on v4beta only.
  const path = Http.pathOf(request.url)
  const channel = path.startsWith("/v4beta/") ? "v4beta" : "v4"
  const segments = path.replace(/^\/v4(?:beta)?\//, "").split("/")
  if (segments.some((s) => s === "")) return yield* Effect.fail(notFound("Method not found."))
  if (segments[0] === "users" && segments[2] === "dataTypes" && segments[3] !== undefined) {
    const dataType = segments[3].split(":")[0]!
    if (!Rules.servedOn(dataType, channel)) {
      return yield* Effect.fail(invalid(`Data type ${dataType} is not supported in ${channel}; it is served on v4beta.`))
    }
  }
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

/**
 * Query parameters under their JSON names: Google's REST mapping takes a parameter spelled with its
 * proto field name too (`page_size`, `page_token`, `data_source_family`), the JSON name winning.
 */
const protoNames = (query: Record<string, string>): Record<string, string> => {
  let out: Record<string, string> | undefined
  for (const key of Object.keys(query)) {
    if (!key.includes("_")) continue
    const json = key.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase())
    out ??= { ...query }
    if (!(json in out)) out[json] = query[key]!
    delete out[key]
  }
  return out ?? query
}

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
