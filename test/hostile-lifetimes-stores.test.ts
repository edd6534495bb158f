// Issue 34, classes 1 and 8: token answers and imports are checked as a whole before anything is
// stored (finite, bounded lifetimes; non-empty tokens), a store whose one record is unreadable
// still serves every other user and takes a new consent for that one, and the file store writes
// through links, is not blocked by a dangling link at its lock, and keeps every key.
import { OAuth, TokenStore } from "@fitbit-effect/core"
import { FileTokenStore, FitbitSessionClient } from "@fitbit-effect/node"
import * as Sql from "@fitbit-effect/node/sql"
import { Effect, Layer, Option, Redacted } from "effect"
import * as fs from "node:fs"
import * as http from "node:http"
import type { AddressInfo } from "node:net"
import * as os from "node:os"
import { join } from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"

let server: http.Server
let baseUrl = ""
/** What the token endpoint answers next: raw JSON text, so it can hold what JSON.stringify cannot (`1e400`). */
let tokenAnswer = ""

beforeAll(async () => {
  server = http.createServer((req, res) => {
    req.resume()
    res.writeHead(200, { "content-type": "application/json" })
    res.end(req.url === "/oauth2/token" ? tokenAnswer : "{}")
  })
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
afterAll(() => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()) }))

const dir = fs.mkdtempSync(join(os.tmpdir(), "fitbit-hostile-stores-"))
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }))
let files = 0
const freshFile = () => join(dir, `tokens-${files++}.json`)

const YEAR_SECONDS = 365 * 24 * 60 * 60

describe("lifetimes: what a token endpoint or an import says is bounded before it is stored", () => {
  it("expires_in 1e400 from the token endpoint: stored as one year, and the file keeps serving every user", async () => {
    const path = freshFile()
    const client = new FitbitSessionClient({ clientId: "23BCDE", clientSecret: "secret", baseUrl, store: { file: path } })
    try {
      await client.saveTokens({ access_token: "other-access", refresh_token: "other-refresh", expires_in: 28800, user_id: "OTHER1" })
      tokenAnswer = `{"access_token":"a-1","refresh_token":"r-1","expires_in":1e400,"token_type":"Bearer","user_id":"ABC123"}`
      const { key, tokens } = await client.getAccessToken("code", "https://app.example/cb")
      expect(key).toBe("ABC123")
      expect(tokens.expires_in).toBe(YEAR_SECONDS)
      // The file is still a store file: the other user's grant reads back, and so does this one.
      const grants = JSON.parse(fs.readFileSync(path, "utf8")).grants
      expect(Object.keys(grants).sort()).toEqual(["fitbit:ABC123", "fitbit:OTHER1"])
      expect(Number.isFinite(grants["fitbit:ABC123"].tokens.expiresAt)).toBe(true)
      expect(grants["fitbit:ABC123"].tokens.expiresIn).toBe(YEAR_SECONDS)
      expect(await client.accessToken("OTHER1")).toBe("other-access")
      expect(await client.accessToken("ABC123")).toBe("a-1")
    } finally {
      await client.close()
    }
  })

  it("an empty access_token from the token endpoint is a DecodeError naming the field; nothing is stored", async () => {
    const path = freshFile()
    const client = new FitbitSessionClient({ clientId: "23BCDE", clientSecret: "secret", baseUrl, store: { file: path } })
    try {
      tokenAnswer = JSON.stringify({ access_token: "", refresh_token: "r", expires_in: 3600, token_type: "Bearer", user_id: "ABC123" })
      const error = await client.getAccessToken("code", "https://app.example/cb").catch((e) => e)
      expect(error).toMatchObject({ _tag: "DecodeError" })
      expect(error.message).toContain("access_token")
      expect(fs.existsSync(path)).toBe(false)
    } finally {
      await client.close()
    }
  })

  it("imported tokens: 1e306 seconds is one year; an empty token or a lifetime that is not a number is InvalidInput naming the field", async () => {
    const path = freshFile()
    const client = new FitbitSessionClient({ clientId: "23BCDE", clientSecret: "secret", baseUrl, store: { file: path } })
    try {
      await client.saveTokens({ access_token: "a", refresh_token: "r", expires_in: 1e306, user_id: "ABC123" })
      expect(JSON.parse(fs.readFileSync(path, "utf8")).grants["fitbit:ABC123"].tokens.expiresIn).toBe(YEAR_SECONDS)
      const empty = await client.saveTokens({ access_token: " ", expires_in: 60, user_id: "ABC123" }).catch((e) => e)
      expect(empty).toMatchObject({ _tag: "InvalidInput", field: "tokens.access_token" })
      const nan = await client.saveTokens({ access_token: "a", expires_in: "soon" as unknown as number, user_id: "ABC123" }).catch((e) => e)
      expect(nan).toMatchObject({ _tag: "InvalidInput", field: "tokens.expires_in" })
    } finally {
      await client.close()
    }
  })

  it("OAuth.tokenSetFromWire: a negative lifetime is already expired; a token set can never hold a non-finite expiry", () => {
    const expired = OAuth.tokenSetFromWire({ access_token: "a", expires_in: -5 }, 1_000)
    expect(expired._tag === "Right" && expired.right.expiresAt).toBe(1_000)
    expect(() => new OAuth.TokenSet({ accessToken: "a" as never, tokenType: "Bearer", scopes: [], expiresIn: 60, expiresAt: Number.POSITIVE_INFINITY })).toThrow()
  })
})

