/**
 * The emulator's users and generated data in the Google Health API v4 shapes: the same
 * `DataGenerator` numbers the Fitbit routes serve (steps, distance, heart rate, resting heart
 * rate, HRV, sleep, weight, body fat, active zone minutes, SpO2, exercise), as data points with
 * physical and civil times. Plain functions.
 *
 * @since 0.1.0
 */
import * as DataGenerator from "../DataGenerator.js"
import type * as Registry from "../Registry.js"

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
 * @category users
 */
export const healthUserIdOf = (userId: string): string =>
  `1${String(DataGenerator.hash(`health-user|${userId}`)).padStart(10, "0")}${userId.length}`

/**
 * The Fitbit user of a health user id, if any.
 *
 * @since 0.1.0
 * @category users
 */
export const userOfHealthId = (
  users: ReadonlyMap<string, Registry.User>,
  healthUserId: string
): Registry.User | undefined => [...users.values()].find((u) => healthUserIdOf(u.userId) === healthUserId)

/**
 * `"3600s"` of milliseconds.
 *
 * @since 0.1.0
 * @category formatting
 */
export const offsetText = (millis: number): string => `${Math.round(millis / 1000)}s`

/**
 * RFC 3339 UTC of epoch milliseconds.
 *
 * @since 0.1.0
 * @category formatting
 */
export const rfc3339 = (millis: number): string => new Date(millis).toISOString().replace(/\.000Z$/, "Z")

/**
 * Epoch milliseconds of a local `YYYY-MM-DDTHH:mm:ss[.SSS]` at an offset.
 *
 * @since 0.1.0
 * @category dates
 */
export const physical = (local: string, offsetMillis: number): number => Date.parse(`${local.slice(0, 19)}Z`) - offsetMillis

/**
 * Local `YYYY-MM-DDTHH:mm:ss` of epoch milliseconds at an offset.
 *
 * @since 0.1.0
 * @category dates
 */
export const civil = (millis: number, offsetMillis: number): string =>
  new Date(millis + offsetMillis).toISOString().slice(0, 19)

/**
 * Google's `CivilDateTime` of a local date-time.
 *
 * @since 0.1.0
 * @category formatting
 */
export const civilJson = (local: string) => ({
  date: { year: Number(local.slice(0, 4)), month: Number(local.slice(5, 7)), day: Number(local.slice(8, 10)) },
  time: { hours: Number(local.slice(11, 13)), minutes: Number(local.slice(14, 16)), seconds: Number(local.slice(17, 19)) }
})

/**
 * Google's `Date` of a `YYYY-MM-DD`.
 *
 * @since 0.1.0
 * @category formatting
 */
export const dateJson = (date: string) => ({
  year: Number(date.slice(0, 4)),
  month: Number(date.slice(5, 7)),
  day: Number(date.slice(8, 10))
})

const interval = (start: number, end: number, offset: number) => ({
  startTime: rfc3339(start),
  endTime: rfc3339(end),
  startUtcOffset: offsetText(offset),
  endUtcOffset: offsetText(offset),
  civilStartTime: civilJson(civil(start, offset)),
  civilEndTime: civilJson(civil(end, offset))
})

const sampleTime = (at: number, offset: number) => ({
  physicalTime: rfc3339(at),
  utcOffset: offsetText(offset),
  civilTime: civilJson(civil(at, offset))
})

const TRACKER = {
  recordingMethod: "PASSIVELY_MEASURED",
  platform: "FITBIT",
  device: { displayName: "Charge 6", formFactor: "FITNESS_BAND", manufacturer: "Fitbit" }
}
const SCALE = {
  recordingMethod: "PASSIVELY_MEASURED",
  platform: "FITBIT",
  device: { displayName: "Aria Air", formFactor: "SCALE", manufacturer: "Fitbit" }
}

/** Minutes per interval point of steps and distance. */
const BUCKET = 15

