// Issue 18, class 5: no token or secret in any rendering of any error any client produces. A
// misbehaving server on 127.0.0.1 plants marker secrets in every answer: token answers that are
// 2xx but not the token JSON (form-encoded, access_token as an array, expires_in holding the new
// refresh token), token errors echoing the refresh token and the client secret, API errors
// echoing the bearer token (Fitbit, Google and HTML shapes). Every client (the fitbit-node
// facade on both backends, GoogleHealthClient, FitbitSessionClient, and the Effect programs under
// a debug logger) is driven into each; every failure is rendered five ways (String, message,
// JSON.stringify, util.inspect, stack) plus Cause.pretty, and every log and console line is kept.
// None may hold a marker.
import { FitbitConfig, FitbitHttp, FitbitSession, GoogleHealthConfig, GoogleHealthHttp, OAuth, RetryPolicy, TokenStore } from "@fitbit-effect/core"
import { FitbitApiClient, FitbitSessionClient, GoogleHealthClient, NodeFitbit } from "@fitbit-effect/node"
import { Cause, Effect, Exit, Layer, Logger, LogLevel, Redacted } from "effect"
import * as http from "node:http"
import type { AddressInfo } from "node:net"
import { inspect } from "node:util"
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest"

// Short markers that no token-shaped pattern would catch: only "never quoted" keeps them out.
const ACCESS = "mkA-7Qw"
const REFRESH = "mkR-3Zx"
const SECRET = "mkS-9Lp"
const NEW_ACCESS = "mkNA-5Tv"
const NEW_REFRESH = "mkNR-2Jy"
const CODE = "mkC-4Hd"
const MARKERS = [ACCESS, REFRESH, SECRET, NEW_ACCESS, NEW_REFRESH, CODE]

/** What the request sent, as a server that echoes it would quote it: the form's tokens, the client's secret, the bearer token. */
interface Sent {
  readonly token: string
  readonly secret: string
  readonly bearer: string
}
type Answer = (sent: Sent) => { status: number; type: string; body: string }
const json = (status: number, body: (sent: Sent) => unknown): Answer => (sent) => ({ status, type: "application/json", body: JSON.stringify(body(sent)) })

const TOKEN_ANSWERS: Record<string, Answer> = {
  "form-encoded 200": () => ({ status: 200, type: "application/x-www-form-urlencoded", body: `access_token=${NEW_ACCESS}&refresh_token=${NEW_REFRESH}&expires_in=3600&token_type=Bearer` }),
  "access_token as an array": json(200, () => ({ access_token: [NEW_ACCESS], refresh_token: NEW_REFRESH, expires_in: 3600, token_type: "Bearer" })),
  "expires_in holding the new refresh token": json(200, () => ({ access_token: NEW_ACCESS, refresh_token: NEW_REFRESH, expires_in: NEW_REFRESH, token_type: "Bearer" })),
  "invalid_grant echoing what was sent": json(400, (sent) => ({ error: "invalid_grant", error_description: `Token ${sent.token} is invalid (client secret ${sent.secret})` })),
  "Fitbit invalid_client echoing what was sent": json(401, (sent) => ({ errors: [{ errorType: "invalid_client", message: `Invalid client secret: ${sent.secret}; token ${sent.token}; bearer ${sent.bearer}` }], success: false })),
  "HTML 502 echoing what was sent": (sent) => ({ status: 502, type: "text/html", body: `<html>token=${sent.token} client_secret=${sent.secret} Bearer ${sent.bearer}</html>` })
}

const API_ANSWERS: Record<string, Answer> = {
  "Fitbit expired_token echoing the token": json(401, (sent) => ({ errors: [{ errorType: "expired_token", message: `Access token expired: ${sent.bearer}` }], success: false })),
  "Google UNAUTHENTICATED echoing the token": json(401, (sent) => ({ error: { code: 401, status: "UNAUTHENTICATED", message: `Request had invalid credentials: ${sent.bearer}` } })),
  "Google INVALID_ARGUMENT echoing the token": json(400, (sent) => ({ error: { code: 400, status: "INVALID_ARGUMENT", message: `bad request from ${sent.bearer}` } })),
  "HTML 500 echoing the header": (sent) => ({ status: 500, type: "text/html", body: `<pre>Authorization: Bearer ${sent.bearer}</pre>` }),
  "200 that is not JSON": (sent) => ({ status: 200, type: "text/plain", body: `token=${sent.bearer}` })
}

