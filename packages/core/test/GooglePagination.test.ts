// Page streams: the next page is fetched while the current one is consumed, never more than one
// ahead; a stream that ends early interrupts the page in flight; `prefetch: false` fetches on demand.
import { describe, expect, it } from "@effect/vitest"
import { Chunk, Deferred, Effect, Option, Stream } from "effect"
import { GooglePagination } from "@fitbit-effect/core"

/** Pages "", "p1", "p2" of two items each; every fetch is recorded and announced. */
const pages = Effect.gen(function*() {
  const fetched: Array<string | undefined> = []
  const started = new Map<string | undefined, Deferred.Deferred<void>>()
  for (const token of [undefined, "p1", "p2"]) started.set(token, yield* Deferred.make<void>())
  const fetch = (token: string | undefined) =>
    Effect.gen(function*() {
      fetched.push(token)
      yield* Deferred.succeed(started.get(token)!, undefined)
      const n = token === undefined ? 0 : Number(token.slice(1))
      return { items: [`${n}a`, `${n}b`], nextPageToken: n < 2 ? `p${n + 1}` : undefined }
    })
  return { fetch, fetched, started }
})

describe("Pagination.stream", () => {
  it.effect("a 10,000-item page folds without overflowing the stack (chunks of at most 1,024)", () =>
    Effect.gen(function*() {
      const items = Array.from({ length: 10_000 }, (_, i) => i)
      const fetch = (token: string | undefined) => Effect.succeed(token === undefined ? { items, nextPageToken: "2" } : { items })
      const sum = yield* Stream.runFold(GooglePagination.stream(fetch), 0, (n, i) => n + i)
      expect(sum).toBe(2 * items.reduce((a, b) => a + b, 0))
      const sizes = yield* Stream.runCollect(Stream.chunks(GooglePagination.stream(fetch))).pipe(Effect.map(Chunk.map(Chunk.size)))
      expect(Math.max(...sizes)).toBe(GooglePagination.MAX_CHUNK)
    }))

  it.scoped("prefetches exactly one page while the current one is consumed", () =>
    Effect.gen(function*() {
      const { fetch, fetched, started } = yield* pages
      const pull = yield* Stream.toPull(GooglePagination.stream(fetch))
      const first = yield* pull
      expect(Chunk.toReadonlyArray(first)).toEqual(["0a", "0b"])
      yield* Deferred.await(started.get("p1")!)
      expect(fetched).toEqual([undefined, "p1"])
      const second = yield* pull
      expect(Chunk.toReadonlyArray(second)).toEqual(["1a", "1b"])
      yield* Deferred.await(started.get("p2")!)
      expect(fetched).toEqual([undefined, "p1", "p2"])
      expect(Chunk.toReadonlyArray(yield* pull)).toEqual(["2a", "2b"])
      expect(yield* Effect.flip(pull)).toEqual(Option.none())
    }))

  it.effect("a stream that stops early interrupts the page in flight", () =>
    Effect.gen(function*() {
      const interrupted = yield* Deferred.make<void>()
      const fetch = (token: string | undefined) =>
        token === undefined
          ? Effect.succeed({ items: [1, 2], nextPageToken: "next" })
          : Effect.never.pipe(Effect.onInterrupt(() => Deferred.succeed(interrupted, undefined)))
      const taken = yield* Stream.runCollect(Stream.take(GooglePagination.stream(fetch), 2))
      expect(Chunk.toReadonlyArray(taken)).toEqual([1, 2])
      yield* Deferred.await(interrupted)
    }))

  it.effect("prefetch: false fetches a page only when the previous one is consumed; a repeated token fails", () =>
    Effect.gen(function*() {
      const { fetch, fetched } = yield* pages
      const two = yield* Stream.runCollect(Stream.take(GooglePagination.stream(fetch, { prefetch: false }), 2))
      expect(Chunk.size(two)).toBe(2)
      expect(fetched).toEqual([undefined])
      for (const prefetch of [false, true]) {
        const looping = GooglePagination.stream(() => Effect.succeed({ items: [1], nextPageToken: "same" }), { url: "users/me/x", prefetch })
        const error = yield* Effect.flip(Stream.runDrain(looping))
        expect(error._tag).toBe("DecodeError")
      }
    }))
})
