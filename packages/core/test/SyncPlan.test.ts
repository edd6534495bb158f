// SyncPlan's arithmetic: how far back a lower-bound-only type is read, how many days a window
// covers at a density, and the filter a window gets per placement.
import { describe, expect, it } from "@effect/vitest"
import { SyncPlan } from "@fitbit-effect/core/sync"

describe("SyncPlan", () => {
  it("fromStart: since, but never further back than a filter may reach from today", () => {
    expect(SyncPlan.fromStart("2026-11-01", "2026-12-08")).toBe("2026-11-01")
    // Five years back is clamped to MAX_WINDOW_DAYS - 2 days before today (the pass reads 2 days ahead).
    expect(SyncPlan.fromStart("2021-12-08", "2026-12-08")).toBe("2025-12-07")
    expect(SyncPlan.daysBetween(SyncPlan.fromStart("2000-01-01", "2026-12-08"), "2026-12-10")).toBe(SyncPlan.MAX_WINDOW_DAYS)
  })

  it("windowDays: the days one page holds at the density seen, between 1 and MAX_WINDOW_DAYS", () => {
    expect(SyncPlan.windowDays("steps", null, 30)).toBe(30)
    expect(SyncPlan.windowDays("steps", null, 5_000)).toBe(SyncPlan.MAX_WINDOW_DAYS)
    // 96 points a day (15-minute steps) in pages of 10,000: 104 whole days.
    expect(SyncPlan.windowDays("steps", 96, 400)).toBe(Math.floor(SyncPlan.pageMax("steps") / 96))
    // Denser than a page a day: one day a window.
    expect(SyncPlan.windowDays("heart-rate", 50_000, 30)).toBe(1)
  })

  it("filterOf: a range for day-shaped types, a lower bound for ECG, none for catalogue types", () => {
    const steps = SyncPlan.filterOf("steps", { start: "2026-11-01", end: "2026-11-08" })
    expect(steps).toContain("2026-11-01")
    expect(steps).toContain("2026-11-08")
    expect(SyncPlan.shapeOf("electrocardiogram")).toBe("from")
    expect(SyncPlan.filterOf("electrocardiogram", { start: "2026-11-01", end: null })).toContain(">=")
  })
})
