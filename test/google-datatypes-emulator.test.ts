// Every Google Health data type (read from googleapis' v4.d.ts, and v4beta.d.ts on its channel) has data in the emulator, and
// every point the emulator serves decodes with our schema (never as Unknown). The time filter of
// each type comes from its v4 shape (interval, sample time, date, or none for the catalogues),
// and the values agree with the Fitbit routes where both APIs expose the same measure.
import { describe, expect, layer } from "@effect/vitest"
import { GoogleAuth, GoogleDataPoints, GoogleDataTypes } from "@fitbit-effect/core"
import { DataGenerator, Emulator, Google } from "@fitbit-effect/emulator"
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as Stream from "effect/Stream"
import { googleClient, withGoogleClient } from "./fixtures/googleClient.js"
import * as Spec from "./fixtures/v4spec.js"


const ALL_READ = [
  ...GoogleAuth.READ_SCOPES,
  ...["nutrition.readonly", "ecg.readonly", "irn.readonly", "reproductive_health.readonly", "mindfulness.readonly", "logged_symptoms.readonly"]
    .map((s) => `${GoogleAuth.SCOPE_PREFIX}${s}`)
]
const FROM = "2026-10-20"
const TO = "2026-11-25"

const withClient = withGoogleClient

/** The filter of a type over [FROM, TO): Google's rules pick its field. */
const filterOf = (id: string): string | undefined => GoogleDataPoints.filters.range(id, FROM, TO)

/** A call to the emulator's Fitbit routes; the JSON answer (undefined when empty). */
const fitbitCall = <A = unknown>(emu: Emulator.EmulatorHandle, token: string, path: string, method = "GET") =>
  Effect.promise(async () => {
    const r = await fetch(`${emu.baseUrl}${path}`, { method, headers: { authorization: `Bearer ${token}` } })
    const text = await r.text()
    return (text === "" ? undefined : JSON.parse(text)) as A
  })

const pointsOf = (token: string, id: string, filter: string | undefined) =>
  Effect.map(
    Stream.runCollect(GoogleDataPoints.stream(token, id as GoogleDataTypes.DataTypeId, { filter, pageSize: id === "sleep" || id === "exercise" ? 25 : 1000 }).pipe(Stream.take(3000))),
    Chunk.toReadonlyArray
  )

