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
  reason: Schema.Literal("no_grant", "no_refresh_token", "invalid_grant", "marked"),
  /** What the refusal likely means, when the provider can tell (Google: a Testing-mode project after 7 days). */
  hint: Schema.optional(Schema.String)
}) {
  override get message(): string {
    const why = {
      no_grant: "no grant is stored",
      no_refresh_token: "the grant has no refresh token",
      invalid_grant: "the provider refused the refresh token",
      marked: "the stored grant is marked as needing consent"
    }[this.reason]
    return `${this.provider} user "${this.key}" must authorize again: ${why}${this.hint === undefined ? "" : ` (${this.hint})`}`
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

// ---- the steps -----------------------------------------------------------------------------
// Each step of getting a user a token is a module-level function of the session's `Steps`: its
// settings, its store and the pairs it issued but could not save yet. `make` wires them together.

/** What the steps of one session share. */
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
  readonly pending: Map<string, Pending>
}

const reauth = (steps: Steps, key: string, reason: ReauthorizationRequired["reason"], hint?: string) =>
  new ReauthorizationRequired({ provider: steps.provider.name, key, reason, ...(hint === undefined ? {} : { hint }) })

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
    Effect.tapError(() => Effect.sync(() => steps.pending.set(key, { baseRevision, grant: next }))),
    Effect.tap(() => Effect.sync(() => steps.pending.delete(key)))
  )

/**
 * persist, after a lost compare-and-set of the pair `issued` (refreshed from `base`): a mark
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
): Effect.Effect<OAuth.TokenSet, SessionFailure> =>
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

/** A newer active grant than `seen`, looking every `leasePoll` until `deadline` (once when it has passed). */
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
): Effect.Effect<OAuth.TokenSet, SessionFailure> =>
  Effect.matchEffect(steps.refresh(grant.tokens), {
    onFailure: (error): Effect.Effect<OAuth.TokenSet, SessionFailure> =>
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
): Effect.Effect<Leased, SessionFailure> =>
  Effect.flatMap(lease.acquire(steps.prefix + key, steps.leaseOwner, steps.leaseTtlMillis), (acquired) =>
    Effect.flatMap(readActive(steps, key), (latest) =>
      Effect.flatMap(Clock.currentTimeMillis, (now): Effect.Effect<Leased, SessionFailure> => {
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
    const unsaved = steps.pending.get(key)
    if (unsaved !== undefined) {
      if (unsaved.baseRevision === grant.revision) {
        const wrote = yield* persist(steps, key, unsaved.baseRevision, unsaved.grant)
        return wrote ? unsaved.grant.tokens : (yield* readActive(steps, key)).tokens
      }
      steps.pending.delete(key)
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
    const doRefresh = options.refresh ??
      ((tokens: OAuth.TokenSet) =>
        OAuth.refresh(provider, { refreshToken: tokens.refreshToken!, expiresIn: options.refreshExpiresIn }))
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
      pending: new Map()
    }
    const isExpiredToken = options.isExpiredToken ?? refreshesOn
    const closeWait = options.closeWait ?? provider.timeout
    const pending = steps.pending

    const inflight = new Map<string, Deferred.Deferred<OAuth.TokenSet, SessionFailure>>()
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

    /** Single-flight: one refresh per user on a session fiber, its result shared by every caller. */
    const refresh = (key: string, stale?: Redacted.Redacted<string>): Effect.Effect<OAuth.TokenSet, SessionFailure> =>
      Effect.withFiberRuntime((fiber) => {
        if (closed) return Effect.fail(whenClosed)
        const existing = inflight.get(key)
        if (existing !== undefined) return Deferred.await(existing)
        const deferred = Deferred.unsafeMake<OAuth.TokenSet, SessionFailure>(fiber.id())
        inflight.set(key, deferred)
        return refreshOnce(steps, key, stale).pipe(
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
        const grant = yield* readActive(steps, key)
        const now = yield* Clock.currentTimeMillis
        if (!needsRefresh(steps, grant.tokens, now) && !pending.has(key)) return grant.tokens.accessToken
        return (yield* refresh(key, grant.tokens.accessToken)).accessToken
      })

    const save = (key: string, tokens: OAuth.TokenSet) =>
      Effect.gen(function*() {
        const now = yield* Clock.currentTimeMillis
        const current = yield* store.get(prefix + key)
        // A save is a consent (a code exchange, or tokens imported): it starts a new grant age.
        const grant = Option.match(current, {
          onNone: () => TokenStore.initialGrant(tokens, now),
          onSome: (previous) => new TokenStore.StoredGrant({ ...previous.next(tokens, now), grantedAt: now })
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