const grantFor = (access: string, revision = 1) =>
  new TokenStore.StoredGrant({
    tokens: new OAuth.TokenSet({
      accessToken: Redacted.make(access),
      refreshToken: Redacted.make(`r-${access}`),
      tokenType: "Bearer",
      scopes: [],
      expiresIn: 3600,
      expiresAt: 3_601_000
    }),
    status: "active",
    revision,
    updatedAt: 1_000
  })

/** Runs a store program against a layer. */
const run = <A, E>(layer: Layer.Layer<TokenStore.TokenStore, unknown>, program: (store: TokenStore.TokenStoreShape) => Effect.Effect<A, E>) =>
  Effect.runPromise(Effect.scoped(Effect.flatMap(Layer.build(layer), (context) => program(context.unsafeMap.get(TokenStore.TokenStore.key) as TokenStore.TokenStoreShape))))

describe("a store with one unreadable record serves every other user and takes a new consent", () => {
  it("file store: the damaged record fails its key alone (unreadable), writes keep it, a set replaces it", async () => {
    const path = freshFile()
    const layer = FileTokenStore.layer({ path })
    await run(layer, (store) => Effect.zipRight(store.set("good", grantFor("good")), store.set("bad", grantFor("bad"))))
    const file = JSON.parse(fs.readFileSync(path, "utf8"))
    file.grants.bad.tokens.expiresAt = null // what JSON made of Infinity before this issue
    fs.writeFileSync(path, JSON.stringify(file))
    const outcome = await run(layer, (store) =>
      Effect.gen(function*() {
        const bad = yield* Effect.flip(store.get("bad"))
        const good = yield* store.get("good")
        yield* store.set("other", grantFor("other"))
        const keptWhileOthersWrite = JSON.parse(fs.readFileSync(path, "utf8")).grants.bad.tokens.expiresAt
        const cas = yield* Effect.flip(store.compareAndSet("bad", Option.some(1), grantFor("bad", 2)))
        yield* store.set("bad", grantFor("again"))
        const replaced = yield* store.get("bad")
        return { bad, good, keptWhileOthersWrite, cas, replaced }
      }))
    expect(outcome.bad).toMatchObject({ _tag: "TokenStoreError", unreadable: true, key: "bad" })
    expect(Option.isSome(outcome.good)).toBe(true)
    expect(outcome.keptWhileOthersWrite).toBe(null)
    expect(outcome.cas).toMatchObject({ _tag: "TokenStoreError", unreadable: true })
    expect(Option.map(outcome.replaced, (g) => g.revision)).toEqual(Option.some(1))
  })

  const sqlCases: Array<[string, () => Sql.StoreOption]> = [
    ["SQLite", () => ({ sqlite: join(dir, `store-${files++}.db`) })],
    ...(process.env.PG_URL === undefined ? [] : [["Postgres", () => ({ postgres: process.env.PG_URL! })] as [string, () => Sql.StoreOption]])
  ]
  for (const [name, option] of sqlCases) {
    it(`${name}: an unreadable row fails its key alone; a new consent for that user replaces it`, async () => {
      const store = option()
      const user = `HOSTILE${files++}`
      const client = new FitbitSessionClient({ clientId: "23BCDE", clientSecret: "secret", baseUrl, store })
      try {
        await client.saveTokens({ access_token: "a", refresh_token: "r", expires_in: 3600, user_id: user })
        await client.saveTokens({ access_token: "o", refresh_token: "r", expires_in: 3600, user_id: `${user}O` })
        // Damage the one row, as a hand edit or an older writer could.
        await Effect.runPromise(Effect.scoped(Effect.flatMap(Layer.build(Sql.sqlClient(store)), (context) => {
          const sql = context.unsafeMap.get("@effect/sql/SqlClient") as { unsafe: (q: string, p: Array<unknown>) => Effect.Effect<unknown> }
          const [a, b] = "sqlite" in store ? ["?", "?"] : ["$1", "$2"]
          return sql.unsafe(`UPDATE fitbit_effect_grants SET grant_json = ${a} WHERE key = ${b}`, ['{"tokens":{"expiresAt":null}}', `fitbit:${user}`])
        })))
        const unreadable = await client.accessToken(user).catch((e: unknown) => e)
        expect(unreadable).toMatchObject({ _tag: "TokenStoreError", unreadable: true })
        expect(await client.accessToken(`${user}O`)).toBe("o")
        await client.saveTokens({ access_token: "again", refresh_token: "r2", expires_in: 3600, user_id: user })
        expect(await client.accessToken(user)).toBe("again")
      } finally {
        await client.close()
      }
    })
  }
})

