/**
 * Generated body measurements in Google's shapes: `weight` and `body-fat` samples from the
 * scale, identifiable, on the days the Fitbit routes have a weigh-in, and the profile's `height`
 * (logged on the first of each month).
 *
 * @since 0.1.0
 */
import * as DataGenerator from "../../DataGenerator.js"
import { physical } from "../Time.js"
import { atMinute, MANUAL, samplePoint, SCALE } from "./Builders.js"
import type { Day, Generator } from "./Day.js"

const weighIn = (day: Day, dataType: "weight" | "body-fat") => {
  const w = DataGenerator.weight(day.seed, day.user.userId, day.date, day.user)
  if (w === undefined) return []
  const at = physical(`${day.date}T${w.time}`, day.offset)
  return dataType === "weight"
    ? [samplePoint("weight", day.user, at, "weight", { weightGrams: Math.round(w.weightKg * 1000) }, {
      id: String(w.logId),
      healthUserId: day.healthUserId,
      dataSource: SCALE
    })]
    : [samplePoint("body-fat", day.user, at, "bodyFat", { percentage: w.fatPercent }, {
      id: String(w.logId + 1),
      healthUserId: day.healthUserId,
      dataSource: SCALE
    })]
}

/**
 * The body generators by data type.
 *
 * @since 0.1.0
 * @category generators
 */
export const generators: Readonly<Record<string, Generator>> = {
  "weight": (day) => weighIn(day, "weight"),
  "body-fat": (day) => weighIn(day, "body-fat"),
  "height": (day) =>
    day.date.endsWith("-01")
      ? [samplePoint("height", day.user, atMinute(day, 8 * 60), "height", { heightMillimeters: String(Math.round(day.user.heightCm * 10)) }, {
        dataSource: MANUAL
      })]
      : []
}
