/**
 * Generated nutrition: the meals of a date (one breakfast, lunch and dinner from a small food
 * catalogue) and the drinks of water. Deterministic per seed, user and date.
 *
 * @since 0.1.0
 */
import { between, hash, rng, round } from "./Random.js"

/**
 * A food of the catalogue, per serving.
 *
 * @since 0.1.0
 * @category generators
 */
export interface Food {
  readonly foodId: number
  readonly name: string
  readonly brand: string
  readonly unit: { readonly id: number; readonly name: string; readonly plural: string }
  readonly calories: number
  readonly carbs: number
  readonly fat: number
  readonly protein: number
  readonly fiber: number
  readonly sodiumMg: number
}

const UNITS = {
  bowl: { id: 28, name: "bowl", plural: "bowls" },
  serving: { id: 304, name: "serving", plural: "servings" },
  cup: { id: 91, name: "cup", plural: "cups" }
} as const

/**
 * The food catalogue meals are drawn from.
 *
 * @since 0.1.0
 * @category generators
 */
export const FOODS: ReadonlyArray<Food> = [
  { foodId: 81001, name: "Oatmeal with berries", brand: "", unit: UNITS.bowl, calories: 310, carbs: 54, fat: 6, protein: 10, fiber: 8, sodiumMg: 120 },
  { foodId: 81002, name: "Greek yogurt", brand: "Fage", unit: UNITS.cup, calories: 220, carbs: 9, fat: 10, protein: 20, fiber: 0, sodiumMg: 85 },
  { foodId: 81003, name: "Chicken salad", brand: "", unit: UNITS.bowl, calories: 450, carbs: 18, fat: 24, protein: 38, fiber: 6, sodiumMg: 640 },
  { foodId: 81004, name: "Lentil soup", brand: "Amy's", unit: UNITS.cup, calories: 290, carbs: 42, fat: 6, protein: 16, fiber: 14, sodiumMg: 780 },
  { foodId: 81005, name: "Salmon with rice", brand: "", unit: UNITS.serving, calories: 640, carbs: 58, fat: 22, protein: 44, fiber: 2, sodiumMg: 520 },
  { foodId: 81006, name: "Vegetable stir fry", brand: "", unit: UNITS.serving, calories: 520, carbs: 66, fat: 18, protein: 18, fiber: 9, sodiumMg: 910 }
]

/**
 * The measurement units of the catalogue.
 *
 * @since 0.1.0
 * @category generators
 */
export const FOOD_UNITS: ReadonlyArray<Food["unit"]> = Object.values(UNITS)

/**
 * One meal eaten: which food, how many servings, when (minutes after local midnight).
 *
 * @since 0.1.0
 * @category generators
 */
export interface Meal {
  readonly logId: number
  readonly mealType: "BREAKFAST" | "LUNCH" | "DINNER"
  readonly food: Food
  readonly amount: number
  readonly minute: number
}

/**
 * The meals of a date: breakfast, lunch and dinner.
 *
 * @since 0.1.0
 * @category generators
 */
export const meals = (seed: string, userId: string, date: string): Array<Meal> => {
  const next = rng(seed, userId, date, "meals")
  const pick = (from: number, to: number) => FOODS[between(next, from, to)]!
  const slots = [
    { mealType: "BREAKFAST" as const, food: pick(0, 1), minute: between(next, 7 * 60, 8 * 60 + 30) },
    { mealType: "LUNCH" as const, food: pick(2, 3), minute: between(next, 12 * 60, 13 * 60 + 30) },
    { mealType: "DINNER" as const, food: pick(4, 5), minute: between(next, 18 * 60 + 30, 20 * 60) }
  ]
  return slots.map((slot, i) => ({
    ...slot,
    amount: next() < 0.8 ? 1 : 1.5,
    logId: 30_000_000_000 + (hash(`${seed}|${userId}|${date}|meal|${i}`) % 900_000_000)
  }))
}

/**
 * A meal's totals: its food per serving times its servings.
 *
 * @since 0.1.0
 * @category generators
 */
export const mealTotals = (meal: Meal) => ({
  calories: Math.round(meal.food.calories * meal.amount),
  carbs: round(meal.food.carbs * meal.amount, 1),
  fat: round(meal.food.fat * meal.amount, 1),
  protein: round(meal.food.protein * meal.amount, 1),
  fiber: round(meal.food.fiber * meal.amount, 1),
  sodiumMg: round(meal.food.sodiumMg * meal.amount, 1)
})

/**
 * One glass of water: id, millilitres and when (minutes after local midnight).
 *
 * @since 0.1.0
 * @category generators
 */
export interface Drink {
  readonly logId: number
  readonly amountMl: number
  readonly minute: number
}

/**
 * The water drunk on a date: four to seven glasses between 08:00 and 21:00.
 *
 * @since 0.1.0
 * @category generators
 */
export const drinks = (seed: string, userId: string, date: string): Array<Drink> => {
  const next = rng(seed, userId, date, "water")
  const count = between(next, 4, 7)
  return Array.from({ length: count }, (_, i) => ({
    logId: 40_000_000_000 + (hash(`${seed}|${userId}|${date}|water|${i}`) % 900_000_000),
    amountMl: [250, 330, 500][between(next, 0, 2)]!,
    minute: 8 * 60 + Math.round((i + next()) * (13 * 60) / count)
  }))
}
