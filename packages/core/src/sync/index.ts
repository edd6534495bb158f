/**
 * `@fitbit-effect/core/sync`: every user's Google Health data in the application's own database,
 * backfilled and kept current, on one machine or many (`@effect/cluster`). Install `@effect/sql`,
 * `@effect/cluster`, `@effect/rpc` and `@effect/workflow` (the cluster's peer), and a driver;
 * `@fitbit-effect/node/sync` has the ready layers.
 *
 * @since 0.1.0
 */

/** The sync: the `SyncUser` entity, the cron, `Sync.layer`, `runPass`, `notify`, `status`, `query`. */
export * as Sync from "./Sync.js"
/** The lease of the one process that syncs a database without a runner address (`SyncBusy` for a second). */
export * as SyncLease from "./SyncLease.js"
/** One user's work: passes, re-reads, parking, the events. */
export * as SyncEngine from "./SyncEngine.js"
/** What is read and how the work is cut: readable types, windows, how a point is filed. */
export * as SyncPlan from "./SyncPlan.js"
/** The tables: points, cursors, users, the daily-summary view; the window replaced in one transaction. */
export * as SyncStore from "./SyncStore.js"
