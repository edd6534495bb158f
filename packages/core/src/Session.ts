/**
 * Authenticated sessions over any OAuth provider: every call gets a valid access token,
 * refreshed shortly before it expires (proactive) or after the API answered "expired"
 * (reactive, then one retry). Refreshes are single-flight per user: however many callers
 * find the token expired, one refresh request goes out and they all share its result. The
 * rotated pair is compare-and-set into the {@link TokenStore.TokenStore} *before* anyone
 * uses it; a refused refresh token marks the stored grant as needing consent and fails with
 * {@link ReauthorizationRequired}.
 *
 * Generic: it takes an `OAuth.OAuthProvider` and wraps any "call with this access token"
 * effect, so the Fitbit and Google backends share it (see `FitbitSession`).
 *
 * What can still be lost: when the provider has rotated the refresh token but the store
 * refuses the write (after the configured retries), the old grant stays in the store and
 * the new pair is kept in this process's memory; the next refresh for that user first
 * retries the write. If the process exits before a write succeeds, the rotated refresh
 * token is gone and the user must consent again; no client can avoid that. A refresh whose
 * request timed out after the provider rotated is the same case.
 *
 * @since 0.1.0
 */
import type * as HttpClient from "@effect/platform/HttpClient"
import * as Clock from "effect/Clock"
import * as Context from "effect/Context"
import * as Deferred from "effect/Deferred"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as FiberSet from "effect/FiberSet"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Schedule from "effect/Schedule"
import * as Schema from "effect/Schema"
import type * as Scope from "effect/Scope"
import * as Errors from "./Errors.js"
import * as OAuth from "./OAuth.js"
import * as TokenStore from "./TokenStore.js"

/**
 * The user must authorize the app again: there is no grant, the provider refused the
 * refresh token (`invalid_grant`: revoked, or used elsewhere), or the stored grant was
 * already marked as needing consent. The stored grant is kept, marked, not deleted.
 *
 * @since 0.1.0
 * @category errors
 */
export class ReauthorizationRequired extends Schema.TaggedError<ReauthorizationRequired>()("ReauthorizationRequired", {
  /** The provider's name (`fitbit`, `google`). */
  provider: Schema.String,
  /** The session key of the user. */
  key: Schema.String,
  reason: Schema.Literal("no_grant", "no_refresh_token", "invalid_grant", "marked")
}) {
  override get message(): string {
    const why = {
      no_grant: "no grant is stored",
      no_refresh_token: "the grant has no refresh token",
      invalid_grant: "the provider refused the refresh token",
      marked: "the stored grant is marked as needing consent"
    }[this.reason]
    return `${this.provider} user "${this.key}" must authorize again: ${why}`
  }
}

/**
 * Everything obtaining a token can fail with.
 *
 * @since 0.1.0
 * @category models
 */
export type SessionFailure =
  | ReauthorizationRequired
  | TokenStore.TokenStoreError
  | OAuth.TokenFailure
  | Errors.ClientClosed

