// The generic OAuth module with a provider of its own (neither Fitbit's nor Google's): the
// authorization URL, the requests each token call sends under each way of client authentication,
// what their answers decode to, and how they fail (tagged, and never with a secret in a message).
import { describe, expect, it } from "@effect/vitest"
import type { HttpClient } from "@effect/platform"
import { Duration, Effect, Fiber, Option, Redacted, TestClock } from "effect"
import { Errors, OAuth } from "@fitbit-effect/core"
import { MockHttpClient } from "@fitbit-effect/core/testing"
import { printed, recordingTracer } from "./fixtures.js"

const CLIENT = "acme-app.1"
const SECRET = "acme-secret-7f1e2d3c4b5a69788796a5b4c3d2e1f0"
const CODE = "acme-code-5d1c9b8a7f6e4d3c"
const VERIFIER = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
const ACCESS = "acme-access-0123456789abcdef"
const REFRESH = "acme-refresh-fedcba9876543210"
const REDIRECT = "https://app.example/callback"

const provider: OAuth.OAuthProvider = {
  name: "acme",
  clientId: CLIENT,
  clientSecret: Option.some(Redacted.make(SECRET)),
  authorizeUrl: "https://id.acme.test/oauth/authorize",
  tokenUrl: "https://id.acme.test/oauth/token",
  revokeUrl: "https://id.acme.test/oauth/revoke",
  introspectUrl: Option.some("https://id.acme.test/oauth/introspect"),
  clientAuthentication: "basic",
  sendClientIdOnCodeExchange: false,
  timeout: Duration.seconds(5)
}
const postProvider: OAuth.OAuthProvider = { ...provider, clientAuthentication: "post" }
const publicProvider: OAuth.OAuthProvider = { ...provider, clientSecret: Option.none() }
const BASIC = `Basic ${btoa(`${CLIENT}:${SECRET}`)}`

const tokenBody = (overrides: Record<string, unknown> = {}) => ({
  access_token: ACCESS,
  token_type: "Bearer",
  expires_in: 3600,
  refresh_token: REFRESH,
  scope: "read write",
  ...overrides
})

/** Runs `program` against a token endpoint answering `answer`; the requests it sent. */
const against = <A, E>(
  answer: MockHttpClient.MockAnswer,
  program: Effect.Effect<A, E, HttpClient.HttpClient>
) => {
  const mock = MockHttpClient.make(() => answer)
  return Effect.map(Effect.either(Effect.provide(program, mock.layer)), (result) => ({ result, requests: mock.requests }))
}

/** Any one of the module's calls. */
type AnyCall = Effect.Effect<unknown, OAuth.TokenFailure, HttpClient.HttpClient>

/** Every call of the module on one endpoint, as a list of the requests each sent. */
const everyCall = (p: OAuth.OAuthProvider) => ({
  exchange: OAuth.exchangeCode(p, { code: CODE, redirectUri: REDIRECT, codeVerifier: Redacted.make(VERIFIER) }),
  refresh: OAuth.refresh(p, { refreshToken: REFRESH }),
  revoke: OAuth.revoke(p, REFRESH),
  introspect: OAuth.introspect(p, { token: ACCESS, bearer: Redacted.make(ACCESS) })
})

