/**
 * Activity: the daily summary and time series (daily and intraday); the activity log list
 * (also as a `Stream` following `pagination.next`), logging and deleting an activity are in
 * `ActivityLogs`, re-exported here. API version 1.
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import type * as FitbitHttp from "../FitbitHttp.js"
import * as ActivityLogs from "./ActivityLogs.js"
import * as Common from "./Common.js"
import * as LogCollection from "./LogCollection.js"
import * as TimeSeries from "./TimeSeries.js"

/** The activity collection, `/activities`: its day is the daily summary. */
const ACTIVITIES: LogCollection.LogCollection = { path: "/activities" }

/**
 * A distance entry of the daily summary: `{activity: "total", distance: 5.2}`.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Distance = Common.open({ activity: Schema.String, distance: Schema.Number })

/**
 * The `summary` of a day.
 *
 * @since 0.1.0
 * @category schemas
 */
export const DailySummary = Common.open({
  steps: Schema.Number,
  caloriesOut: Schema.optional(Schema.Number),
  activityCalories: Schema.optional(Schema.Number),
  caloriesBMR: Schema.optional(Schema.Number),
  distances: Schema.optional(Schema.Array(Distance)),
  floors: Schema.optional(Schema.Number),
  elevation: Schema.optional(Schema.Number),
  sedentaryMinutes: Schema.optional(Schema.Number),
  lightlyActiveMinutes: Schema.optional(Schema.Number),
  fairlyActiveMinutes: Schema.optional(Schema.Number),
  veryActiveMinutes: Schema.optional(Schema.Number),
  restingHeartRate: Schema.optional(Schema.Number),
  heartRateZones: Schema.optional(Schema.Array(ActivityLogs.HeartRateZone))
})

/**
 * The daily activity summary: `{activities, goals, summary}`.
 *
 * @since 0.1.0
 * @category schemas
 */
export const DailySummaryResponse = Common.open({
  activities: Schema.Array(ActivityLogs.LoggedActivity),
  goals: Schema.optional(Common.open({
    activeMinutes: Schema.optional(Schema.Number),
    caloriesOut: Schema.optional(Schema.Number),
    distance: Schema.optional(Schema.Number),
    floors: Schema.optional(Schema.Number),
    steps: Schema.optional(Schema.Number)
  })),
  summary: DailySummary
})

/**
 * A decoded daily summary.
 *
 * @since 0.1.0
 * @category models
 */
export type DailySummaryResponse = typeof DailySummaryResponse.Type

/**
 * Reads the activity summary of a day (`GET /activities/date/{date}.json`, `yyyy-MM-dd` or `today`).
 *
 * @since 0.1.0
 * @category endpoints
 */
export const dailySummary = (
  accessToken: Common.AccessToken,
  params: { readonly date: string },
  options?: Common.CallOptions
): Effect.Effect<DailySummaryResponse, Common.Failure, FitbitHttp.FitbitHttp> =>
  LogCollection.byDate(ACTIVITIES, DailySummaryResponse, accessToken, params, options)

/**
 * The activity time-series resources; the `tracker/` ones leave out manually logged activities.
 *
 * @since 0.1.0
 * @category constants
 */
export const RESOURCES = [
  "steps",
  "distance",
  "calories",
  "caloriesBMR",
  "activityCalories",
  "floors",
  "elevation",
  "minutesSedentary",
  "minutesLightlyActive",
  "minutesFairlyActive",
  "minutesVeryActive",
  "tracker/steps",
  "tracker/distance",
  "tracker/calories",
  "tracker/activityCalories",
  "tracker/floors",
  "tracker/elevation",
  "tracker/minutesSedentary",
  "tracker/minutesLightlyActive",
  "tracker/minutesFairlyActive",
  "tracker/minutesVeryActive"
] as const

/**
 * An activity time-series resource.
 *
 * @since 0.1.0
 * @category models
 */
export type Resource = typeof RESOURCES[number]

/**
 * A decoded time-series point (`value` a number).
 *
 * @since 0.1.0
 * @category models
 */
export type TimeSeriesPoint = typeof Common.TimeSeriesPoint.Type

/** The body key of a resource: `activities-steps`, `activities-tracker-steps`. */
const keyOf = (resource: Resource): string => `activities-${resource.replace("/", "-")}`

/**
 * Reads a daily time series (`{date, period}` or `{startDate, endDate}`), answering its points
 * with values as numbers.
 *
 * @since 0.1.0
 * @category endpoints
 */
export const timeSeries = (
  accessToken: Common.AccessToken,
  params: { readonly resource: Resource } & Common.DateRange,
  options?: Common.CallOptions
): Effect.Effect<ReadonlyArray<TimeSeriesPoint>, Common.Failure, FitbitHttp.FitbitHttp> =>
  Effect.gen(function*() {
    const resource = yield* Common.validateOneOf("resource", RESOURCES, params?.resource)
    const key = keyOf(resource)
    const answer = Schema.Struct({ [key]: Schema.Array(Common.TimeSeriesPoint) })
    return yield* TimeSeries.daily(answer, key, `/activities/${resource}`, params, accessToken, options)
  })

/**
 * Intraday detail levels of activity resources.
 *
 * @since 0.1.0
 * @category constants
 */
export const INTRADAY_DETAIL = ["1min", "5min", "15min"] as const

/**
 * An intraday answer: the day's total and the dataset.
 *
 * @since 0.1.0
 * @category models
 */
export interface Intraday {
  readonly summary: ReadonlyArray<TimeSeriesPoint>
  readonly intraday: typeof Common.IntradayDataset.Type
}

/**
 * Reads an intraday series of one day (`/activities/{resource}/date/{date}/1d/{detail}.json`),
 * optionally between `startTime` and `endTime` (`HH:mm`). Needs intraday access.
 *
 * @since 0.1.0
 * @category endpoints
 */
export const intraday = (
  accessToken: Common.AccessToken,
  params: {
    readonly resource: "steps" | "distance" | "calories" | "floors" | "elevation"
    readonly date: string
    readonly detailLevel: typeof INTRADAY_DETAIL[number]
    readonly startTime?: string | undefined
    readonly endTime?: string | undefined
  },
  options?: Common.CallOptions
): Effect.Effect<Intraday, Common.Failure, FitbitHttp.FitbitHttp> =>
  Effect.gen(function*() {
    const resource = yield* Common.validateOneOf("resource", ["steps", "distance", "calories", "floors", "elevation"], params?.resource)
    const key = keyOf(resource)
    const answer = Schema.Struct({ [key]: Schema.Array(Common.TimeSeriesPoint), [`${key}-intraday`]: Common.IntradayDataset })
    const body = yield* TimeSeries.intraday(answer, `/activities/${resource}`, INTRADAY_DETAIL, params, accessToken, options)
    return { summary: body[key] as ReadonlyArray<TimeSeriesPoint>, intraday: body[`${key}-intraday`] as Intraday["intraday"] }
  })

export * from "./ActivityLogs.js"
