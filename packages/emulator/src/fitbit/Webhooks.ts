/**
 * Fitbit's side of webhooks: verifying a subscriber endpoint (`GET ?verify=<code>` twice:
 * the right code must answer 204, a wrong one 404) and delivering notifications (`POST` of a
 * JSON array signed with `X-Fitbit-Signature` = base64(HMAC-SHA1(client secret + "&", body))).
 * Writes through the data API notify the subscriptions of their collection when the app has
 * registered a subscriber endpoint.
 *
 * @since 0.1.0
 */
import { createHmac } from "node:crypto"
import * as Outbound from "../Outbound.js"

/**
 * A subscriber endpoint of an app.
 *
 * @since 0.1.0
 * @category models
 */
export interface Subscriber {
  readonly clientId: string
  /** Fitbit's subscriber id (`X-Fitbit-Subscriber-Id`); `"1"` by default. */
  readonly subscriberId: string
  readonly url: string
  /** The code shown for the subscriber in the app's settings. */
  readonly verificationCode: string
}

/**
 * One notification of a delivery.
 *
 * @since 0.1.0
 * @category models
 */
export interface Notification {
  readonly collectionType: string
  readonly date: string
  readonly ownerId: string
  readonly ownerType: "user"
  readonly subscriptionId: string
}

/**
 * A delivery attempt and its outcome.
 *
 * @since 0.1.0
 * @category models
 */
export interface Delivery {
  readonly url: string
  readonly subscriberId: string
  readonly notifications: ReadonlyArray<Notification>
  /** The subscriber's status; absent when it did not answer. */
  readonly status?: number | undefined
  readonly error?: string | undefined
}

/**
 * The outcome of a verification.
 *
 * @since 0.1.0
 * @category models
 */
export interface Verification {
  readonly ok: boolean
  readonly correctCodeStatus?: number | undefined
  readonly wrongCodeStatus?: number | undefined
}

/**
 * The signature of a body: base64(HMAC-SHA1(key = client secret + "&", body)).
 *
 * @since 0.1.0
 * @category authorization
 */
export const sign = (clientSecret: string, body: string): string =>
  createHmac("sha1", `${clientSecret}&`).update(body, "utf8").digest("base64")

/**
 * Verifies an endpoint as Fitbit does: the right code must answer 204, a wrong one 404.
 *
 * @since 0.1.0
 * @category authorization
 */
export const verify = async (url: string, verificationCode: string): Promise<Verification> => {
  const withCode = (code: string) => {
    const target = new URL(url)
    target.searchParams.set("verify", code)
    return Outbound.statusOf(target.toString(), { method: "GET" })
  }
  const correctCodeStatus = await withCode(verificationCode)
  const wrongCodeStatus = await withCode(`${verificationCode}-not-it`)
  return { ok: correctCodeStatus === 204 && wrongCodeStatus === 404, correctCodeStatus, wrongCodeStatus }
}

/**
 * POSTs notifications to an endpoint, signed with the client secret.
 *
 * @since 0.1.0
 * @category subscriptions
 */
export const deliver = async (
  subscriber: Pick<Subscriber, "url" | "subscriberId">,
  clientSecret: string,
  notifications: ReadonlyArray<Notification>
): Promise<Delivery> => {
  const body = JSON.stringify(notifications)
  const status = await Outbound.statusOf(subscriber.url, {
    method: "POST",
    headers: { "content-type": "application/json", "x-fitbit-signature": sign(clientSecret, body) },
    body
  })
  return {
    url: subscriber.url,
    subscriberId: subscriber.subscriberId,
    notifications,
    ...(status === undefined ? { error: "no answer" } : { status })
  }
}

/**
 * The registry of subscriber endpoints and the log of deliveries.
 *
 * @since 0.1.0
 * @category models
 */
export interface Webhooks {
  readonly setSubscriber: (subscriber: Subscriber) => void
  readonly subscriber: (clientId: string, subscriberId: string) => Subscriber | undefined
  /** Starts a delivery in the background; {@link flush} waits for it. */
  readonly dispatch: (subscriber: Subscriber, clientSecret: string, notifications: ReadonlyArray<Notification>) => void
  /** Waits for the deliveries in flight, then answers with every delivery so far. */
  readonly flush: () => Promise<ReadonlyArray<Delivery>>
  readonly deliveries: () => ReadonlyArray<Delivery>
}

/**
 * Makes an empty registry.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (): Webhooks => {
  const subscribers = new Map<string, Subscriber>()
  const done: Array<Delivery> = []
  const inFlight = new Set<Promise<void>>()
  return {
    setSubscriber: (subscriber) => {
      new URL(subscriber.url) // throws on a bad URL
      subscribers.set(`${subscriber.clientId}:${subscriber.subscriberId}`, subscriber)
    },
    subscriber: (clientId, subscriberId) => subscribers.get(`${clientId}:${subscriberId}`),
    dispatch: (subscriber, clientSecret, notifications) => {
      const running: Promise<void> = deliver(subscriber, clientSecret, notifications).then((delivery) => {
        done.push(delivery)
        inFlight.delete(running)
      })
      inFlight.add(running)
    },
    flush: async () => {
      while (inFlight.size > 0) await Promise.all([...inFlight])
      return [...done]
    },
    deliveries: () => [...done]
  }
}