/**
 * Options of a session.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  readonly provider: OAuth.OAuthProvider
  /** Refresh this long before the access token expires (default 5 minutes). */
  readonly refreshSkew?: Duration.DurationInput | undefined
  /** Access-token lifetime to ask for on refresh, in seconds (Fitbit's `expires_in`). */
  readonly refreshExpiresIn?: number | undefined
  /** Prefix of store keys (default `"{provider.name}:"`), so backends can share one store. */
  readonly keyPrefix?: string | undefined
  /** How to retry a failed store write of a rotated pair (default: 2 retries, 50 ms apart). */
  readonly persistRetry?: Schedule.Schedule<unknown, TokenStore.TokenStoreError> | undefined
  /**
   * Whether a call's failure means "refresh and try once more" (default {@link refreshesOn}:
   * `ExpiredToken` and `InvalidToken`).
   */
  readonly isExpiredToken?: ((error: unknown) => boolean) | undefined
  /**
   * With a store shared by several processes (one with a `lease`, such as `SqlTokenStore`): how
   * long a refresh may hold the grant's lease before another process may take it over (default 30 s).
   */
  readonly leaseTtl?: Duration.DurationInput | undefined
  /** How often a process waiting for another's refresh looks at the store (default 50 ms). */
  readonly leasePoll?: Duration.DurationInput | undefined
  /** This process's name on leases (default: random per session). */
  readonly leaseOwner?: string | undefined
  /**
   * With a store that has no lease: how long a refresher whose refresh token was refused waits
   * for another refresher's write of a newer pair before it marks the grant as needing consent
   * (default 5 seconds, or the provider's timeout when shorter). Only the first call after a real
   * revocation waits; later ones find the grant marked.
   */
  readonly refusalGrace?: Duration.DurationInput | undefined
  /** How long closing the session waits for refreshes in flight to reach the store (default: the provider's timeout). */
  readonly closeWait?: Duration.DurationInput | undefined
  /** The refresh itself (default `OAuth.refresh` against `provider`); a seam for tests and odd providers. */
  readonly refresh?:
    | ((tokens: OAuth.TokenSet) => Effect.Effect<OAuth.TokenSet, OAuth.TokenFailure, HttpClient.HttpClient>)
    | undefined
}

/**
 * The default test for a reactive refresh: the API answered 401 `expired_token`
 * (`ExpiredToken`) or `invalid_token` (`InvalidToken`: revoked or malformed). One refresh
 * tells which: it succeeds, or the provider refuses the grant and the session fails with
 * {@link ReauthorizationRequired}.
 *
 * @since 0.1.0
 * @category predicates
 */
export const refreshesOn = (error: unknown): boolean => {
  const tag = typeof error === "object" && error !== null ? (error as { _tag?: unknown })._tag : undefined
  return tag === "ExpiredToken" || tag === "InvalidToken"
}

/**
 * A session service.
 *
 * @since 0.1.0
 * @category models
 */
export interface SessionShape {
  readonly provider: string
  /** Stores a new grant for a user (after a code exchange), active, next revision. */
  readonly save: (key: string, tokens: OAuth.TokenSet) => Effect.Effect<TokenStore.StoredGrant, TokenStore.TokenStoreError>
  /** The stored grant of a user, if any. */
  readonly grant: (key: string) => Effect.Effect<Option.Option<TokenStore.StoredGrant>, TokenStore.TokenStoreError>
  /** Forgets a user's grant (after revoking it, say). */
  readonly remove: (key: string) => Effect.Effect<void, TokenStore.TokenStoreError>
  /** A valid access token, refreshed first when it expires within the skew. */
  readonly accessToken: (key: string) => Effect.Effect<Redacted.Redacted<string>, SessionFailure>
  /**
   * Refreshes now, single-flight: `stale` is the access token the caller found unusable; when the
   * store already holds another, valid one, that one is answered without a refresh.
   */
  readonly refresh: (key: string, stale?: Redacted.Redacted<string>) => Effect.Effect<OAuth.TokenSet, SessionFailure>
  /**
   * Runs `f` with a valid access token; when it fails with an expired token, refreshes
   * (single-flight) and runs `f` once more.
   */
  readonly withAccessToken: <A, E, R>(
    key: string,
    f: (accessToken: Redacted.Redacted<string>) => Effect.Effect<A, E, R>
  ) => Effect.Effect<A, E | SessionFailure, R>
}

/**
 * A code exchange whose grant is stored under `key` (each backend has its default key).
 *
 * @since 0.1.0
 * @category models
 */
export interface ExchangeCodeParams {
  readonly code: string
  readonly redirectUri: string
  readonly codeVerifier?: string | Redacted.Redacted<string> | undefined
  readonly key?: string | undefined
}

/**
 * Revokes a user's grant at the provider (its refresh token, which ends the grant, else its
 * access token) and forgets it; a user without a grant is only forgotten.
 *
 * @since 0.1.0
 * @category tokens
 */
