/**
 * The transport contract, over real sockets, for both HttpClient layers a user can pick: the lean
 * undici client (`UndiciHttpClient`, the default) and `@effect/platform-node`'s. Every case runs
 * against both, so the lean client is held to what the platform client does: refused
 * connections, resets before and after the headers, deadlines, interruption closing the socket,
 * large bodies both ways, streaming, and every request body kind.
 */
import { HttpBody, HttpClient, HttpClientRequest } from "@effect/platform"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { afterAll, beforeAll, describe, expect, it } from "@effect/vitest"
import { HttpExchange } from "@fitbit-effect/core"
import { UndiciHttpClient } from "@fitbit-effect/node"
import { Chunk, Duration, Effect, Exit, Fiber, Layer, Stream } from "effect"
import { execFile } from "node:child_process"
import { createHash } from "node:crypto"
import * as http from "node:http"
import type { AddressInfo } from "node:net"
import { fileURLToPath } from "node:url"
import { promisify } from "node:util"

/** A deterministic body of `size` bytes (so both ends can check every byte). */
const pattern = (size: number): Buffer => {
  const out = Buffer.allocUnsafe(size)
  for (let i = 0; i < size; i++) out[i] = (i * 31 + 7) & 0xff
  return out
}

const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex")

/** Requests the server has seen, by the `id` query parameter: their socket closes when it closes. */
const sockets = new Map<string, { readonly received: Promise<void>; readonly closed: Promise<void> }>()
const watchers = new Map<string, { received: () => void; closed: () => void }>()

/** Registers an id before the request is sent; resolves `received` when it arrives and `closed` when its socket closes. */
const watch = (id: string) => {
  let received!: () => void
  let closed!: () => void
  const entry = {
    received: new Promise<void>((resolve) => (received = resolve)),
    closed: new Promise<void>((resolve) => (closed = resolve))
  }
  sockets.set(id, entry)
  watchers.set(id, { received, closed })
  return entry
}

/** How long a test waits for a request to arrive or a socket to close before it fails (the test timeout is 30 s). */
const WAIT_MS = 5_000

