/**
 * Google's webhook notifications as the emulator makes them: what a change of a user's data is
 * (a data type, `UPSERT` or `DELETE`, the time ranges it touched), which subscribers it reaches
 * (those with a config for the type, and either an `AUTOMATIC` policy for it or a `MANUAL`
 * subscription of the user naming it; and only while the user has a Google grant with a scope of
 * the type's family, as Google sends only with consent), and the items Google posts for it, in the
 * shape integrators see live:
 * `{"data": {"version", "clientProvidedSubscriptionName", "healthUserId", "operation", "dataType",
 * "intervals": [{"physicalTimeInterval", "civilDateTimeInterval", "civilIso8601TimeInterval"}]}}`.
 *
 * Changes come from the `/v4/` writes (create and patch: `UPSERT`; batchDelete: `DELETE`), from
 * days passing on the emulator clock (each new day of a user an `UPSERT` of each subscribed type
 * the emulator generates: {@link watchDays}) and from the controls ({@link notify}). They are
 * handed to the `Deliveries` outbox, which sends them in the background.
 *
 * @since 0.1.0
 */
import * as DataGenerator from "../DataGenerator.js"
import type { State } from "../EmulatorState.js"
import type * as Registry from "../Registry.js"
import type * as Deliveries from "./Deliveries.js"
import { categoryOf } from "./Caller.js"
import * as GoogleData from "./GoogleData.js"
import * as GoogleState from "./GoogleState.js"
import * as Rules from "./Rules.js"
import * as Scopes from "./Scopes.js"

/**
 * The `version` of every notification the emulator makes (the value integrators have logged).
 *
 * @since 0.1.0
 * @category constants
 */
export const VERSION = "v4"

/**
 * How many of the newest days a clock jump announces at most (a jump of years announces the last 90).
 *
 * @since 0.1.0
 * @category constants
 */
export const MAX_NEW_DAYS = 90

/** The largest instant a `Date` holds (±8.64e15 ms), less a day for the users' offsets. */
const MAX_INSTANT = 8.64e15 - 86_400_000

/**
 * What happened to the data: created or changed (`UPSERT`), or deleted (`DELETE`).
 *
 * @since 0.1.0
 * @category models
 */
export type Operation = "UPSERT" | "DELETE"

/**
 * A span of physical time, epoch milliseconds, the end excluded.
 *
 * @since 0.1.0
 * @category models
 */
export interface Range {
  readonly start: number
  readonly end: number
}

/**
 * A change of one user's data of one type: one notification item per subscription it reaches.
 *
 * @since 0.1.0
 * @category models
 */
export interface Change {
  /** The emulator's (Fitbit) user id. */
  readonly userId: string
  readonly dataType: string
  readonly operation: Operation
  /** The time ranges that changed; none for a type without time (`food`). */
  readonly ranges: ReadonlyArray<Range>
}

/**
 * Google's `CivilDateTime`: a local date and time of day, without zone.
 *
 * @since 0.1.0
 * @category models
 */
export interface CivilDateTime {
  readonly date: { readonly year: number; readonly month: number; readonly day: number }
  readonly time: { readonly hours: number; readonly minutes: number; readonly seconds: number }
}

/**
 * An interval of a notification: in physical time (RFC 3339), in the user's civil time, and the
 * civil interval as ISO 8601 text (`2026-11-25T00:00:00/2026-11-26T00:00:00`).
 *
 * @since 0.1.0
 * @category models
 */
export interface Interval {
  readonly physicalTimeInterval: { readonly startTime: string; readonly endTime: string }
  readonly civilDateTimeInterval: { readonly start: CivilDateTime; readonly end: CivilDateTime }
  readonly civilIso8601TimeInterval: string
}

/**
 * The `data` of a notification item.
 *
 * @since 0.1.0
 * @category models
 */
export interface Notification {
  readonly version: string
  /** The id the app gave the subscription (the last segment of its name); absent on notifications sent by hand without one. */
  readonly clientProvidedSubscriptionName?: string | undefined
  readonly healthUserId: string
  /** `UPSERT` or `DELETE` for the emulator's own; a notification sent by hand may carry any (`UPDATE` has been seen live). */
  readonly operation: string
  readonly dataType: string
  readonly intervals: ReadonlyArray<Interval>
}

