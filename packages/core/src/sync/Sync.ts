/**
 * Every user's Google Health data in the application's own database, backfilled and kept
 * current, on one machine or many: the same program either way. Each user is an entity of
 * `@effect/cluster` (`SyncUser`) whose persisted messages are a pass over the user's types and
 * the re-reads notifications ask for; the cluster puts each user on one runner, runs one message
 * of a user at a time, hands a dead runner's users to the others and re-delivers what it had not
 * finished; `ClusterCron` schedules the passes. On one machine `SingleRunner` runs it all in the
 * process (SQLite or Postgres); across machines socket runners over one Postgres do
 * (`@fitbit-effect/node/sync` has both). The work itself is `SyncEngine`'s; the tables are
 * `SyncStore`'s.
 *
 * @since 0.1.0
 */
import * as ClusterCron from "@effect/cluster/ClusterCron"
import * as ClusterSchema from "@effect/cluster/ClusterSchema"
import * as Entity from "@effect/cluster/Entity"
import type * as Sharding from "@effect/cluster/Sharding"
import * as Rpc from "@effect/rpc/Rpc"
import * as SqlClient from "@effect/sql/SqlClient"
import * as Context from "effect/Context"
import * as Cron from "effect/Cron"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Exit from "effect/Exit"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as PrimaryKey from "effect/PrimaryKey"
import type * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import * as Stream from "effect/Stream"
import * as Errors from "../Errors.js"
import type * as GoogleHealthConfig from "../google/GoogleHealthConfig.js"
import type * as GoogleHealthSession from "../google/GoogleHealthSession.js"
import * as GoogleDataTypes from "../google/GoogleDataTypes.js"
import type * as GoogleHealthHttp from "../google/GoogleHealthHttp.js"
import type * as GoogleHealthWebhook from "../google/GoogleHealthWebhook.js"
import type * as GoogleOperation from "../google/GoogleOperation.js"
import * as GoogleSubscribers from "../google/resources/GoogleSubscribers.js"
import { addDays } from "../internal/civilTime.js"
import * as SyncEngine from "./SyncEngine.js"
import * as SyncPlan from "./SyncPlan.js"
import * as SyncStore from "./SyncStore.js"

const UserResult = Schema.Struct({
  user: Schema.String,
  requests: Schema.Number,
  points: Schema.Number,
  deleted: Schema.Number,
  parked: Schema.optional(Schema.String),
  notGranted: Schema.optional(Schema.Array(Schema.String)),
  failedTypes: Schema.Array(Schema.Struct({ dataType: Schema.String, reason: Schema.String }))
})

/**
 * A pass over one user's types (its id makes a repeated send one pass).
 *
 * @since 0.1.0
 * @category models
 */
export class PassRequest extends Schema.Class<PassRequest>("fitbit-effect/SyncPass")({ user: Schema.String, pass: Schema.String }) {
  [PrimaryKey.symbol]() {
    return `pass/${this.pass}`
  }
}

/**
 * Re-reads of one user's type (a notification's windows).
 *
 * @since 0.1.0
 * @category models
 */
export class RereadRequest extends Schema.Class<RereadRequest>("fitbit-effect/SyncReread")({
  id: Schema.String,
  user: Schema.String,
  dataType: Schema.String,
  windows: Schema.Array(Schema.Struct({ start: Schema.String, end: Schema.String }))
}) {
  [PrimaryKey.symbol]() {
    return `reread/${this.id}`
  }
}

/**
 * The cluster entity of one synced user (entity id: the user's key); its messages are persisted
 * in the cluster's SQL storage, so a pass a killed runner had not finished runs again elsewhere.
 *
 * @since 0.1.0
 * @category services
 */
export const SyncUser = Entity.make("fitbit-effect/SyncUser", [
  Rpc.make("Pass", { payload: PassRequest, success: UserResult, error: SyncEngine.SyncError }),
  Rpc.make("Reread", { payload: RereadRequest, success: UserResult, error: SyncEngine.SyncError })
]).annotateRpcs(ClusterSchema.Persisted, true)

