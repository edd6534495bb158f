/**
 * One data route of the emulated Fitbit Web API: what a handler gets once the call is
 * authenticated ({@link CallContext}), what a route declares ({@link RouteSpec}), and
 * {@link dataHandler}, which checks every call in Fitbit's order: the API version, the bearer
 * token (401 `invalid_client` / `invalid_token` / `expired_token`), the rate limit (429), the
 * user (403 `insufficient_permissions`), the scope (403 `insufficient_scope`); then runs the
 * handler, adds the `Fitbit-Rate-Limit-*` headers, counts writes and notifies subscribers.
 *
 * @since 0.1.0
 */
import * as HttpRouter from "@effect/platform/HttpRouter"
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as Effect from "effect/Effect"
import * as DataGenerator from "../DataGenerator.js"
import { EmulatorState, type State, today } from "../EmulatorState.js"
import type * as Grants from "../Grants.js"
import * as Http from "../Http.js"
import * as RateLimiter from "../RateLimiter.js"
import type * as Registry from "../Registry.js"

type Reply = HttpServerResponse.HttpServerResponse

/**
 * What a data handler gets once the call is authenticated.
 *
 * @since 0.1.0
 * @category models
 */
export interface CallContext {
  readonly state: State
  readonly seed: string
  readonly user: Registry.User
  readonly grant: Grants.Grant
  readonly version: string
  readonly params: Readonly<Record<string, string | undefined>>
  readonly query: Record<string, string>
  readonly headers: HttpServerRequest.HttpServerRequest["headers"]
  /** `en_US` answers in imperial units (miles, pounds); anything else metric. */
  readonly imperial: boolean
  /** Resolves `today` and checks a date parameter. */
  readonly date: (value: string | undefined, field?: string) => Effect.Effect<string, Reply>
  /** Reads the body's fields. */
  readonly body: Effect.Effect<Record<string, string>>
}

/**
 * The description of one data route.
 *
 * @since 0.1.0
 * @category models
 */
export interface RouteSpec {
  /** API versions this route answers to, e.g. `["1"]` or `["1.2"]`. */
  readonly versions: ReadonlyArray<string>
  /** Scope the token needs; none for subscriptions to all collections. */
  readonly scope?: string | undefined
  /** Whether a success counts as a write. */
  readonly write?: boolean | undefined
  /** Whether a successful write notifies subscribers (default: yes for writes). */
  readonly notifies?: boolean | undefined
  /** Whether the path has a `/user/:userId` segment (default true). */
  readonly userScoped?: boolean | undefined
}

/**
 * The versions most resources answer to. Sleep ranges and the sleep list are `1.2` only.
 *
 * @since 0.1.0
 * @category constants
 */
export const ANY_VERSION: ReadonlyArray<string> = ["1", "1.1", "1.2"]

/**
 * Fitbit's 404 JSON.
 *
 * @since 0.1.0
 * @category responses
 */
export const notFound = (message = "The API you are requesting could not be found.") =>
  Http.fitbitError(404, "not_found", message)

/**
 * Fitbit's 400 `validation` JSON.
 *
 * @since 0.1.0
 * @category responses
 */
export const validation = (message: string, fieldName?: string) => Http.fitbitError(400, "validation", message, { fieldName })

/**
 * The path prefix of user-scoped routes.
 *
 * @since 0.1.0
 * @category routes
 */
export const U = "/:version/user/:userId"

/**
 * A step adding routes to a router.
 *
 * @since 0.1.0
 * @category routes
 */
export type Step = (self: HttpRouter.HttpRouter<never, EmulatorState>) => HttpRouter.HttpRouter<never, EmulatorState>

/**
 * Turns a data handler into a route handler: version, token, rate limit, user and scope
 * checks, then the handler, then the rate-limit headers and the write counter.
 *
 * @since 0.1.0
 * @category routes
 */
