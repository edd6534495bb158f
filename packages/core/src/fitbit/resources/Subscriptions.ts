/**
 * Subscriptions to change notifications (webhooks): create, list and delete, with the
 * optional `X-Fitbit-Subscriber-Id` header. API version 1. See `FitbitWebhook` for the
 * subscriber endpoint.
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import * as Errors from "../../Errors.js"
import type * as FitbitHttp from "../FitbitHttp.js"
import * as Common from "./Common.js"

/**
 * The collections one may subscribe to; leave it out to subscribe to all.
 *
 * @since 0.1.0
 * @category constants
 */
export const COLLECTIONS = ["activities", "body", "foods", "sleep", "userRevokedAccess"] as const

/**
 * A subscribable collection.
 *
 * @since 0.1.0
 * @category models
 */
export type Collection = typeof COLLECTIONS[number]

/**
 * A subscription: `{collectionType, ownerId, ownerType, subscriberId, subscriptionId}`.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Subscription = Common.open({
  collectionType: Schema.String,
  ownerId: Schema.String,
  ownerType: Schema.String,
  subscriberId: Schema.String,
  subscriptionId: Schema.String
})

/**
 * A decoded subscription.
 *
 * @since 0.1.0
 * @category models
 */
export type Subscription = typeof Subscription.Type

/**
 * The list answer: `{apiSubscriptions: [...]}`.
 *
 * @since 0.1.0
 * @category schemas
 */
export const ListResponse = Common.open({ apiSubscriptions: Schema.Array(Subscription) })

/**
 * Where a subscription call goes: the collection (all when left out) and the subscriber
 * (`X-Fitbit-Subscriber-Id`; the app's default subscriber when left out).
 *
 * @since 0.1.0
 * @category models
 */
export interface Target {
  readonly collection?: Collection | undefined
  readonly subscriberId?: string | undefined
}

const ID = /^[A-Za-z0-9_-]{1,50}$/

/** Checks a call on the subscriptions (`one`: on one subscription, whose id is then required). */
const prepare = (target: Target, options: Common.CallOptions | undefined, one?: { readonly subscriptionId: unknown }) =>
  Effect.gen(function*() {
    const collection = target?.collection === undefined
      ? ""
      : `/${yield* Common.validateOneOf("collection", COLLECTIONS, target.collection)}`
    const subscriptionId = one?.subscriptionId
    if (one !== undefined && !(typeof subscriptionId === "string" && ID.test(subscriptionId))) {
      return yield* new Errors.InvalidInput({
        field: "subscriptionId",
        reason: subscriptionId === undefined ? "is required: your id for the subscription, 1 to 50 characters of A-Z a-z 0-9 _ -" : "must be 1 to 50 characters of A-Z a-z 0-9 _ -"
      })
    }
    const subscriber = target?.subscriberId
    if (subscriber !== undefined && !(typeof subscriber === "string" && ID.test(subscriber))) {
      return yield* new Errors.InvalidInput({
        field: "subscriberId",
        reason: "must be 1 to 50 characters of A-Z a-z 0-9 _ -"
      })
    }
    const callOptions: Common.CallOptions = {
      ...options,
      headers: { ...options?.headers, ...(subscriber === undefined ? {} : { "X-Fitbit-Subscriber-Id": subscriber }) }
    }
    const base = `${collection}/apiSubscriptions`
    return { base, callOptions }
  })

/** Checks a call on one subscription; answers its path (`[/{collection}]/apiSubscriptions/{id}.json`) and call options. */
const prepareOne = (params: Target & { readonly subscriptionId: string }, options: Common.CallOptions | undefined) =>
  Effect.gen(function*() {
    const { base, callOptions } = yield* prepare(params, options, { subscriptionId: params?.subscriptionId })
    return { path: `${base}/${params.subscriptionId}.json`, callOptions }
  })

/**
 * Subscribes the user to notifications (`POST [/{collection}]/apiSubscriptions/{id}.json`).
 * `subscriptionId` is your id for the subscription (unique per user and collection).
 *
 * @since 0.1.0
 * @category endpoints
 */
export const create = (
  accessToken: Common.AccessToken,
  params: Target & { readonly subscriptionId: string },
  options?: Common.CallOptions
): Effect.Effect<Subscription, Common.Failure, FitbitHttp.FitbitHttp> =>
  Effect.flatMap(
    prepareOne(params, options),
    ({ callOptions, path }) => Common.postForm(Subscription, path, accessToken, undefined, callOptions)
  )

/**
 * Lists the user's subscriptions (`GET [/{collection}]/apiSubscriptions.json`).
 *
 * @since 0.1.0
 * @category endpoints
 */
export const list = (
  accessToken: Common.AccessToken,
  params: Target = {},
  options?: Common.CallOptions
): Effect.Effect<ReadonlyArray<Subscription>, Common.Failure, FitbitHttp.FitbitHttp> =>
  Effect.gen(function*() {
    const { base, callOptions } = yield* prepare(params, options)
    const body = yield* Common.getJson(ListResponse, `${base}.json`, accessToken, callOptions)
    return body.apiSubscriptions
  })

/**
 * Deletes a subscription (`DELETE [/{collection}]/apiSubscriptions/{id}.json`).
 *
 * @since 0.1.0
 * @category endpoints
 */
export const remove = (
  accessToken: Common.AccessToken,
  params: Target & { readonly subscriptionId: string },
  options?: Common.CallOptions
): Effect.Effect<void, Common.Failure, FitbitHttp.FitbitHttp> =>
  Effect.flatMap(prepareOne(params, options), ({ callOptions, path }) => Common.remove(path, accessToken, callOptions))