const intervalPoint = (
  dataType: string,
  user: Registry.User,
  start: number,
  end: number,
  field: string,
  value: Record<string, unknown>,
  dataSource: Record<string, unknown> = TRACKER
): Point => {
  const offset = user.offsetFromUTCMillis
  return {
    dataType,
    json: { dataSource, [field]: { ...value, interval: interval(start, end, offset) } },
    civilStart: civil(start, offset),
    civilEnd: civil(end, offset),
    start,
    end,
    date: civil(start, offset).slice(0, 10)
  }
}

const samplePoint = (
  dataType: string,
  user: Registry.User,
  at: number,
  field: string,
  value: Record<string, unknown>,
  options: { readonly id?: string; readonly healthUserId?: string; readonly dataSource?: Record<string, unknown> } = {}
): Point => {
  const offset = user.offsetFromUTCMillis
  return {
    dataType,
    json: {
      ...(options.id === undefined ? {} : { name: `users/${options.healthUserId}/dataTypes/${dataType}/dataPoints/${options.id}` }),
      dataSource: options.dataSource ?? TRACKER,
      [field]: { ...value, sampleTime: sampleTime(at, offset) }
    },
    civilStart: civil(at, offset),
    civilEnd: civil(at, offset),
    start: at,
    end: at,
    date: civil(at, offset).slice(0, 10),
    ...(options.id === undefined ? {} : { id: options.id })
  }
}

const dailyPoint = (dataType: string, user: Registry.User, date: string, field: string, value: Record<string, unknown>): Point => {
  const start = physical(`${date}T00:00:00`, user.offsetFromUTCMillis)
  return {
    dataType,
    json: { dataSource: TRACKER, [field]: { ...value, date: dateJson(date) } },
    civilStart: `${date}T00:00:00`,
    civilEnd: `${date}T00:00:00`,
    start,
    end: start,
    date
  }
}

const STAGE: Record<DataGenerator.SleepLevel, string> = { deep: "DEEP", light: "LIGHT", rem: "REM", wake: "AWAKE" }
const EXERCISE: Record<string, string> = { Walk: "WALKING", Run: "RUNNING", Bike: "BIKING" }

/**
 * The sleep session ending on a date as a Google `sleep` data point.
 *
 * @since 0.1.0
 * @category data
 */
export const sleepPoint = (seed: string, user: Registry.User, date: string): Point => {
  const s = DataGenerator.sleep(seed, user.userId, date)
  const offset = user.offsetFromUTCMillis
  const start = physical(s.startTime, offset)
  const end = physical(s.endTime, offset)
  const stages = s.segments.map((seg) => {
    const segStart = physical(seg.dateTime, offset)
    return {
      type: STAGE[seg.level],
      startTime: rfc3339(segStart),
      endTime: rfc3339(segStart + seg.seconds * 1000),
      startUtcOffset: offsetText(offset),
      endUtcOffset: offsetText(offset)
    }
  })
  const id = String(s.logId)
  const healthUserId = healthUserIdOf(user.userId)
  return {
    dataType: "sleep",
    json: {
      name: `users/${healthUserId}/dataTypes/sleep/dataPoints/${id}`,
      dataSource: TRACKER,
      sleep: {
        interval: interval(start, end, offset),
        type: "STAGES",
        stages,
        summary: {
          minutesAsleep: String(s.minutesAsleep),
          minutesAwake: String(s.minutesAwake),
          minutesInSleepPeriod: String(s.timeInBed),
          minutesToFallAsleep: "0",
          minutesAfterWakeUp: "0",
          stagesSummary: (["deep", "light", "rem", "wake"] as const).map((level) => ({
            type: STAGE[level],
            minutes: String(s.summary[level].minutes),
            count: String(s.summary[level].count)
          }))
        },
        metadata: { mainSleep: true, nap: false, processed: true, manuallyEdited: false, stagesStatus: "SUCCEEDED" }
      }
    },
    civilStart: civil(start, offset),
    civilEnd: civil(end, offset),
    start,
    end,
    date,
    id
  }
}

/**
 * The generated points of one data type on one civil date (sleep: the night ending that date).
 * Types the emulator does not generate have none.
 *
 * @since 0.1.0
 * @category data
 */
