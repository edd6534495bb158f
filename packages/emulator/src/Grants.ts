/**
 * Authorization codes, grants and their tokens, timed by the emulator clock.
 *
 * A grant is one user's consent to one app for some scopes; it owns access tokens and one
 * live refresh token at a time. Codes are single-use and short-lived; refresh tokens are
 * single-use and rotate; revoking any token of a grant ends the grant.
 *
 * @since 0.1.0
 */
import { randomBytes } from "node:crypto"

/**
 * An issued authorization code.
 *
 * @since 0.1.0
 * @category models
 */
export interface AuthorizationCode {
  readonly code: string
  readonly clientId: string
  readonly userId: string
  readonly scopes: ReadonlyArray<string>
  readonly redirectUri: string
  readonly codeChallenge?: string | undefined
  readonly expiresAt: number
  used: boolean
}

/**
 * One consent of a user to an app.
 *
 * @since 0.1.0
 * @category models
 */
export interface Grant {
  readonly id: number
  /** Which API family issued it: `fitbit`, or another route group's name. */
  readonly provider: string
  readonly clientId: string
  readonly userId: string
  readonly scopes: ReadonlyArray<string>
  readonly createdAt: number
  revoked: boolean
}

/**
 * An access token.
 *
 * @since 0.1.0
 * @category models
 */
export interface AccessToken {
  readonly token: string
  readonly grant: Grant
  readonly issuedAt: number
  expiresAt: number
}

/**
 * The tokens a grant hands out at once.
 *
 * @since 0.1.0
 * @category models
 */
export interface TokenPair {
  readonly accessToken: string
  readonly refreshToken: string
  readonly expiresIn: number
  readonly expiresAt: number
  readonly grant: Grant
}

interface RefreshToken {
  readonly token: string
  readonly grant: Grant
  usedAt?: number
  successor?: TokenPair
}

/**
 * What a presented access token turned out to be.
 *
 * @since 0.1.0
 * @category models
 */
export type AccessLookup =
  | { readonly _tag: "Active"; readonly token: AccessToken }
  | { readonly _tag: "Expired"; readonly token: AccessToken }
  | { readonly _tag: "Revoked"; readonly token: AccessToken }
  | { readonly _tag: "Unknown" }

/**
 * Why a refresh was refused.
 *
 * @since 0.1.0
 * @category models
 */
export type RefreshOutcome =
  | { readonly _tag: "Rotated"; readonly pair: TokenPair; readonly replayed: boolean }
  | { readonly _tag: "Refused"; readonly reason: "unknown" | "used" | "revoked" | "wrong_client" }

/**
 * A fresh opaque token (256 bits, base64url).
 *
 * @since 0.1.0
 * @category constructors
 */
export const randomToken = (bytes = 32): string => randomBytes(bytes).toString("base64url")

/**
 * The grant store.
 *
 * @since 0.1.0
 * @category models
 */
export interface Grants {
  readonly issueCode: (code: Omit<AuthorizationCode, "code" | "used" | "expiresAt">) => AuthorizationCode
  /** Finds a code (used or not); `undefined` when unknown. */
  readonly findCode: (code: string) => AuthorizationCode | undefined
  /** Creates a grant and its first tokens. */
  readonly grant: (options: {
    readonly provider?: string
    readonly clientId: string
    readonly userId: string
    readonly scopes: ReadonlyArray<string>
    readonly expiresIn: number
  }) => TokenPair
  readonly lookupAccess: (token: string) => AccessLookup
  /** Rotates a refresh token: the old one stops working (a replay within `graceMillis` gets the same answer). */
  readonly refresh: (refreshToken: string, clientId: string, expiresIn: number) => RefreshOutcome
  /** Finds the grant of an access or refresh token. */
  readonly grantOf: (token: string) => Grant | undefined
  /** Revokes the grant of a token; `false` when the token is unknown. */
  readonly revokeToken: (token: string) => boolean
  /** Revokes every grant of a user (all users when omitted); returns how many. */
  readonly revokeUser: (userId?: string) => number
  /** Makes every live access token of a user (all users when omitted) expire now. */
  readonly expireAccess: (userId?: string) => number
  /** Live grants, newest last. */
  readonly list: () => ReadonlyArray<Grant>
}