/** Resolves with `promise`, or fails after `ms` with `failure`: a missed event fails at once, not as a silent test timeout. */
const within = <A>(promise: Promise<A>, ms: number, failure: string): Promise<A> => {
  let timer: ReturnType<typeof setTimeout> | undefined
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${failure} within ${ms} ms`)), ms)
  })
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer))
}

/** Waits for a socket's `closed` promise at most `ms`, failing with a message naming `what` did not close. */
const closesWithin = (closed: Promise<void>, ms: number, what: string): Promise<void> => within(closed, ms, `${what} did not close`)

/** Waits for a request's `received` promise at most `ms`, failing with a message naming the request. */
const arrivesWithin = (received: Promise<void>, ms: number, id: string): Promise<void> =>
  within(received, ms, `request ${id} did not reach the server`)

const server = http.createServer((req, res) => {
  const url = new URL(req.url!, "http://x")
  const id = url.searchParams.get("id")
  if (id !== null) {
    const watcher = watchers.get(id)
    if (watcher !== undefined) {
      req.socket.once("close", watcher.closed)
      watcher.received()
    }
  }
  switch (url.pathname) {
    case "/ok":
      res.setHeader("x-multi", ["one", "two"])
      res.setHeader("set-cookie", ["a=1; Path=/", "b=2; Path=/"])
      res.setHeader("content-type", "application/json")
      res.end(JSON.stringify({ ok: true, query: url.search }))
      return
    case "/reset-before":
      req.socket.destroy()
      return
    case "/reset-after":
      res.writeHead(200, { "content-length": "100000" })
      res.write(pattern(1000), () => req.socket.destroy())
      return
    case "/hang":
      return
    case "/hang-after-headers":
      res.writeHead(200, { "content-type": "application/octet-stream" })
      res.write(pattern(65_536))
      return
    case "/large": {
      const size = Number(url.searchParams.get("bytes"))
      const body = pattern(size)
      res.writeHead(200, { "content-length": String(size) })
      // Written in 64 KiB pieces, honouring the socket's back-pressure.
      let offset = 0
      const pump = () => {
        while (offset < size) {
          const piece = body.subarray(offset, offset + 65_536)
          offset += piece.length
          if (!res.write(piece)) return void res.once("drain", pump)
        }
        res.end()
      }
      pump()
      return
    }
    case "/echo": {
      const chunks: Array<Buffer> = []
      req.on("data", (chunk: Buffer) => chunks.push(chunk))
      req.on("end", () => {
        const body = Buffer.concat(chunks)
        res.setHeader("content-type", "application/json")
        res.end(JSON.stringify({
          method: req.method,
          contentType: req.headers["content-type"] ?? null,
          length: body.length,
          sha256: sha256(body),
          text: body.length < 10_000 ? body.toString("utf8") : null,
          traceparent: req.headers["traceparent"] ?? null
        }))
      })
      return
    }
    default:
      res.statusCode = 404
      res.end()
  }
})

let origin = ""
let closedPort = 0

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  // A port that was just open and is now closed: connecting to it is refused.
  const spare = http.createServer()
  await new Promise<void>((resolve) => spare.listen(0, "127.0.0.1", resolve))
  closedPort = (spare.address() as AddressInfo).port
  await new Promise<void>((resolve) => spare.close(() => resolve()))
})

afterAll(async () => {
  server.closeAllConnections()
  await new Promise<void>((resolve) => server.close(() => resolve()))
})

let nextId = 0
const freshId = () => `r${++nextId}`

const clients: ReadonlyArray<readonly [string, Layer.Layer<HttpClient.HttpClient>]> = [
  ["UndiciHttpClient (lean, default)", UndiciHttpClient.layer()],
  ["@effect/platform-node NodeHttpClient.layerUndici", NodeHttpClient.layerUndici]
]

const causeCode = (error: unknown): unknown => {
  let cause = error
  for (let depth = 0; depth < 5 && typeof cause === "object" && cause !== null; depth++) {
    const code = (cause as { code?: unknown }).code
    if (typeof code === "string") return code
    cause = (cause as { cause?: unknown }).cause
  }
  return undefined
}

for (const [name, clientLayer] of clients) {
  const lean = clientLayer === clients[0]![1]
  describe(name, () => {
    const run = <A, E>(effect: Effect.Effect<A, E, HttpClient.HttpClient>) =>
      Effect.runPromise(Effect.scoped(Effect.provide(effect, clientLayer)))
    const runExit = <A, E>(effect: Effect.Effect<A, E, HttpClient.HttpClient>) =>
      Effect.runPromiseExit(Effect.scoped(Effect.provide(effect, clientLayer)))

    it("answers status, headers (repeated ones joined), cookies and the body", async () => {
      const answer = await run(Effect.gen(function*() {
        const client = yield* HttpClient.HttpClient
        const response = yield* client.get(`${origin}/ok`, { urlParams: { a: "1 2", b: "ü" } })
        return {
          status: response.status,
          multi: response.headers["x-multi"],
          type: response.headers["content-type"],
          cookies: Object.values(response.cookies.cookies).map((cookie) => `${cookie.name}=${cookie.value}`),
          json: yield* response.json
        }
      }))
      expect(answer).toEqual({
        status: 200,
        multi: "one, two",
        type: "application/json",
        cookies: ["a=1", "b=2"],
        json: { ok: true, query: "?a=1+2&b=%C3%BC" }
      })
    })

    it("a refused connection is a RequestError (Transport) with the connect error as its cause", async () => {
      const exit = await runExit(Effect.flatMap(HttpClient.HttpClient, (c) => c.get(`http://127.0.0.1:${closedPort}/`)))
      expect(Exit.isFailure(exit)).toBe(true)
      if (Exit.isFailure(exit)) {
        const error = exit.cause._tag === "Fail" ? exit.cause.error : undefined
        expect(error?._tag).toBe("RequestError")
        expect(error?.reason).toBe("Transport")
        expect(causeCode(error)).toBe("ECONNREFUSED")
        expect(HttpExchange.failedBeforeSending(error!)).toBe(true)
      }
    })

    it("a reset before the headers is a RequestError (Transport)", async () => {
      const exit = await runExit(Effect.flatMap(HttpClient.HttpClient, (c) => c.get(`${origin}/reset-before`)))
      expect(exit._tag).toBe("Failure")
      if (Exit.isFailure(exit) && exit.cause._tag === "Fail") {
        expect(exit.cause.error._tag).toBe("RequestError")
        expect(exit.cause.error.reason).toBe("Transport")
      }
    })

    it("a reset after the headers answers the status, and reading the body fails with a ResponseError", async () => {
      const result = await run(Effect.gen(function*() {
        const client = yield* HttpClient.HttpClient
        const response = yield* client.get(`${origin}/reset-after`)
        const body = yield* Effect.either(response.arrayBuffer)
        return { status: response.status, body }
      }))
      expect(result.status).toBe(200)
      expect(result.body._tag).toBe("Left")
      if (result.body._tag === "Left") expect(result.body.left._tag).toBe("ResponseError")
    })

    it("a timeout interrupts the request and closes its socket", async () => {
      const id = freshId()
      const seen = watch(id)
      const exit = await run(Effect.gen(function*() {
        const client = yield* HttpClient.HttpClient
        const exit = yield* Effect.exit(client.get(`${origin}/hang?id=${id}`).pipe(
          Effect.timeoutFail({ duration: "100 millis", onTimeout: () => "timed out" as const })
        ))
        // Waited for while the pool is open: closing it closes every socket anyway.
        yield* Effect.promise(() => arrivesWithin(seen.received, WAIT_MS, id))
        yield* Effect.promise(() => closesWithin(seen.closed, WAIT_MS, `the socket of timed-out request ${id}`))
        return exit
      }))
      expect(exit).toEqual(Exit.fail("timed out"))
    })

    it("interrupting a request in flight closes its socket", async () => {
      const id = freshId()
      const seen = watch(id)
      await run(Effect.gen(function*() {
        const client = yield* HttpClient.HttpClient
        const fiber = yield* Effect.fork(client.get(`${origin}/hang?id=${id}`))
        yield* Effect.promise(() => arrivesWithin(seen.received, WAIT_MS, id))
        yield* Fiber.interrupt(fiber)
        yield* Effect.promise(() => closesWithin(seen.closed, WAIT_MS, `the socket of interrupted request ${id}`))
      }))
    })

    it("interrupting a stream mid-body closes its socket", async () => {
      const id = freshId()
      const seen = watch(id)
      const first = await run(Effect.gen(function*() {
        const client = yield* HttpClient.HttpClient
        const response = yield* client.get(`${origin}/hang-after-headers?id=${id}`)
        // The server sends 64 KiB and never ends; taking the first chunk ends the stream early.
        const first = yield* response.stream.pipe(Stream.take(1), Stream.runCollect)
        yield* Effect.promise(() => closesWithin(seen.closed, WAIT_MS, `the socket of stream ${id}, ended after its first chunk`))
        return first
      }))
      expect(Chunk.size(first)).toBe(1)
    })

    it("reads a large body whole, every byte", async () => {
      const size = 8 * 1024 * 1024 + 17
      const bytes = await run(Effect.flatMap(HttpClient.HttpClient, (c) =>
        Effect.flatMap(c.get(`${origin}/large?bytes=${size}`), (r) => r.arrayBuffer)))
      expect(bytes.byteLength).toBe(size)
      expect(sha256(new Uint8Array(bytes))).toBe(sha256(pattern(size)))
    })

    it("streams a large body, every byte in order", async () => {
      const size = 16 * 1024 * 1024 + 3
      const digest = await run(Effect.gen(function*() {
        const client = yield* HttpClient.HttpClient
        const response = yield* client.get(`${origin}/large?bytes=${size}`)
        const hash = createHash("sha256")
        let length = 0
        yield* Stream.runForEach(response.stream, (chunk) =>
          Effect.sync(() => {
            length += chunk.length
            hash.update(chunk)
          }))
        return { length, sha: hash.digest("hex") }
      }))
      expect(digest).toEqual({ length: size, sha: sha256(pattern(size)) })
    })

    it("sends every body kind: bytes (large), text, JSON, url-encoded, FormData, stream", async () => {
      const big = pattern(5 * 1024 * 1024 + 1)
      const form = new FormData()
      form.append("field", "value")
      form.append("file", new Blob([new Uint8Array(pattern(300))]), "f.bin")
      const streamed = Stream.fromIterable([pattern(100_000), pattern(50_000)])
      const echo = (request: HttpClientRequest.HttpClientRequest) =>
        Effect.flatMap(HttpClient.HttpClient, (c) =>
          Effect.flatMap(c.execute(request), (r) => r.json)) as Effect.Effect<
            { method: string; contentType: string | null; length: number; sha256: string; text: string | null },
            unknown,
            HttpClient.HttpClient
          >
      const results = await run(Effect.all({
        bytes: echo(HttpClientRequest.post(`${origin}/echo`).pipe(HttpClientRequest.bodyUint8Array(big))),
        text: echo(HttpClientRequest.put(`${origin}/echo`).pipe(HttpClientRequest.bodyText("héllo", "text/plain"))),
        json: echo(HttpClientRequest.post(`${origin}/echo`).pipe(HttpClientRequest.bodyUnsafeJson({ a: [1, 2] }))),
        urlEncoded: echo(HttpClientRequest.post(`${origin}/echo`).pipe(HttpClientRequest.bodyUrlParams({ a: "1", b: "x y" }))),
        // `@effect/platform-node`'s undici client fails on the global FormData (it belongs to
        // Node's own undici copy); the lean client encodes it.
        form: lean
          ? echo(HttpClientRequest.post(`${origin}/echo`).pipe(HttpClientRequest.bodyFormData(form)))
          : Effect.succeed(undefined),
        stream: echo(HttpClientRequest.post(`${origin}/echo`).pipe(
          HttpClientRequest.setBody(HttpBody.stream(streamed, "application/octet-stream"))
        )),
        empty: echo(HttpClientRequest.del(`${origin}/echo`))
      }))
      expect(results.bytes).toMatchObject({ method: "POST", length: big.length, sha256: sha256(big) })
      expect(results.text).toMatchObject({ method: "PUT", contentType: "text/plain", text: "héllo" })
      expect(results.json).toMatchObject({ contentType: "application/json", text: "{\"a\":[1,2]}" })
      expect(results.urlEncoded).toMatchObject({ contentType: "application/x-www-form-urlencoded", text: "a=1&b=x+y" })
      if (lean) {
        expect(results.form?.contentType).toMatch(/^multipart\/form-data; boundary=/)
        expect(results.form?.text).toContain("name=\"field\"\r\n\r\nvalue")
        expect(results.form?.text).toContain("filename=\"f.bin\"")
      }
      expect(results.stream).toMatchObject({
        length: 150_000,
        sha256: sha256(Buffer.concat([pattern(100_000), pattern(50_000)]))
      })
      expect(results.empty).toMatchObject({ method: "DELETE", length: 0 })
    })

    it("the pipeline's send: a deadline is a TimeoutError and a refused connection is not-sent", async () => {
      const id = freshId()
      const seen = watch(id)
      const outcome = await run(Effect.gen(function*() {
        // Bounded by the generic combinator, as the pipeline bounds any client that declares no timeout.
        const client = HttpExchange.withTimeout(yield* HttpClient.HttpClient, Duration.millis(100))
        const late = yield* Effect.flip(HttpExchange.send(client, HttpClientRequest.get(`${origin}/hang?id=${id}`)))
        yield* Effect.promise(() => closesWithin(seen.closed, WAIT_MS, `the socket of timed-out request ${id}`))
        const refused = yield* Effect.flip(HttpExchange.send(client, HttpClientRequest.get(`http://127.0.0.1:${closedPort}/`)))
        const ok = yield* HttpExchange.send(client, HttpClientRequest.get(`${origin}/ok`))
        return { late, refused, ok }
      }))
      expect(outcome.late).toMatchObject({ _tag: "TimeoutError", timeoutMillis: 100 })
      expect(outcome.late._tag).toBe("TimeoutError")
      expect(outcome.refused._tag).toBe("TransportError")
      if (outcome.refused._tag === "TransportError") expect(outcome.refused.sent).toBe("no")
      expect(outcome.ok.status).toBe(200)
      expect(outcome.ok.headers["x-multi"]).toBe("one, two")
      expect(outcome.ok.body).toMatchObject({ ok: true })
    })

    it("runs many requests at once over the pool", async () => {
      const statuses = await run(Effect.flatMap(HttpClient.HttpClient, (c) =>
        Effect.forEach(
          Array.from({ length: 200 }, (_, i) => i),
          (i) => Effect.flatMap(c.get(`${origin}/ok`, { urlParams: { i } }), (r) => Effect.as(r.json, r.status)),
          { concurrency: 64 }
        )))
      expect(statuses).toHaveLength(200)
      expect(new Set(statuses)).toEqual(new Set([200]))
    })
  })
}

