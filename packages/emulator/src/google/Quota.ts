/**
 * Google's published Health API quotas as the emulator enforces them: requests a minute per user
 * (300 by default) and per project, i.e. per OAuth client (120,000 by default), in windows aligned
 * to the minute, and the 429 Google answers over either: `RESOURCE_EXHAUSTED` with an `ErrorInfo`
 * (`RATE_LIMIT_EXCEEDED`) and a `QuotaFailure`, no `RetryInfo` and no `Retry-After`: the window is
 * named only in the message ("… per minute …").
 *
 * @since 0.1.0
 */
import type * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import { googleError } from "./Answers.js"

const MINUTE = 60_000

/**
 * The limits, in requests a minute.
 *
 * @since 0.1.0
 * @category models
 */
export interface Limits {
  readonly perUserPerMinute: number
  readonly perProjectPerMinute: number
}

/**
 * Google's defaults.
 *
 * @since 0.1.0
 * @category constants
 */
export const DEFAULTS: Limits = { perUserPerMinute: 300, perProjectPerMinute: 120_000 }

/**
 * The quota counters of one emulator.
 *
 * @since 0.1.0
 * @category models
 */
export interface GoogleQuota {
  /** Counts a request of a client for a user: `undefined` when allowed, else the quota it exceeds. */
  readonly take: (clientId: string, userId: string) => "user" | "project" | undefined
  /** Sets either limit (and starts the counts afresh). */
  readonly setLimits: (limits: Partial<Limits>) => void
  readonly limits: () => Limits
}

const check = (name: string, value: unknown): number => {
  if (!(typeof value === "number" && Number.isInteger(value) && value >= 0)) throw new TypeError(`${name} must be a whole number >= 0`)
  return value
}

/**
 * Makes the counters.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (options: { readonly now: () => number; readonly limits?: Partial<Limits> | undefined }): GoogleQuota => {
  let limits: Limits = { ...DEFAULTS }
  const counts = new Map<string, { window: number; used: number }>()
  const setLimits = (given: Partial<Limits>) => {
    limits = {
      perUserPerMinute: given.perUserPerMinute === undefined ? limits.perUserPerMinute : check("perUserPerMinute", given.perUserPerMinute),
      perProjectPerMinute: given.perProjectPerMinute === undefined
        ? limits.perProjectPerMinute
        : check("perProjectPerMinute", given.perProjectPerMinute)
    }
    counts.clear()
  }
  if (options.limits !== undefined) setLimits(options.limits)
  const used = (key: string, window: number) => {
    let entry = counts.get(key)
    if (entry === undefined || entry.window !== window) {
      entry = { window, used: 0 }
      counts.set(key, entry)
    }
    return entry
  }
  return {
    take: (clientId, userId) => {
      const window = Math.floor(options.now() / MINUTE)
      const project = used(`project:${clientId}`, window)
      const user = used(`user:${clientId}:${userId}`, window)
      if (project.used >= limits.perProjectPerMinute) return "project"
      if (user.used >= limits.perUserPerMinute) return "user"
      project.used++
      user.used++
      return undefined
    },
    setLimits,
    limits: () => limits
  }
}

/**
 * Google's 429 for a spent quota (the shape of a recorded answer).
 *
 * @since 0.1.0
 * @category responses
 */
export const exhausted = (which: "user" | "project", limits: Limits, clientId: string): HttpServerResponse.HttpServerResponse => {
  const limitName = which === "user" ? "Queries per minute per user" : "Queries per minute"
  const quotaLimit = which === "user" ? "QueriesPerMinutePerUser" : "QueriesPerMinutePerProject"
  const value = which === "user" ? limits.perUserPerMinute : limits.perProjectPerMinute
  const consumer = `projects/${clientId.split("-")[0] ?? clientId}`
  return googleError(
    429,
    "RESOURCE_EXHAUSTED",
    `Quota exceeded for quota metric 'Queries' and limit '${limitName}' of service 'health.googleapis.com' for consumer '${consumer}'.`,
    {
      reason: "RATE_LIMIT_EXCEEDED",
      metadata: {
        service: "health.googleapis.com",
        consumer,
        quota_metric: "health.googleapis.com/queries",
        quota_limit: quotaLimit,
        quota_limit_value: String(value),
        quota_location: "global"
      },
      details: [{
        "@type": "type.googleapis.com/google.rpc.QuotaFailure",
        violations: [{ subject: consumer, description: `Quota exceeded: ${limitName}.` }]
      }]
    }
  )
}
