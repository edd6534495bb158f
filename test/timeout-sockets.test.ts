/**
 * Issue 29: a timed-out exchange is aborted and its socket closed at once, whatever the client
 * and the provider. Two misbehaving servers on 127.0.0.1 count their sockets: one accepts and never
 * answers, the other sends the status line and headers and then one body byte every 100 ms,
 * never finishing. Every case makes N calls that time out, checks each failed with
 * `TimeoutError`, then waits (with a deadline) for the server to see every socket closed, while
 * the client is still open: closing the client would close them anyway.
 */
import { FetchHttpClient, HttpClient } from "@effect/platform"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { FitbitConfig, FitbitHttp, GoogleHealthConfig, GoogleHealthHttp, HttpExchange, RetryPolicy } from "@fitbit-effect/core"
import {
  FitbitApiClient,
  FitbitSessionClient,
  GoogleHealthClient,
  NodeFitbit,
  NodeGoogleHealth,
  UndiciHttpClient
} from "@fitbit-effect/node"
import { beforeAll, describe, expect, it } from "@effect/vitest"
import type { ExpectStatic } from "vitest"
import { Effect, Layer, ManagedRuntime, Stream } from "effect"
import * as http from "node:http"
import type { AddressInfo, Socket } from "node:net"

/** Calls per case, all at once. */
const N = 10
/**
 * The per-request timeout every client is given. Short, but long enough for every request to reach
 * the server first on a loaded machine (at 200 ms, with a few cases running at once on two busy
 * cores, some calls timed out before their request was written, and a case checked nothing).
 */
const TIMEOUT_MS = 500
/** How long the server waits for the sockets to close once every call has failed (the test timeout is 30 s). */
const CLOSE_DEADLINE_MS = 2_000

/**
 * A local server counting the requests it got and the sockets that carried one.
 * Sockets that never carry one are left out: undici answers the abort of an in-flight request by
 * connecting again for the aborted request, finding it aborted and dropping it, which can leave a
 * fresh idle connection in the pool (nodejs/undici#5845), whichever undici client aborted.
 */
interface CountingServer {
  readonly origin: string
  /** Requests received so far. */
  readonly requests: () => number
  /** How many sockets that carried a request are still open once all have closed or `ms` have passed, whichever is first. */
  readonly openAfter: (ms: number) => Promise<number>
  readonly close: () => Promise<void>
}

/** Starts a server on an ephemeral port of 127.0.0.1 that handles each request with `handle`. */
const serve = async (handle: (req: http.IncomingMessage, res: http.ServerResponse) => void): Promise<CountingServer> => {
  const open = new Set<Socket>()
  const onClose = new Set<() => void>()
  let requests = 0
  const server = http.createServer((req, res) => {
    requests++
    const socket = req.socket
    if (!open.has(socket) && !socket.destroyed) {
      open.add(socket)
      socket.once("close", () => {
        open.delete(socket)
        for (const check of onClose) check()
      })
    }
    handle(req, res)
  })
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests: () => requests,
    openAfter: (ms) =>
      new Promise((resolve) => {
        const finish = () => {
          clearTimeout(deadline)
          onClose.delete(check)
          resolve(open.size)
        }
        const check = () => {
          if (open.size === 0) finish()
        }
        const deadline = setTimeout(finish, ms)
        onClose.add(check)
        check()
      }),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      })
  }
}

/** A server that accepts and never answers. */
const hanging = () => serve(() => {})

/** A server that sends the status line and headers, then one body byte every 100 ms, never finishing. */
const trickling = () =>
  serve((_req, res) => {
    res.writeHead(200, { "content-type": "application/json" })
    res.flushHeaders()
    const drip = setInterval(() => res.write(" "), 100)
    res.once("close", () => clearInterval(drip))
  })

/** A server that answers every request at once (an empty JSON object, the connection closed after it). */
const answering = () =>
  serve((_req, res) => {
    res.writeHead(200, { "content-type": "application/json", connection: "close" })
    res.end("{}")
  })

