/**
 * Generated nutrition in Google's shapes: `nutrition-log` (the day's meals, the ones the Fitbit
 * food log serves), `hydration-log` (the day's glasses of water, as the Fitbit water log
 * serves them), and the catalogue types without a time: `food` (the foods meals are drawn
 * from) and `food-measurement-unit`.
 *
 * @since 0.1.0
 */
import * as DataGenerator from "../../DataGenerator.js"
import type * as Registry from "../../Registry.js"
import { healthUserIdOf, type Point } from "../GoogleData.js"
import { physical } from "../Time.js"
import { atMinute, intervalPoint, MANUAL } from "./Builders.js"
import type { Generator } from "./Day.js"

const foodName = (healthUserId: string, food: DataGenerator.Food) => `users/${healthUserId}/dataTypes/food/dataPoints/${food.foodId}`

const nutrients = (t: ReturnType<typeof DataGenerator.mealTotals>) => [
  { nutrient: "PROTEIN", quantity: { grams: t.protein } },
  { nutrient: "DIETARY_FIBER", quantity: { grams: t.fiber } },
  { nutrient: "SODIUM", quantity: { grams: t.sodiumMg / 1000 } }
]

/**
 * The nutrition generators by data type.
 *
 * @since 0.1.0
 * @category generators
 */
export const generators: Readonly<Record<string, Generator>> = {
  "nutrition-log": (day) =>
    DataGenerator.meals(day.seed, day.user.userId, day.date).map((meal) => {
      const t = DataGenerator.mealTotals(meal)
      const start = atMinute(day, meal.minute)
      const point = intervalPoint("nutrition-log", day.user, start, start + 20 * 60_000, "nutritionLog", {
        mealType: meal.mealType,
        food: foodName(day.healthUserId, meal.food),
        foodDisplayName: meal.food.name,
        serving: { amount: meal.amount, foodMeasurementUnit: String(meal.food.unit.id), foodMeasurementUnitDisplayName: meal.food.unit.name },
        energy: { kcal: t.calories },
        energyFromFat: { kcal: Math.round(t.fat * 9) },
        totalCarbohydrate: { grams: t.carbs },
        totalFat: { grams: t.fat },
        nutrients: nutrients(t)
      }, MANUAL)
      const id = String(meal.logId)
      return { ...point, id, json: { name: `users/${day.healthUserId}/dataTypes/nutrition-log/dataPoints/${id}`, ...point.json } }
    }),
  "hydration-log": (day) =>
    DataGenerator.drinks(day.seed, day.user.userId, day.date).map((drink) => {
      const at = atMinute(day, drink.minute)
      const point = intervalPoint("hydration-log", day.user, at, at + 60_000, "hydrationLog", {
        amountConsumed: { milliliters: drink.amountMl }
      }, MANUAL)
      const id = String(drink.logId)
      return { ...point, id, json: { name: `users/${day.healthUserId}/dataTypes/hydration-log/dataPoints/${id}`, ...point.json } }
    })
}

const timeless = (dataType: string, id: string, json: Record<string, unknown>): Point => ({
  dataType,
  json,
  id,
  civilStart: "",
  civilEnd: "",
  start: 0,
  end: 0,
  date: ""
})

/**
 * The catalogue types, which have no time (listed whole, never filtered): the foods and units.
 *
 * @since 0.1.0
 * @category generators
 */
export const catalogues: Readonly<Record<string, (user: Registry.User) => Array<Point>>> = {
  "food": (user) => {
    const healthUserId = healthUserIdOf(user.userId)
    return DataGenerator.FOODS.map((food) => {
      const serving = {
        amount: 1,
        multiplier: 1,
        foodMeasurementUnit: String(food.unit.id),
        foodMeasurementUnitDisplayName: food.unit.name,
        foodMeasurementUnitDisplayNamePlural: food.unit.plural
      }
      return timeless("food", String(food.foodId), {
        name: foodName(healthUserId, food),
        dataSource: MANUAL,
        food: {
          displayName: food.name,
          ...(food.brand === "" ? {} : { brand: food.brand }),
          accessLevel: "PUBLIC",
          languageCode: "en-US",
          defaultServing: serving,
          servings: [serving, { ...serving, amount: 0.5, multiplier: 0.5 }],
          energyAvg: { kcal: food.calories },
          energyFromFat: { kcal: food.fat * 9 },
          totalCarbohydrate: { grams: food.carbs },
          totalFat: { grams: food.fat },
          nutrients: nutrients(DataGenerator.mealTotals({ logId: 0, mealType: "LUNCH", food, amount: 1, minute: 0 }))
        }
      })
    })
  },
  "food-measurement-unit": (user) =>
    DataGenerator.FOOD_UNITS.map((unit) =>
      timeless("food-measurement-unit", String(unit.id), {
        name: `users/${healthUserIdOf(user.userId)}/dataTypes/food-measurement-unit/dataPoints/${unit.id}`,
        dataSource: MANUAL,
        foodMeasurementUnit: { displayName: unit.name, pluralDisplayName: unit.plural }
      })
    )
}

/**
 * A water log of the Fitbit API as a `hydration-log` point (at noon: Fitbit logs have no time).
 *
 * @since 0.1.0
 * @category generators
 */
export const hydrationOfWater = (user: Registry.User, log: { readonly logId: number; readonly date: string; readonly amountMl: number }): Point => {
  const at = physical(`${log.date}T12:00:00`, user.offsetFromUTCMillis)
  const point = intervalPoint("hydration-log", user, at, at + 60_000, "hydrationLog", { amountConsumed: { milliliters: log.amountMl } }, MANUAL)
  const id = String(log.logId)
  return { ...point, id, json: { name: `users/${healthUserIdOf(user.userId)}/dataTypes/hydration-log/dataPoints/${id}`, ...point.json } }
}
