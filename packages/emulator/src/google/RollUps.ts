/**
 * The emulated `:rollUp` (physical windows) and `:dailyRollUp` (civil days) methods for every
 * type v4 rolls up (one `*RollupValue` each, `total-calories` and `calories-in-heart-rate-zone`
 * from the energy and heart-rate-zone points), with Google's range limits per data type.
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
import * as Rules from "./Rules.js"
import { collect } from "./Store.js"

const num = (value: unknown): number => (typeof value === "number" ? value : typeof value === "string" ? Number(value) : 0)
const r2 = (n: number) => Math.round(n * 100) / 100
type Points = ReadonlyArray<GoogleData.Point>
/** The value of a point's data-type field. */
const v = (p: GoogleData.Point, field: string): any => p.json[field] ?? {}
const sum = (ps: Points, field: string, get: (value: any) => unknown) => ps.reduce((n, p) => n + num(get(v(p, field))), 0)
const stats = (ps: Points, field: string, get: (value: any) => unknown) => {
  const values = ps.map((p) => num(get(v(p, field))))
  return { avg: r2(values.reduce((a, b) => a + b, 0) / values.length), min: Math.min(...values), max: Math.max(...values) }
}
/** Sums of durations (`"900s"`) per key. */
const durationsBy = (ps: Points, key: (p: GoogleData.Point) => string) => {
  const out = new Map<string, number>()
  for (const p of ps) out.set(key(p), (out.get(key(p)) ?? 0) + (p.end - p.start) / 1000)
  return [...out]
}
const ZONE_KCAL_PER_MINUTE: Record<string, number> = { OUT_OF_RANGE: 1.1, FAT_BURN: 5.2, CARDIO: 9.4, PEAK: 12.1 }
const nutrientSums = (ps: Points) => {
  const out = new Map<string, number>()
  for (const p of ps) for (const n of v(p, "nutritionLog").nutrients ?? []) out.set(n.nutrient, (out.get(n.nutrient) ?? 0) + num(n.quantity?.grams))
  return [...out].map(([nutrient, grams]) => ({ nutrient, quantity: { gramsSum: r2(grams) } }))
}
/** Each rolled-up data type: its aggregation into v4's `*RollupValue` field. */
const ROLLUPS: Record<string, (points: Points) => Record<string, unknown>> = {
  "steps": (ps) => ({ steps: { countSum: String(sum(ps, "steps", (x) => x.count)) } }),
  "distance": (ps) => ({ distance: { millimetersSum: String(sum(ps, "distance", (x) => x.millimeters)) } }),
  "floors": (ps) => ({ floors: { countSum: String(sum(ps, "floors", (x) => x.count)) } }),
  "altitude": (ps) => ({ altitude: { gainMillimetersSum: String(sum(ps, "altitude", (x) => x.gainMillimeters)) } }),
  "swim-lengths-data": (ps) => ({ swimLengthsData: { strokeCountSum: String(sum(ps, "swimLengthsData", (x) => x.strokeCount)) } }),
  "active-energy-burned": (ps) => ({ activeEnergyBurned: { kcalSum: r2(sum(ps, "activeEnergyBurned", (x) => x.kcal)) } }),
  "total-calories": (ps) => ({
    totalCalories: { kcalSum: r2(ps.reduce((n, p) => n + num(v(p, "activeEnergyBurned").kcal ?? v(p, "basalEnergyBurned").kcal), 0)) }
  }),
  "active-minutes": (ps) => {
    const by = new Map<string, number>()
    for (const p of ps) {
      for (const l of v(p, "activeMinutes").activeMinutesByActivityLevel ?? []) by.set(l.activityLevel, (by.get(l.activityLevel) ?? 0) + num(l.activeMinutes))
    }
    return {
      activeMinutes: { activeMinutesRollupByActivityLevel: [...by].map(([activityLevel, n]) => ({ activityLevel, activeMinutesSum: String(n) })) }
    }
  },
  "activity-level": (ps) => ({
    activityLevel: {
      activityLevelRollupsByActivityLevelType: durationsBy(ps, (p) => v(p, "activityLevel").activityLevelType)
        .map(([activityLevelType, seconds]) => ({ activityLevelType, totalDuration: `${seconds}s` }))
    }
  }),
  "sedentary-period": (ps) => ({ sedentaryPeriod: { durationSum: `${ps.reduce((n, p) => n + (p.end - p.start) / 1000, 0)}s` } }),
  "time-in-heart-rate-zone": (ps) => ({
    timeInHeartRateZone: {
      timeInHeartRateZones: durationsBy(ps, (p) => v(p, "timeInHeartRateZone").heartRateZoneType)
        .map(([heartRateZone, seconds]) => ({ heartRateZone, duration: `${seconds}s` }))
    }
  }),
  "calories-in-heart-rate-zone": (ps) => ({
    caloriesInHeartRateZone: {
      caloriesInHeartRateZones: durationsBy(ps, (p) => v(p, "timeInHeartRateZone").heartRateZoneType)
        .map(([heartRateZone, seconds]) => ({ heartRateZone, kcal: Math.round(seconds / 60 * (ZONE_KCAL_PER_MINUTE[heartRateZone] ?? 1.1) * 10_000) / 10_000 }))
    }
  }),
  "active-zone-minutes": (ps) => {
    const zone = (name: string) =>
      String(sum(ps.filter((p) => v(p, "activeZoneMinutes").heartRateZone === name), "activeZoneMinutes", (x) => x.activeZoneMinutes))
    return { activeZoneMinutes: { sumInFatBurnHeartZone: zone("FAT_BURN"), sumInCardioHeartZone: zone("CARDIO"), sumInPeakHeartZone: zone("PEAK") } }
  },
  "heart-rate": (ps) => {
    const s = stats(ps, "heartRate", (x) => x.beatsPerMinute)
    return { heartRate: { beatsPerMinuteAvg: s.avg, beatsPerMinuteMin: s.min, beatsPerMinuteMax: s.max } }
  },
  "daily-resting-heart-rate": (ps) => {
    const s = stats(ps, "dailyRestingHeartRate", (x) => x.beatsPerMinute)
    return { restingHeartRatePersonalRange: { beatsPerMinuteMin: s.min, beatsPerMinuteMax: s.max } }
  },
  "daily-heart-rate-variability": (ps) => {
    const s = stats(ps, "dailyHeartRateVariability", (x) => x.averageHeartRateVariabilityMilliseconds)
    return { heartRateVariabilityPersonalRange: { averageHeartRateVariabilityMillisecondsMin: s.min, averageHeartRateVariabilityMillisecondsMax: s.max } }
  },
  "run-vo2-max": (ps) => {
    const s = stats(ps, "runVo2Max", (x) => x.runVo2Max)
    return { runVo2Max: { rateAvg: s.avg, rateMin: s.min, rateMax: s.max } }
  },
  "weight": (ps) => ({ weight: { weightGramsAvg: stats(ps, "weight", (x) => x.weightGrams).avg } }),
  "body-fat": (ps) => ({ bodyFat: { bodyFatPercentageAvg: stats(ps, "bodyFat", (x) => x.percentage).avg } }),
  "blood-glucose": (ps) => ({
    bloodGlucose: { bloodGlucoseMilligramsPerDeciliterAvg: stats(ps, "bloodGlucose", (x) => x.bloodGlucoseMilligramsPerDeciliter).avg }
  }),
  "core-body-temperature": (ps) => {
    const s = stats(ps, "coreBodyTemperature", (x) => x.temperatureCelsius)
    return { coreBodyTemperature: { temperatureCelsiusAvg: s.avg, temperatureCelsiusMin: s.min, temperatureCelsiusMax: s.max } }
  },
  "hydration-log": (ps) => ({
    hydrationLog: { amountConsumed: { millilitersSum: r2(sum(ps, "hydrationLog", (x) => x.amountConsumed?.milliliters)), userProvidedUnitLast: "MILLILITERS" } }
  }),
  "nutrition-log": (ps) => ({
    nutritionLog: {
      energy: { kcalSum: r2(sum(ps, "nutritionLog", (x) => x.energy?.kcal)) },
      energyFromFat: { kcalSum: r2(sum(ps, "nutritionLog", (x) => x.energyFromFat?.kcal)) },
      totalCarbohydrate: { gramsSum: r2(sum(ps, "nutritionLog", (x) => x.totalCarbohydrate?.grams)) },
      totalFat: { gramsSum: r2(sum(ps, "nutritionLog", (x) => x.totalFat?.grams)) },
      nutrients: nutrientSums(ps)
    }
  })
}
/** The data types a roll-up-only type aggregates. */
const SOURCES: Record<string, ReadonlyArray<string>> = {
  "total-calories": ["active-energy-burned", "basal-energy-burned"],
  "calories-in-heart-rate-zone": ["time-in-heart-rate-zone"]
}
const collectFor = (caller: Caller, dataType: string, from: string, to: string) =>
  (SOURCES[dataType] ?? [dataType]).flatMap((type) => collect(caller, type, from, to))
