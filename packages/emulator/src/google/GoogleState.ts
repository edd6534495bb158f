/**
 * What the Google route group keeps beside the shared emulator state: the refresh tokens it
 * handed out (Google keeps one refresh token per grant unless rotation is turned on), the
 * authorization requests' `access_type`, created and deleted data points, profile and
 * settings edits, subscribers and subscriptions, and the webhook deliveries sent to them. One per
 * emulator state.
 *
 * @since 0.1.0
 */
import type { State } from "../EmulatorState.js"
import * as Deliveries from "./Deliveries.js"

/**
 * A subscriber as stored (the secret is kept to verify and to sign notifications, never answered).
 *
 * @since 0.1.0
 * @category models
 */
export interface StoredSubscriber {
  readonly name: string
  endpointUri: string
  secret: string
  subscriberConfigs: ReadonlyArray<{ readonly dataTypes?: ReadonlyArray<string>; readonly subscriptionCreatePolicy?: string }>
  readonly createTime: string
  updateTime: string
}

/**
 * A subscription as stored.
 *
 * @since 0.1.0
 * @category models
 */
export interface StoredSubscription {
  readonly name: string
  readonly user: string
  dataTypes: ReadonlyArray<string>
}

/**
 * A shared link as the emulator keeps it.
 *
 * @since 0.1.0
 * @category models
 */
export interface StoredLink {
  readonly id: string
  readonly userId: string
  /** base64url, 32 bytes. */
  readonly key: string
  readonly passcode?: string | undefined
  readonly label?: string | undefined
  /** Emulator-clock epoch milliseconds; absent for long-term links. */
  readonly expiresAt?: number | undefined
  attemptsLeft: number
  /** The encrypted files. */
  readonly files: ReadonlyArray<{ readonly contentType: string; readonly jwe: string }>
  /** Resource token → the file it opens and when it stops working. */
  readonly locations: Map<string, { readonly file: number; readonly expiresAt: number }>
}

/**
 * The Google group's state.
 *
 * @since 0.1.0
 * @category models
 */
export interface GoogleState {
  /** Refresh token handed out → the grant store's current refresh token behind it. */
  readonly refreshTokens: Map<string, string>
  /** Authorization code → whether `access_type=offline` was asked. */
  readonly offlineCodes: Map<string, boolean>
  /** Whether refreshes rotate the refresh token (Google's usual answer: no). */
  rotateRefreshTokens: boolean
  /** Access-token lifetime in seconds (Google: 3599). */
  accessTokenLifetimeSeconds: number
  /** Created (or patched) identifiable points: user → data-point name → wire JSON. */
  readonly created: Map<string, Map<string, Record<string, unknown>>>
  /** Deleted data-point names per user. */
  readonly deleted: Map<string, Set<string>>
  readonly profileEdits: Map<string, Record<string, unknown>>
  readonly settingsEdits: Map<string, Record<string, unknown>>
  readonly subscribers: Map<string, StoredSubscriber>
  readonly subscriptions: Map<string, StoredSubscription>
  /** The notifications sent to subscribers, and those in flight. */
  readonly deliveries: Deliveries.Outbox
  /** SMART Health Links shared by users, by external id. */
  readonly sharedLinks: Map<string, StoredLink>
  nextId: number
}

const states = new WeakMap<State, GoogleState>()

/**
 * The Google group's state of an emulator state, created on first use.
 *
 * @since 0.1.0
 * @category constructors
 */
export const of = (state: State): GoogleState => {
  let found = states.get(state)
  if (found === undefined) {
    found = {
      refreshTokens: new Map(),
      offlineCodes: new Map(),
      rotateRefreshTokens: false,
      accessTokenLifetimeSeconds: 3599,
      created: new Map(),
      deleted: new Map(),
      profileEdits: new Map(),
      settingsEdits: new Map(),
      subscribers: new Map(),
      subscriptions: new Map(),
      deliveries: Deliveries.make(),
      sharedLinks: new Map(),
      nextId: 1
    }
    states.set(state, found)
  }
  return found
}

/**
 * A user's map of a per-user collection, created on first use.
 *
 * @since 0.1.0
 * @category utils
 */
export const perUser = <V>(map: Map<string, V>, userId: string, make: () => V): V => {
  let value = map.get(userId)
  if (value === undefined) {
    value = make()
    map.set(userId, value)
  }
  return value
}
