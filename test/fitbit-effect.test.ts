// The core Effect API against the emulator over loopback sockets (no mock layer): the OAuth
// flow (confidential and public PKCE apps), the verbs, rate-limit state, retries, and every
// typed error the emulator can produce.
import { describe, expect, layer } from "@effect/vitest"
import { Errors, FitbitAuth, FitbitConfig, FitbitHttp, OAuth, Pkce, RetryPolicy } from "@fitbit-effect/core"
import { Emulator } from "@fitbit-effect/emulator"
import { NodeFitbit } from "@fitbit-effect/node"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"

type Handle = Emulator.EmulatorHandle

/** The client's layers pointed at the emulator: config, FitbitHttp, undici HttpClient, a retry policy. */
const client = (
  emu: Handle,
  options: Partial<FitbitConfig.Options> & { readonly retry?: RetryPolicy.Options } = {}
) => {
  const { retry, ...config } = options
  return NodeFitbit.layerWith(
    Layer.merge(
      FitbitConfig.layer({
        clientId: emu.defaultApp.clientId,
        clientSecret: emu.defaultApp.clientSecret,
        baseUrl: emu.baseUrl,
        ...config
      }),
      RetryPolicy.layer(retry ?? { maxRetries: 0 })
    )
  )
}

/** Plays the browser: follows authorize to the redirect and reads code and state. */
const consent = (url: string) =>
  Effect.promise(async () => {
    const response = await fetch(url, { redirect: "manual" })
    const location = new URL(response.headers.get("location")!)
    return { code: location.searchParams.get("code"), state: location.searchParams.get("state"), error: location.searchParams.get("error") }
  })

const flip = <A, E, R>(self: Effect.Effect<A, E, R>) => Effect.flip(self)