const servers: ReadonlyArray<readonly [string, () => Promise<CountingServer>]> = [
  ["a hanging server", hanging],
  ["a trickling server", trickling]
]

/**
 * Checks that the server got one request per call (so every call's socket is counted: none timed
 * out before its request was written, none was retried) and that every socket that carried one
 * closed within the deadline.
 */
const expectAllClosed = async (expect: ExpectStatic, server: CountingServer, what: string): Promise<void> => {
  const stillOpen = await server.openAfter(CLOSE_DEADLINE_MS)
  expect(server.requests(), `requests that reached the server, one per ${what} expected`).toBe(N)
  expect(stillOpen, `${stillOpen} of the ${N} sockets of timed-out ${what}s still open ${CLOSE_DEADLINE_MS} ms after the timeouts`).toBe(0)
}

/** The `HttpClient` a case runs on: `undefined` is the default, the lean client given the configured timeout. */
type ClientChoice = Layer.Layer<HttpClient.HttpClient> | undefined

const clients: ReadonlyArray<readonly [string, ClientChoice]> = [
  ["the lean client with its own timeout (default)", undefined],
  ["@effect/platform-node NodeHttpClient.layerUndici (HttpExchange.withTimeout)", NodeHttpClient.layerUndici],
  ["@effect/platform FetchHttpClient.layer (HttpExchange.withTimeout)", FetchHttpClient.layer]
]

/** One client of one provider: `call` makes one request and answers how it ended (an error's tag). */
interface Session {
  readonly call: () => Promise<string>
  readonly close: () => Promise<void>
}

/** What a failure is called in the outcomes: its `_tag`, or its text when it has none. */
const tagOf = (error: unknown): string =>
  typeof error === "object" && error !== null && "_tag" in error ? String(error._tag) : String(error)

/** A Promise client's call: "answered", or the tag it rejected with. */
const settle = (promise: Promise<unknown>): Promise<string> => promise.then(() => "answered", tagOf)

/** Retries off in the Effect layers (they retry a timed-out GET by default): one request per call. */
const noRetries = RetryPolicy.layer({ maxRetries: 0 })

/** A ready layer as a runtime (one pool, as an app holds it) running `program` per call. */
const effectSession = <R, E>(layer: Layer.Layer<R, E>, program: Effect.Effect<unknown, { readonly _tag: string }, R>): Session => {
  const runtime = ManagedRuntime.make(layer)
  return {
    call: () => runtime.runPromise(Effect.match(program, { onFailure: (e) => e._tag, onSuccess: () => "answered" })),
    close: () => runtime.dispose()
  }
}

const credentials = { clientId: "23ABCD", clientSecret: "client-secret-1" }
const googleCredentials = { clientId: "123456789012-app.apps.googleusercontent.com", clientSecret: "client-secret-1" }

/** Every way into the two providers: the ready Effect layers and the Promise clients. */
const entries: ReadonlyArray<readonly [string, (baseUrl: string, httpClient: ClientChoice, timeout: number) => Promise<Session>]> = [
  ["FitbitHttp (NodeFitbit.layer)", async (baseUrl, httpClient, timeout) => {
    const options = { ...credentials, baseUrl, timeout }
    const layer = httpClient === undefined ? NodeFitbit.layer(options) : NodeFitbit.layerWith(FitbitConfig.layer(options), httpClient)
    return effectSession(Layer.provide(layer, noRetries), FitbitHttp.get("/profile.json", "access-token"))
  }],
  ["GoogleHealthHttp (NodeGoogleHealth.layer)", async (baseUrl, httpClient, timeout) => {
    const options = { ...googleCredentials, baseUrl, timeout }
    const layer = httpClient === undefined
      ? NodeGoogleHealth.layer(options)
      : NodeGoogleHealth.layerWith(GoogleHealthConfig.layer(options), httpClient)
    return effectSession(Layer.provide(layer, noRetries), GoogleHealthHttp.get("/v4/users/me/identity", "access-token"))
  }],
  ["FitbitApiClient", async (baseUrl, httpClient, timeout) => {
    const client = new FitbitApiClient({ ...credentials, baseUrl, timeout, retry: false, httpClient })
    return { call: () => settle(client.get("/profile.json", "access-token")), close: () => client.close() }
  }],
  ["GoogleHealthClient", async (baseUrl, httpClient, timeout) => {
    const client = new GoogleHealthClient({ ...googleCredentials, baseUrl, timeout, retry: false, httpClient })
    return { call: () => settle(client.get("/v4/users/me/identity", "access-token")), close: () => client.close() }
  }],
  ["FitbitSessionClient", async (baseUrl, httpClient, timeout) => {
    const client = new FitbitSessionClient({ ...credentials, baseUrl, timeout, retry: false, httpClient })
    // A fresh access token: the call goes straight to the data API, no refresh first.
    const key = await client.saveTokens({ access_token: "access-token", refresh_token: "refresh-token", expires_in: 28_800, user_id: "ABC123" })
    return { call: () => settle(client.get(key, "/profile.json")), close: () => client.close() }
  }]
]

