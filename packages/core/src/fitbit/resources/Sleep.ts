/**
 * Sleep logs (API version 1.2): by date, by date range, the log list (also as a `Stream`
 * following `pagination.next`), logging and deleting.
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import type * as Stream from "effect/Stream"
import type * as FitbitHttp from "../FitbitHttp.js"
import * as Common from "./Common.js"
import * as LogCollection from "./LogCollection.js"

const VERSION = { apiVersion: "1.2" } as const

/**
 * A stretch of one sleep level: `{dateTime, level, seconds}`.
 *
 * @since 0.1.0
 * @category schemas
 */
export const LevelEntry = Common.open({ dateTime: Schema.String, level: Schema.String, seconds: Schema.Number })

/**
 * A sleep log. `type` is `stages` (levels deep/light/rem/wake) or `classic`
 * (asleep/restless/awake); kept a string so that a new type never breaks decoding.
 *
 * @since 0.1.0
 * @category schemas
 */
export const SleepLog = Common.open({
  logId: Schema.Number,
  dateOfSleep: Schema.String,
  startTime: Schema.String,
  endTime: Schema.String,
  duration: Schema.Number,
  efficiency: Schema.optional(Schema.Number),
  isMainSleep: Schema.optional(Schema.Boolean),
  minutesAsleep: Schema.optional(Schema.Number),
  minutesAwake: Schema.optional(Schema.Number),
  minutesToFallAsleep: Schema.optional(Schema.Number),
  minutesAfterWakeup: Schema.optional(Schema.Number),
  timeInBed: Schema.optional(Schema.Number),
  infoCode: Schema.optional(Schema.Number),
  logType: Schema.optional(Schema.String),
  type: Schema.optional(Schema.String),
  levels: Schema.optional(Common.open({
    data: Schema.Array(LevelEntry),
    shortData: Schema.optional(Schema.Array(LevelEntry)),
    summary: Schema.optional(Schema.Record({ key: Schema.String, value: Schema.Unknown }))
  }))
})

/**
 * A decoded sleep log.
 *
 * @since 0.1.0
 * @category models
 */
export type SleepLog = typeof SleepLog.Type

/**
 * The answer by date or range: `{sleep: [...], summary?: {...}}`.
 *
 * @since 0.1.0
 * @category schemas
 */
export const SleepResponse = Common.open({
  sleep: Schema.Array(SleepLog),
  summary: Schema.optional(Common.open({
    totalMinutesAsleep: Schema.optional(Schema.Number),
    totalSleepRecords: Schema.optional(Schema.Number),
    totalTimeInBed: Schema.optional(Schema.Number)
  }))
})

/**
 * A decoded sleep answer.
 *
 * @since 0.1.0
 * @category models
 */
export type SleepResponse = typeof SleepResponse.Type

/**
 * Reads the sleep logs of a day (`yyyy-MM-dd` or `today`).
 *
 * @since 0.1.0
 * @category endpoints
 */
export const byDate = (
  accessToken: Common.AccessToken,
  params: { readonly date: string },
  options?: Common.CallOptions
): Effect.Effect<SleepResponse, Common.Failure, FitbitHttp.FitbitHttp> =>
  LogCollection.byDate(LOGS, SleepResponse, accessToken, params, options)

/**
 * Reads the sleep logs between two dates (Fitbit allows up to 100 days).
 *
 * @since 0.1.0
 * @category endpoints
 */
export const byDateRange = (
  accessToken: Common.AccessToken,
  params: { readonly startDate: string; readonly endDate: string },
  options?: Common.CallOptions
): Effect.Effect<SleepResponse, Common.Failure, FitbitHttp.FitbitHttp> =>
  Effect.flatMap(
    Common.rangePath({ startDate: params?.startDate, endDate: params?.endDate }, []),
    (range) => Common.getJson(SleepResponse, `/sleep${range}.json`, accessToken, { ...options, ...VERSION })
  )

/**
 * One page of the sleep log list.
 *
 * @since 0.1.0
 * @category schemas
 */
export const SleepList = Common.open({
  sleep: Schema.Array(SleepLog),
  pagination: Common.Pagination
})

/**
 * A decoded page of the sleep log list.
 *
 * @since 0.1.0
 * @category models
 */
export type SleepList = typeof SleepList.Type

/** The sleep log collection: `/1.2/user/{userId}/sleep`, listed page by page under `sleep`. */
const LOGS = { path: "/sleep", ...VERSION, page: SleepList, field: "sleep" } as const

/**
 * Reads one page of the sleep log list (`GET /1.2/user/-/sleep/list.json`; `beforeDate` desc or
 * `afterDate` asc, `limit` ≤ 100).
 *
 * @since 0.1.0
 * @category endpoints
 */
export const list = (
  accessToken: Common.AccessToken,
  params: Common.ListParams,
  options?: Common.CallOptions
): Effect.Effect<SleepList, Common.Failure, FitbitHttp.FitbitHttp> =>
  LogCollection.list(LOGS, accessToken, params, options)

/**
 * The whole sleep log list from `params` on, as a `Stream` of logs that follows
 * `pagination.next` (same API origin only) for at most `maxPages` pages.
 *
 * @since 0.1.0
 * @category endpoints
 */
export const streamList = (
  accessToken: Common.AccessToken,
  params: Common.ListParams,
  options?: Common.StreamOptions
): Stream.Stream<SleepLog, Common.Failure, FitbitHttp.FitbitHttp> =>
  LogCollection.streamList(LOGS, accessToken, params, options)

/**
 * The answer of `POST /sleep.json`.
 *
 * @since 0.1.0
 * @category schemas
 */
export const LogSleepResponse = Common.open({ sleep: Schema.Union(SleepLog, Schema.Array(SleepLog)) })

/**
 * Logs a sleep: `date`, `startTime` (`HH:mm`) and `duration` in milliseconds; answers the
 * created log (Fitbit's `sleep`, an object or a one-element array).
 *
 * @since 0.1.0
 * @category endpoints
 */
export const log = (
  accessToken: Common.AccessToken,
  params: { readonly date: string; readonly startTime: string; readonly duration: number },
  options?: Common.CallOptions
): Effect.Effect<SleepLog, Common.Failure, FitbitHttp.FitbitHttp> =>
  Effect.gen(function*() {
    const date = yield* Common.validateDate("date", params?.date)
    const startTime = yield* Common.validateTime("startTime", params.startTime)
    const duration = yield* Common.validatePositive("duration", params.duration)
    return yield* LogCollection.create(
      LOGS,
      LogSleepResponse.pipe(
        Schema.filter((body) => !Array.isArray(body.sleep) || body.sleep.length > 0, {
          message: () => "sleep: expected the created log"
        })
      ),
      accessToken,
      { startTime, duration, date },
      options
    ).pipe(Effect.map((body): SleepLog => isLogArray(body.sleep) ? body.sleep[0]! : body.sleep))
  })

const isLogArray = (value: SleepLog | ReadonlyArray<SleepLog>): value is ReadonlyArray<SleepLog> => Array.isArray(value)

/**
 * Deletes a sleep log (`DELETE /1.2/user/-/sleep/{logId}.json`).
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