/**
 * The sync's own options, beside the engine's (`SyncEngine.Options`).
 *
 * @since 0.1.0
 * @category models
 */
export interface Options extends SyncEngine.Options {
  /**
   * When passes run, as a cron expression (`"*\/15 * * * *"`, the default: every 15 minutes;
   * seconds allowed as a sixth field first), or `false` for none (call `runPass` yourself).
   */
  readonly schedule?: string | false | undefined
}

/**
 * One user's state for one data type: the days synced, how far behind, the totals, the last error.
 *
 * @since 0.1.0
 * @category models
 */
export interface TypeStatus {
  readonly dataType: string
  /** `[start, end)`: the civil days synced; `null` before the first window. */
  readonly synced: { readonly start: string; readonly end: string } | null
  /** Milliseconds since this type was last read. */
  readonly lagMillis: number | null
  readonly points: number
  readonly requests: number
  readonly lastError: string | null
}

/**
 * One user's status.
 *
 * @since 0.1.0
 * @category models
 */
export interface UserStatus {
  readonly user: string
  readonly status: "active" | "reauthorization_required" | "pending"
  readonly reason: string | null
  readonly types: ReadonlyArray<TypeStatus>
}

/**
 * The sync.
 *
 * @since 0.1.0
 * @category models
 */
export interface SyncShape {
  /** Runs a pass for every user now, on whichever runners hold them, and waits for every one. */
  readonly runPass: Effect.Effect<ReadonlyArray<SyncEngine.UserResult>, SyncEngine.SyncError>
  /**
   * Queues a pass for every user without waiting (persisted: the runner holding each user runs
   * it, a dead runner's are run by the others) and answers how many were queued. A pass is named
   * by the passes the user has finished, so queuing again before it ran queues nothing more.
   */
  readonly queuePass: Effect.Effect<number, SyncEngine.SyncError>
  /** Runs a pass for one user now and waits for it. */
  readonly syncUser: (user: string) => Effect.Effect<SyncEngine.UserResult, SyncEngine.SyncError>
  /**
   * Queues the re-reads notifications ask for (only the users, types and days they name) and
   * answers how many were queued, without waiting for them: call it from a webhook handler.
   */
  readonly notify: (
    notifications: ReadonlyArray<GoogleHealthWebhook.Notification>
  ) => Effect.Effect<number, SyncEngine.SyncError>
  /** The same, waiting for the re-reads to finish. */
  readonly notifyAndWait: (
    notifications: ReadonlyArray<GoogleHealthWebhook.Notification>
  ) => Effect.Effect<ReadonlyArray<SyncEngine.UserResult>, SyncEngine.SyncError>
  /** Every user's status, or one user's. */
  readonly status: (user?: string) => Effect.Effect<ReadonlyArray<UserStatus>, SyncEngine.SyncError>
  /** What this process does, as it happens. */
  readonly events: Stream.Stream<SyncEngine.Event>
}

/**
 * The sync service.
 *
 * @since 0.1.0
 * @category services
 */
export class Sync extends Context.Tag("@fitbit-effect/core/Sync")<Sync, SyncShape>() {}

const sqlFailure = SyncEngine.databaseFailure()
const clusterFailure = (user: string) => (error: unknown) =>
  error instanceof SyncEngine.SyncError
    ? error
    : new SyncEngine.SyncError({ user, reason: `cluster: ${String((error as { message?: unknown })?.message ?? (error as { _tag?: unknown })?._tag ?? error)}` })

const uniqueId = (now: number) => `${now.toString(36)}-${Math.random().toString(36).slice(2, 10)}`

