/**
 * Fitbit's OAuth 2.0 endpoints: `GET /oauth2/authorize` (auto consent, or an HTML consent
 * page), `POST /oauth2/token` (code exchange with PKCE, refresh with rotation),
 * `POST /oauth2/revoke` and `POST /1.1/oauth2/introspect`.
 *
 * @since 0.1.0
 */
import * as HttpRouter from "@effect/platform/HttpRouter"
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as Effect from "effect/Effect"
import { EmulatorState, type State } from "../EmulatorState.js"
import type * as Grants from "../Grants.js"
import * as Http from "../Http.js"
import * as OAuthServer from "../OAuthServer.js"
import { consentPage } from "./Consent.js"
import * as Scopes from "./Scopes.js"
import type * as Registry from "../Registry.js"

const PROMPTS = new Set(["none", "consent", "login", "login consent", "consent login"])

type Reply = HttpServerResponse.HttpServerResponse

/**
 * A checked authorization request.
 *
 * @since 0.1.0
 * @category models
 */
export interface AuthorizeRequest {
  readonly app: Registry.App
  readonly redirectUri: string
  readonly scopes: ReadonlyArray<string>
  readonly state: string | undefined
  readonly codeChallenge: string | undefined
}


/** Validates authorize parameters: a bad client or redirect URI answers 400; anything else redirects with an error. */
const validateAuthorize = (state: State, q: Record<string, string>): AuthorizeRequest | Reply => {
  const app = q.client_id === undefined ? undefined : state.registry.apps.get(q.client_id)
  if (app === undefined) {
    return Http.fitbitError(400, "invalid_request", "Invalid client_id parameter value.", { fieldName: "client_id" })
  }
  const redirectUri = q.redirect_uri ?? app.redirectUris[0]
  if (redirectUri === undefined || !app.redirectUris.includes(redirectUri)) {
    return Http.fitbitError(400, "invalid_request", "Invalid redirect_uri parameter value.", { fieldName: "redirect_uri" })
  }
  const fail = (error: string, description: string) =>
    OAuthServer.redirectWith(redirectUri, { error, error_description: description, state: q.state }, "#_=_")
  if (q.response_type !== "code") return fail("unsupported_response_type", "response_type must be code")
  const scopes = (q.scope ?? "").split(/[\s+]+/).filter((s) => s !== "")
  if (scopes.length === 0) return fail("invalid_scope", "A scope is required")
  const unknown = scopes.find((s) => !Scopes.SCOPES.includes(s))
  if (unknown !== undefined) return fail("invalid_scope", `Unknown scope: ${unknown}`)
  if (q.prompt !== undefined && !PROMPTS.has(q.prompt)) return fail("invalid_request", "Invalid prompt parameter value")
  const challenge = q.code_challenge
  if (challenge !== undefined) {
    if (q.code_challenge_method !== "S256") {
      return fail("invalid_request", "code_challenge_method must be S256")
    }
    if (!OAuthServer.CHALLENGE.test(challenge)) return fail("invalid_request", "Invalid code_challenge parameter value")
  } else if (q.code_challenge_method !== undefined) {
    return fail("invalid_request", "code_challenge_method without code_challenge")
  }
  if (app.clientSecret === undefined && challenge === undefined) {
    return fail("invalid_request", "PKCE (code_challenge) is required for client applications")
  }
  return { app, redirectUri, scopes: [...new Set(scopes)], state: q.state, codeChallenge: challenge }
}

const consentGranted = (state: State, request: AuthorizeRequest, userId: string): Reply => {
  const code = state.grants.issueCode({
    clientId: request.app.clientId,
    userId,
    scopes: request.scopes,
    redirectUri: request.redirectUri,
    codeChallenge: request.codeChallenge
  })
  return OAuthServer.redirectWith(request.redirectUri, { code: code.code, state: request.state }, "#_=_")
}

/** Consent refused: back to the app with `access_denied`. */
const denied = (request: AuthorizeRequest): Reply =>
  OAuthServer.redirectWith(request.redirectUri, {
    error: "access_denied",
    error_description: "The user denied the request",
    state: request.state
  }, "#_=_")

