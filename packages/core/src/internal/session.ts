/**
 * The code behind `Session`: the steps of getting a user a valid token (read, decide, lease,
 * refresh, persist, settle a conflict, handle a refusal), each a function of the session's
 * {@link Steps}, and `make`, which runs one refresh per user at a time on the session's own fibers
 * (a `FiberMap` keyed by user) and closes them with the session's scope.
 *
 * @since 0.1.0
 */
import type * as HttpClient from "@effect/platform/HttpClient"
import * as Clock from "effect/Clock"
import * as Deferred from "effect/Deferred"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Fiber from "effect/Fiber"
import * as FiberMap from "effect/FiberMap"
import * as HashMap from "effect/HashMap"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Ref from "effect/Ref"
import * as Schedule from "effect/Schedule"
import type * as Scope from "effect/Scope"
import * as Errors from "../Errors.js"
import * as OAuth from "../OAuth.js"
import type * as Session from "../Session.js"
import * as TokenStore from "../TokenStore.js"

/** A rotated grant this process could not store yet. */
interface Pending {
  /** The revision the unsaved grant replaces. */
  readonly baseRevision: number
  readonly grant: TokenStore.StoredGrant
}

/** @internal */
export const skewFor = (tokens: OAuth.TokenSet, skewMillis: number): number =>
  Math.max(0, Math.min(skewMillis, tokens.expiresIn * 500))

/** What the steps of one session share: its settings, its store, and the pairs it issued but could not save yet. */
interface Steps {
  readonly store: TokenStore.TokenStoreShape
  readonly provider: OAuth.OAuthProvider
  readonly prefix: string
  readonly skewMillis: number
  readonly persistRetry: Schedule.Schedule<unknown, TokenStore.TokenStoreError>
  readonly refresh: (tokens: OAuth.TokenSet) => Effect.Effect<OAuth.TokenSet, OAuth.TokenFailure>
  readonly leaseTtlMillis: number
  readonly leasePoll: Duration.Duration
  readonly leaseOwner: string
  readonly refusalGraceMillis: number
  /** Rotated pairs this process could not store yet, by user: saved before anything else. */
  readonly pending: Ref.Ref<HashMap.HashMap<string, Pending>>
}

const reauth = (steps: Steps, key: string, reason: Errors.ReauthorizationRequired["reason"], hint?: string) =>
  new Errors.ReauthorizationRequired({ provider: steps.provider.name, key, reason, ...(hint === undefined ? {} : { hint }) })

const needsRefresh = (steps: Steps, tokens: OAuth.TokenSet, now: number) =>
  tokens.isExpired(now, skewFor(tokens, steps.skewMillis))

/** read: the user's grant, when it is active. */
const readActive = (steps: Steps, key: string) =>
  Effect.flatMap(steps.store.get(steps.prefix + key), (grant) =>
    Option.isNone(grant)
      ? Effect.fail(reauth(steps, key, "no_grant"))
      : grant.value.status !== "active"
      ? Effect.fail(reauth(steps, key, "marked"))
      : Effect.succeed(grant.value))

/** persist: writes a rotated grant, retrying per `persistRetry`; `false` when another writer won. */
const persist = (steps: Steps, key: string, baseRevision: number, next: TokenStore.StoredGrant) =>
  steps.store.compareAndSet(steps.prefix + key, Option.some(baseRevision), next).pipe(
    Effect.retry(steps.persistRetry),
    Effect.tapError(() => Ref.update(steps.pending, HashMap.set(key, { baseRevision, grant: next }))),
    Effect.tap(() => Ref.update(steps.pending, HashMap.remove(key)))
  )

/**
 * settle: after a lost compare-and-set of the pair `issued` (refreshed from `base`): a mark
 * written by a refusal of the same or an older revision loses to it (the refused token was the
 * one `issued` replaced); a newer active grant (another refresher's, a new consent) wins over it.
 */