export const dataHandler = <R>(
  spec: RouteSpec,
  handler: (context: CallContext) => Effect.Effect<Reply, Reply, R>
) =>
  Http.counted(Http.answer(Effect.gen(function*() {
    const state = yield* EmulatorState
    const route = yield* HttpRouter.RouteContext
    const request = yield* HttpServerRequest.HttpServerRequest
    const params = route.params
    const version = params.version ?? ""
    if (!spec.versions.includes(version)) {
      return yield* Effect.fail(notFound(
        `The API you are requesting could not be found: version ${version} of this resource does not exist (use ${
          spec.versions.join(" or ")
        }).`
      ))
    }
    const bearer = Http.bearerToken(request.headers)
    if (bearer === undefined) {
      return yield* Effect.fail(Http.fitbitError(
        401,
        "invalid_client",
        `Invalid authorization header format. The header was not recognized to be a valid header for any of known implementations or a client_id was not specified in case of a public client ${Http.OAUTH_DOCS}`
      ))
    }
    const found = state.grants.lookupAccess(bearer)
    // A token another route group issued (Google OAuth) is no Fitbit token at all.
    if (found._tag === "Unknown" || found._tag === "Revoked" || found.token.grant.provider !== "fitbit") {
      return yield* Effect.fail(Http.fitbitError(401, "invalid_token", `Access token invalid: ${bearer}. ${Http.OAUTH_DOCS}`))
    }
    if (found._tag === "Expired") {
      return yield* Effect.fail(Http.fitbitError(401, "expired_token", `Access token expired: ${bearer}. ${Http.OAUTH_DOCS}`))
    }
    const grant = found.token.grant
    const decision = state.rateLimiter.take(grant.clientId, grant.userId)
    const rateHeaders = RateLimiter.headers(decision)
    if (!decision.allowed) {
      state.counters.bump("rateLimited")
      return yield* Effect.fail(HttpServerResponse.empty({ status: 429, headers: rateHeaders }))
    }
    const withHeaders = (reply: Reply) => HttpServerResponse.setHeaders(reply, rateHeaders)
    return yield* Effect.gen(function*() {
      const userId = spec.userScoped === false ? "-" : params.userId ?? "-"
      if (userId !== "-" && userId !== grant.userId) {
        return yield* Effect.fail(Http.fitbitError(
          403,
          "insufficient_permissions",
          `This application does not have permission to access the data of user ${userId}.`
        ))
      }
      if (spec.scope !== undefined && !grant.scopes.includes(spec.scope)) {
        return yield* Effect.fail(Http.fitbitError(
          403,
          "insufficient_scope",
          `This application does not have permission to ${spec.write === true ? "write" : "read"} [${spec.scope}] data.`
        ))
      }
      const user = state.registry.users.get(grant.userId)
      if (user === undefined) return yield* Effect.fail(notFound(`User ${grant.userId} not found.`))
      const query = yield* Http.query
      const context: CallContext = {
        state,
        seed: state.seed,
        user,
        grant,
        version,
        params,
        query,
        headers: request.headers,
        imperial: (request.headers["accept-language"] ?? "") === "en_US",
        date: (value, field = "date") => {
          if (value === "today" || value === undefined) return Effect.succeed(today(state, user.userId))
          return DataGenerator.isDate(value)
            ? Effect.succeed(value)
            : Effect.fail(validation(`Invalid date:${value}`, field))
        },
        body: Effect.provideService(Http.bodyFields, HttpServerRequest.HttpServerRequest, request)
      }
      const reply = yield* handler(context)
      if (spec.write === true && reply.status < 300) {
        state.counters.bump("writes")
        if (spec.notifies !== false) notifySubscribers(context, spec)
      }
      return reply
    }).pipe(Effect.mapBoth({ onFailure: withHeaders, onSuccess: withHeaders }))
  })))

const COLLECTION_OF_SCOPE: Record<string, string> = { activity: "activities", nutrition: "foods", sleep: "sleep", weight: "body" }

/** After a write, notifies the app's subscriptions to that collection that have a subscriber endpoint. */
const notifySubscribers = (context: CallContext, spec: RouteSpec): void => {
  const collection = spec.scope === undefined ? undefined : COLLECTION_OF_SCOPE[spec.scope]
  if (collection === undefined) return
  const { clientId } = context.grant
  const app = context.state.registry.apps.get(clientId)
  if (app?.clientSecret === undefined) return
  const date = today(context.state, context.user.userId)
  for (const sub of context.state.data.subscriptions(clientId, context.user.userId).values()) {
    if (sub.collectionType !== collection && sub.collectionType !== "user") continue
    const subscriber = context.state.webhooks.subscriber(clientId, sub.subscriberId)
    if (subscriber === undefined) continue
    context.state.webhooks.dispatch(subscriber, app.clientSecret, [{
      collectionType: collection,
      date,
      ownerId: context.user.userId,
      ownerType: "user",
      subscriptionId: sub.subscriptionId
    }])
  }
}

// ---------------------------------------------------------------------------------------------