// Every client's first call, answered, before any case: it loads what the clients load on first use
// (undici, Node's fetch), which blocks the event loop long enough for a short timer to fire before
// the request is written; and it shows each client reaches the server at all.
beforeAll(async () => {
  const server = await answering()
  try {
    const firstCalls = entries.flatMap(([, open]) =>
      clients.map(async ([, httpClient]) => {
        const session = await open(server.origin, httpClient, 10_000)
        return session.call().finally(() => session.close())
      })
    )
    expect(await Promise.all(firstCalls)).toEqual(Array(firstCalls.length).fill("answered"))
  } finally {
    await server.close()
  }
})

describe.concurrent("a timed-out call closes its socket at once", () => {
  for (const [entry, open] of entries) {
    for (const [client, httpClient] of clients) {
      for (const [serverName, start] of servers) {
        it(`${entry}, ${client}, ${serverName}`, async ({ expect, onTestFinished }) => {
          const server = await start()
          onTestFinished(() => server.close())
          const session = await open(server.origin, httpClient, TIMEOUT_MS)
          onTestFinished(() => session.close())
          const outcomes = await Promise.all(Array.from({ length: N }, () => session.call()))
          expect(outcomes).toEqual(Array(N).fill("TimeoutError"))
          await expectAllClosed(expect, server, "call")
        })
      }
    }
  }
})

describe.concurrent("the lean client's own timeout closes the socket on every path of the exchange", () => {
  /** Each way of reading an answer, from the sending of the request, with the server that stalls it there. */
  const reads: ReadonlyArray<
    readonly [string, () => Promise<CountingServer>, (client: HttpClient.HttpClient, url: string) => Effect.Effect<unknown, unknown>]
  > = [
    ["waiting for the headers (a hanging server)", hanging, (client, url) => client.get(url)],
    ["reading the whole body (a trickling server)", trickling, (client, url) => Effect.flatMap(client.get(url), (response) => response.arrayBuffer)],
    ["streaming the body (a trickling server)", trickling, (client, url) =>
      Effect.flatMap(client.get(url), (response) => Stream.runDrain(response.stream))]
  ]
  for (const [read, start, program] of reads) {
    it(read, async ({ expect, onTestFinished }) => {
      const server = await start()
      onTestFinished(() => server.close())
      const runtime = ManagedRuntime.make(UndiciHttpClient.layer({}, { timeout: TIMEOUT_MS }))
      onTestFinished(() => runtime.dispose())
      const causes = await Promise.all(Array.from({ length: N }, () =>
        runtime.runPromise(Effect.flatMap(HttpClient.HttpClient, (client) =>
          Effect.match(program(client, `${server.origin}/`), {
            onFailure: (error) => (error as { readonly cause?: unknown }).cause,
            onSuccess: () => "answered"
          })))))
      for (const cause of causes) expect(cause).toBeInstanceOf(HttpExchange.ExchangeTimeout)
      await expectAllClosed(expect, server, "read")
    })
  }
})
