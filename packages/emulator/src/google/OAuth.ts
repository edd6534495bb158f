/**
 * Google's OAuth 2.0 endpoints as the emulator serves them, on Google's paths:
 * `GET /o/oauth2/v2/auth` (consent as the emulator's consent mode says: at once, refused, or an
 * HTML page whose Allow and Deny post to `/o/oauth2/v2/auth/decision`; `access_type=offline` for a
 * refresh token, PKCE S256),
 * `POST /token` (code exchange; refresh that keeps the refresh token unless rotation is on;
 * client credentials in the body or HTTP Basic) and `POST /revoke`. Errors are OAuth's
 * `{"error", "error_description"}`. Grants are the shared grant store's, marked `google`.
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
import type * as Registry from "../Registry.js"
import * as GoogleConsent from "./Consent.js"
import * as GoogleState from "./GoogleState.js"
import * as Scopes from "./Scopes.js"

const OPENID = new Set(["openid", "email", "profile"])
type Reply = HttpServerResponse.HttpServerResponse

/**
 * OAuth's error answer.
 *
 * @since 0.1.0
 * @category responses
 */
export const oauthError = (status: number, error: string, description: string): Reply =>
  Http.json({ error, error_description: description }, status, { "cache-control": "no-store" })


const LOOPBACK_HOSTS = new Set(["127.0.0.1", "[::1]", "localhost"])

const loopback = (uri: string): URL | undefined => {
  try {
    const url = new URL(uri)
    return url.protocol === "http:" && LOOPBACK_HOSTS.has(url.hostname) ? url : undefined
  } catch {
    return undefined
  }
}

/**
 * Google's redirect rule: an exact match, except that a loopback `http` redirect (`127.0.0.1`,
 * `[::1]`, `localhost`) matches a registered loopback `http` redirect of the same host, path and
 * query whatever the port (desktop apps listen on a port they are given).
 *
 * @since 0.1.0
 * @category authorization
 */
export const redirectMatches = (registered: string, given: string): boolean => {
  if (registered === given) return true
  const r = loopback(registered)
  const g = loopback(given)
  return r !== undefined && g !== undefined && r.hostname === g.hostname && r.pathname === g.pathname &&
    r.search === g.search && g.hash === "" && g.username === "" && g.password === ""
}

/** A checked authorization request, or the answer refusing it. */
interface AuthorizeRequest {
  readonly app: Registry.App
  readonly redirectUri: string
  readonly scopes: ReadonlyArray<string>
  readonly state: string | undefined
  readonly codeChallenge: string | undefined
  readonly offline: boolean
  readonly includeGrantedScopes: boolean
}

/** Checks authorize parameters: a bad client or redirect URI answers as Google does; anything else redirects with an error. */
const validateAuthorize = (state: State, q: Record<string, string>): AuthorizeRequest | Reply => {
  const app = q.client_id === undefined ? undefined : state.registry.apps.get(q.client_id)
  if (app === undefined) return oauthError(401, "invalid_client", "The OAuth client was not found.")
  const redirectUri = q.redirect_uri
  if (redirectUri === undefined || !app.redirectUris.some((registered) => redirectMatches(registered, redirectUri))) {
    return oauthError(400, "redirect_uri_mismatch", "The redirect URI in the request does not match the ones authorized for the OAuth client.")
  }
  const fail = (error: string, description: string) =>
    OAuthServer.redirectWith(redirectUri, { error, error_description: description, state: q.state })
  if (q.response_type !== "code") return fail("unsupported_response_type", "response_type must be code")
  const scopes = (q.scope ?? "").split(/[\s+]+/).filter((s) => s !== "")
  if (scopes.length === 0) return fail("invalid_request", "Missing required parameter: scope")
  const unknown = scopes.find((s) => !Scopes.SCOPES.includes(s) && !OPENID.has(s))
  if (unknown !== undefined) return fail("invalid_scope", `Some requested scopes were invalid: ${unknown}`)
  if (q.access_type !== undefined && q.access_type !== "offline" && q.access_type !== "online") {
    return fail("invalid_request", "Invalid access_type")
  }
  const challenge = q.code_challenge
  if (challenge !== undefined && (q.code_challenge_method !== "S256" || !OAuthServer.CHALLENGE.test(challenge))) {
    return fail("invalid_request", "Invalid code_challenge or code_challenge_method")
  }
  return {
    app,
    redirectUri,
    scopes: [...new Set(scopes)],
    state: q.state,
    codeChallenge: challenge,
    offline: q.access_type === "offline",
    includeGrantedScopes: q.include_granted_scopes === "true"
  }
}