export const pointsOn = (seed: string, user: Registry.User, dataType: string, date: string): Array<Point> => {
  const id = user.userId
  const offset = user.offsetFromUTCMillis
  const midnight = physical(`${date}T00:00:00`, offset)
  const healthUserId = healthUserIdOf(id)
  switch (dataType) {
    case "steps":
    case "distance": {
      const perMinute = DataGenerator.stepsByMinute(seed, id, date)
      const out: Array<Point> = []
      for (let m = 0; m < 1440; m += BUCKET) {
        const count = perMinute.slice(m, m + BUCKET).reduce((a, b) => a + b, 0)
        if (count === 0) continue
        const start = midnight + m * 60_000
        out.push(
          dataType === "steps"
            ? intervalPoint("steps", user, start, start + BUCKET * 60_000, "steps", { count: String(count) })
            : intervalPoint("distance", user, start, start + BUCKET * 60_000, "distance", {
              millimeters: String(count * 762)
            })
        )
      }
      return out
    }
    case "heart-rate":
      return DataGenerator.heartRateSamples(seed, id, date, 300).map(([second, bpm]) =>
        samplePoint("heart-rate", user, midnight + second * 1000, "heartRate", {
          beatsPerMinute: String(bpm),
          metadata: { motionContext: "ACTIVE", sensorLocation: "WRIST" }
        })
      )
    case "daily-resting-heart-rate":
      return [dailyPoint("daily-resting-heart-rate", user, date, "dailyRestingHeartRate", {
        beatsPerMinute: String(DataGenerator.restingHeartRate(seed, id, date)),
        dailyRestingHeartRateMetadata: { calculationMethod: "WITH_SLEEP" }
      })]
    case "daily-heart-rate-variability": {
      const next = DataGenerator.rng(seed, id, date, "hrv")
      return [dailyPoint("daily-heart-rate-variability", user, date, "dailyHeartRateVariability", {
        averageHeartRateVariabilityMilliseconds: Math.round((25 + next() * 50) * 10) / 10,
        nonRemHeartRateBeatsPerMinute: String(DataGenerator.restingHeartRate(seed, id, date) + 2),
        entropy: Math.round((2 + next()) * 100) / 100,
        deepSleepRootMeanSquareOfSuccessiveDifferencesMilliseconds: Math.round((30 + next() * 50) * 10) / 10
      })]
    }
    case "heart-rate-variability": {
      const s = DataGenerator.sleep(seed, id, date)
      const next = DataGenerator.rng(seed, id, date, "hrv-samples")
      const start = physical(s.startTime, offset)
      return Array.from({ length: Math.floor(s.timeInBed / 60) }, (_, i) =>
        samplePoint("heart-rate-variability", user, start + i * 3_600_000, "heartRateVariability", {
          rootMeanSquareOfSuccessiveDifferencesMilliseconds: Math.round((20 + next() * 60) * 10) / 10
        }))
    }
    case "sleep":
      return [sleepPoint(seed, user, date)]
    case "weight":
    case "body-fat": {
      const w = DataGenerator.weight(seed, id, date, user)
      if (w === undefined) return []
      const at = physical(`${date}T${w.time}`, offset)
      return dataType === "weight"
        ? [samplePoint("weight", user, at, "weight", { weightGrams: Math.round(w.weightKg * 1000) }, {
          id: String(w.logId),
          healthUserId,
          dataSource: SCALE
        })]
        : [samplePoint("body-fat", user, at, "bodyFat", { percentage: w.fatPercent }, {
          id: String(w.logId + 1),
          healthUserId,
          dataSource: SCALE
        })]
    }
    case "active-zone-minutes": {
      const zones = DataGenerator.heartRateZones(seed, id, date)
      const noon = midnight + 12 * 3_600_000
      return zones.flatMap((zone) => {
        if (zone.name === "Out of Range" || zone.minutes === 0) return []
        const kind = zone.name === "Fat Burn" ? "FAT_BURN" : zone.name === "Cardio" ? "CARDIO" : "PEAK"
        return [intervalPoint("active-zone-minutes", user, noon, noon + zone.minutes * 60_000, "activeZoneMinutes", {
          heartRateZone: kind,
          activeZoneMinutes: String(kind === "FAT_BURN" ? zone.minutes : zone.minutes * 2)
        })]
      })
    }
    case "oxygen-saturation":
    case "daily-oxygen-saturation": {
      const next = DataGenerator.rng(seed, id, date, "spo2")
      const avg = Math.round((94 + next() * 4) * 10) / 10
      if (dataType === "daily-oxygen-saturation") {
        return [dailyPoint("daily-oxygen-saturation", user, date, "dailyOxygenSaturation", {
          averagePercentage: avg,
          lowerBoundPercentage: Math.round((avg - 2) * 10) / 10,
          upperBoundPercentage: Math.min(100, Math.round((avg + 2) * 10) / 10)
        })]
      }
      const s = DataGenerator.sleep(seed, id, date)
      const start = physical(s.startTime, offset)
      return Array.from({ length: 4 }, (_, i) =>
        samplePoint("oxygen-saturation", user, start + i * 5_400_000, "oxygenSaturation", {
          percentage: Math.round((avg + (next() - 0.5) * 2) * 10) / 10
        }))
    }
    case "exercise":
      return DataGenerator.workouts(seed, id, date).map((w) => {
        const start = physical(w.startTime, offset)
        const end = start + w.durationMillis
        return {
          dataType: "exercise",
          json: {
            name: `users/${healthUserId}/dataTypes/exercise/dataPoints/${w.logId}`,
            dataSource: TRACKER,
            exercise: {
              interval: interval(start, end, offset),
              exerciseType: EXERCISE[w.activityName] ?? "OTHER",
              displayName: w.activityName,
              activeDuration: `${w.durationMillis / 1000}s`,
              metricsSummary: {
                steps: String(w.steps),
                distanceMillimeters: Math.round(w.distanceKm * 1_000_000),
                caloriesKcal: w.calories,
                averageHeartRateBeatsPerMinute: String(w.averageHeartRate)
              }
            }
          },
          civilStart: civil(start, offset),
          civilEnd: civil(end, offset),
          start,
          end,
          date,
          id: String(w.logId)
        } satisfies Point
      })
    default:
      return []
  }
}