describe("authorizeUrl", () => {
  it("every parameter RFC 3986-encoded, in order, scopes space-joined, PKCE's method with its challenge, the extras last in their order", () => {
    const url = OAuth.authorizeUrl({ authorizeUrl: provider.authorizeUrl, clientId: "app id/ü" }, {
      scope: ["read:all", "  write ", "", "profile"],
      redirectUri: "https://app.example/cb?x=1&y=(2)",
      prompt: "login consent",
      state: "st*te!'~",
      codeChallenge: "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
      extraParams: { access_type: "offline", empty: "", missing: undefined, "login hint": "a+b@c.d" }
    })
    expect(url).toBe(
      "https://id.acme.test/oauth/authorize?response_type=code&client_id=app%20id%2F%C3%BC" +
        "&scope=read%3Aall%20write%20profile&redirect_uri=https%3A%2F%2Fapp.example%2Fcb%3Fx%3D1%26y%3D%282%29" +
        "&prompt=login%20consent&state=st%2Ate%21%27~&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM" +
        "&code_challenge_method=S256&access_type=offline&login%20hint=a%2Bb%40c.d"
    )
    const parsed = new URL(url)
    expect(parsed.searchParams.get("redirect_uri")).toBe("https://app.example/cb?x=1&y=(2)")
    expect(parsed.searchParams.get("login hint")).toBe("a+b@c.d")
  })

  it("a scope string with any whitespace is sent single-space-joined, as an array would be", () => {
    const scopeOf = (scope: string | ReadonlyArray<string>) =>
      new URL(OAuth.authorizeUrl(provider, { scope, redirectUri: REDIRECT })).searchParams.get("scope")
    expect(scopeOf("  read \n write\tprofile ")).toBe("read write profile")
    expect(scopeOf(["read", "write", "profile"])).toBe("read write profile")
    expect(OAuth.joinScopes(" a  b ")).toBe("a b")
  })

  it("nothing empty is sent: no prompt, state or challenge (nor its method) when absent or empty; a URL with a query gets &", () => {
    for (const optional of [{}, { prompt: "", state: "", codeChallenge: "" }]) {
      const url = new URL(OAuth.authorizeUrl(provider, { scope: "read", redirectUri: REDIRECT, ...optional }))
      expect([...url.searchParams.keys()]).toEqual(["response_type", "client_id", "scope", "redirect_uri"])
    }
    const tenant = OAuth.authorizeUrl({ ...provider, authorizeUrl: "https://id.acme.test/authorize?tenant=t1" }, { scope: "read", redirectUri: REDIRECT })
    expect(tenant.startsWith("https://id.acme.test/authorize?tenant=t1&response_type=code&client_id=acme-app.1&")).toBe(true)
  })
})