/**
 * One item of the array Google posts.
 *
 * @since 0.1.0
 * @category models
 */
export interface Item {
  readonly data: Notification
}

/**
 * An interval of a range, in a user's civil time too.
 *
 * @since 0.1.0
 * @category formatting
 */
export const intervalOf = (range: Range, offsetMillis: number): Interval => {
  const start = GoogleData.civil(range.start, offsetMillis)
  const end = GoogleData.civil(range.end, offsetMillis)
  return {
    physicalTimeInterval: { startTime: GoogleData.rfc3339(range.start), endTime: GoogleData.rfc3339(range.end) },
    civilDateTimeInterval: { start: GoogleData.civilJson(start), end: GoogleData.civilJson(end) },
    civilIso8601TimeInterval: `${start}/${end}`
  }
}

/**
 * The range of a civil day of a user: from its midnight to the next.
 *
 * @since 0.1.0
 * @category dates
 */
export const dayRange = (date: string, offsetMillis: number): Range => ({
  start: GoogleData.physical(`${date}T00:00:00`, offsetMillis),
  end: GoogleData.physical(`${DataGenerator.addDays(date, 1)}T00:00:00`, offsetMillis)
})

/**
 * The range a data point covers: its interval; a sample's second; a daily value's civil day;
 * `undefined` for a point without time (`food`).
 *
 * @since 0.1.0
 * @category dates
 */
export const rangeOf = (point: GoogleData.Point, user: Registry.User): Range | undefined => {
  if (GoogleData.isCatalogue(point.dataType)) return undefined
  if (point.end > point.start) return { start: point.start, end: point.end }
  if (Rules.ruleOf(point.dataType)?.kind === "daily") return dayRange(point.date, user.offsetFromUTCMillis)
  return { start: point.start, end: point.start + 1000 }
}

/**
 * The change of data points of one type (the ranges they cover, each once).
 *
 * @since 0.1.0
 * @category constructors
 */
export const changeOf = (
  user: Registry.User,
  dataType: string,
  operation: Operation,
  points: ReadonlyArray<GoogleData.Point | undefined>
): Change => {
  const ranges: Array<Range> = []
  for (const point of points) {
    const range = point === undefined ? undefined : rangeOf(point, user)
    if (range !== undefined && !ranges.some((r) => r.start === range.start && r.end === range.end)) ranges.push(range)
  }
  return { userId: user.userId, dataType, operation, ranges }
}

/** A data type as a subscription or a config names it (`steps` or `dataTypes/steps`), kebab-case. */
const typeName = (dataType: string): string => dataType.split("/").pop()!

/** Whether a config names a data type (with a given policy, when one is asked for). */
const names = (
  config: GoogleState.StoredSubscriber["subscriberConfigs"][number],
  dataType: string,
  policy?: string
): boolean => (policy === undefined || config.subscriptionCreatePolicy === policy) && (config.dataTypes ?? []).some((d) => typeName(d) === dataType)

/**
 * Whether a subscriber has a config for a data type (Google sends a type's notifications only then).
 *
 * @since 0.1.0
 * @category predicates
 */
export const configures = (subscriber: GoogleState.StoredSubscriber, dataType: string): boolean =>
  subscriber.subscriberConfigs.some((config) => names(config, dataType))

/**
 * Whether a user has consented to a data type: a live Google grant holding a scope (read or
 * write) of the type's family. Google notifies only then.
 *
 * @since 0.1.0
 * @category predicates
 */
export const consented = (state: State, userId: string, dataType: string): boolean => {
  const family = categoryOf(dataType)
  return state.grants.list().some((grant) =>
    grant.provider === "google" && grant.userId === userId &&
    (Scopes.allows(grant.scopes, family, "read") || Scopes.allows(grant.scopes, family, "write"))
  )
}