/**
 * Makes the sync over the engine and the cluster in context.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make: Effect.Effect<SyncShape, never, SyncEngine.SyncEngine | Sharding.Sharding | SqlClient.SqlClient> = Effect.gen(function*() {
  const engine = yield* SyncEngine.SyncEngine
  const client = yield* SyncUser.client
  const sql = yield* SqlClient.SqlClient
  const now = Effect.clockWith((clock) => clock.currentTimeMillis)

  /**
   * A pass named by the passes the user has finished: a pass a killed process left queued under
   * that name is the one that runs (once). A name whose pass ended without a result (interrupted
   * when its process stopped, or failed) keeps answering that end: the pass is sent once more under
   * a fresh name.
   */
  const syncUser = (user: string) =>
    Effect.gen(function*() {
      const known = yield* Effect.mapError(Effect.provideService(SyncStore.userStatus(user), SqlClient.SqlClient, sql), sqlFailure)
      const named = `${user}/${Option.match(known, { onNone: () => 0, onSome: (u) => u.passes }) + 1}`
      const first = yield* Effect.exit(client(user).Pass(new PassRequest({ user, pass: named })))
      if (Exit.isSuccess(first)) return first.value
      const at = yield* now
      return yield* client(user).Pass(new PassRequest({ user, pass: `${named}/${uniqueId(at)}` })).pipe(Effect.mapError(clusterFailure(user)))
    })

  const runPass = Effect.flatMap(engine.users, (users) => Effect.forEach(users, (u) => syncUser(u.user), { concurrency: "unbounded" }))

  const queuePass = Effect.flatMap(engine.users, (users) =>
    Effect.as(
      Effect.forEach(users, ({ passes, user }) =>
        client(user).Pass(new PassRequest({ user, pass: `${user}/${passes + 1}` }), { discard: true }).pipe(Effect.mapError(clusterFailure(user))), { discard: true }),
      users.length
    ))

  const rereads = (notifications: ReadonlyArray<GoogleHealthWebhook.Notification>) =>
    Effect.flatMap(engine.rereadsOf(notifications), (work) =>
      Effect.map(now, (at) => work.map((w) => new RereadRequest({ id: uniqueId(at), user: w.user, dataType: w.dataType, windows: w.windows }))))

  const status = (user?: string) => Effect.provideService(statusOf(user), SqlClient.SqlClient, sql)

  return {
    runPass,
    queuePass,
    syncUser,
    notify: (notifications) =>
      Effect.flatMap(rereads(notifications), (requests) =>
        Effect.as(
          Effect.forEach(requests, (r) => client(r.user).Reread(r, { discard: true }).pipe(Effect.mapError(clusterFailure(r.user))), { discard: true }),
          requests.length
        )),
    notifyAndWait: (notifications) =>
      Effect.flatMap(rereads(notifications), (requests) =>
        Effect.forEach(requests, (r) => client(r.user).Reread(r).pipe(Effect.mapError(clusterFailure(r.user))), { concurrency: "unbounded" })),
    status,
    events: engine.events
  } satisfies SyncShape
})

/** The entity's handlers: the engine's work, one message of a user at a time. */
const handlers = SyncUser.toLayer(Effect.gen(function*() {
  const engine = yield* SyncEngine.SyncEngine
  return {
    Pass: ({ payload }) => engine.syncUser(payload.user),
    Reread: ({ payload }) => engine.reread(payload)
  }
}))

/** The cron that queues a pass for every user. */
const cron = (expression: string) =>
  Layer.unwrapEffect(Effect.gen(function*() {
    const parsed = Cron.parse(expression)
    if (Either.isLeft(parsed)) {
      return yield* Effect.fail(new Errors.InvalidInput({ field: "schedule", reason: `not a cron expression: ${parsed.left.message}` }))
    }
    return ClusterCron.make({
      name: "fitbit-effect/SyncPass",
      cron: parsed.right,
      execute: Effect.flatMap(Sync, (sync) => sync.queuePass).pipe(Effect.catchAllCause(Effect.logWarning))
    })
  }))

