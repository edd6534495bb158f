/**
 * The emulator's clock: every expiry (codes, access tokens), every rate-limit window and
 * every "today" is read from it, so tests can move time without waiting.
 *
 * @since 0.1.0
 */

/**
 * A settable clock. It ticks with wall time unless frozen; `setNow` and `advance` move it.
 *
 * @since 0.1.0
 * @category models
 */
export interface EmulatorClock {
  /** The emulator's current time, epoch milliseconds. */
  readonly now: () => number
  /** Sets the current time (it keeps ticking from there unless frozen). */
  readonly setNow: (epochMillis: number) => void
  /** Moves the clock forward (or back, with a negative amount). */
  readonly advance: (millis: number) => void
  /** Whether the clock only moves when told to. */
  readonly frozen: boolean
  /**
   * Calls `listener(from, to)` each time `setNow` or `advance` moves the clock (not as wall time
   * passes); answers the function that stops calling it.
   */
  readonly onMove: (listener: (from: number, to: number) => void) => () => void
}

/**
 * Options of {@link make}.
 *
 * @since 0.1.0
 * @category models
 */
export interface ClockOptions {
  /** Start time, epoch milliseconds or an ISO date-time; wall time by default. */
  readonly start?: number | string | undefined
  /** Do not tick with wall time (the default when `start` is given). */
  readonly frozen?: boolean | undefined
}

/**
 * Makes a clock. `wallClock` is the only place wall time is read.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (options: ClockOptions = {}, wallClock: () => number = Date.now): EmulatorClock => {
  const start = options.start === undefined
    ? wallClock()
    : typeof options.start === "number"
    ? options.start
    : Date.parse(options.start)
  if (!Number.isFinite(start)) throw new TypeError(`clock start "${String(options.start)}" is not a date`)
  const frozen = options.frozen ?? options.start !== undefined
  // now = base + (frozen ? 0 : wallClock() - wallAtBase)
  let base = start
  let wallAtBase = wallClock()
  const now = () => (frozen ? base : base + (wallClock() - wallAtBase))
  const listeners = new Set<(from: number, to: number) => void>()
  const moveTo = (to: number) => {
    const from = now()
    base = to
    wallAtBase = wallClock()
    for (const listener of [...listeners]) listener(from, to)
  }
  return {
    now,
    setNow: moveTo,
    advance: (millis) => moveTo(now() + millis),
    frozen,
    onMove: (listener) => {
      listeners.add(listener)
      return () => {
        listeners.delete(listener)
      }
    }
  }
}
