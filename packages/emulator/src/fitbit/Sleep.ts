/**
 * The emulated sleep routes (1.2): by date, by range, the paginated list, logging and deleting.
 *
 * @since 0.1.0
 */
import * as HttpRouter from "@effect/platform/HttpRouter"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as Effect from "effect/Effect"
import * as DataGenerator from "../DataGenerator.js"
import { today } from "../EmulatorState.js"
import * as Http from "../Http.js"
import { ANY_VERSION, type CallContext, dataHandler, notFound, type Step, U, validation } from "./DataRoute.js"
import { numberField, paginated, timeField } from "./Inputs.js"

const sleepsOf = (context: CallContext, date: string) => {
  const writes = context.state.data.of(context.user.userId)
  const main = DataGenerator.sleep(context.seed, context.user.userId, date)
  const generated = writes.deleted.has(main.logId) ? [] : [sleepJson(main)]
  const logged = writes.sleeps.filter((s) => s.dateOfSleep === date).map((s) => ({
    dateOfSleep: s.dateOfSleep,
    duration: s.durationMillis,
    efficiency: 100,
    endTime: s.endTime,
    infoCode: 0,
    isMainSleep: false,
    levels: { data: [], summary: {} },
    logId: s.logId,
    logType: "manual",
    minutesAfterWakeup: 0,
    minutesAsleep: Math.round(s.durationMillis / 60_000),
    minutesAwake: 0,
    minutesToFallAsleep: 0,
    startTime: s.startTime,
    timeInBed: Math.round(s.durationMillis / 60_000),
    type: "classic"
  }))
  return [...generated, ...logged]
}

const sleepJson = (s: DataGenerator.SleepSession) => ({
  dateOfSleep: s.dateOfSleep,
  duration: s.durationMillis,
  efficiency: s.efficiency,
  endTime: s.endTime,
  infoCode: 0,
  isMainSleep: true,
  levels: {
    data: s.segments.map((seg) => ({ dateTime: seg.dateTime, level: seg.level, seconds: seg.seconds })),
    summary: {
      deep: { count: s.summary.deep.count, minutes: s.summary.deep.minutes, thirtyDayAvgMinutes: s.summary.deep.minutes },
      light: { count: s.summary.light.count, minutes: s.summary.light.minutes, thirtyDayAvgMinutes: s.summary.light.minutes },
      rem: { count: s.summary.rem.count, minutes: s.summary.rem.minutes, thirtyDayAvgMinutes: s.summary.rem.minutes },
      wake: { count: s.summary.wake.count, minutes: s.summary.wake.minutes, thirtyDayAvgMinutes: s.summary.wake.minutes }
    }
  },
  logId: s.logId,
  logType: "auto_detected",
  minutesAfterWakeup: 0,
  minutesAsleep: s.minutesAsleep,
  minutesAwake: s.minutesAwake,
  minutesToFallAsleep: 0,
  startTime: s.startTime,
  timeInBed: s.timeInBed,
  type: "stages"
})

const sleepSummary = (sleeps: ReadonlyArray<ReturnType<typeof sleepJson> | { minutesAsleep: number; timeInBed: number }>) => ({
  totalMinutesAsleep: sleeps.reduce((n, s) => n + s.minutesAsleep, 0),
  totalSleepRecords: sleeps.length,
  totalTimeInBed: sleeps.reduce((n, s) => n + s.timeInBed, 0)
})

/**
 * The sleep routes.
 *
 * @since 0.1.0
 * @category routes
 */
export const routes: ReadonlyArray<Step> = [
  HttpRouter.get(
    `${U}/sleep/date/:date.json`,
    dataHandler({ versions: ANY_VERSION, scope: "sleep" }, (c) =>
      Effect.map(c.date(c.params.date), (date) => {
        const sleeps = sleepsOf(c, date)
        return Http.json({ sleep: sleeps, summary: sleepSummary(sleeps) })
      }))
  ),
  HttpRouter.get(
    `${U}/sleep/date/:date/:end.json`,
    dataHandler({ versions: ["1.2"], scope: "sleep" }, (c) =>
      Effect.gen(function*() {
        const start = yield* c.date(c.params.date)
        const end = yield* c.date(c.params.end, "end-date")
        if (end < start) return yield* Effect.fail(validation("The end date is before the start date.", "end-date"))
        const dates = DataGenerator.datesBetween(start, end)
        if (dates.length > 100) return yield* Effect.fail(validation("The date range is longer than 100 days.", "end-date"))
        return Http.json({ sleep: dates.flatMap((d) => sleepsOf(c, d)).reverse() })
      }))
  ),
  HttpRouter.get(
    `${U}/sleep/list.json`,
    dataHandler({ versions: ["1.2"], scope: "sleep" }, (c) =>
      paginated(c, "/sleep/list.json", "sleep", (date) => sleepsOf(c, date), (s) => s.startTime))
  ),
  HttpRouter.post(
    `${U}/sleep.json`,
    dataHandler({ versions: ANY_VERSION, scope: "sleep", write: true }, (c) =>
      Effect.gen(function*() {
        const fields = yield* c.body
        const date = yield* c.date(fields.date ?? "", "date")
        const start = yield* timeField(fields, "startTime")
        const duration = yield* numberField(fields, "duration", { min: 60_000 })
        const absStart = DataGenerator.dayNumber(date) * 1440 + start
        const absEnd = absStart + Math.round(duration / 60_000)
        const writes = c.state.data.of(c.user.userId)
        const overlaps = [DataGenerator.addDays(date, 1), date].some((d) => {
          const main = DataGenerator.sleep(c.seed, c.user.userId, d)
          if (writes.deleted.has(main.logId)) return false
          const s = DataGenerator.dayNumber(d) * 1440 + main.startMinute
          return absStart < s + main.timeInBed && s < absEnd
        }) || writes.sleeps.some((s) => absStart < s.startAbsMinute + s.durationMillis / 60_000 && s.startAbsMinute < absEnd)
        if (overlaps) return yield* Effect.fail(Http.fitbitError(409, "conflict", "The sleep log overlaps an existing sleep log."))
        const endDay = Math.floor(absEnd / 1440)
        const log = {
          logId: c.state.data.nextLogId(),
          dateOfSleep: DataGenerator.fromDayNumber(endDay),
          startAbsMinute: absStart,
          durationMillis: duration,
          startTime: DataGenerator.localDateTime(date, start),
          endTime: DataGenerator.localDateTime(date, absEnd - DataGenerator.dayNumber(date) * 1440)
        }
        writes.sleeps.push(log)
        return Http.json({ sleep: sleepsOf(c, log.dateOfSleep).find((s) => s.logId === log.logId) }, 201)
      }))
  ),
  HttpRouter.del(
    `${U}/sleep/:logId.json`,
    dataHandler({ versions: ANY_VERSION, scope: "sleep", write: true }, (c) => {
      const id = Number(c.params.logId)
      const writes = c.state.data.of(c.user.userId)
      const index = writes.sleeps.findIndex((s) => s.logId === id)
      if (index !== -1) {
        writes.sleeps.splice(index, 1)
        return Effect.succeed(HttpServerResponse.empty({ status: 204 }))
      }
      for (let d = today(c.state, c.user.userId); d >= c.user.memberSince; d = DataGenerator.addDays(d, -1)) {
        if (DataGenerator.sleep(c.seed, c.user.userId, d).logId === id && !writes.deleted.has(id)) {
          writes.deleted.add(id)
          return Effect.succeed(HttpServerResponse.empty({ status: 204 }))
        }
      }
      return Effect.fail(notFound(`Sleep log ${c.params.logId} not found.`))
    })
  ),
]
