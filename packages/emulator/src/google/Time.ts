/**
 * Time in the Google Health API's wire shapes, for the emulated `/v4/` routes: RFC 3339
 * timestamps, UTC offsets as protobuf durations (`"3600s"`), civil date-times
 * (`google.type.DateTime` parts) and dates (`google.type.Date`), and the civil literals filters use.
 *
 * @since 0.1.0
 */
import * as DataGenerator from "../DataGenerator.js"

/**
 * `"3600s"` of milliseconds.
 *
 * @since 0.1.0
 * @category formatting
 */
export const offsetText = (millis: number): string => `${Math.round(millis / 1000)}s`

/**
 * RFC 3339 UTC of epoch milliseconds.
 *
 * @since 0.1.0
 * @category formatting
 */
export const rfc3339 = (millis: number): string => new Date(millis).toISOString().replace(/\.000Z$/, "Z")

/**
 * Epoch milliseconds of a local `YYYY-MM-DDTHH:mm:ss[.SSS]` at an offset.
 *
 * @since 0.1.0
 * @category dates
 */
export const physical = (local: string, offsetMillis: number): number => Date.parse(`${local.slice(0, 19)}Z`) - offsetMillis

/**
 * Local `YYYY-MM-DDTHH:mm:ss` of epoch milliseconds at an offset.
 *
 * @since 0.1.0
 * @category dates
 */
export const civil = (millis: number, offsetMillis: number): string =>
  new Date(millis + offsetMillis).toISOString().slice(0, 19)

/**
 * Google's `CivilDateTime` of a local date-time.
 *
 * @since 0.1.0
 * @category formatting
 */
export const civilJson = (local: string) => ({
  date: { year: Number(local.slice(0, 4)), month: Number(local.slice(5, 7)), day: Number(local.slice(8, 10)) },
  time: { hours: Number(local.slice(11, 13)), minutes: Number(local.slice(14, 16)), seconds: Number(local.slice(17, 19)) }
})

/**
 * Google's `Date` of a `YYYY-MM-DD`.
 *
 * @since 0.1.0
 * @category formatting
 */
export const dateJson = (date: string) => ({
  year: Number(date.slice(0, 4)),
  month: Number(date.slice(5, 7)),
  day: Number(date.slice(8, 10))
})

/**
 * A civil literal of a filter (`YYYY-MM-DD[THH:mm[:ss]]`) as `YYYY-MM-DDTHH:mm:ss`;
 * `undefined` when it is not one.
 *
 * @since 0.1.0
 * @category dates
 */
export const normaliseCivil = (literal: string): string | undefined => {
  const match = /^(\d{4}-\d{2}-\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2}))?)?$/.exec(literal)
  if (match === null || !DataGenerator.isDate(match[1]!)) return undefined
  return `${match[1]}T${match[2] ?? "00"}:${match[3] ?? "00"}:${match[4] ?? "00"}`
}

