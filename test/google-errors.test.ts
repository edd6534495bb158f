// Google Health's errors and limits as Google documents them, end to end against the emulator and
// in the decoder: quota errors (429 RESOURCE_EXHAUSTED with an ErrorInfo and a RetryInfo), field
// masks (`updateMask` naming a field that cannot be updated), page sizes (negative refused before
// sending, too large coerced to the maximum) and a filter the server refuses, each as its typed error
// with Google's own message (filters that break Google's rules are refused before sending: google-rules.test).
import { describe, expect, it, layer } from "@effect/vitest"
import { GoogleDataPoints, GoogleUsers } from "@fitbit-effect/core"
import * as ErrorDecoder from "../packages/core/src/internal/errorDecoder.js"
import { Emulator, Google } from "@fitbit-effect/emulator"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import { googleClient, withGoogleClient } from "./fixtures/googleClient.js"


const withClient = withGoogleClient

const quotaBody = (delay: string) => ({
  error: {
    code: 429,
    status: "RESOURCE_EXHAUSTED",
    message: "Quota exceeded for quota metric 'Requests' and limit 'Requests per minute' of service 'health.googleapis.com'.",
    details: [
      { "@type": "type.googleapis.com/google.rpc.ErrorInfo", reason: "RATE_LIMIT_EXCEEDED", domain: "googleapis.com" },
      { "@type": "type.googleapis.com/google.rpc.RetryInfo", retryDelay: delay }
    ]
  }
})

describe("decoding Google's quota error", () => {
  it("RetryInfo gives the retry delay when there is no Retry-After; Retry-After wins when both are sent", () => {
    const failure = ErrorDecoder.toApiFailure({ status: 429, method: "GET", url: "https://health.googleapis.com/v4/users/me/profile", body: quotaBody("37s"), headers: {}, now: 0 })
    expect(failure._tag).toBe("RateLimited")
    expect(failure._tag === "RateLimited" && failure.retryAfterSeconds).toBe(37)
    expect(failure.errors[0]).toMatchObject({ errorType: "RATE_LIMIT_EXCEEDED" })
    expect(failure.message).toContain("Quota exceeded for quota metric")
    expect(Option.getOrThrow(ErrorDecoder.retryInfoSeconds(quotaBody("1.2s")))).toBe(2)
    expect(Option.isNone(ErrorDecoder.retryInfoSeconds(quotaBody("soon")))).toBe(true)
    expect(Option.isNone(ErrorDecoder.retryInfoSeconds({ error: { code: 429 } }))).toBe(true)
    const both = ErrorDecoder.toApiFailure({ status: 429, method: "GET", url: "u", body: quotaBody("37s"), headers: { "retry-after": "5" }, now: 0 })
    expect(both._tag === "RateLimited" && both.retryAfterSeconds).toBe(5)
  })

  it("with neither RetryInfo nor Retry-After (Google's recorded body: ErrorInfo and QuotaFailure), the window the message names: to its next boundary", () => {
    const recorded = {
      error: {
        code: 429,
        status: "RESOURCE_EXHAUSTED",
        message: "Quota exceeded for quota metric 'Queries' and limit 'Queries per minute per user' of service 'health.googleapis.com' for consumer 'project_number:123'.",
        details: [
          { "@type": "type.googleapis.com/google.rpc.ErrorInfo", reason: "RATE_LIMIT_EXCEEDED", domain: "googleapis.com" },
          { "@type": "type.googleapis.com/google.rpc.QuotaFailure", violations: [{ subject: "project_number:123" }] }
        ]
      }
    }
    // 12:00:45 → 15 s to the next minute.
    const now = Date.parse("2026-11-25T12:00:45Z")
    const failure = ErrorDecoder.toApiFailure({ status: 429, method: "GET", url: "u", body: recorded, headers: {}, now })
    expect(failure._tag === "RateLimited" && failure.retryAfterSeconds).toBe(15)
    expect(Option.getOrThrow(ErrorDecoder.quotaWindowSeconds(recorded, Date.parse("2026-11-25T12:00:00Z")))).toBe(60)
    const perDay = { error: { code: 429, message: "Quota exceeded for quota metric 'Requests' and limit 'Requests per day'." } }
    // A day's window is 6 h away at 18:00, but no answer makes a user wait more than RateLimit.MAX_WAIT_SECONDS (1 h).
    expect(Option.getOrThrow(ErrorDecoder.quotaWindowSeconds(perDay, Date.parse("2026-11-25T18:00:00Z")))).toBe(3600)
    expect(Option.getOrThrow(ErrorDecoder.quotaWindowSeconds(perDay, Date.parse("2026-11-25T23:30:00Z")))).toBe(1800)
    expect(Option.isNone(ErrorDecoder.quotaWindowSeconds({ error: { code: 429, message: "Too many requests." } }, now))).toBe(true)
  })
})

