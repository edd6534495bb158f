/**
 * Where `Sync` keeps users' data: the points, one cursor per user and data type, each user's
 * status, and a daily-summary view, in the application's own database through `@effect/sql`
 * (SQLite and Postgres: the statements are the dialect-neutral subset both speak). The
 * migrations ship here and run with `@effect/sql`'s `Migrator` (`migrate`), recorded in their
 * own table. A window is replaced in one transaction with its cursor (`replaceWindow`): the
 * points read are upserted by key, the window's other points deleted, the cursor moved; a
 * crash leaves the window as it was before or as it is after, never between.
 *
 * @since 0.1.0
 */
import * as Migrator from "@effect/sql/Migrator"
import * as SqlClient from "@effect/sql/SqlClient"
import type { SqlError } from "@effect/sql/SqlError"
import * as Chunk from "effect/Chunk"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Schedule from "effect/Schedule"
import * as Stream from "effect/Stream"

/**
 * The points table.
 *
 * @since 0.1.0
 * @category schemas
 */
export const POINTS_TABLE = "fitbit_effect_points"

/**
 * The cursors table: one row per user and data type.
 *
 * @since 0.1.0
 * @category schemas
 */
export const CURSORS_TABLE = "fitbit_effect_sync_cursors"

/**
 * The users table: each synced user's status (active, or parked until a new consent).
 *
 * @since 0.1.0
 * @category schemas
 */
export const USERS_TABLE = "fitbit_effect_sync_users"

/**
 * The lease table: the one process that syncs a database without a runner address (`SyncLease`).
 *
 * @since 0.1.0
 * @category schemas
 */
export const LEASE_TABLE = "fitbit_effect_sync_lease"

/**
 * The daily-summary view: steps, sleep minutes and resting heart rate per user and day.
 *
 * @since 0.1.0
 * @category schemas
 */
export const DAILY_SUMMARY_VIEW = "fitbit_effect_daily_summary"

/**
 * The table `Migrator` records the sync migrations in (apart from the token store's).
 *
 * @since 0.1.0
 * @category schemas
 */
export const MIGRATIONS_TABLE = "fitbit_effect_sync_migrations"

const exec = (statement: string) => Effect.flatMap(SqlClient.SqlClient, (sql) => Effect.asVoid(sql.unsafe(statement)))

/**
 * The migrations, by `{id}_{name}`, for `Migrator.fromRecord`.
 *
 * @since 0.1.0
 * @category schemas
 */
export const migrations: Record<string, Effect.Effect<void, unknown, SqlClient.SqlClient>> = {
  "1_create_points": Effect.zipRight(
    exec(`CREATE TABLE IF NOT EXISTS ${POINTS_TABLE} (
      user_key TEXT NOT NULL,
      data_type TEXT NOT NULL,
      point_key TEXT NOT NULL,
      day TEXT NOT NULL,
      start_time TEXT,
      end_time TEXT,
      source TEXT,
      amount DOUBLE PRECISION,
      value_json TEXT NOT NULL,
      stamp TEXT NOT NULL,
      PRIMARY KEY (user_key, data_type, point_key)
    )`),
    exec(`CREATE INDEX IF NOT EXISTS ${POINTS_TABLE}_day ON ${POINTS_TABLE} (user_key, data_type, day)`)
  ),
  "2_create_cursors": exec(`CREATE TABLE IF NOT EXISTS ${CURSORS_TABLE} (
      user_key TEXT NOT NULL,
      data_type TEXT NOT NULL,
      low TEXT,
      high TEXT,
      density DOUBLE PRECISION,
      points BIGINT NOT NULL,
      requests BIGINT NOT NULL,
      last_pass_at BIGINT,
      reconciled_at BIGINT,
      last_error TEXT,
      updated_at BIGINT NOT NULL,
      PRIMARY KEY (user_key, data_type)
    )`),
  "3_create_users": exec(`CREATE TABLE IF NOT EXISTS ${USERS_TABLE} (
      user_key TEXT PRIMARY KEY,
      health_user_id TEXT,
      status TEXT NOT NULL,
      reason TEXT,
      passes BIGINT NOT NULL DEFAULT 0,
      updated_at BIGINT NOT NULL
    )`),
  "4_create_daily_summary": Effect.zipRight(
    exec(`CREATE INDEX IF NOT EXISTS ${USERS_TABLE}_health ON ${USERS_TABLE} (health_user_id)`),
    exec(`CREATE VIEW ${DAILY_SUMMARY_VIEW} AS
      SELECT user_key, day,
        SUM(CASE WHEN data_type = 'steps' THEN amount END) AS steps,
        SUM(CASE WHEN data_type = 'sleep' THEN amount END) AS sleep_minutes,
        MAX(CASE WHEN data_type = 'daily-resting-heart-rate' THEN amount END) AS resting_heart_rate
      FROM ${POINTS_TABLE}
      WHERE data_type IN ('steps', 'sleep', 'daily-resting-heart-rate')
      GROUP BY user_key, day`)
  ),
  "5_create_lease": exec(`CREATE TABLE IF NOT EXISTS ${LEASE_TABLE} (
      id TEXT PRIMARY KEY,
      holder TEXT NOT NULL,
      expires_at BIGINT NOT NULL
    )`)
}

