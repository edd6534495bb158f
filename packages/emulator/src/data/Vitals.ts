/**
 * Generated vital signs: the resting heart rate of each date.
 *
 * @since 0.1.0
 */
import { between, hash, rng } from "./Random.js"

/**
 * Resting heart rate of a date (bpm).
 *
 * @since 0.1.0
 * @category vitals
 */
export const restingHeartRate = (seed: string, userId: string, date: string): number => {
  const base = 55 + (hash(`${seed}|${userId}|rhr`) % 12)
  return base + between(rng(seed, userId, date, "rhr"), -3, 3)
}