/** The user refused: back to the app with `error=access_denied`. */
const denied = (request: AuthorizeRequest): Reply =>
  OAuthServer.redirectWith(request.redirectUri, { error: "access_denied", error_description: "The user denied the request", state: request.state })

/** The user consented: back to the app with a code for the scopes granted. */
const consented = (state: State, request: AuthorizeRequest, userId: string): Reply => {
  let granted = request.scopes
  if (request.includeGrantedScopes) {
    // Incremental authorization: scopes the user granted this app before are kept.
    for (const grant of state.grants.list()) {
      if (grant.provider === "google" && grant.clientId === request.app.clientId && grant.userId === userId) {
        granted = [...new Set([...granted, ...grant.scopes])]
      }
    }
  }
  const code = state.grants.issueCode({
    clientId: request.app.clientId,
    userId,
    scopes: granted,
    redirectUri: request.redirectUri,
    codeChallenge: request.codeChallenge
  })
  GoogleState.of(state).offlineCodes.set(code.code, request.offline)
  return OAuthServer.redirectWith(request.redirectUri, { code: code.code, scope: granted.join(" "), state: request.state })
}

const { authorize, decision } = OAuthServer.consentFlow({
  validate: validateAuthorize,
  consented,
  denied,
  page: (state, request, q) => GoogleConsent.consentPage(state, request.app, request.scopes, q)
})

/** Google takes client credentials in the body (`client_secret_post`) or as HTTP Basic; a public client sends no secret. */
const authenticateClient = (client: OAuthServer.PresentedClient): Effect.Effect<Registry.App, Reply> => {
  if (client._tag === "Malformed") return Effect.fail(oauthError(401, "invalid_client", "Unauthorized"))
  const app = client.app
  if (app === undefined) return Effect.fail(oauthError(401, "invalid_client", "The OAuth client was not found."))
  if (app.clientSecret !== undefined && app.clientSecret !== client.secret) return Effect.fail(oauthError(401, "invalid_client", "Unauthorized"))
  return Effect.succeed(app)
}

const tokenBody = (pair: Grants.TokenPair, refreshToken: string | undefined) => ({
  access_token: pair.accessToken,
  expires_in: pair.expiresIn,
  ...(refreshToken === undefined ? {} : { refresh_token: refreshToken }),
  scope: pair.grant.scopes.join(" "),
  token_type: "Bearer"
})

