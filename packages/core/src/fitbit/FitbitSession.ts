/**
 * Fitbit calls on behalf of stored users: the generic {@link Session} bound to the Fitbit
 * configuration and to `FitbitHttp`. Each call takes a user key instead of a token; the
 * session supplies a valid token (refreshing single-flight when it is about to expire or the
 * API says it has), and the user's rate-limit budget is tracked under that key.
 *
 * @since 0.1.0
 */
import type * as HttpClient from "@effect/platform/HttpClient"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import type * as Redacted from "effect/Redacted"
import * as Stream from "effect/Stream"
import type * as Scope from "effect/Scope"
import * as FitbitConfig from "./FitbitConfig.js"
import * as Errors from "../Errors.js"
import * as ErrorDecoder from "../internal/errorDecoder.js"
import * as UserBound from "../internal/userBound.js"
import * as FitbitHttp from "./FitbitHttp.js"
import * as OAuth from "../OAuth.js"
import type * as RateLimit from "../RateLimit.js"
import * as RateLimitPolicy from "../RateLimitPolicy.js"
import * as Session from "../Session.js"
import type * as TokenStore from "../TokenStore.js"
import type * as HttpExchange from "../HttpExchange.js"

/**
 * What a session call can fail with.
 *
 * @since 0.1.0
 * @category models
 */
export type CallFailure = Errors.RequestFailure | Session.SessionFailure

/**
 * A call without its token: method, path, body and options.
 *
 * @since 0.1.0
 * @category models
 */
export type SessionRequest = Omit<FitbitHttp.FitbitRequest, "accessToken">

/**
 * The Fitbit session service.
 *
 * @since 0.1.0
 * @category models
 */
export interface FitbitSessionShape {
  /** The generic session underneath (tokens, refresh, grants). */
  readonly session: Session.SessionShape
  /** Exchanges an authorization code and stores the grant under `key` (default: the Fitbit user id). */
  readonly exchangeCode: (params: Session.ExchangeCodeParams) => Effect.Effect<{ readonly key: string; readonly tokens: OAuth.TokenSet }, OAuth.TokenFailure | TokenStore.TokenStoreError>
  /** Stores a token set obtained elsewhere under `key` (default: its user id). */
  readonly save: (
    tokens: OAuth.TokenSet,
    key?: string
  ) => Effect.Effect<TokenStore.StoredGrant, TokenStore.TokenStoreError | Errors.InvalidInput>
  /** Any call for a user. */
  readonly request: (key: string, request: SessionRequest) => Effect.Effect<HttpExchange.ApiResponse, CallFailure>
  readonly get: (
    key: string,
    path: string,
    options?: FitbitHttp.RequestOptions
  ) => Effect.Effect<HttpExchange.ApiResponse, CallFailure>
  readonly post: (
    key: string,
    path: string,
    body?: FitbitHttp.Body,
    options?: FitbitHttp.RequestOptions
  ) => Effect.Effect<HttpExchange.ApiResponse, CallFailure>
  readonly put: (
    key: string,
    path: string,
    body?: FitbitHttp.Body,
    options?: FitbitHttp.RequestOptions
  ) => Effect.Effect<HttpExchange.ApiResponse, CallFailure>
  readonly del: (
    key: string,
    path: string,
    options?: FitbitHttp.RequestOptions
  ) => Effect.Effect<HttpExchange.ApiResponse, CallFailure>
  /** The user's last known rate-limit state. */
  readonly rateLimit: (key: string) => Effect.Effect<Option.Option<RateLimit.RateLimitState>>
  /** Revokes the user's grant at Fitbit and forgets it. */
  readonly revoke: (key: string) => Effect.Effect<void, OAuth.TokenFailure | TokenStore.TokenStoreError>
  /**
   * Runs a typed program (e.g. `FitbitResources.Activities.timeSeries`) for a stored user: its every
   * call takes the user's valid token, and a call Fitbit refuses as expired or invalid is refreshed
   * (single-flight) and sent once more by itself, the calls before it standing.
   */
  readonly withAccessToken: <A, E, R>(
    key: string,
    f: (accessToken: Redacted.Redacted<string>) => Effect.Effect<A, E, R>
  ) => Effect.Effect<A, E | Session.SessionFailure, Exclude<R, FitbitHttp.FitbitHttp>>
  /**
   * The stream counterpart of `withAccessToken` (`Sleep.streamList`, …): a refresh mid-stream goes
   * on from the page it was on.
   */
  readonly stream: <A, E, R>(
    key: string,
    f: (accessToken: Redacted.Redacted<string>) => Stream.Stream<A, E, R>
  ) => Stream.Stream<A, E | Session.SessionFailure, Exclude<R, FitbitHttp.FitbitHttp>>
}

