/**
 * `fitbit-effect listen`: a local webhook endpoint for Google Health notifications
 * (`GoogleHealthWebhook.makeHandler`: verification answered when the `Authorization` matches),
 * printing each notification (one line per item; NDJSON when piped) and forwarding each POST (same
 * body, same headers but hop-by-hop ones) to `--forward-to`, with the status the target answered.
 * Bounded: a body over 1 MiB is refused (413), a request must arrive within 30 s, a forward ends
 * after 30 s.
 *
 * @since 0.1.0
 */
import * as Command from "@effect/cli/Command"
import * as Options from "@effect/cli/Options"
import { GoogleHealthWebhook } from "@fitbit-effect/core"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Crypto from "node:crypto"
import * as Http from "node:http"
import { ExitCode, fail } from "../ExitCode.js"
import { err, help, readStdin } from "../CommandParts.js"

/** The largest request body the listener takes (a notification is a few kilobytes). */
const MAX_BODY_BYTES = 1024 * 1024

/** How long a forward may take before it is abandoned (and reported as failed). */
const FORWARD_TIMEOUT_MS = 30_000

const HOP_BY_HOP = new Set(["connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "te", "trailer", "transfer-encoding", "upgrade", "host", "content-length"])

const line = (text: string) => new Promise<void>((resolve) => process.stdout.write(`${text}\n`, () => resolve()))

/** @since 0.1.0 */
export const listenCommand = Command.make(
  "listen",
  {
    forwardTo: Options.text("forward-to").pipe(Options.optional, Options.withDescription("Forward each POST (same body and headers) to this URL and print what it answered.")),
    port: Options.integer("port").pipe(Options.withDefault(0), Options.withDescription("The port on 127.0.0.1 (default: a free one, printed).")),
    secretStdin: Options.boolean("secret-stdin").pipe(Options.withDescription("Read the Authorization value the subscriber sends from stdin (else one is generated and printed once)."))
  },
  ({ forwardTo, port, secretStdin }) =>
    Effect.gen(function*() {
      if (!Number.isInteger(port) || port < 0 || port > 65_535) return yield* Effect.fail(fail(ExitCode.usage, "--port: a port from 0 to 65535"))
      const target = Option.getOrUndefined(forwardTo)
      if (target !== undefined && !/^https?:\/\//.test(target)) return yield* Effect.fail(fail(ExitCode.usage, `--forward-to: ${JSON.stringify(target)} is not an http(s) URL`))
      const secret = secretStdin ? (yield* readStdin).replace(/\r?\n$/, "") : Crypto.randomBytes(24).toString("base64url")
      if (secret === "") return yield* Effect.fail(fail(ExitCode.usage, "--secret-stdin: the value read is empty"))
      const piped = process.stdout.isTTY !== true
      const handler = GoogleHealthWebhook.makeHandler({
        secret,
        onNotifications: async (delivery) => {
          for (const n of delivery.notifications) {
            await line(piped ? JSON.stringify(n) : `${n.operation} ${n.dataType} user ${n.healthUserId} ${n.intervals.map((i) => i.physicalTimeInterval === undefined ? JSON.stringify(i) : `${i.physicalTimeInterval.startTime}..${i.physicalTimeInterval.endTime ?? ""}`).join(" ")}`)
          }
          for (const u of delivery.unreadable) await line(piped ? JSON.stringify({ unreadable: u.reason, item: u.item }) : `unreadable item: ${u.reason}`)
        }
      })
      // Timeouts checked every 5 s (Node's default 30 s would let a slow request run to a minute).
      const server = Http.createServer({ connectionsCheckingInterval: 5_000 }, (req, res) => {
        const chunks: Array<Buffer> = []
        let size = 0
        req.on("data", (chunk: Buffer) => {
          if (size > MAX_BODY_BYTES) return
          size += chunk.length
          if (size <= MAX_BODY_BYTES) return void chunks.push(chunk)
          // Google's notifications are a few kilobytes: a larger body is refused, not held.
          chunks.length = 0
          res.writeHead(413, { connection: "close" })
          res.end(() => req.destroy())
        })
        req.on("end", () => {
          if (size > MAX_BODY_BYTES) return
          const body = new Uint8Array(Buffer.concat(chunks))
          if (target !== undefined && req.method === "POST") {
            const headers: Record<string, string> = {}
            for (const [name, value] of Object.entries(req.headers)) {
              if (value !== undefined && !HOP_BY_HOP.has(name.toLowerCase())) headers[name] = Array.isArray(value) ? value.join(", ") : value
            }
            fetch(target, { method: "POST", headers, body, signal: AbortSignal.timeout(FORWARD_TIMEOUT_MS) }).then(
              async (answer) => {
                await answer.arrayBuffer().catch(() => undefined)
                process.stderr.write(`forwarded to ${target}: ${answer.status}\n`)
              },
              (error: unknown) => process.stderr.write(`forwarding to ${target} failed: ${String((error as { message?: unknown })?.message ?? error)}\n`)
            )
          }
          handler(req.method ?? "GET", req.headers, body).then(
            (answer) => {
              res.writeHead(answer.status, answer.headers)
              res.end(answer.body)
            },
            () => {
              res.writeHead(500)
              res.end()
            }
          )
        })
      })
      // A client that sends its request slowly is cut off (Node's defaults: 5 minutes, 1 minute).
      server.requestTimeout = 30_000
      server.headersTimeout = 10_000
      yield* Effect.acquireRelease(
        Effect.async<void, ReturnType<typeof fail>>((resume) => {
          server.once("error", (error: NodeJS.ErrnoException) => resume(Effect.fail(fail(ExitCode.usage, `cannot listen on 127.0.0.1:${port}: ${error.code ?? error.message}`))))
          server.listen(port, "127.0.0.1", () => resume(Effect.void))
        }),
        () => Effect.sync(() => server.close())
      )
      const address = server.address()
      const bound = typeof address === "object" && address !== null ? address.port : port
      yield* err(`listening at http://127.0.0.1:${bound}/${target === undefined ? "" : `, forwarding each POST to ${target}`}`)
      if (!secretStdin) yield* err(`Authorization value to configure on the subscriber (shown once): ${secret}`)
      return yield* Effect.never
    }).pipe(Effect.scoped)
).pipe(Command.withDescription(help(
  "A local webhook endpoint for Google Health notifications: answers the subscriber's verification (the Authorization value from stdin, or generated and printed once), prints each notification (one line each; NDJSON when piped) and forwards each POST to --forward-to. Against the emulator, create the subscriber with: fitbit-effect api POST /v4/projects/PROJECT/subscribers --query subscriberId=dev-listener --data '{\"endpointUri\":\"http://127.0.0.1:PORT/\",\"endpointAuthorization\":{\"secret\":\"VALUE\"},\"subscriberConfigs\":[{\"dataTypes\":[\"steps\"],\"subscriptionCreatePolicy\":\"AUTOMATIC\"}]}'",
  ["fitbit-effect listen --forward-to http://127.0.0.1:3000/webhook", "printf '%s' \"$WEBHOOK_AUTH\" | fitbit-effect listen --port 8088 --secret-stdin | jq ."]
)))