/**
 * The sync as a layer: the engine, the `SyncUser` entity's handlers on this runner, the cron
 * (unless `schedule: false`) and the `Sync` service. Provide a cluster (`SingleRunner.layer` on
 * one machine, socket runners across machines), the `SqlClient` (the same database as the
 * cluster's storage and the token store), and a `GoogleHealthSession`.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (
  options: Options = {}
): Layer.Layer<
  Sync | SyncEngine.SyncEngine,
  Errors.InvalidInput | import("@effect/sql/Migrator").MigrationError | import("@effect/sql/SqlError").SqlError,
  GoogleHealthSession.GoogleHealthSession | GoogleHealthConfig.GoogleHealthConfig | SqlClient.SqlClient | Sharding.Sharding
> => {
  const schedule = options.schedule ?? "*/15 * * * *"
  const engine = Layer.effect(SyncEngine.SyncEngine, Effect.zipRight(SyncStore.migrate, SyncEngine.make(options)))
  const sync = Layer.effect(Sync, make).pipe(Layer.provideMerge(engine))
  const workers = Layer.mergeAll(handlers, schedule === false ? Layer.empty : cron(schedule))
  return Layer.provideMerge(workers, sync)
}

/**
 * A user's stored points of one type on the civil days `[start, end)`, decoded to the data
 * type's schema (a point stored by an older version that no longer decodes is an `Unknown` one),
 * streamed from the database in batches.
 *
 * @since 0.1.0
 * @category reading
 */
export const query = <K extends GoogleDataTypes.KnownDataType>(options: {
  readonly user: string
  readonly dataType: K
  readonly range: { readonly start: string; readonly end: string }
}): Stream.Stream<GoogleDataTypes.DataPoint, Errors.InvalidInput | SyncEngine.SyncError, SqlClient.SqlClient> => {
  const range = options?.range
  if (typeof options?.user !== "string" || options.user === "") {
    return Stream.fail(new Errors.InvalidInput({ field: "user", reason: "must be the user's key" }))
  }
  if (!GoogleDataTypes.isKnownDataType(options.dataType)) {
    return Stream.fail(new Errors.InvalidInput({ field: "dataType", reason: `${String(options.dataType)} is not a Google Health data type` }))
  }
  if (!isDate(range?.start) || !isDate(range?.end) || range.end < range.start) {
    return Stream.fail(new Errors.InvalidInput({ field: "range", reason: "must be { start, end }: YYYY-MM-DD dates, end excluded, not before start" }))
  }
  return SyncStore.points({ user: options.user, dataType: options.dataType, start: range.start, end: range.end }).pipe(
    Stream.mapError(sqlFailure),
    Stream.map((row) => {
      const decoded = GoogleDataTypes.decodeDataPointEither(JSON.parse(row.json))
      return Either.isRight(decoded) ? decoded.right : { _tag: "Unknown" as const, dataType: row.dataType, raw: JSON.parse(row.json) as unknown }
    })
  )
}

/**
 * A user's daily summaries (steps, minutes asleep, resting heart rate) on the civil days
 * `[start, end)`, from the `fitbit_effect_daily_summary` view.
 *
 * @since 0.1.0
 * @category reading
 */
export const dailySummary = (options: {
  readonly user: string
  readonly range: { readonly start: string; readonly end: string }
}): Effect.Effect<ReadonlyArray<SyncStore.DailySummary>, Errors.InvalidInput | SyncEngine.SyncError, SqlClient.SqlClient> =>
  !isDate(options?.range?.start) || !isDate(options.range.end)
    ? Effect.fail(new Errors.InvalidInput({ field: "range", reason: "must be { start, end }: YYYY-MM-DD dates, end excluded" }))
    : Effect.mapError(SyncStore.dailySummary({ user: options.user, start: options.range.start, end: options.range.end }), sqlFailure)