/**
 * Runs the migrations (idempotent; processes that start together retry until one has run them).
 *
 * @since 0.1.0
 * @category schemas
 */
export const migrate: Effect.Effect<void, Migrator.MigrationError | SqlError, SqlClient.SqlClient> = Migrator.make({})({
  loader: Migrator.fromRecord(migrations),
  table: MIGRATIONS_TABLE
}).pipe(Effect.retry(Schedule.intersect(Schedule.recurs(20), Schedule.spaced(Duration.millis(50)))), Effect.asVoid)

/**
 * One point as stored: its key (the resource `name`, or for the types Google gives no name, its
 * time and source), the civil day its type's filter files it under, its times, source, headline
 * number (`amount`: steps, minutes asleep, beats per minute, grams, …) and JSON.
 *
 * @since 0.1.0
 * @category models
 */
export interface StoredPoint {
  readonly key: string
  readonly day: string
  readonly startTime: string | null
  readonly endTime: string | null
  readonly source: string | null
  readonly amount: number | null
  readonly json: string
}

/**
 * A user and data type's cursor: `[low, high)` is the range of civil days synced (the database
 * holds exactly what Google answered for them at their last read), `density` the points per
 * day seen (it sizes the next windows), the totals so far, and the last error.
 *
 * @since 0.1.0
 * @category models
 */
export interface Cursor {
  readonly user: string
  readonly dataType: string
  readonly low: string | null
  readonly high: string | null
  readonly density: number | null
  readonly points: number
  readonly requests: number
  readonly lastPassAt: number | null
  readonly reconciledAt: number | null
  readonly lastError: string | null
  readonly updatedAt: number
}

/**
 * A synced user's status: `active`, or `reauthorization_required` (parked at `updatedAt`:
 * skipped until the user consents again, which writes the grant anew).
 *
 * @since 0.1.0
 * @category models
 */
export interface UserStatus {
  readonly user: string
  readonly healthUserId: string | null
  readonly status: "active" | "reauthorization_required"
  readonly reason: string | null
  /** Passes finished (the scheduler names the next pass by it, so a pass still queued is not queued twice). */
  readonly passes: number
  readonly updatedAt: number
}

/**
 * What a window's replacement wrote.
 *
 * @since 0.1.0
 * @category models
 */
export interface Replaced {
  readonly upserted: number
  readonly deleted: number
}

type CursorRow = {
  readonly user_key: string
  readonly data_type: string
  readonly low: string | null
  readonly high: string | null
  readonly density: number | string | null
  readonly points: number | string
  readonly requests: number | string
  readonly last_pass_at: number | string | null
  readonly reconciled_at: number | string | null
  readonly last_error: string | null
  readonly updated_at: number | string
}

const num = (value: number | string | null): number | null => value === null ? null : Number(value)

const toCursor = (row: CursorRow): Cursor => ({
  user: row.user_key,
  dataType: row.data_type,
  low: row.low,
  high: row.high,
  density: num(row.density),
  points: Number(row.points),
  requests: Number(row.requests),
  lastPassAt: num(row.last_pass_at),
  reconciledAt: num(row.reconciled_at),
  lastError: row.last_error,
  updatedAt: Number(row.updated_at)
})

type UserRow = {
  readonly user_key: string
  readonly health_user_id: string | null
  readonly status: string
  readonly reason: string | null
  readonly passes: number | string
  readonly updated_at: number | string
}

const toUser = (row: UserRow): UserStatus => ({
  user: row.user_key,
  healthUserId: row.health_user_id,
  status: row.status === "reauthorization_required" ? "reauthorization_required" : "active",
  reason: row.reason,
  passes: Number(row.passes),
  updatedAt: Number(row.updated_at)
})