const { authorize, decision } = OAuthServer.consentFlow({
  validate: validateAuthorize,
  consented: consentGranted,
  denied,
  page: consentPage
})

/** Judges the client of a token-endpoint call as Fitbit does: Basic for confidential apps, `client_id` in the body for public ones. */
const authenticateClient = (client: OAuthServer.PresentedClient, fields: Record<string, string>): Effect.Effect<Registry.App, Reply> => {
  const invalid = (message: string) => Effect.fail(Http.fitbitError(401, "invalid_client", `${message} ${Http.OAUTH_DOCS}`))
  if (client._tag === "Malformed") return invalid("Invalid authorization header format.")
  const app = client.app
  if (client.via === "basic") {
    if (app === undefined || app.clientSecret === undefined || app.clientSecret !== client.secret) {
      return invalid("Invalid authorization header. Client id or secret invalid.")
    }
    if (fields.client_id !== undefined && fields.client_id !== app.clientId) {
      return invalid("The client_id in the body does not match the authorization header.")
    }
    return Effect.succeed(app)
  }
  if (app === undefined) {
    return invalid(
      "Invalid authorization header format. The header was not recognized to be a valid header for any of known implementations or a client_id was not specified in case of a public client."
    )
  }
  if (app.clientSecret !== undefined) return invalid("Authorization header required for server applications.")
  return Effect.succeed(app)
}

const tokenBody = (pair: Grants.TokenPair) => ({
  access_token: pair.accessToken,
  expires_in: pair.expiresIn,
  refresh_token: pair.refreshToken,
  scope: pair.grant.scopes.join(" "),
  token_type: "Bearer",
  user_id: pair.grant.userId
})



const token = Http.answer(Effect.gen(function*() {
  const state = yield* EmulatorState
  const request = yield* HttpServerRequest.HttpServerRequest
  state.counters.bump("tokenRequests")
  const fields = yield* Http.bodyFields
  const app = yield* authenticateClient(OAuthServer.presentedClient(state, request.headers, fields), fields)
  const bad = (errorType: string, message: string, fieldName?: string) =>
    Effect.fail(Http.fitbitError(400, errorType, message, { fieldName }))
  switch (fields.grant_type) {
    case "authorization_code": {
      if (fields.code === undefined || fields.code === "") return yield* bad("invalid_request", "Missing parameters: code", "code")
      const code = state.grants.findCode(fields.code)
      const invalidCode = bad("invalid_grant", `Authorization code invalid: ${fields.code} ${Http.OAUTH_DOCS}`)
      if (code === undefined || code.clientId !== app.clientId) return yield* invalidCode
      if (code.used) return yield* bad("invalid_grant", `Authorization code invalid: ${fields.code} (already used) ${Http.OAUTH_DOCS}`)
      if (state.clock.now() >= code.expiresAt) {
        return yield* bad("invalid_grant", `Authorization code expired: ${fields.code} ${Http.OAUTH_DOCS}`)
      }
      code.used = true
      if (fields.redirect_uri !== code.redirectUri) {
        return yield* bad("invalid_grant", "Invalid redirect_uri parameter value: it must match the authorization request.", "redirect_uri")
      }
      if (code.codeChallenge !== undefined) {
        const verifier = fields.code_verifier
        if (verifier === undefined || !/^[A-Za-z0-9\-._~]{43,128}$/.test(verifier) || OAuthServer.s256(verifier) !== code.codeChallenge) {
          return yield* bad("invalid_grant", "Invalid code_verifier parameter value.", "code_verifier")
        }
      }
      const pair = state.grants.grant({
        clientId: app.clientId,
        userId: code.userId,
        scopes: code.scopes,
        expiresIn: state.accessTokenLifetimeSeconds
      })
      state.counters.bump("codeExchanges")
      return Http.json(tokenBody(pair), 200, OAuthServer.NO_STORE)
    }
    case "refresh_token": {
      const refreshToken = fields.refresh_token
      if (refreshToken === undefined || refreshToken === "") {
        return yield* bad("invalid_request", "Missing parameters: refresh_token", "refresh_token")
      }
      let expiresIn = state.accessTokenLifetimeSeconds
      if (fields.expires_in !== undefined) {
        const n = Number(fields.expires_in)
        if (!/^\d+$/.test(fields.expires_in) || !(n > 0)) {
          return yield* bad("invalid_request", "Invalid expires_in parameter value.", "expires_in")
        }
        expiresIn = n
      }
      const outcome = state.grants.refresh(refreshToken, app.clientId, expiresIn)
      if (outcome._tag === "Refused") {
        return yield* bad("invalid_grant", `Refresh token invalid: ${refreshToken} ${Http.OAUTH_DOCS}`)
      }
      if (!outcome.replayed) state.counters.refresh(outcome.pair.grant.userId)
      return Http.json(tokenBody(outcome.pair), 200, OAuthServer.NO_STORE)
    }
    case undefined:
      return yield* bad("invalid_request", "Missing parameters: grant_type", "grant_type")
    default:
      return yield* bad("unsupported_grant_type", `Unsupported grant_type: ${fields.grant_type}`, "grant_type")
  }
}))

