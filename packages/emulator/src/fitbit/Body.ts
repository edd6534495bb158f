/**
 * The emulated body routes: weight and fat logs by date and period, body series, logging and deleting weight.
 *
 * @since 0.1.0
 */
import * as HttpRouter from "@effect/platform/HttpRouter"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as Effect from "effect/Effect"
import * as DataGenerator from "../DataGenerator.js"
import { today } from "../EmulatorState.js"
import * as Http from "../Http.js"
import { ANY_VERSION, type CallContext, dataHandler, notFound, type Step, U } from "./DataRoute.js"
import { LB_PER_KG, mass, numberField, r2, range, timeField, toJsonNumberString } from "./Inputs.js"

const weightLogs = (context: CallContext, dates: ReadonlyArray<string>): Array<DataGenerator.WeightEntry> => {
  const writes = context.state.data.of(context.user.userId)
  const meters = context.user.heightCm / 100
  return dates.flatMap((date) => {
    const w = DataGenerator.weight(context.seed, context.user.userId, date, context.user)
    const generated = w === undefined || writes.deleted.has(w.logId) ? [] : [w]
    const logged = writes.weights.filter((l) => l.date === date).map((l) => ({
      logId: l.logId,
      date: l.date,
      time: l.time,
      weightKg: l.weightKg,
      bmi: r2(l.weightKg / (meters * meters)),
      fatPercent: w?.fatPercent ?? 20
    }))
    return [...generated, ...logged].sort((a, b) => a.time.localeCompare(b.time))
  })
}

const weightJson = (c: CallContext, w: DataGenerator.WeightEntry) => ({
  bmi: w.bmi,
  date: w.date,
  fat: w.fatPercent,
  logId: w.logId,
  source: "Aria",
  time: w.time,
  weight: mass(c, w.weightKg)
})

const fatJson = (w: DataGenerator.WeightEntry) => ({ date: w.date, fat: w.fatPercent, logId: w.logId, source: "Aria", time: w.time })

/**
 * The body routes.
 *
 * @since 0.1.0
 * @category routes
 */
export const routes: ReadonlyArray<Step> = [
  HttpRouter.get(
    `${U}/body/log/weight/date/:date.json`,
    dataHandler({ versions: ANY_VERSION, scope: "weight" }, (c) =>
      Effect.map(c.date(c.params.date), (date) => Http.json({ weight: weightLogs(c, [date]).map((w) => weightJson(c, w)) })))
  ),
  HttpRouter.get(
    `${U}/body/log/weight/date/:date/:period.json`,
    dataHandler({ versions: ANY_VERSION, scope: "weight" }, (c) =>
      Effect.map(range(c, c.params.date, c.params.period, 31), (dates) =>
        Http.json({ weight: weightLogs(c, dates).map((w) => weightJson(c, w)) })))
  ),
  HttpRouter.get(
    `${U}/body/log/fat/date/:date.json`,
    dataHandler({ versions: ANY_VERSION, scope: "weight" }, (c) =>
      Effect.map(c.date(c.params.date), (date) => Http.json({ fat: weightLogs(c, [date]).map(fatJson) })))
  ),
  HttpRouter.get(
    `${U}/body/log/fat/date/:date/:period.json`,
    dataHandler({ versions: ANY_VERSION, scope: "weight" }, (c) =>
      Effect.map(range(c, c.params.date, c.params.period, 31), (dates) => Http.json({ fat: weightLogs(c, dates).map(fatJson) })))
  ),
  HttpRouter.get(
    `${U}/body/:resource/date/:date/:period.json`,
    dataHandler({ versions: ANY_VERSION, scope: "weight" }, (c) =>
      Effect.gen(function*() {
        const resource = c.params.resource ?? ""
        if (!["weight", "bmi", "fat"].includes(resource)) return yield* Effect.fail(notFound(`Unknown body resource: ${resource}.`))
        const dates = yield* range(c, c.params.date, c.params.period)
        // Days without a weigh-in carry the latest earlier one, as Fitbit's series do.
        const latest = (d: string): DataGenerator.WeightEntry | undefined => {
          for (let back = 0; back < 60; back++) {
            const w = DataGenerator.weight(c.seed, c.user.userId, DataGenerator.addDays(d, -back), c.user)
            if (w !== undefined) return w
          }
          return undefined
        }
        return Http.json({
          [`body-${resource}`]: dates.map((d) => {
            const w = latest(d)
            const v = w === undefined
              ? 0
              : resource === "weight"
              ? mass(c, w.weightKg)
              : resource === "bmi"
              ? w.bmi
              : w.fatPercent
            return { dateTime: d, value: toJsonNumberString(v) }
          })
        })
      }))
  ),
  HttpRouter.post(
    `${U}/body/log/weight.json`,
    dataHandler({ versions: ANY_VERSION, scope: "weight", write: true }, (c) =>
      Effect.gen(function*() {
        const fields = yield* c.body
        const weight = yield* numberField(fields, "weight", { min: 0.1 })
        const date = yield* c.date(fields.date ?? "", "date")
        const minute = fields.time === undefined ? 12 * 60 : yield* timeField(fields, "time")
        const log = {
          logId: c.state.data.nextLogId(),
          date,
          time: DataGenerator.clockTime(minute),
          weightKg: r2(c.imperial ? weight / LB_PER_KG : weight)
        }
        c.state.data.of(c.user.userId).weights.push(log)
        const entry = weightLogs(c, [date]).find((w) => w.logId === log.logId)!
        return Http.json({ weightLog: weightJson(c, entry) }, 201)
      }))
  ),
  HttpRouter.del(
    `${U}/body/log/weight/:logId.json`,
    dataHandler({ versions: ANY_VERSION, scope: "weight", write: true }, (c) => {
      const id = Number(c.params.logId)
      const writes = c.state.data.of(c.user.userId)
      const index = writes.weights.findIndex((w) => w.logId === id)
      if (index !== -1) {
        writes.weights.splice(index, 1)
        return Effect.succeed(HttpServerResponse.empty({ status: 204 }))
      }
      for (let d = today(c.state, c.user.userId); d >= c.user.memberSince; d = DataGenerator.addDays(d, -1)) {
        if (DataGenerator.weight(c.seed, c.user.userId, d, c.user)?.logId === id && !writes.deleted.has(id)) {
          writes.deleted.add(id)
          return Effect.succeed(HttpServerResponse.empty({ status: 204 }))
        }
      }
      return Effect.fail(notFound(`Weight log ${c.params.logId} not found.`))
    })
  ),
]