/** Rows per INSERT: 10 columns × 500 rows stays under every driver's parameter limit. */
const BATCH = 500

/**
 * The window a replacement covers: the civil days `[start, end)` (`end` `null`: every day from
 * `start` on, for types filtered by a lower bound only; both `""`: a catalogue type's whole set).
 *
 * @since 0.1.0
 * @category models
 */
export interface Window {
  readonly start: string
  readonly end: string | null
}

/**
 * The cursor's next value after a window: `[low, high)` grown by it, and the sizing and totals.
 *
 * @since 0.1.0
 * @category models
 */
export interface CursorUpdate {
  readonly low: string | null
  readonly high: string | null
  readonly density: number | null
  readonly requests: number
  readonly now: number
  readonly reconciled?: boolean | undefined
}

/**
 * Reads a user and type's cursor.
 *
 * @since 0.1.0
 * @category reading
 */
export const cursor = (user: string, dataType: string): Effect.Effect<Option.Option<Cursor>, SqlError, SqlClient.SqlClient> =>
  Effect.flatMap(SqlClient.SqlClient, (sql) =>
    Effect.map(
      sql<CursorRow>`SELECT * FROM ${sql(CURSORS_TABLE)} WHERE user_key = ${user} AND data_type = ${dataType}`,
      (rows) => rows.length === 0 ? Option.none() : Option.some(toCursor(rows[0]!))
    ))

/**
 * Every cursor, or one user's.
 *
 * @since 0.1.0
 * @category reading
 */
export const cursors = (user?: string): Effect.Effect<ReadonlyArray<Cursor>, SqlError, SqlClient.SqlClient> =>
  Effect.flatMap(SqlClient.SqlClient, (sql) =>
    Effect.map(
      user === undefined
        ? sql<CursorRow>`SELECT * FROM ${sql(CURSORS_TABLE)} ORDER BY user_key, data_type`
        : sql<CursorRow>`SELECT * FROM ${sql(CURSORS_TABLE)} WHERE user_key = ${user} ORDER BY data_type`,
      (rows) => rows.map(toCursor)
    ))

const writeCursor = (sql: SqlClient.SqlClient, user: string, dataType: string, next: CursorUpdate, points: number, error: string | null) =>
  sql`INSERT INTO ${sql(CURSORS_TABLE)} (user_key, data_type, low, high, density, points, requests, last_pass_at, reconciled_at, last_error, updated_at)
    VALUES (${user}, ${dataType}, ${next.low}, ${next.high}, ${next.density}, ${points}, ${next.requests}, ${next.now}, ${next.reconciled === true ? next.now : null}, ${error}, ${next.now})
    ON CONFLICT (user_key, data_type) DO UPDATE SET low = ${next.low}, high = ${next.high}, density = ${next.density},
      points = ${sql(CURSORS_TABLE)}.points + ${points}, requests = ${sql(CURSORS_TABLE)}.requests + ${next.requests},
      last_pass_at = ${next.now}, last_error = ${error}, updated_at = ${next.now},
      reconciled_at = CASE WHEN ${next.reconciled === true ? 1 : 0} = 1 THEN ${next.now} ELSE ${sql(CURSORS_TABLE)}.reconciled_at END`

/**
 * Replaces one window of a user's points of one type, in one transaction: upserts `points` by
 * key (stamped with this replacement), deletes the window's points that were not among them, and
 * writes the cursor. `points` must be every point Google answered for the window.
 *
 * @since 0.1.0
 * @category writing
 */
