/**
 * The emulated activity routes: the daily summary, time series by period and range, intraday
 * series, the log list (paginated), logging an activity and deleting a log.
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
import { distance, numberField, optionalNumberField, paginated, r2, range, timeField, timeWindow, toJsonNumberString } from "./Inputs.js"

const ACTIVITY_RESOURCES: Record<string, (a: DataGenerator.DailyActivity, context: CallContext) => number> = {
  steps: (a) => a.steps,
  calories: (a) => a.caloriesOut,
  caloriesBMR: (a) => a.caloriesBMR,
  activityCalories: (a) => a.activityCalories,
  distance: (a, c) => distance(c, a.distanceKm),
  floors: (a) => a.floors,
  elevation: (a, c) => r2(c.imperial ? a.elevation * 3.28084 : a.elevation),
  minutesSedentary: (a) => a.sedentaryMinutes,
  minutesLightlyActive: (a) => a.lightlyActiveMinutes,
  minutesFairlyActive: (a) => a.fairlyActiveMinutes,
  minutesVeryActive: (a) => a.veryActiveMinutes
}

/** A day's active zone minutes: one per minute in fat burn, two in cardio or peak (as the Google type). */
const activeZoneMinutesOf = (context: CallContext, date: string) => {
  const zones = DataGenerator.heartRateZones(context.seed, context.user.userId, date)
  const minutes = (name: string) => zones.find((z) => z.name === name)?.minutes ?? 0
  const fatBurn = minutes("Fat Burn")
  const cardio = minutes("Cardio") * 2
  const peak = minutes("Peak") * 2
  return {
    activeZoneMinutes: fatBurn + cardio + peak,
    fatBurnActiveZoneMinutes: fatBurn,
    cardioActiveZoneMinutes: cardio,
    peakActiveZoneMinutes: peak
  }
}

const workoutsOf = (context: CallContext, date: string) => {
  const writes = context.state.data.of(context.user.userId)
  const generated = DataGenerator.workouts(context.seed, context.user.userId, date)
    .filter((w) => !writes.deleted.has(w.logId))
    .map((w) => ({ ...w, logType: "auto_detected" as const }))
  const logged = writes.activities.filter((a) => a.date === date).map((a) => ({
    logId: a.logId,
    activityName: a.activityName,
    activityTypeId: a.activityTypeId,
    startTime: a.startTime,
    durationMillis: a.durationMillis,
    calories: a.calories,
    steps: 0,
    distanceKm: a.distanceKm,
    averageHeartRate: 0,
    logType: "manual" as const
  }))
  return [...generated, ...logged].sort((a, b) => a.startTime.localeCompare(b.startTime))
}

const activityLogJson = (context: CallContext, w: ReturnType<typeof workoutsOf>[number]) => ({
  activeDuration: w.durationMillis,
  activityName: w.activityName,
  activityTypeId: w.activityTypeId,
  averageHeartRate: w.averageHeartRate,
  calories: w.calories,
  distance: distance(context, w.distanceKm),
  distanceUnit: context.imperial ? "Mile" : "Kilometer",
  duration: w.durationMillis,
  logId: w.logId,
  logType: w.logType,
  originalDuration: w.durationMillis,
  originalStartTime: w.startTime,
  startTime: w.startTime,
  steps: w.steps
})

