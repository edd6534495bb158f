/**
 * OAuth 2.0 authorization-code flow against any provider (Fitbit, Google): the pure
 * authorize-URL builder, and the code exchange, refresh, revoke and introspect calls.
 * It knows nothing of token stores; sessions build on it.
 *
 * @since 0.1.0
 */
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import type * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import * as ErrorDecoder from "./internal/errorDecoder.js"
import * as Errors from "./Errors.js"
import * as FormBody from "./internal/formBody.js"
import * as HttpExchange from "./HttpExchange.js"
import * as Pkce from "./Pkce.js"
import * as ParseReason from "./internal/parseReason.js"
import { reveal } from "./internal/secret.js"

/**
 * Where and how to talk to one OAuth provider.
 *
 * @since 0.1.0
 * @category models
 */
export interface OAuthProvider {
  /** A short name for spans and messages: `fitbit`, `google`. */
  readonly name: string
  readonly clientId: string
  /** Absent for public clients (PKCE), which send only `client_id`. */
  readonly clientSecret: Option.Option<Redacted.Redacted<string>>
  readonly authorizeUrl: string
  readonly tokenUrl: string
  readonly revokeUrl: string
  readonly introspectUrl: Option.Option<string>
  /** How a confidential client proves itself: HTTP Basic, or `client_secret` in the body. */
  readonly clientAuthentication: "basic" | "post"
  /** Whether the code exchange names `client_id` in the body even with Basic auth (Fitbit asks for it). */
  readonly sendClientIdOnCodeExchange: boolean
  readonly timeout: Duration.Duration
  /** The largest answer body read from the provider's endpoints (default `HttpExchange.DEFAULT_MAX_BODY_BYTES`). */
  readonly maxBodyBytes?: number | undefined
  /**
   * What a refused refresh token may mean, given how long ago the user consented (Google: a
   * project in Testing mode, whose refresh tokens expire after 7 days); shown with the session's
   * `ReauthorizationRequired`.
   */
  readonly refusalHint?: ((grantAgeMillis: number) => string | undefined) | undefined
  /** The tagged error of a non-2xx answer of the provider's endpoints (default: the shared decoder). */
  readonly decodeFailure?: ((response: ErrorDecoder.FailedResponse) => Errors.ApiFailure) | undefined
}

/**
 * Parameters of the authorization URL.
 *
 * @since 0.1.0
 * @category models
 */
export interface AuthorizeParams {
  /** Scopes, as an array or a space-separated string; always sent space-joined. */
  readonly scope: string | ReadonlyArray<string>
  readonly redirectUri: string
  /** `none`, `consent`, `login`, `login consent`, `select_account`, … */
  readonly prompt?: string | undefined
  /** Opaque value echoed back to the redirect URI (CSRF protection). */
  readonly state?: string | undefined
  /** PKCE S256 challenge (see `Pkce`). */
  readonly codeChallenge?: string | undefined
  /** Provider-specific extras, appended in order (e.g. Google's `access_type`). */
  readonly extraParams?: Readonly<Record<string, string | undefined>> | undefined
}

/**
 * Joins scopes with single spaces, accepting an array or a string with any whitespace.
 *
 * @since 0.1.0
 * @category formatting
 */
export const joinScopes = (scope: string | ReadonlyArray<string>): string =>
  (typeof scope === "string" ? scope.split(/\s+/) : scope).map((s) => s.trim()).filter((s) => s !== "").join(" ")

/**
 * Builds the authorization URL: `response_type, client_id, scope, redirect_uri, prompt,
 * state, code_challenge, code_challenge_method`, then the extras. Empty optional values are
 * left out. Pure.
 *
 * @since 0.1.0
 * @category authorization
 */
export const authorizeUrl = (provider: Pick<OAuthProvider, "authorizeUrl" | "clientId">, params: AuthorizeParams): string => {
  const query: Array<[string, string | undefined]> = [
    ["response_type", "code"],
    ["client_id", provider.clientId],
    ["scope", joinScopes(params.scope)],
    ["redirect_uri", params.redirectUri],
    ["prompt", params.prompt],
    ["state", params.state],
    ["code_challenge", params.codeChallenge],
    ["code_challenge_method", params.codeChallenge === undefined || params.codeChallenge === "" ? undefined : "S256"],
    ...Object.entries(params.extraParams ?? {})
  ]
  const encoded = query
    .filter((entry): entry is [string, string] => entry[1] !== undefined && entry[1] !== "")
    .map(([key, value]) => `${FormBody.encodeComponent(key)}=${FormBody.encodeComponent(value)}`)
    .join("&")
  const separator = provider.authorizeUrl.includes("?") ? "&" : "?"
  return provider.authorizeUrl + separator + encoded
}

