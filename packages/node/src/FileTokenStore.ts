/**
 * A token store in one JSON file, for a long-running Node backend that must survive restarts.
 *
 * Every write is atomic: the whole file is written to a temporary file beside it (created with
 * mode `0600`, synced to disk), then renamed over the old one, so a crash leaves either the old
 * or the new file, never half of one. The file holds `{ "version": 1, "grants": { key:
 * StoredGrant } }` with each grant in its encoded form (tokens in clear: keep the file private;
 * it is created readable by its owner only). Compare-and-set is atomic within this process (one
 * lock around read, compare, write); two processes must not share one file.
 *
 * @since 0.1.0
 */
import * as NodeFileSystem from "@effect/platform-node/NodeFileSystem"
import * as FileSystem from "@effect/platform/FileSystem"
import { TokenStore } from "@fitbit-effect/core"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import * as NodePath from "node:path"

const FileContents = Schema.Struct({
  version: Schema.Literal(1),
  grants: Schema.Record({ key: Schema.String, value: TokenStore.StoredGrant })
})

type Grants = Record<string, TokenStore.StoredGrant>

/**
 * Options of the file store.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  /** The file; its directory is created (mode `0700`) when missing. */
  readonly path: string
}

/**
 * Makes a store on a file.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (options: Options): Effect.Effect<TokenStore.TokenStoreShape, never, FileSystem.FileSystem> =>
  Effect.gen(function*() {
    const fs = yield* FileSystem.FileSystem
    const path = NodePath.resolve(options.path)
    const lock = yield* Effect.makeSemaphore(1)
    let counter = 0

    const fail = (operation: TokenStore.TokenStoreError["operation"], key: string) => (cause: unknown) =>
      new TokenStore.TokenStoreError({
        operation,
        key,
        reason: typeof cause === "string" ? cause : TokenStore.describeCause(cause)
      })

    const readAll: Effect.Effect<Grants, string | unknown> = Effect.gen(function*() {
      const exists = yield* fs.exists(path)
      if (!exists) return {}
      const text = yield* fs.readFileString(path)
      if (text.trim() === "") return {}
      const json = yield* Effect.try({ try: () => JSON.parse(text) as unknown, catch: () => `${path} is not JSON` })
      const contents = yield* Schema.decodeUnknown(FileContents)(json).pipe(
        Effect.mapError(() => `${path} is not a token store file`)
      )
      return { ...contents.grants }
    })

    const writeAll = (grants: Grants) =>
      Effect.gen(function*() {
        const dir = NodePath.dirname(path)
        yield* fs.makeDirectory(dir, { recursive: true, mode: 0o700 })
        const temp = NodePath.join(dir, `.${NodePath.basename(path)}.${process.pid}.${Date.now()}.${counter++}.tmp`)
        const text = JSON.stringify(Schema.encodeSync(FileContents)({ version: 1, grants }), null, 2) + "\n"
        yield* Effect.scoped(
          Effect.gen(function*() {
            const file = yield* fs.open(temp, { flag: "wx", mode: 0o600 })
            yield* file.writeAll(new TextEncoder().encode(text))
            yield* file.sync
          })
        ).pipe(
          Effect.zipRight(fs.chmod(temp, 0o600)),
          Effect.zipRight(fs.rename(temp, path)),
          Effect.tapError(() => Effect.ignore(fs.remove(temp)))
        )
      })

    const update = (
      operation: TokenStore.TokenStoreError["operation"],
      key: string,
      f: (grants: Grants) => Option.Option<Grants>
    ): Effect.Effect<boolean, TokenStore.TokenStoreError> =>
      lock.withPermits(1)(
        Effect.gen(function*() {
          const next = f(yield* readAll)
          if (Option.isNone(next)) return false
          yield* writeAll(next.value)
          return true
        }).pipe(Effect.mapError(fail(operation, key)))
      )

    return {
      get: (key) =>
        readAll.pipe(
          Effect.map((grants) => Option.fromNullable(Object.hasOwn(grants, key) ? grants[key] : undefined)),
          Effect.mapError(fail("get", key))
        ),
      set: (key, grant) => Effect.asVoid(update("set", key, (grants) => Option.some({ ...grants, [key]: grant }))),
      compareAndSet: (key, expected, next) =>
        update("compareAndSet", key, (grants) =>
          TokenStore.matchesRevision(Option.fromNullable(Object.hasOwn(grants, key) ? grants[key] : undefined), expected)
            ? Option.some({ ...grants, [key]: next })
            : Option.none()),
      remove: (key) =>
        Effect.asVoid(update("remove", key, (grants) => {
          if (!Object.hasOwn(grants, key)) return Option.none()
          const { [key]: _removed, ...rest } = grants
          return Option.some(rest)
        }))
    } satisfies TokenStore.TokenStoreShape
  })

/**
 * The file store as the `TokenStore` layer, on Node's file system.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (options: Options): Layer.Layer<TokenStore.TokenStore> =>
  Layer.effect(TokenStore.TokenStore, make(options)).pipe(Layer.provide(NodeFileSystem.layer))
