/**
 * The emulated subscription routes: create, list and delete `apiSubscriptions`, for all
 * collections or one, with the optional `X-Fitbit-Subscriber-Id` header.
 *
 * @since 0.1.0
 */
import * as HttpRouter from "@effect/platform/HttpRouter"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as Effect from "effect/Effect"
import * as Http from "../Http.js"
import { ANY_VERSION, type CallContext, dataHandler, notFound, type RouteSpec, type Step, U, validation } from "./DataRoute.js"

const COLLECTIONS = ["activities", "body", "foods", "sleep", "userRevokedAccess"] as const
const COLLECTION_SCOPES: Record<string, string | undefined> = {
  activities: "activity",
  body: "weight",
  foods: "nutrition",
  sleep: "sleep",
  userRevokedAccess: undefined
}

const subscriptionHandlers = (collection: string | undefined) => {
  const spec: RouteSpec = {
    versions: ANY_VERSION,
    scope: collection === undefined ? undefined : COLLECTION_SCOPES[collection],
    notifies: false
  }
  const collectionType = collection ?? "user"
  const subscriptions = (context: CallContext) => context.state.data.subscriptions(context.grant.clientId, context.user.userId)
  const json = (s: { subscriptionId: string; collectionType: string; ownerId: string; subscriberId: string }) => ({
    collectionType: s.collectionType,
    ownerId: s.ownerId,
    ownerType: "user",
    subscriberId: s.subscriberId,
    subscriptionId: s.subscriptionId
  })
  return {
    create: dataHandler({ ...spec, write: true }, (context) =>
      Effect.gen(function*() {
        const id = context.params.subscriptionId ?? ""
        if (!/^[A-Za-z0-9_-]{1,50}$/.test(id)) return yield* Effect.fail(validation("Invalid subscription id.", "subscription-id"))
        const subscriberId = context.headers["x-fitbit-subscriber-id"] ?? "1"
        const existing = subscriptions(context).get(id)
        if (existing !== undefined) {
          if (existing.collectionType === collectionType && existing.subscriberId === subscriberId) return Http.json(json(existing), 200)
          return Http.fitbitError(409, "conflict", `Subscription ${id} already exists for another collection or subscriber.`)
        }
        const created = { subscriptionId: id, collectionType, ownerId: context.user.userId, subscriberId }
        subscriptions(context).set(id, created)
        return Http.json(json(created), 201)
      })),
    list: dataHandler(spec, (context) =>
      Effect.succeed(Http.json({
        apiSubscriptions: [...subscriptions(context).values()]
          .filter((s) => collection === undefined || s.collectionType === collection)
          .map(json)
      }))),
    remove: dataHandler({ ...spec, write: true }, (context) => {
      const id = context.params.subscriptionId ?? ""
      const existing = subscriptions(context).get(id)
      if (existing === undefined || (collection !== undefined && existing.collectionType !== collection)) {
        return Effect.fail(notFound(`Subscription ${id} not found.`))
      }
      subscriptions(context).delete(id)
      return Effect.succeed(HttpServerResponse.empty({ status: 204 }))
    })
  }
}

/**
 * Adds the subscription routes of every collection.
 *
 * @since 0.1.0
 * @category routes
 */
export const routes: Step = (router) => {
  let out = router
  for (const collection of [undefined, ...COLLECTIONS]) {
    const prefix: `/${string}` = collection === undefined ? U : `${U}/${collection}`
    const h = subscriptionHandlers(collection)
    out = out.pipe(
      HttpRouter.post(`${prefix}/apiSubscriptions/:subscriptionId.json`, h.create),
      HttpRouter.get(`${prefix}/apiSubscriptions.json`, h.list),
      HttpRouter.del(`${prefix}/apiSubscriptions/:subscriptionId.json`, h.remove)
    )
  }
  return out
}