/**
 * A token endpoint's success body (RFC 6749 §5.1, with Fitbit's `user_id`).
 *
 * @since 0.1.0
 * @category schemas
 */
export const TokenResponse = Schema.Struct({
  access_token: Schema.String,
  token_type: Schema.String,
  expires_in: Schema.Number,
  refresh_token: Schema.optional(Schema.String),
  scope: Schema.optional(Schema.String),
  user_id: Schema.optional(Schema.String),
  id_token: Schema.optional(Schema.String)
})

/**
 * The longest access-token lifetime taken from a token endpoint or an import: one year, in
 * seconds (Fitbit's longest grant). A longer `expires_in` (`1e400` parses as `Infinity`) is taken as
 * one year, a negative one as already expired, so a stored expiry is always a finite time.
 *
 * @since 0.1.0
 * @category constants
 */
export const MAX_TOKEN_LIFETIME_SECONDS = 365 * 24 * 60 * 60

/** A lifetime in seconds within [0, one year]; `NaN` stays `NaN` (refused by the caller). */
const boundedLifetime = (seconds: number): number =>
  Number.isNaN(seconds) ? seconds : Math.min(Math.max(seconds, 0), MAX_TOKEN_LIFETIME_SECONDS)

/**
 * A token set: the tokens `Redacted`, the granted scopes, the user, and when the access
 * token expires. Its encoded form (plain strings, epoch milliseconds) is what token stores keep.
 * Every field is checked when one is made or read back: tokens are not empty, the lifetime is
 * within {@link MAX_TOKEN_LIFETIME_SECONDS} and the expiry a finite time.
 *
 * @since 0.1.0
 * @category models
 */
export class TokenSet extends Schema.Class<TokenSet>("TokenSet")({
  accessToken: Schema.Redacted(Schema.NonEmptyString),
  refreshToken: Schema.optional(Schema.Redacted(Schema.NonEmptyString)),
  tokenType: Schema.String,
  scopes: Schema.Array(Schema.String),
  /** Fitbit's encoded user id, when the provider names one. */
  userId: Schema.optional(Schema.String),
  /** Lifetime the server granted, in seconds (at most {@link MAX_TOKEN_LIFETIME_SECONDS}). */
  expiresIn: Schema.Number.pipe(Schema.between(0, MAX_TOKEN_LIFETIME_SECONDS)),
  /** When the access token expires, epoch milliseconds (from `Clock` at receipt). */
  expiresAt: Schema.Finite
}) {
  /** Whether the access token has expired, or will within `skewMillis`, at `now`. */
  isExpired(now: number, skewMillis = 0): boolean {
    return now + skewMillis >= this.expiresAt
  }
  /** The token endpoint's JSON shape, tokens in clear: for callers that asked for it. */
  toWire(): {
    access_token: string
    expires_in: number
    refresh_token?: string
    scope: string
    token_type: string
    user_id?: string
  } {
    return {
      access_token: Redacted.value(this.accessToken),
      expires_in: this.expiresIn,
      ...(this.refreshToken === undefined ? {} : { refresh_token: Redacted.value(this.refreshToken) }),
      scope: this.scopes.join(" "),
      token_type: this.tokenType,
      ...(this.userId === undefined ? {} : { user_id: this.userId })
    }
  }
}

/**
 * A token set from a token endpoint's JSON (or an import of it), checked as a whole before anything
 * is kept: a non-empty `access_token`, a `refresh_token` that is not empty when given, a numeric
 * `expires_in` (bounded to [0, {@link MAX_TOKEN_LIFETIME_SECONDS}]), `expiresAt` from `receivedAt`.
 * A refresh answer without `refresh_token` keeps `previousRefreshToken` (Google does not always
 * rotate). `Left` names the field to fix, never a value.
 *
 * @since 0.1.0
 * @category constructors
 */
