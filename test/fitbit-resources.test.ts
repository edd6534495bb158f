// The typed endpoints (FitbitResources) against the emulator over loopback sockets: every
// answer the emulator gives decodes with the core's schemas, writes round-trip, pagination
// streams across pages, and the numbers are the data generator's.
import { describe, expect, layer } from "@effect/vitest"
import { FitbitConfig, FitbitResources, RetryPolicy } from "@fitbit-effect/core"
import { DataGenerator, Emulator } from "@fitbit-effect/emulator"
import { NodeFitbit } from "@fitbit-effect/node"
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Stream from "effect/Stream"

const { Activities, Body, Devices, HeartRate, Profile, Sleep, Subscriptions, Water } = FitbitResources

const withClient = <A, E>(f: (emu: Emulator.EmulatorHandle, token: string) => Effect.Effect<A, E, NodeFitbit.Services>) =>
  Effect.flatMap(Emulator.EmulatorService, (emu) =>
    Effect.provide(
      f(emu, emu.grantTokens().accessToken),
      NodeFitbit.layerWith(Layer.merge(
        FitbitConfig.layer({ clientId: emu.defaultApp.clientId, clientSecret: emu.defaultApp.clientSecret, baseUrl: emu.baseUrl }),
        RetryPolicy.layer({ maxRetries: 0 })
      ))
    ))

