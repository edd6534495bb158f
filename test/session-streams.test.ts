// Issue 30, part 1: streams that keep their session. A stream run for a stored user takes the
// user's token for each page; a token that expires in the middle of a 20-page stream is refreshed
// once and the stream goes on from the page it was on: every point once, no page read twice but the
// refused one. The same for the Fitbit log lists.
import { FitbitResources, FitbitSession, GoogleDataPoints, GoogleHealthSession, OAuth, TokenStore } from "@fitbit-effect/core"
import { Emulator, Google } from "@fitbit-effect/emulator"
import { NodeFitbit, NodeGoogleHealth } from "@fitbit-effect/node"
import { layer } from "@effect/vitest"
import { Effect, Either, Layer, Stream } from "effect"
import { expect } from "vitest"

const DAY = { start: "2026-11-20", end: "2026-11-21" }

layer(Emulator.layer({ seed: "session-streams", clock: { start: "2026-11-25T08:00:00Z" } }), { excludeTestServices: true })((it) => {
  /** A session over the emulator holding a fresh grant for the default user; answers the session and the user's key. */
  const googleSession = Effect.gen(function*() {
    const emulator = yield* Emulator.EmulatorService
    const services = Layer.merge(NodeGoogleHealth.layer({ ...emulator.defaultApp, baseUrl: emulator.baseUrl }), TokenStore.layerMemory)
    const context = yield* Layer.build(services)
    // A refused refresh token is final at once (no other refresher to wait for here).
    const session = yield* GoogleHealthSession.make({ refusalGrace: "1 millis" }).pipe(Effect.provide(context))
    const minted = Google.grantTokens(emulator.state)
    const tokens = Either.getOrThrow(OAuth.tokenSetFromWire({ access_token: minted.accessToken, refresh_token: minted.refreshToken, expires_in: 3600 }, Date.now()))
    yield* session.session.save("user-1", tokens)
    return { emulator, session, context, token: minted.accessToken }
  })

  it.scoped("Google: the token expires after page 7 of 20; the stream goes on from page 8, every point once, one refresh", () =>
    Effect.gen(function*() {
      const { context, emulator, session, token } = yield* googleSession
      const filter = GoogleDataPoints.filters.range("heart-rate", DAY.start, DAY.end)
      const all = yield* GoogleDataPoints.list(token, "heart-rate", { filter, pageSize: 10_000 }).pipe(Effect.provide(context))
      const pageSize = Math.ceil(all.dataPoints.length / 20)
      expect(Math.ceil(all.dataPoints.length / pageSize)).toBe(20)
      emulator.resetCounters()
      const refreshesBefore = emulator.counters().refreshesByUser[emulator.defaultUser.userId] ?? 0

      let seen = 0
      const names = yield* session.stream("user-1", (accessToken) => GoogleDataPoints.stream(accessToken, "heart-rate", { filter, pageSize })).pipe(
        Stream.tap(() =>
          Effect.sync(() => {
            // The 7th page is being consumed (the 8th may be in flight): from now on Google refuses the token.
            if (++seen === pageSize * 6 + 1) emulator.expireAccessTokens(emulator.defaultUser.userId)
          })),
        Stream.map((point) => JSON.stringify(point)),
        Stream.runCollect,
        Effect.provide(context)
      )
      expect([...names]).toEqual(all.dataPoints.map((p) => JSON.stringify(p)))
      expect(new Set(names).size).toBe(all.dataPoints.length)
      expect((emulator.counters().refreshesByUser[emulator.defaultUser.userId] ?? 0) - refreshesBefore).toBe(1)
      // 20 pages, and one page request more: the one Google refused.
      const listed = Object.entries(emulator.counters().requestsByPath).filter(([path]) => path.includes("/dataTypes/heart-rate/dataPoints")).reduce((n, [, count]) => n + count, 0)
      expect(listed).toBe(21)
    }))

  it.scoped("Google: a refresh that is refused fails the stream with ReauthorizationRequired, after the pages read before it", () =>
    Effect.gen(function*() {
      const { context, emulator, session } = yield* googleSession
      const filter = GoogleDataPoints.filters.range("heart-rate", DAY.start, DAY.end)
      let seen = 0
      const outcome = yield* session.stream("user-1", (accessToken) => GoogleDataPoints.stream(accessToken, "heart-rate", { filter, pageSize: 20 })).pipe(
        Stream.tap(() => Effect.sync(() => {
          if (++seen === 25) emulator.revokeGrant(emulator.defaultUser.userId)
        })),
        Stream.runCollect,
        Effect.either,
        Effect.provide(context)
      )
      expect(Either.isLeft(outcome) && outcome.left._tag).toBe("ReauthorizationRequired")
      // Whole pages read before the refusal (the page after the one being read may have been fetched already).
      expect(seen % 20).toBe(0)
      expect(seen).toBeGreaterThanOrEqual(40)
    }))

  it.scoped("Fitbit: FitbitSession.stream over the sleep log list refreshes mid-way and reads every night once", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.EmulatorService
      const services = Layer.merge(NodeFitbit.layer({ ...emulator.defaultApp, baseUrl: emulator.baseUrl }), TokenStore.layerMemory)
      const context = yield* Layer.build(services)
      const sessions = yield* FitbitSession.make().pipe(Effect.provide(context))
      const minted = emulator.grantTokens()
      yield* sessions.save(Either.getOrThrow(OAuth.tokenSetFromWire({ access_token: minted.accessToken, refresh_token: minted.refreshToken, expires_in: 28_800, user_id: emulator.defaultUser.userId }, Date.now())))
      const params = { afterDate: "2026-10-01", sort: "asc" as const, limit: 5 }
      const reference = yield* Stream.runCollect(FitbitResources.Sleep.streamList(minted.accessToken, params)).pipe(Effect.provide(context))
      expect(reference.length).toBeGreaterThan(15)
      let seen = 0
      const nights = yield* sessions.stream(emulator.defaultUser.userId, (accessToken) => FitbitResources.Sleep.streamList(accessToken, params)).pipe(
        Stream.tap(() => Effect.sync(() => {
          if (++seen === 11) emulator.expireAccessTokens(emulator.defaultUser.userId)
        })),
        Stream.map((night) => night.logId),
        Stream.runCollect,
        Effect.provide(context)
      )
      expect([...nights]).toEqual([...reference].map((night) => night.logId))
    }))
})
