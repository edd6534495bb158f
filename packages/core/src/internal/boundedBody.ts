/**
 * A request or response body read whole with a size bound, from a `Stream` or an async iterable
 * (Node's `IncomingMessage`): refused as soon as it passes the bound, the rest left unread.
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import * as Stream from "effect/Stream"

/**
 * A body that passed its bound.
 *
 * @since 0.1.0
 * @category models
 */
export class TooLarge {
  readonly _tag = "TooLarge"
  constructor(readonly limitBytes: number) {}
}

/** The chunks joined into one array. */
const join = (chunks: ReadonlyArray<Uint8Array>, bytes: number): Uint8Array => {
  if (chunks.length === 1) return chunks[0]!
  const joined = new Uint8Array(bytes)
  let at = 0
  for (const chunk of chunks) {
    joined.set(chunk, at)
    at += chunk.byteLength
  }
  return joined
}

/**
 * The whole body of a stream, or {@link TooLarge} as soon as it passes `limit` bytes (the stream is
 * then interrupted, which aborts the exchange behind it).
 *
 * @since 0.1.0
 * @category reading
 */
export const collect = <E, R>(stream: Stream.Stream<Uint8Array, E, R>, limit: number): Effect.Effect<Uint8Array, E | TooLarge, R> =>
  Effect.suspend(() => {
    const chunks: Array<Uint8Array> = []
    let bytes = 0
    return Stream.runForEach(stream, (chunk) => {
      bytes += chunk.byteLength
      if (bytes > limit) return Effect.fail(new TooLarge(limit))
      chunks.push(chunk)
      return Effect.void
    }).pipe(Effect.map(() => join(chunks, bytes)))
  })

/**
 * The whole body of an async iterable of byte chunks (a Node request), or {@link TooLarge} as soon
 * as it passes `limit` bytes (the iteration is then ended, which lets Node drop the rest).
 *
 * @since 0.1.0
 * @category reading
 */
export const collectAsync = (source: AsyncIterable<Uint8Array | string>, limit: number): Effect.Effect<Uint8Array, TooLarge | unknown> =>
  Effect.tryPromise({
    try: async (): Promise<Uint8Array | TooLarge> => {
      const chunks: Array<Uint8Array> = []
      let bytes = 0
      for await (const piece of source) {
        const chunk = typeof piece === "string" ? new TextEncoder().encode(piece) : piece
        bytes += chunk.byteLength
        if (bytes > limit) return new TooLarge(limit)
        chunks.push(chunk)
      }
      return join(chunks, bytes)
    },
    catch: (cause) => cause
  }).pipe(Effect.flatMap((read) => (read instanceof TooLarge ? Effect.fail(read) : Effect.succeed(read))))

/**
 * Whether a declared `Content-Length` already passes the bound (a body can then be refused unread).
 *
 * @since 0.1.0
 * @category predicates
 */
export const declaredTooLarge = (contentLength: string | undefined, limit: number): boolean => {
  const declared = Number(contentLength)
  return contentLength !== undefined && Number.isFinite(declared) && declared > limit
}
