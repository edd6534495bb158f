/**
 * Self-reported wellbeing data types: `moods` (moods and their valences) and `symptoms`.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"
import { SampleTime, strings } from "./Values.js"

/**
 * `moods`: the moods a user logged (`CALM`, `STRESSED`, …) and their valences.
 *
 * @since 0.1.0
 * @category data types
 */
export const Moods = Schema.Struct({ moods: strings, valences: strings, sampleTime: SampleTime })

/**
 * `symptoms`: the symptoms a user logged (`HEADACHE`, `CRAMPS`, …).
 *
 * @since 0.1.0
 * @category data types
 */
export const Symptoms = Schema.Struct({ symptoms: strings, sampleTime: SampleTime })
