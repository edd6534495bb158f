/**
 * `@fitbit-effect/node/sql`: token stores in a SQL database for many processes and machines,
 * over core's `SqlTokenStore`. `layerSqlite(filename)` is the embedded default for one machine
 * (one file many processes share: WAL journal, busy timeout), `layerPostgres(url)` for many
 * machines. Both run the store's migrations first. Install `@effect/sql` and the driver:
 * `@effect/sql-sqlite-node` (SQLite) or `@effect/sql-pg` (Postgres).
 *
 * @since 0.1.0
 */
import * as PgClient from "@effect/sql-pg/PgClient"
import * as SqliteClient from "@effect/sql-sqlite-node/SqliteClient"
import type * as SqlClient from "@effect/sql/SqlClient"
import { RateLimitPolicy } from "@fitbit-effect/core"
import type { TokenStore } from "@fitbit-effect/core"
import * as Effect from "effect/Effect"
import { SqlRateLimitPolicy, SqlTokenStore } from "@fitbit-effect/core/sql"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"

/**
 * Where grants live: `{ sqlite: "./var/tokens.db" }` or `{ postgres: "postgres://…" }`.
 *
 * @since 0.1.0
 * @category models
 */
export type StoreOption =
  | { readonly sqlite: string }
  | { readonly postgres: string | Redacted.Redacted<string>; readonly maxConnections?: number | undefined }

/**
 * The `SqlClient` of a {@link StoreOption}: SQLite through `better-sqlite3`, Postgres through `pg`.
 *
 * @since 0.1.0
 * @category layers
 */
export const sqlClient = (store: StoreOption): Layer.Layer<SqlClient.SqlClient, unknown> =>
  "sqlite" in store
    ? SqliteClient.layer({ filename: store.sqlite })
    : PgClient.layer({
      url: Redacted.isRedacted(store.postgres) ? store.postgres : Redacted.make(store.postgres),
      ...(store.maxConnections === undefined ? {} : { maxConnections: store.maxConnections })
    })

/**
 * A `TokenStore` in a SQLite file (created when missing) shared by the processes of one machine.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerSqlite = (filename: string): Layer.Layer<TokenStore.TokenStore, unknown> =>
  SqlTokenStore.layer.pipe(Layer.provide(sqlClient({ sqlite: filename })))

/**
 * A `TokenStore` in Postgres, shared by every machine that reaches it.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerPostgres = (
  url: string | Redacted.Redacted<string>,
  options: { readonly maxConnections?: number | undefined } = {}
): Layer.Layer<TokenStore.TokenStore, unknown> =>
  SqlTokenStore.layer.pipe(Layer.provide(sqlClient({ postgres: url, maxConnections: options.maxConnections })))

/**
 * The store of a {@link StoreOption}.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (store: StoreOption): Layer.Layer<TokenStore.TokenStore, unknown> =>
  "sqlite" in store ? layerSqlite(store.sqlite) : layerPostgres(store.postgres, { maxConnections: store.maxConnections })

/**
 * A `RateLimitPolicy` whose budgets live in the store's database, shared by every instance
 * (provide it next to {@link layer}; it runs the migrations too).
 *
 * @since 0.1.0
 * @category layers
 */
export const layerRateLimits = (
  store: StoreOption,
  options: RateLimitPolicy.Options = {}
): Layer.Layer<RateLimitPolicy.RateLimitPolicy, unknown> =>
  Layer.effect(RateLimitPolicy.RateLimitPolicy, Effect.zipRight(SqlTokenStore.migrate, SqlRateLimitPolicy.make(options))).pipe(
    Layer.provide(sqlClient(store))
  )
