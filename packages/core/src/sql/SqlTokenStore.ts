/**
 * A `TokenStore` in the database the app already runs, over `@effect/sql`'s `SqlClient`
 * (SQLite, Postgres, any dialect with `INSERT … ON CONFLICT` and `RETURNING`): one row per grant
 * in `fitbit_effect_grants` (key, encoded token set, status, revision, updated_at, lease owner and
 * expiry), created by the migrations shipped here (`migrations`, run with `@effect/sql`'s
 * `Migrator` by `migrate`). Compare-and-set is `UPDATE … WHERE revision = $expected RETURNING`,
 * atomic in the database, so every process and machine sharing it sees one history per grant.
 * The row's lease (`acquireLease`/`releaseLease`) lets one process refresh a grant for the
 * whole fleet (see `Session`); a lease whose holder died expires and is taken over.
 *
 * @since 0.1.0
 */
import * as Migrator from "@effect/sql/Migrator"
import * as SqlClient from "@effect/sql/SqlClient"
import * as Clock from "effect/Clock"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Schedule from "effect/Schedule"
import * as TokenStore from "../TokenStore.js"

/**
 * The table of grants.
 *
 * @since 0.1.0
 * @category schemas
 */
export const TABLE = "fitbit_effect_grants"

/**
 * The table of per-user rate-limit budgets (`SqlRateLimitPolicy`).
 *
 * @since 0.1.0
 * @category schemas
 */
export const RATE_LIMITS_TABLE = "fitbit_effect_rate_limits"

/**
 * The table `@effect/sql`'s `Migrator` records this library's migrations in.
 *
 * @since 0.1.0
 * @category schemas
 */
export const MIGRATIONS_TABLE = "fitbit_effect_migrations"

/**
 * The migrations, by `{id}_{name}`, for `Migrator.fromRecord`.
 *
 * @since 0.1.0
 * @category schemas
 */
export const migrations: Record<string, Effect.Effect<void, unknown, SqlClient.SqlClient>> = {
  "1_create_grants": Effect.flatMap(SqlClient.SqlClient, (sql) =>
    sql.unsafe(`CREATE TABLE IF NOT EXISTS ${TABLE} (
      key TEXT PRIMARY KEY,
      grant_json TEXT NOT NULL,
      status TEXT NOT NULL,
      revision INTEGER NOT NULL,
      updated_at BIGINT NOT NULL,
      lease_owner TEXT,
      lease_until BIGINT
    )`).pipe(Effect.asVoid)),
  "2_create_rate_limits": Effect.flatMap(SqlClient.SqlClient, (sql) =>
    sql.unsafe(`CREATE TABLE IF NOT EXISTS ${RATE_LIMITS_TABLE} (
      key TEXT PRIMARY KEY,
      limit_count INTEGER NOT NULL,
      remaining INTEGER NOT NULL,
      reset_at BIGINT NOT NULL
    )`).pipe(Effect.asVoid))
}

/**
 * Runs the migrations (idempotent; concurrent runs from several processes retry until one wins).
 *
 * @since 0.1.0
 * @category schemas
 */
export const migrate: Effect.Effect<void, Migrator.MigrationError | import("@effect/sql/SqlError").SqlError, SqlClient.SqlClient> =
  Migrator.make({})({ loader: Migrator.fromRecord(migrations), table: MIGRATIONS_TABLE }).pipe(
    Effect.retry(Schedule.intersect(Schedule.recurs(20), Schedule.spaced(Duration.millis(50)))),
    Effect.asVoid
  )

/**
 * The keys, revisions and last writes of the active grants whose keys start with `prefix` (e.g. `"google:"`),
 * in key order: what `Sync` syncs.
 *
 * @since 0.1.0
 * @category reading
 */
export const activeGrants = (
  prefix: string
): Effect.Effect<
  ReadonlyArray<{ readonly key: string; readonly revision: number; readonly updatedAt: number }>,
  import("@effect/sql/SqlError").SqlError,
  SqlClient.SqlClient
> =>
  Effect.flatMap(SqlClient.SqlClient, (sql) =>
    Effect.map(
      sql<{ key: string; revision: number | string; updated_at: number | string }>`SELECT key, revision, updated_at FROM ${sql(TABLE)}
        WHERE status = 'active' AND key LIKE ${prefix.replace(/[\\%_]/g, (c) => `\\${c}`) + "%"} ESCAPE '\\' ORDER BY key`,
      (rows) => rows.filter((row) => row.key.startsWith(prefix)).map((row) => ({ key: row.key, revision: Number(row.revision), updatedAt: Number(row.updated_at) }))
    ))

