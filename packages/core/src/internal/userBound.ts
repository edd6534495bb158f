/**
 * A provider's HTTP service bound to one stored user of a session, for a program or a stream run
 * for that user (`GoogleHealthSession.withAccessToken`, `stream`; `FitbitSession`'s): every request
 * takes the session's current token for the user (refreshed first when it is about to expire), and
 * a request the API refuses as expired or invalid is refreshed (single-flight) and sent once more by
 * itself. The requests before it stand, so a stream goes on from the page it was on.
 *
 * A refresh that fails (the user must consent again, the store is down) is kept in `refusals` and
 * the request fails with the API's refusal; {@link run} and {@link runStream} then fail with the
 * refresh's failure, so the program's own error type stays what its programs declare.
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import type * as Redacted from "effect/Redacted"
import * as Ref from "effect/Ref"
import * as Stream from "effect/Stream"
import * as Errors from "../Errors.js"
import type * as HttpExchange from "../HttpExchange.js"
import type * as Session from "../Session.js"

/**
 * The part of a provider's HTTP service a binding wraps.
 *
 * @since 0.1.0
 * @category models
 */
export interface HttpService<Request> {
  readonly execute: (request: Request) => Effect.Effect<HttpExchange.ApiResponse, Errors.ExecuteFailure>
  readonly request: (request: Request) => Effect.Effect<HttpExchange.ApiResponse, Errors.RequestFailure>
}

/** A provider's request: it names an access token (replaced by the user's) and may name a rate-limit key. */
type BoundRequest = any

/**
 * What a binding needs to know of its provider.
 *
 * @since 0.1.0
 * @category models
 */
export interface Provider {
  /** Whether a failure means the API refused the token (expired, revoked). */
  readonly isRefused: (error: unknown) => boolean
  /** The tagged error of a non-2xx answer (for `execute`, which answers every status). */
  readonly judge: (response: HttpExchange.ApiResponse) => Errors.ApiFailure
  /**
   * The scopes a request needs (`GoogleDataTypeRules.requiredScopes`): a request the user's grant
   * cannot satisfy is refused before it is sent, naming the scope to ask for. Absent: not judged.
   */
  readonly requiredScopes?: ((request: BoundRequest) => ReadonlyArray<ReadonlyArray<string>> | undefined) | undefined
}

/**
 * The groups of `required` (each satisfied by any one of its scopes) that `granted` does not satisfy.
 *
 * @since 0.1.0
 * @category validation
 */
export const missingScopes = (
  required: ReadonlyArray<ReadonlyArray<string>>,
  granted: ReadonlyArray<string>
): ReadonlyArray<ReadonlyArray<string>> => {
  const held = new Set(granted)
  return required.filter((group) => !group.some((scope) => held.has(scope)))
}

/** The refusal of a request whose scopes the grant lacks: nothing was sent. */
const lacking = (request: BoundRequest, missing: ReadonlyArray<ReadonlyArray<string>>, granted: ReadonlyArray<string>) =>
  new Errors.InsufficientScope({
    status: 403,
    method: String(request.method),
    url: String(request.path),
    errors: [new Errors.ErrorEntry({ errorType: "insufficient_scope", message: "not sent: the user's grant lacks a scope this call needs" })],
    requiredScopes: missing.map((group) => group[0]!),
    grantedScopes: granted
  })

/** What stands for a refresh's failure inside the bound program until {@link run} swaps the refresh's own failure in. */
const refusedHere = (key: string) =>
  new Errors.InvalidToken({ status: 401, method: "", url: "", errors: [new Errors.ErrorEntry({ errorType: "session", message: `the session has no usable token for ${JSON.stringify(key)}` })] })

/**
 * The service bound to `key`: each request with the session's token for the user, and its
 * rate-limit key when it names none.
 *
 * @since 0.1.0
 * @category constructors
 */
