/**
 * Page tokens and page sizes of the emulated `/v4/` list methods: opaque tokens bound to
 * the query they came from, sizes clamped to each method's maximum.
 *
 * @since 0.1.0
 */
import type * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as Effect from "effect/Effect"
import { Buffer } from "node:buffer"
import * as DataGenerator from "../DataGenerator.js"
import { invalid } from "./Answers.js"

type Reply = HttpServerResponse.HttpServerResponse
const pageTokenOf = (offset: number, key: string, afterEmpty = false): string =>
  Buffer.from(JSON.stringify({ o: offset, k: DataGenerator.hash(key), ...(afterEmpty ? { e: 1 } : {}) })).toString("base64url")
const offsetOf = (token: string | undefined, key: string): Effect.Effect<{ readonly offset: number; readonly afterEmpty: boolean }, Reply> => {
  if (token === undefined || token === "") return Effect.succeed({ offset: 0, afterEmpty: false })
  try {
    const parsed = JSON.parse(Buffer.from(token, "base64url").toString("utf8")) as { o?: unknown; k?: unknown; e?: unknown }
    if (typeof parsed.o === "number" && Number.isInteger(parsed.o) && parsed.o >= 0 && parsed.k === DataGenerator.hash(key)) {
      return Effect.succeed({ offset: parsed.o, afterEmpty: parsed.e === 1 })
    }
  } catch {
    // fall through
  }
  return Effect.fail(invalid("Invalid page token."))
}
/**
 * A page size: the default for 0 or absent, clamped to the maximum.
 *
 * @since 0.1.0
 */
export const pageSizeOf = (raw: unknown, defaults: { readonly size: number; readonly max: number }): Effect.Effect<number, Reply> => {
  if (raw === undefined || raw === "" || raw === 0 || raw === "0") return Effect.succeed(defaults.size)
  const n = typeof raw === "number" ? raw : /^\d+$/.test(String(raw)) ? Number(raw) : Number.NaN
  if (!Number.isInteger(n) || n < 0) return Effect.fail(invalid("page_size must be a non-negative integer."))
  return Effect.succeed(Math.min(n, defaults.max))
}
/**
 * One page of items from a page token bound to `key`. With the state's `emptyPages` switch on,
 * every page after the first is preceded by an empty page that still carries a `nextPageToken`,
 * as Google's list methods may answer.
 *
 * @since 0.1.0
 */
export const paginate = <A>(
  items: ReadonlyArray<A>,
  options: {
    readonly token: string | undefined
    readonly size: number
    readonly key: string
    /** The emulator's state, whose `emptyPages` switch is read. */
    readonly state: { readonly emptyPages: boolean }
  }
): Effect.Effect<{ readonly page: ReadonlyArray<A>; readonly nextPageToken?: string }, Reply> =>
  Effect.map(offsetOf(options.token, options.key), ({ afterEmpty, offset }) => {
    if (options.state.emptyPages && offset > 0 && !afterEmpty) return { page: [], nextPageToken: pageTokenOf(offset, options.key, true) }
    const page = items.slice(offset, offset + options.size)
    const next = offset + options.size
    return next < items.length ? { page, nextPageToken: pageTokenOf(next, options.key) } : { page }
  })
