/**
 * The user's paired devices: `GET /1/user/-/devices.json`.
 *
 * @since 0.1.0
 */
import type * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import type * as FitbitHttp from "../FitbitHttp.js"
import * as Common from "./Common.js"

/**
 * A paired device. `battery` is `High`, `Medium`, `Low` or `Empty`; `lastSyncTime` a local
 * date-time (`2026-11-25T07:12:33.000`). Unknown fields are kept.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Device = Common.open({
  id: Schema.String,
  deviceVersion: Schema.String,
  type: Schema.String,
  battery: Schema.optional(Schema.String),
  batteryLevel: Schema.optional(Schema.Number),
  lastSyncTime: Schema.optional(Schema.String),
  mac: Schema.optional(Schema.String),
  features: Schema.optional(Schema.Array(Schema.String))
})

/**
 * A decoded device.
 *
 * @since 0.1.0
 * @category models
 */
export type Device = typeof Device.Type

/**
 * The devices answer: a JSON array.
 *
 * @since 0.1.0
 * @category schemas
 */
export const DevicesResponse = Schema.Array(Device)

/**
 * Lists the devices paired with the account.
 *
 * @since 0.1.0
 * @category endpoints
 */
export const list = (
  accessToken: Common.AccessToken,
  options?: Common.CallOptions
): Effect.Effect<ReadonlyArray<Device>, Common.Failure, FitbitHttp.FitbitHttp> =>
  Common.getJson(DevicesResponse, "/devices.json", accessToken, options)