layer(Emulator.layer({ clock: { start: "2026-11-25T12:00:00Z" } }), { excludeTestServices: true })("core Effect API against the emulator", (it) => {
  it.effect("authorize URL with PKCE and state, consent, code exchange (confidential app)", () =>
    Effect.gen(function*() {
      const emu = yield* Emulator.EmulatorService
      const pkce = yield* Pkce.make()
      const url = yield* FitbitAuth.authorizeUrl({
        scope: ["activity", "profile", "sleep"],
        redirectUri: emu.defaultApp.redirectUri,
        state: "csrf-123",
        codeChallenge: pkce.challenge
      })
      expect(url.startsWith(`${emu.baseUrl}/oauth2/authorize?`)).toBe(true)
      const { code, state } = yield* consent(url)
      expect(state).toBe("csrf-123")
      const tokens = yield* FitbitAuth.exchangeCode({ code: code!, redirectUri: emu.defaultApp.redirectUri, codeVerifier: pkce.verifier })
      expect(tokens.userId).toBe(emu.defaultUser.userId)
      expect(tokens.scopes).toEqual(["activity", "profile", "sleep"])
      expect(tokens.expiresIn).toBe(28800)
      expect(tokens.tokenType).toBe("Bearer")
      const secret = Redacted.value(tokens.accessToken)
      expect(String(tokens)).not.toContain(secret)
      expect(JSON.stringify(tokens)).not.toContain(secret)
      const profile = yield* FitbitHttp.get("/profile.json", tokens.accessToken)
      expect((profile.body as any).user.encodedId).toBe(emu.defaultUser.userId)
      // the code is single-use
      const reused = yield* flip(FitbitAuth.exchangeCode({ code: code!, redirectUri: emu.defaultApp.redirectUri, codeVerifier: pkce.verifier }))
      expect(reused._tag).toBe("InvalidGrant")
    }).pipe(Effect.provide(Layer.unwrapEffect(Effect.map(Emulator.EmulatorService, (emu) => client(emu))))))

  it.effect("a public app exchanges with client_id and the PKCE verifier; a wrong verifier is InvalidGrant", () =>
    Effect.gen(function*() {
      const emu = yield* Emulator.EmulatorService
      const run = <A, E>(self: Effect.Effect<A, E, NodeFitbit.Services>) =>
        Effect.provide(self, client(emu, { clientId: emu.publicApp.clientId, clientSecret: undefined }))
      const pkce = yield* Pkce.make()
      const authorize = (challenge: string) =>
        run(FitbitAuth.authorizeUrl({ scope: "activity", redirectUri: emu.publicApp.redirectUri, codeChallenge: challenge }))
      const first = yield* consent(yield* authorize(pkce.challenge))
      const tokens = yield* run(FitbitAuth.exchangeCode({ code: first.code!, redirectUri: emu.publicApp.redirectUri, codeVerifier: pkce.verifier }))
      expect(tokens.scopes).toEqual(["activity"])
      const second = yield* consent(yield* authorize(pkce.challenge))
      const other = yield* Pkce.make()
      const wrong = yield* flip(run(FitbitAuth.exchangeCode({ code: second.code!, redirectUri: emu.publicApp.redirectUri, codeVerifier: other.verifier })))
      expect(wrong._tag).toBe("InvalidGrant")
      // without a challenge, a public app is refused at the authorize step
      const refused = yield* consent(yield* run(FitbitAuth.authorizeUrl({ scope: "activity", redirectUri: emu.publicApp.redirectUri })))
      expect(refused.error).toBe("invalid_request")
    }))

  it.effect("refresh rotates the refresh token, honours expires_in; the old one is InvalidGrant", () =>
    Effect.gen(function*() {
      const emu = yield* Emulator.EmulatorService
      emu.resetCounters()
      const minted = emu.grantTokens()
      const refreshed = yield* FitbitAuth.refresh({ refreshToken: minted.refreshToken, expiresIn: 3600 })
      expect(refreshed.expiresIn).toBe(3600)
      expect(Redacted.value(refreshed.refreshToken!)).not.toBe(minted.refreshToken)
      const reuse = yield* flip(FitbitAuth.refresh({ refreshToken: minted.refreshToken }))
      expect(reuse._tag).toBe("InvalidGrant")
      expect(JSON.stringify(reuse)).not.toContain(minted.refreshToken)
      expect(reuse.message).not.toContain(minted.refreshToken)
      expect(emu.counters().refreshesByUser[emu.defaultUser.userId]).toBe(1)
      const next = yield* FitbitAuth.refresh({ refreshToken: refreshed.refreshToken! })
      expect(next.expiresIn).toBe(28800)
      const badLifetime = yield* flip(FitbitAuth.refresh({ refreshToken: next.refreshToken!, expiresIn: -1 }))
      expect(badLifetime._tag).toBe("InvalidInput")
    }).pipe(Effect.provide(Layer.unwrapEffect(Effect.map(Emulator.EmulatorService, (emu) => client(emu))))))

  it.effect("introspect answers active, then inactive after revoke; revoked calls are InvalidToken", () =>
    Effect.gen(function*() {
      const emu = yield* Emulator.EmulatorService
      const caller = emu.grantTokens()
      const target = emu.grantTokens({ scopes: ["sleep"] })
      const active = yield* FitbitAuth.introspect({ token: target.accessToken, bearer: caller.accessToken })
      expect(active).toBeInstanceOf(OAuth.Introspection)
      expect(active).toMatchObject({ active: true, user_id: emu.defaultUser.userId, client_id: emu.defaultApp.clientId, exp: target.expiresAt })
      yield* FitbitAuth.revoke(target.refreshToken)
      const inactive = yield* FitbitAuth.introspect({ token: target.accessToken, bearer: caller.accessToken })
      expect(inactive.active).toBe(false)
      const call = yield* flip(FitbitHttp.get("/profile.json", target.accessToken))
      expect(call._tag).toBe("InvalidToken")
      const refresh = yield* flip(FitbitAuth.refresh({ refreshToken: target.refreshToken }))
      expect(refresh._tag).toBe("InvalidGrant")
    }).pipe(Effect.provide(Layer.unwrapEffect(Effect.map(Emulator.EmulatorService, (emu) => client(emu))))))

  it.effect("get/post/put/delete, per-call version, explicit user id, userId false, extra headers", () =>
    Effect.gen(function*() {
      const emu = yield* Emulator.EmulatorService
      const token = Redacted.make(emu.grantTokens().accessToken)
      const created = yield* FitbitHttp.post("/foods/log/water.json", token, { amount: 330, date: "2026-11-25", unit: "ml" })
      expect(created.status).toBe(201)
      const logId = (created.body as any).waterLog.logId as number
      const updated = yield* FitbitHttp.put(`/foods/log/water/${logId}.json`, token, { amount: 500 })
      expect((updated.body as any).waterLog.amount).toBe(500)
      const day = yield* FitbitHttp.get("/foods/log/water/date/2026-11-25.json", token, { userId: emu.defaultUser.userId })
      expect((day.body as any).water).toContainEqual({ amount: 500, logId })
      const removed = yield* FitbitHttp.del(`/foods/log/water/${logId}.json`, token)
      expect(removed.status).toBe(204)
      const after = yield* FitbitHttp.get("/foods/log/water/date/2026-11-25.json", token)
      expect((after.body as any).water.map((w: { logId: number }) => w.logId)).not.toContain(logId)
      expect((after.body as any).water).toHaveLength((day.body as any).water.length - 1)
      const search = yield* FitbitHttp.get("/foods/search.json?query=apple", token, { userId: false })
      expect((search.body as any).foods[0].name).toBe("Apple")
      const list = yield* FitbitHttp.get("/sleep/list.json?beforeDate=2026-11-25&sort=desc&limit=2&offset=0", token, { apiVersion: "1.2" })
      expect((list.body as any).sleep).toHaveLength(2)
      const sub = yield* FitbitHttp.post("/activities/apiSubscriptions/effect-1.json", token, undefined, {
        headers: { "X-Fitbit-Subscriber-Id": "sub-7" }
      })
      expect((sub.body as any).subscriberId).toBe("sub-7")
      expect(emu.counters().writes).toBeGreaterThanOrEqual(4)
    }).pipe(Effect.provide(Layer.unwrapEffect(Effect.map(Emulator.EmulatorService, (emu) => client(emu))))))

  it.effect("answers carry the rate-limit state; a schema decodes the body", () =>
    Effect.gen(function*() {
      const emu = yield* Emulator.EmulatorService
      emu.setRateLimit(150)
      const token = emu.grantTokens().accessToken
      const Profile = Schema.Struct({ user: Schema.Struct({ encodedId: Schema.String, memberSince: Schema.String }) })
      const response = yield* FitbitHttp.get("/profile.json", token, { schema: Profile })
      expect(response.body.user.encodedId).toBe(emu.defaultUser.userId)
      const state = Option.getOrThrow(response.rateLimit)
      expect(state.limit).toBe(150)
      expect(state.remaining).toBe(149)
      expect(state.resetSeconds).toBeGreaterThan(0)
    }).pipe(Effect.provide(Layer.unwrapEffect(Effect.map(Emulator.EmulatorService, (emu) => client(emu))))))
})