export const bind = <S extends HttpService<BoundRequest>>(
  service: S,
  session: Session.SessionShape,
  key: string,
  provider: Provider,
  refusals: Ref.Ref<Option.Option<Session.SessionFailure>>,
  granted: ReadonlyArray<string> = []
): S => {
  /** A request the grant cannot satisfy, refused before sending; `undefined` to send it. */
  const refusedScopes = (request: BoundRequest): Errors.InsufficientScope | undefined => {
    const required = granted.length === 0 ? undefined : provider.requiredScopes?.(request)
    if (required === undefined) return undefined
    const missing = missingScopes(required, granted)
    return missing.length === 0 ? undefined : lacking(request, missing, granted)
  }
  /** An API's scope refusal with the scopes the grant holds. */
  const withGranted = <E>(error: E): E =>
    granted.length > 0 && (error as { _tag?: unknown })?._tag === "InsufficientScope" && (error as unknown as Errors.InsufficientScope).grantedScopes === undefined
      ? new Errors.InsufficientScope({ ...(error as unknown as Errors.InsufficientScope), grantedScopes: granted }) as E
      : error
  const forUser = (request: BoundRequest, token: Redacted.Redacted<string>): BoundRequest =>
    ({ ...request, accessToken: token, rateLimitKey: request.rateLimitKey ?? key })
  /** The session's token, or the standing failure (the refresh's own failure kept for `run`). */
  const token = Effect.catchAll(session.accessToken(key), (failure) =>
    Effect.zipRight(Ref.set(refusals, Option.some(failure)), Effect.fail(refusedHere(key))))
  /** After the API refused `stale`: a refreshed token, or the API's refusal (the refresh's failure kept for `run`). */
  const refreshed = <E>(stale: Redacted.Redacted<string>, refusal: E) =>
    Effect.matchEffect(session.refresh(key, stale), {
      onFailure: (failure) => Effect.zipRight(Ref.set(refusals, Option.some(failure)), Effect.fail(refusal)),
      onSuccess: (fresh) => Effect.succeed(fresh.accessToken)
    })
  return {
    ...service,
    request: (request: BoundRequest) => {
      const scopes = refusedScopes(request)
      if (scopes !== undefined) return Effect.fail(scopes)
      return Effect.flatMap(token, (current) =>
        service.request(forUser(request, current)).pipe(
          Effect.catchIf(provider.isRefused, (refusal) =>
            Effect.flatMap(refreshed(current, refusal), (fresh) => service.request(forUser(request, fresh)))),
          Effect.mapError(withGranted)
        ))
    },
    execute: (request: BoundRequest) =>
      Effect.flatMap(token, (current) =>
        Effect.flatMap(service.execute(forUser(request, current)), (response) =>
          response.status === 401 && provider.isRefused(provider.judge(response))
            ? Effect.flatMap(refreshed(current, refusedHere(key)), (fresh) => service.execute(forUser(request, fresh)))
            : Effect.succeed(response)))
  }
}

/** The failure a bound program ends with: a refused token's failure is the refresh's own when one was kept. */
const settle = <E>(provider: Provider, refusals: Ref.Ref<Option.Option<Session.SessionFailure>>, error: E) =>
  provider.isRefused(error)
    ? Effect.flatMap(Ref.get(refusals), (kept) => Effect.fail<E | Session.SessionFailure>(Option.isSome(kept) ? kept.value : error))
    : Effect.fail(error)

/**
 * Runs `program` with the bound service (made by `provide` from the refusals' cell), failing with a
 * refresh's failure when the session could not give the user a token.
 *
 * @since 0.1.0
 * @category combinators
 */
export const run = <A, E, R>(
  provider: Provider,
  program: (refusals: Ref.Ref<Option.Option<Session.SessionFailure>>) => Effect.Effect<A, E, R>
): Effect.Effect<A, E | Session.SessionFailure, R> =>
  Effect.flatMap(Ref.make(Option.none<Session.SessionFailure>()), (refusals) =>
    Effect.catchAll(program(refusals), (error) => settle(provider, refusals, error)))

/**
 * The stream counterpart of {@link run}.
 *
 * @since 0.1.0
 * @category combinators
 */
export const runStream = <A, E, R>(
  provider: Provider,
  stream: (refusals: Ref.Ref<Option.Option<Session.SessionFailure>>) => Stream.Stream<A, E, R>
): Stream.Stream<A, E | Session.SessionFailure, R> =>
  Stream.unwrap(Effect.map(Ref.make(Option.none<Session.SessionFailure>()), (refusals) =>
    Stream.catchAll(stream(refusals), (error) => Stream.fromEffect(settle(provider, refusals, error)))))
