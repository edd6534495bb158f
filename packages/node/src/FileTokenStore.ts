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
 * Links are written through: when the path is a symbolic link, the file it points to is the one
 * read, replaced and locked (a deploy that links the store to a shared volume keeps one file).
 * Each grant is read on its own: a record that is not a grant fails its own key alone (a
 * `TokenStoreError` with `unreadable`, replaced by the next consent) and is kept as it is by writes
 * of other keys; a file that is not a store file at all is never overwritten. Every key is kept,
 * `__proto__` included.
 *
 * @since 0.1.0
 */
import * as Fs from "node:fs/promises"
import * as NodePath from "node:path"
import { TokenStore } from "@fitbit-effect/core/kernel"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Predicate from "effect/Predicate"
import * as FileLock from "./internal/FileLock.js"

/** The records of the file, by key, as they are stored (each decoded only when its key is read). */
type Records = Map<string, unknown>

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

/** Links followed before giving up (a loop of links). */
const MAX_LINKS = 16

/**
 * The file a path stands for: the path itself, or the end of its chain of symbolic links (which
 * need not exist yet: the store creates it).
 */
const targetOf = async (path: string): Promise<string> => {
  let current = path
  for (let hops = 0; hops < MAX_LINKS; hops++) {
    const info = await Fs.lstat(current).catch((error: NodeJS.ErrnoException) => error.code === "ENOENT" ? undefined : Promise.reject(error))
    if (info === undefined || !info.isSymbolicLink()) return current
    current = NodePath.resolve(NodePath.dirname(current), await Fs.readlink(current))
  }
  throw new Error(`${path}: more than ${MAX_LINKS} symbolic links in a row`)
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

    const target = Effect.tryPromise({ try: () => targetOf(path), catch: (cause) => cause })

    /** Every record of the file, undecoded; fails when the file is not a store file (it is then never written). */
    const readAll = (file: string): Effect.Effect<Records, string | unknown> =>
      Effect.gen(function*() {
        const text = yield* Effect.tryPromise({
          try: () => Fs.readFile(file, "utf8").catch((error: NodeJS.ErrnoException) => error.code === "ENOENT" ? "" : Promise.reject(error)),
          catch: (cause) => cause
        })
        if (text.trim() === "") return new Map()
        const json = yield* Effect.try({ try: () => JSON.parse(text) as unknown, catch: () => `${file} is not JSON` })
        if (!Predicate.isRecord(json) || json.version !== 1 || !Predicate.isRecord(json.grants)) {
          return yield* Effect.fail(`${file} is not a token store file`)
        }
        // JSON.parse makes every key an own property, `__proto__` included; Object.entries reads them all.
        return new Map(Object.entries(json.grants))
      })

    /** One key's grant, decoded alone: an unreadable record fails this key only. */
    const grantOf = (records: Records, key: string, operation: TokenStore.TokenStoreError["operation"]) => {
      if (!records.has(key)) return Effect.succeedNone
      return Effect.asSome(
        Effect.mapError(TokenStore.decodeGrant(JSON.stringify(records.get(key))), (reason) => TokenStore.unreadableRecord(operation, key, reason))
      )
    }

    /** Writes the whole file: a private temp file beside it, synced, then renamed over it. */
    const writeAll = (file: string, records: Records) =>
      Effect.tryPromise({
        try: async () => {
          const dir = NodePath.dirname(file)
          const temp = NodePath.join(dir, `.${NodePath.basename(file)}.${process.pid}.${Date.now()}.${counter++}.tmp`)
          // Object.fromEntries defines own properties: a `__proto__` key is stored like any other.
          const text = JSON.stringify({ version: 1, grants: Object.fromEntries(records) }, null, 2) + "\n"
          try {
            const handle = await Fs.open(temp, "wx", 0o600)
            try {
              await handle.writeFile(text, "utf8")
              await handle.sync()
            } finally {
              await handle.close()
            }
            await Fs.chmod(temp, 0o600)
            await Fs.rename(temp, file)
          } catch (error) {
            await Fs.rm(temp, { force: true }).catch(() => undefined)
            throw error
          }
        },
        catch: (cause) => cause
      })

    const ensureDir = (file: string) =>
      Effect.tryPromise({
        try: () => Fs.mkdir(NodePath.dirname(file), { recursive: true, mode: 0o700 }),
        catch: (cause) => cause
      })

    /** A read-modify-write under both locks: `f` answers the records to write, or none to leave the file alone. */
    const update = <E>(
      operation: TokenStore.TokenStoreError["operation"],
      key: string,
      f: (records: Records) => Effect.Effect<Option.Option<Records>, E>
    ): Effect.Effect<boolean, TokenStore.TokenStoreError> =>
      lock.withPermits(1)(
        Effect.flatMap(target, (file) =>
          Effect.zipRight(
            ensureDir(file),
            FileLock.withLock(
              file,
              Effect.gen(function*() {
                const next = yield* f(yield* readAll(file))
                if (Option.isNone(next)) return false
                yield* writeAll(file, next.value)
                return true
              }),
              { wait: options.lockWait }
            )
          ))
      ).pipe(Effect.mapError((cause) => cause instanceof TokenStore.TokenStoreError ? cause : fail(operation, key)(cause)))

    /** The records with `key` set to `grant`. */
    const withGrant = (records: Records, key: string, grant: TokenStore.StoredGrant): Records =>
      new Map(records).set(key, JSON.parse(TokenStore.encodeGrant(grant)))

    return {
      get: (key) =>
        Effect.flatMap(target, readAll).pipe(
          Effect.mapError(fail("get", key)),
          Effect.flatMap((records) => grantOf(records, key, "get"))
        ),
      set: (key, grant) => Effect.asVoid(update("set", key, (records) => Effect.succeed(Option.some(withGrant(records, key, grant))))),
      compareAndSet: (key, expected, next) =>
        update("compareAndSet", key, (records) =>
          Effect.map(grantOf(records, key, "compareAndSet"), (current) =>
            TokenStore.matchesRevision(current, expected) ? Option.some(withGrant(records, key, next)) : Option.none())),
      remove: (key) =>
        Effect.asVoid(update("remove", key, (records) => {
          if (!records.has(key)) return Effect.succeedNone
          const rest = new Map(records)
          rest.delete(key)
          return Effect.succeed(Option.some(rest))
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
