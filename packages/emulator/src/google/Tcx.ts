/**
 * The emulated `…/dataTypes/exercise/dataPoints/{id}:exportExerciseTcx`: an exercise as a
 * Training Center XML (TCX v2) document, raw with `alt=media` and as `{ tcxData }` JSON without
 * it (what gRPC clients get). The emulator keeps no GPS track, so the document carries the
 * activity and its lap summary (time, distance, calories, average heart rate) and no track
 * points; `partialData` is accepted and checked as a boolean.
 *
 * @since 0.1.0
 */
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as Effect from "effect/Effect"
import * as Http from "../Http.js"
import { invalid, notFound } from "./Answers.js"
import { type Caller, requireScope } from "./Caller.js"
import { findPoint } from "./Store.js"

type Reply = HttpServerResponse.HttpServerResponse

const SPORT: Readonly<Record<string, string>> = { RUNNING: "Running", BIKING: "Biking" }

const escapeXml = (text: string) =>
  text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;")

interface ExerciseJson {
  readonly interval: { readonly startTime: string; readonly endTime: string }
  readonly exerciseType: string
  readonly displayName?: string
  readonly activeDuration?: string
  readonly metricsSummary?: {
    readonly distanceMillimeters?: number
    readonly caloriesKcal?: number
    readonly averageHeartRateBeatsPerMinute?: string
  }
}

/**
 * The TCX document of an exercise data point's `exercise` value.
 *
 * @since 0.1.0
 * @category encoding
 */
export const toTcx = (exercise: ExerciseJson): string => {
  const start = new Date(exercise.interval.startTime).toISOString()
  const seconds = exercise.activeDuration !== undefined
    ? Number(exercise.activeDuration.replace(/s$/, ""))
    : (Date.parse(exercise.interval.endTime) - Date.parse(exercise.interval.startTime)) / 1000
  const summary = exercise.metricsSummary ?? {}
  const lap = [
    `<TotalTimeSeconds>${seconds}</TotalTimeSeconds>`,
    `<DistanceMeters>${(summary.distanceMillimeters ?? 0) / 1000}</DistanceMeters>`,
    `<Calories>${Math.round(summary.caloriesKcal ?? 0)}</Calories>`,
    ...(summary.averageHeartRateBeatsPerMinute === undefined
      ? []
      : [`<AverageHeartRateBpm><Value>${summary.averageHeartRateBeatsPerMinute}</Value></AverageHeartRateBpm>`]),
    "<Intensity>Active</Intensity>",
    "<TriggerMethod>Manual</TriggerMethod>"
  ].join("")
  return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" +
    "<TrainingCenterDatabase xmlns=\"http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2\">" +
    `<Activities><Activity Sport="${SPORT[exercise.exerciseType] ?? "Other"}"><Id>${start}</Id>` +
    `<Lap StartTime="${start}">${lap}</Lap>` +
    (exercise.displayName === undefined ? "" : `<Notes>${escapeXml(exercise.displayName)}</Notes>`) +
    "</Activity></Activities></TrainingCenterDatabase>\n"
}

/**
 * Answers the export of one exercise: both the activity and the location read scopes are
 * required (as Google documents), an unknown id is 404, a `partialData` other than
 * `true`/`false` is 400.
 *
 * @since 0.1.0
 * @category routes
 */
export const exportExercise = (
  caller: Caller,
  id: string,
  query: Readonly<Record<string, string | undefined>>
): Effect.Effect<Reply, Reply> =>
  Effect.gen(function*() {
    yield* requireScope(caller, "activity_and_fitness", "read")
    yield* requireScope(caller, "location", "read")
    const partial = query.partialData
    if (partial !== undefined && partial !== "true" && partial !== "false") {
      return yield* Effect.fail(invalid(`Invalid value at 'partial_data' (TYPE_BOOL), "${partial}"`))
    }
    const point = findPoint(caller, "exercise", id)
    if (point === undefined) return yield* Effect.fail(notFound(`Data point ${id} was not found.`))
    const tcx = toTcx((point.json as { exercise: ExerciseJson }).exercise)
    return query.alt === "media"
      ? HttpServerResponse.text(tcx, { contentType: "application/vnd.garmin.tcx+xml" })
      : Http.json({ tcxData: tcx })
  })
