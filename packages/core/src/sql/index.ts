/**
 * `@fitbit-effect/core/sql`: the token store in your SQL database over `@effect/sql`
 * (install `@effect/sql` and a driver: `@effect/sql-sqlite-node`, `@effect/sql-pg`, …).
 *
 * @since 0.1.0
 */

/** Grants in a SQL table, compare-and-set and cross-process leases; its migrations. */
export * as SqlTokenStore from "./SqlTokenStore.js"
/** Per-user rate-limit budgets shared by every instance through the same database. */
export * as SqlRateLimitPolicy from "./SqlRateLimitPolicy.js"