describe("the requests as sent", () => {
  it.effect("Basic client authentication: the secret in the Authorization header only, never in a body; client_id not sent", () =>
    Effect.gen(function*() {
      const calls = everyCall(provider)
      const exchange = yield* against({ status: 200, body: tokenBody() }, calls.exchange)
      const refresh = yield* against({ status: 200, body: tokenBody() }, calls.refresh)
      const revoke = yield* against({ status: 200 }, calls.revoke)
      const asked = yield* against({ status: 200 }, OAuth.refresh(provider, { refreshToken: REFRESH, expiresIn: 600 }))
      for (const { requests } of [exchange, refresh, revoke, asked]) {
        expect(requests).toHaveLength(1)
        const [request] = requests
        expect(request!.method).toBe("POST")
        expect(request!.headers.authorization).toBe(BASIC)
        expect(request!.headers["content-type"]).toBe("application/x-www-form-urlencoded")
        expect(request!.headers.accept).toBe("application/json")
        expect(request!.body).not.toContain(SECRET)
      }
      expect(exchange.requests[0]!.url).toBe(provider.tokenUrl)
      expect(MockHttpClient.formFields(exchange.requests[0]!)).toEqual({
        grant_type: "authorization_code",
        code: CODE,
        redirect_uri: REDIRECT,
        code_verifier: VERIFIER
      })
      expect(exchange.requests[0]!.body).toContain("redirect_uri=https%3A%2F%2Fapp.example%2Fcallback")
      expect(MockHttpClient.formFields(refresh.requests[0]!)).toEqual({ grant_type: "refresh_token", refresh_token: REFRESH })
      expect(MockHttpClient.formFields(asked.requests[0]!)).toEqual({ grant_type: "refresh_token", refresh_token: REFRESH, expires_in: "600" })
      expect(revoke.requests[0]!.url).toBe(provider.revokeUrl)
      expect(MockHttpClient.formFields(revoke.requests[0]!)).toEqual({ token: REFRESH })
    }))

  it.effect("sendClientIdOnCodeExchange: client_id in the code exchange's body (beside Basic), and in no other call's", () =>
    Effect.gen(function*() {
      const fitbitLike = everyCall({ ...provider, sendClientIdOnCodeExchange: true })
      const exchange = yield* against({ status: 200, body: tokenBody() }, fitbitLike.exchange)
      const refresh = yield* against({ status: 200, body: tokenBody() }, fitbitLike.refresh)
      expect(exchange.requests[0]!.headers.authorization).toBe(BASIC)
      expect(MockHttpClient.formFields(exchange.requests[0]!).client_id).toBe(CLIENT)
      expect(MockHttpClient.formFields(refresh.requests[0]!).client_id).toBeUndefined()
    }))

  it.effect("post client authentication: client_id and client_secret in every body, no Authorization header", () =>
    Effect.gen(function*() {
      const calls = everyCall(postProvider)
      for (const program of [calls.exchange, calls.refresh, calls.revoke]) {
        const { requests } = yield* against({ status: 200, body: tokenBody() }, program)
        expect(requests[0]!.headers.authorization).toBeUndefined()
        expect(MockHttpClient.formFields(requests[0]!)).toMatchObject({ client_id: CLIENT, client_secret: SECRET })
      }
    }))

  it.effect("a public client (no secret): client_id in every body, no Authorization header, no client_secret", () =>
    Effect.gen(function*() {
      const calls = everyCall(publicProvider)
      for (const program of [calls.exchange, calls.refresh, calls.revoke]) {
        const { requests } = yield* against({ status: 200, body: tokenBody() }, program)
        expect(requests[0]!.headers.authorization).toBeUndefined()
        expect(MockHttpClient.formFields(requests[0]!).client_id).toBe(CLIENT)
        expect(requests[0]!.body).not.toContain("client_secret")
      }
    }))

  it.effect("introspect: the bearer token authenticates (never the client's secret), token= in the body", () =>
    Effect.gen(function*() {
      const answer = { status: 200, body: { active: true } }
      for (const p of [provider, postProvider, publicProvider]) {
        const { requests } = yield* against(answer, OAuth.introspect(p, { token: REFRESH, bearer: Redacted.make(ACCESS) }))
        expect(requests[0]!.url).toBe("https://id.acme.test/oauth/introspect")
        expect(requests[0]!.headers.authorization).toBe(`Bearer ${ACCESS}`)
        expect(MockHttpClient.formFields(requests[0]!).token).toBe(REFRESH)
        expect(requests[0]!.body, p.clientAuthentication).not.toContain(SECRET)
      }
    }))

  it.effect("each call runs in an oauth.{provider} span naming the endpoint", () =>
    Effect.gen(function*() {
      const { spans, tracer } = recordingTracer()
      yield* against({ status: 200, body: tokenBody() }, OAuth.refresh(provider, { refreshToken: REFRESH })).pipe(Effect.withTracer(tracer))
      const span = spans.find((s) => s.name === "oauth.acme")
      expect(span?.attributes.get("http.url")).toBe(provider.tokenUrl)
      expect(printed(spans.map((s) => [...s.attributes]))).not.toContain(REFRESH)
    }))
})