let tokenAnswer: Answer = TOKEN_ANSWERS["form-encoded 200"]!
let apiAnswer: Answer = API_ANSWERS["Fitbit expired_token echoing the token"]!
let server: http.Server
let baseUrl = ""

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let raw = ""
    req.setEncoding("utf8")
    req.on("data", (chunk: string) => (raw += chunk))
    req.on("end", () => {
      const form = new URLSearchParams(raw)
      const authorization = req.headers.authorization ?? ""
      const basic = authorization.startsWith("Basic ") ? Buffer.from(authorization.slice(6), "base64").toString("utf8").split(":")[1] ?? "" : ""
      const sent: Sent = {
        token: form.get("refresh_token") ?? form.get("code") ?? form.get("token") ?? "",
        secret: form.get("client_secret") ?? basic,
        bearer: authorization.startsWith("Bearer ") ? authorization.slice(7) : ""
      }
      const isToken = ["/oauth2/token", "/token", "/oauth2/revoke", "/revoke", "/1.1/oauth2/introspect"].includes(req.url ?? "")
      const answer = (isToken ? tokenAnswer : apiAnswer)(sent)
      res.writeHead(answer.status, { "content-type": answer.type })
      res.end(answer.body)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
afterAll(() => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()) }))

/** Every way a user or a logger prints an error: the five of the issue, plus Effect's Cause.pretty. */
const renderings = (value: unknown): Array<string> => {
  const error = value as { message?: unknown; stack?: unknown }
  return [
    String(value),
    String(error?.message ?? ""),
    JSON.stringify(value) ?? "",
    inspect(value, { depth: 12 }),
    String(error?.stack ?? "")
  ]
}

const scanned = { renderings: 0, failures: 0, logLines: 0 }
const leaks: Array<string> = []
const scan = (where: string, texts: ReadonlyArray<string>) => {
  for (const text of texts) {
    scanned.renderings++
    for (const marker of MARKERS) if (text.includes(marker)) leaks.push(`${where}: ${marker} in ${text.slice(0, 200)}`)
  }
}

/** Settles a promise and scans what it rejected (or resolved: the facade resolves API errors as [body, response]). */
const settle = async (where: string, promise: Promise<unknown>) => {
  try {
    const value = await promise
    // A 2xx body is the data the caller asked for; an error answer resolved as [body, response] is scanned.
    const status = Array.isArray(value) ? (value[1] as { statusCode?: number })?.statusCode : (value as { status?: number })?.status
    if (typeof status === "number" && status >= 400) {
      scanned.failures++
      scan(`${where} (resolved ${status})`, [inspect(value, { depth: 12 }), JSON.stringify(value) ?? ""])
    }
  } catch (error) {
    scanned.failures++
    scan(where, renderings(error))
  }
}

const logLines: Array<string> = []
const debugLogger = Logger.replace(
  Logger.defaultLogger,
  Logger.make(({ annotations, cause, logLevel, message }) => {
    logLines.push(inspect({ logLevel: logLevel.label, message, cause: Cause.pretty(cause), annotations }, { depth: 12 }))
  })
)

/** Runs an Effect program under the debug logger; scans its failure the five ways and as Cause.pretty. */
const runEffect = async <A, E>(where: string, program: Effect.Effect<A, E>) => {
  const exit = await Effect.runPromiseExit(program.pipe(Effect.provide(debugLogger), Logger.withMinimumLogLevel(LogLevel.All)))
  if (Exit.isFailure(exit)) {
    scanned.failures++
    scan(where, [...renderings(Cause.squash(exit.cause)), Cause.pretty(exit.cause)])
  }
}

const fitbitLayer = () =>
  FitbitHttp.layer.pipe(
    Layer.provideMerge(FitbitConfig.layer({ clientId: "23BCDE", clientSecret: SECRET, baseUrl })),
    Layer.provideMerge(NodeFitbit.layerHttpClient),
    Layer.provideMerge(RetryPolicy.layer({ maxRetries: 0 }))
  )
const googleLayer = () =>
  GoogleHealthHttp.layer.pipe(
    Layer.provideMerge(GoogleHealthConfig.layer({ clientId: "google-client", clientSecret: SECRET, baseUrl })),
    Layer.provideMerge(NodeFitbit.layerHttpClient),
    Layer.provideMerge(RetryPolicy.layer({ maxRetries: 0 }))
  )

