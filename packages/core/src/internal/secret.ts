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