export const replaceWindow = (
  user: string,
  dataType: string,
  window: Window,
  points: ReadonlyArray<StoredPoint>,
  next: CursorUpdate
): Effect.Effect<Replaced, SqlError, SqlClient.SqlClient> =>
  Effect.flatMap(SqlClient.SqlClient, (sql) => {
    const table = sql(POINTS_TABLE)
    const stamp = `${next.now.toString(36)}-${Math.random().toString(36).slice(2)}`
    const upserts = Effect.forEach(chunks(points, BATCH), (chunk) =>
      sql`INSERT INTO ${table} ${
        sql.insert(chunk.map((p) => ({
          user_key: user,
          data_type: dataType,
          point_key: p.key,
          day: p.day,
          start_time: p.startTime,
          end_time: p.endTime,
          source: p.source,
          amount: p.amount,
          value_json: p.json,
          stamp
        })))
      } ON CONFLICT (user_key, data_type, point_key) DO UPDATE SET day = excluded.day, start_time = excluded.start_time,
        end_time = excluded.end_time, source = excluded.source, amount = excluded.amount, value_json = excluded.value_json,
        stamp = excluded.stamp`, { discard: true })
    const sweep = window.end === null
      ? sql<{ point_key: string }>`DELETE FROM ${table} WHERE user_key = ${user} AND data_type = ${dataType} AND day >= ${window.start} AND stamp <> ${stamp} RETURNING point_key`
      : sql<{ point_key: string }>`DELETE FROM ${table} WHERE user_key = ${user} AND data_type = ${dataType} AND day >= ${window.start} AND day < ${window.end} AND stamp <> ${stamp} RETURNING point_key`
    return sql.withTransaction(
      Effect.gen(function*() {
        yield* upserts
        const deleted = yield* sweep
        yield* writeCursor(sql, user, dataType, next, points.length - deleted.length, null)
        return { upserted: points.length, deleted: deleted.length }
      })
    )
  })

/**
 * Records an error on a cursor (the range synced stays as it was).
 *
 * @since 0.1.0
 * @category writing
 */
export const recordError = (
  user: string,
  dataType: string,
  error: string,
  now: number
): Effect.Effect<void, SqlError, SqlClient.SqlClient> =>
  Effect.flatMap(SqlClient.SqlClient, (sql) =>
    sql`INSERT INTO ${sql(CURSORS_TABLE)} (user_key, data_type, points, requests, last_error, updated_at)
      VALUES (${user}, ${dataType}, 0, 0, ${error}, ${now})
      ON CONFLICT (user_key, data_type) DO UPDATE SET last_error = ${error}, updated_at = ${now}`.pipe(Effect.asVoid))

/**
 * A synced user's status, if the user was seen.
 *
 * @since 0.1.0
 * @category reading
 */
export const userStatus = (user: string): Effect.Effect<Option.Option<UserStatus>, SqlError, SqlClient.SqlClient> =>
  Effect.flatMap(SqlClient.SqlClient, (sql) =>
    Effect.map(
      sql<UserRow>`SELECT * FROM ${sql(USERS_TABLE)} WHERE user_key = ${user}`,
      (rows) => rows.length === 0 ? Option.none() : Option.some(toUser(rows[0]!))
    ))

/**
 * Every synced user's status.
 *
 * @since 0.1.0
 * @category reading
 */
export const users: Effect.Effect<ReadonlyArray<UserStatus>, SqlError, SqlClient.SqlClient> = Effect.flatMap(
  SqlClient.SqlClient,
  (sql) => Effect.map(sql<UserRow>`SELECT * FROM ${sql(USERS_TABLE)} ORDER BY user_key`, (rows) => rows.map(toUser))
)

/**
 * The user key of a health user id (the key its grant is stored under, which may differ).
 *
 * @since 0.1.0
 * @category reading
 */
export const userOfHealthId = (healthUserId: string): Effect.Effect<Option.Option<string>, SqlError, SqlClient.SqlClient> =>
  Effect.flatMap(SqlClient.SqlClient, (sql) =>
    Effect.map(
      sql<{ user_key: string }>`SELECT user_key FROM ${sql(USERS_TABLE)} WHERE health_user_id = ${healthUserId} OR user_key = ${healthUserId} ORDER BY user_key LIMIT 1`,
      (rows) => rows.length === 0 ? Option.none() : Option.some(rows[0]!.user_key)
    ))

/**
 * Writes a user's status (and health user id, once known).
 *
 * @since 0.1.0
 * @category writing
 */
export const setUser = (status: Omit<UserStatus, "passes">): Effect.Effect<void, SqlError, SqlClient.SqlClient> =>
  Effect.flatMap(SqlClient.SqlClient, (sql) =>
    sql`INSERT INTO ${sql(USERS_TABLE)} (user_key, health_user_id, status, reason, updated_at)
      VALUES (${status.user}, ${status.healthUserId}, ${status.status}, ${status.reason}, ${status.updatedAt})
      ON CONFLICT (user_key) DO UPDATE SET health_user_id = ${status.healthUserId}, status = ${status.status},
        reason = ${status.reason}, updated_at = ${status.updatedAt}`.pipe(Effect.asVoid))

/**
 * Counts a finished pass of a user.
 *
 * @since 0.1.0
 * @category writing
 */
