/**
 * PKCE (RFC 7636): code verifiers and their S256 challenges, with Web Crypto only.
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"
import { InvalidInput } from "./Errors.js"

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~"
const VERIFIER = /^[A-Za-z0-9\-._~]{43,128}$/

/**
 * A verifier and the challenge derived from it.
 *
 * @since 0.1.0
 * @category models
 */
export interface PkcePair {
  /** Kept secret until the code exchange. */
  readonly verifier: Redacted.Redacted<string>
  /** `base64url(SHA-256(verifier))`, sent with the authorize URL. */
  readonly challenge: string
  readonly method: "S256"
}

/**
 * Encodes bytes as base64url without padding.
 *
 * @since 0.1.0
 * @category encoding
 */
export const base64Url = (bytes: Uint8Array): string => {
  let binary = ""
  for (const byte of bytes) binary += String.fromCharCode(byte)
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "")
}

/**
 * Checks that a verifier is 43 to 128 characters of `[A-Za-z0-9-._~]`.
 *
 * @since 0.1.0
 * @category validation
 */
export const validateVerifier = (verifier: string): Effect.Effect<string, InvalidInput> =>
  VERIFIER.test(verifier)
    ? Effect.succeed(verifier)
    : Effect.fail(
      new InvalidInput({ field: "codeVerifier", reason: "must be 43 to 128 characters of A-Z a-z 0-9 - . _ ~" })
    )

/**
 * Makes a random verifier of `length` characters (43 to 128, default 64) from the unreserved
 * alphabet, drawn without modulo bias.
 *
 * @since 0.1.0
 * @category constructors
 */
export const makeVerifier = (length = 64): Effect.Effect<Redacted.Redacted<string>, InvalidInput> =>
  Number.isInteger(length) && length >= 43 && length <= 128
    ? Effect.sync(() => {
      let out = ""
      while (out.length < length) {
        const bytes = crypto.getRandomValues(new Uint8Array(length * 2))
        for (const byte of bytes) {
          // 256 - 256 % 66 = 198: reject the bytes that would bias the draw.
          if (byte < 198 && out.length < length) out += ALPHABET[byte % ALPHABET.length]
        }
      }
      return Redacted.make(out)
    })
    : Effect.fail(new InvalidInput({ field: "length", reason: "a PKCE verifier is 43 to 128 characters" }))

/**
 * Computes the S256 challenge of a verifier: `base64url(SHA-256(ASCII(verifier)))`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const challengeOf = (
  verifier: string | Redacted.Redacted<string>
): Effect.Effect<string, InvalidInput> => {
  const value = typeof verifier === "string" ? verifier : Redacted.value(verifier)
  return validateVerifier(value).pipe(
    Effect.flatMap((v) =>
      Effect.promise(() => crypto.subtle.digest("SHA-256", new TextEncoder().encode(v)))
    ),
    Effect.map((digest) => base64Url(new Uint8Array(digest)))
  )
}

/**
 * Makes a fresh verifier and its S256 challenge.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (length = 64): Effect.Effect<PkcePair, InvalidInput> =>
  Effect.gen(function*() {
    const verifier = yield* makeVerifier(length)
    const challenge = yield* challengeOf(verifier)
    return { verifier, challenge, method: "S256" as const }
  })