const revoke = Http.answer(Effect.gen(function*() {
  const state = yield* EmulatorState
  const request = yield* HttpServerRequest.HttpServerRequest
  const fields = yield* Http.bodyFields
  const app = yield* authenticateClient(OAuthServer.presentedClient(state, request.headers, fields), fields)
  if (fields.token === undefined || fields.token === "") {
    return Http.fitbitError(400, "invalid_request", "Missing parameters: token", { fieldName: "token" })
  }
  const grant = state.grants.grantOf(fields.token)
  if (grant !== undefined && grant.clientId === app.clientId && !grant.revoked) {
    state.grants.revokeToken(fields.token)
    state.counters.bump("revocations")
  }
  return Http.json({})
}))

/**
 * Fitbit's rendering of scopes in an introspection answer: `{ACTIVITY=READ_WRITE, …}`.
 *
 * @since 0.1.0
 * @category formatting
 */
export const introspectionScope = (scopes: ReadonlyArray<string>): string =>
  `{${scopes.map((s) => `${s.toUpperCase()}=READ_WRITE`).join(", ")}}`

const introspect = Http.answer(Effect.gen(function*() {
  const state = yield* EmulatorState
  const request = yield* HttpServerRequest.HttpServerRequest
  const bearer = Http.bearerToken(request.headers)
  if (bearer === undefined) {
    return Http.fitbitError(401, "invalid_client", `Invalid authorization header format. ${Http.OAUTH_DOCS}`)
  }
  const caller = state.grants.lookupAccess(bearer)
  if (caller._tag === "Expired") {
    return Http.fitbitError(401, "expired_token", `Access token expired: ${bearer}. ${Http.OAUTH_DOCS}`)
  }
  if (caller._tag !== "Active") {
    return Http.fitbitError(401, "invalid_token", `Access token invalid: ${bearer}. ${Http.OAUTH_DOCS}`)
  }
  const fields = yield* Http.bodyFields
  if (fields.token === undefined || fields.token === "") {
    return Http.fitbitError(400, "invalid_request", "Missing parameters: token", { fieldName: "token" })
  }
  const target = state.grants.lookupAccess(fields.token)
  if (target._tag !== "Active") return Http.json({ active: false })
  const grant = target.token.grant
  return Http.json({
    active: true,
    scope: introspectionScope(grant.scopes),
    client_id: grant.clientId,
    user_id: grant.userId,
    token_type: "access_token",
    exp: target.token.expiresAt,
    iat: target.token.issuedAt
  })
}))

/**
 * The OAuth routes.
 *
 * @since 0.1.0
 * @category routes
 */
export const router = HttpRouter.empty.pipe(
  HttpRouter.get("/oauth2/authorize", Http.counted(authorize)),
  HttpRouter.post("/oauth2/authorize/decision", Http.counted(decision)),
  HttpRouter.post("/oauth2/token", Http.counted(token)),
  HttpRouter.post("/oauth2/revoke", Http.counted(revoke)),
  HttpRouter.post("/1.1/oauth2/introspect", Http.counted(introspect))
)