export const revokeGrant = (
  session: SessionShape,
  provider: OAuth.OAuthProvider,
  key: string
): Effect.Effect<void, OAuth.TokenFailure | TokenStore.TokenStoreError, HttpClient.HttpClient> =>
  Effect.gen(function*() {
    const grant = yield* session.grant(key)
    if (Option.isSome(grant)) {
      const token = grant.value.tokens.refreshToken ?? grant.value.tokens.accessToken
      yield* OAuth.revoke(provider, token)
    }
    yield* session.remove(key)
  })

/**
 * The generic session service; backends usually expose their own tag (`FitbitSession`).
 *
 * @since 0.1.0
 * @category schemas
 */
export class Session extends Context.Tag("@fitbit-effect/core/Session")<Session, SessionShape>() {}

interface Pending {
  /** The revision the unsaved grant replaces. */
  readonly baseRevision: number
  readonly grant: TokenStore.StoredGrant
}

/**
 * The refresh skew for a token: the configured skew, but never more than half the token's
 * lifetime, so a 60-second token is refreshed at most once a minute rather than on every call.
 *
 * @since 0.1.0
 * @category predicates
 */
export const skewFor = (tokens: OAuth.TokenSet, skewMillis: number): number =>
  Math.max(0, Math.min(skewMillis, tokens.expiresIn * 500))

