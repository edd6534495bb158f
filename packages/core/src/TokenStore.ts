/**
 * Where a user's OAuth grant lives between calls: per-key get/set and an atomic
 * compare-and-set on a revision number, so two refreshes can never overwrite each other.
 *
 * Implementations: {@link layerMemory} (in-process), {@link layerKeyValueStore} (any
 * `@effect/platform` `KeyValueStore`: a browser's localStorage, a file system, a user's own
 * store), and the Node package's file store. Stores keep the tokens in clear (their job);
 * nothing here ever prints them.
 *
 * @since 0.1.0
 */
import * as KeyValueStore from "@effect/platform/KeyValueStore"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import * as OAuth from "./OAuth.js"
import * as ParseReason from "./internal/parseReason.js"

/**
 * Whether a stored grant can be used, or needs the user to consent again (its refresh token
 * was refused). A grant needing consent is kept, not deleted, so the app can tell the user.
 *
 * @since 0.1.0
 * @category models
 */
export const GrantStatus = Schema.Literal("active", "reauthorization_required")

/**
 * @since 0.1.0
 * @category models
 */
export type GrantStatus = typeof GrantStatus.Type

/**
 * One user's grant as a store keeps it: the token set, its status, and a revision that grows
 * by one with every write (the compare-and-set compares it). The encoded form is plain JSON
 * with the tokens as strings.
 *
 * @since 0.1.0
 * @category models
 */
export class StoredGrant extends Schema.Class<StoredGrant>("StoredGrant")({
  tokens: OAuth.TokenSet,
  status: GrantStatus,
  /** Grows by one with every write; `compareAndSet` compares it. */
  revision: Schema.Number,
  /** When this revision was written, epoch milliseconds. */
  updatedAt: Schema.Number,
  /** When the user consented (the grant was saved from a code exchange or imported), epoch milliseconds; kept across refreshes. */
  grantedAt: Schema.optional(Schema.Number)
}) {
  /** The next revision of this grant with new tokens (status `active`), from the same consent. */
  next(tokens: OAuth.TokenSet, now: number): StoredGrant {
    return new StoredGrant({
      tokens,
      status: "active",
      revision: this.revision + 1,
      updatedAt: now,
      ...(this.grantedAt === undefined ? {} : { grantedAt: this.grantedAt })
    })
  }
}

/**
 * The JSON-ready form of a {@link StoredGrant} (tokens in clear).
 *
 * @since 0.1.0
 * @category models
 */
export type StoredGrantEncoded = typeof StoredGrant.Encoded

/**
 * A store failed to read or write.
 *
 * @since 0.1.0
 * @category errors
 */
export class TokenStoreError extends Schema.TaggedError<TokenStoreError>()("TokenStoreError", {
  operation: Schema.Literal("get", "set", "compareAndSet", "remove"),
  key: Schema.String,
  /** What went wrong (never a token). */
  reason: Schema.String,
  /**
   * The record stored for this key cannot be read as a grant (written by hand, by an older
   * version, or damaged): this key alone fails, every other key is served, and a new consent
   * (`set`, a session's `save`) replaces the record.
   */
  unreadable: Schema.optionalWith(Schema.Boolean, { default: () => false })
}) {
  override get message(): string {
    // The key is quoted as JSON: a key holding a line break cannot forge a line of a log.
    return `${this.operation} ${JSON.stringify(this.key)} failed: ${this.reason}`
  }
}

/**
 * The error of a key whose stored record cannot be read as a grant.
 *
 * @since 0.1.0
 * @category errors
 */
export const unreadableRecord = (operation: TokenStoreError["operation"], key: string, reason: string): TokenStoreError =>
  new TokenStoreError({ operation, key, reason: `${reason}; a new consent replaces it`, unreadable: true })

/**
 * The store interface.
 *
 * @since 0.1.0
 * @category models
 */
export interface TokenStoreShape {
  readonly get: (key: string) => Effect.Effect<Option.Option<StoredGrant>, TokenStoreError>
  /** Writes unconditionally (a fresh grant after consent). */
  readonly set: (key: string, grant: StoredGrant) => Effect.Effect<void, TokenStoreError>
  /**
   * Writes `next` only if the stored revision is still `expectedRevision` (`None`: nothing is
   * stored); answers whether it wrote. Atomic with respect to every other call on this store.
   */
  readonly compareAndSet: (
    key: string,
    expectedRevision: Option.Option<number>,
    next: StoredGrant
  ) => Effect.Effect<boolean, TokenStoreError>
  readonly remove: (key: string) => Effect.Effect<void, TokenStoreError>
  /**
   * A lease on one grant across processes (stores shared by several processes, such as
   * `SqlTokenStore`): the session takes it before refreshing so that one refresh goes out for
   * the whole fleet. Absent for single-process stores.
   */
  readonly lease?: Lease | undefined
}