/**
 * A subscriber a change reaches, with the `MANUAL` subscription it reaches it through (none for
 * an `AUTOMATIC` policy).
 *
 * @since 0.1.0
 * @category models
 */
export interface Reach {
  readonly subscriber: GoogleState.StoredSubscriber
  readonly subscription?: GoogleState.StoredSubscription | undefined
}

/** The user's `MANUAL` subscription at a subscriber that names a data type, if any. */
const subscriptionOf = (
  google: GoogleState.GoogleState,
  subscriber: GoogleState.StoredSubscriber,
  healthUserId: string,
  dataType: string
): GoogleState.StoredSubscription | undefined => {
  for (const subscription of google.subscriptions.values()) {
    if (!subscription.name.startsWith(`${subscriber.name}/subscriptions/`)) continue
    if (subscription.user !== `users/${healthUserId}`) continue
    if (subscription.dataTypes.some((d) => typeName(d) === dataType)) return subscription
  }
  return undefined
}

/**
 * The subscribers a user's change of a type reaches, each once: those with a config for the
 * type and either an `AUTOMATIC` policy for it or a subscription of the user naming it, while the
 * user has consented ({@link consented}).
 *
 * @since 0.1.0
 * @category subscriptions
 */
export const reached = (state: State, user: Registry.User, dataType: string): Array<Reach> => {
  const google = GoogleState.of(state)
  if (google.subscribers.size === 0 || !consented(state, user.userId, dataType)) return []
  const healthUserId = GoogleData.healthUserIdOf(user.userId)
  const out: Array<Reach> = []
  for (const subscriber of google.subscribers.values()) {
    if (!configures(subscriber, dataType)) continue
    const subscription = subscriptionOf(google, subscriber, healthUserId, dataType)
    if (subscription !== undefined) out.push({ subscriber, subscription })
    else if (subscriber.subscriberConfigs.some((config) => names(config, dataType, "AUTOMATIC"))) out.push({ subscriber })
  }
  return out
}

/** The target of a subscriber's deliveries. */
const targetOf = (subscriber: GoogleState.StoredSubscriber): Deliveries.Target => ({
  subscriber: subscriber.name,
  endpointUri: subscriber.endpointUri,
  authorization: subscriber.secret
})

/** The id the app gave a subscription: the last segment of its name. */
const subscriptionId = (subscription: GoogleState.StoredSubscription | undefined) =>
  subscription === undefined ? {} : { clientProvidedSubscriptionName: subscription.name.split("/").pop()! }

/** Hands items to the outbox, one dispatch per subscriber; answers when they are delivered. */
const dispatch = (
  google: GoogleState.GoogleState,
  bySubscriber: ReadonlyMap<GoogleState.StoredSubscriber, ReadonlyArray<Item>>
): Promise<ReadonlyArray<Deliveries.Delivery>> =>
  Promise.all([...bySubscriber].map(([subscriber, items]) => google.deliveries.dispatch(targetOf(subscriber), items)))
    .then((all) => all.flat())

/**
 * Sends the notifications of changes to every subscriber they reach ({@link reached}), in the
 * background: one item per change and subscriber, the items of one subscriber in POSTs of at most
 * 99. The answer settles when they are delivered; callers that must not wait ignore it (`flush`
 * on the outbox waits for them too). Never throws.
 *
 * @since 0.1.0
 * @category subscriptions
 */
export const publish = (state: State, changes: ReadonlyArray<Change>): Promise<ReadonlyArray<Deliveries.Delivery>> => {
  const google = GoogleState.of(state)
  if (google.subscribers.size === 0 || changes.length === 0) return Promise.resolve([])
  const bySubscriber = new Map<GoogleState.StoredSubscriber, Array<Item>>()
  for (const change of changes) {
    const user = state.registry.users.get(change.userId)
    if (user === undefined) continue
    const healthUserId = GoogleData.healthUserIdOf(user.userId)
    let intervals: Array<ReturnType<typeof intervalOf>>
    try {
      intervals = change.ranges.map((range) => intervalOf(range, user.offsetFromUTCMillis))
    } catch {
      continue // a time no Date holds (the write itself was answered): nothing Google could name
    }
    for (const { subscriber, subscription } of reached(state, user, change.dataType)) {
      const items = bySubscriber.get(subscriber) ?? []
      items.push({
        data: {
          version: VERSION,
          ...subscriptionId(subscription),
          healthUserId,
          operation: change.operation,
          dataType: change.dataType,
          intervals
        }
      })
      bySubscriber.set(subscriber, items)
    }
  }
  return dispatch(google, bySubscriber)
}

