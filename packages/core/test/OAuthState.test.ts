import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { OAuthState } from "@fitbit-effect/core"
import { constantTimeEqual } from "../src/internal/secret.js"

describe("OAuthState", () => {
  it.effect("generates unguessable, URL-safe states", () =>
    Effect.gen(function*() {
      const states = yield* Effect.all(Array.from({ length: 100 }, () => OAuthState.generate()))
      expect(new Set(states).size).toBe(100)
      for (const state of states) expect(state).toMatch(/^[A-Za-z0-9_-]{43}$/)
    }))

  it.effect("verifies the issued state, rejects a missing or different one", () =>
    Effect.gen(function*() {
      const state = yield* OAuthState.generate()
      yield* OAuthState.verify(state, state)
      expect(yield* Effect.flip(OAuthState.verify(state, undefined))).toMatchObject({ _tag: "StateMismatch", reason: "missing" })
      expect(yield* Effect.flip(OAuthState.verify(state, ""))).toMatchObject({ reason: "missing" })
      expect(yield* Effect.flip(OAuthState.verify(state, state.slice(0, -1)))).toMatchObject({ reason: "mismatch" })
      expect(yield* Effect.flip(OAuthState.verify(state, state + "x"))).toMatchObject({ reason: "mismatch" })
      expect(yield* Effect.flip(OAuthState.verify("", ""))).toMatchObject({ reason: "missing" })
      const flipped = (state[0] === "A" ? "B" : "A") + state.slice(1)
      expect(yield* Effect.flip(OAuthState.verify(state, flipped))).toMatchObject({ reason: "mismatch" })
    }))

  it("constantTimeEquals agrees with ===", () => {
    for (const [a, b] of [["", ""], ["a", "a"], ["a", "b"], ["ab", "a"], ["a", "ab"], ["\u0000", ""]]) {
      expect(constantTimeEqual(a!, b!)).toBe(a === b)
    }
  })
})
