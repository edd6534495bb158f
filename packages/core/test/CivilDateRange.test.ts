// Closed-open civil date ranges in a zone: the last n days, this week, a month; their list filters
// and their physical instants; daylight-saving edges, week starts, bad input; and forUser, which
// reads the zone from the user's settings and the instant from Effect's Clock.
import { describe, expect, it } from "@effect/vitest"
import { DateTime, Effect, Either, Layer, TestClock } from "effect"
import { CivilDateRange, GoogleHealthConfig, GoogleHealthHttp, RetryPolicy } from "@fitbit-effect/core"
import { MockHttpClient } from "@fitbit-effect/core/testing"

const at = (iso: string) => Date.parse(iso)
const right = <A, E>(either: Either.Either<A, E>): A => Either.getOrThrowWith(either, (e) => new Error(String(e)))
const left = <A, E>(either: Either.Either<A, E>): E => Either.getOrThrowWith(Either.flip(either), () => new Error("expected a failure"))

describe("lastDays", () => {
  it("the n days up to and including today in the zone, end excluded", () => {
    // 2026-11-25T02:00Z is still the 24th in New York and already the 25th in Berlin.
    const now = at("2026-11-25T02:00:00Z")
    expect(right(CivilDateRange.lastDays(7, { timeZone: "America/New_York", now }))).toEqual({ start: "2026-11-18", end: "2026-11-25" })
    expect(right(CivilDateRange.lastDays(7, { timeZone: "Europe/Berlin", now }))).toEqual({ start: "2026-11-19", end: "2026-11-26" })
    expect(right(CivilDateRange.lastDays(1, { timeZone: "UTC", now }))).toEqual({ start: "2026-11-25", end: "2026-11-26" })
    expect(right(CivilDateRange.lastDays(3, { timeZone: "+14:00", now: new Date(now) }))).toEqual({ start: "2026-11-23", end: "2026-11-26" })
    // Across a month and a leap day.
    expect(right(CivilDateRange.lastDays(3, { timeZone: "UTC", now: at("2028-03-01T12:00:00Z") }))).toEqual({ start: "2028-02-28", end: "2028-03-02" })
  })

  it("daylight-saving edges: the date is the zone's, either side of the change", () => {
    // New York springs forward at 2026-03-08 07:00Z (02:00 EST → 03:00 EDT).
    const ny = { timeZone: "America/New_York" }
    expect(right(CivilDateRange.lastDays(1, { ...ny, now: at("2026-03-08T04:59:59Z") }))).toEqual({ start: "2026-03-07", end: "2026-03-08" })
    expect(right(CivilDateRange.lastDays(1, { ...ny, now: at("2026-03-08T05:00:00Z") }))).toEqual({ start: "2026-03-08", end: "2026-03-09" })
    // After the change midnight is 04:00Z: 03:59Z on the 9th is still the 8th.
    expect(right(CivilDateRange.lastDays(1, { ...ny, now: at("2026-03-09T03:59:59Z") }))).toEqual({ start: "2026-03-08", end: "2026-03-09" })
    expect(right(CivilDateRange.lastDays(1, { ...ny, now: at("2026-03-09T04:00:00Z") }))).toEqual({ start: "2026-03-09", end: "2026-03-10" })
    // Falls back at 2026-11-01 06:00Z: the repeated hour is one date.
    expect(right(CivilDateRange.lastDays(2, { ...ny, now: at("2026-11-01T05:30:00Z") }))).toEqual({ start: "2026-10-31", end: "2026-11-02" })
    expect(right(CivilDateRange.lastDays(2, { ...ny, now: at("2026-11-01T06:30:00Z") }))).toEqual({ start: "2026-10-31", end: "2026-11-02" })
    // Samoa skipped 2011-12-30 altogether: the 31st follows the 29th, the civil range still counts dates.
    expect(right(CivilDateRange.lastDays(1, { timeZone: "Pacific/Apia", now: at("2011-12-30T10:30:00Z") }))).toEqual({ start: "2011-12-31", end: "2012-01-01" })
  })

  it("bad input is a typed error naming the field", () => {
    const now = at("2026-11-25T12:00:00Z")
    for (const n of [0, -3, 1.5, Number.NaN]) {
      expect(left(CivilDateRange.lastDays(n, { timeZone: "UTC", now }))).toMatchObject({ _tag: "InvalidInput", field: "n" })
    }
    expect(left(CivilDateRange.lastDays(7, { timeZone: "Mars/Olympus_Mons", now }))).toMatchObject({ _tag: "InvalidInput", field: "timeZone" })
    expect(left(CivilDateRange.lastDays(7, { timeZone: "UTC", now: Number.NaN }))).toMatchObject({ _tag: "InvalidInput", field: "now" })
    expect(left(CivilDateRange.lastDays(10_000_000, { timeZone: "UTC", now }))).toMatchObject({ _tag: "InvalidInput", field: "n" })
  })
})

