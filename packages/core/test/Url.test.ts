import { describe, expect, it } from "@effect/vitest"
import type { HttpClient } from "@effect/platform"
import { Duration, Effect, Layer, Option } from "effect"
import { FitbitAuth, FitbitConfig, FitbitHttp } from "@fitbit-effect/core"
import * as Url from "../src/internal/url.js"
import { MockHttpClient } from "@fitbit-effect/core/testing"
import { ACCESS_TOKEN, printed, setup, tokenBody } from "./fixtures.js"

/** Runs `program` against a mock that answers 200 to everything, and expects InvalidInput with no request sent. */
const rejects = <A, E extends { readonly _tag: string }>(
  program: Effect.Effect<A, E, FitbitHttp.FitbitHttp | FitbitConfig.FitbitConfig | HttpClient.HttpClient>,
  field: string,
  options: Partial<FitbitConfig.Options> = {}
) => {
  const { layer, mock } = setup(() => ({ status: 200, body: tokenBody() }), options)
  return Effect.gen(function*() {
    const error = yield* Effect.flip(program.pipe(Effect.provide(layer)))
    expect(error._tag).toBe("InvalidInput")
    expect((error as unknown as { field: string }).field).toBe(field)
    expect(mock.requests).toHaveLength(0)
    expect(printed(error)).not.toContain(ACCESS_TOKEN)
  })
}

describe("bad paths never reach the network", () => {
  const paths = [
    "profile.json",
    "//evil.example/1/user/-/profile.json",
    "http://evil.example/profile.json",
    "https://evil.example/profile.json",
    "/http://evil.example/x",
    "/javascript:alert(1)",
    "/../../oauth2/token",
    "/activities/../../oauth2/token",
    "/activities/%2e%2e/%2E%2E/oauth2/token",
    "/activities/%2E%2e/x",
    "/./profile.json",
    "/profile.json\r\nHost: evil.example",
    "/profile.json\n",
    "/profile.json%0d%0aX-Injected:%201",
    "/profile\\..\\x",
    "/profile.json#fragment",
    "/profile json",
    "/profile%ZZ.json",
    ""
  ]
  for (const path of paths) {
    it.effect(`path ${JSON.stringify(path)}`, () => rejects(FitbitHttp.get(path, ACCESS_TOKEN), "path"))
  }
  it.effect("a path that is not a string", () => rejects(FitbitHttp.get(42 as unknown as string, ACCESS_TOKEN), "path"))
  it.effect("every verb checks its path", () =>
    Effect.all([
      rejects(FitbitHttp.post("//evil.example/x", ACCESS_TOKEN, { a: 1 }), "path"),
      rejects(FitbitHttp.put("/../x", ACCESS_TOKEN, { a: 1 }), "path"),
      rejects(FitbitHttp.del("https://evil.example/x", ACCESS_TOKEN), "path")
    ]))

  it("validatePath accepts ordinary paths with a query", () => {
    for (const path of ["/profile.json", "/activities/list.json?beforeDate=2026-11-25&sort=desc&limit=10&offset=0", "/foods/search.json?query=%C3%A9clair"]) {
      expect(Effect.runSync(Url.validatePath(path))).toBe(path)
    }
  })
})

describe("bad user ids, headers, versions and tokens never reach the network", () => {
  for (const userId of ["abc123", "ABC12", "ABCDEFGHI", "ABC/12", "../ABC", "ABC 12", "ABC12\n", "ABC%2F"]) {
    it.effect(`userId ${JSON.stringify(userId)}`, () => rejects(FitbitHttp.get("/profile.json", "tok", { userId }), "userId"))
  }
  it.effect("userId true (a wrong type)", () =>
    rejects(FitbitHttp.get("/profile.json", "tok", { userId: true as unknown as string }), "userId"))

  for (const headers of [{ "X-A": "a\r\nX-Injected: 1" }, { "X-A": "a\nb" }, { "X-A": "a\0" }, { "Bad Name": "x" }, { "X:Y": "x" }, { "": "x" }]) {
    it.effect(`headers ${JSON.stringify(headers)}`, () => rejects(FitbitHttp.get("/profile.json", "tok", { headers }), "headers"))
  }

  for (const apiVersion of ["2", "1.", "1.10", "../1", "", "1/../2", "v1"]) {
    it.effect(`apiVersion ${JSON.stringify(apiVersion)}`, () => rejects(FitbitHttp.get("/profile.json", "tok", { apiVersion }), "apiVersion"))
  }

  for (const token of ["", "tok en", "tok\r\n", "tok\0"]) {
    it.effect(`access token ${JSON.stringify(token)}`, () => rejects(FitbitHttp.get("/profile.json", token), "accessToken"))
  }

  it.effect("a body that is neither an object nor a string", () =>
    rejects(FitbitHttp.post("/activities.json", "tok", 42 as unknown as string), "body"))
})