const activitySummary = (context: CallContext, date: string) => {
  const a = DataGenerator.dailyActivity(context.seed, context.user.userId, date)
  const logs = workoutsOf(context, date)
  const km = a.distanceKm
  return {
    activities: logs.map((w) => ({
      activityId: w.activityTypeId,
      activityParentId: w.activityTypeId,
      calories: w.calories,
      description: "",
      distance: distance(context, w.distanceKm),
      duration: w.durationMillis,
      hasStartTime: true,
      isFavorite: false,
      logId: w.logId,
      name: w.activityName,
      startDate: date,
      startTime: w.startTime.slice(11, 16),
      steps: w.steps
    })),
    goals: { activeMinutes: 30, caloriesOut: 2500, distance: distance(context, 8.05), floors: 10, steps: 10000 },
    summary: {
      activityCalories: a.activityCalories,
      caloriesBMR: a.caloriesBMR,
      caloriesOut: a.caloriesOut,
      distances: [
        { activity: "total", distance: distance(context, km) },
        { activity: "tracker", distance: distance(context, km) },
        { activity: "loggedActivities", distance: distance(context, logs.reduce((n, w) => n + w.distanceKm, 0)) }
      ],
      elevation: ACTIVITY_RESOURCES.elevation!(a, context),
      fairlyActiveMinutes: a.fairlyActiveMinutes,
      floors: a.floors,
      heartRateZones: DataGenerator.heartRateZones(context.seed, context.user.userId, date),
      lightlyActiveMinutes: a.lightlyActiveMinutes,
      marginalCalories: Math.round(a.activityCalories * 0.6),
      restingHeartRate: a.restingHeartRate,
      sedentaryMinutes: a.sedentaryMinutes,
      steps: a.steps,
      veryActiveMinutes: a.veryActiveMinutes
    }
  }
}

const activityIntraday = dataHandler({ versions: ANY_VERSION, scope: "activity" }, (c) =>
      Effect.gen(function*() {
        const resource = c.params.resource ?? ""
        if (!["steps", "calories", "distance", "floors", "elevation"].includes(resource)) {
          return yield* Effect.fail(notFound(`No intraday series for ${resource}.`))
        }
        const date = yield* c.date(c.params.date)
        const step = { "1min": 1, "5min": 5, "15min": 15 }[c.params.detail ?? ""]
        if (step === undefined) {
          return yield* Effect.fail(validation(`Invalid detail level: ${c.params.detail} (1min, 5min or 15min).`, "detail-level"))
        }
        const perMinute = DataGenerator.stepsByMinute(c.seed, c.user.userId, date)
        const a = DataGenerator.dailyActivity(c.seed, c.user.userId, date)
        // The day's floors and calories spread over its minutes so that they add up to the summary.
        const floors = DataGenerator.bucketSums(DataGenerator.spread(a.floors, perMinute, 0), step)
        const basal = DataGenerator.bucketSums(DataGenerator.spread(a.caloriesBMR, perMinute.map(() => 1), 2), step, 2)
        const active = DataGenerator.bucketSums(DataGenerator.spread(a.activityCalories, perMinute, 2), step, 2)
        const all: Array<{ time: string; value: number }> = []
        for (let m = 0, i = 0; m < 1440; m += step, i++) {
          const stepsIn = perMinute.slice(m, m + step).reduce((x, y) => x + y, 0)
          const floorsIn = floors[i]!
          const v = resource === "steps"
            ? stepsIn
            : resource === "floors"
            ? floorsIn
            : resource === "elevation"
            ? r2(floorsIn * (c.imperial ? 10 : 3.048))
            : resource === "distance"
            ? Math.round(distance(c, stepsIn * 0.000762) * 1000) / 1000
            : r2(basal[i]! + active[i]!)
          all.push({ time: DataGenerator.clockTime(m), value: v })
        }
        const dataset = yield* timeWindow(c, all)
        return Http.json({
          [`activities-${resource}`]: [{ dateTime: date, value: toJsonNumberString(ACTIVITY_RESOURCES[resource]!(a, c)) }],
          [`activities-${resource}-intraday`]: { dataset, datasetInterval: step, datasetType: "minute" }
        })
      }))

/**
 * The activity routes.
 *
 * @since 0.1.0
 * @category routes
 */