/**
 * Makes a session over the token store in context.
 *
 * Refreshes run on fibers of the session (not the caller's), so an interrupted caller never cuts
 * a refresh short. Closing the session's scope (a runtime's `dispose`, a client's `close()`) waits
 * up to the provider's timeout for refreshes in flight to reach the store, then fails whoever
 * waits on them with `ClientClosed`; calls after that fail at once with it.
 *
 * A pair the provider issued is never thrown away for a refusal of the same refresh token: when
 * two refreshers share a store without a lease and the loser's `invalid_grant` arrives first,
 * the loser waits (up to `refusalGrace`, 5 s by default) for the winner's write before it marks the grant, and a
 * winner whose compare-and-set meets such a mark writes its pair over it.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (
  options: Options
): Effect.Effect<SessionShape, never, TokenStore.TokenStore | HttpClient.HttpClient | Scope.Scope> =>
  Effect.gen(function*() {
    const store = yield* TokenStore.TokenStore
    const context = yield* Effect.context<HttpClient.HttpClient>()
    const provider = options.provider
    const prefix = options.keyPrefix ?? `${provider.name}:`
    const skewMillis = Duration.toMillis(Duration.decode(options.refreshSkew ?? Duration.minutes(5)))
    const persistRetry = options.persistRetry ?? Schedule.addDelay(Schedule.recurs(2), () => Duration.millis(50))
    const isExpiredToken = options.isExpiredToken ?? refreshesOn
    const doRefresh = options.refresh ??
      ((tokens: OAuth.TokenSet) =>
        OAuth.refresh(provider, { refreshToken: tokens.refreshToken!, expiresIn: options.refreshExpiresIn }))
    const leaseTtlMillis = Duration.toMillis(Duration.decode(options.leaseTtl ?? Duration.seconds(30)))
    const leasePoll = Duration.decode(options.leasePoll ?? Duration.millis(50))
    const leaseOwner = options.leaseOwner ?? `session-${Math.random().toString(36).slice(2)}-${Date.now().toString(36)}`
    // With a lease no other refresher can be in flight, so a refusal is final at once.
    const refusalGraceMillis = store.lease !== undefined
      ? 0
      : Duration.toMillis(Duration.decode(options.refusalGrace ?? Duration.min(provider.timeout, Duration.seconds(5))))
    const closeWait = options.closeWait ?? provider.timeout

    const inflight = new Map<string, Deferred.Deferred<OAuth.TokenSet, SessionFailure>>()
    const pending = new Map<string, Pending>()
    const refreshes = yield* FiberSet.make<OAuth.TokenSet, SessionFailure>()
    let closed = false
    const whenClosed = new Errors.ClientClosed({ when: "after_close" })
    const cutShort = new Errors.ClientClosed({ when: "pending_at_close" })
    // Runs before the fiber set's own finalizer (added earlier), so refreshes get their time first.
    yield* Effect.addFinalizer(() =>
      Effect.suspend(() => {
        closed = true
        return FiberSet.awaitEmpty(refreshes).pipe(Effect.timeout(closeWait), Effect.ignore)
      })
    )
    const ensureOpen = Effect.suspend(() => closed ? Effect.fail(whenClosed) : Effect.void)

    const reauth = (key: string, reason: ReauthorizationRequired["reason"]) =>
      new ReauthorizationRequired({ provider: provider.name, key, reason })
    const needsRefresh = (tokens: OAuth.TokenSet, now: number) => tokens.isExpired(now, skewFor(tokens, skewMillis))

    // ---- read ------------------------------------------------------------------------------
    const readActive = (key: string) =>
      Effect.flatMap(store.get(prefix + key), (grant) =>
        Option.isNone(grant)
          ? Effect.fail(reauth(key, "no_grant"))
          : grant.value.status !== "active"
          ? Effect.fail(reauth(key, "marked"))
          : Effect.succeed(grant.value))

    // ---- persist ---------------------------------------------------------------------------
    /** Writes a rotated grant, retrying per `persistRetry`; `false` when another writer won. */
    const persist = (key: string, baseRevision: number, next: TokenStore.StoredGrant) =>
      store.compareAndSet(prefix + key, Option.some(baseRevision), next).pipe(
        Effect.retry(persistRetry),
        Effect.tapError(() => Effect.sync(() => pending.set(key, { baseRevision, grant: next }))),
        Effect.tap(() => Effect.sync(() => pending.delete(key)))
      )

    /**
     * After a lost compare-and-set of the pair `issued` (refreshed from `base`): a mark written by a
     * refusal of the same or an older revision loses to it (the refused token was the one `issued`
     * replaced); a newer active grant (another refresher's, a new consent) wins over it.
     */
    const settleConflict = (key: string, base: TokenStore.StoredGrant, issued: OAuth.TokenSet, receivedAt: number) =>
      Effect.gen(function*() {
        for (let attempt = 0; attempt < 5; attempt++) {
          const current = yield* store.get(prefix + key)
          if (Option.isNone(current)) return yield* reauth(key, "no_grant")
          const grant = current.value
          if (grant.status === "active") return grant.tokens
          if (grant.revision > base.revision + 1) return yield* reauth(key, "marked")
          const next = new TokenStore.StoredGrant({ tokens: issued, status: "active", revision: grant.revision + 1, updatedAt: receivedAt })
          if (yield* persist(key, grant.revision, next)) return issued
        }
        return yield* new TokenStore.TokenStoreError({ operation: "compareAndSet", key: prefix + key, reason: "the grant kept changing while a refreshed pair was being stored" })
      })

    /** Stores the pair the provider just issued for `base`. */
    const storeIssued = (key: string, base: TokenStore.StoredGrant, fresh: OAuth.TokenSet) =>
      Effect.gen(function*() {
        const receivedAt = yield* Clock.currentTimeMillis
        const tokens = fresh.userId === undefined && base.tokens.userId !== undefined
          ? new OAuth.TokenSet({ ...fresh, userId: base.tokens.userId })
          : fresh
        const wrote = yield* persist(key, base.revision, base.next(tokens, receivedAt))
        return wrote ? tokens : yield* settleConflict(key, base, tokens, receivedAt)
      })

    // ---- refused ---------------------------------------------------------------------------
    /** A newer active grant than `seen`, looking until `deadline` (once when the deadline has passed). */
    const newerGrant = (key: string, seen: TokenStore.StoredGrant, deadline: number) =>
      Effect.gen(function*() {
        while (true) {
          const latest = yield* store.get(prefix + key)
          if (Option.isSome(latest) && latest.value.revision !== seen.revision && latest.value.status === "active") {
            return Option.some(latest.value.tokens)
          }
          if ((yield* Clock.currentTimeMillis) >= deadline) return Option.none<OAuth.TokenSet>()
          yield* Effect.sleep(leasePoll)
        }
      })

    /**
     * The provider refused `grant`'s refresh token. Another refresher may have used it a moment
     * earlier and be about to store the pair it got: wait for that write (up to the grace) before
     * marking the grant as needing consent.
     */
    const onRefused = (key: string, grant: TokenStore.StoredGrant, now: number) =>
      Effect.gen(function*() {
        const before = yield* newerGrant(key, grant, (yield* Clock.currentTimeMillis) + refusalGraceMillis)
        if (Option.isSome(before)) return before.value
        const marked = new TokenStore.StoredGrant({
          ...grant,
          status: "reauthorization_required",
          revision: grant.revision + 1,
          updatedAt: now
        })
        const wrote = yield* store.compareAndSet(prefix + key, Option.some(grant.revision), marked).pipe(
          Effect.catchAll((storeError) =>
            Effect.as(Effect.logWarning("could not mark the grant as needing consent", storeError.message), false)
          )
        )
        if (!wrote) {
          const after = yield* newerGrant(key, grant, 0)
          if (Option.isSome(after)) return after.value
        }
        return yield* reauth(key, "invalid_grant")
      })

    // ---- refresh ---------------------------------------------------------------------------
    /** Refreshes the grant (this process holds its lease, or the store has no lease). */
    const refreshHolding = (
      key: string,
      grant: TokenStore.StoredGrant,
      now: number
    ): Effect.Effect<OAuth.TokenSet, SessionFailure> =>
      doRefresh(grant.tokens).pipe(
        Effect.provide(context),
        Effect.matchEffect({
          onFailure: (error): Effect.Effect<OAuth.TokenSet, SessionFailure> =>
            error._tag === "InvalidGrant" ? onRefused(key, grant, now) : Effect.fail(error),
          onSuccess: (fresh) => storeIssued(key, grant, fresh)
        })
      )

    // ---- lease -----------------------------------------------------------------------------
    /** Takes the grant's lease, or waits until the holder's refresh is stored (or its lease expires). */
    const leaseOrWait = (key: string, seen: TokenStore.StoredGrant, lease: TokenStore.Lease) =>
      Effect.gen(function*() {
        const deadline = (yield* Clock.currentTimeMillis) + leaseTtlMillis * 3
        while (true) {
          if (yield* lease.acquire(prefix + key, leaseOwner, leaseTtlMillis)) {
            // Held: the grant may have moved on while we waited.
            const latest = yield* readActive(key)
            if (latest.revision !== seen.revision && !needsRefresh(latest.tokens, yield* Clock.currentTimeMillis)) {
              yield* lease.release(prefix + key, leaseOwner)
              return { _tag: "Refreshed" as const, tokens: latest.tokens }
            }
            return { _tag: "Held" as const, grant: latest }
          }
          const latest = yield* readActive(key)
          if (latest.revision !== seen.revision) return { _tag: "Refreshed" as const, tokens: latest.tokens }
          if ((yield* Clock.currentTimeMillis) > deadline) {
            return yield* new TokenStore.TokenStoreError({ operation: "compareAndSet", key: prefix + key, reason: "timed out waiting for another process's refresh" })
          }
          yield* Effect.sleep(leasePoll)
        }
      })

    /** Refreshes under the grant's lease when the store has one. */
    const refreshLeased = (key: string, grant: TokenStore.StoredGrant, now: number) => {
      const lease = store.lease
      if (lease === undefined) return refreshHolding(key, grant, now)
      return Effect.flatMap(leaseOrWait(key, grant, lease), (leased) =>
        leased._tag === "Refreshed" ? Effect.succeed(leased.tokens) : refreshHolding(key, leased.grant, now).pipe(Effect.ensuring(
          Effect.catchAll(lease.release(prefix + key, leaseOwner), (e) => Effect.logWarning("could not release a lease", e.message))
        )))
    }

    // ---- decide ----------------------------------------------------------------------------
    /** One refresh of a user: save an unsaved pair first, take a newer stored token, or refresh. */
    const refreshOnce = (key: string, stale: Redacted.Redacted<string> | undefined) =>
      Effect.gen(function*() {
        const grant = yield* readActive(key)
        const now = yield* Clock.currentTimeMillis

        // A rotated pair this process could not save yet: save it before anything else.
        const unsaved = pending.get(key)
        if (unsaved !== undefined) {
          if (unsaved.baseRevision === grant.revision) {
            const wrote = yield* persist(key, unsaved.baseRevision, unsaved.grant)
            return wrote ? unsaved.grant.tokens : (yield* readActive(key)).tokens
          }
          pending.delete(key)
        }

        // Someone (another fiber or process) already stored a different, valid token.
        if (
          stale !== undefined && Redacted.value(grant.tokens.accessToken) !== Redacted.value(stale) &&
          !needsRefresh(grant.tokens, now)
        ) {
          return grant.tokens
        }
        if (grant.tokens.refreshToken === undefined) return yield* reauth(key, "no_refresh_token")
        return yield* refreshLeased(key, grant, now)
      }).pipe(
        Effect.withSpan("session.refresh", { attributes: { "oauth.provider": provider.name, "session.key": key } })
      )

    /** Single-flight: one refresh per user on a session fiber, its result shared by every caller. */
    const refresh = (key: string, stale?: Redacted.Redacted<string>): Effect.Effect<OAuth.TokenSet, SessionFailure> =>
      Effect.withFiberRuntime((fiber) => {
        if (closed) return Effect.fail(whenClosed)
        const existing = inflight.get(key)
        if (existing !== undefined) return Deferred.await(existing)
        const deferred = Deferred.unsafeMake<OAuth.TokenSet, SessionFailure>(fiber.id())
        inflight.set(key, deferred)
        const run: Effect.Effect<OAuth.TokenSet, SessionFailure> = refreshOnce(key, stale)
        return run.pipe(
          Effect.onExit((exit: Exit.Exit<OAuth.TokenSet, SessionFailure>) =>
            Effect.suspend(() => {
              inflight.delete(key)
              if (!Exit.isInterrupted(exit)) return Deferred.done(deferred, exit)
              const lost = pending.has(key)
                ? Effect.logError("the session closed before a refreshed pair could be stored", { key: prefix + key })
                : Effect.void
              return Effect.zipRight(lost, Deferred.fail(deferred, cutShort))
            })
          ),
          FiberSet.run(refreshes),
          Effect.zipRight(Deferred.await(deferred))
        )
      })

    const accessToken = (key: string) =>
      Effect.gen(function*() {
        yield* ensureOpen
        const grant = yield* readActive(key)
        const now = yield* Clock.currentTimeMillis
        if (!needsRefresh(grant.tokens, now) && !pending.has(key)) return grant.tokens.accessToken
        return (yield* refresh(key, grant.tokens.accessToken)).accessToken
      })

    const save = (key: string, tokens: OAuth.TokenSet) =>
      Effect.gen(function*() {
        const now = yield* Clock.currentTimeMillis
        const current = yield* store.get(prefix + key)
        const grant = Option.match(current, {
          onNone: () => TokenStore.initialGrant(tokens, now),
          onSome: (previous) => previous.next(tokens, now)
        })
        yield* store.set(prefix + key, grant)
        pending.delete(key)
        return grant
      })

    return {
      provider: provider.name,
      save,
      grant: (key) => store.get(prefix + key),
      remove: (key) => Effect.zipRight(Effect.sync(() => pending.delete(key)), store.remove(prefix + key)),
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
    } satisfies SessionShape
  })

/**
 * The generic session as a layer.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (options: Options): Layer.Layer<Session, never, TokenStore.TokenStore | HttpClient.HttpClient> =>
  Layer.scoped(Session, make(options))