/**
 * Creates the subscriber a sync's notifications come to, in one call: Google posts a
 * notification to `endpointUri` (with `secret` as its `Authorization`) whenever a user who
 * consented to one of `dataTypes` (default: every type a sync reads) has new or deleted data
 * (`AUTOMATIC`: every such user is subscribed). Hand the deliveries to {@link notify}.
 * `credential` is a Cloud credential of the project (`cloud-platform` scope).
 *
 * @since 0.1.0
 * @category subscriptions
 */
export const subscribe = (
  credential: string | Redacted.Redacted<string>,
  projectId: string,
  options: {
    readonly endpointUri: string
    readonly secret: string | Redacted.Redacted<string>
    readonly dataTypes?: ReadonlyArray<string> | undefined
    readonly subscriberId?: string | undefined
  }
): Effect.Effect<GoogleOperation.Operation, Errors.RequestFailure, GoogleHealthHttp.GoogleHealthHttp> =>
  GoogleSubscribers.create(credential, projectId, {
    endpointUri: options.endpointUri,
    secret: options.secret,
    subscriberConfigs: [{ dataTypes: [...(options.dataTypes ?? SyncPlan.readableTypes())], subscriptionCreatePolicy: "AUTOMATIC" }]
  }, { subscriberId: options.subscriberId })

/**
 * Queues the re-reads a delivery's notifications ask for (see `SyncShape.notify`): the body of
 * a webhook handler's `onNotifications`.
 *
 * @since 0.1.0
 * @category subscriptions
 */
export const notify = (notifications: ReadonlyArray<GoogleHealthWebhook.Notification>): Effect.Effect<number, SyncEngine.SyncError, Sync> =>
  Effect.flatMap(Sync, (sync) => sync.notify(notifications))

/**
 * Runs a pass for every user now and waits for it (see `SyncShape.runPass`).
 *
 * @since 0.1.0
 * @category handlers
 */
export const runPass: Effect.Effect<ReadonlyArray<SyncEngine.UserResult>, SyncEngine.SyncError, Sync> = Effect.flatMap(Sync, (sync) => sync.runPass)

/**
 * Every synced user's status, or one user's: active or parked, and per data type the days synced,
 * the time since its last read, the totals and the last error. Reads the database only (no sync
 * need run in this process).
 *
 * @since 0.1.0
 * @category reading
 */
export const status = (user?: string): Effect.Effect<ReadonlyArray<UserStatus>, SyncEngine.SyncError, SqlClient.SqlClient> => statusOf(user)

const statusOf = (user?: string) =>
  Effect.gen(function*() {
    const at = yield* Effect.clockWith((clock) => clock.currentTimeMillis)
    const users = yield* SyncStore.users
    const cursors = yield* SyncStore.cursors(user)
    const keys = user === undefined ? [...new Set([...users.map((u) => u.user), ...cursors.map((c) => c.user)])].sort() : [user]
    return keys.map((key): UserStatus => {
      const known = users.find((u) => u.user === key)
      return {
        user: key,
        status: known?.status ?? "pending",
        reason: known?.reason ?? null,
        types: cursors.filter((c) => c.user === key).map((c) => ({
          dataType: c.dataType,
          synced: c.low === null || c.high === null ? null : { start: c.low, end: c.high },
          lagMillis: c.lastPassAt === null ? null : Math.max(0, at - c.lastPassAt),
          points: c.points,
          requests: c.requests,
          lastError: c.lastError
        }))
      }
    })
  }).pipe(Effect.mapError(sqlFailure))

const isDate = (value: unknown): value is string =>
  typeof value === "string" && /^\d{4}-\d{2}-\d{2}$/.test(value) && addDays(value, 0) === value

/**
 * The data types a sync reads on a channel (every type Google lists on it).
 *
 * @since 0.1.0
 * @category models
 */
export const readableTypes = SyncPlan.readableTypes

/**
 * Whether a status is parked (the user must consent again).
 *
 * @since 0.1.0
 * @category predicates
 */
export const isParked = (status: UserStatus): boolean => status.status === "reauthorization_required"