const token = Http.answer(Effect.gen(function*() {
  const state = yield* EmulatorState
  const google = GoogleState.of(state)
  const request = yield* HttpServerRequest.HttpServerRequest
  state.counters.bump("tokenRequests")
  const fields = yield* Http.bodyFields
  const app = yield* authenticateClient(OAuthServer.presentedClient(state, request.headers, fields))
  const invalidGrant = (description = "Bad Request") => Effect.fail(oauthError(400, "invalid_grant", description))
  switch (fields.grant_type) {
    case "authorization_code": {
      const code = fields.code === undefined ? undefined : state.grants.findCode(fields.code)
      if (code === undefined || code.clientId !== app.clientId || code.used) return yield* invalidGrant()
      if (state.clock.now() >= code.expiresAt) return yield* invalidGrant()
      code.used = true
      if (fields.redirect_uri !== code.redirectUri) return yield* invalidGrant()
      if (code.codeChallenge !== undefined) {
        const verifier = fields.code_verifier
        if (verifier === undefined || !/^[A-Za-z0-9\-._~]{43,128}$/.test(verifier) || OAuthServer.s256(verifier) !== code.codeChallenge) {
          return yield* invalidGrant("Invalid code verifier.")
        }
      } else if (app.clientSecret === undefined) {
        return yield* invalidGrant("Missing code verifier.")
      }
      const pair = state.grants.grant({
        provider: "google",
        clientId: app.clientId,
        userId: code.userId,
        scopes: code.scopes,
        expiresIn: google.accessTokenLifetimeSeconds
      })
      state.counters.bump("codeExchanges")
      const offline = google.offlineCodes.get(code.code) === true
      google.offlineCodes.delete(code.code)
      if (offline) google.refreshTokens.set(pair.refreshToken, pair.refreshToken)
      return Http.json(tokenBody(pair, offline ? pair.refreshToken : undefined), 200, OAuthServer.NO_STORE)
    }
    case "refresh_token": {
      const given = fields.refresh_token
      const internal = given === undefined ? undefined : google.refreshTokens.get(given)
      if (given === undefined || internal === undefined) return yield* invalidGrant("Token has been expired or revoked.")
      const outcome = state.grants.refresh(internal, app.clientId, google.accessTokenLifetimeSeconds)
      if (outcome._tag === "Refused") return yield* invalidGrant("Token has been expired or revoked.")
      state.counters.refresh(outcome.pair.grant.userId)
      if (google.rotateRefreshTokens) {
        google.refreshTokens.delete(given)
        google.refreshTokens.set(outcome.pair.refreshToken, outcome.pair.refreshToken)
        return Http.json(tokenBody(outcome.pair, outcome.pair.refreshToken), 200, OAuthServer.NO_STORE)
      }
      google.refreshTokens.set(given, outcome.pair.refreshToken)
      return Http.json(tokenBody(outcome.pair, undefined), 200, OAuthServer.NO_STORE)
    }
    case undefined:
      return yield* Effect.fail(oauthError(400, "invalid_request", "Missing required parameter: grant_type"))
    default:
      return yield* Effect.fail(oauthError(400, "unsupported_grant_type", `Invalid grant_type: ${fields.grant_type}`))
  }
}))

const revoke = Http.answer(Effect.gen(function*() {
  const state = yield* EmulatorState
  const google = GoogleState.of(state)
  const fields = yield* Http.bodyFields
  const q = yield* Http.query
  const given = fields.token ?? q.token
  if (given === undefined || given === "") {
    return oauthError(400, "invalid_request", "Missing required parameter: token")
  }
  const token = google.refreshTokens.get(given) ?? given
  const grant = state.grants.grantOf(token)
  if (grant === undefined || grant.revoked || grant.provider !== "google") {
    return oauthError(400, "invalid_token", "Token expired or revoked")
  }
  state.grants.revokeToken(token)
  state.counters.bump("revocations")
  return Http.json({})
}))

/**
 * The Google OAuth routes.
 *
 * @since 0.1.0
 * @category routes
 */
export const router = HttpRouter.empty.pipe(
  HttpRouter.get("/o/oauth2/v2/auth", Http.counted(authorize)),
  HttpRouter.post(GoogleConsent.DECISION_PATH, Http.counted(decision)),
  HttpRouter.post("/token", Http.counted(token)),
  HttpRouter.post("/revoke", Http.counted(revoke))
)

/**
 * Mints a Google grant directly, as if the user had consented with `access_type=offline`
 * (tests skip the browser). Every Google Health scope (`Scopes.SCOPES`) by default; the app is
 * the first confidential one.
 *
 * @since 0.1.0
 * @category testing
 */
export const grantTokens = (state: State, options: OAuthServer.MintOptions = {}): OAuthServer.MintedTokens => {
  const google = GoogleState.of(state)
  const confidential = [...state.registry.apps.values()].find((a) => a.clientSecret !== undefined)!
  const minted = OAuthServer.mint(state, {
    provider: "google",
    clientId: confidential.clientId,
    scopes: Scopes.SCOPES,
    expiresIn: google.accessTokenLifetimeSeconds
  }, options)
  google.refreshTokens.set(minted.refreshToken, minted.refreshToken)
  return minted
}
