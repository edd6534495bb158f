/**
 * Registered OAuth apps and users of the emulator, with a ready default of each.
 *
 * @since 0.1.0
 */

/**
 * A registered app. Confidential apps (`clientSecret` set) authenticate with HTTP Basic;
 * public apps send `client_id` and must use PKCE.
 *
 * @since 0.1.0
 * @category models
 */
export interface App {
  readonly clientId: string
  /** Absent for a public ("client" type) app. */
  readonly clientSecret?: string | undefined
  /** Registered redirect URIs; an authorize request must name one of them exactly. */
  readonly redirectUris: ReadonlyArray<string>
  readonly name?: string | undefined
}

/**
 * A Fitbit user of the emulator.
 *
 * @since 0.1.0
 * @category models
 */
export interface User {
  /** Fitbit encoded id, 6 to 8 characters of `A-Z0-9`. */
  readonly userId: string
  readonly displayName: string
  readonly fullName: string
  readonly gender: "MALE" | "FEMALE" | "NA"
  readonly dateOfBirth: string
  readonly heightCm: number
  /** Base weight the daily weigh-ins drift around. */
  readonly weightKg: number
  readonly timezone: string
  /** Fixed offset of `timezone` from UTC (the emulator ignores daylight saving). */
  readonly offsetFromUTCMillis: number
  readonly memberSince: string
  readonly locale: string
}

/**
 * The default confidential app.
 *
 * @since 0.1.0
 * @category constants
 */
export const DEFAULT_APP = {
  clientId: "23EMUL",
  clientSecret: "emulator-client-secret-0123456789abcdef",
  redirectUris: ["http://127.0.0.1:8080/callback"],
  name: "Emulator confidential app"
} as const satisfies App

/**
 * The default public (PKCE) app.
 *
 * @since 0.1.0
 * @category constants
 */
export const DEFAULT_PUBLIC_APP = {
  clientId: "23EMPK",
  redirectUris: ["http://127.0.0.1:8080/callback"],
  name: "Emulator public app"
} as const satisfies App

/**
 * The default user.
 *
 * @since 0.1.0
 * @category constants
 */
export const DEFAULT_USER: User = {
  userId: "ABC123",
  displayName: "Alex",
  fullName: "Alex Emulator",
  gender: "NA",
  dateOfBirth: "1990-04-12",
  heightCm: 175,
  weightKg: 72,
  timezone: "UTC",
  offsetFromUTCMillis: 0,
  memberSince: "2024-01-15",
  locale: "en_US"
}

/**
 * A user from a partial description: the defaults fill the rest.
 *
 * @since 0.1.0
 * @category constructors
 */
export const makeUser = (user: Partial<User> & { readonly userId: string }): User => {
  if (!/^[0-9A-Z]{6,8}$/.test(user.userId)) {
    throw new TypeError(`user id "${user.userId}" is not a Fitbit encoded id (6 to 8 characters of A-Z 0-9)`)
  }
  return {
    ...DEFAULT_USER,
    displayName: user.userId,
    fullName: `User ${user.userId}`,
    ...user
  }
}

/**
 * The registry: apps and users by id.
 *
 * @since 0.1.0
 * @category models
 */
export interface Registry {
  readonly apps: Map<string, App>
  readonly users: Map<string, User>
  /** The user who consents in auto-consent mode unless told otherwise. */
  readonly defaultUserId: string
}

/**
 * Makes a registry; the default apps and user are always present unless replaced by id.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (options: {
  readonly apps?: ReadonlyArray<App> | undefined
  readonly users?: ReadonlyArray<Partial<User> & { readonly userId: string }> | undefined
} = {}): Registry => {
  const apps = new Map<string, App>([[DEFAULT_APP.clientId, DEFAULT_APP], [DEFAULT_PUBLIC_APP.clientId, DEFAULT_PUBLIC_APP]])
  for (const app of options.apps ?? []) apps.set(app.clientId, app)
  const users = new Map<string, User>([[DEFAULT_USER.userId, DEFAULT_USER]])
  const given = (options.users ?? []).map(makeUser)
  for (const user of given) users.set(user.userId, user)
  return { apps, users, defaultUserId: given[0]?.userId ?? DEFAULT_USER.userId }
}