/**
 * Whether a data type is a session type (sleep, exercise: page size at most 25).
 *
 * @since 0.1.0
 * @category data
 */
export const isSession = (dataType: string): boolean => dataType === "sleep" || dataType === "exercise"

/**
 * Whether the emulator generates data of a type.
 *
 * @since 0.1.0
 * @category data
 */
export const GENERATED: ReadonlyArray<string> = [
  "steps",
  "distance",
  "heart-rate",
  "daily-resting-heart-rate",
  "heart-rate-variability",
  "daily-heart-rate-variability",
  "sleep",
  "weight",
  "body-fat",
  "active-zone-minutes",
  "oxygen-saturation",
  "daily-oxygen-saturation",
  "exercise"
]

/**
 * The paired devices of a user: a tracker and a scale.
 *
 * @since 0.1.0
 * @category devices
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

/**
 * The age of a user on a date.
 *
 * @since 0.1.0
 * @category users
 */
export const ageOn = (dateOfBirth: string, now: number): number => {
  const today = new Date(now)
  const birth = new Date(`${dateOfBirth}T00:00:00Z`)
  return today.getUTCFullYear() - birth.getUTCFullYear() -
    (today.getUTCMonth() < birth.getUTCMonth() ||
        (today.getUTCMonth() === birth.getUTCMonth() && today.getUTCDate() < birth.getUTCDate())
      ? 1
      : 0)
}

/**
 * A civil literal of a filter (`YYYY-MM-DD[THH:mm[:ss]]`) as `YYYY-MM-DDTHH:mm:ss`;
 * `undefined` when it is not one.
 *
 * @since 0.1.0
 * @category dates
 */
export const normaliseCivil = (literal: string): string | undefined => {
  const match = /^(\d{4}-\d{2}-\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2}))?)?$/.exec(literal)
  if (match === null || !DataGenerator.isDate(match[1]!)) return undefined
  return `${match[1]}T${match[2] ?? "00"}:${match[3] ?? "00"}:${match[4] ?? "00"}`
}

