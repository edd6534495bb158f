/**
 * The emulated profile (`GET`/`POST /profile.json`) and devices (`GET /devices.json`).
 *
 * @since 0.1.0
 */
import * as HttpRouter from "@effect/platform/HttpRouter"
import * as Effect from "effect/Effect"
import * as DataGenerator from "../DataGenerator.js"
import { today } from "../EmulatorState.js"
import * as Http from "../Http.js"
import { ANY_VERSION, type CallContext, dataHandler, type Step, U, validation } from "./DataRoute.js"
import { mass, r2 } from "./Inputs.js"

const profile = (context: CallContext) => {
  const u = context.user
  const edits = context.state.data.of(u.userId).profile
  const age = DataGenerator.ageOn(u.dateOfBirth, context.state.clock.now())
  return {
    user: {
      age,
      avatar: `https://static0.fitbit.com/images/profile/defaultProfile_100.png`,
      avatar150: `https://static0.fitbit.com/images/profile/defaultProfile_150.png`,
      averageDailySteps: DataGenerator.steps(context.seed, u.userId, today(context.state, u.userId)),
      dateOfBirth: u.dateOfBirth,
      displayName: edits.displayName ?? u.displayName,
      distanceUnit: context.imperial ? "en_US" : "METRIC",
      encodedId: u.userId,
      fullName: edits.fullName ?? u.fullName,
      gender: u.gender,
      height: context.imperial ? r2(u.heightCm / 2.54) : u.heightCm,
      heightUnit: context.imperial ? "en_US" : "METRIC",
      locale: u.locale,
      memberSince: u.memberSince,
      offsetFromUTCMillis: u.offsetFromUTCMillis,
      startDayOfWeek: "MONDAY",
      timezone: u.timezone,
      weight: mass(context, u.weightKg),
      weightUnit: context.imperial ? "en_US" : "METRIC"
    }
  }
}

/**
 * The profile and devices routes.
 *
 * @since 0.1.0
 * @category routes
 */
export const routes: ReadonlyArray<Step> = [
  HttpRouter.get(`${U}/profile.json`, dataHandler({ versions: ANY_VERSION, scope: "profile" }, (c) => Effect.succeed(Http.json(profile(c))))),
  HttpRouter.post(
    `${U}/profile.json`,
    dataHandler({ versions: ANY_VERSION, scope: "profile", write: true }, (c) =>
      Effect.gen(function*() {
        const fields = yield* c.body
        const edits = c.state.data.of(c.user.userId).profile
        for (const key of ["displayName", "fullName"]) {
          const value = fields[key]
          if (value !== undefined) {
            if (value.length === 0 || value.length > 100) return yield* Effect.fail(validation(`Invalid ${key}.`, key))
            edits[key] = value
          }
        }
        return Http.json(profile(c))
      }))
  ),
  HttpRouter.get(
    `${U}/devices.json`,
    dataHandler({ versions: ANY_VERSION, scope: "settings" }, (c) => {
      // The same tracker and scale as Google's pairedDevices; sync times to the second, local.
      const next = DataGenerator.rng(c.seed, c.user.userId, "device")
      const local = (utc: number) => new Date(Math.floor(utc / 1000) * 1000 + c.user.offsetFromUTCMillis).toISOString().slice(0, 23)
      const now = c.state.clock.now()
      const batteryLevel = 60 + Math.floor(next() * 40)
      return Effect.succeed(Http.json([{
        battery: "High",
        batteryLevel,
        deviceVersion: "Charge 6",
        features: [],
        id: String(2_000_000_000 + (DataGenerator.hash(`${c.seed}|${c.user.userId}|device`) % 100_000_000)),
        lastSyncTime: local(now - Math.floor(next() * 3_600_000)),
        mac: "A1B2C3D4E5F6",
        type: "TRACKER"
      }, {
        battery: "High",
        batteryLevel: 80,
        deviceVersion: "Aria Air",
        features: [],
        id: String(3_000_000_000 + (DataGenerator.hash(`${c.seed}|${c.user.userId}|scale`) % 100_000_000)),
        lastSyncTime: local(now - 86_400_000),
        mac: "F6E5D4C3B2A1",
        type: "SCALE"
      }]))
    })
  )
]
