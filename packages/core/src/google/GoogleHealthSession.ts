/**
 * Google Health API calls on behalf of stored users: the generic `Session` (token store,
 * single-flight refresh, re-consent detection) bound to the Google configuration and to
 * `GoogleHealthHttp`. Each call takes a user key instead of a token. Google answers an
 * expired access token with 401 `UNAUTHENTICATED`, so both `ExpiredToken` and `InvalidToken`
 * trigger one refresh and one retry; a refused refresh token means the user must consent again.
 *
 * @since 0.1.0
 */
import type * as HttpClient from "@effect/platform/HttpClient"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Stream from "effect/Stream"
import type * as Redacted from "effect/Redacted"
import type * as Scope from "effect/Scope"
import * as Errors from "../Errors.js"
import * as ErrorDecoder from "../internal/errorDecoder.js"
import * as UserBound from "../internal/userBound.js"
import * as OAuth from "../OAuth.js"
import * as Session from "../Session.js"
import type * as TokenStore from "../TokenStore.js"
import * as GoogleHealthConfig from "./GoogleHealthConfig.js"
import * as GoogleDataTypeRules from "./GoogleDataTypeRules.js"
import * as GoogleHealthHttp from "./GoogleHealthHttp.js"
import * as GoogleUsers from "./resources/GoogleUsers.js"
import type * as HttpExchange from "../HttpExchange.js"

/**
 * What a session call can fail with.
 *
 * @since 0.1.0
 * @category models
 */
export type CallFailure = Errors.RequestFailure | Session.SessionFailure

/**
 * A call without its token.
 *
 * @since 0.1.0
 * @category models
 */
export type SessionRequest = Omit<GoogleHealthHttp.GoogleHealthRequest, "accessToken">

/**
 * The Google Health session service.
 *
 * @since 0.1.0
 * @category models
 */
export interface GoogleHealthSessionShape {
  /** The generic session underneath. */
  readonly session: Session.SessionShape
  /**
   * Exchanges an authorization code and stores the grant under `key` (default: the user's
   * `healthUserId`, read from `users/me/identity` with the new token).
   */
  readonly exchangeCode: (params: Session.ExchangeCodeParams) => Effect.Effect<
    { readonly key: string; readonly tokens: OAuth.TokenSet },
    OAuth.TokenFailure | TokenStore.TokenStoreError | Errors.RequestFailure
  >
  /** Any call for a user. */
  readonly request: (
    key: string,
    request: SessionRequest
  ) => Effect.Effect<HttpExchange.ApiResponse, CallFailure>
  /**
   * Runs a typed program (e.g. `GoogleDataPoints.list`) for a stored user: its every call takes the
   * user's valid token, and a call Google refuses as expired or invalid is refreshed (single-flight)
   * and sent once more by itself, the calls before it standing. `f` receives the token at the start.
   */
  readonly withAccessToken: <A, E, R>(
    key: string,
    f: (accessToken: Redacted.Redacted<string>) => Effect.Effect<A, E, R>
  ) => Effect.Effect<A, E | Session.SessionFailure, Exclude<R, GoogleHealthHttp.GoogleHealthHttp>>
  /**
   * The stream counterpart of `withAccessToken`: a stream of pages (`GoogleDataPoints.stream`, …)
   * for a stored user, whose every page takes the user's valid token; a refresh mid-stream goes on
   * from the page it was on, every point once.
   */
  readonly stream: <A, E, R>(
    key: string,
    f: (accessToken: Redacted.Redacted<string>) => Stream.Stream<A, E, R>
  ) => Stream.Stream<A, E | Session.SessionFailure, Exclude<R, GoogleHealthHttp.GoogleHealthHttp>>
  /** Revokes the user's grant at Google and forgets it. */
  readonly revoke: (key: string) => Effect.Effect<void, OAuth.TokenFailure | TokenStore.TokenStoreError>
}

/**
 * The Google Health session service.
 *
 * @since 0.1.0
 * @category schemas
 */
export class GoogleHealthSession extends Context.Tag("@fitbit-effect/core/GoogleHealthSession")<
  GoogleHealthSession,
  GoogleHealthSessionShape
>() {}

/**
 * Options: the generic session's, without the provider (from `GoogleHealthConfig`).
 *
 * @since 0.1.0
 * @category models
 */
export type Options = Omit<Session.Options, "provider">

/**
 * Whether a failure means the access token is no longer accepted (expired or revoked).
 *
 * @since 0.1.0
 * @category predicates
 */
export const isUnauthenticated = (error: unknown): boolean =>
  typeof error === "object" && error !== null &&
  ((error as { _tag?: unknown })._tag === "ExpiredToken" || (error as { _tag?: unknown })._tag === "InvalidToken")

