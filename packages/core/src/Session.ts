/**
 * Authenticated sessions over any OAuth provider: every call gets a valid access token,
 * refreshed shortly before it expires (proactive) or after the API answered "expired"
 * (reactive, then one retry). Refreshes are single-flight per user: however many callers
 * find the token expired, one refresh request goes out and they all share its result. The
 * rotated pair is compare-and-set into the {@link TokenStore.TokenStore} *before* anyone
 * uses it; a refused refresh token marks the stored grant as needing consent and fails with
 * `Errors.ReauthorizationRequired`.
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
import * as Context from "effect/Context"
import type * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import type * as Redacted from "effect/Redacted"
import type * as Schedule from "effect/Schedule"
import type * as Scope from "effect/Scope"
import type * as Errors from "./Errors.js"
import * as internal from "./internal/session.js"
import * as OAuth from "./OAuth.js"
import type * as TokenStore from "./TokenStore.js"

/**
 * Everything obtaining a token can fail with.
 *
 * @since 0.1.0
 * @category models
 */
export type SessionFailure =
  | Errors.ReauthorizationRequired
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
 * `Errors.ReauthorizationRequired`.
 *
 * @since 0.1.0
 * @category predicates
 */
export const refreshesOn: (error: unknown) => boolean = internal.refreshesOn

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
  /**
   * A valid token set (the access token and the scopes the grant holds), refreshed first when it
   * expires within the skew: one store read.
   */
  readonly tokens: (key: string) => Effect.Effect<OAuth.TokenSet, SessionFailure>
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

/**
 * The refresh skew for a token: the configured skew, but never more than half the token's
 * lifetime, so a 60-second token is refreshed at most once a minute rather than on every call.
 *
 * @since 0.1.0
 * @category predicates
 */
export const skewFor: (tokens: OAuth.TokenSet, skewMillis: number) => number = internal.skewFor

/**
 * Makes a session over the token store in context.
 *
 * One refresh per user at a time: however many calls find the token expired, they share one
 * refresh, which runs on a fiber of the session (not the caller's), so an interrupted caller never
 * cuts it short. Closing the session's scope (a runtime's `dispose`, a client's `close()`) waits
 * up to `closeWait` (the provider's timeout) for refreshes in flight to reach the store, then fails
 * whoever waits on them with `ClientClosed`; calls after that fail at once with it.
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
): Effect.Effect<SessionShape, never, TokenStore.TokenStore | HttpClient.HttpClient | Scope.Scope> => internal.make(options)

/**
 * The generic session as a layer.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (options: Options): Layer.Layer<Session, never, TokenStore.TokenStore | HttpClient.HttpClient> =>
  Layer.scoped(Session, make(options))
