/**
 * Activity: the daily summary, time series (daily and intraday), the activity log list (also
 * as a `Stream` following `pagination.next`), logging and deleting an activity. API version 1.
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import * as Stream from "effect/Stream"
import * as Errors from "../../Errors.js"
import type * as FitbitHttp from "../Http.js"
import * as Common from "./Common.js"

/**
 * A distance entry of the daily summary: `{activity: "total", distance: 5.2}`.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Distance = Common.open({ activity: Schema.String, distance: Schema.Number })

/**
 * A heart-rate zone (also used by heart-rate time series).
 *
 * @since 0.1.0
 * @category schemas
 */
export const HeartRateZone = Common.open({
  name: Schema.String,
  min: Schema.Number,
  max: Schema.Number,
  minutes: Schema.optional(Schema.Number),
  caloriesOut: Schema.optional(Schema.Number)
})

/**
 * An activity as the daily summary and `POST /activities.json` report it.
 *
 * @since 0.1.0
 * @category schemas
 */
export const LoggedActivity = Common.open({
  logId: Schema.Number,
  activityId: Schema.optional(Schema.Number),
  activityParentId: Schema.optional(Schema.Number),
  activityParentName: Schema.optional(Schema.String),
  name: Schema.optional(Schema.String),
  description: Schema.optional(Schema.String),
  calories: Schema.optional(Schema.Number),
  distance: Schema.optional(Schema.Number),
  duration: Schema.optional(Schema.Number),
  steps: Schema.optional(Schema.Number),
  startDate: Schema.optional(Schema.String),
  startTime: Schema.optional(Schema.String),
  isFavorite: Schema.optional(Schema.Boolean),
  hasStartTime: Schema.optional(Schema.Boolean)
})

/**
 * A decoded logged activity.
 *
 * @since 0.1.0
 * @category models
 */
export type LoggedActivity = typeof LoggedActivity.Type

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
  heartRateZones: Schema.optional(Schema.Array(HeartRateZone))
})

/**
 * The daily activity summary: `{activities, goals, summary}`.
 *
 * @since 0.1.0
 * @category schemas
 */
export const DailySummaryResponse = Common.open({
  activities: Schema.Array(LoggedActivity),
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
 * Reads the activity summary of a day (`yyyy-MM-dd` or `today`).
 *
 * @since 0.1.0
 * @category endpoints
 */
export const dailySummary = (
  accessToken: Common.AccessToken,
  params: { readonly date: string },
  options?: Common.CallOptions
): Effect.Effect<DailySummaryResponse, Common.Failure, FitbitHttp.FitbitHttp> =>
  Effect.flatMap(
    Common.validateDate("date", params?.date),
    (date) => Common.getJson(DailySummaryResponse, `/activities/date/${date}.json`, accessToken, options)
  )

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
    const range = yield* Common.rangePath(params, Common.PERIODS)
    const key = keyOf(resource)
    const body = yield* Common.getJson(
      Schema.Struct({ [key]: Schema.Array(Common.TimeSeriesPoint) }),
      `/activities/${resource}${range}.json`,
      accessToken,
      options
    )
    return body[key]!
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
    const date = yield* Common.validateDate("date", params.date)
    const detail = yield* Common.validateOneOf("detailLevel", INTRADAY_DETAIL, params.detailLevel)
    const window = yield* Common.timeWindow(params)
    const key = keyOf(resource)
    const body = yield* Common.getJson(
      Schema.Struct({
        [key]: Schema.Array(Common.TimeSeriesPoint),
        [`${key}-intraday`]: Common.IntradayDataset
      }),
      `/activities/${resource}/date/${date}/1d/${detail}${window}.json`,
      accessToken,
      options
    )
    return { summary: body[key] as ReadonlyArray<TimeSeriesPoint>, intraday: body[`${key}-intraday`] as Intraday["intraday"] }
  })

/**
 * An entry of the activity log list.
 *
 * @since 0.1.0
 * @category schemas
 */
export const ActivityLog = Common.open({
  logId: Schema.Number,
  activityName: Schema.String,
  activityTypeId: Schema.optional(Schema.Number),
  startTime: Schema.String,
  originalStartTime: Schema.optional(Schema.String),
  duration: Schema.Number,
  activeDuration: Schema.optional(Schema.Number),
  originalDuration: Schema.optional(Schema.Number),
  calories: Schema.optional(Schema.Number),
  steps: Schema.optional(Schema.Number),
  distance: Schema.optional(Schema.Number),
  distanceUnit: Schema.optional(Schema.String),
  averageHeartRate: Schema.optional(Schema.Number),
  heartRateZones: Schema.optional(Schema.Array(HeartRateZone)),
  logType: Schema.optional(Schema.String),
  lastModified: Schema.optional(Schema.String)
})

/**
 * A decoded activity log entry.
 *
 * @since 0.1.0
 * @category models
 */
