/**
 * The emulated `:rollUp` (physical windows) and `:dailyRollUp` (civil days) methods, with
 * Google's range limits per data type.
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import * as DataGenerator from "../DataGenerator.js"
import * as Http from "../Http.js"
import { invalid, readJson } from "./Answers.js"
import { type Caller, categoryOf, requireScope } from "./Caller.js"
import * as GoogleData from "./GoogleData.js"
import { pageSizeOf, paginate } from "./Paging.js"
import { collect } from "./Store.js"

const num = (value: unknown): number => (typeof value === "number" ? value : typeof value === "string" ? Number(value) : 0)
const ROLLUPS: Record<string, (points: ReadonlyArray<GoogleData.Point>) => Record<string, unknown>> = {
  "steps": (ps) => ({ steps: { countSum: String(ps.reduce((n, p) => n + num((p.json.steps as any).count), 0)) } }),
  "distance": (ps) => ({
    distance: { millimetersSum: String(ps.reduce((n, p) => n + num((p.json.distance as any).millimeters), 0)) }
  }),
  "heart-rate": (ps) => {
    const values = ps.map((p) => num((p.json.heartRate as any).beatsPerMinute))
    return {
      heartRate: {
        beatsPerMinuteAvg: Math.round(values.reduce((a, b) => a + b, 0) / values.length * 10) / 10,
        beatsPerMinuteMin: Math.min(...values),
        beatsPerMinuteMax: Math.max(...values)
      }
    }
  },
  "weight": (ps) => ({
    weight: { weightGramsAvg: ps.reduce((n, p) => n + num((p.json.weight as any).weightGrams), 0) / ps.length }
  }),
  "body-fat": (ps) => ({
    bodyFat: { bodyFatPercentageAvg: ps.reduce((n, p) => n + num((p.json.bodyFat as any).percentage), 0) / ps.length }
  }),
  "active-zone-minutes": (ps) => {
    const sum = (zone: string) =>
      String(ps.filter((p) => (p.json.activeZoneMinutes as any).heartRateZone === zone)
        .reduce((n, p) => n + num((p.json.activeZoneMinutes as any).activeZoneMinutes), 0))
    return {
      activeZoneMinutes: {
        sumInFatBurnHeartZone: sum("FAT_BURN"),
        sumInCardioHeartZone: sum("CARDIO"),
        sumInPeakHeartZone: sum("PEAK")
      }
    }
  },
  "daily-resting-heart-rate": (ps) => {
    const values = ps.map((p) => num((p.json.dailyRestingHeartRate as any).beatsPerMinute))
    return { restingHeartRatePersonalRange: { beatsPerMinuteMin: Math.min(...values), beatsPerMinuteMax: Math.max(...values) } }
  }
}
const SHORT_RANGE = new Set(["heart-rate", "calories-in-heart-rate-zone", "active-minutes", "total-calories"])
/**
 * `:rollUp`: aggregates over physical windows.
 *
 * @since 0.1.0
 */
