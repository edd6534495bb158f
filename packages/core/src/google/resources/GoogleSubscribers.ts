/**
 * The `projects/{project}/subscribers` collection of the Google Health API and each
 * subscriber's `subscriptions`: where Google sends webhook notifications, and for which users
 * and data types. Creating or re-pointing a subscriber makes Google verify the endpoint (see
 * `GoogleHealthWebhook`). The endpoint secret is sent, never kept or printed. Google
 * authorizes these project-level calls with a Google Cloud credential (scope
 * `https://www.googleapis.com/auth/cloud-platform`, e.g. a service account's access token), not
 * with a user's Health API token.
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import type * as Stream from "effect/Stream"
import * as Errors from "../../Errors.js"
import * as GoogleHealthHttp from "../GoogleHealthHttp.js"
import * as GoogleOperation from "../GoogleOperation.js"
import * as GooglePagination from "../GooglePagination.js"
import * as GoogleResourceName from "../GoogleResourceName.js"

type Token = string | Redacted.Redacted<string>
type Failure = Errors.RequestFailure
type Http = GoogleHealthHttp.GoogleHealthHttp

/**
 * Which data types a subscriber wants, and whether subscriptions are `AUTOMATIC` or `MANUAL`.
 *
 * @since 0.1.0
 * @category schemas
 */
export const SubscriberConfig = Schema.Struct({
  dataTypes: Schema.optional(Schema.Array(Schema.String)),
  subscriptionCreatePolicy: Schema.optional(Schema.String)
})

/**
 * A subscriber (the secret is input only: Google answers `secretSet`).
 *
 * @since 0.1.0
 * @category schemas
 */
export const Subscriber = Schema.Struct({
  name: Schema.optional(Schema.String),
  endpointUri: Schema.optional(Schema.String),
  endpointAuthorization: Schema.optional(Schema.Struct({ secretSet: Schema.optional(Schema.Boolean) })),
  subscriberConfigs: Schema.optional(Schema.Array(SubscriberConfig)),
  state: Schema.optional(Schema.String),
  createTime: Schema.optional(Schema.String),
  updateTime: Schema.optional(Schema.String)
})

/**
 * A decoded subscriber.
 *
 * @since 0.1.0
 * @category models
 */
export type Subscriber = Schema.Schema.Type<typeof Subscriber>

/**
 * A subscription: one user's data types delivered to a subscriber.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Subscription = Schema.Struct({
  name: Schema.optional(Schema.String),
  user: Schema.optional(Schema.String),
  dataTypes: Schema.optional(Schema.Array(Schema.String))
})

/**
 * A decoded subscription.
 *
 * @since 0.1.0
 * @category models
 */
export type Subscription = Schema.Schema.Type<typeof Subscription>

const SubscribersPage = Schema.Struct({
  subscribers: Schema.optionalWith(Schema.Array(Subscriber), { default: () => [] }),
  nextPageToken: Schema.optional(Schema.String),
  totalSize: Schema.optional(Schema.Number)
})

const SubscriptionsPage = Schema.Struct({
  subscriptions: Schema.optionalWith(Schema.Array(Subscription), { default: () => [] }),
  nextPageToken: Schema.optional(Schema.String)
})

/**
 * What a subscriber is created or updated with.
 *
 * @since 0.1.0
 * @category models
 */
export interface SubscriberInput {
  /** The HTTPS endpoint Google posts notifications to. */
  readonly endpointUri?: string | undefined
  /** The full `Authorization` value Google will send, scheme included (`Bearer …`). */
  readonly secret?: string | Redacted.Redacted<string> | undefined
  readonly subscriberConfigs?: ReadonlyArray<Schema.Schema.Type<typeof SubscriberConfig>> | undefined
}

const pageSizeOk = (pageSize: number | undefined) =>
  pageSize === undefined || (Number.isInteger(pageSize) && pageSize > 0)
    ? Effect.void
    : Effect.fail(new Errors.InvalidInput({ field: "pageSize", reason: "must be a positive whole number" }))

