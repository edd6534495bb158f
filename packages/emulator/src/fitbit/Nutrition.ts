/**
 * The emulated nutrition routes: the food log of a date (the generated meals, the same ones the
 * Google `nutrition-log` type serves), water logs (the generated glasses and the user's own:
 * read, series, log, update, delete) and food search.
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
import { numberField, r2, range, toJsonNumberString } from "./Inputs.js"
import type { WaterLog } from "./UserData.js"

/** The water of a date: the generated glasses the user did not delete or edit, then the user's own logs. */
const waterOf = (context: CallContext, date: string): Array<WaterLog> => {
  const writes = context.state.data.of(context.user.userId)
  const generated = DataGenerator.drinks(context.seed, context.user.userId, date)
    .filter((d) => !writes.deleted.has(d.logId))
    .map((d) => ({ logId: d.logId, date, amountMl: d.amountMl }))
  return [...generated, ...writes.water.filter((w) => w.date === date)]
}

/** A generated glass by id (searched back from today), unless deleted. */
const generatedWater = (context: CallContext, logId: string): WaterLog | undefined => {
  const writes = context.state.data.of(context.user.userId)
  const now = today(context.state, context.user.userId)
  for (let back = -1; back <= 400; back++) {
    const date = DataGenerator.addDays(now, -back)
    if (date < context.user.memberSince) break
    const hit = DataGenerator.drinks(context.seed, context.user.userId, date).find((d) => String(d.logId) === logId)
    if (hit !== undefined) return writes.deleted.has(hit.logId) ? undefined : { logId: hit.logId, date, amountMl: hit.amountMl }
  }
  return undefined
}

/** A water log by id: the user's own, or a generated glass (which an edit turns into the user's own). */
const findWater = (context: CallContext, logId: string): WaterLog | undefined => {
  const writes = context.state.data.of(context.user.userId)
  const own = writes.water.find((w) => String(w.logId) === logId)
  if (own !== undefined) return own
  const generated = generatedWater(context, logId)
  if (generated === undefined) return undefined
  writes.deleted.add(generated.logId)
  writes.water.push(generated)
  return generated
}

const MEAL_TYPE_ID: Record<DataGenerator.Meal["mealType"], number> = { BREAKFAST: 1, LUNCH: 3, DINNER: 5 }

/** A generated meal as a Fitbit food log entry. */
const foodLogOf = (meal: DataGenerator.Meal, date: string) => {
  const t = DataGenerator.mealTotals(meal)
  return {
    isFavorite: false,
    logDate: date,
    logId: meal.logId,
    loggedFood: {
      accessLevel: "PUBLIC",
      amount: meal.amount,
      brand: meal.food.brand,
      calories: t.calories,
      foodId: meal.food.foodId,
      mealTypeId: MEAL_TYPE_ID[meal.mealType],
      name: meal.food.name,
      unit: meal.food.unit
    },
    nutritionalValues: { calories: t.calories, carbs: t.carbs, fat: t.fat, fiber: t.fiber, protein: t.protein, sodium: t.sodiumMg }
  }
}

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
      Effect.map(c.date(c.params.date), (date) => {
        const foods = DataGenerator.meals(c.seed, c.user.userId, date).map((meal) => foodLogOf(meal, date))
        const sum = (key: keyof (typeof foods)[number]["nutritionalValues"]) =>
          r2(foods.reduce((n, f) => n + f.nutritionalValues[key], 0))
        return Http.json({
          foods,
          goals: { calories: 2200 },
          summary: {
            calories: sum("calories"),
            carbs: sum("carbs"),
            fat: sum("fat"),
            fiber: sum("fiber"),
            protein: sum("protein"),
            sodium: sum("sodium"),
            water: mlOut(c, waterOf(c, date).reduce((n, w) => n + w.amountMl, 0))
          }
        })
      }))
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
          const log = findWater(c, c.params.logId ?? "")
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
      const writes = c.state.data.of(c.user.userId)
      const index = writes.water.findIndex((w) => String(w.logId) === c.params.logId)
      if (index !== -1) writes.water.splice(index, 1)
      else {
        const generated = generatedWater(c, c.params.logId ?? "")
        if (generated === undefined) return Effect.fail(notFound(`Water log ${c.params.logId} not found.`))
        writes.deleted.add(generated.logId)
      }
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
