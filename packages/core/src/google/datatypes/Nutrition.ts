/**
 * Nutrition data types: `hydration-log` (a drink), `nutrition-log` (a food eaten, with its
 * energy and nutrients), `food` (a food of the user's database with its servings) and
 * `food-measurement-unit`, with the quantities they share (energy, weight, volume, nutrients).
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"
import { num, optNum, str, TimeInterval } from "./Values.js"

/**
 * An amount of energy in kilocalories, with the unit the user entered it in.
 *
 * @since 0.1.0
 * @category units
 */
export const EnergyQuantity = Schema.Struct({ kcal: num, userProvidedUnit: str })

/**
 * A mass in grams, with the unit the user entered it in.
 *
 * @since 0.1.0
 * @category units
 */
export const WeightQuantity = Schema.Struct({ grams: num, userProvidedUnit: str })

/**
 * A volume in millilitres, with the unit the user entered it in.
 *
 * @since 0.1.0
 * @category units
 */
export const VolumeQuantity = Schema.Struct({ milliliters: num, userProvidedUnit: str })

/**
 * One nutrient (`PROTEIN`, `SODIUM`, …) and its mass.
 *
 * @since 0.1.0
 * @category units
 */
export const NutrientQuantity = Schema.Struct({ nutrient: str, quantity: Schema.optional(WeightQuantity) })

/**
 * `hydration-log`: one drink.
 *
 * @since 0.1.0
 * @category data types
 */
export const HydrationLog = Schema.Struct({ amountConsumed: Schema.optional(VolumeQuantity), interval: TimeInterval })

/**
 * The serving of a nutrition log: how much of which unit.
 *
 * @since 0.1.0
 * @category units
 */
export const Serving = Schema.Struct({ amount: optNum, foodMeasurementUnit: str, foodMeasurementUnitDisplayName: str })

/**
 * `nutrition-log`: a food eaten at a meal, with its energy, fat, carbohydrate and nutrients.
 *
 * @since 0.1.0
 * @category data types
 */
export const NutritionLog = Schema.Struct({
  interval: TimeInterval,
  mealType: str,
  /** The `food` data point's name, when logged from the food database. */
  food: str,
  foodDisplayName: str,
  serving: Schema.optional(Serving),
  energy: Schema.optional(EnergyQuantity),
  energyFromFat: Schema.optional(EnergyQuantity),
  totalCarbohydrate: Schema.optional(WeightQuantity),
  totalFat: Schema.optional(WeightQuantity),
  nutrients: Schema.optional(Schema.Array(NutrientQuantity))
})

/**
 * A serving a food comes in, with its unit's names and its multiplier of the default serving.
 *
 * @since 0.1.0
 * @category units
 */
export const FoodServing = Schema.Struct({
  amount: optNum,
  multiplier: optNum,
  foodMeasurementUnit: str,
  foodMeasurementUnitDisplayName: str,
  foodMeasurementUnitDisplayNamePlural: str
})

/**
 * `food`: a food of the user's database: brand, servings, energy range and nutrients.
 *
 * @since 0.1.0
 * @category data types
 */
export const Food = Schema.Struct({
  displayName: str,
  description: str,
  brand: str,
  accessLevel: str,
  languageCode: str,
  mealType: str,
  defaultServing: Schema.optional(FoodServing),
  servings: Schema.optional(Schema.Array(FoodServing)),
  energyAvg: Schema.optional(EnergyQuantity),
  energyMin: Schema.optional(EnergyQuantity),
  energyMax: Schema.optional(EnergyQuantity),
  energyFromFat: Schema.optional(EnergyQuantity),
  totalCarbohydrate: Schema.optional(WeightQuantity),
  totalFat: Schema.optional(WeightQuantity),
  nutrients: Schema.optional(Schema.Array(NutrientQuantity))
})

/**
 * `food-measurement-unit`: a unit foods are measured in (`cup`, `cups`).
 *
 * @since 0.1.0
 * @category data types
 */
export const FoodMeasurementUnit = Schema.Struct({ displayName: str, pluralDisplayName: str })