export const rollUp = (caller: Caller, dataType: string, path: string) =>
  Effect.gen(function*() {
    yield* requireScope(caller, categoryOf(dataType), "read")
    const aggregate = ROLLUPS[dataType]
    if (aggregate === undefined) return yield* Effect.fail(invalid(`Roll-ups are not supported for data type ${dataType}.`))
    const body = yield* readJson
    const range = body.range as { startTime?: unknown; endTime?: unknown } | undefined
    const start = Date.parse(String(range?.startTime))
    const end = Date.parse(String(range?.endTime))
    if (Number.isNaN(start) || Number.isNaN(end) || end <= start) {
      return yield* Effect.fail(invalid("range must have RFC 3339 startTime before endTime."))
    }
    const maxDays = SHORT_RANGE.has(dataType) ? 14 : 90
    if (end - start > maxDays * 86_400_000) return yield* Effect.fail(invalid(`The range of ${dataType} may span at most ${maxDays} days.`))
    const window = /^(\d+(?:\.\d+)?)s$/.exec(String(body.windowSize ?? ""))
    const windowMillis = window === null ? Number.NaN : Number(window[1]) * 1000
    if (!(windowMillis >= 1000)) return yield* Effect.fail(invalid("windowSize must be a duration of at least 1s, like \"3600s\"."))
    const offset = caller.user.offsetFromUTCMillis
    const points = collect(
      caller,
      dataType,
      GoogleData.civil(start, offset).slice(0, 10),
      GoogleData.civil(end, offset).slice(0, 10)
    ).filter((p) => p.start >= start && p.start < end)
    const windows: Array<Record<string, unknown>> = []
    for (let w = start; w < end; w += windowMillis) {
      const inside = points.filter((p) => p.start >= w && p.start < w + windowMillis)
      if (inside.length === 0) continue
      windows.push({
        startTime: GoogleData.rfc3339(w),
        endTime: GoogleData.rfc3339(Math.min(end, w + windowMillis)),
        ...aggregate(inside)
      })
    }
    const size = yield* pageSizeOf(body.pageSize, { size: 1440, max: 10000 })
    const { nextPageToken, page } = yield* paginate(windows, {
      token: typeof body.pageToken === "string" ? body.pageToken : undefined,
      size,
      key: `${path}|${start}|${end}|${windowMillis}|${size}`
    })
    return Http.json({ rollupDataPoints: page, ...(nextPageToken === undefined ? {} : { nextPageToken }) })
  })
const civilDateOf = (value: unknown): string | undefined => {
  const date = (value as { date?: { year?: unknown; month?: unknown; day?: unknown } } | undefined)?.date
  if (date === undefined) return undefined
  const text = `${String(date.year).padStart(4, "0")}-${String(date.month).padStart(2, "0")}-${String(date.day).padStart(2, "0")}`
  return DataGenerator.isDate(text) ? text : undefined
}
/**
 * `:dailyRollUp`: aggregates over civil days.
 *
 * @since 0.1.0
 */
export const dailyRollUp = (caller: Caller, dataType: string) =>
  Effect.gen(function*() {
    yield* requireScope(caller, categoryOf(dataType), "read")
    const aggregate = ROLLUPS[dataType]
    if (aggregate === undefined) return yield* Effect.fail(invalid(`Roll-ups are not supported for data type ${dataType}.`))
    const body = yield* readJson
    const range = body.range as { start?: unknown; end?: unknown } | undefined
    const from = civilDateOf(range?.start)
    const to = civilDateOf(range?.end)
    if (from === undefined || to === undefined || to <= from) {
      return yield* Effect.fail(invalid("range must have a civil start date before its end date."))
    }
    const days = body.windowSizeDays === undefined ? 1 : num(body.windowSizeDays)
    if (!(Number.isInteger(days) && days >= 1)) return yield* Effect.fail(invalid("windowSizeDays must be a positive integer."))
    const span = DataGenerator.dayNumber(to) - DataGenerator.dayNumber(from)
    const maxDays = SHORT_RANGE.has(dataType) ? 14 : 90
    if (span > maxDays) return yield* Effect.fail(invalid(`The range of ${dataType} may span at most ${maxDays} days.`))
    const points = collect(caller, dataType, from, DataGenerator.addDays(to, -1)).filter((p) => p.date >= from && p.date < to)
    const windows: Array<Record<string, unknown>> = []
    for (let d = from; d < to; d = DataGenerator.addDays(d, days)) {
      const windowEnd = DataGenerator.addDays(d, days) < to ? DataGenerator.addDays(d, days) : to
      const inside = points.filter((p) => p.date >= d && p.date < windowEnd)
      if (inside.length === 0) continue
      windows.push({
        civilStartTime: { date: GoogleData.dateJson(d) },
        civilEndTime: { date: GoogleData.dateJson(windowEnd) },
        ...aggregate(inside)
      })
    }
    return Http.json({ rollupDataPoints: windows })
  })
