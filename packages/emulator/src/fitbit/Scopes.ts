/**
 * Fitbit's OAuth scopes as the emulator offers them, each with what it covers as Fitbit's consent
 * page names it (dev.fitbit.com's list of scopes).
 *
 * @since 0.1.0
 */

/**
 * What each of Fitbit's OAuth scopes lets an app read and write, as Fitbit's consent page names it.
 *
 * @since 0.1.0
 * @category constants
 */
export const SCOPE_DESCRIPTIONS: Readonly<Record<string, string>> = {
  activity: "activity and exercise: steps, distance, calories, floors, active minutes and logged activities",
  cardio_fitness: "cardio fitness score (VO2 max)",
  electrocardiogram: "ECG readings",
  heartrate: "heart rate, resting heart rate and heart rate variability",
  irregular_rhythm_notifications: "irregular rhythm notifications",
  location: "GPS location of exercises",
  nutrition: "food and water logs",
  oxygen_saturation: "blood oxygen saturation (SpO2)",
  profile: "profile: name, age, height, time zone",
  respiratory_rate: "breathing rate",
  settings: "devices, alarms and settings",
  sleep: "sleep logs and stages",
  social: "friends and leaderboard",
  temperature: "skin and core temperature",
  weight: "weight, BMI and body fat"
}

/**
 * Fitbit's OAuth scopes: what a grant minted with all scopes holds.
 *
 * @since 0.1.0
 * @category constants
 */
export const SCOPES: ReadonlyArray<string> = Object.keys(SCOPE_DESCRIPTIONS)