const subscriberBody = (input: SubscriberInput): Effect.Effect<Record<string, unknown>, Errors.InvalidInput> =>
  Effect.gen(function*() {
    const body: Record<string, unknown> = {}
    if (input.endpointUri !== undefined) {
      let parsed: URL | undefined
      try {
        parsed = new URL(input.endpointUri)
      } catch {
        parsed = undefined
      }
      if (parsed === undefined || (parsed.protocol !== "https:" && parsed.protocol !== "http:")) {
        return yield* new Errors.InvalidInput({ field: "endpointUri", reason: "must be an absolute https URL" })
      }
      body.endpointUri = input.endpointUri
    }
    if (input.secret !== undefined) {
      const secret = typeof input.secret === "string" ? input.secret : Redacted.value(input.secret)
      if (secret === "" || /[\r\n\0]/.test(secret)) {
        return yield* new Errors.InvalidInput({ field: "secret", reason: "must be a non-empty header value" })
      }
      body.endpointAuthorization = { secret }
    }
    if (input.subscriberConfigs !== undefined) body.subscriberConfigs = input.subscriberConfigs
    return body
  })

const secretOf = (input: SubscriberInput): Array<string> =>
  input.secret === undefined ? [] : [typeof input.secret === "string" ? input.secret : Redacted.value(input.secret)]

/**
 * Registers a subscriber endpoint (`POST /v4/projects/{project}/subscribers`); Google verifies
 * the endpoint before it succeeds.
 *
 * @since 0.1.0
 * @category subscriptions
 */
export const create = (
  accessToken: Token,
  projectId: string,
  input: SubscriberInput & { readonly endpointUri: string; readonly secret: string | Redacted.Redacted<string> },
  options: { readonly subscriberId?: string | undefined } = {}
): Effect.Effect<GoogleOperation.Operation, Failure, Http> =>
  Effect.gen(function*() {
    const parent = yield* GoogleResourceName.project(projectId)
    if (options.subscriberId !== undefined) yield* GoogleResourceName.validateId("subscriberId")(options.subscriberId)
    const body = yield* subscriberBody(input)
    return yield* GoogleHealthHttp.callDecoded({
      method: "POST",
      path: `/${parent}/subscribers`,
      accessToken,
      body,
      query: { subscriberId: options.subscriberId },
      secrets: secretOf(input)
    }, GoogleOperation.Operation)
  })

/**
 * Lists one page of a project's subscribers.
 *
 * @since 0.1.0
 * @category subscriptions
 */
export const list = (
  accessToken: Token,
  projectId: string,
  options: { readonly pageSize?: number | undefined; readonly pageToken?: string | undefined } = {}
): Effect.Effect<Schema.Schema.Type<typeof SubscribersPage>, Failure, Http> =>
  Effect.gen(function*() {
    const parent = yield* GoogleResourceName.project(projectId)
    yield* pageSizeOk(options.pageSize)
    return yield* GoogleHealthHttp.callDecoded({
      method: "GET",
      path: `/${parent}/subscribers`,
      accessToken,
      query: { pageSize: options.pageSize, pageToken: options.pageToken }
    }, SubscribersPage)
  })

/**
 * Every subscriber of a project, page by page.
 *
 * @since 0.1.0
 * @category subscriptions
 */
export const stream = (
  accessToken: Token,
  projectId: string,
  options: { readonly pageSize?: number | undefined } = {}
): Stream.Stream<Subscriber, Failure, Http> =>
  GooglePagination.streamField((pageToken) => list(accessToken, projectId, { ...options, pageToken }), "subscribers", {
    url: `projects/${projectId}/subscribers`
  })