describe("thisWeek", () => {
  // 2026-11-25 is a Wednesday.
  const now = at("2026-11-25T12:00:00Z")

  it("starts on Monday by default, on the day asked otherwise; today's own start day starts the week", () => {
    expect(right(CivilDateRange.thisWeek({ timeZone: "UTC", now }))).toEqual({ start: "2026-11-23", end: "2026-11-30" })
    expect(right(CivilDateRange.thisWeek({ timeZone: "UTC", now, weekStartsOn: 0 }))).toEqual({ start: "2026-11-22", end: "2026-11-29" })
    expect(right(CivilDateRange.thisWeek({ timeZone: "UTC", now, weekStartsOn: 3 }))).toEqual({ start: "2026-11-25", end: "2026-12-02" })
    expect(right(CivilDateRange.thisWeek({ timeZone: "UTC", now, weekStartsOn: 4 }))).toEqual({ start: "2026-11-19", end: "2026-11-26" })
    expect(right(CivilDateRange.thisWeek({ timeZone: "UTC", now, weekStartsOn: 6 }))).toEqual({ start: "2026-11-21", end: "2026-11-28" })
  })

  it("the weekday is the zone's: Sunday night in Los Angeles is Monday in UTC", () => {
    const sundayNight = at("2026-11-30T05:00:00Z") // Sunday 21:00 in Los Angeles
    expect(right(CivilDateRange.thisWeek({ timeZone: "America/Los_Angeles", now: sundayNight }))).toEqual({ start: "2026-11-23", end: "2026-11-30" })
    expect(right(CivilDateRange.thisWeek({ timeZone: "UTC", now: sundayNight }))).toEqual({ start: "2026-11-30", end: "2026-12-07" })
    // The week holding Europe's spring change (Sunday 2026-03-29) is still seven dates.
    expect(right(CivilDateRange.thisWeek({ timeZone: "Europe/Berlin", now: at("2026-03-29T12:00:00Z") }))).toEqual({ start: "2026-03-23", end: "2026-03-30" })
  })

  it("a bad week start is a typed error", () => {
    for (const weekStartsOn of [7, -1, 1.5]) {
      expect(left(CivilDateRange.thisWeek({ timeZone: "UTC", now, weekStartsOn: weekStartsOn as CivilDateRange.Weekday }))).toMatchObject({
        _tag: "InvalidInput",
        field: "weekStartsOn"
      })
    }
  })
})

describe("month and thisMonth", () => {
  it("a calendar month, December into January, February of a leap year", () => {
    expect(right(CivilDateRange.month(2026, 2))).toEqual({ start: "2026-02-01", end: "2026-03-01" })
    expect(right(CivilDateRange.month(2026, 12))).toEqual({ start: "2026-12-01", end: "2027-01-01" })
    expect(right(CivilDateRange.month(2028, 2))).toEqual({ start: "2028-02-01", end: "2028-03-01" })
    expect(right(CivilDateRange.thisMonth({ timeZone: "Pacific/Auckland", now: at("2026-11-30T12:00:00Z") }))).toEqual({ start: "2026-12-01", end: "2027-01-01" })
    expect(right(CivilDateRange.thisMonth({ timeZone: "America/New_York", now: at("2026-12-01T03:00:00Z") }))).toEqual({ start: "2026-11-01", end: "2026-12-01" })
  })

  it("a bad month or year is a typed error", () => {
    expect(left(CivilDateRange.month(2026, 13))).toMatchObject({ _tag: "InvalidInput", field: "month" })
    expect(left(CivilDateRange.month(2026, 0))).toMatchObject({ _tag: "InvalidInput", field: "month" })
    expect(left(CivilDateRange.month(2026, 2.5))).toMatchObject({ _tag: "InvalidInput", field: "month" })
    expect(left(CivilDateRange.month(10_000, 1))).toMatchObject({ _tag: "InvalidInput", field: "year" })
    expect(left(CivilDateRange.thisMonth({ timeZone: "", now: 0 }))).toMatchObject({ _tag: "InvalidInput", field: "timeZone" })
  })
})

describe("as filters and instants", () => {
  const week = { start: "2026-11-18", end: "2026-11-25" }

  it("the list filter on the field Google's rules give each type", () => {
    expect(right(CivilDateRange.filter("steps", week))).toBe(
      `steps.interval.civil_start_time >= "2026-11-18" AND steps.interval.civil_start_time < "2026-11-25"`
    )
    expect(right(CivilDateRange.filter("heart-rate", week))).toContain("heart_rate.sample_time.civil_time >= \"2026-11-18\"")
    expect(right(CivilDateRange.filter("daily-resting-heart-rate", week))).toContain("daily_resting_heart_rate.date < \"2026-11-25\"")
    expect(right(CivilDateRange.filter("sleep", week))).toContain("sleep.interval.civil_end_time >= \"2026-11-18\"")
    expect(left(CivilDateRange.filter("food", week))).toMatchObject({ _tag: "InvalidInput", field: "dataType" })
    expect(left(CivilDateRange.filter("steps", { start: "18/11/2026", end: "2026-11-25" }))).toMatchObject({ field: "range" })
  })

  it("the zone's midnights as instants; the day of a daylight-saving change keeps its true length", () => {
    expect(right(CivilDateRange.physical(week, "Europe/Berlin"))).toEqual({ startTime: "2026-11-17T23:00:00Z", endTime: "2026-11-24T23:00:00Z" })
    const springDay = right(CivilDateRange.physical({ start: "2026-03-08", end: "2026-03-09" }, "America/New_York"))
    expect(springDay).toEqual({ startTime: "2026-03-08T05:00:00Z", endTime: "2026-03-09T04:00:00Z" })
    const fallDay = right(CivilDateRange.physical({ start: "2026-11-01", end: "2026-11-02" }, "America/New_York"))
    expect((Date.parse(fallDay.endTime) - Date.parse(fallDay.startTime)) / 3_600_000).toBe(25)
    // Santiago skips midnight when it springs forward (2026-09-06): the day starts at 01:00.
    expect(right(CivilDateRange.physical({ start: "2026-09-06", end: "2026-09-07" }, "America/Santiago")).startTime).toBe("2026-09-06T04:00:00Z")
    expect(left(CivilDateRange.physical(week, "Nowhere/Town"))).toMatchObject({ field: "timeZone" })
  })
})