describe("bad OAuth inputs never reach the network", () => {
  it.effect("empty code", () => rejects(FitbitAuth.exchangeCode({ code: "", redirectUri: "https://a/cb" }), "code"))
  it.effect("empty redirect URI", () => rejects(FitbitAuth.exchangeCode({ code: "c", redirectUri: "" }), "redirectUri"))
  for (const codeVerifier of ["short", "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjX", "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk!", "a".repeat(129), "dBjftJeZ4CVP mB92K27uhbUJU1p1r_wW1gFWFOEjXk"]) {
    it.effect(`code verifier ${JSON.stringify(codeVerifier.slice(0, 12))}… (${codeVerifier.length})`, () =>
      rejects(FitbitAuth.exchangeCode({ code: "c", redirectUri: "https://a/cb", codeVerifier }), "codeVerifier"))
  }
  it.effect("empty refresh token", () => rejects(FitbitAuth.refresh({ refreshToken: "" }), "refreshToken"))
  for (const expiresIn of [0, -1, 1.5, Number.NaN]) {
    it.effect(`expiresIn ${expiresIn}`, () => rejects(FitbitAuth.refresh({ refreshToken: "rt", expiresIn }), "expiresIn"))
  }
  it.effect("empty token to revoke", () => rejects(FitbitAuth.revoke(""), "token"))
  it.effect("empty token to introspect", () => rejects(FitbitAuth.introspect({ token: "", bearer: "b" }), "token"))
  it.effect("empty bearer to introspect", () => rejects(FitbitAuth.introspect({ token: "t", bearer: "" }), "token"))
})

describe("configuration URLs must be https unless loopback", () => {
  const bad: ReadonlyArray<[keyof FitbitConfig.Options, string]> = [
    ["tokenUrl", "http://api.fitbit.example/oauth2/token"],
    ["apiBaseUrl", "http://api.fitbit.com"],
    ["revokeUrl", "ftp://api.fitbit.com/oauth2/revoke"],
    ["introspectUrl", "https://user:pass@api.fitbit.com/1.1/oauth2/introspect"],
    ["authorizeUrl", "not a url"],
    ["baseUrl", "http://10.0.0.5:4100"],
    ["baseUrl", "http://localhost.evil.example:4100"]
  ]
  for (const [field, url] of bad) {
    it.effect(`${field} ${url}`, () => {
      const mock = MockHttpClient.make(() => ({ status: 200, body: tokenBody() }))
      const layer = FitbitHttp.layer.pipe(
        Layer.provideMerge(FitbitConfig.layer({ clientId: "23BCDE", clientSecret: "s3cret", [field]: url })),
        Layer.provideMerge(mock.layer)
      )
      return Effect.gen(function*() {
        const error = yield* Effect.flip(FitbitAuth.refresh({ refreshToken: "rt" }).pipe(Effect.provide(layer)))
        expect(error._tag).toBe("InvalidInput")
        expect(mock.requests).toHaveLength(0)
      })
    })
  }

  for (const url of ["http://127.0.0.1:4100", "http://localhost:4100/", "http://[::1]:4100", "https://api.fitbit.com"]) {
    it.effect(`accepts ${url}`, () =>
      Effect.gen(function*() {
        const config = yield* FitbitConfig.make({ clientId: "23BCDE", baseUrl: url })
        expect(config.tokenUrl).toBe(url.replace(/\/$/, "") + "/oauth2/token")
        expect(config.apiBaseUrl).toBe(url.replace(/\/$/, ""))
      }))
  }

  for (const timeout of ["soon", -5, 0, Number.NaN] as const) {
    it.effect(`timeout ${String(timeout)}`, () =>
      Effect.gen(function*() {
        const error = yield* Effect.flip(FitbitConfig.make({ clientId: "23BCDE", timeout: timeout as never }))
        expect(error.field).toBe("timeout")
      }))
  }

  it.effect("an Accept-Language with CR/LF", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(FitbitConfig.make({ clientId: "23BCDE", acceptLanguage: "en_US\r\nX-Injected: 1" }))
      expect(error.field).toBe("headers")
      const ok = yield* FitbitConfig.make({ clientId: "23BCDE", acceptLanguage: "en_GB", timeout: "5 seconds" })
      expect(ok.acceptLanguage).toEqual(Option.some("en_GB"))
      expect(Duration.toMillis(ok.timeout)).toBe(5000)
    }))

  it.effect("a missing client id", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(FitbitConfig.make({ clientId: " " }))
      expect(error.field).toBe("clientId")
    }))
})

describe("validatePath's plain-path shortcut", () => {
  it("accepts only what every rule accepts, and answers as the rules do (48,000 generated paths)", () => {
    // Pieces that stress each rule: dots and dot segments, encodings, schemes, hosts, queries,
    // fragments, backslashes, whitespace, controls and look-alikes outside ASCII.
    const safe = ["/", "a", "Z", "0", "-", "_", "~", ".", "json"]
    const tricky = ["..", "%2e", "%2F", "%", ":", "?", "#", "\\", " ", "\t", "\n", "\uff0e", "é", "//", "@", "+", "="]
    let seed = 31
    const next = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff)
    let plain = 0
    for (let i = 0; i < 48_000; i++) {
      let path = next() % 4 === 0 ? "" : "/"
      const length = 1 + (next() % 8)
      for (let j = 0; j < length; j++) path += next() % 10 < 8 ? safe[next() % safe.length] : tricky[next() % tricky.length]
      const byRules = Url.validatePathByRules(path)
      if (Url.isPlainPath(path)) {
        plain++
        expect(byRules._tag, path).toBe("Right")
      }
      expect(Url.validatePath(path)._tag, path).toBe(byRules._tag)
    }
    // The corpus exercises both sides of the shortcut.
    expect(plain).toBeGreaterThan(100)
    for (const path of ["/profile.json", "/activities/steps/date/2026-11-01/7d.json", "/sleep/list.json/", "/v4/users/me/dataTypes/steps/dataPoints"]) {
      expect(Url.isPlainPath(path)).toBe(true)
    }
    for (const path of ["/a/../b", "/./a", "/a/.", "//host/a", "/a?b=1", "/a:b", "/a%2e%2e", "/a#b", "/a b", "/a\\b", `/${"a".repeat(2048)}`]) {
      expect(Url.isPlainPath(path), path).toBe(false)
    }
  })
})
