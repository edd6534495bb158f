/**
 * The `users/{user}` resource of the Google Health API: identity (the legacy Fitbit user id
 * next to the Google health user id), profile and settings, read and updated.
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import type * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import type * as Errors from "../../Errors.js"
import * as GoogleDataTypes from "../GoogleDataTypes.js"
import * as GoogleHealthHttp from "../GoogleHealthHttp.js"
import * as GoogleResourceName from "../GoogleResourceName.js"

const Rest = Schema.Record({ key: Schema.String, value: Schema.Unknown })
const optionalNumber = Schema.optional(Schema.Number)
const optionalString = Schema.optional(Schema.String)

/**
 * `users/me/identity`: the health user id and the legacy Fitbit user id (for migration).
 *
 * @since 0.1.0
 * @category schemas
 */
export const Identity = Schema.Struct({
  name: optionalString,
  healthUserId: optionalString,
  legacyUserId: optionalString
}, Rest)

/**
 * A decoded identity.
 *
 * @since 0.1.0
 * @category models
 */
export type Identity = Schema.Schema.Type<typeof Identity>

/**
 * `users/{user}/profile`.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Profile = Schema.Struct({
  name: optionalString,
  age: optionalNumber,
  membershipStartDate: Schema.optional(GoogleDataTypes.CalendarDate),
  autoRunningStrideLengthMm: optionalNumber,
  autoWalkingStrideLengthMm: optionalNumber,
  userConfiguredRunningStrideLengthMm: optionalNumber,
  userConfiguredWalkingStrideLengthMm: optionalNumber
}, Rest)

/**
 * A decoded profile.
 *
 * @since 0.1.0
 * @category models
 */
export type Profile = Schema.Schema.Type<typeof Profile>

/**
 * `users/{user}/settings`: units, locale and time zone.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Settings = Schema.Struct({
  name: optionalString,
  autoStrideEnabled: Schema.optional(Schema.Boolean),
  distanceUnit: optionalString,
  weightUnit: optionalString,
  heightUnit: optionalString,
  temperatureUnit: optionalString,
  waterUnit: optionalString,
  swimUnit: optionalString,
  glucoseUnit: optionalString,
  languageLocale: optionalString,
  foodLanguageCode: optionalString,
  strideLengthRunningType: optionalString,
  strideLengthWalkingType: optionalString,
  timeZone: optionalString,
  utcOffset: optionalString
}, Rest)

/**
 * Decoded settings.
 *
 * @since 0.1.0
 * @category models
 */
export type Settings = Schema.Schema.Type<typeof Settings>

/**
 * `users/{user}/irnProfile`: whether the user has onboarded onto and is enrolled in irregular
 * rhythm notifications (IRN), and when analysable data last synced.
 *
 * @since 0.1.0
 * @category schemas
 */
export const IrnProfile = Schema.Struct({
  name: optionalString,
  enrollmentStatus: Schema.optional(Schema.Boolean),
  onboardingStatus: Schema.optional(Schema.Boolean),
  updateTime: optionalString
}, Rest)

/**
 * A decoded IRN profile.
 *
 * @since 0.1.0
 * @category models
 */
export type IrnProfile = Schema.Schema.Type<typeof IrnProfile>

type Token = string | Redacted.Redacted<string>

/**
 * Options naming the user (default `me`, the token's user).
 *
 * @since 0.1.0
 * @category models
 */
export interface UserOptions {
  readonly user?: string | undefined
}

/**
 * The snake-case field mask of an update body's keys: `{ userConfiguredWalkingStrideLengthMm }`
 * → `user_configured_walking_stride_length_mm`.
 *
 * @since 0.1.0
 * @category utils
 */
export const fieldMaskOf = (body: Readonly<Record<string, unknown>>): string =>
  Object.keys(body)
    .filter((key) => key !== "name" && body[key] !== undefined)
    .map((key) => key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`))
    .join(",")

/**
 * Reads the token user's identity (`GET /v4/users/me/identity`).
 *
 * @since 0.1.0
 * @category reading
 */
export const getIdentity = (
  accessToken: Token
): Effect.Effect<Identity, Errors.RequestFailure, GoogleHealthHttp.GoogleHealthHttp> =>
  GoogleHealthHttp.callDecoded({ method: "GET", path: "/users/me/identity", accessToken }, Identity)

/**
 * Reads a user's profile (`GET /v4/users/{user}/profile`).
 *
 * @since 0.1.0
 * @category reading
 */
export const getProfile = (
  accessToken: Token,
  options: UserOptions = {}
): Effect.Effect<Profile, Errors.RequestFailure, GoogleHealthHttp.GoogleHealthHttp> =>
  Effect.flatMap(GoogleResourceName.user(options.user), (name) =>
    GoogleHealthHttp.callDecoded({ method: "GET", path: `/${name}/profile`, accessToken }, Profile))

/**
 * Reads a user's irregular-rhythm-notification profile (`GET /v4/users/{user}/irnProfile`;
 * needs the `irn.readonly` scope).
 *
 * @since 0.1.0
 * @category reading
 */
export const getIrnProfile = (
  accessToken: Token,
  options: UserOptions = {}
): Effect.Effect<IrnProfile, Errors.RequestFailure, GoogleHealthHttp.GoogleHealthHttp> =>
  Effect.flatMap(GoogleResourceName.user(options.user), (name) =>
    GoogleHealthHttp.callDecoded({ method: "GET", path: `/${name}/irnProfile`, accessToken }, IrnProfile))

/**
 * Reads a user's settings (`GET /v4/users/{user}/settings`).
 *
 * @since 0.1.0
 * @category reading
 */
export const getSettings = (
  accessToken: Token,
  options: UserOptions = {}
): Effect.Effect<Settings, Errors.RequestFailure, GoogleHealthHttp.GoogleHealthHttp> =>
  Effect.flatMap(GoogleResourceName.user(options.user), (name) =>
    GoogleHealthHttp.callDecoded({ method: "GET", path: `/${name}/settings`, accessToken }, Settings))

/**
 * Updates profile fields (`PATCH /v4/users/{user}/profile?updateMask=…`); the mask defaults to
 * the fields given.
 *
 * @since 0.1.0
 * @category writing
 */
export const updateProfile = (
  accessToken: Token,
  profile: Partial<Profile>,
  options: UserOptions & { readonly updateMask?: string | undefined } = {}
): Effect.Effect<Profile, Errors.RequestFailure, GoogleHealthHttp.GoogleHealthHttp> =>
  Effect.flatMap(GoogleResourceName.user(options.user), (name) =>
    GoogleHealthHttp.callDecoded({
      method: "PATCH",
      path: `/${name}/profile`,
      accessToken,
      body: profile,
      query: { updateMask: options.updateMask ?? fieldMaskOf(profile) }
    }, Profile))

/**
 * Updates settings fields (`PATCH /v4/users/{user}/settings?updateMask=…`); the mask defaults to
 * the fields given.
 *
 * @since 0.1.0
 * @category writing
 */
export const updateSettings = (
  accessToken: Token,
  settings: Partial<Settings>,
  options: UserOptions & { readonly updateMask?: string | undefined } = {}
): Effect.Effect<Settings, Errors.RequestFailure, GoogleHealthHttp.GoogleHealthHttp> =>
  Effect.flatMap(GoogleResourceName.user(options.user), (name) =>
    GoogleHealthHttp.callDecoded({
      method: "PATCH",
      path: `/${name}/settings`,
      accessToken,
      body: settings,
      query: { updateMask: options.updateMask ?? fieldMaskOf(settings) }
    }, Settings))
