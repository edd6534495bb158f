/**
 * What the emulated OAuth servers (Fitbit's and Google's) share: the redirect back to the
 * app, the PKCE S256 check and challenge format, the `no-store` headers token answers carry,
 * the client credentials a token-endpoint call presents, and grants minted without the browser.
 *
 * @since 0.1.0
 */
import type * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import { createHash } from "node:crypto"
import * as Effect from "effect/Effect"
import { EmulatorState, type State } from "./EmulatorState.js"
import * as Http from "./Http.js"
import type * as Registry from "./Registry.js"

/**
 * A PKCE S256 challenge: 43 characters of base64url.
 *
 * @since 0.1.0
 * @category authorization
 */
export const CHALLENGE = /^[A-Za-z0-9_-]{43}$/

/**
 * The S256 challenge of a verifier.
 *
 * @since 0.1.0
 * @category authorization
 */
export const s256 = (verifier: string): string => createHash("sha256").update(verifier, "ascii").digest("base64url")

/**
 * The cache headers of token answers (RFC 6749 §5.1).
 *
 * @since 0.1.0
 * @category responses
 */
export const NO_STORE = { "cache-control": "no-store", pragma: "no-cache" }

/**
 * A 302 back to the app's redirect URI with query parameters (those `undefined` left out) and a fragment.
 *
 * @since 0.1.0
 * @category responses
 */
export const redirectWith = (
  redirectUri: string,
  params: Record<string, string | undefined>,
  fragment = ""
): HttpServerResponse.HttpServerResponse => {
  const url = new URL(redirectUri)
  for (const [key, value] of Object.entries(params)) if (value !== undefined) url.searchParams.set(key, value)
  return HttpServerResponse.empty({ status: 302, headers: { location: url.toString() + fragment } })
}

/**
 * The client a token-endpoint call presents: its credentials, from HTTP Basic (`basic`) or from
 * the form body's `client_id` and `client_secret` (`body`), and the registered app they name;
 * `Malformed` when an `Authorization: Basic` header cannot be read. Each server judges it by its
 * own rules.
 *
 * @since 0.1.0
 * @category models
 */
export type PresentedClient =
  | { readonly _tag: "Malformed" }
  | {
    readonly _tag: "Presented"
    readonly via: "basic" | "body"
    readonly clientId: string | undefined
    readonly secret: string | undefined
    readonly app: Registry.App | undefined
  }

/**
 * Reads the client a token-endpoint call presents.
 *
 * @since 0.1.0
 * @category authorization
 */
export const presentedClient = (
  state: State,
  headers: HttpServerRequest.HttpServerRequest["headers"],
  fields: Record<string, string>
): PresentedClient => {
  const basic = Http.basicAuth(headers)
  if (basic === "malformed") return { _tag: "Malformed" }
  const clientId = basic === "absent" ? fields.client_id : basic.clientId
  return {
    _tag: "Presented",
    via: basic === "absent" ? "body" : "basic",
    clientId,
    secret: basic === "absent" ? fields.client_secret : basic.clientSecret,
    app: clientId === undefined ? undefined : state.registry.apps.get(clientId)
  }
}

/**
 * What a test may choose of a minted grant: the user, the app, the scopes and the access token's
 * lifetime in seconds (each has its provider's default).
 *
 * @since 0.1.0
 * @category models
 */
export interface MintOptions {
  readonly userId?: string | undefined
  readonly clientId?: string | undefined
  readonly scopes?: ReadonlyArray<string> | undefined
  readonly expiresIn?: number | undefined
}

/**
 * Tokens of a grant minted without the browser.
 *
 * @since 0.1.0
 * @category models
 */
export interface MintedTokens {
  readonly accessToken: string
  readonly refreshToken: string
  readonly userId: string
  readonly clientId: string
  readonly scopes: ReadonlyArray<string>
  readonly expiresIn: number
  /** Emulator-clock epoch milliseconds. */
  readonly expiresAt: number
}

/**
 * Mints a grant as if the user had consented: the options over the provider's defaults (the
 * registry's default user, then `defaults`). Throws a `TypeError` naming an unknown user or app.
 *
 * @since 0.1.0
 * @category testing
 */
export const mint = (
  state: State,
  defaults: { readonly provider: string; readonly clientId: string; readonly scopes: ReadonlyArray<string>; readonly expiresIn: number },
  options: MintOptions
): MintedTokens => {
  const userId = options.userId ?? state.registry.defaultUserId
  const clientId = options.clientId ?? defaults.clientId
  if (!state.registry.users.has(userId)) throw new TypeError(`unknown user ${userId}`)
  if (!state.registry.apps.has(clientId)) throw new TypeError(`unknown client ${clientId}`)
  const scopes = options.scopes ?? defaults.scopes
  const pair = state.grants.grant({
    provider: defaults.provider,
    clientId,
    userId,
    scopes,
    expiresIn: options.expiresIn ?? defaults.expiresIn
  })
  return {
    accessToken: pair.accessToken,
    refreshToken: pair.refreshToken,
    userId,
    clientId,
    scopes,
    expiresIn: pair.expiresIn,
    expiresAt: pair.expiresAt
  }
}

/**
 * What a provider's authorize endpoint supplies to {@link consentFlow}: how it checks the
 * authorize parameters (a `Reply` when they are refused), and its three answers: consent given
 * for a user, consent refused, and the consent page.
 */
export interface ConsentSteps<Request extends { readonly app: Registry.App }> {
  readonly validate: (state: State, q: Record<string, string>) => Request | HttpServerResponse.HttpServerResponse
  readonly consented: (state: State, request: Request, userId: string) => HttpServerResponse.HttpServerResponse
  readonly denied: (request: Request) => HttpServerResponse.HttpServerResponse
  readonly page: (state: State, request: Request, q: Record<string, string>) => HttpServerResponse.HttpServerResponse
}

/**
 * The authorize endpoint (`authorize`: answered by the consent mode, `auto`, `deny` or `page`)
 * and the consent page's form (`decision`: the authorize parameters again, the decision and the
 * user chosen), the same for both OAuth servers.
 */
export const consentFlow = <Request extends { readonly app: Registry.App }>(steps: ConsentSteps<Request>) => ({
  authorize: Effect.gen(function*() {
    const state = yield* EmulatorState
    const q = yield* Http.query
    const request = steps.validate(state, q)
    if (!("app" in request)) return request
    switch (state.consent) {
      case "auto":
        return steps.consented(state, request, state.consentUserId)
      case "deny":
        return steps.denied(request)
      case "page":
        return steps.page(state, request, q)
    }
  }),
  decision: Effect.gen(function*() {
    const state = yield* EmulatorState
    const { decision: choice, emulator_user, ...q } = yield* Http.bodyFields
    const request = steps.validate(state, q)
    if (!("app" in request)) return request
    if (choice !== "allow") return steps.denied(request)
    const userId = emulator_user !== undefined && state.registry.users.has(emulator_user) ? emulator_user : state.consentUserId
    return steps.consented(state, request, userId)
  })
})
