/**
 * The lease that lets one process, and only one, sync a database without a runner address: a
 * single runner (`SingleRunner`) claims every shard under the same default address, so two such
 * processes on one database would both run every pass. `hold` claims a row of the lease table
 * (a compare-and-set: free, expired, already ours, or left by a holder that `isGone` says is
 * dead), renews it while the scope lasts and gives it back when the scope closes; a second
 * process fails with `SyncBusy` naming the holder instead of running beside it. `layer` also
 * provides the `SyncFence`: `SyncEngine` checks it in the transaction of every window it writes,
 * so a process that lost its lease (stopped past the lease's time while another took it) writes
 * nothing more.
 *
 * Expiry is judged by each claimer's clock: hosts sharing a Postgres need clocks within the lease's
 * time (30 s) of each other, as any lease does.
 *
 * @since 0.1.0
 */
import type { MigrationError } from "@effect/sql/Migrator"
import * as SqlClient from "@effect/sql/SqlClient"
import type { SqlError } from "@effect/sql/SqlError"
import * as Clock from "effect/Clock"
import * as Context from "effect/Context"
import * as Data from "effect/Data"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Schedule from "effect/Schedule"
import type * as Scope from "effect/Scope"
import * as SyncStore from "./SyncStore.js"

/**
 * Another process holds the database's sync lease.
 *
 * @since 0.1.0
 * @category errors
 */
export class SyncBusy extends Data.TaggedError("SyncBusy")<{
  /** Who holds it (the holder string it claimed with: host and process for `@fitbit-effect/node/sync`). */
  readonly holder: string
  /** When its lease ends unless renewed (epoch milliseconds). */
  readonly expiresAt: number
}> {
  override get message(): string {
    return `another process syncs this database (${this.holder}; its lease runs to ${new Date(this.expiresAt).toISOString()} and is renewed while it runs): one process per database without a runner address; for several processes use Postgres and give each a runner`
  }
}

/**
 * How the lease is held.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  /** Who this process is, unique among the processes that may share the database. */
  readonly holder: string
  /** How long a claim lasts without renewal (default 30 seconds; renewed every third of it). */
  readonly ttl?: Duration.DurationInput | undefined
  /** Whether another holder is known dead (on this host, its process gone): its lease is taken at once. */
  readonly isGone?: ((holder: string) => boolean) | undefined
}

const ID = "single-runner"

/** The lease's row, if any. */
const currentRow = (sql: SqlClient.SqlClient) =>
  Effect.map(
    sql<{ readonly holder: string; readonly expires_at: number | string }>`SELECT holder, expires_at FROM ${sql(SyncStore.LEASE_TABLE)} WHERE id = ${ID}`,
    (rows) => rows[0]
  )

/** One claim: free, expired or ours → ours; a dead holder's → ours; else `SyncBusy`. */
const claim = (holder: string, ttlMillis: number, isGone: (holder: string) => boolean) =>
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    const table = sql(SyncStore.LEASE_TABLE)
    const now = yield* Clock.currentTimeMillis
    const expiresAt = now + ttlMillis
    const renewed = yield* sql`UPDATE ${table} SET holder = ${holder}, expires_at = ${expiresAt}
      WHERE id = ${ID} AND (holder = ${holder} OR expires_at < ${now}) RETURNING holder`
    if (renewed.length > 0) return
    const inserted = yield* sql`INSERT INTO ${table} (id, holder, expires_at) VALUES (${ID}, ${holder}, ${expiresAt})
      ON CONFLICT (id) DO NOTHING RETURNING holder`
    if (inserted.length > 0) return
    const current = yield* currentRow(sql)
    if (current === undefined) return yield* Effect.fail(new SyncBusy({ holder: "(released while claimed)", expiresAt: now }))
    if (isGone(current.holder)) {
      const taken = yield* sql`UPDATE ${table} SET holder = ${holder}, expires_at = ${expiresAt}
        WHERE id = ${ID} AND holder = ${current.holder} RETURNING holder`
      if (taken.length > 0) return
    }
    return yield* Effect.fail(new SyncBusy({ holder: current.holder, expiresAt: Number(current.expires_at) }))
  })

/**
 * Holds the database's sync lease for the scope: claims it (running the sync migrations first),
 * renews it every third of `ttl`, and deletes it when the scope closes. Fails with `SyncBusy` when
 * another live process holds it. A renewal that finds the lease taken (this process stalled past
 * `ttl`) claims it again when it can and logs an error when it cannot.
 *
 * @since 0.1.0
 * @category constructors
 */
export const hold = (options: Options): Effect.Effect<void, SyncBusy | SqlError | MigrationError, SqlClient.SqlClient | Scope.Scope> =>
  Effect.gen(function*() {
    const ttlMillis = Duration.toMillis(Duration.decode(options.ttl ?? "30 seconds"))
    const isGone = options.isGone ?? (() => false)
    yield* SyncStore.migrate
    // A claim that lost a race with another claim (both saw the row free) is tried again.
    yield* claim(options.holder, ttlMillis, isGone).pipe(
      Effect.retry({ times: 2, while: (error) => error._tag === "SyncBusy" && error.holder === "(released while claimed)" })
    )
    const sql = yield* SqlClient.SqlClient
    yield* Effect.addFinalizer(() =>
      sql`DELETE FROM ${sql(SyncStore.LEASE_TABLE)} WHERE id = ${ID} AND holder = ${options.holder}`.pipe(Effect.ignore)
    )
    yield* claim(options.holder, ttlMillis, isGone).pipe(
      Effect.catchAll((error) => Effect.logError(`fitbit-effect sync: the lease was lost and cannot be claimed again: ${error.message}`)),
      Effect.repeat(Schedule.spaced(Duration.millis(Math.max(1, Math.floor(ttlMillis / 3))))),
      Effect.delay(Duration.millis(Math.max(1, Math.floor(ttlMillis / 3)))),
      Effect.forkScoped
    )
  })

/**
 * The holder a process's writes are fenced by: present when a `SyncLease.layer` holds the database's
 * lease, absent otherwise (socket runners, whose shard locks do the same).
 *
 * @since 0.1.0
 * @category models
 */
export class SyncFence extends Context.Tag("@fitbit-effect/core/SyncLease/SyncFence")<SyncFence, { readonly holder: string }>() {}

/**
 * Fails with `SyncBusy` unless `holder` holds the lease now; run inside the transaction of a write,
 * it keeps a process that lost its lease from writing.
 *
 * @since 0.1.0
 * @category constructors
 */
export const check = (holder: string): Effect.Effect<void, SyncBusy | SqlError, SqlClient.SqlClient> =>
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    const current = yield* currentRow(sql)
    if (current?.holder !== holder) {
      return yield* Effect.fail(new SyncBusy({ holder: current?.holder ?? "(nobody: the lease was given back)", expiresAt: Number(current?.expires_at ?? 0) }))
    }
  })

/**
 * The lease held for the layer's life (`hold`), and the `SyncFence` naming this holder.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (options: Options): Layer.Layer<SyncFence, SyncBusy | SqlError | MigrationError, SqlClient.SqlClient> =>
  Layer.scoped(SyncFence, Effect.as(hold(options), { holder: options.holder }))

