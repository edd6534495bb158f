/**
 * Generated activity data in Google's shapes: `steps`, `distance`, `floors`, `altitude`,
 * `active-energy-burned` and `basal-energy-burned` (15-minute intervals of the per-minute steps
 * and calories the Fitbit intraday routes serve), `sedentary-period` (the still runs of those
 * intervals), `activity-level` (runs of minutes at one level, adding up to the Fitbit summary's
 * minutes by level, none while asleep), `active-minutes` (the day's minutes by level, as in the
 * Fitbit summary), `active-zone-minutes`, `time-in-heart-rate-zone`, `exercise`, and
 * `swim-lengths-data` (a pool swim on one day in seven).
 *
 * @since 0.1.0
 */
import * as DataGenerator from "../../DataGenerator.js"
import type { Point } from "../GoogleData.js"
import { civil, physical } from "../Time.js"
import { BUCKET, interval, intervalPoint, TRACKER } from "./Builders.js"
import { type Day, type Generator, pointName } from "./Day.js"

const EXERCISE: Record<string, string> = { Walk: "WALKING", Run: "RUNNING", Bike: "BIKING" }

/** The steps of each 15-minute interval of a day. */
const stepsPerBucket = (day: Day): Array<number> => {
  const perMinute = DataGenerator.stepsByMinute(day.seed, day.user.userId, day.date)
  const out: Array<number> = []
  for (let m = 0; m < 1440; m += BUCKET) out.push(perMinute.slice(m, m + BUCKET).reduce((a, b) => a + b, 0))
  return out
}

/** One point per 15-minute interval with a value (`undefined`: no point), from the interval's index and steps. */
const buckets = (
  day: Day,
  dataType: string,
  field: string,
  value: (steps: number, index: number) => Record<string, unknown> | undefined
): Array<Point> =>
  stepsPerBucket(day).flatMap((count, i) => {
    const v = value(count, i)
    if (v === undefined) return []
    const start = day.midnight + i * BUCKET * 60_000
    return [intervalPoint(dataType, day.user, start, start + BUCKET * 60_000, field, v)]
  })

/**
 * A day total spread over the 15-minute intervals by their steps (evenly for basal energy), so
 * the intervals add up to the Fitbit daily summary exactly, as the Fitbit intraday route does.
 */
const spreadOver = (day: Day, total: (a: DataGenerator.DailyActivity) => number, digits: number, even = false) => {
  const a = DataGenerator.dailyActivity(day.seed, day.user.userId, day.date)
  const perMinute = DataGenerator.stepsByMinute(day.seed, day.user.userId, day.date)
  const minutes = DataGenerator.spread(total(a), even ? perMinute.map(() => 1) : perMinute, digits)
  return DataGenerator.bucketSums(minutes, BUCKET, digits)
}

/**
 * Runs of minutes at one activity level, adding up to the Fitbit summary's minutes by level: the
 * busiest waking minutes (by steps, 07:00 to 22:00) are vigorous, then moderate, then light; of
 * the rest, the first from midnight are asleep (no point, as Fitbit counts sleep apart from
 * sedentary time) and the others sedentary.
 */
const activityLevels: Generator = (day) => {
  const a = DataGenerator.dailyActivity(day.seed, day.user.userId, day.date)
  const perMinute = DataGenerator.stepsByMinute(day.seed, day.user.userId, day.date)
  const levels: Array<string | undefined> = new Array(1440).fill(undefined)
  const waking = Array.from({ length: 15 * 60 }, (_, i) => 7 * 60 + i).sort((x, y) => perMinute[y]! - perMinute[x]! || x - y)
  let next = 0
  for (const [level, minutes] of [["VIGOROUS", a.veryActiveMinutes], ["MODERATE", a.fairlyActiveMinutes], ["LIGHT", a.lightlyActiveMinutes]] as const) {
    for (let n = 0; n < minutes && next < waking.length; n++) levels[waking[next++]!] = level
  }
  let asleep = 1440 - a.veryActiveMinutes - a.fairlyActiveMinutes - a.lightlyActiveMinutes - a.sedentaryMinutes
  for (let m = 0; m < 1440; m++) {
    if (levels[m] !== undefined) continue
    if (asleep > 0) asleep--
    else levels[m] = "SEDENTARY"
  }
  const out: Array<Point> = []
  for (let m = 0; m < 1440;) {
    const level = levels[m]
    let end = m + 1
    while (end < 1440 && levels[end] === level) end++
    if (level !== undefined) {
      out.push(intervalPoint("activity-level", day.user, day.midnight + m * 60_000, day.midnight + end * 60_000, "activityLevel", { activityLevelType: level }))
    }
    m = end
  }
  return out
}

/** The runs of at least two still 15-minute intervals. */
const sedentaryPeriods: Generator = (day) => {
  const out: Array<Point> = []
  const counts = stepsPerBucket(day)
  let runStart: number | undefined
  for (let i = 0; i <= counts.length; i++) {
    const still = i < counts.length && counts[i] === 0
    if (still && runStart === undefined) runStart = i
    if (!still && runStart !== undefined) {
      if (i - runStart >= 2) {
        const from = day.midnight + runStart * BUCKET * 60_000
        out.push(intervalPoint("sedentary-period", day.user, from, day.midnight + i * BUCKET * 60_000, "sedentaryPeriod", {}))
      }
      runStart = undefined
    }
  }
  return out
}