describe("UndiciHttpClient specifics", () => {
  it("the pipeline takes the body once (UndiciHttpClient.readBodyOnce, its HttpExchange.BodyReader) and keeps no copy; a user's text is kept for the next read", async () => {
    const outcome = await Effect.runPromise(Effect.scoped(Effect.provide(Effect.gen(function*() {
      const client = yield* HttpClient.HttpClient
      const kept = yield* client.get(`${origin}/ok`)
      const first = yield* kept.text
      const again = yield* kept.text
      const json = yield* kept.json
      const taken = yield* client.get(`${origin}/ok`)
      const once = yield* UndiciHttpClient.readBodyOnce(taken)
      // What the response still holds of the body: nothing.
      const exchange = (taken as unknown as { exchange: { body: unknown; chunks: ReadonlyArray<unknown> } }).exchange
      const held = { body: exchange.body, chunks: exchange.chunks.length }
      const later = yield* Effect.flip(taken.text)
      const sent = yield* HttpExchange.send(client, HttpClientRequest.get(`${origin}/ok`))
      return { first, again, json, once, held, later, sent: sent.body }
    }), UndiciHttpClient.layer())))
    expect(outcome.again).toBe(outcome.first)
    expect(outcome.json).toEqual(JSON.parse(outcome.first))
    expect(outcome.once).toBe(outcome.first)
    expect(outcome.held).toEqual({ body: undefined, chunks: 0 })
    expect(outcome.later).toMatchObject({ _tag: "ResponseError", reason: "Decode" })
    expect(String((outcome.later.cause as Error).message)).toContain("readBodyOnce")
    expect(outcome.sent).toEqual(JSON.parse(outcome.first))
  })

  it("with a timeout it bounds the whole exchange itself (headers, then body) and declares it, so the pipeline adds no timer", async () => {
    const hung = freshId()
    const stalled = freshId()
    const seenHung = watch(hung)
    const seenStalled = watch(stalled)
    const layer = UndiciHttpClient.layer({}, { timeout: 150 })
    const outcome = await Effect.runPromise(Effect.scoped(Effect.provide(
      Effect.gen(function*() {
        const raw = yield* HttpClient.HttpClient
        // Declared 150 ms: bounding by 30 s keeps the client as it is; by 50 ms wraps it.
        const kept = (yield* HttpExchange.boundedClient(Duration.seconds(30))) === raw
        const wrapped = (yield* HttpExchange.boundedClient(Duration.millis(50))) !== raw
        const beforeHeaders = yield* Effect.flip(HttpExchange.send(raw, HttpClientRequest.get(`${origin}/hang?id=${hung}`)))
        const inBody = yield* Effect.flip(HttpExchange.send(raw, HttpClientRequest.get(`${origin}/hang-after-headers?id=${stalled}`)))
        // Waited for while the pool is open: closing it closes every socket anyway.
        yield* Effect.promise(() => closesWithin(seenHung.closed, WAIT_MS, `the socket of request ${hung}, timed out before the headers`))
        yield* Effect.promise(() => closesWithin(seenStalled.closed, WAIT_MS, `the socket of request ${stalled}, timed out in the body`))
        const ok = yield* HttpExchange.send(raw, HttpClientRequest.get(`${origin}/ok`))
        return { kept, wrapped, beforeHeaders, inBody, ok }
      }),
      layer
    )))
    expect(outcome.kept).toBe(true)
    expect(outcome.wrapped).toBe(true)
    expect(outcome.beforeHeaders).toMatchObject({ _tag: "TimeoutError", timeoutMillis: 150 })
    expect(outcome.inBody).toMatchObject({ _tag: "TimeoutError", timeoutMillis: 150 })
    expect(outcome.ok.status).toBe(200)
  })

  it("follows HttpClient.currentTracerPropagation like any client; HttpExchange.send (the pipeline) sends none", async () => {
    const echo = Effect.flatMap(HttpClient.HttpClient, (c) =>
      Effect.flatMap(c.post(`${origin}/echo`), (r) => r.json)) as Effect.Effect<{ traceparent: string | null }, unknown, HttpClient.HttpClient>
    const viaSend = Effect.flatMap(HttpClient.HttpClient, (c) =>
      Effect.map(
        HttpExchange.send(c, HttpClientRequest.post(`${origin}/echo`), { timeout: Duration.seconds(5) }),
        (r) => r.body as { traceparent: string | null }
      ))
    const program = Effect.withSpan("outer")(Effect.all([
      echo,
      Effect.locally(echo, HttpClient.currentTracerPropagation, false),
      viaSend
    ]))
    const [propagated, off, pipeline] = await Effect.runPromise(Effect.scoped(Effect.provide(program, UndiciHttpClient.layer())))
    expect(propagated.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]$/)
    expect(off.traceparent).toBeNull()
    expect(pipeline.traceparent).toBeNull()
  })

  it("declares that it sends trace headers only from a span: the pipeline sends none outside a span and none inside one unless asked", async () => {
    const viaSend = (options: HttpExchange.SendOptions) =>
      Effect.flatMap(HttpClient.HttpClient, (c) =>
        Effect.map(HttpExchange.send(c, HttpClientRequest.post(`${origin}/echo`), options), (r) => (r.body as { traceparent: string | null }).traceparent))
    const program = Effect.gen(function*() {
      const declared = yield* HttpExchange.ClientTraceHeaders
      const fromSpan = { timeout: Duration.seconds(5), traceHeaders: declared }
      return {
        declared,
        outside: yield* viaSend(fromSpan),
        inSpan: yield* Effect.withSpan("outer")(viaSend(fromSpan)),
        asked: yield* Effect.withSpan("outer")(viaSend(fromSpan)).pipe(Effect.provideService(HttpExchange.TracePropagation, true)),
        // The same client declared as one that always sends them: the pipeline keeps them off too.
        always: yield* Effect.withSpan("outer")(viaSend({ ...fromSpan, traceHeaders: "always" }))
      }
    })
    const outcome = await Effect.runPromise(Effect.scoped(Effect.provide(program, UndiciHttpClient.layer())))
    expect(outcome.declared).toBe("from-span")
    expect(outcome.outside).toBeNull()
    expect(outcome.inSpan).toBeNull()
    expect(outcome.asked).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]$/)
    expect(outcome.always).toBeNull()
  })
})