describe("the file store and links", () => {
  it("a symlink at the store path: writes go through to the file it points to, which stays the one store", async () => {
    const real = freshFile()
    const link = `${real}.link`
    fs.symlinkSync(real, link)
    await run(FileTokenStore.layer({ path: link }), (store) => Effect.zipRight(store.set("a", grantFor("a")), store.set("b", grantFor("b"))))
    expect(fs.lstatSync(link).isSymbolicLink()).toBe(true)
    expect(Object.keys(JSON.parse(fs.readFileSync(real, "utf8")).grants).sort()).toEqual(["a", "b"])
    expect((fs.statSync(real).mode & 0o777).toString(8)).toBe("600")
  })

  it("a dangling symlink at <file>.lock does not block writes", async () => {
    const path = freshFile()
    fs.symlinkSync(join(dir, "nowhere", "lock"), `${path}.lock`)
    await run(FileTokenStore.layer({ path, lockWait: "2 seconds" }), (store) => store.set("a", grantFor("a")))
    expect(Object.keys(JSON.parse(fs.readFileSync(path, "utf8")).grants)).toEqual(["a"])
  })

  it("every key is stored, __proto__ and constructor included, and read back", async () => {
    const path = freshFile()
    const keys = ["__proto__", "constructor", "hasOwnProperty", "a\nb"]
    const read = await run(FileTokenStore.layer({ path }), (store) =>
      Effect.zipRight(
        Effect.forEach(keys, (key) => store.set(key, grantFor(`t-${keys.indexOf(key)}`))),
        Effect.forEach(keys, (key) => store.get(key))
      ))
    expect(read.map((g) => Option.isSome(g))).toEqual([true, true, true, true])
    expect(Object.getPrototypeOf(JSON.parse(fs.readFileSync(path, "utf8")).grants)).toBe(Object.prototype)
  })
})