export const tokenSetFromWire = (
  wire: {
    readonly access_token: string
    readonly expires_in: number
    readonly refresh_token?: string | undefined
    readonly scope?: string | undefined
    readonly token_type?: string | undefined
    readonly user_id?: string | undefined
  },
  receivedAt: number,
  previousRefreshToken?: Redacted.Redacted<string>
): Either.Either<TokenSet, { readonly field: string; readonly reason: string }> => {
  if (typeof wire.access_token !== "string" || wire.access_token.trim() === "") {
    return Either.left({ field: "access_token", reason: "is empty: the token endpoint issued no usable access token" })
  }
  if (wire.refresh_token !== undefined && (typeof wire.refresh_token !== "string" || wire.refresh_token.trim() === "")) {
    return Either.left({ field: "refresh_token", reason: "is empty" })
  }
  const expiresIn = boundedLifetime(typeof wire.expires_in === "number" ? wire.expires_in : Number.NaN)
  if (Number.isNaN(expiresIn)) return Either.left({ field: "expires_in", reason: "must be a number of seconds" })
  const refresh = wire.refresh_token === undefined ? previousRefreshToken : Redacted.make(wire.refresh_token)
  return Either.right(
    new TokenSet({
      accessToken: Redacted.make(wire.access_token),
      ...(refresh === undefined ? {} : { refreshToken: refresh }),
      tokenType: wire.token_type ?? "Bearer",
      scopes: wire.scope === undefined ? [] : joinScopes(wire.scope).split(" ").filter((s) => s !== ""),
      ...(wire.user_id === undefined ? {} : { userId: wire.user_id }),
      expiresIn,
      expiresAt: receivedAt + expiresIn * 1000
    })
  )
}

/**
 * Decodes a token endpoint body into a {@link TokenSet} ({@link tokenSetFromWire}); a body that
 * is not a usable token set fails with `DecodeError` naming the field.
 *
 * @since 0.1.0
 * @category decoding
 */
export const decodeTokenSet = (
  response: HttpExchange.ApiResponse,
  previousRefreshToken?: Redacted.Redacted<string>
): Effect.Effect<TokenSet, Errors.DecodeError> =>
  Schema.decodeUnknown(TokenResponse)(response.body).pipe(
    Effect.mapError((error) => ParseReason.decodeError(response, response.method, error)),
    Effect.flatMap((wire) =>
      Either.mapLeft(
        tokenSetFromWire(wire, response.receivedAt, previousRefreshToken),
        ({ field, reason }) =>
          new Errors.DecodeError({ status: response.status, method: response.method, url: response.url, reason: `${field} ${reason}` })
      )
    )
  )

/**
 * An RFC 7662 introspection answer. `exp` and `iat` are epoch milliseconds at Fitbit.
 *
 * @since 0.1.0
 * @category schemas
 */
export class Introspection extends Schema.Class<Introspection>("Introspection")({
  active: Schema.Boolean,
  scope: Schema.optional(Schema.String),
  client_id: Schema.optional(Schema.String),
  user_id: Schema.optional(Schema.String),
  token_type: Schema.optional(Schema.String),
  exp: Schema.optional(Schema.Number),
  iat: Schema.optional(Schema.Number)
}) {}

/** Everything a token-endpoint call can fail with. */
export type TokenFailure =
  | Errors.ApiFailure
  | Errors.TransportError
  | Errors.TimeoutError
  | Errors.ResponseTooLarge
  | Errors.DecodeError
  | Errors.InvalidInput

/**
 * POSTs a form to one of the provider's endpoints with client authentication, and reads
 * the answer; non-2xx answers fail with their tagged error.
 */
const postForm = (
  provider: OAuthProvider,
  url: string,
  fields: Record<string, string | undefined>,
  options: { readonly secrets: ReadonlyArray<string>; readonly bearer?: string; readonly clientIdInBody?: boolean }
): Effect.Effect<HttpExchange.ApiResponse, TokenFailure, HttpClient.HttpClient> =>
  Effect.gen(function*() {
    const client = yield* HttpExchange.boundedClient(provider.timeout, provider.maxBodyBytes)
    const secret = Option.map(provider.clientSecret, Redacted.value)
    const body: Record<string, string | undefined> = { ...fields }
    let request = HttpClientRequest.post(url).pipe(HttpClientRequest.acceptJson)
    if (options.bearer !== undefined) {
      request = HttpClientRequest.bearerToken(request, options.bearer)
    } else if (Option.isSome(secret) && provider.clientAuthentication === "basic") {
      request = HttpClientRequest.basicAuth(request, provider.clientId, secret.value)
    }
    if (Option.isNone(secret) || options.clientIdInBody === true || provider.clientAuthentication === "post") {
      body.client_id = provider.clientId
    }
    if (Option.isSome(secret) && provider.clientAuthentication === "post" && options.bearer === undefined) {
      body.client_secret = secret.value
    }
    request = HttpClientRequest.bodyText(request, FormBody.encode(body), "application/x-www-form-urlencoded")
    const secrets = [...options.secrets, ...Option.toArray(secret)]
    const response = yield* HttpExchange.send(client, request, { timeout: provider.timeout, secrets })
    if (!HttpExchange.isSuccess(response.status)) {
      return yield* Effect.fail((provider.decodeFailure ?? ErrorDecoder.toApiFailure)({ ...response, now: response.receivedAt, secrets }))
    }
    return response
  }).pipe(Effect.withSpan(`oauth.${provider.name}`, { attributes: { "http.url": HttpExchange.displayUrl(url) } }))

