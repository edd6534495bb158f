/**
 * The user's profile: `GET /1/user/-/profile.json` and its update.
 *
 * @since 0.1.0
 */
import type * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import type * as FitbitHttp from "../FitbitHttp.js"
import type * as FormBody from "../../internal/formBody.js"
import * as Common from "./Common.js"

/**
 * A Fitbit user. Only `encodedId` is sure to be there; the rest depends on the scopes and
 * the user's privacy settings. Unknown fields are kept.
 *
 * @since 0.1.0
 * @category schemas
 */
export const User = Common.open({
  encodedId: Schema.String,
  displayName: Schema.optional(Schema.String),
  fullName: Schema.optional(Schema.String),
  firstName: Schema.optional(Schema.String),
  lastName: Schema.optional(Schema.String),
  avatar: Schema.optional(Schema.String),
  avatar150: Schema.optional(Schema.String),
  age: Schema.optional(Schema.Number),
  gender: Schema.optional(Schema.String),
  dateOfBirth: Schema.optional(Schema.String),
  height: Schema.optional(Schema.Number),
  heightUnit: Schema.optional(Schema.String),
  weight: Schema.optional(Schema.Number),
  weightUnit: Schema.optional(Schema.String),
  timezone: Schema.optional(Schema.String),
  offsetFromUTCMillis: Schema.optional(Schema.Number),
  memberSince: Schema.optional(Schema.String),
  locale: Schema.optional(Schema.String),
  strideLengthWalking: Schema.optional(Schema.Number),
  strideLengthRunning: Schema.optional(Schema.Number),
  averageDailySteps: Schema.optional(Schema.Number)
})

/**
 * A decoded user.
 *
 * @since 0.1.0
 * @category models
 */
export type User = typeof User.Type

/**
 * The profile answer: `{user: {...}}`.
 *
 * @since 0.1.0
 * @category schemas
 */
export const ProfileResponse = Common.open({ user: User })

/**
 * A decoded profile answer.
 *
 * @since 0.1.0
 * @category models
 */
export type ProfileResponse = typeof ProfileResponse.Type

/**
 * Reads the profile of the token's user (or of `options.userId`).
 *
 * @since 0.1.0
 * @category endpoints
 */
export const get = (
  accessToken: Common.AccessToken,
  options?: Common.CallOptions
): Effect.Effect<ProfileResponse, Common.Failure, FitbitHttp.FitbitHttp> =>
  Common.getJson(ProfileResponse, "/profile.json", accessToken, options)

/**
 * Updates profile fields (`POST /profile.json`, form-encoded, e.g. `{fullName, timezone}`) and
 * answers the updated profile.
 *
 * @since 0.1.0
 * @category endpoints
 */
export const update = (
  accessToken: Common.AccessToken,
  fields: { readonly [key: string]: FormBody.FormValue },
  options?: Common.CallOptions
): Effect.Effect<ProfileResponse, Common.Failure, FitbitHttp.FitbitHttp> =>
  Common.postForm(ProfileResponse, "/profile.json", accessToken, fields, options)