/** Twenty pool lengths in the morning, on one day in seven. */
const swimLengths: Generator = (day) => {
  if (DataGenerator.dayNumber(day.date) % 7 !== 3) return []
  const next = DataGenerator.rng(day.seed, day.user.userId, day.date, "swim")
  const start = day.midnight + (7 * 60 + DataGenerator.between(next, 0, 30)) * 60_000
  return Array.from({ length: 20 }, (_, i) => {
    const from = start + i * 45_000
    return intervalPoint("swim-lengths-data", day.user, from, from + 40_000, "swimLengthsData", {
      strokeCount: String(DataGenerator.between(next, 14, 20)),
      swimStrokeType: i % 4 === 3 ? "BACKSTROKE" : "FREESTYLE"
    })
  })
}

const zoneKind = (name: string) =>
  name === "Out of Range" ? "OUT_OF_RANGE" : name === "Fat Burn" ? "FAT_BURN" : name === "Cardio" ? "CARDIO" : "PEAK"

const activeZoneMinutes: Generator = (day) => {
  const zones = DataGenerator.heartRateZones(day.seed, day.user.userId, day.date)
  const noon = day.midnight + 12 * 3_600_000
  return zones.flatMap((zone) => {
    if (zone.name === "Out of Range" || zone.minutes === 0) return []
    const kind = zoneKind(zone.name)
    return [intervalPoint("active-zone-minutes", day.user, noon, noon + zone.minutes * 60_000, "activeZoneMinutes", {
      heartRateZone: kind,
      activeZoneMinutes: String(kind === "FAT_BURN" ? zone.minutes : zone.minutes * 2)
    })]
  })
}

const exercise: Generator = (day) =>
  DataGenerator.workouts(day.seed, day.user.userId, day.date).map((w) => {
    const start = physical(w.startTime, day.offset)
    const end = start + w.durationMillis
    return {
      dataType: "exercise",
      json: {
        name: pointName(day, "exercise", String(w.logId)),
        dataSource: TRACKER,
        exercise: {
          interval: interval(start, end, day.offset),
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
      civilStart: civil(start, day.offset),
      civilEnd: civil(end, day.offset),
      start,
      end,
      date: day.date,
      id: String(w.logId)
    } satisfies Point
  })

/**
 * The activity generators by data type.
 *
 * @since 0.1.0
 * @category generators
 */
export const generators: Readonly<Record<string, Generator>> = {
  "steps": (day) => buckets(day, "steps", "steps", (n) => n === 0 ? undefined : { count: String(n) }),
  "distance": (day) => buckets(day, "distance", "distance", (n) => n === 0 ? undefined : { millimeters: String(n * 762) }),
  "floors": (day) => {
    const floors = spreadOver(day, (a) => a.floors, 0)
    return buckets(day, "floors", "floors", (_, i) => floors[i] === 0 ? undefined : { count: String(floors[i]) })
  },
  "altitude": (day) => {
    const floors = spreadOver(day, (a) => a.floors, 0)
    return buckets(day, "altitude", "altitude", (_, i) => floors[i] === 0 ? undefined : { gainMillimeters: String(floors[i]! * 3048) })
  },
  "active-energy-burned": (day) => {
    const kcal = spreadOver(day, (a) => a.activityCalories, 2)
    return buckets(day, "active-energy-burned", "activeEnergyBurned", (_, i) => kcal[i] === 0 ? undefined : { kcal: kcal[i] })
  },
  "basal-energy-burned": (day) => {
    const kcal = spreadOver(day, (a) => a.caloriesBMR, 2, true)
    return buckets(day, "basal-energy-burned", "basalEnergyBurned", (_, i) => ({ kcal: kcal[i] }))
  },
  "activity-level": activityLevels,
  "sedentary-period": sedentaryPeriods,
  "active-minutes": (day) => {
    const a = DataGenerator.dailyActivity(day.seed, day.user.userId, day.date)
    return [intervalPoint("active-minutes", day.user, day.midnight, day.midnight + 86_400_000, "activeMinutes", {
      activeMinutesByActivityLevel: [
        { activityLevel: "LIGHT", activeMinutes: String(a.lightlyActiveMinutes) },
        { activityLevel: "MODERATE", activeMinutes: String(a.fairlyActiveMinutes) },
        { activityLevel: "VIGOROUS", activeMinutes: String(a.veryActiveMinutes) }
      ]
    })]
  },
  // The whole day, zone after zone from midnight (out of range first), as the Fitbit zones count it.
  "time-in-heart-rate-zone": (day) => {
    let at = day.midnight
    return DataGenerator.heartRateZones(day.seed, day.user.userId, day.date).flatMap((zone) => {
      if (zone.minutes === 0) return []
      const start = at
      at += zone.minutes * 60_000
      return [intervalPoint("time-in-heart-rate-zone", day.user, start, at, "timeInHeartRateZone", { heartRateZoneType: zoneKind(zone.name) })]
    })
  },
  "swim-lengths-data": swimLengths,
  "active-zone-minutes": activeZoneMinutes,
  "exercise": exercise
}