/**
 * The Fitbit session service.
 *
 * @since 0.1.0
 * @category schemas
 */
export class FitbitSession extends Context.Tag("@fitbit-effect/core/FitbitSession")<FitbitSession, FitbitSessionShape>() {}

/**
 * Options: the generic session's, without the provider (it comes from `FitbitConfig`).
 *
 * @since 0.1.0
 * @category models
 */
export type Options = Omit<Session.Options, "provider">

/**
 * Makes the service.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (
  options: Options = {}
): Effect.Effect<
  FitbitSessionShape,
  never,
  FitbitConfig.FitbitConfig | FitbitHttp.FitbitHttp | HttpClient.HttpClient | TokenStore.TokenStore | Scope.Scope
> =>
  Effect.gen(function*() {
    const config = yield* FitbitConfig.FitbitConfig
    const http = yield* FitbitHttp.FitbitHttp
    const context = yield* Effect.context<HttpClient.HttpClient>()
    const provider = FitbitConfig.toOAuthProvider(config)
    const session = yield* Session.make({ ...options, provider })

    const refusal: UserBound.Provider = {
      isRefused: options.isExpiredToken ?? Session.refreshesOn,
      judge: (response) => ErrorDecoder.toFitbitFailure({ ...response, now: response.receivedAt })
    }
    const boundTo = (key: string, refusals: Parameters<typeof UserBound.bind>[4]) => UserBound.bind(http, session, key, refusal, refusals)

    const withAccessToken = <A, E, R>(key: string, f: (token: Redacted.Redacted<string>) => Effect.Effect<A, E, R>) =>
      Effect.flatMap(session.accessToken(key), (token) =>
        UserBound.run(refusal, (refusals) => Effect.provideService(f(token), FitbitHttp.FitbitHttp, boundTo(key, refusals))))

    const stream = <A, E, R>(key: string, f: (token: Redacted.Redacted<string>) => Stream.Stream<A, E, R>) =>
      Stream.unwrap(Effect.map(session.accessToken(key), (token) =>
        UserBound.runStream(refusal, (refusals) => Stream.provideService(f(token), FitbitHttp.FitbitHttp, boundTo(key, refusals)))))

    const request = (key: string, call: SessionRequest) =>
      withAccessToken(key, (accessToken) => Effect.flatMap(FitbitHttp.FitbitHttp, (bound) => bound.request({ ...call, accessToken })))

    const save = (tokens: OAuth.TokenSet, key?: string) =>
      Effect.gen(function*() {
        const k = key ?? tokens.userId
        if (k === undefined || k === "") {
          return yield* new Errors.InvalidInput({ field: "key", reason: "the tokens name no user; pass a key" })
        }
        return yield* session.save(k, tokens)
      })

    return {
      session,
      exchangeCode: ({ key, ...params }) =>
        Effect.gen(function*() {
          const tokens = yield* Effect.provide(OAuth.exchangeCode(provider, params), context)
          const grant = yield* save(tokens, key)
          return { key: key ?? tokens.userId!, tokens: grant.tokens }
        }),
      save,
      request,
      get: (key, path, options) => request(key, { ...options, method: "GET", path }),
      post: (key, path, body, options) => request(key, { ...options, method: "POST", path, body }),
      put: (key, path, body, options) => request(key, { ...options, method: "PUT", path, body }),
      del: (key, path, options) => request(key, { ...options, method: "DELETE", path }),
      rateLimit: (key) =>
        http.rateLimits === undefined ? Effect.succeedNone : http.rateLimits.current(RateLimitPolicy.keyOf("fitbit", "user", key)),
      revoke: (key) => Effect.provide(Session.revokeGrant(session, provider, key), context),
      withAccessToken,
      stream
    } satisfies FitbitSessionShape
  })

/**
 * The service as a layer.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (
  options: Options = {}
): Layer.Layer<
  FitbitSession,
  never,
  FitbitConfig.FitbitConfig | FitbitHttp.FitbitHttp | HttpClient.HttpClient | TokenStore.TokenStore
> => Layer.scoped(FitbitSession, make(options))

/**
 * `GET` for a stored user.
 *
 * @since 0.1.0
 * @category verbs
 */