/**
 * Makes a grant store on a clock.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (options: {
  readonly now: () => number
  /** Lifetime of an authorization code (10 minutes). */
  readonly codeLifetimeMillis?: number | undefined
  /** How long a used refresh token may be replayed for the same answer (0: never). */
  readonly refreshGraceMillis?: number | undefined
}): Grants => {
  const now = options.now
  const codeLifetime = options.codeLifetimeMillis ?? 10 * 60_000
  const grace = options.refreshGraceMillis ?? 0
  const codes = new Map<string, AuthorizationCode>()
  const grants: Array<Grant> = []
  const access = new Map<string, AccessToken>()
  const refreshTokens = new Map<string, RefreshToken>()
  let nextId = 1

  const issuePair = (grant: Grant, expiresIn: number): TokenPair => {
    const issuedAt = now()
    const accessToken = randomToken()
    const refreshToken = randomToken()
    const expiresAt = issuedAt + expiresIn * 1000
    access.set(accessToken, { token: accessToken, grant, issuedAt, expiresAt })
    refreshTokens.set(refreshToken, { token: refreshToken, grant })
    return { accessToken, refreshToken, expiresIn, expiresAt, grant }
  }

  const grantOf = (token: string): Grant | undefined => access.get(token)?.grant ?? refreshTokens.get(token)?.grant

  return {
    issueCode: (code) => {
      const issued: AuthorizationCode = { ...code, code: randomToken(24), used: false, expiresAt: now() + codeLifetime }
      codes.set(issued.code, issued)
      return issued
    },
    findCode: (code) => codes.get(code),
    grant: ({ clientId, expiresIn, provider, scopes, userId }) => {
      const grant: Grant = { id: nextId++, provider: provider ?? "fitbit", clientId, userId, scopes, createdAt: now(), revoked: false }
      grants.push(grant)
      return issuePair(grant, expiresIn)
    },
    lookupAccess: (token) => {
      const found = access.get(token)
      if (found === undefined) return { _tag: "Unknown" }
      if (found.grant.revoked) return { _tag: "Revoked", token: found }
      if (now() >= found.expiresAt) return { _tag: "Expired", token: found }
      return { _tag: "Active", token: found }
    },
    refresh: (token, clientId, expiresIn) => {
      const found = refreshTokens.get(token)
      if (found === undefined) return { _tag: "Refused", reason: "unknown" }
      if (found.grant.clientId !== clientId) return { _tag: "Refused", reason: "wrong_client" }
      if (found.grant.revoked) return { _tag: "Refused", reason: "revoked" }
      if (found.usedAt !== undefined) {
        if (found.successor !== undefined && now() - found.usedAt <= grace && grace > 0) {
          return { _tag: "Rotated", pair: found.successor, replayed: true }
        }
        return { _tag: "Refused", reason: "used" }
      }
      const pair = issuePair(found.grant, expiresIn)
      found.usedAt = now()
      found.successor = pair
      return { _tag: "Rotated", pair, replayed: false }
    },
    grantOf,
    revokeToken: (token) => {
      const grant = grantOf(token)
      if (grant === undefined) return false
      grant.revoked = true
      return true
    },
    revokeUser: (userId) => {
      let n = 0
      for (const grant of grants) {
        if (!grant.revoked && (userId === undefined || grant.userId === userId)) {
          grant.revoked = true
          n++
        }
      }
      return n
    },
    expireAccess: (userId) => {
      let n = 0
      const t = now()
      for (const token of access.values()) {
        if (!token.grant.revoked && token.expiresAt > t && (userId === undefined || token.grant.userId === userId)) {
          token.expiresAt = t
          n++
        }
      }
      return n
    },
    list: () => grants.filter((g) => !g.revoked)
  }
}
