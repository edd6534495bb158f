/**
 * Generated vital signs in Google's shapes: `oxygen-saturation` samples during the night, the
 * night's `daily-oxygen-saturation` summary and `daily-respiratory-rate` (the breathing rate
 * the Fitbit routes serve), a morning `core-body-temperature`, two `blood-glucose` readings, and
 * (served on v4beta only) hourly `skin-temperature-sensors` samples at the wrist during the night.
 *
 * @since 0.1.0
 */
import * as DataGenerator from "../../DataGenerator.js"
import { physical } from "../Time.js"
import { atMinute, dailyPoint, MANUAL, samplePoint } from "./Builders.js"
import type { Day, Generator } from "./Day.js"

const averageSpo2 = (day: Day) => DataGenerator.spo2(day.seed, day.user.userId, day.date)

/**
 * The vital-sign generators by data type.
 *
 * @since 0.1.0
 * @category generators
 */
export const generators: Readonly<Record<string, Generator>> = {
  "daily-respiratory-rate": (day) => [
    dailyPoint("daily-respiratory-rate", day.user, day.date, "dailyRespiratoryRate", {
      breathsPerMinute: DataGenerator.breathingRate(day.seed, day.user.userId, day.date).full
    })
  ],
  "core-body-temperature": (day) => {
    const t = DataGenerator.coreTemperature(day.seed, day.user.userId, day.date)
    return [samplePoint("core-body-temperature", day.user, atMinute(day, t.minute), "coreBodyTemperature", {
      id: `cbt-${day.date}`,
      temperatureCelsius: t.celsius,
      measurementLocation: "ORAL"
    }, { dataSource: MANUAL })]
  },
  "blood-glucose": (day) =>
    DataGenerator.glucose(day.seed, day.user.userId, day.date).map((g) =>
      samplePoint("blood-glucose", day.user, atMinute(day, g.minute), "bloodGlucose", {
        bloodGlucoseMilligramsPerDeciliter: g.mgPerDl,
        mealType: g.meal,
        measurementTiming: g.timing,
        measurementSource: "METER",
        specimen: "CAPILLARY_BLOOD"
      }, { dataSource: MANUAL })
    ),
  "daily-oxygen-saturation": (day) => {
    const { avg, max, min } = averageSpo2(day)
    return [dailyPoint("daily-oxygen-saturation", day.user, day.date, "dailyOxygenSaturation", {
      averagePercentage: avg,
      lowerBoundPercentage: min,
      upperBoundPercentage: max
    })]
  },
  "skin-temperature-sensors": (day) => {
    const s = DataGenerator.sleep(day.seed, day.user.userId, day.date)
    const start = physical(s.startTime, day.offset)
    const t = DataGenerator.coreTemperature(day.seed, day.user.userId, day.date)
    return Array.from({ length: 6 }, (_, i) =>
      samplePoint("skin-temperature-sensors", day.user, start + i * 3_600_000, "skinTemperatureSensors", {
        sensorData: [{
          temperatureCelsius: Math.round((t.celsius - 3.2 + Math.sin(i) * 0.4) * 100) / 100,
          metadata: { measurementLocation: "WRIST", measurementState: "SLEEP" }
        }]
      }))
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
