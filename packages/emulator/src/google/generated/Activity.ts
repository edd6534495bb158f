/**
 * Generated activity data in Google's shapes: `steps` and `distance` (15-minute intervals of
 * the per-minute steps the Fitbit routes serve), `active-zone-minutes` and `exercise`.
 *
 * @since 0.1.0
 */
import * as DataGenerator from "../../DataGenerator.js"
import type { Point } from "../GoogleData.js"
import { civil, physical } from "../Time.js"
import { BUCKET, interval, intervalPoint, TRACKER } from "./Builders.js"
import { type Day, type Generator, pointName } from "./Day.js"

const EXERCISE: Record<string, string> = { Walk: "WALKING", Run: "RUNNING", Bike: "BIKING" }

const buckets = (day: Day, dataType: "steps" | "distance"): Array<Point> => {
  const perMinute = DataGenerator.stepsByMinute(day.seed, day.user.userId, day.date)
  const out: Array<Point> = []
  for (let m = 0; m < 1440; m += BUCKET) {
    const count = perMinute.slice(m, m + BUCKET).reduce((a, b) => a + b, 0)
    if (count === 0) continue
    const start = day.midnight + m * 60_000
    out.push(
      dataType === "steps"
        ? intervalPoint("steps", day.user, start, start + BUCKET * 60_000, "steps", { count: String(count) })
        : intervalPoint("distance", day.user, start, start + BUCKET * 60_000, "distance", { millimeters: String(count * 762) })
    )
  }
  return out
}

const activeZoneMinutes: Generator = (day) => {
  const zones = DataGenerator.heartRateZones(day.seed, day.user.userId, day.date)
  const noon = day.midnight + 12 * 3_600_000
  return zones.flatMap((zone) => {
    if (zone.name === "Out of Range" || zone.minutes === 0) return []
    const kind = zone.name === "Fat Burn" ? "FAT_BURN" : zone.name === "Cardio" ? "CARDIO" : "PEAK"
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
  "steps": (day) => buckets(day, "steps"),
  "distance": (day) => buckets(day, "distance"),
  "active-zone-minutes": activeZoneMinutes,
  "exercise": exercise
}
