/**
 * The emulator's users and generated data in the Google Health API v4 shapes: the data-point
 * model the routes filter on, health user ids (the legacy Fitbit id is kept as
 * `legacyUserId`), paired devices, and (re-exported) the generated points of every data type
 * and the time formats. Plain functions.
 *
 * @since 0.1.0
 */
import * as DataGenerator from "../DataGenerator.js"
import type * as Registry from "../Registry.js"
import { rfc3339 } from "./Time.js"

export {
  /** Local `YYYY-MM-DDTHH:mm:ss` of epoch milliseconds at an offset. */
  civil,
  /** Google's `CivilDateTime` of a local date-time. */
  civilJson,
  /** Google's `Date` of a `YYYY-MM-DD`. */
  dateJson,
  /** A civil filter literal normalised to `YYYY-MM-DDTHH:mm:ss`. */
  normaliseCivil,
  /** `"3600s"` of milliseconds. */
  offsetText,
  /** Epoch milliseconds of a local date-time at an offset. */
  physical,
  /** RFC 3339 UTC of epoch milliseconds. */
  rfc3339
} from "./Time.js"
export {
  /** The age of a user on a date. */
  ageOn
} from "../DataGenerator.js"
export {
  /** The points of a catalogue type (`food`, `food-measurement-unit`), which have no time. */
  catalogueOf,
  /** Whether the emulator generates data of a type. */
  GENERATED,
  /** A Fitbit water log as a `hydration-log` point. */
  hydrationOfWater,
  /** Whether a data type is a catalogue type. */
  isCatalogue,
  /** Whether a data type is a session type. */
  /** The generated points of one data type on one civil date. */
  pointsOn,
  /** The sleep session ending on a date as a `sleep` data point. */
  sleepPoint
} from "./Generated.js"

/**
 * A generated or stored data point with the keys the filters compare.
 *
 * @since 0.1.0
 * @category models
 */
export interface Point {
  readonly dataType: string
  /** The wire JSON (without `name` for non-identifiable types). */
  readonly json: Record<string, unknown>
  /** Local start `YYYY-MM-DDTHH:mm:ss` (sample time for samples, the date at midnight for daily types). */
  readonly civilStart: string
  readonly civilEnd: string
  /** Epoch milliseconds. */
  readonly start: number
  readonly end: number
  /** The civil date of a daily type, else of the start. */
  readonly date: string
  /** The id of an identifiable point. */
  readonly id?: string
}

/**
 * The health user id the emulator gives a Fitbit user: stable, and the Fitbit id is kept as
 * `legacyUserId`.
 *
 * @since 0.1.0
 * @category endpoints
 */
export const healthUserIdOf = (userId: string): string =>
  `1${String(DataGenerator.hash(`health-user|${userId}`)).padStart(10, "0")}${userId.length}`

/**
 * The Fitbit user of a health user id, if any.
 *
 * @since 0.1.0
 * @category endpoints
 */
export const userOfHealthId = (
  users: ReadonlyMap<string, Registry.User>,
  healthUserId: string
): Registry.User | undefined => [...users.values()].find((u) => healthUserIdOf(u.userId) === healthUserId)

/**
 * The paired devices of a user: a tracker and a scale.
 *
 * @since 0.1.0
 * @category endpoints
 */
export const pairedDevices = (seed: string, user: Registry.User, now: number) => {
  const next = DataGenerator.rng(seed, user.userId, "device")
  const healthUserId = healthUserIdOf(user.userId)
  const trackerId = String(2_000_000_000 + (DataGenerator.hash(`${seed}|${user.userId}|device`) % 100_000_000))
  const scaleId = String(3_000_000_000 + (DataGenerator.hash(`${seed}|${user.userId}|scale`) % 100_000_000))
  return [
    {
      name: `users/${healthUserId}/pairedDevices/${trackerId}`,
      batteryLevel: 60 + Math.floor(next() * 40),
      batteryStatus: "High",
      deviceType: "TRACKER",
      deviceVersion: "Charge 6",
      lastSyncTime: rfc3339(Math.floor((now - Math.floor(next() * 3_600_000)) / 1000) * 1000),
      macAddress: "A1B2C3D4E5F6",
      features: ["STEPS", "HEART_RATE", "SLEEP", "SPO2", "ACTIVE_ZONE_MINUTES"]
    },
    {
      name: `users/${healthUserId}/pairedDevices/${scaleId}`,
      batteryLevel: 80,
      batteryStatus: "High",
      deviceType: "SCALE",
      deviceVersion: "Aria Air",
      lastSyncTime: rfc3339(Math.floor((now - 86_400_000) / 1000) * 1000),
      macAddress: "F6E5D4C3B2A1",
      features: []
    }
  ]
}