/** Whether the emulator generates points of a type that has time (a new day brings some). */
const generatedWithTime = (dataType: string): boolean =>
  GoogleData.GENERATED.includes(dataType) && !GoogleData.isCatalogue(dataType)

/**
 * The changes the clock moving from `from` to `to` makes: for each user, each civil day of theirs
 * begun in between (the newest {@link MAX_NEW_DAYS}) is an `UPSERT`, over that day, of each type
 * the emulator generates that reaches a subscriber. None when the clock went back.
 *
 * @since 0.1.0
 * @category subscriptions
 */
export const newDayChanges = (state: State, from: number, to: number): Array<Change> => {
  if (!(to > from)) return []
  if (!(Math.abs(to) < MAX_INSTANT && Math.abs(from) < MAX_INSTANT)) return [] // beyond what a Date holds: no days to name
  const google = GoogleState.of(state)
  const configured = new Set<string>()
  for (const subscriber of google.subscribers.values()) {
    for (const config of subscriber.subscriberConfigs) {
      for (const dataType of config.dataTypes ?? []) if (generatedWithTime(typeName(dataType))) configured.add(typeName(dataType))
    }
  }
  if (configured.size === 0) return []
  const changes: Array<Change> = []
  for (const user of state.registry.users.values()) {
    const types = [...configured].filter((dataType) => reached(state, user, dataType).length > 0)
    if (types.length === 0) continue
    const offset = user.offsetFromUTCMillis
    const first = DataGenerator.addDays(GoogleData.civil(from, offset).slice(0, 10), 1)
    const last = GoogleData.civil(to, offset).slice(0, 10)
    if (last < first) continue
    // only the newest MAX_NEW_DAYS days: a jump of years builds no list of every day in it
    const newest = DataGenerator.addDays(last, 1 - MAX_NEW_DAYS)
    for (const date of DataGenerator.datesBetween(newest > first ? newest : first, last)) {
      for (const dataType of types) {
        changes.push({ userId: user.userId, dataType, operation: "UPSERT", ranges: [dayRange(date, offset)] })
      }
    }
  }
  return changes
}

/**
 * Announces new days as the emulator clock passes them: when `setNow` or `advance` moves it past
 * users' midnights, and when `check` finds it did (a clock ticking with wall time). `stop` ends it.
 *
 * @since 0.1.0
 * @category subscriptions
 */
export const watchDays = (state: State): { readonly check: () => void; readonly stop: () => void } => {
  let seen = state.clock.now()
  const passTo = (to: number) => {
    const from = seen
    seen = to
    void publish(state, newDayChanges(state, from, to))
  }
  const stop = state.clock.onMove((_from, to) => passTo(to))
  return { check: () => passTo(state.clock.now()), stop }
}

/**
 * A notification to send by hand. `userId` (an emulator user id; the default user's when absent)
 * names the user whose `healthUserId` and time zone are used; `healthUserId` is sent as given
 * instead when present. `dataType` is `steps`, `operation` `UPSERT` unless given (any text is
 * sent: `UPDATE` has been seen live). `intervals` default to the user's current civil day; an
 * interval given as `{startTime, endTime}` (RFC 3339) is written out in Google's three forms, any
 * other object is sent as given. Every other field is sent as given (`version` too).
 *
 * @since 0.1.0
 * @category models
 */
export interface NotificationInput {
  readonly userId?: string | undefined
  readonly healthUserId?: string | undefined
  readonly dataType?: string | undefined
  readonly operation?: string | undefined
  readonly intervals?: ReadonlyArray<unknown> | undefined
  readonly [field: string]: unknown
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value)

