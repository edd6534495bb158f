/**
 * Generated cardio fitness in Google's shapes: `daily-vo2-max` and `vo2-max` (the estimate from
 * the resting heart rate that a Fitbit tracker's cardio fitness score gives), and `run-vo2-max`
 * (after each run the Fitbit routes log).
 *
 * @since 0.1.0
 */
import * as DataGenerator from "../../DataGenerator.js"
import { physical } from "../Time.js"
import { atMinute, dailyPoint, samplePoint } from "./Builders.js"
import type { Day, Generator } from "./Day.js"

const vo2Of = (day: Day) =>
  DataGenerator.vo2Max(day.seed, day.user.userId, day.date, DataGenerator.ageOn(day.user.dateOfBirth, Date.parse(`${day.date}T12:00:00Z`)))

/**
 * The fitness generators by data type.
 *
 * @since 0.1.0
 * @category generators
 */
export const generators: Readonly<Record<string, Generator>> = {
  "daily-vo2-max": (day) => {
    const v = vo2Of(day)
    return [dailyPoint("daily-vo2-max", day.user, day.date, "dailyVo2Max", {
      vo2Max: v.value,
      vo2MaxCovariance: 1.2,
      cardioFitnessLevel: v.level,
      estimated: true
    })]
  },
  "vo2-max": (day) => [
    samplePoint("vo2-max", day.user, atMinute(day, 6 * 60), "vo2Max", { vo2Max: vo2Of(day).value, measurementMethod: "FITBIT_ESTIMATE" })
  ],
  "run-vo2-max": (day) =>
    DataGenerator.workouts(day.seed, day.user.userId, day.date)
      .filter((w) => w.activityName === "Run")
      .map((w) =>
        samplePoint("run-vo2-max", day.user, physical(w.startTime, day.offset) + w.durationMillis, "runVo2Max", {
          runVo2Max: Math.round((vo2Of(day).value + 1.5) * 10) / 10
        })
      )
}
