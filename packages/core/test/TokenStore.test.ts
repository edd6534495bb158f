import { describe, expect, it } from "@effect/vitest"
import { KeyValueStore } from "@effect/platform"
import { Effect, Option, Redacted } from "effect"
import { OAuth, TokenStore } from "@fitbit-effect/core"
import { ACCESS_TOKEN, printed, REFRESH_TOKEN } from "./fixtures.js"

const tokens = new OAuth.TokenSet({
  accessToken: Redacted.make(ACCESS_TOKEN),
  refreshToken: Redacted.make(REFRESH_TOKEN),
  tokenType: "Bearer",
  scopes: ["activity", "sleep"],
  userId: "ABC123",
  expiresIn: 28800,
  expiresAt: 1_800_000_000_000
})

const contract = (name: string, make: Effect.Effect<TokenStore.TokenStoreShape>) =>
  describe(`${name}: the store contract`, () => {
    it.effect("get of an unknown key is None; set then get round-trips every field", () =>
      Effect.gen(function*() {
        const store = yield* make
        expect(Option.isNone(yield* store.get("fitbit:nobody"))).toBe(true)
        const grant = TokenStore.initialGrant(tokens, 42)
        yield* store.set("fitbit:ABC123", grant)
        const back = Option.getOrThrow(yield* store.get("fitbit:ABC123"))
        expect(Redacted.value(back.tokens.accessToken)).toBe(ACCESS_TOKEN)
        expect(Redacted.value(back.tokens.refreshToken!)).toBe(REFRESH_TOKEN)
        expect([back.tokens.scopes, back.tokens.userId, back.tokens.expiresAt, back.status, back.revision, back.updatedAt])
          .toEqual([["activity", "sleep"], "ABC123", 1_800_000_000_000, "active", 1, 42])
      }))

    it.effect("compareAndSet writes only over the expected revision", () =>
      Effect.gen(function*() {
        const store = yield* make
        const first = TokenStore.initialGrant(tokens, 0)
        expect(yield* store.compareAndSet("k", Option.some(1), first)).toBe(false)
        expect(yield* store.compareAndSet("k", Option.none(), first)).toBe(true)
        expect(yield* store.compareAndSet("k", Option.none(), first)).toBe(false)
        const second = first.next(tokens, 1)
        expect(yield* store.compareAndSet("k", Option.some(2), second)).toBe(false)
        expect(yield* store.compareAndSet("k", Option.some(1), second)).toBe(true)
        expect(Option.getOrThrow(yield* store.get("k")).revision).toBe(2)
        yield* store.remove("k")
        expect(Option.isNone(yield* store.get("k"))).toBe(true)
      }))

    it.effect("concurrent compareAndSets over one revision: exactly one wins", () =>
      Effect.gen(function*() {
        const store = yield* make
        const first = TokenStore.initialGrant(tokens, 0)
        yield* store.set("k", first)
        const wins = yield* Effect.all(
          Array.from({ length: 50 }, (_, i) => store.compareAndSet("k", Option.some(1), first.next(tokens, i))),
          { concurrency: "unbounded" }
        )
        expect(wins.filter((w) => w)).toHaveLength(1)
      }))
  })

contract("memory", TokenStore.makeMemory)
contract(
  "KeyValueStore",
  TokenStore.makeKeyValueStore().pipe(Effect.provide(KeyValueStore.layerMemory))
)

describe("KeyValueStore-backed store", () => {
  it.effect("keeps the encoded JSON under a prefix, and reports a corrupt value as a typed error without echoing it", () =>
    Effect.gen(function*() {
      const kv = yield* KeyValueStore.KeyValueStore
      const store = yield* TokenStore.makeKeyValueStore({ prefix: "app/" })
      yield* store.set("fitbit:A", TokenStore.initialGrant(tokens, 0))
      const raw = Option.getOrThrow(yield* kv.get("app/fitbit:A"))
      expect(JSON.parse(raw)).toMatchObject({ tokens: { accessToken: ACCESS_TOKEN }, status: "active", revision: 1 })
      yield* kv.set("app/fitbit:B", `{"tokens": "${REFRESH_TOKEN}"`)
      const error = yield* Effect.flip(store.get("fitbit:B"))
      expect(error._tag).toBe("TokenStoreError")
      expect(printed(error)).not.toContain(REFRESH_TOKEN)
    }).pipe(Effect.provide(KeyValueStore.layerMemory)))
})

describe("grants never print their tokens", () => {
  it("String, JSON.stringify of a StoredGrant and its encoded errors hide the tokens", () => {
    const grant = TokenStore.initialGrant(tokens, 0)
    expect(printed(grant)).not.toContain(ACCESS_TOKEN)
    expect(printed(grant)).not.toContain(REFRESH_TOKEN)
  })
})

