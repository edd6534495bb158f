import { describe, expect, it } from "@effect/vitest"
import { Effect, Option, Redacted } from "effect"
import { OAuth, TokenStore } from "@fitbit-effect/core"
import { FileTokenStore } from "@fitbit-effect/node"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"

const ACCESS = "file-store-access-0a1b2c3d4e5f60718293a4b5c6d7e8f9"
const REFRESH = "file-store-refresh-9f8e7d6c5b4a39281706f5e4d3c2b1a0"
const tokens = new OAuth.TokenSet({
  accessToken: Redacted.make(ACCESS),
  refreshToken: Redacted.make(REFRESH),
  tokenType: "Bearer",
  scopes: ["activity"],
  userId: "ABC123",
  expiresIn: 28800,
  expiresAt: 1_800_000_000_000
})

const tempFile = () => path.join(fs.mkdtempSync(path.join(os.tmpdir(), "fitbit-store-")), "nested", "tokens.json")

const withStore = <A, E>(file: string, f: (store: TokenStore.TokenStoreShape) => Effect.Effect<A, E>) =>
  Effect.flatMap(TokenStore.TokenStore, f).pipe(Effect.provide(FileTokenStore.layer({ path: file })))

describe("FileTokenStore", () => {
  it.effect("survives a restart: a new store on the same file reads what the old one wrote", () => {
    const file = tempFile()
    return Effect.gen(function*() {
      yield* withStore(file, (store) => store.set("fitbit:ABC123", TokenStore.initialGrant(tokens, 5)))
      const back = yield* withStore(file, (store) => store.get("fitbit:ABC123"))
      const grant = Option.getOrThrow(back)
      expect(Redacted.value(grant.tokens.refreshToken!)).toBe(REFRESH)
      expect([grant.revision, grant.status, grant.updatedAt, grant.tokens.expiresAt]).toEqual([1, "active", 5, 1_800_000_000_000])
    })
  })

  it.effect("the file is mode 0600 in a 0700 directory, holds the encoded grants, and no temp file is left", () => {
    const file = tempFile()
    return Effect.gen(function*() {
      yield* withStore(file, (store) =>
        Effect.gen(function*() {
          yield* store.set("a", TokenStore.initialGrant(tokens, 0))
          yield* store.set("b", TokenStore.initialGrant(tokens, 0))
          yield* store.remove("a")
        }))
      expect(fs.statSync(file).mode & 0o777).toBe(0o600)
      expect(fs.statSync(path.dirname(file)).mode & 0o777).toBe(0o700)
      const json = JSON.parse(fs.readFileSync(file, "utf8"))
      expect(Object.keys(json.grants)).toEqual(["b"])
      expect(json).toMatchObject({ version: 1, grants: { b: { tokens: { accessToken: ACCESS, refreshToken: REFRESH }, revision: 1 } } })
      expect(fs.readdirSync(path.dirname(file))).toEqual(["tokens.json"])
    })
  })

  it.effect("compare-and-set: one winner among concurrent writers; a stale revision is refused", () => {
    const file = tempFile()
    return withStore(file, (store) =>
      Effect.gen(function*() {
        const first = TokenStore.initialGrant(tokens, 0)
        expect(yield* store.compareAndSet("k", Option.none(), first)).toBe(true)
        const wins = yield* Effect.all(
          Array.from({ length: 20 }, (_, i) => store.compareAndSet("k", Option.some(1), first.next(tokens, i))),
          { concurrency: "unbounded" }
        )
        expect(wins.filter((w) => w)).toHaveLength(1)
        expect(yield* store.compareAndSet("k", Option.some(1), first.next(tokens, 0))).toBe(false)
        expect(Option.getOrThrow(yield* store.get("k")).revision).toBe(2)
      }))
  })

  it.effect("a corrupt file is a typed error that does not echo its contents", () => {
    const file = tempFile()
    return Effect.gen(function*() {
      yield* withStore(file, (store) => store.set("k", TokenStore.initialGrant(tokens, 0)))
      fs.writeFileSync(file, `{"version":1,"grants":{"k":"${REFRESH}"}}`)
      const error = yield* Effect.flip(withStore(file, (store) => store.get("k")))
      expect(error._tag).toBe("TokenStoreError")
      expect(`${error.message} ${JSON.stringify(error)}`).not.toContain(REFRESH)
    })
  })
})