export const get = (
  key: string,
  path: string,
  options?: FitbitHttp.RequestOptions
): Effect.Effect<HttpExchange.ApiResponse, CallFailure, FitbitSession> =>
  Effect.flatMap(FitbitSession, (s) => s.get(key, path, options))

/**
 * `POST` for a stored user (never retried once sent unless `idempotent: true`).
 *
 * @since 0.1.0
 * @category verbs
 */
export const post = (
  key: string,
  path: string,
  body?: FitbitHttp.Body,
  options?: FitbitHttp.RequestOptions
): Effect.Effect<HttpExchange.ApiResponse, CallFailure, FitbitSession> =>
  Effect.flatMap(FitbitSession, (s) => s.post(key, path, body, options))

/**
 * `PUT` for a stored user (never retried once sent unless `idempotent: true`).
 *
 * @since 0.1.0
 * @category verbs
 */
export const put = (
  key: string,
  path: string,
  body?: FitbitHttp.Body,
  options?: FitbitHttp.RequestOptions
): Effect.Effect<HttpExchange.ApiResponse, CallFailure, FitbitSession> =>
  Effect.flatMap(FitbitSession, (s) => s.put(key, path, body, options))

/**
 * `DELETE` for a stored user (never retried once sent unless `idempotent: true`).
 *
 * @since 0.1.0
 * @category verbs
 */
export const del = (
  key: string,
  path: string,
  options?: FitbitHttp.RequestOptions
): Effect.Effect<HttpExchange.ApiResponse, CallFailure, FitbitSession> =>
  Effect.flatMap(FitbitSession, (s) => s.del(key, path, options))

/**
 * Runs a typed program for a stored user with the session in context (see
 * `FitbitSessionShape.withAccessToken`).
 *
 * @since 0.1.0
 * @category combinators
 */
export const withAccessToken = <A, E, R>(
  key: string,
  f: (accessToken: Redacted.Redacted<string>) => Effect.Effect<A, E, R>
): Effect.Effect<A, E | Session.SessionFailure, Exclude<R, FitbitHttp.FitbitHttp> | FitbitSession> =>
  Effect.flatMap(FitbitSession, (sessions) => sessions.withAccessToken(key, f))

/**
 * A stream of pages for a stored user with the session in context (see `FitbitSessionShape.stream`).
 *
 * @since 0.1.0
 * @category combinators
 */
export const stream = <A, E, R>(
  key: string,
  f: (accessToken: Redacted.Redacted<string>) => Stream.Stream<A, E, R>
): Stream.Stream<A, E | Session.SessionFailure, Exclude<R, FitbitHttp.FitbitHttp> | FitbitSession> =>
  Stream.unwrap(Effect.map(FitbitSession, (sessions) => sessions.stream(key, f)))
