/**
 * The emulated `projects/{project}/subscribers` and their `subscriptions`: create (after
 * verifying the endpoint for real), list, get, patch and delete.
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import * as Http from "../Http.js"
import { googleError, invalid, notFound, operation, precondition, readJson } from "./Answers.js"
import { type Caller } from "./Caller.js"
import * as GoogleData from "./GoogleData.js"
import * as GoogleState from "./GoogleState.js"
import { pageSizeOf, paginate } from "./Paging.js"
import { verifyEndpoint } from "./SubscriberVerification.js"

const SUBSCRIBER_ID = /^[a-z]([a-z0-9-]{2,34}[a-z0-9])$/
const PROJECT = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$/
const subscriberJson = (s: GoogleState.StoredSubscriber) => ({
  name: s.name,
  endpointUri: s.endpointUri,
  endpointAuthorization: { secretSet: true },
  subscriberConfigs: s.subscriberConfigs,
  state: "ACTIVE",
  createTime: s.createTime,
  updateTime: s.updateTime
})
const endpointOk = (uri: unknown): uri is string => {
  if (typeof uri !== "string") return false
  try {
    const url = new URL(uri)
    return url.protocol === "https:" ||
      (url.protocol === "http:" && /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])$/.test(url.hostname))
  } catch {
    return false
  }
}
const configsOk = (configs: unknown): configs is GoogleState.StoredSubscriber["subscriberConfigs"] =>
  configs === undefined || (Array.isArray(configs) && configs.every((c) =>
    typeof c === "object" && c !== null &&
    (c.dataTypes === undefined || (Array.isArray(c.dataTypes) && c.dataTypes.every((d: unknown) => typeof d === "string"))) &&
    (c.subscriptionCreatePolicy === undefined || ["AUTOMATIC", "MANUAL", "SUBSCRIPTION_CREATE_POLICY_UNSPECIFIED"].includes(c.subscriptionCreatePolicy))
  ))
const verify = (uri: string, secret: string) =>
  Effect.flatMap(Effect.promise(() => verifyEndpoint(uri, secret)), (result) =>
    result.ok ? Effect.void : Effect.fail(precondition(`Endpoint verification failed: ${result.reason}.`)))

/**
 * Answers the `projects/{project}/subscribers…` methods (`segments` is the whole path after `/v4/`).
 *
 * @since 0.1.0
 * @category routes
 */
