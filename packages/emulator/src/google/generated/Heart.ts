/**
 * Generated heart data in Google's shapes: `heart-rate` samples (every 5 minutes),
 * `daily-resting-heart-rate`, `heart-rate-variability` (hourly during sleep) and
 * `daily-heart-rate-variability`.
 *
 * @since 0.1.0
 */
import * as DataGenerator from "../../DataGenerator.js"
import { physical } from "../Time.js"
import { dailyPoint, samplePoint } from "./Builders.js"
import type { Generator } from "./Day.js"

/**
 * The heart generators by data type.
 *
 * @since 0.1.0
 * @category generators
 */
export const generators: Readonly<Record<string, Generator>> = {
  "heart-rate": (day) =>
    DataGenerator.heartRateSamples(day.seed, day.user.userId, day.date, 300).map(([second, bpm]) =>
      samplePoint("heart-rate", day.user, day.midnight + second * 1000, "heartRate", {
        beatsPerMinute: String(bpm),
        metadata: { motionContext: "ACTIVE", sensorLocation: "WRIST" }
      })
    ),
  "daily-resting-heart-rate": (day) => [
    dailyPoint("daily-resting-heart-rate", day.user, day.date, "dailyRestingHeartRate", {
      beatsPerMinute: String(DataGenerator.restingHeartRate(day.seed, day.user.userId, day.date)),
      dailyRestingHeartRateMetadata: { calculationMethod: "WITH_SLEEP" }
    })
  ],
  "daily-heart-rate-variability": (day) => {
    const next = DataGenerator.rng(day.seed, day.user.userId, day.date, "hrv")
    return [dailyPoint("daily-heart-rate-variability", day.user, day.date, "dailyHeartRateVariability", {
      averageHeartRateVariabilityMilliseconds: Math.round((25 + next() * 50) * 10) / 10,
      nonRemHeartRateBeatsPerMinute: String(DataGenerator.restingHeartRate(day.seed, day.user.userId, day.date) + 2),
      entropy: Math.round((2 + next()) * 100) / 100,
      deepSleepRootMeanSquareOfSuccessiveDifferencesMilliseconds: Math.round((30 + next() * 50) * 10) / 10
    })]
  },
  "heart-rate-variability": (day) => {
    const s = DataGenerator.sleep(day.seed, day.user.userId, day.date)
    const next = DataGenerator.rng(day.seed, day.user.userId, day.date, "hrv-samples")
    const start = physical(s.startTime, day.offset)
    return Array.from({ length: Math.floor(s.timeInBed / 60) }, (_, i) =>
      samplePoint("heart-rate-variability", day.user, start + i * 3_600_000, "heartRateVariability", {
        rootMeanSquareOfSuccessiveDifferencesMilliseconds: Math.round((20 + next() * 60) * 10) / 10
      }))
  }
}
