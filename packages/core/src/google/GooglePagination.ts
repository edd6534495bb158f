/**
 * Following Google's `nextPageToken` across pages as a `Stream`, with a guard against a
 * server that hands back a token it has already given (which would otherwise never end), and
 * the page-size check the list methods share.
 *
 * @since 0.1.0
 */
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as Option from "effect/Option"
import * as Stream from "effect/Stream"
import * as Errors from "../Errors.js"

/**
 * One page: its items and the token of the next page (absent or empty on the last page).
 *
 * @since 0.1.0
 * @category models
 */
export interface Page<A> {
  readonly items: ReadonlyArray<A>
  readonly nextPageToken?: string | undefined
}

/**
 * Options of {@link stream}.
 *
 * @since 0.1.0
 * @category models
 */
export interface StreamOptions {
  /** Names the collection in the error of a repeated token. */
  readonly url?: string | undefined
  /**
   * Fetch the next page while the current one is consumed (default `true`): the network and the
   * decode overlap, and at most two pages are held (the one being consumed and the one in flight).
   * A consumer that stops early may leave one fetched page unread. `false` fetches a page only
   * when the previous one is consumed.
   */
  readonly prefetch?: boolean | undefined
}

/**
 * The most items one chunk of a page stream carries. A 10,000-point page in one chunk overflows
 * the stack of `Stream.runFold` in effect 3 (its sink folds a chunk recursively, an element per
 * frame; see Effect-TS/effect#5229), so pages travel in chunks of this size.
 *
 * @since 0.1.0
 * @category constants
 */
export const MAX_CHUNK = 1024

/** A page stream with every chunk cut to at most {@link MAX_CHUNK} items. */
const bounded = <A, E, R>(self: Stream.Stream<A, E, R>): Stream.Stream<A, E, R> =>
  Stream.flatMap(Stream.chunks(self), (chunk) =>
    chunk.length <= MAX_CHUNK ? Stream.fromChunk(chunk) : Stream.fromChunks(...Chunk.chunksOf(chunk, MAX_CHUNK)))

const repeatedToken = (url: string) =>
  new Errors.DecodeError({
    status: 200,
    method: "GET",
    url,
    reason: "the server returned a page token it had already returned; stopping instead of looping"
  })

/**
 * Streams every item of every page, following `nextPageToken` through empty pages, and failing
 * with a `DecodeError` on a token the server already gave (instead of looping). `fetch` gets the
 * page token (`undefined` for the first page). With `prefetch` (the default) the next page is
 * fetched while the current one is consumed.
 *
 * @since 0.1.0
 * @category endpoints
 */
export const stream = <A, E, R>(
  fetch: (pageToken: string | undefined) => Effect.Effect<Page<A>, E, R>,
  options: StreamOptions = {}
): Stream.Stream<A, E | Errors.DecodeError, R> => {
  const url = options.url ?? ""
  if (options.prefetch === false) return bounded(follow(undefined, fetch, (token) => Effect.succeed(token), url))
  return bounded(Stream.unwrapScoped(Effect.gen(function*() {
    const scope = yield* Effect.scope
    // Each fetch runs in its own fiber in the stream's scope: ending the stream interrupts the one in flight.
    const start = (pageToken: string | undefined) => Effect.forkIn(fetch(pageToken), scope)
    return follow(yield* start(undefined), Fiber.join, start, url)
  })))
}

/**
 * Streams every item of a Google list method, page after page ({@link stream}): `list` answers the
 * page a token names, and `field` names the page's array of items (`dataPoints`, `subscribers`, …).
 *
 * @since 0.1.0
 * @category endpoints
 */
export const streamField = <K extends string, A, E, R>(
  list: (
    pageToken: string | undefined
  ) => Effect.Effect<{ readonly nextPageToken?: string | undefined } & { readonly [key in K]: ReadonlyArray<A> }, E, R>,
  field: K,
  options: StreamOptions = {}
): Stream.Stream<A, E | Errors.DecodeError, R> =>
  stream((pageToken) => Effect.map(list(pageToken), (page) => ({ items: page[field], nextPageToken: page.nextPageToken })), options)

/**
 * The pages from `first` on: `read` answers the page a state stands for, `next` the state of the
 * page a token names (the token itself, or the fiber already fetching it); a repeated token fails.
 */
const follow = <S, A, E, R>(
  first: S,
  read: (state: S) => Effect.Effect<Page<A>, E, R>,
  next: (pageToken: string) => Effect.Effect<S, never, R>,
  url: string
): Stream.Stream<A, E | Errors.DecodeError, R> =>
  Stream.suspend(() => {
    const seen = new Set<string>()
    return Stream.paginateChunkEffect<S, A, E | Errors.DecodeError, R>(first, (state) =>
      Effect.flatMap(read(state), (page) => {
        const items = Chunk.fromIterable(page.items)
        const token = page.nextPageToken
        if (token === undefined || token === "") return Effect.succeed([items, Option.none<S>()] as const)
        if (seen.has(token)) return Effect.fail(repeatedToken(url))
        seen.add(token)
        return Effect.map(next(token), (following) => [items, Option.some(following)] as const)
      }))
  })

/**
 * Checks a `pageSize`: absent, or a positive whole number.
 *
 * @since 0.1.0
 * @category validation
 */
export const validatePageSize = (pageSize: number | undefined): Effect.Effect<number | undefined, Errors.InvalidInput> =>
  pageSize === undefined || (Number.isInteger(pageSize) && pageSize > 0)
    ? Effect.succeed(pageSize)
    : Effect.fail(new Errors.InvalidInput({ field: "pageSize", reason: "must be a positive whole number" }))
