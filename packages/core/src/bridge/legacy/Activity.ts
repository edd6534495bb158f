/**
 * Legacy activity paths answered from Google Health: the daily summary
 * (`/activities/date/{date}`), time series by period or range (`/activities/{resource}/date/…`
 * for steps, distance, calories, caloriesBMR, activityCalories, floors, elevation and the four
 * activity-level minutes, plus active zone minutes), and 15-minute intraday steps. Values come
 * from the interval types and their daily roll-ups (`steps`, `distance`, `floors`, `altitude`,
 * `active-energy-burned`, `basal-energy-burned`, `total-calories`, `activity-level`).
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import type * as GoogleDataTypes from "../../google/GoogleDataTypes.js"
import {
  dailyRollUps,
  distance,
  durationSeconds,
  type Failure,
  type Http,
  idOf,
  type LegacyCall,
  numberText,
  pointsBetween,
  r2,
  resolveDate,
  resolveRange,
  timeWindow,
  valuesOf
} from "./Context.js"
import { heartRateZonesOn, restingHeartRates } from "./Heart.js"
import { civilParts } from "../../internal/civilTime.js"

/** Fitbit's activity type of a Google exercise type. */
const EXERCISE: Readonly<Record<string, { readonly id: number; readonly name: string }>> = {
  WALKING: { id: 90013, name: "Walk" },
  RUNNING: { id: 90009, name: "Run" },
  BIKING: { id: 90001, name: "Bike" }
}

const sum = (values: ReadonlyArray<number>) => values.reduce((a, b) => a + b, 0)

/** Fitbit's activity levels and Google's names for them. */
const LEVELS = { sedentary: "SEDENTARY", lightly: "LIGHT", fairly: "MODERATE", very: "VIGOROUS" } as const
type Level = keyof typeof LEVELS
type Minutes = Readonly<Record<Level, number>>

/** A day without activity levels: all of it sedentary, as Fitbit answers a day with no data. */
const IDLE: Minutes = { sedentary: 1440, lightly: 0, fairly: 0, very: 0 }

/**
 * Minutes at each activity level on each date, from the daily roll-up of `activity-level` (Fitbit's
 * minute-by-minute levels; sleep is not sedentary time): one call per 90 days.
 */
const minutesByLevel = (call: LegacyCall, dates: ReadonlyArray<string>) =>
  Effect.map(dailyRollUps(call, "activity-level", dates), (windows) => {
    const out = new Map<string, Minutes>()
    for (const date of dates) {
      const levels = windows.get(date)?.activityLevel?.activityLevelRollupsByActivityLevelType ?? []
      const of = (level: Level) =>
        Math.round(durationSeconds(levels.find((l) => l.activityLevelType === LEVELS[level])?.totalDuration) / 60)
      out.set(date, levels.length === 0 ? IDLE : { sedentary: of("sedentary"), lightly: of("lightly"), fairly: of("fairly"), very: of("very") })
    }
    return out
  })

/** Elevation in the caller's unit, from millimetres climbed. */
const elevation = (call: LegacyCall, millimeters: number) => {
  const meters = r2(millimeters / 1000)
  return r2(call.imperial ? meters * 3.28084 : meters)
}

/**
 * `GET /activities/date/{date}.json`: the day's summary, activities and goals.
 *
 * @since 0.1.0
 * @category handlers
 */
