/**
 * Civil dates and times of the generated data: `yyyy-MM-dd` dates in the user's own time zone,
 * day numbers, ranges, `HH:mm:ss` clock times.
 *
 * @since 0.1.0
 */

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/

/**
 * Whether a string is a real calendar date `yyyy-MM-dd`.
 *
 * @since 0.1.0
 * @category dates
 */
export const isDate = (date: string): boolean => {
  const m = DATE.exec(date)
  if (m === null) return false
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])))
  return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3])
}

/**
 * Days since 1970-01-01 of a `yyyy-MM-dd` date.
 *
 * @since 0.1.0
 * @category dates
 */
export const dayNumber = (date: string): number => Math.floor(Date.parse(`${date}T00:00:00Z`) / 86_400_000)

/**
 * The `yyyy-MM-dd` date of a day number.
 *
 * @since 0.1.0
 * @category dates
 */
export const fromDayNumber = (day: number): string => new Date(day * 86_400_000).toISOString().slice(0, 10)

/**
 * Adds days to a date.
 *
 * @since 0.1.0
 * @category dates
 */
export const addDays = (date: string, days: number): string => fromDayNumber(dayNumber(date) + days)

/**
 * The local date at an instant for a UTC offset.
 *
 * @since 0.1.0
 * @category dates
 */
export const localDate = (epochMillis: number, offsetMillis: number): string =>
  new Date(epochMillis + offsetMillis).toISOString().slice(0, 10)

/**
 * The dates from `start` to `end` inclusive.
 *
 * @since 0.1.0
 * @category dates
 */
export const datesBetween = (start: string, end: string): Array<string> => {
  const out: Array<string> = []
  for (let d = dayNumber(start); d <= dayNumber(end); d++) out.push(fromDayNumber(d))
  return out
}

const pad = (n: number): string => String(n).padStart(2, "0")

/**
 * `HH:mm:ss` of a minute-of-day (may exceed a day; wraps).
 *
 * @since 0.1.0
 * @category dates
 */
export const clockTime = (minuteOfDay: number, seconds = 0): string => {
  const m = ((minuteOfDay % 1440) + 1440) % 1440
  return `${pad(Math.floor(m / 60))}:${pad(m % 60)}:${pad(seconds)}`
}

/**
 * A local date-time `yyyy-MM-ddTHH:mm:ss.000` from a date and minutes after its midnight
 * (negative minutes fall on the day before).
 *
 * @since 0.1.0
 * @category dates
 */
export const localDateTime = (date: string, minutes: number): string => {
  const day = dayNumber(date) + Math.floor(minutes / 1440)
  return `${fromDayNumber(day)}T${clockTime(minutes)}.000`
}

/**
 * The age of a user on a date.
 *
 * @since 0.1.0
 * @category dates
 */
export const ageOn = (dateOfBirth: string, now: number): number => {
  const today = new Date(now)
  const birth = new Date(`${dateOfBirth}T00:00:00Z`)
  return today.getUTCFullYear() - birth.getUTCFullYear() -
    (today.getUTCMonth() < birth.getUTCMonth() ||
        (today.getUTCMonth() === birth.getUTCMonth() && today.getUTCDate() < birth.getUTCDate())
      ? 1
      : 0)
}