describe("the answers decoded", () => {
  it.effect("a token answer: a TokenSet with its tokens Redacted, scopes split, the user, expiresAt from the Clock at receipt", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(1_800_000_000_000)
      const { result } = yield* against(
        { status: 200, body: tokenBody({ scope: "read  write", user_id: "U1", id_token: "x.y.z" }) },
        everyCall(provider).exchange
      )
      const tokens = yield* result
      expect(Redacted.value(tokens.accessToken)).toBe(ACCESS)
      expect(tokens.refreshToken && Redacted.value(tokens.refreshToken)).toBe(REFRESH)
      expect([tokens.tokenType, tokens.scopes, tokens.userId, tokens.expiresIn, tokens.expiresAt])
        .toEqual(["Bearer", ["read", "write"], "U1", 3600, 1_800_000_000_000 + 3_600_000])
      expect(printed(tokens)).not.toContain(ACCESS)
      expect(printed(tokens)).not.toContain(REFRESH)
      // No scope answered: none granted, none made up.
      const { scope: _scope, ...scopeless } = tokenBody()
      const bare = yield* (yield* against({ status: 200, body: scopeless }, everyCall(provider).exchange)).result
      expect(bare.scopes).toEqual([])
    }))

  it.effect("a refresh answered without refresh_token keeps the old one; with one, the new one", () =>
    Effect.gen(function*() {
      const { refresh_token: _dropped, ...kept } = tokenBody()
      const same = yield* (yield* against({ status: 200, body: kept }, OAuth.refresh(provider, { refreshToken: Redacted.make(REFRESH) }))).result
      expect(same.refreshToken && Redacted.value(same.refreshToken)).toBe(REFRESH)
      const rotated = yield* (yield* against({ status: 200, body: tokenBody({ refresh_token: "acme-refresh-rotated-42" }) }, everyCall(provider).refresh))
        .result
      expect(rotated.refreshToken && Redacted.value(rotated.refreshToken)).toBe("acme-refresh-rotated-42")
      // A code exchange without a refresh token has none (there is no old one).
      const none = yield* (yield* against({ status: 200, body: kept }, everyCall(provider).exchange)).result
      expect(none.refreshToken).toBeUndefined()
    }))

  it.effect("revoke answers nothing; introspect decodes active and inactive tokens", () =>
    Effect.gen(function*() {
      expect(yield* (yield* against({ status: 200 }, everyCall(provider).revoke)).result).toBeUndefined()
      const active = yield* (yield* against(
        { status: 200, body: { active: true, scope: "read", client_id: CLIENT, user_id: "U1", exp: 1_800_000_000_000, token_type: "access_token" } },
        everyCall(provider).introspect
      )).result
      expect(active).toBeInstanceOf(OAuth.Introspection)
      expect(active).toMatchObject({ active: true, scope: "read", client_id: CLIENT, user_id: "U1", exp: 1_800_000_000_000 })
      const inactive = yield* (yield* against({ status: 200, body: { active: false } }, everyCall(provider).introspect)).result
      expect(inactive.active).toBe(false)
    }))
})