export const summary = (call: LegacyCall): Effect.Effect<unknown, Failure, Http> =>
  Effect.gen(function*() {
    const date = yield* resolveDate(call, call.params.date)
    const on = (type: GoogleDataTypes.DataTypeId) => pointsBetween(call, type, "interval", date, date)
    const [steps, dist, floors, altitude, active, basal, minutes, exercises, zones, resting] = yield* Effect.all([
      on("steps"),
      on("distance"),
      on("floors"),
      on("altitude"),
      on("active-energy-burned"),
      on("basal-energy-burned"),
      minutesByLevel(call, [date]),
      pointsBetween(call, "exercise", "interval", date, date),
      heartRateZonesOn(call, [date]),
      restingHeartRates(call, [date])
    ], { concurrency: "unbounded" })
    const km = r2(sum(valuesOf("distance", dist).map((v) => v.value.millimeters)) / 1_000_000)
    const activityCalories = Math.round(sum(valuesOf("active-energy-burned", active).map((v) => v.value.kcal)))
    const caloriesBMR = Math.round(sum(valuesOf("basal-energy-burned", basal).map((v) => v.value.kcal)))
    const { fairly, lightly, sedentary, very } = minutes.get(date) ?? IDLE
    const workouts = valuesOf("exercise", exercises)
    const totalSteps = sum(valuesOf("steps", steps).map((v) => v.value.count))
    return {
      activities: workouts.map(({ name, value }) => {
        const kind = EXERCISE[value.exerciseType] ?? { id: 0, name: value.exerciseType }
        const durationMillis = durationSeconds(value.activeDuration) * 1000
        return {
          activityId: kind.id,
          activityParentId: kind.id,
          calories: value.metricsSummary?.caloriesKcal ?? 0,
          description: "",
          distance: distance(call, r2((value.metricsSummary?.distanceMillimeters ?? 0) / 1_000_000)),
          duration: durationMillis,
          hasStartTime: true,
          isFavorite: false,
          logId: Number(idOf(name)),
          name: value.displayName ?? kind.name,
          startDate: date,
          startTime: civilParts(value.interval.civilStartTime).time.slice(0, 5),
          steps: value.metricsSummary?.steps ?? 0
        }
      }),
      // Google Health has no goals: Fitbit's defaults.
      goals: { activeMinutes: 30, caloriesOut: 2500, distance: distance(call, 8.05), floors: 10, steps: 10000 },
      summary: {
        activityCalories,
        caloriesBMR,
        caloriesOut: caloriesBMR + activityCalories,
        distances: [
          { activity: "total", distance: distance(call, km) },
          { activity: "tracker", distance: distance(call, km) },
          {
            activity: "loggedActivities",
            distance: distance(call, sum(workouts.map((w) => r2((w.value.metricsSummary?.distanceMillimeters ?? 0) / 1_000_000))))
          }
        ],
        elevation: elevation(call, sum(valuesOf("altitude", altitude).map((v) => v.value.gainMillimeters))),
        fairlyActiveMinutes: fairly,
        floors: sum(valuesOf("floors", floors).map((v) => v.value.count)),
        heartRateZones: zones.get(date) ?? [],
        lightlyActiveMinutes: lightly,
        ...(resting.has(date) ? { restingHeartRate: resting.get(date) } : {}),
        sedentaryMinutes: sedentary,
        steps: totalSteps,
        veryActiveMinutes: very
      }
    }
  })

type Series = (call: LegacyCall, dates: ReadonlyArray<string>) => Effect.Effect<ReadonlyMap<string, number>, Failure, Http>

const rolled = (dataType: GoogleDataTypes.DataTypeId, value: (w: GoogleDataTypes.RollupDataPoint) => number): Series => (call, dates) =>
  Effect.map(dailyRollUps(call, dataType, dates), (windows) => new Map([...windows].map(([d, w]) => [d, value(w)])))

const minutesSeries = (level: Level): Series => (call, dates) =>
  Effect.map(minutesByLevel(call, dates), (byDate) => new Map([...byDate].map(([d, m]) => [d, m[level]])))

const caloriesOut = rolled("total-calories", (w) => Math.round(w.totalCalories?.kcalSum ?? 0))
const activityCalories = rolled("active-energy-burned", (w) => Math.round(w.activeEnergyBurned?.kcalSum ?? 0))