layer(Emulator.layer({ clock: { start: "2026-11-25T12:00:00Z" } }), { excludeTestServices: true })("every data type from the emulator", (it) => {
  describe("decodes", () => {
    // Every v4 type on the v4 channel, and the types only v4beta serves on the v4beta channel.
    const v4 = new Set(Spec.dataPointFields().map((f) => f.name))
    const cases = [
      ...Spec.dataPointFields().map((f) => [f, "v4"] as const),
      ...Spec.channel("v4beta").dataPointFields().filter((f) => !v4.has(f.name)).map((f) => [f, "v4beta"] as const)
    ]
    for (const [field, channel] of cases) {
      const id = GoogleDataTypes.kebab(field.name)
      it.effect(`${id} (${channel}): has points, all decoded by its schema`, () =>
        Effect.gen(function*() {
          const emu = yield* Emulator.EmulatorService
          const { accessToken } = Google.grantTokens(emu.state, { scopes: ALL_READ })
          const points = yield* pointsOf(accessToken, id, filterOf(id)).pipe(Effect.provide(googleClient(emu, { maxRetries: 0 }, channel)))
          expect(points.length, `no ${id} points`).toBeGreaterThan(0)
          const tags = new Set(points.map((p) => p._tag))
          expect([...tags]).toEqual([GoogleDataTypes.KNOWN[id as GoogleDataTypes.KnownDataType].tag])
          for (const point of points) expect(point.dataType).toBe(id)
        }))
    }
  })

  describe("agrees with the Fitbit routes", () => {
    it.effect("floors, energy and active minutes add up to the Fitbit daily summary", () =>
      withClient(Effect.gen(function*() {
        const emu = yield* Emulator.EmulatorService
        const { accessToken } = Google.grantTokens(emu.state, { scopes: ALL_READ })
        const date = "2026-11-20"
        const next = DataGenerator.addDays(date, 1)
        const a = DataGenerator.dailyActivity(emu.seed, emu.defaultUser.userId, date)
        const sum = <K extends GoogleDataTypes.KnownDataType>(id: K, value: (v: GoogleDataTypes.ValueOf<K>) => number) =>
          Effect.map(pointsOf(accessToken, id, GoogleDataPoints.filters.intervalCivil(id, date, next)), (ps) =>
            GoogleDataTypes.valuesOf(id, ps).reduce((n, v) => n + value(v), 0))
        const floors = yield* sum("floors", (v) => v.count)
        // Per-interval rounding: within one floor per ten intervals of the day's total.
        expect(Math.abs(floors - a.floors)).toBeLessThanOrEqual(10)
        expect(yield* sum("altitude", (v) => v.gainMillimeters)).toBe(floors * 3048)
        expect(Math.round(yield* sum("basal-energy-burned", (v) => v.kcal))).toBe(a.caloriesBMR)
        const minutes = yield* pointsOf(accessToken, "active-minutes", GoogleDataPoints.filters.intervalCivil("active-minutes", date, next))
        const byLevel = Object.fromEntries(
          GoogleDataTypes.valuesOf("active-minutes", minutes)[0]!.activeMinutesByActivityLevel!.map((l) => [l.activityLevel, l.activeMinutes])
        )
        expect(byLevel).toEqual({ LIGHT: a.lightlyActiveMinutes, MODERATE: a.fairlyActiveMinutes, VIGOROUS: a.veryActiveMinutes })
      })))

    it.effect("water is one store: Fitbit's water log and Google's hydration-log show the same glasses", () =>
      withClient(Effect.gen(function*() {
        const emu = yield* Emulator.EmulatorService
        const { accessToken } = Google.grantTokens(emu.state, { scopes: ALL_READ })
        const fitbit = emu.grantTokens({ scopes: ["nutrition"] })
        const date = "2026-11-19"
        const next = DataGenerator.addDays(date, 1)
        const fitbitDay = () =>
          fitbitCall<{ water: Array<{ logId: number; amount: number }> }>(emu, fitbit.accessToken, `/1/user/-/foods/log/water/date/${date}.json`)
        const googleDay = () =>
          Effect.map(pointsOf(accessToken, "hydration-log", GoogleDataPoints.filters.intervalCivil("hydration-log", date, next)), (ps) =>
            GoogleDataTypes.valuesOf("hydration-log", ps).map((v) => v.amountConsumed!.milliliters).sort())
        const before = yield* fitbitDay()
        expect(before.water.length).toBeGreaterThanOrEqual(4)
        expect(yield* googleDay()).toEqual(before.water.map((w) => w.amount).sort())
        // Deleting a glass through Fitbit removes it from Google too.
        const gone = before.water[0]!
        yield* fitbitCall(emu, fitbit.accessToken, `/1/user/-/foods/log/water/${gone.logId}.json`, "DELETE")
        const after = yield* fitbitDay()
        expect(after.water).toHaveLength(before.water.length - 1)
        expect(yield* googleDay()).toEqual(after.water.map((w) => w.amount).sort())
      })))

    it.effect("nutrition logs are the meals of the Fitbit food log", () =>
      withClient(Effect.gen(function*() {
        const emu = yield* Emulator.EmulatorService
        const { accessToken } = Google.grantTokens(emu.state, { scopes: ALL_READ })
        const fitbit = emu.grantTokens({ scopes: ["nutrition"] })
        const date = "2026-11-18"
        const log = yield* fitbitCall<{ foods: Array<{ loggedFood: { name: string } }>; summary: { calories: number } }>(
          emu,
          fitbit.accessToken,
          `/1/user/-/foods/log/date/${date}.json`
        )
        const meals = GoogleDataTypes.valuesOf("nutrition-log", yield* pointsOf(accessToken, "nutrition-log", GoogleDataPoints.filters.intervalCivil("nutrition-log", date, DataGenerator.addDays(date, 1))))
        expect(meals.map((m) => m.foodDisplayName).sort()).toEqual(log.foods.map((f) => f.loggedFood.name).sort())
        expect(meals.reduce((n, m) => n + m.energy!.kcal, 0)).toBe(log.summary.calories)
      })))
  })

  describe("roll-ups", () => {
    // Every `*RollupValue` field of v4's roll-up windows, by the data type it rolls up.
    const PERSONAL: Record<string, string> = {
      restingHeartRatePersonalRange: "daily-resting-heart-rate",
      heartRateVariabilityPersonalRange: "daily-heart-rate-variability"
    }
    const BOUNDS = new Set(["startTime", "endTime", "civilStartTime", "civilEndTime"])
    const physical = new Set(Spec.schemas.get("RollupDataPoint")!.map((f) => f.name))
    const fields = [...new Set([...physical, ...Spec.schemas.get("DailyRollupDataPoint")!.map((f) => f.name)])].filter((f) => !BOUNDS.has(f))
    for (const field of fields) {
      const id = PERSONAL[field] ?? GoogleDataTypes.kebab(field)
      it.effect(`${id} rolls up into ${field}${physical.has(field) ? " (daily and physical windows)" : " (daily windows)"}`, () =>
        withClient(Effect.gen(function*() {
          const emu = yield* Emulator.EmulatorService
          const { accessToken } = Google.grantTokens(emu.state, { scopes: ALL_READ })
          const daily = yield* GoogleDataPoints.dailyRollUp(accessToken, id as GoogleDataTypes.DataTypeId, { range: { start: "2026-11-11", end: "2026-11-25" }, windowSizeDays: 7 })
          expect(daily.rollupDataPoints.length, id).toBeGreaterThan(0)
          for (const window of daily.rollupDataPoints) expect((window as Record<string, unknown>)[field], id).toBeDefined()
          if (physical.has(field)) {
            const windows = yield* GoogleDataPoints.rollUp(accessToken, id as GoogleDataTypes.DataTypeId, {
              range: { startTime: "2026-11-11T00:00:00Z", endTime: "2026-11-25T00:00:00Z" },
              windowSeconds: 7 * 86_400
            })
            expect(windows.rollupDataPoints.length, id).toBeGreaterThan(0)
            expect((windows.rollupDataPoints[0] as Record<string, unknown>)[field], id).toBeDefined()
          }
        })))
    }

    it.effect("rollUpStream follows nextPageToken: a week of daily windows two per page", () =>
      withClient(Effect.gen(function*() {
        const emu = yield* Emulator.EmulatorService
        const { accessToken } = Google.grantTokens(emu.state, { scopes: ALL_READ })
        const options = { range: { startTime: "2026-11-18T00:00:00Z", endTime: "2026-11-25T00:00:00Z" }, windowSeconds: 86_400, pageSize: 2 }
        const first = yield* GoogleDataPoints.rollUp(accessToken, "steps", options)
        expect(first.rollupDataPoints).toHaveLength(2)
        expect(first.nextPageToken).toBeDefined()
        const all = Chunk.toReadonlyArray(yield* Stream.runCollect(GoogleDataPoints.rollUpStream(accessToken, "steps", options)))
        expect(all.map((w) => w.startTime)).toEqual(Array.from({ length: 7 }, (_, i) => `2026-11-${18 + i}T00:00:00Z`))
      })))

    it.effect("total calories are active plus basal energy; steps sum to the Fitbit day", () =>
      withClient(Effect.gen(function*() {
        const emu = yield* Emulator.EmulatorService
        const { accessToken } = Google.grantTokens(emu.state, { scopes: ALL_READ })
        const range = { start: "2026-11-20", end: "2026-11-21" }
        const total = (yield* GoogleDataPoints.dailyRollUp(accessToken, "total-calories", { range })).rollupDataPoints[0]!.totalCalories!.kcalSum!
        const active = (yield* GoogleDataPoints.dailyRollUp(accessToken, "active-energy-burned", { range })).rollupDataPoints[0]!.activeEnergyBurned!.kcalSum!
        const a = DataGenerator.dailyActivity(emu.seed, emu.defaultUser.userId, "2026-11-20")
        expect(Math.round(total - active)).toBe(a.caloriesBMR)
        const steps = (yield* GoogleDataPoints.dailyRollUp(accessToken, "steps", { range })).rollupDataPoints[0]!.steps!.countSum
        expect(steps).toBe(a.steps)
      })))
  })

  describe("catalogue types", () => {
    it.effect("food has no time: listed whole, a filter refused (before sending, and by the emulator), one food by name", () =>
      withClient(Effect.gen(function*() {
        const emu = yield* Emulator.EmulatorService
        const { accessToken } = Google.grantTokens(emu.state, { scopes: ALL_READ })
        const foods = yield* pointsOf(accessToken, "food", undefined)
        expect(foods.length).toBe(DataGenerator.FOODS.length)
        const bad = yield* Effect.flip(GoogleDataPoints.list(accessToken, "food", { filter: GoogleDataPoints.filters.dailyDate("food", FROM, TO) }))
        expect(bad._tag).toBe("InvalidInput")
        const served = yield* Effect.promise(() =>
          fetch(`${emu.baseUrl}/v4/users/me/dataTypes/food/dataPoints?filter=${encodeURIComponent(GoogleDataPoints.filters.dailyDate("food", FROM, TO))}`, {
            headers: { authorization: `Bearer ${accessToken}` }
          }))
        expect(served.status).toBe(400)
        const one = yield* GoogleDataPoints.get(accessToken, foods[0]!.name!)
        expect(one).toMatchObject({ _tag: "Food", name: foods[0]!.name })
      })))
  })
})