const settleConflict = (
  steps: Steps,
  key: string,
  base: TokenStore.StoredGrant,
  issued: OAuth.TokenSet,
  receivedAt: number,
  attempt = 0
): Effect.Effect<OAuth.TokenSet, Session.SessionFailure> =>
  attempt >= 5
    ? Effect.fail(
      new TokenStore.TokenStoreError({
        operation: "compareAndSet",
        key: steps.prefix + key,
        reason: "the grant kept changing while a refreshed pair was being stored"
      })
    )
    : Effect.flatMap(steps.store.get(steps.prefix + key), (current) => {
      if (Option.isNone(current)) return Effect.fail(reauth(steps, key, "no_grant"))
      const grant = current.value
      if (grant.status === "active") return Effect.succeed(grant.tokens)
      if (grant.revision > base.revision + 1) return Effect.fail(reauth(steps, key, "marked"))
      const next = new TokenStore.StoredGrant({ tokens: issued, status: "active", revision: grant.revision + 1, updatedAt: receivedAt })
      return Effect.flatMap(persist(steps, key, grant.revision, next), (wrote) =>
        wrote ? Effect.succeed(issued) : settleConflict(steps, key, base, issued, receivedAt, attempt + 1))
    })

/** persist: stores the pair the provider just issued for `base`. */
const storeIssued = (steps: Steps, key: string, base: TokenStore.StoredGrant, fresh: OAuth.TokenSet) =>
  Effect.flatMap(Clock.currentTimeMillis, (receivedAt) => {
    const tokens = fresh.userId === undefined && base.tokens.userId !== undefined
      ? new OAuth.TokenSet({ ...fresh, userId: base.tokens.userId })
      : fresh
    return Effect.flatMap(persist(steps, key, base.revision, base.next(tokens, receivedAt)), (wrote) =>
      wrote ? Effect.succeed(tokens) : settleConflict(steps, key, base, tokens, receivedAt))
  })

/** read: a newer active grant than `seen`, looking every `leasePoll` until `deadline` (once when it has passed). */
const newerGrant = (
  steps: Steps,
  key: string,
  seen: TokenStore.StoredGrant,
  deadline: number
): Effect.Effect<Option.Option<OAuth.TokenSet>, TokenStore.TokenStoreError> =>
  Effect.flatMap(steps.store.get(steps.prefix + key), (latest) =>
    Option.isSome(latest) && latest.value.revision !== seen.revision && latest.value.status === "active"
      ? Effect.succeed(Option.some(latest.value.tokens))
      : Effect.flatMap(Clock.currentTimeMillis, (now) =>
        now >= deadline
          ? Effect.succeedNone
          : Effect.zipRight(Effect.sleep(steps.leasePoll), newerGrant(steps, key, seen, deadline))))

/**
 * refused: the provider refused `grant`'s refresh token. Another refresher may have used it a
 * moment earlier and be about to store the pair it got: wait for that write (up to the grace)
 * before marking the grant as needing consent.
 */
const onRefused = (steps: Steps, key: string, grant: TokenStore.StoredGrant, now: number) =>
  Effect.gen(function*() {
    const before = yield* newerGrant(steps, key, grant, (yield* Clock.currentTimeMillis) + steps.refusalGraceMillis)
    if (Option.isSome(before)) return before.value
    const marked = new TokenStore.StoredGrant({
      ...grant,
      status: "reauthorization_required",
      revision: grant.revision + 1,
      updatedAt: now
    })
    const wrote = yield* steps.store.compareAndSet(steps.prefix + key, Option.some(grant.revision), marked).pipe(
      Effect.catchAll((storeError) =>
        Effect.as(Effect.logWarning("could not mark the grant as needing consent", storeError.message), false)
      )
    )
    if (!wrote) {
      const after = yield* newerGrant(steps, key, grant, 0)
      if (Option.isSome(after)) return after.value
    }
    const hint = grant.grantedAt === undefined ? undefined : steps.provider.refusalHint?.(now - grant.grantedAt)
    return yield* reauth(steps, key, "invalid_grant", hint)
  })

