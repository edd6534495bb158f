/**
 * What `Sync` reads and how it cuts the work, from Google's rules table (`GoogleDataTypeRules`):
 * the data types a grant can read on a channel, the filter of a window of civil days for each,
 * the size of the next window (the points per day seen so far and the type's page maximum: as
 * few requests as the data allows), and how a point is filed (the civil day its type's filter
 * files it under, its key, times, source and headline number).
 *
 * @since 0.1.0
 */
import * as Either from "effect/Either"
import * as Errors from "../Errors.js"
import type { Channel } from "../google/GoogleHealthConfig.js"
import * as GoogleDataTypeRules from "../google/GoogleDataTypeRules.js"
import * as GoogleDataTypes from "../google/GoogleDataTypes.js"
import { filters } from "../google/resources/Filters.js"
import { addDays, formatDate } from "../internal/civilTime.js"
import type * as SyncStore from "./SyncStore.js"

/**
 * The longest window, in days: a leap year and the two days a pass reads past today (the zones
 * ahead of UTC), so one request covers a year's backfill of a sparse type.
 *
 * @since 0.1.0
 * @category constants
 */
export const MAX_WINDOW_DAYS = 368

/**
 * How a data type is read: `days` (windows of civil days on the type's filter field), `from`
 * (a lower bound only: `electrocardiogram`), `whole` (no time: the catalogue types, read whole).
 *
 * @since 0.1.0
 * @category models
 */
export type Shape = "days" | "from" | "whole"

/**
 * The shape of a readable type.
 *
 * @since 0.1.0
 * @category models
 */
export const shapeOf = (dataType: string): Shape => {
  const placement = GoogleDataTypeRules.ruleOf(dataType)?.placement
  return placement === "ecg" ? "from" : placement === "catalogue" ? "whole" : "days"
}

/**
 * The data types `Sync` can read on a channel: every type whose rules list `list` (not the
 * roll-up-only ones), served on that channel, in the table's order.
 *
 * @since 0.1.0
 * @category models
 */
export const readableTypes = (channel: Channel = "v4"): ReadonlyArray<GoogleDataTypes.KnownDataType> =>
  Object.entries(GoogleDataTypeRules.RULES).flatMap(([id, rule]) =>
    rule.methods.includes("list") && rule.placement !== "rollup" && (channel === "v4beta" || rule.channel === "v4") &&
      GoogleDataTypes.isKnownDataType(id)
      ? [id]
      : []
  )

/**
 * Checks the data types a sync is asked for: known, readable with `list`, served on the channel.
 *
 * @since 0.1.0
 * @category models
 */
export const checkTypes = (
  dataTypes: ReadonlyArray<string> | undefined,
  channel: Channel
): Either.Either<ReadonlyArray<GoogleDataTypes.KnownDataType>, Errors.InvalidInput> => {
  const readable = readableTypes(channel)
  if (dataTypes === undefined) return Either.right(readable)
  if (!Array.isArray(dataTypes) || dataTypes.length === 0) {
    return Either.left(new Errors.InvalidInput({ field: "dataTypes", reason: "must be a non-empty array of data-type ids, or absent for every readable type" }))
  }
  for (const id of dataTypes) {
    if (!readable.includes(id as GoogleDataTypes.KnownDataType)) {
      const rule = typeof id === "string" ? GoogleDataTypeRules.ruleOf(id) : undefined
      return Either.left(
        new Errors.InvalidInput({
          field: "dataTypes",
          reason: rule === undefined
            ? `${String(id)} is not a Google Health data type`
            : !rule.methods.includes("list") || rule.placement === "rollup"
            ? `${id} cannot be listed (Google serves it as roll-ups only)`
            : `${id} is served on the v4beta channel only (set channel: "v4beta")`
        })
      )
    }
  }
  return Either.right([...new Set(dataTypes)] as ReadonlyArray<GoogleDataTypes.KnownDataType>)
}

/**
 * The page maximum of a type (10,000; 25 for sleep and exercise).
 *
 * @since 0.1.0
 * @category models
 */
export const pageMax = (dataType: string): number => GoogleDataTypeRules.ruleOf(dataType)?.pageSize.max ?? 10_000

/**
 * The filter of a window (`undefined`: none, for the catalogue types).
 *
 * @since 0.1.0
 * @category models
 */
export const filterOf = (dataType: string, window: SyncStore.Window): string | undefined => {
  switch (shapeOf(dataType)) {
    case "whole":
      return undefined
    case "from":
      return filters.range(dataType, window.start, window.start)
    case "days":
      return filters.range(dataType, window.start, window.end ?? addDays(window.start, MAX_WINDOW_DAYS))
  }
}

/**
 * The first day a type filtered by a lower bound only (ECG: `shapeOf` "from") is read from: `since`,
 * but no further back than a filter may reach (Google refuses a filter that spans more than 400
 * days at the emulator; a pass reads up to two days past `today`, so `MAX_WINDOW_DAYS - 2` back).
 *
 * @since 0.1.0
 * @category models
 */
