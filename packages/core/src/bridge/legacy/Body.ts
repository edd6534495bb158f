/**
 * Legacy body paths answered from Google Health's `weight`, `body-fat` and `height` samples:
 * weight and fat logs by date or range (at most 31 days), and the `weight`, `bmi` and `fat` time
 * series (a day without a weigh-in carries the latest earlier one, as Fitbit's series do). BMI
 * is computed from the latest `height`; weights are in pounds for `en_US`.
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import {
  type Failure,
  type Http,
  idOf,
  type LegacyCall,
  mass,
  numberText,
  pointsBetween,
  r2,
  resolveDate,
  resolveRange
} from "./Context.js"
import { addDays, civilParts } from "../../internal/civilTime.js"

interface WeighIn {
  readonly logId: number
  readonly date: string
  readonly time: string
  readonly kg: number
  readonly fat?: number
  readonly bmi: number
  readonly source: string
}

/** Every weigh-in from `from` to `to`, paired with the fat reading taken with it. */
const weighIns = (call: LegacyCall, from: string, to: string): Effect.Effect<Array<WeighIn>, Failure, Http> =>
  Effect.gen(function*() {
    const [weights, fats, heights] = yield* Effect.all([
      pointsBetween(call, "weight", "sample", from, to),
      pointsBetween(call, "body-fat", "sample", from, to),
      pointsBetween(call, "height", "sample", addDays(to, -390), to)
    ], { concurrency: 3 })
    const latestHeight = heights.filter((p) => p._tag === "Height").at(-1)
    const meters = latestHeight?._tag === "Height" ? latestHeight.value.heightMillimeters / 1000 : undefined
    const fatAt = new Map(fats.flatMap((p) => (p._tag === "BodyFat" ? [[p.value.sampleTime.physicalTime, p.value.percentage] as const] : [])))
    return weights.flatMap((p) => {
      if (p._tag !== "Weight") return []
      const { date, time } = civilParts(p.value.sampleTime.civilTime)
      const kg = p.value.weightGrams / 1000
      const fat = fatAt.get(p.value.sampleTime.physicalTime)
      return [{
        logId: Number(idOf(p.name)),
        date,
        time,
        kg,
        ...(fat === undefined ? {} : { fat }),
        bmi: meters === undefined ? 0 : r2(kg / (meters * meters)),
        source: p.dataSource?.device?.formFactor === "SCALE" ? "Aria" : "API"
      }]
    })
  })

const weightJson = (call: LegacyCall, w: WeighIn) => ({
  bmi: w.bmi,
  date: w.date,
  ...(w.fat === undefined ? {} : { fat: w.fat }),
  logId: w.logId,
  source: w.source,
  time: w.time,
  weight: mass(call, w.kg)
})

const datesOf = (call: LegacyCall) =>
  call.params.period === undefined
    ? Effect.map(resolveDate(call, call.params.date), (d) => [d])
    : resolveRange(call, call.params.date, call.params.period, 31)

/**
 * `GET /body/log/weight/date/{date}[/{period|end}].json`.
 *
 * @since 0.1.0
 * @category handlers
 */
export const weightLogs = (call: LegacyCall): Effect.Effect<unknown, Failure, Http> =>
  Effect.gen(function*() {
    const dates = yield* datesOf(call)
    const logs = yield* weighIns(call, dates[0]!, dates[dates.length - 1]!)
    return { weight: logs.map((w) => weightJson(call, w)) }
  })

/**
 * `GET /body/log/fat/date/{date}[/{period|end}].json`.
 *
 * @since 0.1.0
 * @category handlers
 */
export const fatLogs = (call: LegacyCall): Effect.Effect<unknown, Failure, Http> =>
  Effect.gen(function*() {
    const dates = yield* datesOf(call)
    const logs = yield* weighIns(call, dates[0]!, dates[dates.length - 1]!)
    return { fat: logs.flatMap((w) => (w.fat === undefined ? [] : [{ date: w.date, fat: w.fat, logId: w.logId, source: w.source, time: w.time }])) }
  })

/**
 * `GET /body/{weight|bmi|fat}/date/{date}/{period|end}.json`.
 *
 * @since 0.1.0
 * @category handlers
 */
export const series = (call: LegacyCall): Effect.Effect<unknown, Failure, Http> =>
  Effect.gen(function*() {
    const resource = call.params.resource as "weight" | "bmi" | "fat"
    const dates = yield* resolveRange(call, call.params.date, call.params.period)
    const logs = yield* weighIns(call, addDays(dates[0]!, -59), dates[dates.length - 1]!)
    const latestOn = (d: string) => {
      let found: WeighIn | undefined
      for (const w of logs) if (w.date <= d && w.date > addDays(d, -60)) found = w
      return found
    }
    return {
      [`body-${resource}`]: dates.map((d) => {
        const w = latestOn(d)
        const v = w === undefined ? 0 : resource === "weight" ? mass(call, w.kg) : resource === "bmi" ? w.bmi : w.fat ?? 0
        return { dateTime: d, value: numberText(v) }
      })
    }
  })