/** refresh: refreshes the grant (this process holds its lease, or the store has no lease). */
const refreshHolding = (
  steps: Steps,
  key: string,
  grant: TokenStore.StoredGrant,
  now: number
): Effect.Effect<OAuth.TokenSet, Session.SessionFailure> =>
  Effect.matchEffect(steps.refresh(grant.tokens), {
    onFailure: (error): Effect.Effect<OAuth.TokenSet, Session.SessionFailure> =>
      error._tag === "InvalidGrant" ? onRefused(steps, key, grant, now) : Effect.fail(error),
    onSuccess: (fresh) => storeIssued(steps, key, grant, fresh)
  })

/** What waiting for the lease came to: the lease is held, or another process's refresh was stored. */
type Leased =
  | { readonly _tag: "Held"; readonly grant: TokenStore.StoredGrant }
  | { readonly _tag: "Refreshed"; readonly tokens: OAuth.TokenSet }

/** lease: takes the grant's lease, or waits until the holder's refresh is stored (or its lease expires). */
const leaseOrWait = (
  steps: Steps,
  key: string,
  seen: TokenStore.StoredGrant,
  lease: TokenStore.Lease,
  deadline: number
): Effect.Effect<Leased, Session.SessionFailure> =>
  Effect.flatMap(lease.acquire(steps.prefix + key, steps.leaseOwner, steps.leaseTtlMillis), (acquired) =>
    Effect.flatMap(readActive(steps, key), (latest) =>
      Effect.flatMap(Clock.currentTimeMillis, (now): Effect.Effect<Leased, Session.SessionFailure> => {
        if (acquired) {
          // Held: the grant may have moved on while we waited.
          if (latest.revision !== seen.revision && !needsRefresh(steps, latest.tokens, now)) {
            return Effect.as(lease.release(steps.prefix + key, steps.leaseOwner), { _tag: "Refreshed", tokens: latest.tokens })
          }
          return Effect.succeed({ _tag: "Held", grant: latest })
        }
        if (latest.revision !== seen.revision) return Effect.succeed({ _tag: "Refreshed", tokens: latest.tokens })
        if (now > deadline) {
          return Effect.fail(
            new TokenStore.TokenStoreError({
              operation: "compareAndSet",
              key: steps.prefix + key,
              reason: "timed out waiting for another process's refresh"
            })
          )
        }
        return Effect.zipRight(Effect.sleep(steps.leasePoll), leaseOrWait(steps, key, seen, lease, deadline))
      })))

/** lease, then refresh: under the grant's lease when the store has one. */
const refreshLeased = (steps: Steps, key: string, grant: TokenStore.StoredGrant, now: number) => {
  const lease = steps.store.lease
  if (lease === undefined) return refreshHolding(steps, key, grant, now)
  return Effect.flatMap(Clock.currentTimeMillis, (start) =>
    Effect.flatMap(leaseOrWait(steps, key, grant, lease, start + steps.leaseTtlMillis * 3), (leased) =>
      leased._tag === "Refreshed"
        ? Effect.succeed(leased.tokens)
        : refreshHolding(steps, key, leased.grant, now).pipe(Effect.ensuring(
          Effect.catchAll(lease.release(steps.prefix + key, steps.leaseOwner), (e) => Effect.logWarning("could not release a lease", e.message))
        ))))
}

