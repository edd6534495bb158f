import { describe, expect, it } from "@effect/vitest"
import { Effect, Redacted } from "effect"
import { createHash } from "node:crypto"
import { Pkce } from "@fitbit-effect/core"

const UNRESERVED = /^[A-Za-z0-9\-._~]+$/

describe("PKCE", () => {
  it.effect("matches RFC 7636's published S256 vector (appendix B)", () =>
    Effect.gen(function*() {
      expect(yield* Pkce.challengeOf("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk")).toBe(
        "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
      )
      expect(yield* Pkce.challengeOf(Redacted.make("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"))).toBe(
        "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
      )
    }))

  it("base64Url encodes RFC 7636's verifier octets to its verifier", () => {
    const octets = [116, 24, 223, 180, 151, 153, 224, 37, 79, 250, 96, 125, 216, 173, 187, 186, 22, 212, 37, 77, 105, 214, 191, 240, 91, 88, 5, 88, 83, 132, 141, 121]
    expect(Pkce.base64Url(new Uint8Array(octets))).toBe("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk")
    expect(Pkce.base64Url(new Uint8Array([0xfb, 0xff]))).toBe("-_8")
  })

  it.effect("make() gives a verifier of the unreserved alphabet and its challenge", () =>
    Effect.gen(function*() {
      const pair = yield* Pkce.make()
      const verifier = Redacted.value(pair.verifier)
      expect(verifier).toHaveLength(64)
      expect(verifier).toMatch(UNRESERVED)
      expect(pair.method).toBe("S256")
      expect(pair.challenge).toBe(createHash("sha256").update(verifier).digest("base64url"))
      expect(String(pair.verifier)).not.toContain(verifier)
    }))

  it.effect("verifiers have the asked length (43 to 128) and differ", () =>
    Effect.gen(function*() {
      for (const length of [43, 64, 100, 128]) {
        const verifier = Redacted.value(yield* Pkce.makeVerifier(length))
        expect(verifier).toHaveLength(length)
        expect(verifier).toMatch(UNRESERVED)
      }
      const a = Redacted.value(yield* Pkce.makeVerifier())
      const b = Redacted.value(yield* Pkce.makeVerifier())
      expect(a).not.toBe(b)
    }))

  it.effect("draws from the whole alphabet", () =>
    Effect.gen(function*() {
      // 40 verifiers of 128 characters: 5120 draws from 66 symbols; a missing symbol has odds below 1e-30.
      const seen = new Set<string>()
      for (let i = 0; i < 40; i++) for (const c of Redacted.value(yield* Pkce.makeVerifier(128))) seen.add(c)
      expect(seen.size).toBe(66)
    }))

  it.effect("rejects lengths outside 43..128 and malformed verifiers", () =>
    Effect.gen(function*() {
      for (const length of [42, 129, 50.5, 0]) {
        const error = yield* Effect.flip(Pkce.makeVerifier(length))
        expect(error._tag).toBe("InvalidInput")
      }
      for (const verifier of ["a".repeat(42), "a".repeat(129), "a".repeat(42) + "+", "a".repeat(42) + "=", "ä".repeat(43)]) {
        const error = yield* Effect.flip(Pkce.challengeOf(verifier))
        expect(error.field).toBe("codeVerifier")
      }
    }))
})