export const fromStart = (since: string, today: string): string => {
  const earliest = addDays(today, -(MAX_WINDOW_DAYS - 2))
  return since < earliest ? earliest : since
}

/**
 * How many days the next window should cover: the days one page holds at the density seen
 * (`pageMax / pointsPerDay`, whole days, at least 1, at most {@link MAX_WINDOW_DAYS}); every day
 * asked for when nothing has been seen yet (the first read learns the density).
 *
 * @since 0.1.0
 * @category models
 */
export const windowDays = (dataType: string, density: number | null, wanted: number): number => {
  if (density === null || !(density > 0)) return Math.max(1, Math.min(wanted, MAX_WINDOW_DAYS))
  return Math.max(1, Math.min(wanted, MAX_WINDOW_DAYS, Math.floor(pageMax(dataType) / density)))
}

/**
 * Days between two civil dates (`end` excluded).
 *
 * @since 0.1.0
 * @category models
 */
export const daysBetween = (start: string, end: string): number =>
  Math.round((Date.parse(`${end}T00:00:00Z`) - Date.parse(`${start}T00:00:00Z`)) / 86_400_000)

type Json = Record<string, any>

const offsetMillis = (offset: unknown): number => {
  if (typeof offset !== "string") return 0
  const seconds = Number(offset.replace(/s$/, ""))
  return Number.isFinite(seconds) ? seconds * 1000 : 0
}

const dayAt = (time: unknown, offset: unknown): string | undefined => {
  if (typeof time !== "string") return undefined
  const at = Date.parse(time)
  return Number.isNaN(at) ? undefined : new Date(at + offsetMillis(offset)).toISOString().slice(0, 10)
}

const AMOUNT: Readonly<Record<string, (value: Json) => unknown>> = {
  "steps": (v) => v.count,
  "distance": (v) => v.millimeters,
  "floors": (v) => v.count,
  "sleep": (v) => v.summary?.minutesAsleep,
  "daily-resting-heart-rate": (v) => v.beatsPerMinute,
  "heart-rate": (v) => v.beatsPerMinute,
  "weight": (v) => v.weightGrams,
  "body-fat": (v) => v.percentage
}

const amountOf = (dataType: string, value: Json): number | null => {
  const read = AMOUNT[dataType]
  if (read === undefined) return null
  const n = Number(read(value))
  return read(value) === undefined || read(value) === null || !Number.isFinite(n) ? null : n
}

/**
 * A point as `SyncStore` keeps it, from the JSON Google answered, or why it cannot be filed (a
 * point without the time its type is filtered on).
 *
 * @since 0.1.0
 * @category models
 */
export const storedPoint = (dataType: string, raw: unknown): Either.Either<SyncStore.StoredPoint, string> => {
  if (typeof raw !== "object" || raw === null) return Either.left("a data point that is not an object")
  const json = raw as Json
  const value = json[GoogleDataTypes.KNOWN[dataType as GoogleDataTypes.KnownDataType]?.field ?? ""] as Json | undefined
  if (typeof value !== "object" || value === null) return Either.left(`a ${dataType} data point without its value`)
  const placement = GoogleDataTypeRules.ruleOf(dataType)?.placement
  const interval = value.interval as Json | undefined
  const sample = value.sampleTime as Json | undefined
  let day: string | undefined
  let startTime: string | null = null
  let endTime: string | null = null
  switch (placement) {
    case "catalogue":
      day = ""
      break
    case "daily":
      day = formatDate(value.date)
      break
    case "sample":
      day = formatDate(sample?.civilTime?.date) ?? dayAt(sample?.physicalTime, sample?.utcOffset)
      startTime = endTime = typeof sample?.physicalTime === "string" ? sample.physicalTime : null
      break
    case "ecg":
      day = dayAt(interval?.startTime, "0s")
      break
    case "sleep":
      day = formatDate(interval?.civilEndTime?.date) ?? dayAt(interval?.endTime, interval?.endUtcOffset)
      break
    default:
      day = formatDate(interval?.civilStartTime?.date) ?? dayAt(interval?.startTime, interval?.startUtcOffset)
  }
  if (interval !== undefined && placement !== "sample" && placement !== "daily") {
    startTime = typeof interval.startTime === "string" ? interval.startTime : null
    endTime = typeof interval.endTime === "string" ? interval.endTime : null
  }
  if (day === undefined) return Either.left(`a ${dataType} data point without the time its filter files it under`)
  const source = json.dataSource as Json | undefined
  const name = typeof json.name === "string" && json.name !== "" ? json.name : undefined
  // Types Google gives no name (steps, heart rate, …) are keyed by their time and their whole
  // source: two points differ in one or the other, and no hash stands in for either.
  const key = name ?? `${startTime ?? day}|${endTime ?? ""}|${JSON.stringify(source ?? null)}`
  return Either.right({
    key,
    day,
    startTime,
    endTime,
    source: typeof source?.platform === "string" ? source.platform : null,
    amount: amountOf(dataType, value),
    json: JSON.stringify(raw)
  })
}
