/**
 * What the emulated OAuth servers (Fitbit's and Google's) share: the redirect back to the
 * app, the PKCE S256 check and challenge format, and the `no-store` headers token answers carry.
 *
 * @since 0.1.0
 */
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import { createHash } from "node:crypto"

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
