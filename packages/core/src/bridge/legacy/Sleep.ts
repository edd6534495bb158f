/**
 * Legacy sleep (API 1.2) answered from Google Health's `sleep` sessions: by date
 * (`/sleep/date/{date}`, with the day's summary), by range (`/sleep/date/{start}/{end}`, newest
 * first) and the paginated log list (`/sleep/list?beforeDate|afterDate&sort&limit&offset`).
 * Stages become `levels.data` in local time; the stage summary, minutes, time in bed and
 * efficiency (minutes asleep / minutes in the sleep period) come from Google's summary.
 *
 * @since 0.1.0
 */
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import type * as GoogleDataTypes from "../../google/GoogleDataTypes.js"
import {
  type Failure,
  type Http,
  idOf,
  type LegacyCall,
  localDateTime,
  pointsBetween,
  refuse,
  resolveDate,
  resolveRange
} from "./Context.js"
import { addDays, civilParts, dateAt } from "../../internal/civilTime.js"

const LEVEL: Readonly<Record<string, string>> = { DEEP: "deep", LIGHT: "light", REM: "rem", AWAKE: "wake" }

/**
 * A Google sleep session as a Fitbit 1.2 sleep log.
 *
 * @since 0.1.0
 * @category encoding
 */
export const sleepLog = (point: GoogleDataTypes.DataPoint) => {
  const value = (point as Extract<GoogleDataTypes.DataPoint, { _tag: "Sleep" }>).value
  const i = value.interval
  const summary = value.summary
  const minutesAsleep = summary?.minutesAsleep ?? 0
  const timeInBed = summary?.minutesInSleepPeriod ?? Math.round((Date.parse(i.endTime) - Date.parse(i.startTime)) / 60_000)
  const stage = (type: string) => summary?.stagesSummary?.find((s) => s.type === type)
  const manual = point._tag !== "Unknown" && point.dataSource?.recordingMethod === "MANUAL"
  return {
    dateOfSleep: civilParts(i.civilEndTime).date,
    duration: Date.parse(i.endTime) - Date.parse(i.startTime),
    efficiency: timeInBed === 0 ? 0 : Math.round((minutesAsleep / timeInBed) * 100),
    endTime: localDateTime(i.endTime, i.endUtcOffset),
    infoCode: 0,
    isMainSleep: value.metadata?.mainSleep ?? true,
    levels: {
      data: (value.stages ?? []).map((s) => ({
        dateTime: localDateTime(s.startTime, s.startUtcOffset),
        level: LEVEL[s.type] ?? s.type.toLowerCase(),
        seconds: Math.round((Date.parse(s.endTime) - Date.parse(s.startTime)) / 1000)
      })),
      summary: Object.fromEntries(
        (["DEEP", "LIGHT", "REM", "AWAKE"] as const).map((type) => [LEVEL[type], { count: stage(type)?.count ?? 0, minutes: stage(type)?.minutes ?? 0 }])
      )
    },
    logId: Number(idOf(point.name)),
    logType: manual ? "manual" : "auto_detected",
    minutesAfterWakeup: summary?.minutesAfterWakeUp ?? 0,
    minutesAsleep,
    minutesAwake: summary?.minutesAwake ?? 0,
    minutesToFallAsleep: summary?.minutesToFallAsleep ?? 0,
    startTime: localDateTime(i.startTime, i.startUtcOffset),
    timeInBed,
    type: value.type === "CLASSIC" ? "classic" : "stages"
  }
}

type SleepLog = ReturnType<typeof sleepLog>

const logsBetween = (call: LegacyCall, from: string, to: string) =>
  Effect.map(pointsBetween(call, "sleep", "sleep", from, to), (points) => points.filter((p) => p._tag === "Sleep").map(sleepLog))

/**
 * `GET /sleep/date/{date}.json`: the sleeps ending on the date and their summary.
 *
 * @since 0.1.0
 * @category handlers
 */
export const byDate = (call: LegacyCall): Effect.Effect<unknown, Failure, Http> =>
  Effect.gen(function*() {
    const date = yield* resolveDate(call, call.params.date)
    const sleep = yield* logsBetween(call, date, date)
    return {
      sleep,
      summary: {
        totalMinutesAsleep: sleep.reduce((n, s) => n + s.minutesAsleep, 0),
        totalSleepRecords: sleep.length,
        totalTimeInBed: sleep.reduce((n, s) => n + s.timeInBed, 0)
      }
    }
  })

/**
 * `GET /sleep/date/{start}/{end}.json` (at most 100 days), newest first.
 *
 * @since 0.1.0
 * @category handlers
 */
export const byRange = (call: LegacyCall): Effect.Effect<unknown, Failure, Http> =>
  Effect.gen(function*() {
    const dates = yield* resolveRange(call, call.params.date, call.params.end, 100)
    const logs = yield* logsBetween(call, dates[0]!, dates[dates.length - 1]!)
    return { sleep: logs.reverse() }
  })

/**
 * `GET /sleep/list.json?beforeDate|afterDate=…&sort&limit&offset`: Fitbit's paginated log list
 * (a page reads at most 100 days past the pivot).
 *
 * @since 0.1.0
 * @category handlers
 */
export const list = (call: LegacyCall): Effect.Effect<unknown, Failure, Http> =>
  Effect.gen(function*() {
    const q = call.query
    const before = q.beforeDate
    const after = q.afterDate
    if ((before === undefined) === (after === undefined)) {
      return yield* refuse("Exactly one of beforeDate or afterDate is required.", before === undefined ? "afterDate" : "beforeDate")
    }
    const sort = q.sort ?? (before !== undefined ? "desc" : "asc")
    if (before !== undefined && sort !== "desc") return yield* refuse("Sort must be desc with beforeDate.", "sort")
    if (after !== undefined && sort !== "asc") return yield* refuse("Sort must be asc with afterDate.", "sort")
    const limit = Number(q.limit ?? "20")
    if (!Number.isInteger(limit) || limit < 1 || limit > 100) return yield* refuse("Limit must be between 1 and 100.", "limit")
    const offset = Number(q.offset ?? "0")
    if (!Number.isInteger(offset) || offset < 0) return yield* refuse("Invalid offset.", "offset")
    const bound = (before ?? after)!.slice(0, 10)
    const pivot = yield* resolveDate(call, bound, before !== undefined ? "beforeDate" : "afterDate")
    let logs: Array<SleepLog>
    if (before !== undefined) {
      logs = (yield* logsBetween(call, addDays(pivot, -100), addDays(pivot, -1))).reverse()
    } else {
      const today = dateAt(yield* Clock.currentTimeMillis, yield* call.offsetMillis)
      logs = today <= pivot ? [] : yield* logsBetween(call, addDays(pivot, 1), today < addDays(pivot, 100) ? today : addDays(pivot, 100))
    }
    const page = logs.slice(offset, offset + limit)
    const link = (o: number) =>
      `/${call.version}/user/-/sleep/list.json?${before !== undefined ? "beforeDate" : "afterDate"}=${bound}&sort=${sort}&limit=${limit}&offset=${o}`
    return {
      sleep: page,
      pagination: {
        ...(before !== undefined ? { beforeDate: bound } : { afterDate: bound }),
        limit,
        next: logs.length > offset + limit ? link(offset + limit) : "",
        offset,
        previous: offset > 0 ? link(Math.max(0, offset - limit)) : "",
        sort
      }
    }
  })
