/**
 * Generated body measurements in Google's shapes: `weight` and `body-fat` samples from the
 * scale, identifiable, on the days the Fitbit routes have a weigh-in.
 *
 * @since 0.1.0
 */
import * as DataGenerator from "../../DataGenerator.js"
import { physical } from "../Time.js"
import { samplePoint, SCALE } from "./Builders.js"
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
  "body-fat": (day) => weighIn(day, "body-fat")
}