/** How many days one roll-up may span for a type: Google's rule (14 for the fine-grained types, 90 for the rest). */
const reachOf = (dataType: string): number => Rules.ruleOf(dataType)?.rollUpReachDays ?? 90
/** The reader's scope, then the type's aggregation, where Google's rules give the type this roll-up. */
const aggregationFor = (caller: Caller, dataType: string, method: Rules.RollUpMethod) => {
  const aggregate: ((points: Points) => Record<string, unknown>) | undefined = ROLLUPS[dataType]
  return Effect.zipRight(
    requireScope(caller, categoryOf(dataType), "read"),
    aggregate !== undefined && Rules.supports(dataType, method)
      ? Effect.succeed(aggregate)
      : Effect.fail(invalid(`Roll-ups are not supported for data type ${dataType}.`))
  )
}
/**
 * `:rollUp`: aggregates over physical windows.
 *
 * @since 0.1.0
 */
export const rollUp = (caller: Caller, dataType: string, path: string) =>
  Effect.gen(function*() {
    const aggregate = yield* aggregationFor(caller, dataType, "rollUp")
    const body = yield* readJson
    const range = body.range as { startTime?: unknown; endTime?: unknown } | undefined
    const start = Date.parse(String(range?.startTime))
    const end = Date.parse(String(range?.endTime))
    if (Number.isNaN(start) || Number.isNaN(end) || end <= start) {
      return yield* Effect.fail(invalid("range must have RFC 3339 startTime before endTime."))
    }
    const maxDays = reachOf(dataType)
    if (end - start > maxDays * 86_400_000) return yield* Effect.fail(invalid(`The range of ${dataType} may span at most ${maxDays} days.`))
    const window = /^(\d+(?:\.\d+)?)s$/.exec(String(body.windowSize ?? ""))
    const windowMillis = window === null ? Number.NaN : Number(window[1]) * 1000
    if (!(windowMillis >= 1000)) return yield* Effect.fail(invalid("windowSize must be a duration of at least 1s, like \"3600s\"."))
    const offset = caller.user.offsetFromUTCMillis
    const points = collectFor(
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
      key: `${path}|${start}|${end}|${windowMillis}|${size}`,
      state: caller.state
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
    const aggregate = yield* aggregationFor(caller, dataType, "dailyRollUp")
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
    const maxDays = reachOf(dataType)
    if (span > maxDays) return yield* Effect.fail(invalid(`The range of ${dataType} may span at most ${maxDays} days.`))
    const points = collectFor(caller, dataType, from, DataGenerator.addDays(to, -1)).filter((p) => p.date >= from && p.date < to)
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
    // Pages since googleapis 188 (`DailyRollUpDataPointsResponse.nextPageToken`): 90 windows by default, at most 10000.
    const size = yield* pageSizeOf(body.pageSize, { size: 90, max: 10000 })
    const { nextPageToken, page } = yield* paginate(windows, {
      token: typeof body.pageToken === "string" ? body.pageToken : undefined,
      size,
      key: `daily|${dataType}|${from}|${to}|${days}|${size}`,
      state: caller.state
    })
    return Http.json({ rollupDataPoints: page, ...(nextPageToken === undefined ? {} : { nextPageToken }) })
  })
