/**
 * Google's webhook deliveries as the emulator sends them: each a `POST` to a subscriber's
 * endpoint of a JSON array of at most 99 notification items, with `Content-Type:
 * application/json` and the `Authorization` value the subscriber registered
 * (`endpointAuthorization.secret`). Sent in the background (the request that caused them does not
 * wait), the POSTs of one dispatch one after another, and logged with the status each endpoint
 * answered. Nothing is redelivered.
 *
 * Everything is bounded: each POST has a deadline ({@link DEFAULT_TIMEOUT_MILLIS}), at most
 * {@link CONCURRENCY} are sent at once, at most {@link MAX_PENDING} wait or run (those beyond are
 * logged as dropped at once), the log keeps the newest {@link MAX_LOG} (and at most {@link MAX_LOGGED_ITEMS} items), and `close` aborts what is
 * in flight.
 *
 * @since 0.1.0
 */
import * as Outbound from "../Outbound.js"
import type * as Notifications from "./Notifications.js"

/**
 * The most items Google puts in one POST.
 *
 * @since 0.1.0
 * @category constants
 */
export const MAX_ITEMS = 99

/**
 * How long a POST may take, answer read, before it counts as unanswered (Google asks for an
 * answer within seconds).
 *
 * @since 0.1.0
 * @category constants
 */
export const DEFAULT_TIMEOUT_MILLIS = 5000

/**
 * How many POSTs are sent at once, to all endpoints together.
 *
 * @since 0.1.0
 * @category constants
 */
export const CONCURRENCY = 8

/**
 * How many POSTs may wait or run at once; a dispatch beyond it has its extra POSTs dropped.
 *
 * @since 0.1.0
 * @category constants
 */
export const MAX_PENDING = 1000

/**
 * How many deliveries the log keeps (the oldest go first).
 *
 * @since 0.1.0
 * @category constants
 */
export const MAX_LOG = 10_000

/**
 * How many items the log's deliveries may hold in all (the oldest deliveries go first): 10,000
 * deliveries of 99 items each would be a million objects.
 *
 * @since 0.1.0
 * @category constants
 */
export const MAX_LOGGED_ITEMS = 50_000

/**
 * Where a delivery goes: the subscriber's resource name, its endpoint and the `Authorization`
 * value it registered.
 *
 * @since 0.1.0
 * @category models
 */
export interface Target {
  readonly subscriber: string
  readonly endpointUri: string
  readonly authorization: string
}

/**
 * One POST and its outcome (the `Authorization` value is not kept).
 *
 * @since 0.1.0
 * @category models
 */
export interface Delivery {
  /** The subscriber's resource name, `projects/{project}/subscribers/{subscriber}`. */
  readonly subscriber: string
  readonly endpointUri: string
  /** The body's items, as posted. */
  readonly items: ReadonlyArray<Notifications.Item>
  /** The endpoint's status (Google expects 204); absent when it did not answer or the POST was not sent. */
  readonly status?: number | undefined
  /** Why there is no status: no answer in time, unreachable, dropped, or the emulator stopped. */
  readonly error?: string | undefined
}

/**
 * Items in runs of at most {@link MAX_ITEMS}, in order.
 *
 * @since 0.1.0
 * @category utils
 */
export const batches = <A>(items: ReadonlyArray<A>, size: number = MAX_ITEMS): Array<ReadonlyArray<A>> => {
  const out: Array<ReadonlyArray<A>> = []
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size))
  return out
}

/**
 * POSTs one array of items to a subscriber and answers the outcome.
 *
 * @since 0.1.0
 * @category requests
 */
export const deliver = async (
  target: Target,
  items: ReadonlyArray<Notifications.Item>,
  options: { readonly timeoutMillis?: number | undefined; readonly signal?: AbortSignal | undefined } = {}
): Promise<Delivery> => {
  const sent = { subscriber: target.subscriber, endpointUri: target.endpointUri, items }
  let body: string
  try {
    body = JSON.stringify(items)
  } catch {
    return { ...sent, error: "the items cannot be written as JSON" }
  }
  const status = await Outbound.statusOf(target.endpointUri, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: target.authorization },
    body,
    ...(options.signal === undefined ? {} : { signal: options.signal })
  }, options.timeoutMillis ?? DEFAULT_TIMEOUT_MILLIS)
  if (status !== undefined) return { ...sent, status }
  return { ...sent, error: options.signal?.aborted === true ? "the emulator stopped" : "no answer in time (or unreachable)" }
}

