/**
 * The legacy profile and devices answered from Google Health: `/profile.json` from the profile
 * (age, member since), settings (time zone, offset, locale), identity (the legacy user id as
 * `encodedId`) and the latest `height` sample; `/devices.json` from `pairedDevices`. Google keeps
 * no name, gender or date of birth: those fields are left out (README: "What differs").
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import * as GooglePairedDevices from "../../google/resources/GooglePairedDevices.js"
import * as GoogleUsers from "../../google/resources/GoogleUsers.js"
import {
  dailyRollUps,
  type Failure,
  type Http,
  idOf,
  type LegacyCall,
  localDateTime,
  offsetOf,
  pointsBetween,
  r2
} from "./Context.js"
import * as Clock from "effect/Clock"
import { addDays, civilParts, dateAt } from "../../internal/civilTime.js"

/**
 * `GET /profile.json`.
 *
 * @since 0.1.0
 * @category handlers
 */
export const profile = (call: LegacyCall): Effect.Effect<unknown, Failure, Http> =>
  Effect.gen(function*() {
    const [p, settings, identity, now] = yield* Effect.all([
      GoogleUsers.getProfile(call.token),
      call.settings,
      call.identity,
      Clock.currentTimeMillis
    ], { concurrency: 3 })
    const offset = offsetOf(settings)
    const today = dateAt(now, offset)
    const [heights, steps] = yield* Effect.all([
      pointsBetween(call, "height", "sample", addDays(today, -360), today),
      dailyRollUps(call, "steps", Array.from({ length: 30 }, (_, i) => addDays(today, i - 30)))
    ], { concurrency: 2 })
    const height = heights.filter((h) => h._tag === "Height").at(-1)
    const cm = height?._tag === "Height" ? height.value.heightMillimeters / 10 : undefined
    const stepDays = [...steps.values()].map((w) => w.steps?.countSum ?? 0)
    const unit = call.imperial ? "en_US" : "METRIC"
    return {
      user: {
        ...(p.age === undefined ? {} : { age: p.age }),
        avatar: "https://static0.fitbit.com/images/profile/defaultProfile_100.png",
        avatar150: "https://static0.fitbit.com/images/profile/defaultProfile_150.png",
        averageDailySteps: stepDays.length === 0 ? 0 : Math.round(stepDays.reduce((a, b) => a + b, 0) / stepDays.length),
        distanceUnit: unit,
        encodedId: identity.legacyUserId ?? idOf(identity.name),
        ...(cm === undefined ? {} : { height: call.imperial ? r2(cm / 2.54) : cm }),
        heightUnit: unit,
        ...(settings.languageLocale === undefined ? {} : { locale: settings.languageLocale.replace("-", "_") }),
        ...(p.membershipStartDate === undefined ? {} : { memberSince: civilParts({ date: p.membershipStartDate }).date }),
        offsetFromUTCMillis: offset,
        ...(settings.timeZone === undefined ? {} : { timezone: settings.timeZone }),
        weightUnit: unit
      }
    }
  })

/**
 * `GET /devices.json`.
 *
 * @since 0.1.0
 * @category handlers
 */
export const devices = (call: LegacyCall): Effect.Effect<unknown, Failure, Http> =>
  Effect.gen(function*() {
    const [page, offset] = yield* Effect.all([GooglePairedDevices.list(call.token, { pageSize: 100 }), call.offsetMillis], { concurrency: 2 })
    const utcOffset = `${offset / 1000}s`
    return page.pairedDevices.map((d) => ({
      battery: d.batteryStatus === undefined ? "Unknown" : d.batteryStatus[0]! + d.batteryStatus.slice(1).toLowerCase(),
      batteryLevel: d.batteryLevel ?? 0,
      deviceVersion: d.deviceVersion ?? "",
      features: [],
      id: idOf(d.name),
      lastSyncTime: d.lastSyncTime === undefined ? "" : localDateTime(d.lastSyncTime, utcOffset),
      mac: d.macAddress ?? "",
      type: d.deviceType ?? "TRACKER"
    }))
  })