export const routes: ReadonlyArray<Step> = [
  HttpRouter.get(
    `${U}/activities/date/:date.json`,
    dataHandler({ versions: ANY_VERSION, scope: "activity" }, (c) =>
      Effect.map(c.date(c.params.date), (date) => Http.json(activitySummary(c, date))))
  ),
  HttpRouter.get(
    `${U}/activities/list.json`,
    dataHandler({ versions: ANY_VERSION, scope: "activity" }, (c) =>
      paginated(
        c,
        "/activities/list.json",
        "activities",
        (date) => workoutsOf(c, date).map((w) => activityLogJson(c, w)),
        (a) => a.startTime
      ))
  ),
  HttpRouter.post(
    `${U}/activities.json`,
    dataHandler({ versions: ANY_VERSION, scope: "activity", write: true }, (c) =>
      Effect.gen(function*() {
        const fields = yield* c.body
        const name = fields.activityName ?? (fields.activityId === undefined ? undefined : `Activity ${fields.activityId}`)
        if (name === undefined) return yield* Effect.fail(validation("activityId or activityName is required.", "activityId"))
        const date = yield* c.date(fields.date ?? "", "date")
        const start = yield* timeField(fields, "startTime")
        const durationMillis = yield* numberField(fields, "durationMillis", { min: 1 })
        const calories = (yield* optionalNumberField(fields, "manualCalories")) ?? Math.round(durationMillis / 60_000 * 5)
        const distanceKm = (yield* optionalNumberField(fields, "distance")) ?? 0
        const log = {
          logId: c.state.data.nextLogId(),
          date,
          activityName: name,
          activityTypeId: Number(fields.activityId ?? 0),
          startTime: DataGenerator.localDateTime(date, start),
          durationMillis,
          calories,
          distanceKm
        }
        c.state.data.of(c.user.userId).activities.push(log)
        return Http.json({
          activityLog: {
            activityId: log.activityTypeId,
            activityParentId: log.activityTypeId,
            calories: log.calories,
            description: "",
            distance: distance(c, log.distanceKm),
            duration: log.durationMillis,
            hasStartTime: true,
            isFavorite: false,
            logId: log.logId,
            name: log.activityName,
            startDate: date,
            startTime: log.startTime.slice(11, 16),
            steps: 0
          }
        }, 201)
      }))
  ),
  HttpRouter.del(
    `${U}/activities/:logId.json`,
    dataHandler({ versions: ANY_VERSION, scope: "activity", write: true }, (c) => {
      const id = Number(c.params.logId)
      const writes = c.state.data.of(c.user.userId)
      const index = writes.activities.findIndex((a) => a.logId === id)
      if (index !== -1) {
        writes.activities.splice(index, 1)
        return Effect.succeed(HttpServerResponse.empty({ status: 204 }))
      }
      // a generated workout: find it within the user's history
      for (let d = today(c.state, c.user.userId); d >= c.user.memberSince; d = DataGenerator.addDays(d, -1)) {
        if (DataGenerator.workouts(c.seed, c.user.userId, d).some((w) => w.logId === id) && !writes.deleted.has(id)) {
          writes.deleted.add(id)
          return Effect.succeed(HttpServerResponse.empty({ status: 204 }))
        }
      }
      return Effect.fail(notFound(`Activity log ${c.params.logId} not found.`))
    })
  ),
  HttpRouter.get(
    `${U}/activities/:resource/date/:date/:period.json`,
    dataHandler({ versions: ANY_VERSION, scope: "activity" }, (c) =>
      Effect.gen(function*() {
        const resource = c.params.resource ?? ""
        if (resource === "active-zone-minutes") {
          const days = yield* range(c, c.params.date, c.params.period, 1095)
          return Http.json({ "activities-active-zone-minutes": days.map((d) => ({ dateTime: d, value: activeZoneMinutesOf(c, d) })) })
        }
        const value = ACTIVITY_RESOURCES[resource]
        if (value === undefined) return yield* Effect.fail(notFound(`Unknown activity resource: ${resource}.`))
        const dates = yield* range(c, c.params.date, c.params.period)
        return Http.json({
          [`activities-${resource}`]: dates.map((d) => ({
            dateTime: d,
            value: toJsonNumberString(value(DataGenerator.dailyActivity(c.seed, c.user.userId, d), c))
          }))
        })
      }))
  ),
  ...[`${U}/activities/:resource/date/:date/1d/:detail.json`, `${U}/activities/:resource/date/:date/1d/:detail/time/:start/:end.json`].map(
    (path) => HttpRouter.get(path as `/${string}`, activityIntraday)
  ),
]