describe("withWriteHook", () => {
  it.effect("runs the hook before the write; a failing hook fails the write and leaves the store as it was", () =>
    Effect.gen(function*() {
      const inner = yield* TokenStore.makeMemory
      const seen: Array<number> = []
      let fail = false
      const store = yield* TokenStore.withWriteHook(inner, (_key, grant) =>
        Effect.suspend(() => {
          if (fail) return Effect.fail(new Error("database down"))
          seen.push(grant.revision)
          return Effect.void
        }))
      const first = TokenStore.initialGrant(tokens, 0)
      expect(yield* store.compareAndSet("k", Option.none(), first)).toBe(true)
      fail = true
      const error = yield* Effect.flip(store.compareAndSet("k", Option.some(1), first.next(tokens, 1)))
      expect(error).toMatchObject({ _tag: "TokenStoreError", operation: "compareAndSet" })
      expect(error.message).toContain("database down")
      expect(Option.getOrThrow(yield* inner.get("k")).revision).toBe(1)
      // A stale compare-and-set does not call the hook.
      fail = false
      expect(yield* store.compareAndSet("k", Option.some(7), first.next(tokens, 1))).toBe(false)
      expect(seen).toEqual([1])
    }))
})

describe("grants and their revisions", () => {
  it("initialGrant is revision 1 from a consent; next is the following revision, active, from the same consent", () => {
    const first = TokenStore.initialGrant(tokens, 1000)
    expect([first.revision, first.status, first.updatedAt, first.grantedAt]).toEqual([1, "active", 1000, 1000])
    const marked = new TokenStore.StoredGrant({ ...first, status: "reauthorization_required", revision: 2 })
    const after = marked.next(tokens, 5000)
    expect([after.revision, after.status, after.updatedAt, after.grantedAt]).toEqual([3, "active", 5000, 1000])
    const unknownConsent = new TokenStore.StoredGrant({ tokens, status: "active", revision: 4, updatedAt: 0 })
    expect(unknownConsent.next(tokens, 1).grantedAt).toBeUndefined()
  })

  it("matchesRevision: nothing stored matches only an expected none; a stored grant only its own revision", () => {
    const stored = Option.some(TokenStore.initialGrant(tokens, 0))
    expect(TokenStore.matchesRevision(Option.none(), Option.none())).toBe(true)
    expect(TokenStore.matchesRevision(Option.none(), Option.some(1))).toBe(false)
    expect(TokenStore.matchesRevision(stored, Option.none())).toBe(false)
    expect(TokenStore.matchesRevision(stored, Option.some(1))).toBe(true)
    expect(TokenStore.matchesRevision(stored, Option.some(2))).toBe(false)
  })

  it.effect("encodeGrant and decodeGrant round-trip; a stored value that is not a grant is described by its shape, never its values", () =>
    Effect.gen(function*() {
      const grant = TokenStore.initialGrant(tokens, 7)
      const back = yield* TokenStore.decodeGrant(TokenStore.encodeGrant(grant))
      expect(Redacted.value(back.tokens.accessToken)).toBe(ACCESS_TOKEN)
      expect([back.revision, back.grantedAt]).toEqual([1, 7])
      const notJson = yield* Effect.flip(TokenStore.decodeGrant(`{"refresh": "${REFRESH_TOKEN}"`))
      expect(notJson).toBe("stored value is not JSON")
      const notGrant = yield* Effect.flip(TokenStore.decodeGrant(JSON.stringify({ tokens: { accessToken: 5, refreshToken: REFRESH_TOKEN } })))
      expect(notGrant).toContain("stored value is not a grant")
      expect(notGrant).not.toContain(REFRESH_TOKEN)
    }))
})

describe("withWriteHook, further", () => {
  it.effect("set runs the hook too; a hook that dies fails the write typed; the store's lease is kept", () =>
    Effect.gen(function*() {
      const inner = yield* TokenStore.makeMemory
      const lease: TokenStore.Lease = { acquire: () => Effect.succeed(true), release: () => Effect.void }
      const seen: Array<string> = []
      let die = false
      const store = yield* TokenStore.withWriteHook({ ...inner, lease }, (key) =>
        Effect.suspend(() => die ? Effect.die(new Error("hook crashed")) : Effect.sync(() => void seen.push(key))))
      expect(store.lease).toBe(lease)
      yield* store.set("k", TokenStore.initialGrant(tokens, 0))
      expect(seen).toEqual(["k"])
      die = true
      const error = yield* Effect.flip(store.set("k2", TokenStore.initialGrant(tokens, 0)))
      expect(error).toMatchObject({ _tag: "TokenStoreError", operation: "set", key: "k2" })
      expect(error.message).toContain("hook crashed")
      expect(Option.isNone(yield* inner.get("k2"))).toBe(true)
    }))
})