/** An interval of a hand-sent notification: `{startTime, endTime}` written out, anything else as given. */
const intervalOfInput = (given: unknown, offsetMillis: number): unknown => {
  if (!isObject(given) || given.physicalTimeInterval !== undefined) return given
  const { endTime, startTime, ...rest } = given
  if (typeof startTime !== "string" || typeof endTime !== "string") return given
  const start = Date.parse(startTime)
  const end = Date.parse(endTime)
  if (Number.isNaN(start) || Number.isNaN(end)) {
    throw new TypeError(`interval ${JSON.stringify(given)}: startTime and endTime are RFC 3339 date-times`)
  }
  return { ...intervalOf({ start, end }, offsetMillis), ...rest }
}

/**
 * The `data` of a hand-sent notification for a subscriber (see {@link NotificationInput}).
 *
 * @since 0.1.0
 * @category constructors
 */
export const notificationOf = (
  state: State,
  subscriber: GoogleState.StoredSubscriber,
  input: NotificationInput
): Notification => {
  const { dataType, healthUserId, intervals, operation, userId, ...extra } = input
  const user = state.registry.users.get(userId ?? state.registry.defaultUserId)
  if (user === undefined) throw new TypeError(`unknown user ${userId}`)
  if (dataType !== undefined && typeof dataType !== "string") throw new TypeError("dataType is a data type's name, such as steps")
  if (operation !== undefined && typeof operation !== "string") throw new TypeError("operation is UPSERT, DELETE or another name")
  if (healthUserId !== undefined && typeof healthUserId !== "string") throw new TypeError("healthUserId is a string")
  if (intervals !== undefined && !Array.isArray(intervals)) throw new TypeError("intervals is a list of intervals")
  const offset = user.offsetFromUTCMillis
  const kind = dataType ?? "steps"
  const today = GoogleData.civil(state.clock.now(), offset).slice(0, 10)
  return {
    version: VERSION,
    ...subscriptionId(subscriptionOf(GoogleState.of(state), subscriber, GoogleData.healthUserIdOf(user.userId), kind)),
    healthUserId: healthUserId ?? GoogleData.healthUserIdOf(user.userId),
    operation: operation ?? "UPSERT",
    dataType: kind,
    intervals: intervals === undefined
      ? [intervalOf(dayRange(today, offset), offset)]
      : intervals.map((interval) => intervalOfInput(interval, offset)) as Array<Interval>,
    ...extra
  }
}

/**
 * Sends notifications now, whatever the subscriptions say: to one subscriber (its resource name)
 * or to every subscriber, all the given notifications to each (in POSTs of at most 99), and
 * answers the deliveries when done. Throws a `TypeError` when there is no such subscriber (or
 * none at all), or for a notification it cannot read.
 *
 * @since 0.1.0
 * @category subscriptions
 */
export const notify = (
  state: State,
  options: { readonly subscriber?: string | undefined; readonly notifications: ReadonlyArray<NotificationInput> }
): Promise<ReadonlyArray<Deliveries.Delivery>> => {
  const google = GoogleState.of(state)
  const given = options.notifications
  if (!Array.isArray(given) || given.length === 0 || !given.every(isObject)) {
    throw new TypeError("notifications is a non-empty list of objects ({userId?, dataType?, operation?, intervals?, …})")
  }
  if (options.subscriber !== undefined && !google.subscribers.has(options.subscriber)) {
    throw new TypeError(`unknown subscriber ${options.subscriber}: name one as projects/{project}/subscribers/{id}`)
  }
  const recipients = [...google.subscribers.values()].filter((s) => options.subscriber === undefined || s.name === options.subscriber)
  if (recipients.length === 0) {
    throw new TypeError("no Google subscriber to notify: create one with POST /v4/projects/{project}/subscribers")
  }
  const bySubscriber = new Map<GoogleState.StoredSubscriber, Array<Item>>()
  for (const subscriber of recipients) {
    bySubscriber.set(subscriber, given.map((input) => ({ data: notificationOf(state, subscriber, input) })))
  }
  return dispatch(google, bySubscriber)
}
