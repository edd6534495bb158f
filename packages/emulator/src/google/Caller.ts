/**
 * Who is calling the emulated `/v4/` routes and what they may do: the bearer token
 * (401 `UNAUTHENTICATED`, with `ACCESS_TOKEN_EXPIRED` when it expired), Google's per-user and
 * per-project quotas (429 `RESOURCE_EXHAUSTED`: `Quota`), the user segment (`me` or the caller's health user id) and the scope
 * family of each data type (403 `PERMISSION_DENIED`).
 *
 * @since 0.1.0
 */
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import type * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as Effect from "effect/Effect"
import { type State } from "../EmulatorState.js"
import type * as Grants from "../Grants.js"
import * as Http from "../Http.js"
import type * as Registry from "../Registry.js"
import { googleError, notFound } from "./Answers.js"
import * as GoogleData from "./GoogleData.js"
import * as GoogleState from "./GoogleState.js"
import * as Quota from "./Quota.js"
import * as Rules from "./Rules.js"
import * as Scopes from "./Scopes.js"

type Reply = HttpServerResponse.HttpServerResponse
/**
 * An authenticated caller: the grant, its user and the user's health id.
 *
 * @since 0.1.0
 */
export interface Caller {
  readonly state: State
  readonly google: GoogleState.GoogleState
  readonly grant: Grants.Grant
  readonly user: Registry.User
  readonly healthUserId: string
}
/**
 * Fails with 403 unless the grant holds the family's scope for reading or writing.
 *
 * @since 0.1.0
 */
export const requireScope = (caller: Caller, category: string, mode: "read" | "write"): Effect.Effect<void, Reply> =>
  Scopes.allows(caller.grant.scopes, category, mode)
    ? Effect.void
    : Effect.fail(googleError(403, "PERMISSION_DENIED", "Request had insufficient authentication scopes.", {
      reason: "ACCESS_TOKEN_SCOPE_INSUFFICIENT"
    }))
/**
 * Fails with 403 unless the grant holds some Google Health scope.
 *
 * @since 0.1.0
 */
export const requireAnyScope = (caller: Caller): Effect.Effect<void, Reply> =>
  Scopes.holdsAny(caller.grant.scopes)
    ? Effect.void
    : Effect.fail(googleError(403, "PERMISSION_DENIED", "Request had insufficient authentication scopes.", {
      reason: "ACCESS_TOKEN_SCOPE_INSUFFICIENT"
    }))
/**
 * The scope family a data type belongs to, from the emulator's table of Google's rules (`Rules`);
 * a type the table does not list counts as a health metric.
 *
 * @since 0.1.0
 * @category authorization
 */
export const categoryOf = (dataType: string): string =>
  Rules.ruleOf(dataType)?.scopeFamily ?? "health_metrics_and_measurements"
const UNAUTHENTICATED =
  "Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential."
const WWW = { "www-authenticate": `Bearer realm="https://accounts.google.com/", error="invalid_token"` }
/**
 * Authenticates a call: bearer token, then the caller's quota.
 *
 * @since 0.1.0
 */
export const authenticate = (
  state: State,
  headers: HttpServerRequest.HttpServerRequest["headers"]
): Effect.Effect<Caller, Reply> => {
  const bearer = Http.bearerToken(headers)
  if (bearer === undefined) {
    return Effect.fail(googleError(401, "UNAUTHENTICATED", UNAUTHENTICATED, { reason: "CREDENTIALS_MISSING", headers: WWW }))
  }
  const found = state.grants.lookupAccess(bearer)
  if (found._tag === "Expired") {
    return Effect.fail(googleError(401, "UNAUTHENTICATED", UNAUTHENTICATED, { reason: "ACCESS_TOKEN_EXPIRED", headers: WWW }))
  }
  if (found._tag !== "Active" || found.token.grant.provider !== "google") {
    return Effect.fail(googleError(401, "UNAUTHENTICATED", UNAUTHENTICATED, { headers: WWW }))
  }
  const grant = found.token.grant
  const user = state.registry.users.get(grant.userId)
  if (user === undefined) return Effect.fail(notFound(`User not found.`))
  const exceeded = state.googleQuota.take(grant.clientId, grant.userId)
  if (exceeded !== undefined) {
    state.counters.bump("rateLimited")
    return Effect.fail(Quota.exhausted(exceeded, state.googleQuota.limits(), grant.clientId))
  }
  return Effect.succeed({ state, google: GoogleState.of(state), grant, user, healthUserId: GoogleData.healthUserIdOf(user.userId) })
}
/**
 * Fails with 403 unless the user segment is `me` or the caller's own health user id.
 *
 * @since 0.1.0
 */
export const checkUser = (caller: Caller, segment: string): Effect.Effect<void, Reply> =>
  segment === "me" || segment === caller.healthUserId
    ? Effect.void
    : Effect.fail(googleError(403, "PERMISSION_DENIED", "The caller does not have permission to access this user's data."))

/**
 * A handler of the methods under `users/{user}/`: `rest` is the path after the user segment;
 * `undefined` when the path is not one of its methods.
 *
 * @since 0.1.0
 * @category models
 */
export type UserHandler = (
  caller: Caller,
  method: string,
  rest: ReadonlyArray<string>,
  query: Record<string, string>
) => Effect.Effect<Reply, Reply, HttpServerRequest.HttpServerRequest> | undefined
