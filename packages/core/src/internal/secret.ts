/**
 * Secrets given as text or `Redacted`: the one place core reads their value, just before it is
 * sent. Internal: not exported from the package.
 *
 * @internal
 */
import * as Redacted from "effect/Redacted"

/** A secret as callers may give it. */
export type Secret = string | Redacted.Redacted<string>

/** The value of a secret, for the request that carries it (never for a message). */
export const reveal = (secret: Secret): string => (typeof secret === "string" ? secret : Redacted.value(secret))

/**
 * Whether two strings are equal, in time that depends only on their lengths, never on where
 * they differ (state values, signatures, verification codes). Where even the length must not
 * show, compare digests of equal length.
 */
export const constantTimeEqual = (a: string, b: string): boolean => {
  const length = Math.max(a.length, b.length)
  let diff = a.length ^ b.length
  for (let i = 0; i < length; i++) {
    diff |= (i < a.length ? a.charCodeAt(i) : 0) ^ (i < b.length ? b.charCodeAt(i) : 0)
  }
  return diff === 0
}