/**
 * A cross-process lease on a grant: held by one owner until it is released or expires.
 *
 * @since 0.1.0
 * @category models
 */
export interface Lease {
  /** Takes the lease when it is free, expired or already the owner's; answers whether the owner holds it. */
  readonly acquire: (key: string, owner: string, ttlMillis: number) => Effect.Effect<boolean, TokenStoreError>
  /** Gives the lease back, if the owner holds it. */
  readonly release: (key: string, owner: string) => Effect.Effect<void, TokenStoreError>
}

/**
 * The token store service.
 *
 * @since 0.1.0
 * @category schemas
 */
export class TokenStore extends Context.Tag("@fitbit-effect/core/TokenStore")<TokenStore, TokenStoreShape>() {}

/**
 * Whether a stored value matches an expected revision.
 *
 * @since 0.1.0
 * @category predicates
 */
export const matchesRevision = (current: Option.Option<StoredGrant>, expected: Option.Option<number>): boolean =>
  Option.isNone(current)
    ? Option.isNone(expected)
    : Option.isSome(expected) && current.value.revision === expected.value

/**
 * A first grant (revision 1) from a token set, e.g. right after the code exchange.
 *
 * @since 0.1.0
 * @category constructors
 */
export const initialGrant = (tokens: OAuth.TokenSet, now: number): StoredGrant =>
  new StoredGrant({ tokens, status: "active", revision: 1, updatedAt: now, grantedAt: now })

/**
 * An in-memory store (per process; lost on exit).
 *
 * @since 0.1.0
 * @category constructors
 */
export const makeMemory: Effect.Effect<TokenStoreShape> = Effect.sync(() => {
  const map = new Map<string, StoredGrant>()
  return {
    get: (key) => Effect.sync(() => Option.fromNullable(map.get(key))),
    set: (key, grant) => Effect.sync(() => void map.set(key, grant)),
    // JavaScript runs this synchronous block without interleaving: the check and the write are atomic.
    compareAndSet: (key, expected, next) =>
      Effect.sync(() => {
        if (!matchesRevision(Option.fromNullable(map.get(key)), expected)) return false
        map.set(key, next)
        return true
      }),
    remove: (key) => Effect.sync(() => void map.delete(key))
  }
})

/**
 * The in-memory store as a layer.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerMemory: Layer.Layer<TokenStore> = Layer.effect(TokenStore, makeMemory)

/**
 * Encodes a grant as the JSON text stores keep.
 *
 * @since 0.1.0
 * @category decoding
 */
export const encodeGrant = (grant: StoredGrant): string => JSON.stringify(Schema.encodeSync(StoredGrant)(grant))

/**
 * Decodes the JSON text of {@link encodeGrant}; the error describes the shape, never the values.
 *
 * @since 0.1.0
 * @category decoding
 */
export const decodeGrant = (text: string): Effect.Effect<StoredGrant, string> =>
  Effect.try({ try: () => JSON.parse(text) as unknown, catch: () => "stored value is not JSON" }).pipe(
    Effect.flatMap((json) =>
      Schema.decodeUnknown(StoredGrant)(json).pipe(
        Effect.mapError((error) => `stored value is not a grant: ${ParseReason.describe(error)}`)
      )
    )
  )

/**
 * Describes a cause for a store error without echoing values (platform errors name paths, not
 * data). Effect's `UnknownException` (what `Effect.tryPromise` wraps a rejection in) is unwrapped,
 * and an `Error`'s `cause` chain is followed, so the reason the caller's code gave is kept.
 *
 * @since 0.1.0
 * @category errors
 */
export const describeCause = (cause: unknown): string => {
  const parts: Array<string> = []
  let current: unknown = cause
  for (let depth = 0; depth < 4 && current !== undefined && current !== null; depth++) {
    if (typeof current === "object" && (current as { _tag?: unknown })._tag === "UnknownException" && "error" in current) {
      current = (current as { error: unknown }).error
      continue
    }
    if (current instanceof Error) {
      const reason = "reason" in current && typeof current.reason === "string" ? ` (${current.reason})` : ""
      parts.push(`${current.name}${reason}: ${current.message.replace(/\s+/g, " ").slice(0, 300)}`)
      current = current.cause
    } else {
      parts.push(String(current).slice(0, 300))
      break
    }
  }
  return parts.length === 0 ? String(cause).slice(0, 300) : parts.join("; caused by ")
}

