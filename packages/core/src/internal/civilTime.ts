/**
 * Civil (wall-clock) dates and times, the one place both providers and the bridge read and
 * write them: `YYYY-MM-DD` arithmetic, Google's `{year, month, day}` / `{hours, minutes,
 * seconds}` parts as text, and Google's `"3600s"` durations. Internal: not exported from the
 * package; public helpers (`GoogleDataTypes.formatDate`, …) delegate here.
 *
 * @internal
 */

const DAY_MILLIS = 86_400_000

/** A `YYYY-MM-DD` date moved by whole days. */
export const addDays = (date: string, days: number): string =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MILLIS).toISOString().slice(0, 10)

/** The dates from `from` to `to`, inclusive (empty when `to` is before `from`). */
export const datesBetween = (from: string, to: string): Array<string> => {
  const out: Array<string> = []
  for (let d = from; d <= to; d = addDays(d, 1)) out.push(d)
  return out
}

/** The `YYYY-MM-DD` at an instant in a zone `offsetMillis` from UTC. */
export const dateAt = (millis: number, offsetMillis: number): string => new Date(millis + offsetMillis).toISOString().slice(0, 10)

type Num = number | undefined

/** Google's calendar date parts. */
export interface DateParts {
  readonly year?: Num
  readonly month?: Num
  readonly day?: Num
}

/** Google's time-of-day parts. */
export interface TimeParts {
  readonly hours?: Num
  readonly minutes?: Num
  readonly seconds?: Num
}

/** A Google civil date-time, or just its date. */
export interface CivilParts {
  readonly date?: DateParts | undefined
  readonly time?: TimeParts | undefined
}

const pad2 = (n: Num): string => String(n ?? 0).padStart(2, "0")

/** `YYYY-MM-DD` of a calendar date; `undefined` when a part is missing. */
export const formatDate = (date: DateParts | undefined): string | undefined =>
  date?.year === undefined || date.month === undefined || date.day === undefined
    ? undefined
    : `${String(date.year).padStart(4, "0")}-${pad2(date.month)}-${pad2(date.day)}`

/** `HH:mm:ss` of a time of day; missing parts are zero. */
export const formatTime = (time: TimeParts | undefined): string => `${pad2(time?.hours)}:${pad2(time?.minutes)}:${pad2(time?.seconds)}`

/** A civil date-time's `YYYY-MM-DD` (1970 for a missing year, 00 for other missing parts) and `HH:mm:ss`. */
export const civilParts = (civil: CivilParts | undefined): { readonly date: string; readonly time: string } => {
  const d = civil?.date
  return { date: `${d?.year ?? 1970}-${pad2(d?.month)}-${pad2(d?.day)}`, time: formatTime(civil?.time) }
}

/** `YYYY-MM-DDTHH:mm:ss` of a civil date-time; `undefined` without a whole date. */
export const formatDateTime = (civil: CivilParts | undefined): string | undefined => {
  const date = formatDate(civil?.date)
  return date === undefined ? undefined : `${date}T${formatTime(civil?.time)}`
}

/** The calendar date of a `YYYY-MM-DD` string; `undefined` when it is not a real date. */
export const parseDate = (text: string): { readonly year: number; readonly month: number; readonly day: number } | undefined => {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text)
  if (match === null) return undefined
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])]
  const check = new Date(Date.UTC(year, month - 1, day))
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) return undefined
  return { year, month, day }
}

/** Milliseconds of a protobuf duration such as `"3600s"` or `"1.5s"`; `undefined` when malformed. */
export const durationMillis = (duration: string | undefined): number | undefined => {
  if (duration === undefined) return undefined
  const match = /^(-?\d+(?:\.\d+)?)s$/.exec(duration.trim())
  return match === null ? undefined : Math.round(Number(match[1]) * 1000)
}