layer(Emulator.layer({ clock: { start: "2026-11-25T12:00:00Z" } }), { excludeTestServices: true })("Google's errors and limits", (it) => {
  it.effect("a spent per-user quota is Google's 429 (ErrorInfo and QuotaFailure, no wait given); RateLimited waits to the minute's end", () =>
    Effect.gen(function*() {
      const emu = yield* Emulator.EmulatorService
      const { accessToken } = Google.grantTokens(emu.state, {})
      emu.setGoogleQuota({ perUserPerMinute: 2 })
      try {
        // Our own quota counting off, to see the server's answer.
        const noCounting = Effect.provide(googleClient(emu, { maxRetries: 0 }, "v4", false))
        yield* noCounting(GoogleUsers.getProfile(accessToken))
        yield* noCounting(GoogleUsers.getProfile(accessToken))
        const raw = yield* Effect.promise(async () => {
          const r = await fetch(`${emu.baseUrl}/v4/users/me/profile`, { headers: { authorization: `Bearer ${accessToken}` } })
          return { status: r.status, retryAfter: r.headers.get("retry-after"), body: (await r.json()) as ReturnType<typeof quotaBody> }
        })
        expect(raw.status).toBe(429)
        expect(raw.retryAfter).toBeNull()
        expect(raw.body.error.status).toBe("RESOURCE_EXHAUSTED")
        expect(raw.body.error.message).toContain("per minute per user")
        const types = raw.body.error.details.map((d) => d["@type"])
        expect(types).toEqual(["type.googleapis.com/google.rpc.ErrorInfo", "type.googleapis.com/google.rpc.QuotaFailure"])
        const limited = yield* Effect.flip(noCounting(GoogleUsers.getProfile(accessToken)))
        expect(limited._tag).toBe("RateLimited")
        // The emulator's clock stands at 12:00:00: the window named in the message ends in a minute.
        expect(limited._tag === "RateLimited" && limited.retryAfterSeconds).toBeGreaterThan(0)
        expect(limited._tag === "RateLimited" && limited.retryAfterSeconds).toBeLessThanOrEqual(60)
      } finally {
        emu.setGoogleQuota({ perUserPerMinute: 300 })
        emu.advance(60_000)
      }
    }))

  it.effect("an updateMask naming a field that cannot be updated is ValidationFailed with Google's message", () =>
    withClient(Effect.gen(function*() {
      const emu = yield* Emulator.EmulatorService
      const { accessToken } = Google.grantTokens(emu.state, {})
      const profile = yield* Effect.flip(GoogleUsers.updateProfile(accessToken, { age: 30 }, { updateMask: "age" }))
      expect(profile._tag).toBe("ValidationFailed")
      expect(profile._tag === "ValidationFailed" && profile.errors[0]!.message).toBe("Field age cannot be updated.")
      const unknown = yield* Effect.flip(GoogleUsers.updateSettings(accessToken, { distanceUnit: "MILES" }, { updateMask: "distance_unit,shoe_size" }))
      expect(unknown._tag === "ValidationFailed" && unknown.errors[0]!.message).toBe("Field shoeSize cannot be updated.")
      // The mask decides: a field in the body but not in the mask is left alone.
      const before = yield* GoogleUsers.getSettings(accessToken)
      const after = yield* GoogleUsers.updateSettings(accessToken, { distanceUnit: "MILES", weightUnit: "STONES" }, { updateMask: "distance_unit" })
      expect(after.distanceUnit).toBe("MILES")
      expect(after.weightUnit).toBe(before.weightUnit)
    })))

  it.effect("page sizes: a negative one fails before sending; one above the maximum is coerced to it", () =>
    withClient(Effect.gen(function*() {
      const emu = yield* Emulator.EmulatorService
      const { accessToken } = Google.grantTokens(emu.state, {})
      const before = emu.counters().requests
      const negative = yield* Effect.flip(GoogleDataPoints.list(accessToken, "steps", { pageSize: -1 }))
      expect(negative).toMatchObject({ _tag: "InvalidInput", field: "pageSize" })
      expect(emu.counters().requests).toBe(before)
      // Five-minute heart-rate samples: 288 a day, so 55 days hold more than one full page.
      const filter = GoogleDataPoints.filters.sampleCivil("heart-rate", "2026-10-01", "2026-11-25")
      const page = yield* GoogleDataPoints.list(accessToken, "heart-rate", { filter, pageSize: 50_000 })
      expect(page.dataPoints).toHaveLength(10_000)
      expect(page.nextPageToken).toBeDefined()
      const sessions = yield* GoogleDataPoints.list(accessToken, "exercise", {
        filter: GoogleDataPoints.filters.sessionCivil("exercise", "2026-09-01", "2026-11-25"),
        pageSize: 500
      })
      expect(sessions.dataPoints.length).toBeLessThanOrEqual(25)
    })))

  it.effect("a filter the server cannot take is ValidationFailed with Google's message", () =>
    withClient(Effect.gen(function*() {
      const emu = yield* Emulator.EmulatorService
      const { accessToken } = Google.grantTokens(emu.state, {})
      // Well-formed and within the rules, but a range longer than the server serves.
      const tooLong = yield* Effect.flip(GoogleDataPoints.list(accessToken, "steps", { filter: GoogleDataPoints.filters.intervalCivil("steps", "2024-01-01", "2026-11-25") }))
      expect(tooLong._tag === "ValidationFailed" && tooLong.errors[0]!.message).toContain("longer than")
    })))
})
