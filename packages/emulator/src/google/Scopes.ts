/**
 * Google Health's OAuth scopes as the emulator offers and checks them: the scope families, the
 * access each is offered with, and whether a grant's scopes let it read or write a family.
 * Written from developers.google.com/health/scopes and googleapis 188's method docs (which name
 * every `.readonly` and `.writeonly` scope below except `nutrition.readonly`, that Google's scopes
 * page lists).
 *
 * @since 0.1.0
 */

/**
 * The prefix every Google Health scope shares.
 *
 * @since 0.1.0
 * @category constants
 */
export const SCOPE_PREFIX = "https://www.googleapis.com/auth/googlehealth."

/**
 * How a scope opens its family: `read` (`{family}.readonly`), `write` (`{family}.writeonly`), or
 * `full` (the bare `{family}`: read and write, the scopes Google's page listed at launch).
 *
 * @since 0.1.0
 * @category models
 */
export type Access = "full" | "read" | "write"

/**
 * Each scope family and the access Google offers it with. The data families read and write;
 * ECG, irregular-rhythm notifications and exercise GPS routes are read-only; the launch-time
 * `full` scopes exist for the six families Google first published.
 *
 * @since 0.1.0
 * @category constants
 */
export const FAMILIES: Readonly<Record<string, ReadonlyArray<Access>>> = {
  activity_and_fitness: ["full", "read", "write"],
  health_metrics_and_measurements: ["full", "read", "write"],
  sleep: ["full", "read", "write"],
  nutrition: ["full", "read", "write"],
  profile: ["full", "read", "write"],
  settings: ["full", "read", "write"],
  reproductive_health: ["read", "write"],
  mindfulness: ["read", "write"],
  logged_symptoms: ["read", "write"],
  ecg: ["read"],
  irn: ["read"],
  location: ["read"]
}

const SUFFIX: Readonly<Record<Access, string>> = { full: "", read: ".readonly", write: ".writeonly" }

/**
 * Every scope name the emulator grants (after {@link SCOPE_PREFIX}), e.g. `sleep.readonly`.
 *
 * @since 0.1.0
 * @category constants
 */
export const SCOPE_NAMES: ReadonlyArray<string> = Object.entries(FAMILIES).flatMap(([family, offered]) =>
  offered.map((access) => family + SUFFIX[access])
)

/**
 * Every full scope URL the emulator grants: what a grant minted "with all scopes" holds.
 *
 * @since 0.1.0
 * @category constants
 */
export const SCOPES: ReadonlyArray<string> = SCOPE_NAMES.map((name) => SCOPE_PREFIX + name)

/**
 * Whether granted scopes let their holder read (`.readonly` or the full scope) or write
 * (`.writeonly` or the full scope) a family.
 *
 * @since 0.1.0
 * @category authorization
 */
export const allows = (granted: ReadonlyArray<string>, family: string, mode: "read" | "write"): boolean =>
  granted.includes(SCOPE_PREFIX + family) || granted.includes(SCOPE_PREFIX + family + SUFFIX[mode])

/**
 * Whether granted scopes hold some Google Health scope.
 *
 * @since 0.1.0
 * @category authorization
 */
export const holdsAny = (granted: ReadonlyArray<string>): boolean => granted.some((scope) => scope.startsWith(SCOPE_PREFIX))
