/**
 * The Google Health API v4 route group of the emulator: Google OAuth on Google's paths
 * (`/o/oauth2/v2/auth`, `/token`, `/revoke`) and the `/v4/` resources, serving the same
 * deterministic users and data as the Fitbit routes. Served by default next to them.
 *
 * @since 0.1.0
 */
import * as HttpRouter from "@effect/platform/HttpRouter"
import type { State } from "../EmulatorState.js"
import * as GoogleHealthApi from "./Api.js"
import * as GoogleState from "./GoogleState.js"
import * as GoogleOAuth from "./OAuth.js"

/** Users and generated data in the Google Health API's shapes. */
export * as GoogleData from "./GoogleData.js"
/** The `/v4/` resources. */
export * as GoogleHealthApi from "./Api.js"
/** Google's OAuth endpoints. */
export * as GoogleOAuth from "./OAuth.js"
/** What the Google routes keep beside the shared state. */
export * as GoogleState from "./GoogleState.js"
/** Google's rules per data type (channel, methods, page sizes, filters, roll-up reach, scope family), as the emulator enforces them. */
export * as Rules from "./Rules.js"
/** Google Health's OAuth scopes as the emulator grants and checks them. */
export * as Scopes from "./Scopes.js"
/** Google's webhook notifications: what a change reaches, the items posted, those sent by hand. */
export * as Notifications from "./Notifications.js"
/** Google's webhook POSTs: arrays of at most 99 items, bounded, logged. */
export * as Deliveries from "./Deliveries.js"
/** Google's two-POST subscriber-endpoint verification. */
export * as SubscriberVerification from "./SubscriberVerification.js"

/**
 * The group's router: Google OAuth and the `/v4/` resources.
 *
 * @since 0.1.0
 * @category routes
 */
export const router = HttpRouter.concat(GoogleOAuth.router, GoogleHealthApi.router)

/**
 * Options of the Google routes of one emulator.
 *
 * @since 0.1.0
 * @category models
 */
export interface GoogleOptions {
  /** Whether refreshes hand out a new refresh token (default false: Google usually keeps it). */
  readonly rotateRefreshTokens?: boolean | undefined
  /** Access-token lifetime in seconds (default 3599). */
  readonly accessTokenLifetimeSeconds?: number | undefined
  /** How long a webhook POST may take before it counts as unanswered, in milliseconds (default 5000). */
  readonly notificationTimeoutMillis?: number | undefined
}

/**
 * Sets how the Google routes of an emulator behave.
 *
 * @since 0.1.0
 * @category controls
 */
export const configure = (state: State, options: GoogleOptions): void => {
  const google = GoogleState.of(state)
  if (options.rotateRefreshTokens !== undefined) google.rotateRefreshTokens = options.rotateRefreshTokens
  if (options.accessTokenLifetimeSeconds !== undefined) {
    if (!(Number.isInteger(options.accessTokenLifetimeSeconds) && options.accessTokenLifetimeSeconds > 0)) {
      throw new TypeError("accessTokenLifetimeSeconds must be a positive integer")
    }
    google.accessTokenLifetimeSeconds = options.accessTokenLifetimeSeconds
  }
  if (options.notificationTimeoutMillis !== undefined) google.deliveries.setTimeoutMillis(options.notificationTimeoutMillis)
}

/**
 * Mints Google tokens directly, with every Google Health scope unless told otherwise (see
 * `GoogleOAuth.grantTokens`).
 *
 * @since 0.1.0
 * @category controls
 */
export const grantTokens = GoogleOAuth.grantTokens

/**
 * The health user id the emulator gives a Fitbit user id.
 *
 * @since 0.1.0
 * @category endpoints
 */
export { healthUserIdOf } from "./GoogleData.js"

/**
 * Verifies a subscriber endpoint the way Google does (two POSTs).
 *
 * @since 0.1.0
 * @category authorization
 */
export { verifyEndpoint } from "./SubscriberVerification.js"