describe("typed endpoints against the emulator", () => {
  layer(Emulator.layer({ clock: { start: "2026-11-25T12:00:00Z" }, seed: "resources" }), { excludeTestServices: true })((it) => {
    it.effect("profile and devices", () =>
      withClient((emu, token) =>
        Effect.gen(function*() {
          const profile = yield* Profile.get(token)
          expect(profile.user.encodedId).toBe(emu.defaultUser.userId)
          const updated = yield* Profile.update(token, { displayName: "Sam" })
          expect(updated.user.displayName).toBe("Sam")
          const devices = yield* Devices.list(token)
          expect(devices[0]!.type).toBe("TRACKER")
        })
      ))

    it.effect("activity: summary, series, intraday with a time window, log list streamed, log and delete", () =>
      withClient((emu, token) =>
        Effect.gen(function*() {
          const user = emu.defaultUser.userId
          const summary = yield* Activities.dailySummary(token, { date: "2026-11-20" })
          expect(summary.summary.steps).toBe(DataGenerator.steps("resources", user, "2026-11-20"))
          const series = yield* Activities.timeSeries(token, { resource: "steps", date: "2026-11-20", period: "7d" })
          expect(series).toHaveLength(7)
          expect(series.at(-1)!.value).toBe(summary.summary.steps)
          const window = yield* Activities.intraday(token, {
            resource: "steps",
            date: "2026-11-20",
            detailLevel: "15min",
            startTime: "08:00",
            endTime: "09:00"
          })
          expect(window.intraday.dataset.map((p) => p.time)).toEqual(["08:00:00", "08:15:00", "08:30:00", "08:45:00", "09:00:00"])
          const floors = yield* Activities.intraday(token, { resource: "floors", date: "2026-11-20", detailLevel: "1min" })
          expect(floors.intraday.dataset).toHaveLength(1440)
          const page = yield* Activities.logList(token, { afterDate: "2026-11-01", sort: "asc", limit: 2, offset: 0 })
          expect(page.activities.length).toBe(2)
          const streamed = yield* Stream.runCollect(
            Stream.take(Activities.streamLogList(token, { afterDate: "2026-11-01", sort: "asc", limit: 2, offset: 0 }), 7)
          )
          expect(Chunk.size(streamed)).toBe(7)
          const logIds = Chunk.toReadonlyArray(streamed).map((a: any) => a.logId)
          expect(new Set(logIds).size).toBe(7)
          const logged = yield* Activities.log(token, {
            activityName: "Yoga",
            manualCalories: 120,
            date: "2026-11-25",
            startTime: "07:30",
            durationMillis: 1_800_000
          })
          const loggedId = (logged as any).activityLog.logId
          expect(typeof loggedId).toBe("number")
          yield* Activities.deleteLog(token, { logId: loggedId })
          const again = yield* Effect.flip(Activities.deleteLog(token, { logId: loggedId }))
          expect(again._tag).toBe("NotFound")
        })
      ))

    it.effect("heart rate: series and intraday", () =>
      withClient((_emu, token) =>
        Effect.gen(function*() {
          const days = yield* HeartRate.timeSeries(token, { startDate: "2026-11-20", endDate: "2026-11-22" })
          expect(days).toHaveLength(3)
          const intraday = yield* HeartRate.intraday(token, { date: "2026-11-20", detailLevel: "1min", startTime: "10:00", endTime: "10:09" })
          expect((intraday as any)["activities-heart-intraday"].dataset).toHaveLength(10)
        })
      ))

    it.effect("sleep: by date, range, list streamed across pages, log and delete", () =>
      withClient((_emu, token) =>
        Effect.gen(function*() {
          const night = yield* Sleep.byDate(token, { date: "2026-11-20" })
          expect(night.sleep[0]!.dateOfSleep).toBe("2026-11-20")
          const range = yield* Sleep.byDateRange(token, { startDate: "2026-11-18", endDate: "2026-11-20" })
          expect(range.sleep).toHaveLength(3)
          const nights = yield* Stream.runCollect(Stream.take(Sleep.streamList(token, { beforeDate: "2026-11-25", sort: "desc", limit: 3 }), 8))
          expect(Chunk.toReadonlyArray(nights).map((s) => s.dateOfSleep)).toEqual([
            "2026-11-24", "2026-11-23", "2026-11-22", "2026-11-21", "2026-11-20", "2026-11-19", "2026-11-18", "2026-11-17"
          ])
          const nap = yield* Sleep.log(token, { date: "2026-11-22", startTime: "15:00", duration: 1_200_000 })
          yield* Sleep.deleteLog(token, { logId: nap.logId })
          const conflict = yield* Effect.flip(Sleep.log(token, { date: "2026-11-22", startTime: "03:00", duration: 1_200_000 }))
          expect(conflict._tag).toBe("Conflict")
        })
      ))

    it.effect("body: weight and fat logs, series, log and delete a weight", () =>
      withClient((_emu, token) =>
        Effect.gen(function*() {
          const logs = yield* Body.weightLogs(token, { date: "2026-11-24", period: "30d" })
          expect(logs.length).toBeGreaterThan(10)
          const fat = yield* Body.fatLogs(token, { date: "2026-11-24", period: "7d" })
          expect(fat.length).toBeGreaterThan(0)
          const series = yield* Body.timeSeries(token, { resource: "bmi", date: "2026-11-24", period: "7d" })
          expect(series).toHaveLength(7)
          const logged = yield* Body.logWeight(token, { weight: 70.5, date: "2026-11-25", time: "21:00" })
          expect(logged.weight).toBe(70.5)
          const today = yield* Body.weightLogs(token, { date: "2026-11-25" })
          expect(today.map((w) => w.logId)).toContain(logged.logId)
          yield* Body.deleteWeightLog(token, { logId: logged.logId })
          expect((yield* Body.weightLogs(token, { date: "2026-11-25" })).map((w) => w.logId)).not.toContain(logged.logId)
        })
      ))

    it.effect("water: log, day, series, delete", () =>
      withClient((_emu, token) =>
        Effect.gen(function*() {
          // The day already holds the generated glasses; logging adds to them.
          const before = (yield* Water.byDate(token, { date: "2026-11-23" })).summary?.water ?? 0
          expect(before).toBeGreaterThan(0)
          const log = yield* Water.log(token, { amount: 750, date: "2026-11-23", unit: "ml" })
          const day = yield* Water.byDate(token, { date: "2026-11-23" })
          expect(day.summary?.water).toBe(before + 750)
          const series = yield* Water.timeSeries(token, { date: "2026-11-23", period: "7d" })
          expect(series.at(-1)).toMatchObject({ dateTime: "2026-11-23", value: before + 750 })
          yield* Water.deleteLog(token, { logId: log.logId })
          expect((yield* Water.byDate(token, { date: "2026-11-23" })).summary?.water).toBe(before)
        })
      ))

    it.effect("subscriptions: create with a subscriber id, list, remove", () =>
      withClient((_emu, token) =>
        Effect.gen(function*() {
          const created = yield* Subscriptions.create(token, { collection: "sleep", subscriberId: "5", subscriptionId: "res-1" })
          expect(created).toMatchObject({ subscriptionId: "res-1", subscriberId: "5", collectionType: "sleep" })
          const all = yield* Subscriptions.list(token, { subscriberId: "5" })
          expect(all.map((s) => s.subscriptionId)).toContain("res-1")
          yield* Subscriptions.remove(token, { collection: "sleep", subscriptionId: "res-1" })
          expect(yield* Subscriptions.list(token, { collection: "sleep" })).toEqual([])
        })
      ))
  })
})