/**
 * Makes the service.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (
  options: Options = {}
): Effect.Effect<
  GoogleHealthSessionShape,
  never,
  | GoogleHealthConfig.GoogleHealthConfig
  | GoogleHealthHttp.GoogleHealthHttp
  | HttpClient.HttpClient
  | TokenStore.TokenStore
  | Scope.Scope
> =>
  Effect.gen(function*() {
    const config = yield* GoogleHealthConfig.GoogleHealthConfig
    const http = yield* GoogleHealthHttp.GoogleHealthHttp
    const context = yield* Effect.context<HttpClient.HttpClient>()
    const provider = GoogleHealthConfig.toOAuthProvider(config)
    const session = yield* Session.make({ isExpiredToken: isUnauthenticated, ...options, provider })

    const refusal: UserBound.Provider = {
      isRefused: options.isExpiredToken ?? isUnauthenticated,
      judge: (response) => ErrorDecoder.toApiFailure({ ...response, now: response.receivedAt }),
      requiredScopes: (request: GoogleHealthHttp.GoogleHealthRequest) => GoogleDataTypeRules.requiredScopes(request.method, request.path)
    }
    const boundTo = (key: string, refusals: Parameters<typeof UserBound.bind>[4], granted: ReadonlyArray<string>) =>
      UserBound.bind(http, session, key, refusal, refusals, granted)
    /** The user's valid token and the scopes the grant holds (one store read). */
    const start = (key: string) => Effect.map(session.tokens(key), (valid) => [valid.accessToken, valid.scopes] as const)

    const withAccessToken = <A, E, R>(key: string, f: (token: Redacted.Redacted<string>) => Effect.Effect<A, E, R>) =>
      Effect.flatMap(start(key), ([token, granted]) =>
        UserBound.run(refusal, (refusals) => Effect.provideService(f(token), GoogleHealthHttp.GoogleHealthHttp, boundTo(key, refusals, granted))))

    const stream = <A, E, R>(key: string, f: (token: Redacted.Redacted<string>) => Stream.Stream<A, E, R>) =>
      Stream.unwrap(Effect.map(start(key), ([token, granted]) =>
        UserBound.runStream(refusal, (refusals) => Stream.provideService(f(token), GoogleHealthHttp.GoogleHealthHttp, boundTo(key, refusals, granted)))))

    return {
      session,
      exchangeCode: ({ key, ...params }) =>
        Effect.gen(function*() {
          const tokens = yield* Effect.provide(OAuth.exchangeCode(provider, params), context)
          const resolved = key ?? (yield* GoogleUsers.getIdentity(tokens.accessToken).pipe(
            Effect.provideService(GoogleHealthHttp.GoogleHealthHttp, http),
            Effect.flatMap((identity) =>
              identity.healthUserId === undefined || identity.healthUserId === ""
                ? Effect.fail(new Errors.InvalidInput({ field: "key", reason: "the identity names no user; pass a key" }))
                : Effect.succeed(identity.healthUserId)
            )
          ))
          const grant = yield* session.save(resolved, tokens)
          return { key: resolved, tokens: grant.tokens }
        }),
      request: (key, call) => withAccessToken(key, (accessToken) => GoogleHealthHttp.call({ ...call, accessToken })),
      withAccessToken,
      stream,
      revoke: (key) => Effect.provide(Session.revokeGrant(session, provider, key), context)
    } satisfies GoogleHealthSessionShape
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
  GoogleHealthSession,
  never,
  GoogleHealthConfig.GoogleHealthConfig | GoogleHealthHttp.GoogleHealthHttp | HttpClient.HttpClient | TokenStore.TokenStore
> => Layer.scoped(GoogleHealthSession, make(options))

/**
 * Runs a typed program for a stored user with the session in context (see
 * `GoogleHealthSessionShape.withAccessToken`): `GoogleHealthSession.withAccessToken(key, (token) =>
 * GoogleDataPoints.list(token, "steps", { filter }))`.
 *
 * @since 0.1.0
 * @category combinators
 */
export const withAccessToken = <A, E, R>(
  key: string,
  f: (accessToken: Redacted.Redacted<string>) => Effect.Effect<A, E, R>
): Effect.Effect<A, E | Session.SessionFailure, Exclude<R, GoogleHealthHttp.GoogleHealthHttp> | GoogleHealthSession> =>
  Effect.flatMap(GoogleHealthSession, (sessions) => sessions.withAccessToken(key, f))

/**
 * A stream of pages for a stored user with the session in context (see
 * `GoogleHealthSessionShape.stream`): `GoogleHealthSession.stream(key, (token) =>
 * GoogleDataPoints.stream(token, "steps", { filter }))` goes on from the page it was on after a refresh.
 *
 * @since 0.1.0
 * @category combinators
 */
export const stream = <A, E, R>(
  key: string,
  f: (accessToken: Redacted.Redacted<string>) => Stream.Stream<A, E, R>
): Stream.Stream<A, E | Session.SessionFailure, Exclude<R, GoogleHealthHttp.GoogleHealthHttp> | GoogleHealthSession> =>
  Stream.unwrap(Effect.map(GoogleHealthSession, (sessions) => sessions.stream(key, f)))
