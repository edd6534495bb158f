/**
 * `@fitbit-effect/node/sync`: the ready layer of core's `Sync` on Node. One database holds it
 * all: the grants (`SqlTokenStore`), Google's quotas shared by every process
 * (`SqlRateLimitPolicy`, waiting when spent), the synced points and cursors, and the cluster's
 * messages and shard locks. On one machine (`{ sqlite }` or `{ postgres }` without `runner`) a
 * `SingleRunner` runs every user in the process; with `runner: { host, port }` (Postgres) the
 * process is one of many socket runners: users spread over them, and a dead runner's users move
 * to the others. Install `@effect/sql`, `@effect/cluster`, `@effect/rpc`, `@effect/workflow`, the
 * driver, and `@effect/platform-node` for many machines.
 *
 * @since 0.1.0
 */
import type * as Sharding from "@effect/cluster/Sharding"
import type * as ShardingConfig from "@effect/cluster/ShardingConfig"
import * as SqlClient from "@effect/sql/SqlClient"
import { Errors, GoogleHealthConfig, GoogleHealthSession, RateLimitPolicy, TokenStore } from "@fitbit-effect/core/google"
import { SqlRateLimitPolicy, SqlTokenStore } from "@fitbit-effect/core/sql"
import { Sync, SyncEngine, SyncLease } from "@fitbit-effect/core/sync"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Scope from "effect/Scope"
import * as Crypto from "node:crypto"
import * as Fs from "node:fs"
import * as Os from "node:os"
import * as NodeGoogleHealth from "./NodeGoogleHealth.js"
import * as Sql from "./sql.js"

/**
 * Where this process runs its part of a sync across machines: the address the other runners
 * reach it on (`host`, `port`), and where it listens (`listenHost`, default `host`).
 *
 * @since 0.1.0
 * @category models
 */
export interface RunnerOption {
  readonly host: string
  readonly port: number
  readonly listenHost?: string | undefined
}

/**
 * Options of {@link layer}: the sync's (`since`, `dataTypes`, `trailingDays`, `schedule`, …),
 * the database, and for many machines this runner's address.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options extends Sync.Options {
  readonly store: Sql.StoreOption
  /** Many machines (Postgres only): this process is a socket runner at this address. */
  readonly runner?: RunnerOption | undefined
  /** The Google Health client's options (default: `GOOGLE_HEALTH_*` from the environment). */
  readonly google?: GoogleHealthConfig.Options | undefined
  /** The session's options (refresh timing, …). */
  readonly session?: GoogleHealthSession.Options | undefined
  /** The cluster's settings (shard lock intervals, …), for tuning and tests. */
  readonly shardingConfig?: Partial<ShardingConfig.ShardingConfig["Type"]> | undefined
}

/**
 * What {@link layer} provides: the sync, its engine, the session, the token store and the `SqlClient`.
 *
 * @since 0.1.0
 * @category models
 */
export type Services =
  | Sync.Sync
  | SyncEngine.SyncEngine
  | GoogleHealthSession.GoogleHealthSession
  | TokenStore.TokenStore
  | SqlClient.SqlClient
  | Sharding.Sharding

const invalid = (field: string, reason: string) => Layer.fail(new Errors.InvalidInput({ field, reason }))

/** Loads a module of an optional peer, or fails naming the package to install. */
const load = <M>(name: string, range: string, importer: () => Promise<M>): Effect.Effect<M, Errors.InvalidInput> =>
  Effect.tryPromise({
    try: importer,
    catch: (cause) =>
      new Errors.InvalidInput({
        field: "sync",
        reason: `the sync needs ${name} (npm install ${name}@${range}); loading it failed: ${TokenStore.describeCause(cause)}`
      })
  })

/** This process's pid namespace (the inode of `/proc/self/ns/pid`), "" where there is no /proc. */
const pidNamespace = (() => {
  try {
    return Fs.readlinkSync("/proc/self/ns/pid").replace(/\D/g, "")
  } catch {
    return ""
  }
})()

/** When a process started (field 22 of `/proc/<pid>/stat`, clock ticks since boot); `undefined` where unknown. */
const startOf = (pid: number): string | undefined => {
  try {
    const stat = Fs.readFileSync(`/proc/${pid}/stat`, "utf8")
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19]
  } catch {
    return undefined
  }
}

/**
 * A lease holder for one build of the layer: `host:pid-namespace:pid:start-time:random` (two layers
 * in one process are two holders; the namespace and start time tell a dead holder from a live one).
 */
const newHolder = () =>
  `${Os.hostname()}:${pidNamespace}:${process.pid}:${startOf(process.pid) ?? ""}:${Crypto.randomBytes(6).toString("hex")}`

/**
 * Whether a holder is a process known to be gone: on this host and in this pid namespace (else it
 * cannot be seen: its lease is waited out), and its pid runs no more or now belongs to a process
 * started at another time (the pid was reused).
 */