/** decide: one refresh of a user: save an unsaved pair first, take a newer stored token, or refresh. */
const refreshOnce = (steps: Steps, key: string, stale: Redacted.Redacted<string> | undefined) =>
  Effect.gen(function*() {
    const grant = yield* readActive(steps, key)
    const now = yield* Clock.currentTimeMillis

    // A rotated pair this process could not save yet: save it before anything else.
    const unsaved = HashMap.get(yield* Ref.get(steps.pending), key)
    if (Option.isSome(unsaved)) {
      if (unsaved.value.baseRevision === grant.revision) {
        const wrote = yield* persist(steps, key, unsaved.value.baseRevision, unsaved.value.grant)
        return wrote ? unsaved.value.grant.tokens : (yield* readActive(steps, key)).tokens
      }
      yield* Ref.update(steps.pending, HashMap.remove(key))
    }

    // Someone (another fiber or process) already stored a different, valid token.
    if (
      stale !== undefined && Redacted.value(grant.tokens.accessToken) !== Redacted.value(stale) &&
      !needsRefresh(steps, grant.tokens, now)
    ) {
      return grant.tokens
    }
    if (grant.tokens.refreshToken === undefined) return yield* reauth(steps, key, "no_refresh_token")
    return yield* refreshLeased(steps, key, grant, now)
  }).pipe(
    Effect.withSpan("session.refresh", { attributes: { "oauth.provider": steps.provider.name, "session.key": key } })
  )

