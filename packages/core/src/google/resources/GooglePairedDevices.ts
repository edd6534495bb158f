/**
 * The `users/{user}/pairedDevices` collection of the Google Health API: a user's paired
 * trackers, watches and scales (`list`, also streamed, and `get`).
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import type * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import type * as Stream from "effect/Stream"
import * as Errors from "../../Errors.js"
import * as GoogleHealthHttp from "../GoogleHealthHttp.js"
import * as GooglePagination from "../GooglePagination.js"
import * as GoogleResourceName from "../GoogleResourceName.js"

type Token = string | Redacted.Redacted<string>

/**
 * A paired device.
 *
 * @since 0.1.0
 * @category schemas
 */
export const PairedDevice = Schema.Struct({
  name: Schema.optional(Schema.String),
  deviceType: Schema.optional(Schema.String),
  deviceVersion: Schema.optional(Schema.String),
  batteryLevel: Schema.optional(Schema.Number),
  batteryStatus: Schema.optional(Schema.String),
  lastSyncTime: Schema.optional(Schema.String),
  macAddress: Schema.optional(Schema.String),
  features: Schema.optional(Schema.Array(Schema.String))
}, Schema.Record({ key: Schema.String, value: Schema.Unknown }))

/**
 * A decoded paired device.
 *
 * @since 0.1.0
 * @category models
 */
export type PairedDevice = Schema.Schema.Type<typeof PairedDevice>

const ListResponse = Schema.Struct({
  pairedDevices: Schema.optionalWith(Schema.Array(PairedDevice), { default: () => [] }),
  nextPageToken: Schema.optional(Schema.String)
})

/**
 * A page of paired devices.
 *
 * @since 0.1.0
 * @category models
 */
export type PairedDevicesPage = Schema.Schema.Type<typeof ListResponse>

/**
 * Options of `list`.
 *
 * @since 0.1.0
 * @category models
 */
export interface ListOptions {
  readonly user?: string | undefined
  /** Google's default is 5, its maximum 100. */
  readonly pageSize?: number | undefined
  readonly pageToken?: string | undefined
}

/**
 * Lists one page of paired devices (`GET /v4/users/{user}/pairedDevices`).
 *
 * @since 0.1.0
 * @category reading
 */
export const list = (
  accessToken: Token,
  options: ListOptions = {}
): Effect.Effect<PairedDevicesPage, Errors.RequestFailure, GoogleHealthHttp.GoogleHealthHttp> =>
  Effect.gen(function*() {
    const parent = yield* GoogleResourceName.user(options.user)
    if (options.pageSize !== undefined && !(Number.isInteger(options.pageSize) && options.pageSize > 0)) {
      return yield* new Errors.InvalidInput({ field: "pageSize", reason: "must be a positive whole number" })
    }
    return yield* GoogleHealthHttp.callDecoded({
      method: "GET",
      path: `/${parent}/pairedDevices`,
      accessToken,
      query: { pageSize: options.pageSize, pageToken: options.pageToken }
    }, ListResponse)
  })

/**
 * Every paired device, page by page.
 *
 * @since 0.1.0
 * @category reading
 */
export const stream = (
  accessToken: Token,
  options: Omit<ListOptions, "pageToken"> = {}
): Stream.Stream<PairedDevice, Errors.RequestFailure, GoogleHealthHttp.GoogleHealthHttp> =>
  GooglePagination.streamField((pageToken) => list(accessToken, { ...options, pageToken }), "pairedDevices", {
    url: `users/${options.user ?? "me"}/pairedDevices`
  })

/**
 * Reads one paired device (`GET /v4/users/{user}/pairedDevices/{device}`).
 *
 * @since 0.1.0
 * @category reading
 */
export const get = (
  accessToken: Token,
  deviceId: string,
  options: { readonly user?: string | undefined } = {}
): Effect.Effect<PairedDevice, Errors.RequestFailure, GoogleHealthHttp.GoogleHealthHttp> =>
  Effect.flatMap(GoogleResourceName.pairedDevice(deviceId, options.user), (name) =>
    GoogleHealthHttp.callDecoded({ method: "GET", path: `/${name}`, accessToken }, PairedDevice))
