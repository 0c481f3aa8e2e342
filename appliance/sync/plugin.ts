/**
 * The sync feature's registration (appliance/feature.ts): service.ts starts the outbox hook, a
 * worker per upstream target, verification, order and journal backups and the scheduled jobs, and
 * returns its routes (integrations, the backlog and jobs, backups) and its stop.
 */
export { startSync, type SyncDeps, type SyncOverrides, type SyncService } from "./service.ts";
export type { SyncRuntime } from "./runtime.ts";
