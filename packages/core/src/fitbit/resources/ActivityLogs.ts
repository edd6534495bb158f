/**
 * The activity log: the list of logged and auto-detected activities (also as a `Stream`
 * following `pagination.next`), logging an activity and deleting a log. API version 1.
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import type * as Stream from "effect/Stream"
import * as Errors from "../../Errors.js"
import type * as FitbitHttp from "../FitbitHttp.js"
import * as Common from "./Common.js"
import * as LogCollection from "./LogCollection.js"

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

/** The activity log collection: `/activities`, listed page by page under `activities`. */
const LOGS = { path: "/activities", page: ActivityLogList, field: "activities" } as const

/**
 * Reads one page of the activity log list (`GET /activities/list.json`; `beforeDate` desc or
 * `afterDate` asc, `limit` ≤ 100).
 *
 * @since 0.1.0
 * @category endpoints
 */
export const logList = (
  accessToken: Common.AccessToken,
  params: Common.ListParams,
  options?: Common.CallOptions
): Effect.Effect<ActivityLogList, Common.Failure, FitbitHttp.FitbitHttp> =>
  LogCollection.list(LOGS, accessToken, params, options)

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
  LogCollection.streamList(LOGS, accessToken, params, options)

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
 * Logs an activity (`POST /activities.json`, form-encoded, as fitbit-node sends it).
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
    return yield* LogCollection.create(LOGS, LogActivityResponse, accessToken, {
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
  LogCollection.deleteLog(LOGS, accessToken, params, options)