/**
 * Exchanges an authorization code for tokens (with `code_verifier` when PKCE was used).
 *
 * @since 0.1.0
 * @category tokens
 */
export const exchangeCode = (
  provider: OAuthProvider,
  params: {
    readonly code: string
    readonly redirectUri: string
    readonly codeVerifier?: string | Redacted.Redacted<string> | undefined
  }
): Effect.Effect<TokenSet, TokenFailure, HttpClient.HttpClient> =>
  Effect.gen(function*() {
    if (typeof params.code !== "string" || params.code === "") {
      return yield* new Errors.InvalidInput({ field: "code", reason: "an authorization code is required" })
    }
    if (typeof params.redirectUri !== "string" || params.redirectUri === "") {
      return yield* new Errors.InvalidInput({ field: "redirectUri", reason: "a redirect URI is required" })
    }
    const verifier = params.codeVerifier === undefined ? undefined : yield* Pkce.validateVerifier(reveal(params.codeVerifier))
    const response = yield* postForm(provider, provider.tokenUrl, {
      grant_type: "authorization_code",
      code: params.code,
      redirect_uri: params.redirectUri,
      code_verifier: verifier
    }, {
      secrets: [params.code, ...(verifier === undefined ? [] : [verifier])],
      clientIdInBody: provider.sendClientIdOnCodeExchange
    })
    return yield* decodeTokenSet(response)
  })

/**
 * Trades a refresh token for a new token set. `expiresIn` asks for an access-token
 * lifetime in seconds. When the provider does not rotate, the old refresh token is kept.
 *
 * @since 0.1.0
 * @category tokens
 */
export const refresh = (
  provider: OAuthProvider,
  params: { readonly refreshToken: string | Redacted.Redacted<string>; readonly expiresIn?: number | undefined }
): Effect.Effect<TokenSet, TokenFailure, HttpClient.HttpClient> =>
  Effect.gen(function*() {
    const refreshToken = reveal(params.refreshToken)
    if (typeof refreshToken !== "string" || refreshToken === "") {
      return yield* new Errors.InvalidInput({ field: "refreshToken", reason: "a refresh token is required" })
    }
    if (params.expiresIn !== undefined && !(Number.isInteger(params.expiresIn) && params.expiresIn > 0)) {
      return yield* new Errors.InvalidInput({ field: "expiresIn", reason: "must be a positive whole number of seconds" })
    }
    const response = yield* postForm(provider, provider.tokenUrl, {
      grant_type: "refresh_token",
      refresh_token: refreshToken,
      expires_in: params.expiresIn === undefined ? undefined : String(params.expiresIn)
    }, { secrets: [refreshToken] })
    return yield* decodeTokenSet(response, Redacted.make(refreshToken))
  })

/**
 * Revokes a token (access or refresh); at Fitbit and Google this ends the whole grant.
 *
 * @since 0.1.0
 * @category tokens
 */
export const revoke = (
  provider: OAuthProvider,
  token: string | Redacted.Redacted<string>
): Effect.Effect<void, TokenFailure, HttpClient.HttpClient> =>
  Effect.gen(function*() {
    const value = reveal(token)
    if (typeof value !== "string" || value === "") {
      return yield* new Errors.InvalidInput({ field: "token", reason: "a token is required" })
    }
    yield* postForm(provider, provider.revokeUrl, { token: value }, { secrets: [value] })
  })

/**
 * Asks the provider about a token (RFC 7662). Fitbit authenticates the call with a valid
 * access token (`bearer`), which may be the token inspected.
 *
 * @since 0.1.0
 * @category tokens
 */
export const introspect = (
  provider: OAuthProvider,
  params: { readonly token: string | Redacted.Redacted<string>; readonly bearer: string | Redacted.Redacted<string> }
): Effect.Effect<Introspection, TokenFailure, HttpClient.HttpClient> =>
  Effect.gen(function*() {
    if (Option.isNone(provider.introspectUrl)) {
      return yield* new Errors.InvalidInput({ field: "introspectUrl", reason: `${provider.name} has no introspection endpoint` })
    }
    const token = reveal(params.token)
    const bearer = reveal(params.bearer)
    if (token === "" || bearer === "") {
      return yield* new Errors.InvalidInput({ field: "token", reason: "a token is required" })
    }
    const response = yield* postForm(provider, provider.introspectUrl.value, { token }, {
      secrets: [token, bearer],
      bearer
    })
    return yield* Schema.decodeUnknown(Introspection)(response.body).pipe(
      Effect.mapError((error) => ParseReason.decodeError(response, response.method, error))
    )
  })