const isGone = (other: string): boolean => {
  const parts = other.split(":")
  if (parts.length < 5) return false
  const [start, pid, namespace] = [parts[parts.length - 2]!, parts[parts.length - 3]!, parts[parts.length - 4]!]
  const host = parts.slice(0, parts.length - 4).join(":")
  if (host !== Os.hostname() || namespace !== pidNamespace || !/^\d+$/.test(pid)) return false
  try {
    process.kill(Number(pid), 0)
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "ESRCH"
  }
  const now = startOf(Number(pid))
  return start !== "" && now !== undefined && now !== start
}

/** The Postgres advisory lock key under which the runners of a fleet build their cluster one at a time. */
const CLUSTER_START_LOCK = 7_364_910_225

/**
 * Builds `layer` while this process holds a Postgres advisory lock (on a connection of its own,
 * given back once built): @effect/cluster's SQL storage creates its tables as it starts and dies on
 * the race of several processes creating them at once on a fresh database, so the runners of a
 * fleet that start together build theirs one after another.
 */
const oneAtATime = <A, E>(layer: Layer.Layer<A, E, SqlClient.SqlClient>): Layer.Layer<A, unknown, SqlClient.SqlClient> =>
  Layer.scopedContext(Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    const lockScope = yield* Scope.make()
    const connection = yield* Scope.extend(sql.reserve, lockScope)
    yield* connection.execute("SELECT pg_advisory_lock($1::bigint)", [CLUSTER_START_LOCK], undefined)
    return yield* Layer.build(layer).pipe(
      Effect.ensuring(connection.execute("SELECT pg_advisory_unlock($1::bigint)", [CLUSTER_START_LOCK], undefined).pipe(
        Effect.ignore,
        Effect.zipRight(Scope.close(lockScope, Exit.void))
      ))
    )
  }))

/**
 * The cluster: one runner in the process, holding the database's sync lease (a second process on
 * the same database fails with `SyncLease.SyncBusy` instead of running every pass again), or a
 * socket runner among many.
 */
const cluster = (options: Options): Layer.Layer<Sharding.Sharding, unknown, SqlClient.SqlClient> =>
  Layer.unwrapEffect(
    options.runner === undefined
      ? Effect.map(load("@effect/cluster", "^0.60.2", () => import("@effect/cluster/SingleRunner")), (SingleRunner) =>
        SingleRunner.layer({ runnerStorage: "sql", ...(options.shardingConfig === undefined ? {} : { shardingConfig: options.shardingConfig }) }).pipe(
          // The lease first; its SyncFence stays in the context, where SyncEngine finds it (serviceOption).
          Layer.provideMerge(Layer.suspend(() => SyncLease.layer({ holder: newHolder(), isGone }))),
          (layer): Layer.Layer<Sharding.Sharding, unknown, SqlClient.SqlClient> => layer
        ))
      : Effect.zipWith(
        load("@effect/platform-node", "^0.108.2", () => import("@effect/platform-node/NodeClusterSocket")),
        load("@effect/cluster", "^0.60.2", () => import("@effect/cluster/RunnerAddress")),
        (NodeClusterSocket, RunnerAddress) => {
          const runner = options.runner!
          return oneAtATime(NodeClusterSocket.layer({
            storage: "sql",
            shardingConfig: {
              ...options.shardingConfig,
              runnerAddress: Option.some(RunnerAddress.make(runner.host, runner.port)),
              runnerListenAddress: Option.some(RunnerAddress.make(runner.listenHost ?? runner.host, runner.port))
            }
          }))
        }
      )
  )

/**
 * The sync over one database, ready to run: `Layer.launch(SyncNode.layer({ store: { sqlite:
 * "./var/app.db" } }))` syncs every user with a Google grant in that database, on the schedule.
 * Fails with `InvalidInput` naming a wrong option or a missing package.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (options: Options): Layer.Layer<Services, unknown> => {
  if (typeof options !== "object" || options === null || typeof options.store !== "object" || options.store === null) {
    return invalid("store", "must be { sqlite: file } or { postgres: url }")
  }
  if (options.runner !== undefined) {
    if (!("postgres" in options.store)) return invalid("runner", "many machines share one Postgres: use store: { postgres: url } with runner")
    const { host, port } = options.runner
    if (typeof host !== "string" || host === "") return invalid("runner.host", "must be the host name or address the other runners reach this one on")
    if (typeof port !== "number" || !Number.isInteger(port) || port < 1 || port > 65_535) return invalid("runner.port", "must be a port from 1 to 65535")
  }
  const database = Sql.sqlClient(options.store)
  const quotas = Layer.effect(
    RateLimitPolicy.RateLimitPolicy,
    Effect.zipRight(SqlTokenStore.migrate, SqlRateLimitPolicy.make({ onExhausted: "wait", maxWait: "2 minutes" }))
  )
  const google = (options.google === undefined ? NodeGoogleHealth.layerConfig() : NodeGoogleHealth.layer(options.google)).pipe(Layer.provide(quotas))
  const session = GoogleHealthSession.layer(options.session).pipe(Layer.provideMerge(Layer.merge(SqlTokenStore.layer, google)))
  const sync = Sync.layer(options).pipe(Layer.provideMerge(Layer.merge(session, cluster(options))))
  return sync.pipe(Layer.provideMerge(database))
}
