/**
 * The Levenshtein distance between two strings (insertions, deletions, substitutions), for the
 * "did you mean" of a data type or a path.
 *
 * @since 0.1.0
 */

/**
 * How many single-character edits turn `a` into `b`.
 *
 * @since 0.1.0
 * @category utils
 */
export const editDistance = (a: string, b: string): number => {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0]!
    row[0] = i
    for (let j = 1; j <= b.length; j++) {
      const current = row[j]!
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1))
      previous = current
    }
  }
  return row[b.length]!
}
