/**
 * The tagged errors every program of this library fails with.
 *
 * API errors (a non-2xx answer) carry the HTTP status, the error entries the server sent
 * and the rate-limit state; they are distinct from transport failures, timeouts, decoding
 * failures and bad input, which never reach the network. Messages never contain a token:
 * server messages are scrubbed before they are stored (Fitbit echoes expired tokens).
 *
 * @since 0.1.0
 */
import * as Predicate from "effect/Predicate"
import * as Schema from "effect/Schema"
import { RateLimitState } from "./RateLimit.js"

/**
 * One entry of an API error body: Fitbit's `{errorType, fieldName?, message}`, or the
 * equivalent read from Google's and OAuth's error shapes.
 *
 * @since 0.1.0
 * @category models
 */
export class ErrorEntry extends Schema.Class<ErrorEntry>("ErrorEntry")({
  errorType: Schema.String,
  fieldName: Schema.optional(Schema.String),
  message: Schema.String
}) {}

const apiErrorFields = {
  /** HTTP status of the response. */
  status: Schema.Number,
  /** HTTP method of the request. */
  method: Schema.String,
  /** URL of the request (no credentials are ever part of it). */
  url: Schema.String,
  /** The error entries decoded from the body; empty when the body was empty or not JSON. */
  errors: Schema.Array(ErrorEntry),
  /** The rate-limit state reported by the response, when it had the headers. */
  rateLimit: Schema.optional(RateLimitState)
}

const describe = (self: {
  readonly _tag: string
  readonly status: number
  readonly method: string
  readonly url: string
  readonly errors: ReadonlyArray<ErrorEntry>
}): string => {
  const first = self.errors[0]
  const detail = first === undefined ? "" : `: ${first.errorType}${first.message ? ` (${first.message})` : ""}`
  return `${self.method} ${self.url} answered ${self.status}${detail}`
}

/**
 * Gives an API-answer error class its `message` (tag, method, URL, status, first entry),
 * written once here for all of them. A mixin over the class `Schema.TaggedError` made, so
 * each error stays a plain `Schema.TaggedError` with its own tag and fields.
 */
const withApiMessage = <
  C extends new(...args: Array<any>) => Parameters<typeof describe>[0] & Error
>(Base: C) =>
  class extends Base {
    override get message(): string {
      return describe(this)
    }
  }

/**
 * 401 `expired_token`: the access token has expired; refresh it and repeat the call.
 *
 * @since 0.1.0
 * @category errors
 */
export class ExpiredToken extends withApiMessage(Schema.TaggedError<ExpiredToken>()("ExpiredToken", apiErrorFields)) {}

/**
 * 401 `invalid_token` (or Google's `UNAUTHENTICATED`): the token is revoked or malformed.
 *
 * @since 0.1.0
 * @category errors
 */
export class InvalidToken extends withApiMessage(Schema.TaggedError<InvalidToken>()("InvalidToken", apiErrorFields)) {}

/**
 * 401/400 `invalid_client`: the client id or secret is wrong.
 *
 * @since 0.1.0
 * @category errors
 */
export class InvalidClient extends withApiMessage(Schema.TaggedError<InvalidClient>()("InvalidClient", apiErrorFields)) {}

/**
 * 403 `insufficient_scope` / `insufficient_permissions` (or `PERMISSION_DENIED`).
 *
 * @since 0.1.0
 * @category errors
 */
export class InsufficientScope extends withApiMessage(Schema.TaggedError<InsufficientScope>()("InsufficientScope", {
  ...apiErrorFields,
  /** The scopes the call needed that the token lacks, one to ask for per group (Google: scope URLs), when the library knows them. */
  requiredScopes: Schema.optional(Schema.Array(Schema.String)),
  /** The scopes the token was granted, when the library knows them (a stored grant's). */
  grantedScopes: Schema.optional(Schema.Array(Schema.String))
})) {
  override get message(): string {
    const short = (scope: string) => scope.replace("https://www.googleapis.com/auth/", "")
    const needed = this.requiredScopes === undefined || this.requiredScopes.length === 0
      ? ""
      : `; it needs ${this.requiredScopes.map(short).join(" and ")} (ask for it in the authorization URL and have the user consent again)`
    const granted = this.grantedScopes === undefined ? "" : `; the token has ${this.grantedScopes.length === 0 ? "no scope" : this.grantedScopes.map(short).join(", ")}`
    return super.message + needed + granted
  }
}

/**
 * 400 `invalid_grant` at the token endpoint: the code or refresh token is used, expired or revoked.
 *
 * @since 0.1.0
 * @category errors
 */
export class InvalidGrant extends withApiMessage(Schema.TaggedError<InvalidGrant>()("InvalidGrant", apiErrorFields)) {}

/**
 * 400 `validation`, `invalid_request`, `unsupported_grant_type` (or `INVALID_ARGUMENT`):
 * the server rejected the request's input.
 *
 * @since 0.1.0
 * @category errors
 */
export class ValidationFailed extends withApiMessage(Schema.TaggedError<ValidationFailed>()("ValidationFailed", apiErrorFields)) {}