const SERIES: Readonly<Record<string, Series>> = {
  steps: rolled("steps", (w) => w.steps?.countSum ?? 0),
  floors: rolled("floors", (w) => w.floors?.countSum ?? 0),
  distance: (call, dates) =>
    Effect.map(rolled("distance", (w) => w.distance?.millimetersSum ?? 0)(call, dates), (mm) =>
      new Map([...mm].map(([d, v]) => [d, distance(call, r2(v / 1_000_000))]))),
  elevation: (call, dates) =>
    Effect.map(rolled("altitude", (w) => w.altitude?.gainMillimetersSum ?? 0)(call, dates), (mm) =>
      new Map([...mm].map(([d, v]) => [d, elevation(call, v)]))),
  calories: caloriesOut,
  activityCalories,
  caloriesBMR: (call, dates) =>
    Effect.map(
      Effect.all([caloriesOut(call, dates), activityCalories(call, dates)], { concurrency: 2 }),
      ([total, active]) => new Map([...total].map(([d, t]) => [d, t - (active.get(d) ?? 0)]))
    ),
  minutesSedentary: minutesSeries("sedentary"),
  minutesLightlyActive: minutesSeries("lightly"),
  minutesFairlyActive: minutesSeries("fairly"),
  minutesVeryActive: minutesSeries("very")
}

/**
 * The activity resources with a time series.
 *
 * @since 0.1.0
 * @category handlers
 */
export const SERIES_RESOURCES: ReadonlyArray<string> = [...Object.keys(SERIES), "active-zone-minutes"]

/**
 * `GET /activities/{resource}/date/{date}/{period|end}.json`.
 *
 * @since 0.1.0
 * @category handlers
 */
export const series = (call: LegacyCall): Effect.Effect<unknown, Failure, Http> =>
  Effect.gen(function*() {
    const resource = call.params.resource!
    const dates = yield* resolveRange(call, call.params.date, call.params.period)
    if (resource === "active-zone-minutes") {
      const windows = yield* dailyRollUps(call, "active-zone-minutes", dates)
      return {
        "activities-active-zone-minutes": dates.map((d) => {
          const z = windows.get(d)?.activeZoneMinutes
          const fatBurn = z?.sumInFatBurnHeartZone ?? 0
          const cardio = z?.sumInCardioHeartZone ?? 0
          const peak = z?.sumInPeakHeartZone ?? 0
          return {
            dateTime: d,
            value: { activeZoneMinutes: fatBurn + cardio + peak, fatBurnActiveZoneMinutes: fatBurn, cardioActiveZoneMinutes: cardio, peakActiveZoneMinutes: peak }
          }
        })
      }
    }
    const values = yield* SERIES[resource]!(call, dates)
    return { [`activities-${resource}`]: dates.map((d) => ({ dateTime: d, value: numberText(values.get(d) ?? 0) })) }
  })

/**
 * `GET /activities/steps/date/{date}/1d/15min[/time/{start}/{end}].json`: Google's 15-minute
 * step intervals (a finer detail level has no Google source).
 *
 * @since 0.1.0
 * @category handlers
 */
export const intradaySteps = (call: LegacyCall): Effect.Effect<unknown, Failure, Http> =>
  Effect.gen(function*() {
    const date = yield* resolveDate(call, call.params.date)
    const points = valuesOf("steps", yield* pointsBetween(call, "steps", "interval", date, date))
    const byTime = new Map(points.map(({ value }) => [civilParts(value.interval.civilStartTime).time, value.count]))
    const all = Array.from({ length: 96 }, (_, i) => {
      const time = `${String(Math.floor(i / 4)).padStart(2, "0")}:${String((i % 4) * 15).padStart(2, "0")}:00`
      return { time, value: byTime.get(time) ?? 0 }
    })
    const dataset = yield* timeWindow(call, all)
    return {
      "activities-steps": [{ dateTime: date, value: numberText(sum(all.map((p) => p.value))) }],
      "activities-steps-intraday": { dataset, datasetInterval: 15, datasetType: "minute" }
    }
  })
