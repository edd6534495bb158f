/**
 * Legacy water logs answered from Google Health's `hydration-log`: the day's logs and summary,
 * the time series (`foods-log-water`, from the daily roll-up), and writes: logging a glass
 * creates a hydration point (at noon local: Fitbit logs have no time) under a numeric id that
 * is its `logId`, updating patches it, deleting batch-deletes it. Amounts are fluid ounces for
 * `en_US`, millilitres otherwise.
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import * as Random from "effect/Random"
import type * as GoogleDataTypes from "../../google/GoogleDataTypes.js"
import * as GoogleDataPoints from "../../google/resources/GoogleDataPoints.js"
import {
  answered,
  dailyRollUps,
  type Failure,
  type Http,
  idOf,
  type LegacyAnswer,
  type LegacyCall,
  localDateTime,
  numberText,
  pointsBetween,
  r2,
  refuse,
  resolveDate,
  resolveRange,
  valuesOf
} from "./Context.js"

const UNITS: Readonly<Record<string, number>> = { ml: 1, "fl oz": 29.5735, cup: 236.588 }

const out = (call: LegacyCall, ml: number) => r2(call.imperial ? ml / UNITS["fl oz"]! : ml)

const amountOf = (call: LegacyCall) =>
  Effect.gen(function*() {
    const raw = call.body.amount
    const amount = Number(raw)
    if (raw === undefined || raw === "" || !Number.isFinite(amount) || amount < 0) return yield* refuse(`Invalid amount: ${raw}`, "amount")
    const unit = call.body.unit ?? (call.imperial ? "fl oz" : "ml")
    const factor = UNITS[unit]
    if (factor === undefined) return yield* refuse(`Invalid unit: ${unit} (ml, fl oz or cup).`, "unit")
    return r2(amount * factor)
  })

/**
 * `GET /foods/log/water/date/{date}.json`.
 *
 * @since 0.1.0
 * @category handlers
 */
export const byDate = (call: LegacyCall): Effect.Effect<unknown, Failure, Http> =>
  Effect.gen(function*() {
    const date = yield* resolveDate(call, call.params.date)
    const logs = valuesOf("hydration-log", yield* pointsBetween(call, "hydration-log", "interval", date, date))
    const ml = logs.map(({ name, value }) => ({ logId: Number(idOf(name)), ml: value.amountConsumed?.milliliters ?? 0 }))
    return {
      summary: { water: out(call, ml.reduce((n, w) => n + w.ml, 0)) },
      water: ml.map((w) => ({ amount: out(call, w.ml), logId: w.logId }))
    }
  })

/**
 * `GET /foods/log/water/date/{date}/{period|end}.json`.
 *
 * @since 0.1.0
 * @category handlers
 */
export const series = (call: LegacyCall): Effect.Effect<unknown, Failure, Http> =>
  Effect.gen(function*() {
    const dates = yield* resolveRange(call, call.params.date, call.params.period)
    const windows = yield* dailyRollUps(call, "hydration-log", dates)
    return {
      "foods-log-water": dates.map((d) => ({
        dateTime: d,
        value: numberText(out(call, windows.get(d)?.hydrationLog?.amountConsumed?.millilitersSum ?? 0))
      }))
    }
  })

const hydration = (date: string, offsetMillis: number, ml: number): GoogleDataTypes.ValueOf<"hydration-log"> => {
  const start = Date.parse(`${date}T12:00:00Z`) - offsetMillis
  const utc = (t: number) => new Date(t).toISOString().replace(/\.000Z$/, "Z")
  const offset = `${Math.round(offsetMillis / 1000)}s`
  return {
    amountConsumed: { milliliters: ml },
    interval: { startTime: utc(start), endTime: utc(start + 60_000), startUtcOffset: offset, endUtcOffset: offset }
  }
}

/**
 * `POST /foods/log/water.json` (`amount`, `date`, `unit`): creates a hydration log.
 *
 * @since 0.1.0
 * @category handlers
 */
export const log = (call: LegacyCall): Effect.Effect<LegacyAnswer, Failure, Http> =>
  Effect.gen(function*() {
    const ml = yield* amountOf(call)
    const date = yield* resolveDate(call, call.body.date ?? "", "date")
    const id = String(yield* Random.nextIntBetween(10_000_000, 99_999_999)) + String(yield* Random.nextIntBetween(100, 999))
    yield* GoogleDataPoints.create(call.token, "hydration-log", hydration(date, yield* call.offsetMillis, ml), { id })
    return answered(201, { waterLog: { amount: out(call, ml), logId: Number(id) } })
  })

/**
 * `POST|PUT /foods/log/water/{logId}.json` (`amount`, `unit`): changes a log's amount.
 *
 * @since 0.1.0
 * @category handlers
 */
export const update = (call: LegacyCall): Effect.Effect<LegacyAnswer, Failure, Http> =>
  Effect.gen(function*() {
    const ml = yield* amountOf(call)
    const id = call.params.logId!
    const point = yield* GoogleDataPoints.get(call.token, { dataType: "hydration-log", id })
    if (point._tag !== "HydrationLog") return yield* refuse(`Water log ${id} not found.`, "logId")
    const interval = point.value.interval
    const date = localDateTime(interval.startTime, interval.startUtcOffset).slice(0, 10)
    yield* GoogleDataPoints.patch(call.token, { dataType: "hydration-log", id }, { ...hydration(date, 0, ml), interval })
    return answered(200, { waterLog: { amount: out(call, ml), logId: Number(id) } })
  })

/**
 * `DELETE /foods/log/water/{logId}.json`.
 *
 * @since 0.1.0
 * @category handlers
 */
export const remove = (call: LegacyCall): Effect.Effect<LegacyAnswer, Failure, Http> =>
  Effect.as(
    GoogleDataPoints.batchDelete(call.token, [`users/me/dataTypes/hydration-log/dataPoints/${call.params.logId}`], { dataType: "hydration-log" }),
    answered(204, undefined)
  )