export const handle = (caller: Caller, method: string, segments: ReadonlyArray<string>, query: Record<string, string>) =>
  Effect.gen(function*() {
    const project = segments[1]!
    if (!PROJECT.test(project)) return yield* Effect.fail(invalid(`Invalid project ${project}.`))
    const parent = `projects/${project}`
    const google = caller.google
    const now = GoogleData.rfc3339(caller.state.clock.now())
    // projects/{p}/subscribers
    if (segments.length === 3) {
      if (method === "GET") {
        const all = [...google.subscribers.values()].filter((s) => s.name.startsWith(`${parent}/subscribers/`))
        const size = yield* pageSizeOf(query.pageSize, { size: 50, max: 1000 })
        const { nextPageToken, page } = yield* paginate(all, { token: query.pageToken, size, key: `${parent}|${size}`, state: caller.state })
        return Http.json({ subscribers: page.map(subscriberJson), totalSize: all.length, ...(nextPageToken === undefined ? {} : { nextPageToken }) })
      }
      if (method === "POST") {
    const body = yield* readJson
        const id = query.subscriberId ?? `sub-${String(google.nextId++).padStart(6, "0")}`
        if (!SUBSCRIBER_ID.test(id)) return yield* Effect.fail(invalid("subscriberId must be 4-36 characters matching [a-z]([a-z0-9-]{2,34}[a-z0-9])."))
        const secret = (body.endpointAuthorization as { secret?: unknown } | undefined)?.secret
        if (!endpointOk(body.endpointUri)) return yield* Effect.fail(invalid("endpointUri must be a valid HTTPS URL."))
        if (typeof secret !== "string" || secret === "") return yield* Effect.fail(invalid("endpointAuthorization.secret is required."))
        if (!configsOk(body.subscriberConfigs)) return yield* Effect.fail(invalid("Invalid subscriberConfigs."))
        const name = `${parent}/subscribers/${id}`
        if (google.subscribers.has(name)) return yield* Effect.fail(googleError(409, "ALREADY_EXISTS", `Subscriber ${name} already exists.`))
        yield* verify(body.endpointUri, secret)
        const stored: GoogleState.StoredSubscriber = {
          name,
          endpointUri: body.endpointUri,
          secret,
          subscriberConfigs: (body.subscriberConfigs as GoogleState.StoredSubscriber["subscriberConfigs"] | undefined) ?? [],
          createTime: now,
          updateTime: now
        }
        google.subscribers.set(name, stored)
        return Http.json(operation(caller, { "@type": "type.googleapis.com/google.devicesandservices.health.v4.Subscriber", ...subscriberJson(stored) }))
      }
      return yield* Effect.fail(notFound("Method not found."))
    }
    const name = `${parent}/subscribers/${segments[3]}`
    const subscriber = google.subscribers.get(name)
    if (subscriber === undefined) return yield* Effect.fail(notFound(`Subscriber ${name} was not found.`))
    const subscriptionsOf = () => [...google.subscriptions.values()].filter((s) => s.name.startsWith(`${name}/subscriptions/`))
    if (segments.length === 4) {
      if (method === "PATCH") {
    const body = yield* readJson
        const mask = (query.updateMask ?? "endpoint_uri,subscriber_configs,endpoint_authorization").split(",").map((f) => f.trim())
        let uri = subscriber.endpointUri
        let secret = subscriber.secret
        let configs = subscriber.subscriberConfigs
        for (const field of mask) {
          if (field === "endpoint_uri" || field === "endpointUri") {
            if (body.endpointUri === undefined) continue
            if (!endpointOk(body.endpointUri)) return yield* Effect.fail(invalid("endpointUri must be a valid HTTPS URL."))
            uri = body.endpointUri
          } else if (field === "endpoint_authorization" || field === "endpointAuthorization") {
            const given = (body.endpointAuthorization as { secret?: unknown } | undefined)?.secret
            if (given === undefined) continue
            if (typeof given !== "string" || given === "") return yield* Effect.fail(invalid("endpointAuthorization.secret must be a non-empty string."))
            secret = given
          } else if (field === "subscriber_configs" || field === "subscriberConfigs") {
            if (body.subscriberConfigs === undefined) continue
            if (!configsOk(body.subscriberConfigs)) return yield* Effect.fail(invalid("Invalid subscriberConfigs."))
            configs = body.subscriberConfigs as GoogleState.StoredSubscriber["subscriberConfigs"]
          } else if (field !== "") {
            return yield* Effect.fail(invalid(`Field ${field} cannot be updated.`))
          }
        }
        if (uri !== subscriber.endpointUri || secret !== subscriber.secret) yield* verify(uri, secret)
        subscriber.endpointUri = uri
        subscriber.secret = secret
        subscriber.subscriberConfigs = configs
        subscriber.updateTime = now
        return Http.json(operation(caller, { "@type": "type.googleapis.com/google.devicesandservices.health.v4.Subscriber", ...subscriberJson(subscriber) }))
      }
      if (method === "DELETE") {
        const children = subscriptionsOf()
        if (children.length > 0 && query.force !== "true") {
          return yield* Effect.fail(precondition(`Subscriber ${name} has subscriptions; delete them first or pass force=true.`))
        }
        for (const child of children) google.subscriptions.delete(child.name)
        google.subscribers.delete(name)
        return Http.json(operation(caller, { "@type": "type.googleapis.com/google.protobuf.Empty" }))
      }
      if (method === "GET") return Http.json(subscriberJson(subscriber))
      return yield* Effect.fail(notFound("Method not found."))
    }
    if (segments[4] !== "subscriptions") return yield* Effect.fail(notFound("Method not found."))
    const subscribable = (dataType: string) => {
      const kebab = dataType.split("/").pop()!
      return subscriber.subscriberConfigs.some((c) => c.subscriptionCreatePolicy === "MANUAL" && (c.dataTypes ?? []).includes(kebab))
    }
    if (segments.length === 5) {
      if (method === "GET") {
        let all = subscriptionsOf()
        const filter = query.filter
        if (filter !== undefined && filter.trim() !== "") {
          const users = [...filter.matchAll(/user\s*=\s*"([^"]+)"/g)].map((m) => m[1]!)
          const types = [...filter.matchAll(/data_type\s*=\s*"([^"]+)"/g)].map((m) => m[1]!)
          if (users.length === 0 && types.length === 0) return yield* Effect.fail(invalid(`Invalid filter: ${filter}`))
          all = all.filter((s) =>
            (users.length === 0 || users.includes(s.user)) &&
            (types.length === 0 || s.dataTypes.some((d) => types.includes(d.split("/").pop()!)))
          )
        }
        const size = yield* pageSizeOf(query.pageSize, { size: 50, max: 1000 })
        const { nextPageToken, page } = yield* paginate(all, { token: query.pageToken, size, key: `${name}|${filter ?? ""}|${size}`, state: caller.state })
        return Http.json({ subscriptions: page, ...(nextPageToken === undefined ? {} : { nextPageToken }) })
      }
      if (method === "POST") {
    const body = yield* readJson
        const id = query.subscriptionId ?? `subscription-${String(google.nextId++).padStart(6, "0")}`
        if (!SUBSCRIBER_ID.test(id)) return yield* Effect.fail(invalid("subscriptionId must be 4-36 characters matching [a-z]([a-z0-9-]{2,34}[a-z0-9])."))
        const user = body.user
        const match = typeof user === "string" ? /^users\/([A-Za-z0-9-]{1,63})$/.exec(user) : null
        if (match === null || GoogleData.userOfHealthId(caller.state.registry.users, match[1]!) === undefined) {
          return yield* Effect.fail(invalid("user must name a known user as users/{healthUserId}."))
        }
        const dataTypes = body.dataTypes ?? []
        if (!Array.isArray(dataTypes) || !dataTypes.every((d) => typeof d === "string")) {
          return yield* Effect.fail(invalid("dataTypes must be a list of strings."))
        }
        const refused = (dataTypes as Array<string>).find((d) => !subscribable(d))
        if (refused !== undefined) {
          return yield* Effect.fail(precondition(`The subscriber has no MANUAL subscription policy for data type ${refused}.`))
        }
        const subscriptionName = `${name}/subscriptions/${id}`
        if (google.subscriptions.has(subscriptionName)) {
          return yield* Effect.fail(googleError(409, "ALREADY_EXISTS", `Subscription ${subscriptionName} already exists.`))
        }
        const stored: GoogleState.StoredSubscription = { name: subscriptionName, user: user as string, dataTypes: dataTypes as Array<string> }
        google.subscriptions.set(subscriptionName, stored)
        return Http.json(stored)
      }
      return yield* Effect.fail(notFound("Method not found."))
    }
    const subscriptionName = `${name}/subscriptions/${segments[5]}`
    const subscription = google.subscriptions.get(subscriptionName)
    if (segments.length !== 6 || subscription === undefined) return yield* Effect.fail(notFound(`Subscription ${subscriptionName} was not found.`))
    if (method === "PATCH") {
    const body = yield* readJson
      const dataTypes = body.dataTypes
      if (!Array.isArray(dataTypes) || !dataTypes.every((d) => typeof d === "string")) {
        return yield* Effect.fail(invalid("dataTypes must be a list of strings."))
      }
        const refused = (dataTypes as Array<string>).find((d) => !subscribable(d))
      if (refused !== undefined) {
        return yield* Effect.fail(precondition(`The subscriber has no MANUAL subscription policy for data type ${refused}.`))
      }
      subscription.dataTypes = dataTypes as Array<string>
      return Http.json(subscription)
    }
    if (method === "DELETE") {
      google.subscriptions.delete(subscriptionName)
      return Http.json({})
    }
    if (method === "GET") return Http.json(subscription)
    return yield* Effect.fail(notFound("Method not found."))
  })
