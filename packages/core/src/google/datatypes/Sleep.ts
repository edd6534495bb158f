/**
 * The `sleep` data type: a session with its stages and summary.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"
import { count, str, TimeInterval } from "./Values.js"

/**
 * A sleep stage segment (`AWAKE`, `LIGHT`, `DEEP`, `REM`, …).
 *
 * @since 0.1.0
 * @category data types
 */
export const SleepStage = Schema.Struct({
  type: Schema.String,
  startTime: Schema.String,
  endTime: Schema.String,
  startUtcOffset: str,
  endUtcOffset: str,
  createTime: str,
  updateTime: str
})

/**
 * A sleep session's summary, in minutes.
 *
 * @since 0.1.0
 * @category data types
 */
export const SleepSummary = Schema.Struct({
  minutesAsleep: count,
  minutesAwake: count,
  minutesInSleepPeriod: count,
  minutesToFallAsleep: count,
  minutesAfterWakeUp: count,
  stagesSummary: Schema.optional(
    Schema.Array(Schema.Struct({ type: str, minutes: count, count }))
  )
})

/**
 * `sleep`: one sleep session with its stages and summary.
 *
 * @since 0.1.0
 * @category data types
 */
export const Sleep = Schema.Struct({
  interval: TimeInterval,
  type: str,
  stages: Schema.optional(Schema.Array(SleepStage)),
  shortAwakenings: Schema.optional(Schema.Array(SleepStage)),
  outOfBedSegments: Schema.optional(Schema.Array(Schema.Unknown)),
  summary: Schema.optional(SleepSummary),
  metadata: Schema.optional(Schema.Struct({
    mainSleep: Schema.optional(Schema.Boolean),
    nap: Schema.optional(Schema.Boolean),
    processed: Schema.optional(Schema.Boolean),
    manuallyEdited: Schema.optional(Schema.Boolean),
    stagesStatus: str,
    externalId: str
  })),
  createTime: str,
  updateTime: str
})