describe("UndiciHttpClient.layer loads undici's Agent alone", () => {
  it("a fresh process that builds the layer and sends a request has not loaded undici's fetch, WebSocket or mock modules", async () => {
    // In a child process: this one has loaded undici's index already.
    const script = `
      const http = require("node:http")
      const { Effect, Layer } = require("effect")
      const { HttpClient } = require("@effect/platform")
      const { UndiciHttpClient } = require("@fitbit-effect/node")
      const server = http.createServer((req, res) => res.end("ok")).listen(0, "127.0.0.1", async () => {
        const url = "http://127.0.0.1:" + server.address().port + "/"
        const text = await Effect.runPromise(Effect.scoped(Effect.provide(
          Effect.flatMap(HttpClient.HttpClient, (client) => Effect.flatMap(client.get(url), (response) => response.text)),
          UndiciHttpClient.layer()
        )))
        const undici = Object.keys(require.cache).filter((file) => file.includes("/undici/lib/") || file.endsWith("/undici/index.js"))
        console.log(JSON.stringify({ text, undici }))
        server.close()
      })`
    const { stdout } = await promisify(execFile)(process.execPath, ["-e", script], { cwd: fileURLToPath(new URL(".", import.meta.url)) })
    const { text, undici } = JSON.parse(stdout) as { text: string; undici: Array<string> }
    expect(text).toBe("ok")
    expect(undici.some((file) => file.endsWith("/lib/dispatcher/agent.js"))).toBe(true)
    expect(undici.filter((file) => file.endsWith("/undici/index.js") || file.includes("/lib/web/") || file.includes("/lib/mock/"))).toEqual([])
  })
})