/**
 * The deliveries of one emulator: sending, waiting for those in flight, and the log.
 *
 * @since 0.1.0
 * @category models
 */
export interface Outbox {
  /**
   * Starts sending items to a subscriber in POSTs of at most 99, one after another; answers
   * those POSTs' outcomes when the last is done. The caller need not wait: {@link flush} does.
   */
  readonly dispatch: (target: Target, items: ReadonlyArray<Notifications.Item>) => Promise<ReadonlyArray<Delivery>>
  /** Waits for every delivery in flight (those started meanwhile too), then answers the log. */
  readonly flush: () => Promise<ReadonlyArray<Delivery>>
  /** The finished deliveries (the newest {@link MAX_LOG}), oldest first. */
  readonly deliveries: () => ReadonlyArray<Delivery>
  /** POSTs waiting or being sent. */
  readonly pending: () => number
  /** Sets each POST's deadline (from the next POST on). */
  readonly setTimeoutMillis: (millis: number) => void
  /** Aborts the POSTs in flight and drops those waiting and any dispatched later. */
  readonly close: () => void
}

/**
 * Makes an empty outbox.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (options: {
  readonly timeoutMillis?: number | undefined
  readonly concurrency?: number | undefined
  readonly maxPending?: number | undefined
  readonly maxLog?: number | undefined
} = {}): Outbox => {
  let timeoutMillis = options.timeoutMillis ?? DEFAULT_TIMEOUT_MILLIS
  const concurrency = options.concurrency ?? CONCURRENCY
  const maxPending = options.maxPending ?? MAX_PENDING
  const maxLog = options.maxLog ?? MAX_LOG
  const done: Array<Delivery> = []
  const inFlight = new Set<Promise<unknown>>()
  const closing = new AbortController()
  let pending = 0
  let sending = 0
  const waiting: Array<() => void> = []
  let loggedItems = 0
  const log = (delivery: Delivery) => {
    done.push(delivery)
    loggedItems += delivery.items.length
    let drop = 0
    while (done.length - drop > 1 && (done.length - drop > maxLog || loggedItems > MAX_LOGGED_ITEMS)) loggedItems -= done[drop++]!.items.length
    if (drop > 0) done.splice(0, drop)
  }
  // A slot among the `concurrency` POSTs sent at once; waiters are at most `maxPending`.
  const acquire = (): Promise<void> => {
    if (sending < concurrency) {
      sending++
      return Promise.resolve()
    }
    return new Promise((resolve) => waiting.push(resolve))
  }
  const release = () => {
    const next = waiting.shift()
    if (next !== undefined) next()
    else sending--
  }
  const sendOne = async (target: Target, batch: ReadonlyArray<Notifications.Item>): Promise<Delivery> => {
    await acquire()
    try {
      if (closing.signal.aborted) return { subscriber: target.subscriber, endpointUri: target.endpointUri, items: batch, error: "the emulator stopped" }
      return await deliver(target, batch, { timeoutMillis, signal: closing.signal })
    } finally {
      release()
      pending--
    }
  }
  return {
    dispatch: (target, items) => {
      const runs = batches(items)
      const room = closing.signal.aborted ? 0 : Math.max(0, maxPending - pending)
      const accepted = runs.slice(0, room)
      const dropped: Array<Delivery> = runs.slice(room).map((batch) => ({
        subscriber: target.subscriber,
        endpointUri: target.endpointUri,
        items: batch,
        error: closing.signal.aborted ? "the emulator stopped" : `dropped: more than ${maxPending} POSTs were pending`
      }))
      for (const delivery of dropped) log(delivery)
      pending += accepted.length
      const running = (async () => {
        const outcomes: Array<Delivery> = []
        for (const batch of accepted) {
          const delivery = await sendOne(target, batch)
          log(delivery)
          outcomes.push(delivery)
        }
        return [...outcomes, ...dropped]
      })()
      inFlight.add(running)
      const settled = () => {
        inFlight.delete(running)
      }
      running.then(settled, settled)
      return running
    },
    flush: async () => {
      while (inFlight.size > 0) await Promise.allSettled([...inFlight])
      return [...done]
    },
    deliveries: () => [...done],
    pending: () => pending,
    setTimeoutMillis: (millis) => {
      if (!(Number.isInteger(millis) && millis > 0 && millis <= 2_147_483_647)) throw new TypeError("the notification timeout is a whole number of milliseconds from 1 to 2147483647 (Node's timer limit)")
      timeoutMillis = millis
    },
    close: () => closing.abort()
  }
}