/**
 * A store on `@effect/platform`'s `KeyValueStore`, so any key-value store plugs in. Keys are
 * prefixed with `prefix` (default `fitbit-effect/grant/`). The compare-and-set is atomic
 * within this process (a lock around read, compare and write); across processes it is as
 * atomic as the underlying store, which a plain `KeyValueStore` does not promise.
 *
 * @since 0.1.0
 * @category constructors
 */
export const makeKeyValueStore = (
  options: { readonly prefix?: string | undefined } = {}
): Effect.Effect<TokenStoreShape, never, KeyValueStore.KeyValueStore> =>
  Effect.gen(function*() {
    const kv = yield* KeyValueStore.KeyValueStore
    const prefix = options.prefix ?? "fitbit-effect/grant/"
    const lock = yield* Effect.makeSemaphore(1)
    const fail = (operation: TokenStoreError["operation"], key: string) => (cause: unknown) =>
      new TokenStoreError({ operation, key, reason: typeof cause === "string" ? cause : describeCause(cause) })
    const read = (key: string, operation: TokenStoreError["operation"]) =>
      kv.get(prefix + key).pipe(
        Effect.mapError(fail(operation, key)),
        Effect.flatMap(Option.match({
          onNone: () => Effect.succeedNone,
          onSome: (text) => Effect.asSome(Effect.mapError(decodeGrant(text), (reason) => unreadableRecord(operation, key, reason)))
        }))
      )
    const write = (key: string, grant: StoredGrant, operation: TokenStoreError["operation"]) =>
      kv.set(prefix + key, encodeGrant(grant)).pipe(Effect.mapError(fail(operation, key)))
    return {
      get: (key) => read(key, "get"),
      set: (key, grant) => lock.withPermits(1)(write(key, grant, "set")),
      compareAndSet: (key, expected, next) =>
        lock.withPermits(1)(
          Effect.flatMap(read(key, "compareAndSet"), (current) =>
            matchesRevision(current, expected)
              ? Effect.as(write(key, next, "compareAndSet"), true)
              : Effect.succeed(false))
        ),
      remove: (key) => lock.withPermits(1)(kv.remove(prefix + key).pipe(Effect.mapError(fail("remove", key))))
    }
  })

/**
 * The `KeyValueStore`-backed store as a layer.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerKeyValueStore = (
  options: { readonly prefix?: string | undefined } = {}
): Layer.Layer<TokenStore, never, KeyValueStore.KeyValueStore> =>
  Layer.effect(TokenStore, makeKeyValueStore(options))

/**
 * Wraps a store so that `hook` runs before every write and a failing hook fails the write
 * (nothing is written). This is how a caller's own persistence (a database, python-fitbit's
 * `refresh_cb`) becomes part of "persisted before used": a rotated pair is handed out only
 * after the hook accepted it. The compare-and-set stays atomic: check, hook and write run
 * under one lock.
 *
 * @since 0.1.0
 * @category combinators
 */
export const withWriteHook = (
  store: TokenStoreShape,
  hook: (key: string, grant: StoredGrant) => Effect.Effect<void, unknown>
): Effect.Effect<TokenStoreShape> =>
  Effect.map(Effect.makeSemaphore(1), (lock) => {
    const runHook = (operation: TokenStoreError["operation"], key: string, grant: StoredGrant) =>
      hook(key, grant).pipe(
        Effect.catchAllDefect((defect) => Effect.fail(defect)),
        Effect.mapError((cause) => new TokenStoreError({ operation, key, reason: `write hook failed: ${describeCause(cause)}` }))
      )
    return {
      get: store.get,
      ...(store.lease === undefined ? {} : { lease: store.lease }),
      remove: (key) => lock.withPermits(1)(store.remove(key)),
      set: (key, grant) => lock.withPermits(1)(Effect.zipRight(runHook("set", key, grant), store.set(key, grant))),
      compareAndSet: (key, expected, next) =>
        lock.withPermits(1)(
          Effect.flatMap(store.get(key), (current) =>
            matchesRevision(current, expected)
              ? runHook("compareAndSet", key, next).pipe(
                Effect.zipRight(store.compareAndSet(key, expected, next))
              )
              : Effect.succeed(false))
        )
    }
  })
