/**
 * The emulated `users/{user}` methods: identity, profile, settings, the IRN profile (read, and updated
 * under a field mask), and `pairedDevices`.
 *
 * @since 0.1.0
 */
import type * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as Effect from "effect/Effect"
import * as Http from "../Http.js"
import { invalid, notFound, readJson } from "./Answers.js"
import { type Caller, type UserHandler, requireAnyScope, requireScope } from "./Caller.js"
import * as GoogleData from "./GoogleData.js"
import * as GoogleState from "./GoogleState.js"
import { pageSizeOf, paginate } from "./Paging.js"

type Reply = HttpServerResponse.HttpServerResponse
/** The IRN profile: onboarded and enrolled, last synced an hour before the emulated now. */
const irnProfileJson = (caller: Caller) => ({
  name: `users/${caller.healthUserId}/irnProfile`,
  enrollmentStatus: true,
  onboardingStatus: true,
  updateTime: GoogleData.rfc3339(caller.state.clock.now() - 3_600_000)
})

const profileJson = (caller: Caller) => {
  const u = caller.user
  return {
    name: `users/${caller.healthUserId}/profile`,
    age: GoogleData.ageOn(u.dateOfBirth, caller.state.clock.now()),
    membershipStartDate: GoogleData.dateJson(u.memberSince),
    autoWalkingStrideLengthMm: Math.round(u.heightCm * 4.15),
    autoRunningStrideLengthMm: Math.round(u.heightCm * 5.2),
    ...caller.google.profileEdits.get(u.userId)
  }
}
const settingsJson = (caller: Caller) => {
  const u = caller.user
  const imperial = u.locale === "en_US"
  return {
    name: `users/${caller.healthUserId}/settings`,
    autoStrideEnabled: true,
    distanceUnit: imperial ? "MILES" : "KILOMETERS",
    weightUnit: imperial ? "POUNDS" : "KILOGRAMS",
    heightUnit: imperial ? "INCHES" : "CENTIMETERS",
    temperatureUnit: imperial ? "FAHRENHEIT" : "CELSIUS",
    waterUnit: imperial ? "FLUID_OUNCES" : "MILLILITERS",
    swimUnit: imperial ? "YARDS" : "METERS",
    glucoseUnit: "MG_DL",
    languageLocale: u.locale.replace("_", "-"),
    foodLanguageCode: u.locale.replace("_", "-"),
    strideLengthRunningType: "AUTO",
    strideLengthWalkingType: "AUTO",
    timeZone: u.timezone,
    utcOffset: GoogleData.offsetText(u.offsetFromUTCMillis),
    ...caller.google.settingsEdits.get(u.userId)
  }
}
const camel = (field: string): string => field.trim().replace(/_([a-z])/g, (_, c: string) => c.toUpperCase())
const applyUpdate = (
  body: Record<string, unknown>,
  mask: string | undefined,
  allowed: Record<string, (value: unknown) => boolean>
): Effect.Effect<Record<string, unknown>, Reply> => {
  const fields = (mask === undefined || mask.trim() === "" ? Object.keys(body).filter((k) => k !== "name") : mask.split(","))
    .map(camel)
    .filter((f) => f !== "")
  const out: Record<string, unknown> = {}
  for (const field of fields) {
    const check = allowed[field]
    if (check === undefined) return Effect.fail(invalid(`Field ${field} cannot be updated.`))
    if (!check(body[field])) return Effect.fail(invalid(`Invalid value for field ${field}.`))
    out[field] = body[field]
  }
  return Effect.succeed(out)
}
const stride = (value: unknown) => typeof value === "number" && Number.isFinite(value) && value >= 0 && value < 10_000
const unit = (...values: ReadonlyArray<string>) => (value: unknown) => typeof value === "string" && values.includes(value)
const SETTINGS_UPDATES: Record<string, (value: unknown) => boolean> = {
  distanceUnit: unit("KILOMETERS", "MILES"),
  weightUnit: unit("KILOGRAMS", "POUNDS", "STONES"),
  heightUnit: unit("CENTIMETERS", "INCHES"),
  temperatureUnit: unit("CELSIUS", "FAHRENHEIT"),
  waterUnit: unit("MILLILITERS", "FLUID_OUNCES", "CUPS"),
  swimUnit: unit("METERS", "YARDS"),
  glucoseUnit: unit("MG_DL", "MMOL_L")
}
const profileUpdates: Record<string, (value: unknown) => boolean> = {
  userConfiguredWalkingStrideLengthMm: stride,
  userConfiguredRunningStrideLengthMm: stride
}

/**
 * Answers the `users/{user}` methods (`rest` is the path after the user segment): identity,
 * profile and settings, read and patched, the IRN profile, and paired devices; `None` for any other path.
 *
 * @since 0.1.0
 * @category routes
 */
export const handle: UserHandler = (caller, method, rest, query) => {
  const key = `${method} ${rest.join("/")}`
  switch (key) {
    case "GET identity":
      return Effect.as(
        requireAnyScope(caller),
        Http.json({ name: `users/me/identity`, healthUserId: caller.healthUserId, legacyUserId: caller.user.userId })
      )
    case "GET profile":
      return Effect.as(requireScope(caller, "profile", "read"), Http.json(profileJson(caller)))
    case "GET settings":
      return Effect.as(requireScope(caller, "settings", "read"), Http.json(settingsJson(caller)))
    case "GET irnProfile":
      return Effect.as(requireScope(caller, "irn", "read"), Http.json(irnProfileJson(caller)))
    case "PATCH profile":
    case "PATCH settings": {
      const isProfile = key === "PATCH profile"
      return Effect.gen(function*() {
        yield* requireScope(caller, isProfile ? "profile" : "settings", "write")
        const update = yield* applyUpdate(yield* readJson, query.updateMask, isProfile ? profileUpdates : SETTINGS_UPDATES)
        const edits = isProfile ? caller.google.profileEdits : caller.google.settingsEdits
        Object.assign(GoogleState.perUser(edits, caller.user.userId, () => ({})), update)
        caller.state.counters.bump("writes")
        return Http.json(isProfile ? profileJson(caller) : settingsJson(caller))
      })
    }
  }
  if (rest[0] === "pairedDevices" && method === "GET") {
    return Effect.gen(function*() {
      yield* requireAnyScope(caller)
      const devices = GoogleData.pairedDevices(caller.state.seed, caller.user, caller.state.clock.now())
      if (rest.length === 1) {
      const size = yield* pageSizeOf(query.pageSize, { size: 5, max: 100 })
        const { nextPageToken, page } = yield* paginate(devices, { token: query.pageToken, size, key: `devices|${size}`, state: caller.state })
        return Http.json({ pairedDevices: page, ...(nextPageToken === undefined ? {} : { nextPageToken }) })
      }
    const device = rest.length === 2 ? devices.find((d) => d.name.endsWith(`/pairedDevices/${rest[1]}`)) : undefined
      return device === undefined ? yield* Effect.fail(notFound(`Device ${rest[1]} was not found.`)) : Http.json(device)
    })
  }
  return undefined
}