/** @internal */
export const make = (
  options: Session.Options
): Effect.Effect<Session.SessionShape, never, TokenStore.TokenStore | HttpClient.HttpClient | Scope.Scope> =>
  Effect.gen(function*() {
    const store = yield* TokenStore.TokenStore
    const context = yield* Effect.context<HttpClient.HttpClient>()
    const provider = options.provider
    const prefix = options.keyPrefix ?? `${provider.name}:`
    const doRefresh = options.refresh ??
      ((tokens: OAuth.TokenSet) =>
        OAuth.refresh(provider, { refreshToken: tokens.refreshToken!, expiresIn: options.refreshExpiresIn }))
    const pending = yield* Ref.make(HashMap.empty<string, Pending>())
    const steps: Steps = {
      store,
      provider,
      prefix,
      skewMillis: Duration.toMillis(Duration.decode(options.refreshSkew ?? Duration.minutes(5))),
      persistRetry: options.persistRetry ?? Schedule.addDelay(Schedule.recurs(2), () => Duration.millis(50)),
      refresh: (tokens) => Effect.provide(doRefresh(tokens), context),
      leaseTtlMillis: Duration.toMillis(Duration.decode(options.leaseTtl ?? Duration.seconds(30))),
      leasePoll: Duration.decode(options.leasePoll ?? Duration.millis(50)),
      leaseOwner: options.leaseOwner ?? `session-${Math.random().toString(36).slice(2)}-${Date.now().toString(36)}`,
      // With a lease no other refresher can be in flight, so a refusal is final at once.
      refusalGraceMillis: store.lease !== undefined
        ? 0
        : Duration.toMillis(Duration.decode(options.refusalGrace ?? Duration.min(provider.timeout, Duration.seconds(5)))),
      pending
    }
    const isExpiredToken = options.isExpiredToken ?? refreshesOn
    const closeWait = options.closeWait ?? provider.timeout

    // One refresh per user at a time, each on a fiber of the session (never the caller's): an
    // interrupted caller stops waiting, the refresh goes on. Closing the session's scope interrupts
    // what is still running (the map's finalizer) after the grace below.
    const refreshes = yield* FiberMap.make<string, OAuth.TokenSet, Session.SessionFailure>()
    const start = yield* FiberMap.runtime(refreshes)<never>()
    const closed = yield* Deferred.make<void>()
    // Added after the map's finalizer, so it runs first: refreshes in flight get `closeWait` to reach the store.
    // Finalizers run uninterruptibly: the wait is made interruptible, or the timeout could not end it.
    yield* Effect.addFinalizer(() =>
      Effect.zipRight(
        Deferred.succeed(closed, undefined),
        FiberMap.awaitEmpty(refreshes).pipe(Effect.interruptible, Effect.timeout(closeWait), Effect.ignore)
      )
    )
    const whenClosed = new Errors.ClientClosed({ when: "after_close" })
    const cutShort = new Errors.ClientClosed({ when: "pending_at_close" })
    const ensureOpen = Effect.flatMap(Deferred.isDone(closed), (done) => done ? Effect.fail(whenClosed) : Effect.void)

    /** The refresh of a user in flight, or a new one (a child of the caller's span, when it has one). */
    const joinOrStart = (key: string, stale: Redacted.Redacted<string> | undefined) =>
      Effect.withFiberRuntime<Fiber.RuntimeFiber<OAuth.TokenSet, Session.SessionFailure>>((caller) =>
        Effect.succeed(Option.getOrElse(FiberMap.unsafeGet(refreshes, key), () => {
          const span = caller.currentSpan
          const once = refreshOnce(steps, key, stale)
          return start(key, span === undefined ? once : Effect.withParentSpan(once, span))
        }))
      )

    /** Waits for a refresh; one cut short by the session's closing fails with `ClientClosed`. */
    const awaitRefresh = (key: string, fiber: Fiber.RuntimeFiber<OAuth.TokenSet, Session.SessionFailure>) =>
      Effect.flatMap(Fiber.await(fiber), (exit): Effect.Effect<OAuth.TokenSet, Session.SessionFailure> => {
        if (!Exit.isInterrupted(exit)) return exit
        return Effect.flatMap(Ref.get(pending), (unsaved) =>
          HashMap.has(unsaved, key)
            ? Effect.zipRight(Effect.logError(`the session closed before the refreshed pair of ${JSON.stringify(prefix + key)} could be stored`), Effect.fail(cutShort))
            : Effect.fail(cutShort))
      })

    const refresh = (key: string, stale?: Redacted.Redacted<string>): Effect.Effect<OAuth.TokenSet, Session.SessionFailure> =>
      ensureOpen.pipe(
        Effect.zipRight(joinOrStart(key, stale)),
        Effect.flatMap((fiber) => awaitRefresh(key, fiber))
      )

    const tokens = (key: string) =>
      Effect.gen(function*() {
        yield* ensureOpen
        const grant = yield* readActive(steps, key)
        const now = yield* Clock.currentTimeMillis
        if (!needsRefresh(steps, grant.tokens, now) && !HashMap.has(yield* Ref.get(pending), key)) return grant.tokens
        return yield* refresh(key, grant.tokens.accessToken)
      })
    const accessToken = (key: string) => Effect.map(tokens(key), (valid) => valid.accessToken)

    const save = (key: string, tokens: OAuth.TokenSet) =>
      Effect.gen(function*() {
        const now = yield* Clock.currentTimeMillis
        // A record that cannot be read is replaced: a consent must always be storable.
        const current = yield* store.get(prefix + key).pipe(
          Effect.catchIf((error) => error.unreadable, () => Effect.succeedNone)
        )
        // A save is a consent (a code exchange, or tokens imported): it starts a new grant age.
        const grant = Option.match(current, {
          onNone: () => TokenStore.initialGrant(tokens, now),
          onSome: (previous) => new TokenStore.StoredGrant({ ...previous.next(tokens, now), grantedAt: now })
        })
        yield* store.set(prefix + key, grant)
        yield* Ref.update(pending, HashMap.remove(key))
        return grant
      })

    return {
      provider: provider.name,
      save,
      grant: (key) => store.get(prefix + key),
      remove: (key) => Effect.zipRight(Ref.update(pending, HashMap.remove(key)), store.remove(prefix + key)),
      tokens,
      accessToken,
      refresh,
      withAccessToken: <A, E, R>(key: string, f: (token: Redacted.Redacted<string>) => Effect.Effect<A, E, R>) =>
        Effect.flatMap(accessToken(key), (token) =>
          f(token).pipe(
            Effect.catchIf(
              (error): error is E => isExpiredToken(error),
              () => Effect.flatMap(refresh(key, token), (fresh) => f(fresh.accessToken))
            )
          ))
    } satisfies Session.SessionShape
  })

/** @internal */
export const refreshesOn = (error: unknown): boolean => {
  const tag = typeof error === "object" && error !== null ? (error as { _tag?: unknown })._tag : undefined
  return tag === "ExpiredToken" || tag === "InvalidToken"
}
