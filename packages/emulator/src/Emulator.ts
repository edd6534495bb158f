/**
 * Starting the emulator: an HTTP server on `127.0.0.1` (ephemeral port by default) serving
 * every route group under one base URL, with its control handle. As a scoped effect
 * ({@link start}), a layer ({@link layer}) or a Promise ({@link startEmulator}).
 *
 * @since 0.1.0
 */
import * as HttpRouter from "@effect/platform/HttpRouter"
import * as HttpServer from "@effect/platform/HttpServer"
import * as NodeHttpServer from "@effect/platform-node/NodeHttpServer"
import * as Context from "effect/Context"
import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Layer from "effect/Layer"
import * as Schedule from "effect/Schedule"
import * as Scope from "effect/Scope"
import * as Http from "node:http"
import * as Control from "./Control.js"
import * as EmulatorState from "./EmulatorState.js"
import { withFaults } from "./FaultMiddleware.js"
import * as GoogleNotifications from "./google/Notifications.js"
import * as GoogleState from "./google/GoogleState.js"
import * as HttpHelpers from "./Http.js"
import * as RouteGroup from "./RouteGroup.js"

/**
 * Options of the emulator (all optional).
 *
 * @since 0.1.0
 * @category models
 */
export interface EmulatorOptions extends EmulatorState.StateOptions {
  /** Port to listen on; 0 (an ephemeral port) by default. */
  readonly port?: number | undefined
  /** Host to listen on; `127.0.0.1` by default. */
  readonly host?: string | undefined
  /** More route groups (e.g. Google Health), served next to the default ones. */
  readonly groups?: ReadonlyArray<RouteGroup.RouteGroup> | undefined
  /** Replace the default groups altogether. */
  readonly replaceDefaultGroups?: boolean | undefined
}

/**
 * The handle of a running emulator.
 *
 * @since 0.1.0
 * @category models
 */
export type EmulatorHandle = Control.EmulatorHandle

/**
 * A running emulator as a service.
 *
 * @since 0.1.0
 * @category schemas
 */
export class EmulatorService extends Context.Tag("@fitbit-effect/emulator/EmulatorService")<
  EmulatorService,
  EmulatorHandle
>() {}

/**
 * The whole app of a set of groups: routing, Fitbit's 404 JSON for unknown paths, a 500
 * JSON for handler defects, fault injection around it all.
 *
 * @since 0.1.0
 * @category constructors
 */
export const makeApp = (groups: ReadonlyArray<RouteGroup.RouteGroup>) =>
  HttpRouter.toHttpApp(RouteGroup.combine(groups)).pipe(
    Effect.map((app) =>
      withFaults(
        app.pipe(
          Effect.catchTag("RouteNotFound", () =>
            Effect.succeed(HttpHelpers.fitbitError(404, "not_found", "The API you are requesting could not be found."))),
          Effect.catchAllCause((cause) =>
            Effect.as(
              Effect.logDebug("emulator handler failed", cause),
              HttpHelpers.fitbitError(500, "system", "An unexpected error has occurred in the emulator.")
            )
          )
        )
      )
    )
  )

/**
 * Starts the emulator in the current scope and answers with its handle. It listens on
 * `127.0.0.1` with an ephemeral port unless told otherwise, and stops (dropping open
 * connections and aborting webhook POSTs in flight) when the scope closes. While it runs, each
 * day its clock passes notifies Google subscribers (when the clock is moved, and each minute for a
 * clock ticking with wall time).
 *
 * @since 0.1.0
 * @category constructors
 */
export const start = (options: EmulatorOptions = {}): Effect.Effect<EmulatorHandle, never, Scope.Scope> =>
  Effect.gen(function*() {
    const state = EmulatorState.make(options)
    const groups = [...(options.replaceDefaultGroups === true ? [] : RouteGroup.defaults), ...(options.groups ?? [])]
    const nodeServer = Http.createServer({ keepAlive: true })
    const server = yield* NodeHttpServer.make(() => nodeServer, {
      host: options.host ?? "127.0.0.1",
      port: options.port ?? 0
    }).pipe(Effect.orDie)
    // Runs before the server's own close: open keep-alive sockets must not hold the shutdown.
    yield* Effect.addFinalizer(() => Effect.sync(() => nodeServer.closeAllConnections()))
    const address = server.address as HttpServer.TcpAddress
    const host = address.hostname.includes(":") ? `[${address.hostname}]` : address.hostname
    state.baseUrl = `http://${host}:${address.port}`
    const app = yield* makeApp(groups)
    yield* server.serve(Effect.provideService(app, EmulatorState.EmulatorState, state))
    const days = GoogleNotifications.watchDays(state)
    yield* Effect.addFinalizer(() => Effect.sync(days.stop))
    // Webhook POSTs still in flight when the emulator stops are aborted, not left to their deadline.
    yield* Effect.addFinalizer(() => Effect.sync(() => GoogleState.of(state).deliveries.close()))
    if (!state.clock.frozen) yield* Effect.forkScoped(Effect.repeat(Effect.sync(days.check), Schedule.spaced("1 minute")))
    return Control.makeHandle(state)
  }).pipe(Effect.withLogSpan("fitbit-emulator"))

/**
 * The emulator as a layer: started when the layer is built, stopped when it is released.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (options: EmulatorOptions = {}): Layer.Layer<EmulatorService> =>
  Layer.scoped(EmulatorService, start(options))

/** The listen error inside a failed start (`EADDRINUSE`, `EACCES`, …), found through the causes. */
const listenErrorOf = (exit: Exit.Exit<unknown, unknown>): { readonly code: string } | undefined => {
  if (Exit.isSuccess(exit)) return undefined
  let current: unknown = Cause.squash(exit.cause)
  for (let depth = 0; depth < 4 && typeof current === "object" && current !== null; depth++) {
    const code = (current as { code?: unknown }).code
    if (typeof code === "string") return { code }
    current = (current as { cause?: unknown }).cause
  }
  return undefined
}

/**
 * Starts the emulator for Promise code; `close()` stops it. A port it cannot listen on rejects with
 * an `Error` naming the address and the system's code (`cannot listen on 127.0.0.1:8787:
 * EADDRINUSE`), its `code` set to that code.
 *
 * @since 0.1.0
 * @category constructors
 */
export const startEmulator = async (
  options: EmulatorOptions = {}
): Promise<EmulatorHandle & { readonly close: () => Promise<void> }> => {
  const scope = Effect.runSync(Scope.make())
  const started = await Effect.runPromiseExit(Scope.extend(start(options), scope))
  if (Exit.isFailure(started)) {
    await Effect.runPromise(Scope.close(scope, Exit.void))
    const listen = listenErrorOf(started)
    if (listen === undefined) throw Cause.squash(started.cause)
    throw Object.assign(new Error(`cannot listen on ${options.host ?? "127.0.0.1"}:${options.port ?? 0}: ${listen.code}`), { code: listen.code })
  }
  const handle = started.value
  let closed: Promise<void> | undefined
  return {
    ...handle,
    close: () => (closed ??= Effect.runPromise(Scope.close(scope, Exit.void)))
  }
}