describe("the failures", () => {
  it.effect("a refused grant is InvalidGrant, a refused client InvalidClient, from every call; the client's secret and what the call sent never in what they print", () =>
    Effect.gen(function*() {
      // What each call sends and a server may echo back (tokens shorter than the patterns that catch unknown ones).
      const sentBy = { exchange: [CODE, VERIFIER], refresh: [REFRESH], revoke: [REFRESH], introspect: [ACCESS] }
      const echo = `code ${CODE}, token ${REFRESH}, access ${ACCESS}, secret ${SECRET}, verifier ${VERIFIER}`
      const answers = [
        { answer: { status: 400, body: { error: "invalid_grant", error_description: `Invalid grant: ${echo}` } }, tag: "InvalidGrant" },
        { answer: { status: 401, body: { error: "invalid_client", error_description: `Bad client: ${echo}` } }, tag: "InvalidClient" }
      ] as const
      for (const { answer, tag } of answers) {
        for (const [name, program] of Object.entries(everyCall(provider))) {
          const { result } = yield* against(answer, program as AnyCall)
          const error = yield* Effect.flip(result)
          expect(error._tag, `${name} answered ${answer.status}`).toBe(tag)
          expect(error).toMatchObject({ status: answer.status, method: "POST", errors: [{ errorType: answer.body.error }] })
          for (const secret of [SECRET, ...sentBy[name as keyof typeof sentBy]]) {
            expect(printed(error), `${name}: ${tag} prints a secret`).not.toContain(secret)
          }
        }
      }
    }))

  it.effect("a 2xx that is not a token (or not an introspection) is a DecodeError naming what is missing, not the values", () =>
    Effect.gen(function*() {
      const notAToken = { status: 200, body: { access_token: ACCESS, token_type: "Bearer" } }
      const error = yield* Effect.flip((yield* against(notAToken, everyCall(provider).refresh)).result)
      expect(error).toBeInstanceOf(Errors.DecodeError)
      expect(error).toMatchObject({ status: 200, method: "POST", url: provider.tokenUrl })
      expect(error.message).toContain("expires_in")
      expect(printed(error)).not.toContain(ACCESS)
      const html = yield* Effect.flip((yield* against({ status: 200, body: "<html>maintenance</html>" }, everyCall(provider).exchange)).result)
      expect(html._tag).toBe("DecodeError")
      const notIntrospection = yield* Effect.flip((yield* against({ status: 200, body: { scope: "read" } }, everyCall(provider).introspect)).result)
      expect(notIntrospection._tag).toBe("DecodeError")
      expect(notIntrospection.message).toContain("active")
    }))

  it.effect("bad input is InvalidInput and nothing is sent", () =>
    Effect.gen(function*() {
      const cases = [
        ["code", OAuth.exchangeCode(provider, { code: "", redirectUri: REDIRECT })],
        ["redirectUri", OAuth.exchangeCode(provider, { code: CODE, redirectUri: "" })],
        ["codeVerifier", OAuth.exchangeCode(provider, { code: CODE, redirectUri: REDIRECT, codeVerifier: "too-short" })],
        ["refreshToken", OAuth.refresh(provider, { refreshToken: Redacted.make("") })],
        ["expiresIn", OAuth.refresh(provider, { refreshToken: REFRESH, expiresIn: 1.5 })],
        ["expiresIn", OAuth.refresh(provider, { refreshToken: REFRESH, expiresIn: 0 })],
        ["token", OAuth.revoke(provider, "")],
        ["token", OAuth.introspect(provider, { token: "", bearer: ACCESS })],
        ["introspectUrl", OAuth.introspect({ ...provider, introspectUrl: Option.none() }, { token: ACCESS, bearer: ACCESS })]
      ] as const
      for (const [field, program] of cases) {
        const { requests, result } = yield* against({ status: 200, body: tokenBody() }, program as AnyCall)
        const error = yield* Effect.flip(result)
        expect(error._tag, field).toBe("InvalidInput")
        if (error._tag === "InvalidInput" && field !== "codeVerifier") expect(error.field).toBe(field)
        expect(requests, `${field}: sent`).toHaveLength(0)
      }
    }))

  it.effect("the provider's own decodeFailure decides the error, given the request's secrets", () =>
    Effect.gen(function*() {
      const seen: Array<ReadonlyArray<string>> = []
      const custom: OAuth.OAuthProvider = {
        ...provider,
        decodeFailure: (response) => {
          seen.push(response.secrets ?? [])
          return new Errors.ApiError({ status: response.status, method: response.method, url: response.url, errors: [] })
        }
      }
      const error = yield* Effect.flip((yield* against({ status: 400, body: { error: "invalid_grant" } }, OAuth.refresh(custom, { refreshToken: REFRESH }))).result)
      expect(error._tag).toBe("ApiError")
      expect(seen).toHaveLength(1)
      expect(seen[0]).toEqual(expect.arrayContaining([REFRESH, SECRET]))
    }))

  it.effect("an endpoint that does not answer fails with TimeoutError after the provider's timeout", () =>
    Effect.gen(function*() {
      const fiber = yield* Effect.fork(against("no-answer", everyCall(provider).refresh))
      yield* TestClock.adjust("4999 millis")
      expect(Option.isNone(yield* Fiber.poll(fiber)), "timed out before the provider's 5 s").toBe(true)
      yield* TestClock.adjust("1 millis")
      const { result } = yield* Fiber.join(fiber)
      expect(yield* Effect.flip(result)).toMatchObject({ _tag: "TimeoutError", timeoutMillis: 5000, url: provider.tokenUrl })
    }))
})
