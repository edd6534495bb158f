/**
 * Injected faults: the next N requests that match answer with a failure instead of (or, for
 * a delay, before) their normal answer.
 *
 * @since 0.1.0
 */

/**
 * The kinds of fault:
 * - `status500` / `status503`: Fitbit's `system` error JSON with that status (on Google's
 *   paths, Google's shapes: `INTERNAL` / `UNAVAILABLE` on `/v4/…`, OAuth's
 *   `{"error", "error_description"}` on `/o/oauth2/v2/auth`, `/token`, `/revoke`);
 * - `html502`: a proxy's HTML page with status 502;
 * - `status429`: a rate-limit refusal with `Retry-After` (Google's `RESOURCE_EXHAUSTED` on `/v4/…`);
 * - `reset`: the connection is destroyed without an answer;
 * - `delay`: the answer is held back `delayMillis` (wall time), then served normally;
 * - `malformedJson`: 200 with a truncated JSON body.
 *
 * @since 0.1.0
 * @category models
 */
export type FaultKind = "status500" | "status503" | "html502" | "status429" | "reset" | "delay" | "malformedJson"

/**
 * All fault kinds.
 *
 * @since 0.1.0
 * @category constants
 */
export const FAULT_KINDS: ReadonlyArray<FaultKind> = [
  "status500",
  "status503",
  "html502",
  "status429",
  "reset",
  "delay",
  "malformedJson"
]

/**
 * A fault to inject.
 *
 * @since 0.1.0
 * @category models
 */
export interface Fault {
  readonly kind: FaultKind
  /** How many matching requests it hits (1 by default). */
  readonly count?: number | undefined
  /** For `delay`: how long, in milliseconds (1000 by default). */
  readonly delayMillis?: number | undefined
  /** For `status429`: the `Retry-After` seconds (60 by default). */
  readonly retryAfterSeconds?: number | undefined
  /** Which requests it hits: all when omitted. `pathPrefix` compares with the path (no query). */
  readonly match?: {
    readonly method?: string | undefined
    readonly pathPrefix?: string | undefined
  } | undefined
}

interface Armed {
  readonly fault: Fault
  remaining: number
}

/**
 * The fault queue.
 *
 * @since 0.1.0
 * @category models
 */
export interface Faults {
  readonly inject: (fault: Fault) => void
  /** Takes the first armed fault matching a request, using up one of its hits. */
  readonly take: (method: string, path: string) => Fault | undefined
  readonly clear: () => void
  /** Faults still armed, with their remaining hits. */
  readonly pending: () => ReadonlyArray<Fault & { readonly remaining: number }>
}

/**
 * Checks a fault description (from code or from the control route).
 *
 * @since 0.1.0
 * @category validation
 */
export const validate = (fault: unknown): Fault => {
  const f = fault as Fault
  if (typeof f !== "object" || f === null || !FAULT_KINDS.includes(f.kind)) {
    throw new TypeError(`a fault needs a kind among ${FAULT_KINDS.join(", ")}`)
  }
  if (f.count !== undefined && !(Number.isInteger(f.count) && f.count > 0)) {
    throw new TypeError("fault count must be a positive integer")
  }
  if (f.delayMillis !== undefined && !(Number.isFinite(f.delayMillis) && f.delayMillis >= 0)) {
    throw new TypeError("fault delayMillis must be a non-negative number")
  }
  return f
}

/**
 * Makes an empty fault queue.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (): Faults => {
  let armed: Array<Armed> = []
  const matches = (fault: Fault, method: string, path: string) =>
    (fault.match?.method === undefined || fault.match.method.toUpperCase() === method.toUpperCase()) &&
    (fault.match?.pathPrefix === undefined || path.startsWith(fault.match.pathPrefix))
  return {
    inject: (fault) => {
      const checked = validate(fault)
      armed.push({ fault: checked, remaining: checked.count ?? 1 })
    },
    take: (method, path) => {
      const hit = armed.find((a) => a.remaining > 0 && matches(a.fault, method, path))
      if (hit === undefined) return undefined
      hit.remaining--
      armed = armed.filter((a) => a.remaining > 0)
      return hit.fault
    },
    clear: () => {
      armed = []
    },
    pending: () => armed.map((a) => ({ ...a.fault, remaining: a.remaining }))
  }
}