describe("forUser", () => {
  const setup = (settings: Record<string, unknown>) => {
    const mock = MockHttpClient.make(() => ({ status: 200, body: settings }))
    const layer = GoogleHealthHttp.layer.pipe(
      Layer.provideMerge(GoogleHealthConfig.layer({ clientId: "123-abc.apps.googleusercontent.com" })),
      Layer.provideMerge(mock.layer),
      Layer.provideMerge(RetryPolicy.layer({ maxRetries: 0 }))
    )
    return { mock, layer }
  }

  it.effect("reads the zone from the user's settings and the instant from the Clock", () => {
    const { layer, mock } = setup({ name: "users/me/settings", timeZone: "America/New_York" })
    return Effect.gen(function*() {
      yield* TestClock.setTime(at("2026-11-25T02:00:00Z")) // the 24th in New York
      expect(yield* CivilDateRange.forUser("ya29.token-for-range-tests", { lastDays: 7 })).toEqual({ start: "2026-11-18", end: "2026-11-25" })
      expect(yield* CivilDateRange.forUser("ya29.token-for-range-tests", "thisWeek")).toEqual({ start: "2026-11-23", end: "2026-11-30" })
      expect(yield* CivilDateRange.forUser("ya29.token-for-range-tests", { thisWeek: { weekStartsOn: 0 } })).toEqual({ start: "2026-11-22", end: "2026-11-29" })
      expect(yield* CivilDateRange.forUser("ya29.token-for-range-tests", "thisMonth")).toEqual({ start: "2026-11-01", end: "2026-12-01" })
      expect(mock.requests[0]!.url).toBe("https://health.googleapis.com/v4/users/me/settings")
      const bad = yield* Effect.flip(CivilDateRange.forUser("ya29.token-for-range-tests", { lastDays: 0 }))
      expect(bad).toMatchObject({ _tag: "InvalidInput", field: "n" })
      expect(DateTime.toEpochMillis(yield* DateTime.now)).toBe(at("2026-11-25T02:00:00Z"))
    }).pipe(Effect.provide(layer))
  })

  it.effect("settings without a zone: a typed error saying what to do", () => {
    const { layer } = setup({ name: "users/me/settings" })
    return Effect.gen(function*() {
      const error = yield* Effect.flip(CivilDateRange.forUser("ya29.token-for-range-tests", { lastDays: 7 }))
      expect(error).toMatchObject({ _tag: "InvalidInput", field: "timeZone" })
      expect(error.message).toContain("pass timeZone")
    }).pipe(Effect.provide(layer))
  })

describe("out of range and impossible input", () => {
  it("a count of days beyond the calendar is InvalidInput, not a thrown RangeError", () => {
    for (const n of [Number.MAX_SAFE_INTEGER, 1e9, 3_652_060]) {
      const result = CivilDateRange.lastDays(n, { timeZone: "UTC", now: Date.UTC(2026, 11, 7) })
      expect(Either.isLeft(result) && result.left).toMatchObject({ _tag: "InvalidInput", field: "n" })
    }
    expect(Either.isRight(CivilDateRange.lastDays(3650, { timeZone: "UTC", now: Date.UTC(2026, 11, 7) }))).toBe(true)
  })

  it("filter and physical refuse dates that do not exist (Feb 31, month 13, Feb 29 of a common year)", () => {
    for (const start of ["2026-02-31", "2026-13-01", "2026-02-29", "2026-00-10"]) {
      const range = { start, end: "2026-03-05" }
      const filtered = CivilDateRange.filter("steps", range)
      expect(Either.isLeft(filtered) && filtered.left).toMatchObject({ _tag: "InvalidInput", field: "range" })
      const physical = CivilDateRange.physical(range, "UTC")
      expect(Either.isLeft(physical) && physical.left).toMatchObject({ _tag: "InvalidInput", field: "range" })
    }
    expect(Either.isRight(CivilDateRange.filter("steps", { start: "2028-02-29", end: "2028-03-01" }))).toBe(true)
  })
})
})
