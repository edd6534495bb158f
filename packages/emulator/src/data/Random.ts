/**
 * Seeded randomness for the generated data: a string hash, a keyed generator over `[0, 1)`,
 * whole numbers in a range, rounding.
 *
 * @since 0.1.0
 */

/**
 * FNV-1a hash of a string, as an unsigned 32-bit integer.
 *
 * @since 0.1.0
 * @category generators
 */
export const hash = (text: string): number => {
  let h = 0x811c9dc5
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i)
    h = Math.imul(h, 0x01000193)
  }
  return h >>> 0
}

/**
 * A seeded pseudo-random generator (mulberry32) over `[0, 1)`, keyed by any number of parts.
 *
 * @since 0.1.0
 * @category generators
 */
export const rng = (...parts: ReadonlyArray<string | number>): () => number => {
  let a = hash(parts.join("|"))
  return () => {
    a = (a + 0x6d2b79f5) | 0
    let t = Math.imul(a ^ (a >>> 15), 1 | a)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/**
 * A whole number in `[min, max]` from a generator.
 *
 * @since 0.1.0
 * @category generators
 */
export const between = (next: () => number, min: number, max: number): number => min + Math.floor(next() * (max - min + 1))
/**
 * Rounds to `digits` decimals.
 *
 * @since 0.1.0
 * @category generators
 */
export const round = (value: number, digits: number): number => Math.round(value * 10 ** digits) / 10 ** digits
