/**
 * `@fitbit-effect/node/sql`: token stores in a SQL database for many processes and machines,
 * over core's `SqlTokenStore`. `layerSqlite(filename)` is the embedded default for one machine
 * (one file many processes share: WAL journal, busy timeout), `layerPostgres(url)` for many
 * machines. Both run the store's migrations first. Install `@effect/sql` and the driver you use:
 * `@effect/sql-sqlite-node` (SQLite) or `@effect/sql-pg` (Postgres); each driver is loaded only
 * when a store asks for it, so the other need not be installed. A new SQLite file is created
 * readable by its owner only (`0600`), like the JSON store.
 *
 * @since 0.1.0
 */
import * as Fs from "node:fs"
import * as NodePath from "node:path"
import type * as SqlClient from "@effect/sql/SqlClient"
import { Errors, RateLimitPolicy, TokenStore } from "@fitbit-effect/core/kernel"
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

/** Loads a driver module, or fails naming the package to install (and why it did not load). */
const driver = <M>(name: string, load: () => Promise<M>): Effect.Effect<M, Errors.InvalidInput> =>
  Effect.tryPromise({
    try: load,
    catch: (cause) =>
      new Errors.InvalidInput({
        field: "store",
        reason: `this store needs ${name} (npm install ${name}@${DRIVER_RANGES[name]} @effect/sql@^0.52); loading it failed: ${TokenStore.describeCause(cause)}`
      })
  })

const DRIVER_RANGES: Record<string, string> = { "@effect/sql-sqlite-node": "^0.53", "@effect/sql-pg": "^0.53" }

/**
 * Creates a missing SQLite file with mode 0600 before the driver opens it (it would create it
 * 0644), and its missing directories with mode 0700, as `FileTokenStore` does.
 */
const createPrivate = (filename: string): Effect.Effect<void, Errors.InvalidInput> =>
  filename === ":memory:" || filename === ""
    ? Effect.void
    : Effect.try({
      try: () => {
        Fs.mkdirSync(NodePath.dirname(filename), { recursive: true, mode: 0o700 })
        Fs.closeSync(Fs.openSync(filename, Fs.constants.O_CREAT | Fs.constants.O_RDWR, 0o600))
      },
      catch: (cause) => new Errors.InvalidInput({ field: "store", reason: `cannot create the SQLite file: ${TokenStore.describeCause(cause)}` })
    })

/**
 * The `SqlClient` of a {@link StoreOption}: SQLite through `better-sqlite3`, Postgres through `pg`.
 * The driver is loaded when the layer is built; a missing one fails with `InvalidInput` naming it.
 *
 * @since 0.1.0
 * @category layers
 */
export const sqlClient = (store: StoreOption): Layer.Layer<SqlClient.SqlClient, unknown> =>
  Layer.unwrapEffect(
    "sqlite" in store
      ? Effect.zipWith(
        createPrivate(store.sqlite),
        driver("@effect/sql-sqlite-node", () => import("@effect/sql-sqlite-node/SqliteClient")),
        (_, SqliteClient): Layer.Layer<SqlClient.SqlClient, unknown> => SqliteClient.layer({ filename: store.sqlite })
      )
      : Effect.map(driver("@effect/sql-pg", () => import("@effect/sql-pg/PgClient")), (PgClient): Layer.Layer<SqlClient.SqlClient, unknown> =>
        PgClient.layer({
          url: Redacted.isRedacted(store.postgres) ? store.postgres : Redacted.make(store.postgres),
          ...(store.maxConnections === undefined ? {} : { maxConnections: store.maxConnections })
        }))
  )

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