/**
 * 404 `not_found`: no such resource.
 *
 * @since 0.1.0
 * @category errors
 */
export class NotFound extends withApiMessage(Schema.TaggedError<NotFound>()("NotFound", apiErrorFields)) {}

/**
 * 409 `conflict`: e.g. an overlapping sleep log.
 *
 * @since 0.1.0
 * @category errors
 */
export class Conflict extends withApiMessage(Schema.TaggedError<Conflict>()("Conflict", apiErrorFields)) {}

/**
 * 429 (Google: `RESOURCE_EXHAUSTED`): the rate limit is spent. `retryAfterSeconds` comes from
 * `Retry-After`, else from Google's `google.rpc.RetryInfo` detail, else from Fitbit's rate-limit
 * reset header.
 *
 * @since 0.1.0
 * @category errors
 */
export class RateLimited extends withApiMessage(Schema.TaggedError<RateLimited>()("RateLimited", {
  ...apiErrorFields,
  retryAfterSeconds: Schema.optional(Schema.Number)
})) {
  override get message(): string {
    const after = this.retryAfterSeconds === undefined ? "" : `; retry after ${this.retryAfterSeconds}s`
    return super.message + after
  }
}

/**
 * 5xx: the server (or a proxy before it) failed.
 *
 * @since 0.1.0
 * @category errors
 */
export class ServerError extends withApiMessage(Schema.TaggedError<ServerError>()("ServerError", apiErrorFields)) {}

/**
 * Any other non-2xx answer that none of the tags above describes.
 *
 * @since 0.1.0
 * @category errors
 */
export class ApiError extends withApiMessage(Schema.TaggedError<ApiError>()("ApiError", apiErrorFields)) {}

const SETUP_FIXES = {
  api_not_enabled:
    "the Google Health API is not enabled in the Google Cloud project of this client id; enable it (Cloud console: APIs & Services, Library, Google Health API), wait a few minutes and call again. Consent again will not help.",
  account_not_linked:
    "the signed-in Google account holds no Google Health (Fitbit) data; the user must authorize with the Google account their Fitbit account was moved to.",
  authorization_missing:
    "the request reached the API without an Authorization header; pass a non-empty access token, and check that no proxy between here and the API strips the header."
} as const

/**
 * The call cannot succeed until something outside the code is set up; the message says what:
 * `api_not_enabled` (Google `SERVICE_DISABLED`: enable the API in the Cloud project),
 * `account_not_linked` (Google `ACCOUNT_NOT_LINKED`: the user consented with an account that
 * holds no health data), `authorization_missing` (Fitbit 401 `invalid_request`: the request
 * arrived without its `Authorization` header). Re-consent and retries do not fix these.
 *
 * @since 0.1.0
 * @category errors
 */
export class SetupRequired extends withApiMessage(Schema.TaggedError<SetupRequired>()("SetupRequired", {
  ...apiErrorFields,
  reason: Schema.Literal("api_not_enabled", "account_not_linked", "authorization_missing")
})) {
  override get message(): string {
    return `${super.message}. To fix: ${SETUP_FIXES[this.reason]}`
  }
}

/**
 * 410 Gone from the legacy Fitbit Web API or Fitbit OAuth: Google turned them off on 2026-11-02.
 * Retrying, refreshing or re-consenting with Fitbit cannot help; the message says how to move.
 *
 * @since 0.1.0
 * @category errors
 */
export class LegacyApiRetired extends Schema.TaggedError<LegacyApiRetired>()("LegacyApiRetired", apiErrorFields) {
  override get message(): string {
    return `${this.method} ${this.url} answered ${this.status} Gone: Google turned the legacy Fitbit Web API and Fitbit OAuth off on 2026-11-02. ` +
      `To move: construct FitbitApiClient with backend: "google-health" (your fitbit-node calls keep working, answered from the Google Health API) ` +
      `or use GoogleHealthClient / NodeGoogleHealth, and have each user consent again with Google (Fitbit grants do not carry over).`
  }
}

/**
 * The user must authorize the app again: there is no grant, the provider refused the
 * refresh token (`invalid_grant`: revoked, or used elsewhere), or the stored grant was
 * already marked as needing consent. The stored grant is kept, marked, not deleted. Sessions
 * fail with it (`Session`, `FitbitSession`, `GoogleHealthSession`).
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
    // The key is quoted as JSON: a key holding a line break cannot forge a line of a log.
    return `${this.provider} user ${JSON.stringify(this.key)} must authorize again: ${why}${this.hint === undefined ? "" : ` (${this.hint})`}`
  }
}

/**
 * The request never got an HTTP answer: connection refused or reset, DNS failure, TLS failure.
 *
 * @since 0.1.0
 * @category errors
 */
export class TransportError extends Schema.TaggedError<TransportError>()("TransportError", {
  method: Schema.String,
  url: Schema.String,
  /** What went wrong, without credentials. */
  reason: Schema.String,
  /**
   * Whether any byte of the request may have reached the server: `"no"` when the connection was
   * never made (refused, unresolvable host, unreachable network, connect timeout) or the request
   * could not be encoded, so even a write may be repeated; `"maybe"` otherwise (a reset, a closed
   * socket, a failure while reading the answer). See `HttpExchange.failedBeforeSending`.
   */
  sent: Schema.optionalWith(Schema.Literal("no", "maybe"), { default: () => "maybe" })
}) {
  override get message(): string {
    return `${this.method} ${this.url} failed: ${this.reason}`
  }
}

