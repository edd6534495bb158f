/**
 * Generated self-reported data in Google's shapes: `moods` (one evening check-in a day),
 * `symptoms` (on about one day in four), and the reproductive types for users who are not
 * `MALE`: a five-day `menstrual-period` every 28 days and an `ovulation-test` on cycle day 14.
 *
 * @since 0.1.0
 */
import * as DataGenerator from "../../DataGenerator.js"
import { atMinute, intervalPoint, MANUAL, samplePoint } from "./Builders.js"
import type { Day, Generator } from "./Day.js"

const MOODS = [["CALM", "CONTENT"], ["ENERGETIC"], ["TIRED"], ["STRESSED", "ANXIOUS"], ["HAPPY"]] as const
const VALENCE: Record<string, string> = { CALM: "PLEASANT", CONTENT: "PLEASANT", ENERGETIC: "PLEASANT", HAPPY: "PLEASANT", TIRED: "NEUTRAL", STRESSED: "UNPLEASANT", ANXIOUS: "UNPLEASANT" }
const SYMPTOMS = ["HEADACHE", "FATIGUE", "BLOATING", "CRAMPS", "ACNE"] as const

/** The day of the user's 28-day cycle (0-based). */
const cycleDay = (day: Day) => (DataGenerator.dayNumber(day.date) + DataGenerator.hash(`${day.seed}|${day.user.userId}|cycle`)) % 28

/**
 * The wellbeing and reproductive generators by data type.
 *
 * @since 0.1.0
 * @category generators
 */
export const generators: Readonly<Record<string, Generator>> = {
  "moods": (day) => {
    const next = DataGenerator.rng(day.seed, day.user.userId, day.date, "moods")
    const moods = MOODS[DataGenerator.between(next, 0, MOODS.length - 1)]!
    return [samplePoint("moods", day.user, atMinute(day, 21 * 60), "moods", {
      moods: [...moods],
      valences: moods.map((m) => VALENCE[m]!)
    }, { dataSource: MANUAL })]
  },
  "symptoms": (day) => {
    const next = DataGenerator.rng(day.seed, day.user.userId, day.date, "symptoms")
    if (next() >= 0.25) return []
    return [samplePoint("symptoms", day.user, atMinute(day, 19 * 60), "symptoms", {
      symptoms: [SYMPTOMS[DataGenerator.between(next, 0, SYMPTOMS.length - 1)]!]
    }, { dataSource: MANUAL })]
  },
  "menstrual-period": (day) =>
    day.user.gender !== "MALE" && cycleDay(day) === 0
      ? [intervalPoint("menstrual-period", day.user, day.midnight, day.midnight + 5 * 86_400_000, "menstrualPeriod", {}, MANUAL)]
      : [],
  "ovulation-test": (day) =>
    day.user.gender !== "MALE" && cycleDay(day) === 14
      ? [samplePoint("ovulation-test", day.user, atMinute(day, 7 * 60), "ovulationTest", { result: "POSITIVE" }, { dataSource: MANUAL })]
      : []
}
