// The data-type schemas and the data-point decoder: int64 strings, proto3's omitted zeros,
// reconciled points, unknown types kept as raw JSON, and encoding for create/patch.
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { GoogleDataTypes } from "@fitbit-effect/core"


const interval = { startTime: "2026-11-20T08:00:00Z", endTime: "2026-11-20T08:15:00Z", startUtcOffset: "3600s", endUtcOffset: "3600s" }

describe("decodeDataPoint", () => {
  it.effect("decodes the known types, int64 strings as numbers", () =>
    Effect.gen(function*() {
      const steps = yield* GoogleDataTypes.decodeDataPoint({ dataSource: { platform: "FITBIT" }, steps: { count: "1234", interval } })
      expect(steps).toMatchObject({ _tag: "Steps", dataType: "steps", dataSource: { platform: "FITBIT" }, value: { count: 1234 } })
      const hr = yield* GoogleDataTypes.decodeDataPoint({ heartRate: { beatsPerMinute: "61", sampleTime: { physicalTime: "2026-11-20T03:00:00Z" } } })
      expect(hr._tag === "HeartRate" && hr.value.beatsPerMinute).toBe(61)
      const sleep = yield* GoogleDataTypes.decodeDataPoint({
        name: "users/abc/dataTypes/sleep/dataPoints/9001",
        sleep: {
          interval,
          type: "STAGES",
          stages: [{ type: "DEEP", startTime: interval.startTime, endTime: interval.endTime }],
          summary: { minutesAsleep: "400", minutesAwake: "35", stagesSummary: [{ type: "DEEP", minutes: "80", count: "4" }] },
          metadata: { mainSleep: true }
        }
      })
      expect(sleep).toMatchObject({ _tag: "Sleep", name: "users/abc/dataTypes/sleep/dataPoints/9001" })
      const value = GoogleDataTypes.valuesOf("sleep", [sleep])[0]!
      expect(value.summary).toMatchObject({ minutesAsleep: 400, minutesAwake: 35, minutesToFallAsleep: 0 })
      expect(value.summary?.stagesSummary?.[0]).toEqual({ type: "DEEP", minutes: 80, count: 4 })
      const daily = yield* GoogleDataTypes.decodeDataPoint({ dailyRestingHeartRate: { beatsPerMinute: "58", date: { year: 2026, month: 11, day: 20 } } })
      expect(daily._tag === "DailyRestingHeartRate" && GoogleDataTypes.formatDate(daily.value.date)).toBe("2026-11-20")
    }))

  it.effect("proto3 leaves zero counts out; they decode as 0", () =>
    Effect.gen(function*() {
      const zero = yield* GoogleDataTypes.decodeDataPoint({ steps: { interval } })
      expect(zero._tag === "Steps" && zero.value.count).toBe(0)
    }))

  it.effect("a reconciled point's dataPointName becomes its name", () =>
    Effect.gen(function*() {
      const point = yield* GoogleDataTypes.decodeDataPoint({ dataPointName: "users/abc/dataTypes/weight/dataPoints/w1", weight: { weightGrams: 70500, sampleTime: { physicalTime: "2026-11-20T07:00:00Z" } } })
      expect(point).toMatchObject({ _tag: "Weight", name: "users/abc/dataTypes/weight/dataPoints/w1", value: { weightGrams: 70500 } })
    }))

  it.effect("never fails on a type it does not know: kept as raw JSON with its data type", () =>
    Effect.gen(function*() {
      // Types Google may add later (every v4 type has a schema; see test/google-v4-shapes.test.ts).
      const future = { skinConductance: { microsiemens: 3, interval } }
      expect(yield* GoogleDataTypes.decodeDataPoint(future)).toEqual({ _tag: "Unknown", dataType: "skin-conductance", raw: future })
      const named = { name: "users/abc/dataTypes/stress-score/dataPoints/g1", dataSource: {}, stressScore: { whatever: [1, 2] } }
      expect(yield* GoogleDataTypes.decodeDataPoint(named)).toEqual({ _tag: "Unknown", dataType: "stress-score", name: named.name, raw: named })
      expect(yield* GoogleDataTypes.decodeDataPoint({ runVo2Max: { runVo2Max: 48, sampleTime: { physicalTime: "2026-11-20T07:00:00Z" } } })).toMatchObject({ _tag: "RunVo2Max", dataType: "run-vo2-max" })
      expect(yield* GoogleDataTypes.decodeDataPoint("not an object")).toEqual({ _tag: "Unknown", raw: "not an object" })
      expect(yield* GoogleDataTypes.decodeDataPoint(null)).toEqual({ _tag: "Unknown", raw: null })
      const points = yield* GoogleDataTypes.decodeDataPoints([future, { steps: { count: "5", interval } }])
      expect(points.map((p) => p._tag)).toEqual(["Unknown", "Steps"])
      expect(GoogleDataTypes.valuesOf("steps", points)).toHaveLength(1)
    }))

  it.effect("a known type with a malformed value fails with a parse error", () =>
    Effect.gen(function*() {
      const bad = yield* Effect.flip(GoogleDataTypes.decodeDataPoint({ steps: { count: "12x", interval } }))
      expect(bad._tag).toBe("ParseError")
      const noInterval = yield* Effect.flip(GoogleDataTypes.decodeDataPoint({ sleep: { type: "STAGES" } }))
      expect(noInterval._tag).toBe("ParseError")
    }))

  it.effect("a point keeps its JSON only on request; a malformed point in a page fails naming its path", () =>
    Effect.gen(function*() {
      const json = { steps: { count: "5", interval } }
      const plain = yield* GoogleDataTypes.decodeDataPoint(json)
      expect("raw" in plain).toBe(false)
      expect((yield* GoogleDataTypes.decodeDataPoint(json, { keepRaw: true })).raw).toBe(json)
      const sampleTime = { physicalTime: "2026-11-20T03:00:00Z" }
      const bad = yield* Effect.flip(GoogleDataTypes.decodeDataPoints([json, { heartRate: { beatsPerMinute: "61", sampleTime } }, {
        heartRate: { beatsPerMinute: "sixty", sampleTime }
      }]))
      expect(bad._tag).toBe("ParseError")
      expect(bad.message).toContain("[\"beatsPerMinute\"]")
      expect(bad.message).toContain("not an int64")
    }))
})