/**
 * The answer's body was larger than the client takes (`maxBodyBytes`, 64 MiB by default): the
 * exchange was aborted as soon as the limit was passed (or at the headers, when `Content-Length`
 * said so), without reading the rest. Not retried.
 *
 * @since 0.1.0
 * @category errors
 */
export class ResponseTooLarge extends Schema.TaggedError<ResponseTooLarge>()("ResponseTooLarge", {
  method: Schema.String,
  url: Schema.String,
  status: Schema.Number,
  /** The limit that was passed, in bytes. */
  limitBytes: Schema.Number
}) {
  override get message(): string {
    return `${this.method} ${this.url} answered ${this.status} with a body larger than ${this.limitBytes} bytes; it was not read (raise maxBodyBytes if such answers are expected)`
  }
}

/**
 * The request did not complete within its timeout.
 *
 * @since 0.1.0
 * @category errors
 */
export class TimeoutError extends Schema.TaggedError<TimeoutError>()("TimeoutError", {
  method: Schema.String,
  url: Schema.String,
  timeoutMillis: Schema.Number
}) {
  override get message(): string {
    return `${this.method} ${this.url} did not answer within ${this.timeoutMillis}ms`
  }
}

/**
 * A 2xx response whose body could not be decoded into the expected shape.
 *
 * @since 0.1.0
 * @category errors
 */
export class DecodeError extends Schema.TaggedError<DecodeError>()("DecodeError", {
  status: Schema.Number,
  method: Schema.String,
  url: Schema.String,
  /** What did not match, as reported by Schema (never the body itself). */
  reason: Schema.String
}) {
  override get message(): string {
    return `${this.method} ${this.url} (${this.status}): ${this.reason}`
  }
}

/**
 * Bad input caught before anything was sent: a path with a host or `..`, a bad user id,
 * header or version, a malformed PKCE verifier.
 *
 * @since 0.1.0
 * @category errors
 */
export class InvalidInput extends Schema.TaggedError<InvalidInput>()("InvalidInput", {
  /** Which argument was wrong, e.g. `path`, `userId`. */
  field: Schema.String,
  /** Why it was rejected. */
  reason: Schema.String
}) {
  override get message(): string {
    return `${this.field}: ${this.reason}`
  }
}

/**
 * The client (or the runtime of its layer) was closed: a call made after `close()` is refused at
 * once (`after_close`), and a call still pending when it closed is cut short (`pending_at_close`;
 * a write may already have reached the server). Refreshes in flight were given the client's
 * timeout to reach the token store first.
 *
 * @since 0.1.0
 * @category errors
 */
export class ClientClosed extends Schema.TaggedError<ClientClosed>()("ClientClosed", {
  when: Schema.Literal("after_close", "pending_at_close")
}) {
  override get message(): string {
    return this.when === "after_close"
      ? "this client was closed; calls after close() are refused (make a new client)"
      : "this client was closed while the call was pending; it was cut short (a write may have reached the server)"
  }
}

/**
 * The errors an API answer can be decoded into.
 *
 * @since 0.1.0
 * @category models
 */
export type ApiFailure =
  | ExpiredToken
  | InvalidToken
  | InvalidClient
  | InsufficientScope
  | InvalidGrant
  | ValidationFailed
  | NotFound
  | Conflict
  | RateLimited
  | ServerError
  | SetupRequired
  | LegacyApiRetired
  | ApiError

/**
 * Everything a single HTTP call can fail with.
 *
 * @since 0.1.0
 * @category models
 */
export type RequestFailure = ApiFailure | TransportError | TimeoutError | ResponseTooLarge | DecodeError | InvalidInput

/**
 * What a call that answers every status (`execute`, the Promise clients' verbs) fails with: no
 * answer to hand back (a transport failure, a timeout, a body too large), bad input caught before
 * sending, or a rate-limit budget spent before sending.
 *
 * @since 0.1.0
 * @category models
 */
export type ExecuteFailure = TransportError | TimeoutError | ResponseTooLarge | RateLimited | InvalidInput

const apiTags: ReadonlySet<string> = new Set([
  "ExpiredToken",
  "InvalidToken",
  "InvalidClient",
  "InsufficientScope",
  "InvalidGrant",
  "ValidationFailed",
  "NotFound",
  "Conflict",
  "RateLimited",
  "ServerError",
  "SetupRequired",
  "LegacyApiRetired",
  "ApiError"
])

/**
 * Whether a value is one of the API-answer errors (as opposed to transport, decode or input errors).
 *
 * @since 0.1.0
 * @category predicates
 */
export const isApiFailure = (u: unknown): u is ApiFailure =>
  Predicate.hasProperty(u, "_tag") && typeof u._tag === "string" && apiTags.has(u._tag)