describe("no marker secret in any rendering of any error, for every client and both providers", () => {
  it("drives every client into every planted answer and scans every rendering and log line", async () => {
    const consoleLines: Array<string> = []
    const spies = (["log", "info", "warn", "error", "debug", "trace"] as const).map((level) =>
      vi.spyOn(console, level).mockImplementation((...args: Array<unknown>) => void consoleLines.push(inspect(args, { depth: 12 })))
    )
    const facade = new FitbitApiClient({ clientId: "23BCDE", clientSecret: SECRET, baseUrl })
    const facadeOnGoogle = new FitbitApiClient({ clientId: "google-client", clientSecret: SECRET, baseUrl, backend: "google-health" })
    const google = new GoogleHealthClient({ clientId: "google-client", clientSecret: SECRET, baseUrl })
    try {
      for (const [name, answer] of Object.entries(TOKEN_ANSWERS)) {
        tokenAnswer = answer
        for (const [label, client] of [["FitbitApiClient", facade], ["FitbitApiClient(google-health)", facadeOnGoogle]] as const) {
          await settle(`${label}.getAccessToken / ${name}`, client.getAccessToken(CODE, "http://127.0.0.1/cb"))
          await settle(`${label}.refreshAccessToken / ${name}`, client.refreshAccessToken(ACCESS, REFRESH))
          await settle(`${label}.revokeAccessToken / ${name}`, client.revokeAccessToken(REFRESH))
        }
        await settle(`FitbitApiClient.introspectAccessToken / ${name}`, facade.introspectAccessToken(ACCESS))
        await settle(`GoogleHealthClient.getAccessToken / ${name}`, google.getAccessToken(CODE, "http://127.0.0.1/cb"))
        await settle(`GoogleHealthClient.refreshAccessToken / ${name}`, google.refreshAccessToken(REFRESH))
        await settle(`GoogleHealthClient.revokeAccessToken / ${name}`, google.revokeAccessToken(REFRESH))

        // A session whose stored grant has expired: the refresh meets the planted answer.
        const session = new FitbitSessionClient({ clientId: "23BCDE", clientSecret: SECRET, baseUrl, retry: false, refusalGrace: 0 })
        const key = await session.saveTokens({ access_token: ACCESS, refresh_token: REFRESH, expires_in: 0, user_id: "ABC123" })
        await settle(`FitbitSessionClient.get / ${name}`, session.get(key, "/profile.json"))
        await settle(`FitbitSessionClient.accessToken / ${name}`, session.accessToken(key))
        await session.close()

        const provider = FitbitConfig.toOAuthProvider(Effect.runSync(FitbitConfig.make({ clientId: "23BCDE", clientSecret: SECRET, baseUrl })))
        await runEffect(`OAuth.refresh / ${name}`, OAuth.refresh(provider, { refreshToken: REFRESH }).pipe(Effect.provide(NodeFitbit.layerHttpClient)))
        await runEffect(`OAuth.exchangeCode / ${name}`, OAuth.exchangeCode(provider, { code: CODE, redirectUri: "http://127.0.0.1/cb" }).pipe(Effect.provide(NodeFitbit.layerHttpClient)))
        await runEffect(
          `FitbitSession.get / ${name}`,
          Effect.gen(function*() {
            const s = yield* FitbitSession.FitbitSession
            yield* s.session.save("ABC123", new OAuth.TokenSet({ accessToken: Redacted.make(ACCESS), refreshToken: Redacted.make(REFRESH), tokenType: "Bearer", scopes: [], expiresIn: 0, expiresAt: 0 }))
          }).pipe(Effect.ignore, Effect.zipRight(Effect.flatMap(FitbitSession.FitbitSession, (s) => s.get("ABC123", "/profile.json"))), Effect.scoped, Effect.provide(FitbitSession.layer({ refusalGrace: 0 }).pipe(Layer.provideMerge(Layer.merge(fitbitLayer(), TokenStore.layerMemory)))))
        )
      }

      for (const [name, answer] of Object.entries(API_ANSWERS)) {
        apiAnswer = answer
        tokenAnswer = TOKEN_ANSWERS["invalid_grant echoing what was sent"]!
        await settle(`FitbitApiClient.get / ${name}`, facade.get("/profile.json", ACCESS))
        await settle(`FitbitApiClient.post / ${name}`, facade.post("/foods/log/water.json", ACCESS, { amount: "250", date: "2026-11-25", unit: "ml" }))
        await settle(`FitbitApiClient(google-health).get / ${name}`, facadeOnGoogle.get("/profile.json", ACCESS))
        await settle(`GoogleHealthClient.get / ${name}`, google.get("/users/me/profile", ACCESS))
        const session = new FitbitSessionClient({ clientId: "23BCDE", clientSecret: SECRET, baseUrl, retry: false, refusalGrace: 0 })
        const key = await session.saveTokens({ access_token: ACCESS, refresh_token: REFRESH, expires_in: 28800, user_id: "ABC123" })
        await settle(`FitbitSessionClient.get / ${name}`, session.get(key, "/profile.json"))
        await session.close()
        await runEffect(`FitbitHttp.get / ${name}`, FitbitHttp.get("/profile.json", ACCESS).pipe(Effect.provide(fitbitLayer())))
        await runEffect(
          `GoogleHealthHttp.call / ${name}`,
          GoogleHealthHttp.call({ method: "GET", path: "/users/me/profile", accessToken: ACCESS }).pipe(Effect.provide(googleLayer()))
        )
      }
    } finally {
      for (const spy of spies) spy.mockRestore()
      await Promise.all([facade.close(), facadeOnGoogle.close(), google.close()])
    }
    scan("log line", logLines)
    scan("console line", consoleLines)
    scanned.logLines = logLines.length + consoleLines.length
    console.log(`secrets: ${scanned.failures} failures and answers from 5 clients, ${scanned.renderings} renderings and log lines scanned, ${leaks.length} leaks`)
    expect(leaks).toEqual([])
    expect(scanned.failures).toBeGreaterThan(100)
  }, 60_000)
})
