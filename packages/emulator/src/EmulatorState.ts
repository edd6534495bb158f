/**
 * The state every route group shares: registry, grants, clock, counters, faults, rate
 * limiter, users' writes, the data seed and the consent mode. Route groups read it from the
 * {@link EmulatorState} service.
 *
 * @since 0.1.0
 */
import * as Context from "effect/Context"
import * as Clock from "./Clock.js"
import * as Counters from "./Counters.js"
import * as Faults from "./Faults.js"
import * as Grants from "./Grants.js"
import * as GoogleQuota from "./google/Quota.js"
import * as RateLimiter from "./RateLimiter.js"
import * as Registry from "./Registry.js"
import * as UserData from "./fitbit/UserData.js"
import * as Webhooks from "./fitbit/Webhooks.js"

/**
 * How the authorize endpoints (Fitbit's `GET /oauth2/authorize`, Google's `GET /o/oauth2/v2/auth`)
 * obtain consent: redirect at once (`auto`), answer with an HTML page whose buttons `#allow` and
 * `#deny` post the decision (`page`), or refuse at once with `error=access_denied` (`deny`).
 *
 * @since 0.1.0
 * @category models
 */
export type ConsentMode = "auto" | "page" | "deny"

/**
 * Options of the shared state (all optional).
 *
 * @since 0.1.0
 * @category models
 */
export interface StateOptions {
  /** Seed of the generated data; the same seed gives the same data. Default `"fitbit-effect"`. */
  readonly seed?: string | undefined
  readonly apps?: ReadonlyArray<Registry.App> | undefined
  readonly users?: ReadonlyArray<Partial<Registry.User> & { readonly userId: string }> | undefined
  readonly clock?: Clock.ClockOptions | undefined
  /** Requests per app-user pair per clock hour. Default 150. */
  readonly rateLimitPerHour?: number | undefined
  /** Default access-token lifetime in seconds. Default 28800 (8 hours). */
  readonly accessTokenLifetimeSeconds?: number | undefined
  /** Lifetime of authorization codes. Default 10 minutes. */
  readonly codeLifetimeMillis?: number | undefined
  /** Window in which a used refresh token may be replayed for the same answer. Default 0 (never). */
  readonly refreshGraceMillis?: number | undefined
  /** Default `auto`. */
  readonly consent?: ConsentMode | undefined
  /**
   * Answer every legacy Fitbit Web API and Fitbit OAuth route with 410 Gone, as Google's servers
   * have since 2026-11-02 (Google Health routes keep working). Default `false`.
   */
  readonly legacyRetired?: boolean | undefined
  /**
   * Precede every page after the first of Google's list methods with an empty page that still
   * carries a `nextPageToken` (Google may answer so; a client that stops there loses data). Default `false`.
   */
  readonly emptyPages?: boolean | undefined
  /**
   * Google's quotas in requests a minute: per user (default 300) and per project, i.e. per OAuth
   * client (default 120,000). Over either, Google's 429 `RESOURCE_EXHAUSTED` with no wait given.
   */
  readonly googleQuota?: Partial<GoogleQuota.Limits> | undefined
}

/**
 * The shared state.
 *
 * @since 0.1.0
 * @category models
 */
export interface State {
  readonly seed: string
  readonly clock: Clock.EmulatorClock
  readonly registry: Registry.Registry
  readonly grants: Grants.Grants
  readonly counters: Counters.Counters
  readonly faults: Faults.Faults
  readonly rateLimiter: RateLimiter.RateLimiter
  /** Google's per-user and per-project quotas (see `StateOptions.googleQuota`). */
  readonly googleQuota: GoogleQuota.GoogleQuota
  readonly data: UserData.UserData
  readonly webhooks: Webhooks.Webhooks
  readonly accessTokenLifetimeSeconds: number
  consent: ConsentMode
  /** Whether the legacy Fitbit routes answer 410 Gone (see `StateOptions.legacyRetired`). */
  legacyRetired: boolean
  /** Whether Google's list methods answer empty pages with tokens (see `StateOptions.emptyPages`). */
  emptyPages: boolean
  /** The user who consents when no one is signed in (auto mode, or the page's default). */
  consentUserId: string
  /** The base URL the server listens on, once it does. */
  baseUrl: string
}

/**
 * The shared state as a service.
 *
 * @since 0.1.0
 * @category schemas
 */
export class EmulatorState extends Context.Tag("@fitbit-effect/emulator/EmulatorState")<EmulatorState, State>() {}

/**
 * Makes the shared state.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (options: StateOptions = {}): State => {
  const clock = Clock.make(options.clock)
  const registry = Registry.make(options)
  const lifetime = options.accessTokenLifetimeSeconds ?? 28_800
  if (!(Number.isInteger(lifetime) && lifetime > 0)) throw new TypeError("accessTokenLifetimeSeconds must be a positive integer")
  return {
    seed: options.seed ?? "fitbit-effect",
    clock,
    registry,
    grants: Grants.make({
      now: clock.now,
      codeLifetimeMillis: options.codeLifetimeMillis,
      refreshGraceMillis: options.refreshGraceMillis
    }),
    counters: Counters.make(),
    faults: Faults.make(),
    rateLimiter: RateLimiter.make({ now: clock.now, perHour: options.rateLimitPerHour }),
    googleQuota: GoogleQuota.make({ now: clock.now, limits: options.googleQuota }),
    data: UserData.make(),
    webhooks: Webhooks.make(),
    accessTokenLifetimeSeconds: lifetime,
    consent: options.consent ?? "auto",
    legacyRetired: options.legacyRetired === true,
    emptyPages: options.emptyPages === true,
    consentUserId: registry.defaultUserId,
    baseUrl: ""
  }
}

/**
 * A user's "today" by the emulator clock, in their time zone.
 *
 * @since 0.1.0
 * @category dates
 */
export const today = (state: State, userId: string): string => {
  const user = state.registry.users.get(userId)
  const offset = user?.offsetFromUTCMillis ?? 0
  return new Date(state.clock.now() + offset).toISOString().slice(0, 10)
}
