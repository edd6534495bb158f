/**
 * The emulated nutrition routes: the food log summary, water logs (read, series, log, update, delete) and food search.
 *
 * @since 0.1.0
 */
import * as HttpRouter from "@effect/platform/HttpRouter"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as Effect from "effect/Effect"
import * as DataGenerator from "../DataGenerator.js"
import * as Http from "../Http.js"
import { ANY_VERSION, type CallContext, dataHandler, notFound, type Step, U, validation } from "./DataRoute.js"
import { numberField, r2, range, toJsonNumberString } from "./Inputs.js"

const waterOf = (context: CallContext, date: string) => context.state.data.of(context.user.userId).water.filter((w) => w.date === date)

const WATER_UNITS: Record<string, number> = { ml: 1, "fl oz": 29.5735, cup: 236.588 }

const mlOut = (context: CallContext, ml: number) => r2(context.imperial ? ml / WATER_UNITS["fl oz"]! : ml)

const FOODS = ["Apple", "Banana", "Bagel", "Chicken breast", "Oatmeal", "Orange juice", "Rice", "Salmon", "Yogurt"]

/**
 * The nutrition routes.
 *
 * @since 0.1.0
 * @category routes
 */
export const routes: ReadonlyArray<Step> = [
  HttpRouter.get(
    `${U}/foods/log/date/:date.json`,
    dataHandler({ versions: ANY_VERSION, scope: "nutrition" }, (c) =>
      Effect.map(c.date(c.params.date), (date) =>
        Http.json({
          foods: [],
          goals: { calories: 2200 },
          summary: {
            calories: 0,
            carbs: 0,
            fat: 0,
            fiber: 0,
            protein: 0,
            sodium: 0,
            water: mlOut(c, waterOf(c, date).reduce((n, w) => n + w.amountMl, 0))
          }
        })))
  ),
  HttpRouter.get(
    `${U}/foods/log/water/date/:date.json`,
    dataHandler({ versions: ANY_VERSION, scope: "nutrition" }, (c) =>
      Effect.map(c.date(c.params.date), (date) => {
        const logs = waterOf(c, date)
        return Http.json({
          summary: { water: mlOut(c, logs.reduce((n, w) => n + w.amountMl, 0)) },
          water: logs.map((w) => ({ amount: mlOut(c, w.amountMl), logId: w.logId }))
        })
      }))
  ),
  HttpRouter.get(
    `${U}/foods/log/water/date/:date/:period.json`,
    dataHandler({ versions: ANY_VERSION, scope: "nutrition" }, (c) =>
      Effect.map(range(c, c.params.date, c.params.period), (dates) =>
        Http.json({
          "foods-log-water": dates.map((d) => ({
            dateTime: d,
            value: toJsonNumberString(mlOut(c, waterOf(c, d).reduce((n, w) => n + w.amountMl, 0)))
          }))
        })))
  ),
  HttpRouter.post(
    `${U}/foods/log/water.json`,
    dataHandler({ versions: ANY_VERSION, scope: "nutrition", write: true }, (c) =>
      Effect.gen(function*() {
        const fields = yield* c.body
        const amount = yield* numberField(fields, "amount", { min: 0 })
        const date = yield* c.date(fields.date ?? "", "date")
        const unit = fields.unit ?? (c.imperial ? "fl oz" : "ml")
        const factor = WATER_UNITS[unit]
        if (factor === undefined) return yield* Effect.fail(validation(`Invalid unit: ${unit} (ml, fl oz or cup).`, "unit"))
        const log = { logId: c.state.data.nextLogId(), date, amountMl: r2(amount * factor) }
        c.state.data.of(c.user.userId).water.push(log)
        return Http.json({ waterLog: { amount: mlOut(c, log.amountMl), logId: log.logId } }, 201)
      }))
  ),
  ...(["POST", "PUT"] as const).map((method) =>
    HttpRouter.route(method)(
      `${U}/foods/log/water/:logId.json`,
      dataHandler({ versions: ANY_VERSION, scope: "nutrition", write: true }, (c) =>
        Effect.gen(function*() {
          const log = c.state.data.of(c.user.userId).water.find((w) => String(w.logId) === c.params.logId)
          if (log === undefined) return yield* Effect.fail(notFound(`Water log ${c.params.logId} not found.`))
          const fields = yield* c.body
          const amount = yield* numberField(fields, "amount", { min: 0 })
          const factor = WATER_UNITS[fields.unit ?? (c.imperial ? "fl oz" : "ml")]
          if (factor === undefined) return yield* Effect.fail(validation(`Invalid unit: ${fields.unit}.`, "unit"))
          log.amountMl = r2(amount * factor)
          return Http.json({ waterLog: { amount: mlOut(c, log.amountMl), logId: log.logId } })
        }))
    )
  ),
  HttpRouter.del(
    `${U}/foods/log/water/:logId.json`,
    dataHandler({ versions: ANY_VERSION, scope: "nutrition", write: true }, (c) => {
      const water = c.state.data.of(c.user.userId).water
      const index = water.findIndex((w) => String(w.logId) === c.params.logId)
      if (index === -1) return Effect.fail(notFound(`Water log ${c.params.logId} not found.`))
      water.splice(index, 1)
      return Effect.succeed(HttpServerResponse.empty({ status: 204 }))
    })
  ),
  HttpRouter.get(
    "/:version/foods/search.json",
    dataHandler({ versions: ANY_VERSION, scope: "nutrition", userScoped: false }, (c) => {
      const q = (c.query.query ?? "").trim().toLowerCase()
      if (q === "") return Effect.fail(validation("Missing parameter: query", "query"))
      return Effect.succeed(Http.json({
        foods: FOODS.filter((f) => f.toLowerCase().includes(q)).map((name) => ({
          brand: "",
          calories: 50 + (DataGenerator.hash(name) % 300),
          defaultServingSize: 1,
          defaultUnit: { id: 304, name: "serving", plural: "servings" },
          foodId: 10_000 + (DataGenerator.hash(name) % 90_000),
          name
        }))
      }))
    })
  ),
]
