/**
 * Generated vital signs in Google's shapes: `oxygen-saturation` samples during the night and
 * the night's `daily-oxygen-saturation` summary.
 *
 * @since 0.1.0
 */
import * as DataGenerator from "../../DataGenerator.js"
import { physical } from "../Time.js"
import { dailyPoint, samplePoint } from "./Builders.js"
import type { Day, Generator } from "./Day.js"

const averageSpo2 = (day: Day) => {
  const next = DataGenerator.rng(day.seed, day.user.userId, day.date, "spo2")
  return { next, avg: Math.round((94 + next() * 4) * 10) / 10 }
}

/**
 * The vital-sign generators by data type.
 *
 * @since 0.1.0
 * @category generators
 */
export const generators: Readonly<Record<string, Generator>> = {
  "daily-oxygen-saturation": (day) => {
    const { avg } = averageSpo2(day)
    return [dailyPoint("daily-oxygen-saturation", day.user, day.date, "dailyOxygenSaturation", {
      averagePercentage: avg,
      lowerBoundPercentage: Math.round((avg - 2) * 10) / 10,
      upperBoundPercentage: Math.min(100, Math.round((avg + 2) * 10) / 10)
    })]
  },
  "oxygen-saturation": (day) => {
    const { avg, next } = averageSpo2(day)
    const s = DataGenerator.sleep(day.seed, day.user.userId, day.date)
    const start = physical(s.startTime, day.offset)
    return Array.from({ length: 4 }, (_, i) =>
      samplePoint("oxygen-saturation", day.user, start + i * 5_400_000, "oxygenSaturation", {
        percentage: Math.round((avg + (next() - 0.5) * 2) * 10) / 10
      }))
  }
}