describe("typed errors from the emulator", () => {
  layer(Emulator.layer({ clock: { start: "2026-11-25T12:00:00Z" } }), { excludeTestServices: true })((it) => {
    const withClient = <A, E>(
      f: (emu: Handle) => Effect.Effect<A, E, NodeFitbit.Services>,
      options: Parameters<typeof client>[1] = {}
    ) =>
      Effect.flatMap(Emulator.EmulatorService, (emu) => {
        emu.clearFaults()
        emu.setRateLimit(150)
        return Effect.provide(f(emu), client(emu, options))
      })

    it.effect("ExpiredToken, without the token in its message or JSON", () =>
      withClient((emu) =>
        Effect.gen(function*() {
          const minted = emu.grantTokens()
          emu.expireAccessTokens()
          const error = yield* flip(FitbitHttp.get("/profile.json", minted.accessToken))
          expect(error).toBeInstanceOf(Errors.ExpiredToken)
          if (error._tag !== "ExpiredToken") return
          expect(error.status).toBe(401)
          expect(error.errors[0]!.message).toContain("Access token expired")
          expect(error.message).not.toContain(minted.accessToken)
          expect(JSON.stringify(error)).not.toContain(minted.accessToken)
          expect(String(error)).not.toContain(minted.accessToken)
        })
      ))

    it.effect("InvalidToken for an unknown token; InvalidClient for a wrong secret", () =>
      Effect.gen(function*() {
        const unknown = yield* withClient(() => flip(FitbitHttp.get("/profile.json", "not-a-real-token")))
        expect(unknown._tag).toBe("InvalidToken")
        const wrongSecret = yield* withClient(
          (emu) => flip(FitbitAuth.refresh({ refreshToken: emu.grantTokens().refreshToken })),
          { clientSecret: "not-the-secret" }
        )
        expect(wrongSecret._tag).toBe("InvalidClient")
        if (wrongSecret._tag === "InvalidClient") expect(wrongSecret.status).toBe(401)
      }))

    it.effect("InsufficientScope for a missing scope and for another user's data", () =>
      withClient((emu) =>
        Effect.gen(function*() {
          const narrow = emu.grantTokens({ scopes: ["activity"] }).accessToken
          const scope = yield* flip(FitbitHttp.get("/sleep/date/today.json", narrow, { apiVersion: "1.2" }))
          expect(scope._tag).toBe("InsufficientScope")
          emu.addUser({ userId: "OTHER9" })
          const other = yield* flip(FitbitHttp.get("/profile.json", emu.grantTokens().accessToken, { userId: "OTHER9" }))
          expect(other._tag).toBe("InsufficientScope")
        })
      ))

    it.effect("NotFound for an unknown path and a version the resource lacks; ValidationFailed with its field; Conflict", () =>
      withClient((emu) =>
        Effect.gen(function*() {
          const token = emu.grantTokens().accessToken
          expect((yield* flip(FitbitHttp.get("/no/such/thing.json", token)))._tag).toBe("NotFound")
          expect((yield* flip(FitbitHttp.get("/sleep/list.json?afterDate=2026-11-01", token, { apiVersion: "1" })))._tag).toBe("NotFound")
          const invalid = yield* flip(FitbitHttp.post("/foods/log/water.json", token, { amount: "a lot", date: "today" }))
          expect(invalid._tag).toBe("ValidationFailed")
          if (invalid._tag === "ValidationFailed") expect(invalid.errors[0]!.fieldName).toBe("amount")
          const overlap = yield* flip(FitbitHttp.post("/sleep.json", token, { date: "2026-11-24", startTime: "03:00", duration: 3_600_000 }, { apiVersion: "1.2" }))
          expect(overlap._tag).toBe("Conflict")
        })
      ))

    it.effect("RateLimited with Retry-After and the rate-limit state", () =>
      withClient((emu) =>
        Effect.gen(function*() {
          emu.setNow(Date.parse("2026-11-25T12:30:00Z"))
          emu.setRateLimit(0)
          emu.resetCounters()
          const token = emu.grantTokens().accessToken
          const error = yield* flip(FitbitHttp.get("/profile.json", token))
          expect(error._tag).toBe("RateLimited")
          if (error._tag !== "RateLimited") return
          expect(error.retryAfterSeconds).toBe(1800)
          expect(error.status).toBe(429)
          expect(error.rateLimit?.remaining).toBe(0)
          // the server answered the 429 (not a local budget check)
          expect(emu.counters().rateLimited).toBe(1)
        })
      ))

    it.effect("ServerError for 500/503 JSON and a 502 HTML page; DecodeError for malformed JSON with a schema", () =>
      withClient((emu) =>
        Effect.gen(function*() {
          const token = emu.grantTokens().accessToken
          emu.injectFault({ kind: "status500" })
          const five = yield* flip(FitbitHttp.get("/profile.json", token))
          expect(five._tag).toBe("ServerError")
          if (five._tag === "ServerError") expect(five.errors[0]!.errorType).toBe("system")
          emu.injectFault({ kind: "html502" })
          const html = yield* flip(FitbitHttp.get("/profile.json", token))
          expect(html._tag).toBe("ServerError")
          if (html._tag === "ServerError") {
            expect(html.status).toBe(502)
            expect(html.errors).toEqual([])
          }
          emu.injectFault({ kind: "status503" })
          expect((yield* flip(FitbitHttp.get("/profile.json", token)))._tag).toBe("ServerError")
          emu.injectFault({ kind: "malformedJson" })
          const decode = yield* flip(FitbitHttp.get("/profile.json", token, { schema: Schema.Struct({ user: Schema.Unknown }) }))
          expect(decode._tag).toBe("DecodeError")
        })
      ))

    it.effect("TransportError when the connection is reset; TimeoutError when the answer is late", () =>
      Effect.gen(function*() {
        const reset = yield* withClient((emu) => {
          emu.injectFault({ kind: "reset" })
          return flip(FitbitHttp.get("/profile.json", emu.grantTokens().accessToken))
        })
        expect(reset._tag).toBe("TransportError")
        const late = yield* withClient((emu) => {
          emu.injectFault({ kind: "delay", delayMillis: 2_000 })
          return flip(FitbitHttp.get("/profile.json", emu.grantTokens().accessToken))
        }, { timeout: "200 millis" })
        expect(late._tag).toBe("TimeoutError")
      }))

    it.effect("InvalidInput before anything is sent", () =>
      withClient((emu) =>
        Effect.gen(function*() {
          emu.resetCounters()
          const token = emu.grantTokens().accessToken
          expect((yield* flip(FitbitHttp.get("https://evil.example/x", token)))._tag).toBe("InvalidInput")
          expect((yield* flip(FitbitHttp.get("/profile.json", token, { userId: "bad id" })))._tag).toBe("InvalidInput")
          expect(emu.counters().requests).toBe(0)
        })
      ))

    it.effect("a GET is retried through transient 503s; a POST is not", () =>
      withClient((emu) =>
        Effect.gen(function*() {
          emu.resetCounters()
          const token = emu.grantTokens().accessToken
          emu.injectFault({ kind: "status503", count: 2 })
          const ok = yield* FitbitHttp.get("/profile.json", token)
          expect(ok.status).toBe(200)
          expect(emu.counters().requestsByPath["GET /1/user/-/profile.json"]).toBe(3)
          emu.injectFault({ kind: "status503" })
          const post = yield* flip(FitbitHttp.post("/foods/log/water.json", token, { amount: 1, date: "today" }))
          expect(post._tag).toBe("ServerError")
          expect(emu.counters().requestsByPath["POST /1/user/-/foods/log/water.json"]).toBe(1)
        }), { retry: { maxRetries: 3, baseDelay: "5 millis", jitter: false } }))
  })
})
