/**
 * Following Google's `nextPageToken` across pages as a `Stream`, with a guard against a
 * server that hands back a token it has already given (which would otherwise never end), and
 * the page-size check the list methods share.
 *
 * @since 0.1.0
 */
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
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
 * Streams every item of every page, fetching a page only when the previous one is consumed.
 * `fetch` gets the page token (`undefined` for the first page).
 *
 * @since 0.1.0
 * @category endpoints
 */
export const stream = <A, E, R>(
  fetch: (pageToken: string | undefined) => Effect.Effect<Page<A>, E, R>,
  describe: { readonly url: string } = { url: "" }
): Stream.Stream<A, E | Errors.DecodeError, R> =>
  Stream.suspend(() => {
    const seen = new Set<string>()
    return Stream.paginateChunkEffect<string | undefined, A, E | Errors.DecodeError, R>(
      undefined,
      (pageToken) =>
        Effect.flatMap(fetch(pageToken), (page) => {
          const next = page.nextPageToken
          if (next === undefined || next === "") {
            return Effect.succeed([Chunk.fromIterable(page.items), Option.none()] as const)
          }
          if (seen.has(next)) {
            return Effect.fail(
              new Errors.DecodeError({
                status: 200,
                method: "GET",
                url: describe.url,
                reason: "the server returned a page token it had already returned; stopping instead of looping"
              })
            )
          }
          seen.add(next)
          return Effect.succeed([Chunk.fromIterable(page.items), Option.some<string | undefined>(next)] as const)
        })
    )
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