describe("encodeDataPoint", () => {
  it.effect("encodes int64 values as strings under the type's field", () =>
    Effect.gen(function*() {
      const wire = yield* GoogleDataTypes.encodeDataPoint("steps", { count: 250, interval }, { name: "users/me/dataTypes/steps/dataPoints/walk-1" })
      expect(wire).toEqual({ name: "users/me/dataTypes/steps/dataPoints/walk-1", steps: { count: "250", interval } })
      const already = yield* GoogleDataTypes.encodeDataPoint("heart-rate", { beatsPerMinute: "72", sampleTime: { physicalTime: "2026-11-20T10:00:00Z" } })
      expect(already).toEqual({ heartRate: { beatsPerMinute: "72", sampleTime: { physicalTime: "2026-11-20T10:00:00Z" } } })
      const invalid = yield* Effect.flip(GoogleDataTypes.encodeDataPoint("weight", { weightGrams: "heavy" } as never))
      expect(invalid._tag).toBe("ParseError")
    }))
})

describe("helpers", () => {
  it("durations, dates and kebab-case", () => {
    expect(GoogleDataTypes.durationMillis("3600s")).toBe(3_600_000)
    expect(GoogleDataTypes.durationMillis("-1.5s")).toBe(-1500)
    expect(GoogleDataTypes.durationMillis("1h")).toBeUndefined()
    expect(GoogleDataTypes.parseDate("2026-02-29")).toBeUndefined()
    expect(GoogleDataTypes.parseDate("2028-02-29")).toEqual({ year: 2028, month: 2, day: 29 })
    expect(GoogleDataTypes.formatDate({ year: 2026, month: 1, day: 5 })).toBe("2026-01-05")
    expect(GoogleDataTypes.formatDate({ year: 2026 })).toBeUndefined()
    expect(GoogleDataTypes.kebab("dailyHeartRateVariability")).toBe("daily-heart-rate-variability")
    expect(GoogleDataTypes.kebab("runVo2Max")).toBe("run-vo2-max")
    expect(GoogleDataTypes.isKnownDataType("exercise")).toBe(true)
    expect(GoogleDataTypes.isKnownDataType("toString")).toBe(false)
  })
})