export type ActivityLog = typeof ActivityLog.Type

/**
 * One page of the activity log list.
 *
 * @since 0.1.0
 * @category schemas
 */
export const ActivityLogList = Common.open({
  activities: Schema.Array(ActivityLog),
  pagination: Common.Pagination
})

/**
 * A decoded page of the activity log list.
 *
 * @since 0.1.0
 * @category models
 */
export type ActivityLogList = typeof ActivityLogList.Type

/**
 * Reads one page of the activity log list.
 *
 * @since 0.1.0
 * @category endpoints
 */
export const logList = (
  accessToken: Common.AccessToken,
  params: Common.ListParams,
  options?: Common.CallOptions
): Effect.Effect<ActivityLogList, Common.Failure, FitbitHttp.FitbitHttp> =>
  Effect.flatMap(
    Common.listQuery(params),
    (query) => Common.getJson(ActivityLogList, `/activities/list.json${query}`, accessToken, options)
  )

/**
 * The whole activity log list from `params` on, as a `Stream` of entries that follows
 * `pagination.next` (same API origin only) for at most `maxPages` pages.
 *
 * @since 0.1.0
 * @category endpoints
 */
export const streamLogList = (
  accessToken: Common.AccessToken,
  params: Common.ListParams,
  options?: Common.StreamOptions
): Stream.Stream<ActivityLog, Common.Failure, FitbitHttp.FitbitHttp> =>
  Stream.unwrap(Effect.map(Common.listQuery(params), (query) =>
    Common.paginate(ActivityLogList, "/activities/list.json", query, accessToken, options).pipe(
      Stream.mapConcat((page) => page.activities)
    )))

/**
 * What `POST /activities.json` takes: an `activityId` (from the activity catalogue) or an
 * `activityName` with `manualCalories`, and when and how long.
 *
 * @since 0.1.0
 * @category models
 */
export type LogActivityParams =
  & ({ readonly activityId: number; readonly activityName?: undefined; readonly manualCalories?: number | undefined } | {
    readonly activityName: string
    readonly manualCalories: number
    readonly activityId?: undefined
  })
  & {
    readonly date: string
    /** `HH:mm` or `HH:mm:ss`. */
    readonly startTime: string
    readonly durationMillis: number
    readonly distance?: number | undefined
    readonly distanceUnit?: string | undefined
  }

/**
 * The answer of `POST /activities.json`.
 *
 * @since 0.1.0
 * @category schemas
 */
export const LogActivityResponse = Common.open({ activityLog: LoggedActivity })

/**
 * Logs an activity (form-encoded, as fitbit-node sends it).
 *
 * @since 0.1.0
 * @category endpoints
 */
export const log = (
  accessToken: Common.AccessToken,
  params: LogActivityParams,
  options?: Common.CallOptions
): Effect.Effect<typeof LogActivityResponse.Type, Common.Failure, FitbitHttp.FitbitHttp> =>
  Effect.gen(function*() {
    const date = yield* Common.validateDate("date", params?.date)
    const startTime = yield* Common.validateTime("startTime", params.startTime)
    const durationMillis = yield* Common.validatePositive("durationMillis", params.durationMillis)
    const activity = yield* activityFields(params)
    return yield* Common.postForm(LogActivityResponse, "/activities.json", accessToken, {
      ...activity,
      startTime,
      durationMillis,
      date,
      distance: params.distance,
      distanceUnit: params.distanceUnit
    }, options)
  })

const activityFields = (params: LogActivityParams) =>
  Effect.gen(function*() {
    const calories = params.manualCalories
    if (calories !== undefined && !(Number.isInteger(calories) && calories >= 0)) {
      return yield* new Errors.InvalidInput({ field: "manualCalories", reason: "must be a whole number from 0" })
    }
    if (params.activityId !== undefined) {
      if (!(Number.isSafeInteger(params.activityId) && params.activityId > 0)) {
        return yield* new Errors.InvalidInput({ field: "activityId", reason: "must be a positive whole number" })
      }
      return { activityId: params.activityId, manualCalories: calories }
    }
    if (typeof params.activityName !== "string" || params.activityName.trim() === "" || calories === undefined) {
      return yield* new Errors.InvalidInput({
        field: "activityId",
        reason: "give an activityId, or an activityName with manualCalories"
      })
    }
    return { activityName: params.activityName, manualCalories: calories }
  })

/**
 * Deletes a logged activity (`DELETE /activities/{logId}.json`).
 *
 * @since 0.1.0
 * @category endpoints
 */
export const deleteLog = (
  accessToken: Common.AccessToken,
  params: { readonly logId: number | string },
  options?: Common.CallOptions
): Effect.Effect<void, Common.Failure, FitbitHttp.FitbitHttp> =>
  Effect.flatMap(
    Common.validateLogId(params?.logId),
    (logId) => Common.remove(`/activities/${logId}.json`, accessToken, options)
  )