type Row = {
  readonly grant_json: string
  readonly revision: number | string
}

const storeError = (operation: TokenStore.TokenStoreError["operation"], key: string) => (cause: unknown) =>
  new TokenStore.TokenStoreError({ operation, key, reason: TokenStore.describeCause(cause) })

/**
 * The store over the `SqlClient` in context (run {@link migrate} first; {@link layer} does).
 *
 * @since 0.1.0
 * @category constructors
 */
export const make: Effect.Effect<TokenStore.TokenStoreShape & { readonly lease: TokenStore.Lease }, never, SqlClient.SqlClient> = Effect.gen(
  function*() {
    const sql = yield* SqlClient.SqlClient
    const table = sql(TABLE)

    const get = (key: string) =>
      sql<Row>`SELECT grant_json, revision FROM ${table} WHERE key = ${key}`.pipe(
        Effect.mapError(storeError("get", key)),
        Effect.flatMap((rows) =>
          rows.length === 0
            ? Effect.succeedNone
            : Effect.asSome(Effect.mapError(TokenStore.decodeGrant(rows[0]!.grant_json), (reason) => TokenStore.unreadableRecord("get", key, reason)))
        )
      )

    const values = (key: string, grant: TokenStore.StoredGrant) => ({
      key,
      grant_json: TokenStore.encodeGrant(grant),
      status: grant.status,
      revision: grant.revision,
      updated_at: grant.updatedAt
    })

    const set = (key: string, grant: TokenStore.StoredGrant) => {
      const v = values(key, grant)
      return sql`INSERT INTO ${table} (key, grant_json, status, revision, updated_at)
        VALUES (${v.key}, ${v.grant_json}, ${v.status}, ${v.revision}, ${v.updated_at})
        ON CONFLICT (key) DO UPDATE SET grant_json = ${v.grant_json}, status = ${v.status}, revision = ${v.revision}, updated_at = ${v.updated_at}`
        .pipe(Effect.asVoid, Effect.mapError(storeError("set", key)))
    }

    const compareAndSet = (key: string, expected: Option.Option<number>, next: TokenStore.StoredGrant) => {
      const v = values(key, next)
      const statement = Option.isNone(expected)
        ? sql`INSERT INTO ${table} (key, grant_json, status, revision, updated_at)
            VALUES (${v.key}, ${v.grant_json}, ${v.status}, ${v.revision}, ${v.updated_at})
            ON CONFLICT (key) DO NOTHING RETURNING key`
        : sql`UPDATE ${table} SET grant_json = ${v.grant_json}, status = ${v.status}, revision = ${v.revision}, updated_at = ${v.updated_at}
            WHERE key = ${key} AND revision = ${expected.value} RETURNING key`
      return statement.pipe(Effect.map((rows) => rows.length === 1), Effect.mapError(storeError("compareAndSet", key)))
    }

    const remove = (key: string) =>
      sql`DELETE FROM ${table} WHERE key = ${key}`.pipe(Effect.asVoid, Effect.mapError(storeError("remove", key)))

    const lease: TokenStore.Lease = {
      acquire: (key, owner, ttlMillis) =>
        Effect.flatMap(Clock.currentTimeMillis, (at) =>
          sql`UPDATE ${table} SET lease_owner = ${owner}, lease_until = ${at + ttlMillis}
            WHERE key = ${key} AND (lease_owner IS NULL OR lease_until < ${at} OR lease_owner = ${owner}) RETURNING key`).pipe(Effect.map((rows) => rows.length === 1), Effect.mapError(storeError("compareAndSet", key))),
      release: (key, owner) =>
        sql`UPDATE ${table} SET lease_owner = NULL, lease_until = NULL WHERE key = ${key} AND lease_owner = ${owner}`
          .pipe(Effect.asVoid, Effect.mapError(storeError("compareAndSet", key)))
    }

    return { get, set, compareAndSet, remove, lease }
  }
)

/**
 * The store as a `TokenStore` layer: runs the migrations, then serves from the database.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<TokenStore.TokenStore, Migrator.MigrationError | import("@effect/sql/SqlError").SqlError, SqlClient.SqlClient> =
  Layer.effect(TokenStore.TokenStore, Effect.zipRight(migrate, make))