const snakeMask = (keys: ReadonlyArray<string>): string =>
  keys.map((key) => key === "secret" ? "endpoint_authorization" : key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`))
    .join(",")

/**
 * Updates a subscriber (`PATCH /v4/{name}?updateMask=…`); the mask defaults to the fields given
 * (`endpoint_uri`, `subscriber_configs`, `endpoint_authorization`). A new endpoint or secret is re-verified.
 *
 * @since 0.1.0
 * @category subscriptions
 */
export const patch = (
  accessToken: Token,
  name: string,
  input: SubscriberInput,
  options: { readonly updateMask?: string | undefined } = {}
): Effect.Effect<GoogleOperation.Operation, Failure, Http> =>
  Effect.gen(function*() {
    const checked = yield* GoogleResourceName.subscriber(name)
    const body = yield* subscriberBody(input)
    const keys = (["endpointUri", "secret", "subscriberConfigs"] as const).filter((key) => input[key] !== undefined)
    return yield* GoogleHealthHttp.callDecoded({
      method: "PATCH",
      path: `/${checked}`,
      accessToken,
      body: { ...body, name: checked },
      query: { updateMask: options.updateMask ?? snakeMask(keys) },
      secrets: secretOf(input)
    }, GoogleOperation.Operation)
  })

/**
 * Deletes a subscriber; with `force`, its subscriptions too.
 *
 * @since 0.1.0
 * @category subscriptions
 */
export const del = (
  accessToken: Token,
  name: string,
  options: { readonly force?: boolean | undefined } = {}
): Effect.Effect<GoogleOperation.Operation, Failure, Http> =>
  Effect.flatMap(GoogleResourceName.subscriber(name), (checked) =>
    GoogleHealthHttp.callDecoded({
      method: "DELETE",
      path: `/${checked}`,
      accessToken,
      query: { force: options.force }
    }, GoogleOperation.Operation))

/**
 * Subscribes a user's data types to a subscriber (`POST /v4/{subscriber}/subscriptions`);
 * the subscriber's policy must be `MANUAL` for them.
 *
 * @since 0.1.0
 * @category subscriptions
 */
export const createSubscription = (
  accessToken: Token,
  subscriberName: string,
  input: { readonly user: string; readonly dataTypes?: ReadonlyArray<string> | undefined },
  options: { readonly subscriptionId?: string | undefined } = {}
): Effect.Effect<Subscription, Failure, Http> =>
  Effect.gen(function*() {
    const parent = yield* GoogleResourceName.subscriber(subscriberName)
    const user = input.user.startsWith("users/") ? input.user : yield* GoogleResourceName.user(input.user)
    yield* GoogleResourceName.validateUser(user.slice("users/".length))
    if (options.subscriptionId !== undefined) yield* GoogleResourceName.validateId("subscriptionId")(options.subscriptionId)
    return yield* GoogleHealthHttp.callDecoded({
      method: "POST",
      path: `/${parent}/subscriptions`,
      accessToken,
      body: { user, ...(input.dataTypes === undefined ? {} : { dataTypes: input.dataTypes }) },
      query: { subscriptionId: options.subscriptionId }
    }, Subscription)
  })

/**
 * Lists one page of a subscriber's subscriptions; `filter` such as `user = "users/abc"`.
 *
 * @since 0.1.0
 * @category subscriptions
 */
export const listSubscriptions = (
  accessToken: Token,
  subscriberName: string,
  options: {
    readonly filter?: string | undefined
    readonly pageSize?: number | undefined
    readonly pageToken?: string | undefined
  } = {}
): Effect.Effect<Schema.Schema.Type<typeof SubscriptionsPage>, Failure, Http> =>
  Effect.gen(function*() {
    const parent = yield* GoogleResourceName.subscriber(subscriberName)
    yield* pageSizeOk(options.pageSize)
    return yield* GoogleHealthHttp.callDecoded({
      method: "GET",
      path: `/${parent}/subscriptions`,
      accessToken,
      query: { filter: options.filter, pageSize: options.pageSize, pageToken: options.pageToken }
    }, SubscriptionsPage)
  })

/**
 * Every subscription of a subscriber, page by page.
 *
 * @since 0.1.0
 * @category subscriptions
 */
export const streamSubscriptions = (
  accessToken: Token,
  subscriberName: string,
  options: { readonly filter?: string | undefined; readonly pageSize?: number | undefined } = {}
): Stream.Stream<Subscription, Failure, Http> =>
  GooglePagination.streamField((pageToken) => listSubscriptions(accessToken, subscriberName, { ...options, pageToken }), "subscriptions", {
    url: `${subscriberName}/subscriptions`
  })

/**
 * Changes a subscription's data types (`PATCH /v4/{subscription}?updateMask=data_types`).
 *
 * @since 0.1.0
 * @category subscriptions
 */
export const patchSubscription = (
  accessToken: Token,
  name: string,
  input: { readonly dataTypes: ReadonlyArray<string> },
  options: { readonly updateMask?: string | undefined } = {}
): Effect.Effect<Subscription, Failure, Http> =>
  Effect.flatMap(GoogleResourceName.subscription(name), (checked) =>
    GoogleHealthHttp.callDecoded({
      method: "PATCH",
      path: `/${checked}`,
      accessToken,
      body: { name: checked, dataTypes: input.dataTypes },
      query: { updateMask: options.updateMask ?? "data_types" }
    }, Subscription))

/**
 * Deletes a subscription.
 *
 * @since 0.1.0
 * @category subscriptions
 */
export const deleteSubscription = (
  accessToken: Token,
  name: string
): Effect.Effect<void, Failure, Http> =>
  Effect.flatMap(GoogleResourceName.subscription(name), (checked) =>
    Effect.asVoid(GoogleHealthHttp.call({ method: "DELETE", path: `/${checked}`, accessToken })))