export const passDone = (user: string): Effect.Effect<void, SqlError, SqlClient.SqlClient> =>
  Effect.flatMap(SqlClient.SqlClient, (sql) => sql`UPDATE ${sql(USERS_TABLE)} SET passes = passes + 1 WHERE user_key = ${user}`.pipe(Effect.asVoid))

/**
 * A stored point as read back.
 *
 * @since 0.1.0
 * @category models
 */
export interface PointRow extends StoredPoint {
  readonly user: string
  readonly dataType: string
}

type PointDbRow = {
  readonly user_key: string
  readonly data_type: string
  readonly point_key: string
  readonly day: string
  readonly start_time: string | null
  readonly end_time: string | null
  readonly source: string | null
  readonly amount: number | string | null
  readonly value_json: string
}

/**
 * A user's stored points of one type on the civil days `[start, end)`, in day and key order,
 * streamed in batches of `batchSize` (1,000) by keyset: memory stays flat however many there are.
 *
 * @since 0.1.0
 * @category reading
 */
export const points = (
  options: { readonly user: string; readonly dataType: string; readonly start: string; readonly end: string; readonly batchSize?: number | undefined }
): Stream.Stream<PointRow, SqlError, SqlClient.SqlClient> =>
  Stream.unwrap(Effect.map(SqlClient.SqlClient, (sql) => {
    const size = Math.max(1, Math.min(options.batchSize ?? 1000, 10_000))
    const table = sql(POINTS_TABLE)
    type After = { readonly day: string; readonly key: string } | undefined
    return Stream.paginateChunkEffect(undefined as After, (after) =>
      Effect.map(
        after === undefined
          ? sql<PointDbRow>`SELECT * FROM ${table} WHERE user_key = ${options.user} AND data_type = ${options.dataType}
              AND day >= ${options.start} AND day < ${options.end} ORDER BY day, point_key LIMIT ${size}`
          : sql<PointDbRow>`SELECT * FROM ${table} WHERE user_key = ${options.user} AND data_type = ${options.dataType}
              AND day < ${options.end} AND (day > ${after.day} OR (day = ${after.day} AND point_key > ${after.key}))
              ORDER BY day, point_key LIMIT ${size}`,
        (rows) => {
          const out = rows.map((row): PointRow => ({
            user: row.user_key,
            dataType: row.data_type,
            key: row.point_key,
            day: row.day,
            startTime: row.start_time,
            endTime: row.end_time,
            source: row.source,
            amount: num(row.amount),
            json: row.value_json
          }))
          const last = out[out.length - 1]
          return [
            Chunk.unsafeFromArray(out),
            out.length < size || last === undefined ? Option.none<After>() : Option.some<After>({ day: last.day, key: last.key })
          ] as const
        }
      ))
  }))

/**
 * One day of the daily-summary view.
 *
 * @since 0.1.0
 * @category models
 */
export interface DailySummary {
  readonly user: string
  readonly day: string
  readonly steps: number | null
  readonly sleepMinutes: number | null
  readonly restingHeartRate: number | null
}

/**
 * A user's daily summaries on the civil days `[start, end)`, from the view (plain SQL can read it
 * too: `SELECT * FROM fitbit_effect_daily_summary`).
 *
 * @since 0.1.0
 * @category reading
 */
export const dailySummary = (
  options: { readonly user: string; readonly start: string; readonly end: string }
): Effect.Effect<ReadonlyArray<DailySummary>, SqlError, SqlClient.SqlClient> =>
  Effect.flatMap(SqlClient.SqlClient, (sql) =>
    Effect.map(
      sql<{ user_key: string; day: string; steps: unknown; sleep_minutes: unknown; resting_heart_rate: unknown }>`SELECT * FROM ${
        sql(DAILY_SUMMARY_VIEW)
      } WHERE user_key = ${options.user} AND day >= ${options.start} AND day < ${options.end} ORDER BY day`,
      (rows) =>
        rows.map((row) => ({
          user: row.user_key,
          day: row.day,
          steps: row.steps === null ? null : Number(row.steps),
          sleepMinutes: row.sleep_minutes === null ? null : Number(row.sleep_minutes),
          restingHeartRate: row.resting_heart_rate === null ? null : Number(row.resting_heart_rate)
        }))
    ))

const chunks = <A>(items: ReadonlyArray<A>, size: number): Array<ReadonlyArray<A>> => {
  const out: Array<ReadonlyArray<A>> = []
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size))
  return out
}
