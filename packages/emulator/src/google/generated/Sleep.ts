/**
 * Generated sleep in Google's shapes: the night ending on a date (the same session the Fitbit
 * sleep routes serve) as an identifiable `sleep` data point with stages and a summary, and what
 * the tracker measures during that night: `respiratory-rate-sleep-summary` (at wake-up) and
 * `daily-sleep-temperature-derivations`.
 *
 * @since 0.1.0
 */
import * as DataGenerator from "../../DataGenerator.js"
import type * as Registry from "../../Registry.js"
import { healthUserIdOf, type Point } from "../GoogleData.js"
import { civil, offsetText, physical, rfc3339 } from "../Time.js"
import { dailyPoint, interval, samplePoint, TRACKER } from "./Builders.js"
import type { Generator } from "./Day.js"

const STAGE: Record<DataGenerator.SleepLevel, string> = { deep: "DEEP", light: "LIGHT", rem: "REM", wake: "AWAKE" }

/**
 * The sleep session ending on a date as a Google `sleep` data point.
 *
 * @since 0.1.0
 * @category data types
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
 * The sleep generators by data type.
 *
 * @since 0.1.0
 * @category generators
 */
export const generators: Readonly<Record<string, Generator>> = {
  "sleep": (day) => [sleepPoint(day.seed, day.user, day.date)],
  "respiratory-rate-sleep-summary": (day) => {
    const s = DataGenerator.sleep(day.seed, day.user.userId, day.date)
    const br = DataGenerator.breathingRate(day.seed, day.user.userId, day.date)
    const stats = (breathsPerMinute: number) => ({ breathsPerMinute, standardDeviation: 0.9, signalToNoise: 12.5 })
    return [samplePoint("respiratory-rate-sleep-summary", day.user, physical(s.endTime, day.offset), "respiratoryRateSleepSummary", {
      fullSleepStats: stats(br.full),
      deepSleepStats: stats(br.deep),
      lightSleepStats: stats(br.light),
      remSleepStats: stats(br.rem)
    })]
  },
  "daily-sleep-temperature-derivations": (day) => {
    const t = DataGenerator.skinTemperature(day.seed, day.user.userId, day.date)
    return [dailyPoint("daily-sleep-temperature-derivations", day.user, day.date, "dailySleepTemperatureDerivations", {
      nightlyTemperatureCelsius: t.nightly,
      baselineTemperatureCelsius: t.baseline,
      relativeNightlyStddev30dCelsius: t.stddev
    })]
  }
}
