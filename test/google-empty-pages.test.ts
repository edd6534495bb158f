// Google's list methods (and, since googleapis 188, dailyRollUp) may answer an empty page that still carries a nextPageToken (apps that
// stop there lose data). With the emulator's switch on, every stream still reads every item.
import { GoogleDataPoints } from "@fitbit-effect/core"
import { Emulator, Google } from "@fitbit-effect/emulator"
import { NodeGoogleHealth } from "@fitbit-effect/node"
import { Chunk, Effect, Stream } from "effect"
import { afterAll, beforeAll, describe, expect, it } from "vitest"

let emu: Awaited<ReturnType<typeof Emulator.startEmulator>>

beforeAll(async () => {
  emu = await Emulator.startEmulator({ clock: { start: "2026-11-25T12:00:00Z" } })
})
afterAll(async () => {
  await emu.close()
})

const run = <A, E>(effect: Effect.Effect<A, E, NodeGoogleHealth.Services>) =>
  Effect.runPromise(Effect.scoped(Effect.provide(effect, NodeGoogleHealth.layer({ ...emu.defaultApp, baseUrl: emu.baseUrl }))))

const listRequests = () =>
  Object.entries(emu.counters().requestsByPath).filter(([path]) => path.includes("/dataTypes/steps/dataPoints")).reduce((n, [, c]) => n + c, 0)

describe("streams across empty pages with tokens", () => {
  it("GoogleDataPoints.stream reads the same points with empty pages between the pages, following each token", async () => {
    const { accessToken } = Google.grantTokens(emu.state)
    const filter = GoogleDataPoints.filters.intervalTime("steps", "2026-11-20T00:00:00Z", "2026-11-21T00:00:00Z")
    const read = () =>
      run(Effect.map(Stream.runCollect(GoogleDataPoints.stream(accessToken, "steps", { filter, pageSize: 20 })), Chunk.toReadonlyArray))
    const before = listRequests()
    const plain = await read()
    const plainRequests = listRequests() - before
    expect(plain.length).toBeGreaterThan(40) // three pages or more
    emu.setEmptyPages(true)
    try {
      const withEmpty = await read()
      const emptyRequests = listRequests() - before - plainRequests
      expect(withEmpty).toEqual(plain)
      // One empty page before every page after the first.
      expect(emptyRequests).toBe(2 * plainRequests - 1)
    } finally {
      emu.setEmptyPages(false)
    }
  })

  it("dailyRollUp pages (googleapis 188): one page holds pageSize windows and a token; dailyRollUpStream reads every window, empty pages included", async () => {
    const { accessToken } = Google.grantTokens(emu.state)
    const range = { start: "2026-10-20", end: "2026-11-19" }
    const first = await run(GoogleDataPoints.dailyRollUp(accessToken, "steps", { range, pageSize: 7 }))
    expect(first.rollupDataPoints).toHaveLength(7)
    expect(first.nextPageToken).toBeDefined()
    const all = await run(Effect.map(Stream.runCollect(GoogleDataPoints.dailyRollUpStream(accessToken, "steps", { range, pageSize: 7 })), Chunk.toReadonlyArray))
    const whole = await run(GoogleDataPoints.dailyRollUp(accessToken, "steps", { range }))
    expect(whole.nextPageToken).toBeUndefined()
    expect(all).toHaveLength(30)
    expect(all).toEqual(whole.rollupDataPoints)
    emu.setEmptyPages(true)
    try {
      const throughEmpty = await run(Effect.map(Stream.runCollect(GoogleDataPoints.dailyRollUpStream(accessToken, "steps", { range, pageSize: 7 })), Chunk.toReadonlyArray))
      expect(throughEmpty).toEqual(all)
    } finally {
      emu.setEmptyPages(false)
    }
  })
})
