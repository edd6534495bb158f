/**
 * The loopback redirect of a login: an HTTP server on 127.0.0.1 (an ephemeral port unless one is
 * given) that waits for Google's redirect to `/callback`, hands its query to the login, and answers
 * the browser with the page the login chooses. Every other path answers 404.
 *
 * @since 0.1.0
 */
import * as Deferred from "effect/Deferred"
import * as Effect from "effect/Effect"
import type * as Scope from "effect/Scope"
import * as ChildProcess from "node:child_process"
import * as Http from "node:http"
import { ExitCode, fail } from "./ExitCode.js"
import type { CliFailure } from "./ExitCode.js"

/**
 * The callback's query and the answer to the browser.
 *
 * @since 0.1.0
 * @category models
 */
export interface Callback {
  readonly params: URLSearchParams
  /** Answers the browser (once). */
  readonly respond: (status: number, title: string, text: string) => Effect.Effect<void>
}

/**
 * A listening loopback server.
 *
 * @since 0.1.0
 * @category models
 */
export interface Loopback {
  readonly redirectUri: string
  readonly callback: Effect.Effect<Callback>
}

const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;", "'": "&#39;" })[c] ?? c)

const page = (title: string, text: string): string =>
  `<!doctype html><html><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>` +
  `<body style="font-family:sans-serif;max-width:40em;margin:4em auto"><h1 id="title">${escapeHtml(title)}</h1>` +
  `<p id="message">${escapeHtml(text)}</p></body></html>`

/**
 * Starts the server for the scope's life.
 *
 * @since 0.1.0
 * @category constructors
 */
export const start = (port: number): Effect.Effect<Loopback, CliFailure, Scope.Scope> =>
  Effect.gen(function*() {
    const arrived = yield* Deferred.make<Callback>()
    let taken = false
    const server = Http.createServer((req, res) => {
      const url = new URL(req.url ?? "/", "http://127.0.0.1")
      if (req.method !== "GET" || url.pathname !== "/callback") {
        res.writeHead(404, { "content-type": "text/plain; charset=utf-8" }).end("not found\n")
        return
      }
      let answered = false
      const respond = (status: number, title: string, text: string) =>
        Effect.async<void>((resume) => {
          if (answered) return resume(Effect.void)
          answered = true
          res.writeHead(status, { "content-type": "text/html; charset=utf-8", "cache-control": "no-store", connection: "close" })
          res.end(page(title, text), () => resume(Effect.void))
        })
      // A second callback (a reload) while the first is handled is told so.
      if (taken) {
        answered = true
        res.writeHead(409, { "content-type": "text/plain; charset=utf-8" }).end("this login already received its callback\n")
        return
      }
      taken = true
      Deferred.unsafeDone(arrived, Effect.succeed({ params: url.searchParams, respond }))
    })
    yield* Effect.async<void, CliFailure>((resume) => {
      server.once("error", (error: NodeJS.ErrnoException) =>
        resume(Effect.fail(fail(
          error.code === "EADDRINUSE" ? ExitCode.usage : ExitCode.unexpected,
          error.code === "EADDRINUSE" ? `port ${port} is in use: pick another with --port (0 picks a free one)` : `cannot listen on 127.0.0.1: ${error.message}`
        ))))
      server.listen(port, "127.0.0.1", () => resume(Effect.void))
    })
    yield* Effect.addFinalizer(() =>
      Effect.async<void>((resume) => {
        server.close(() => resume(Effect.void))
        server.closeAllConnections()
      }))
    const address = server.address()
    const bound = typeof address === "object" && address !== null ? address.port : port
    return { redirectUri: `http://127.0.0.1:${bound}/callback`, callback: Deferred.await(arrived) }
  })

/**
 * Whether a browser can be opened here: macOS and Windows always, elsewhere with a display.
 *
 * @since 0.1.0
 * @category authorization
 */
export const canOpenBrowser = (): boolean =>
  process.platform === "darwin" || process.platform === "win32" ||
  (process.env.DISPLAY ?? "") !== "" || (process.env.WAYLAND_DISPLAY ?? "") !== ""

/**
 * Opens a URL in the user's browser (`open`, `start`, `xdg-open`), without waiting; a failure to
 * open is no failure of the login (the URL is printed).
 *
 * @since 0.1.0
 * @category authorization
 */
export const openBrowser = (url: string): Effect.Effect<void> =>
  Effect.sync(() => {
    const [command, args] = process.platform === "darwin"
      ? ["open", [url]] as const
      : process.platform === "win32"
      ? ["cmd", ["/c", "start", "\"\"", url.replace(/&/g, "^&")]] as const
      : ["xdg-open", [url]] as const
    try {
      const child = ChildProcess.spawn(command, [...args], { stdio: "ignore", detached: true })
      child.on("error", () => undefined)
      child.unref()
    } catch {
      // the URL is on stderr
    }
  })
