/**
 * What users write through the API (water logs, activity and sleep logs, deletions of
 * generated entries, subscriptions, profile edits), layered over the generated data.
 *
 * @since 0.1.0
 */

/**
 * A water log entry (millilitres).
 *
 * @since 0.1.0
 * @category models
 */
export interface WaterLog {
  readonly logId: number
  readonly date: string
  amountMl: number
}

/**
 * An activity logged through `POST /activities.json`.
 *
 * @since 0.1.0
 * @category models
 */
export interface ActivityLog {
  readonly logId: number
  readonly date: string
  readonly activityName: string
  readonly activityTypeId: number
  /** Local `yyyy-MM-ddTHH:mm:ss.000`. */
  readonly startTime: string
  readonly durationMillis: number
  readonly calories: number
  readonly distanceKm: number
}

/**
 * A sleep logged through `POST /sleep.json`.
 *
 * @since 0.1.0
 * @category models
 */
export interface SleepLog {
  readonly logId: number
  readonly dateOfSleep: string
  /** Epoch-like minutes: day number × 1440 + minute of day, for overlap checks. */
  readonly startAbsMinute: number
  readonly durationMillis: number
  readonly startTime: string
  readonly endTime: string
}

/**
 * A weight logged through `POST /body/log/weight.json`.
 *
 * @since 0.1.0
 * @category models
 */
export interface WeightLog {
  readonly logId: number
  readonly date: string
  readonly time: string
  readonly weightKg: number
}

/**
 * A subscription of an app to a user's collection.
 *
 * @since 0.1.0
 * @category models
 */
export interface Subscription {
  readonly subscriptionId: string
  readonly collectionType: string
  readonly ownerId: string
  readonly subscriberId: string
}

/**
 * The writable state of one user.
 *
 * @since 0.1.0
 * @category models
 */
export interface UserWrites {
  readonly water: Array<WaterLog>
  readonly activities: Array<ActivityLog>
  readonly sleeps: Array<SleepLog>
  readonly weights: Array<WeightLog>
  /** Generated log ids (workouts, sleeps) the user deleted. */
  readonly deleted: Set<number>
  readonly profile: Record<string, string>
}

/**
 * All users' writes, plus subscriptions by app.
 *
 * @since 0.1.0
 * @category models
 */
export interface UserData {
  readonly of: (userId: string) => UserWrites
  /** Subscriptions of an app for a user. */
  readonly subscriptions: (clientId: string, userId: string) => Map<string, Subscription>
  /** A new log id, unique in this emulator. */
  readonly nextLogId: () => number
}

/**
 * Makes an empty store.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (): UserData => {
  const users = new Map<string, UserWrites>()
  const subs = new Map<string, Map<string, Subscription>>()
  let logId = 50_000_000_000
  return {
    of: (userId) => {
      let writes = users.get(userId)
      if (writes === undefined) {
        writes = { water: [], activities: [], sleeps: [], weights: [], deleted: new Set(), profile: {} }
        users.set(userId, writes)
      }
      return writes
    },
    subscriptions: (clientId, userId) => {
      const key = `${clientId}:${userId}`
      let map = subs.get(key)
      if (map === undefined) {
        map = new Map()
        subs.set(key, map)
      }
      return map
    },
    nextLogId: () => ++logId
  }
}
