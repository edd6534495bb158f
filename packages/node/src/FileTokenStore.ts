/**
 * A token store in one JSON file, for a long-running Node backend that must survive restarts.
 *
 * Every write is atomic: the whole file is written to a temporary file beside it (created with
 * mode `0600`, synced to disk), then renamed over the old one, so a crash leaves either the old
 * or the new file, never half of one. The file holds `{ "version": 1, "grants": { key:
 * StoredGrant } }` with each grant in its encoded form (tokens in clear: keep the file private;
 * it is created readable by its owner only). Every read-modify-write (set, compare-and-set,
 * remove) holds a lock within this process and an OS-level lock file across processes
 * (`<file>.lock`, see `FileLock`), so several processes may share one file without losing a
 * write: each reads the latest file under the lock. Reads take no lock (a rename is atomic).
 * A lock left by a killed process is taken over. It has no lease: a refresh is single-flight per
 * process, and two processes refreshing one user at once are reconciled by `Session` (see the
 * README's Guarantees).
 *
 * @since 0.1.0
 */
import * as Fs from "node:fs/promises"
import * as NodePath from "node:path"
import { TokenStore } from "@fitbit-effect/core/kernel"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import * as FileLock from "./internal/FileLock.js"

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
  /** How long a write waits for another process's lock on the file (default 10 seconds). */
  readonly lockWait?: FileLock.Options["wait"]
}

/**
 * Makes a store on a file.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (options: Options): Effect.Effect<TokenStore.TokenStoreShape> =>
  Effect.gen(function*() {
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
      const text = yield* Effect.tryPromise({
        try: () => Fs.readFile(path, "utf8").catch((error: NodeJS.ErrnoException) => error.code === "ENOENT" ? "" : Promise.reject(error)),
        catch: (cause) => cause
      })
      if (text.trim() === "") return {}
      const json = yield* Effect.try({ try: () => JSON.parse(text) as unknown, catch: () => `${path} is not JSON` })
      const contents = yield* Schema.decodeUnknown(FileContents)(json).pipe(
        Effect.mapError(() => `${path} is not a token store file`)
      )
      return { ...contents.grants }
    })

    /** Writes the whole file: a private temp file beside it, synced, then renamed over it. */
    const writeAll = (grants: Grants) =>
      Effect.tryPromise({
        try: async () => {
          const dir = NodePath.dirname(path)
          const temp = NodePath.join(dir, `.${NodePath.basename(path)}.${process.pid}.${Date.now()}.${counter++}.tmp`)
          const text = JSON.stringify(Schema.encodeSync(FileContents)({ version: 1, grants }), null, 2) + "\n"
          try {
            const file = await Fs.open(temp, "wx", 0o600)
            try {
              await file.writeFile(text, "utf8")
              await file.sync()
            } finally {
              await file.close()
            }
            await Fs.chmod(temp, 0o600)
            await Fs.rename(temp, path)
          } catch (error) {
            await Fs.rm(temp, { force: true }).catch(() => undefined)
            throw error
          }
        },
        catch: (cause) => cause
      })

    const ensureDir = Effect.tryPromise({
      try: () => Fs.mkdir(NodePath.dirname(path), { recursive: true, mode: 0o700 }),
      catch: (cause) => cause
    })

    const update = (
      operation: TokenStore.TokenStoreError["operation"],
      key: string,
      f: (grants: Grants) => Option.Option<Grants>
    ): Effect.Effect<boolean, TokenStore.TokenStoreError> =>
      lock.withPermits(1)(
        Effect.zipRight(ensureDir, FileLock.withLock(
          path,
          Effect.gen(function*() {
            const next = f(yield* readAll)
            if (Option.isNone(next)) return false
            yield* writeAll(next.value)
            return true
          }),
          { wait: options.lockWait }
        )).pipe(Effect.mapError(fail(operation, key)))
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
 * The file store as the `TokenStore` layer.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (options: Options): Layer.Layer<TokenStore.TokenStore> =>
  Layer.effect(TokenStore.TokenStore, make(options))
