/** The journal backup job and its retention: what `galley backup`, the schedule and the API all run. */
import { join } from "node:path";
import type { Config } from "../config/schema.ts";
import type { Clock } from "../lib/clock.ts";
import type { Logger } from "../lib/logger.ts";
import type { Journal } from "../journal/database.ts";
import { deleteBackup, onlineBackup, repairBackups, type OnlineBackupResult } from "../journal/backup.ts";
import { backupRows } from "../journal/backup-store.ts";
import { unverifiedThrough } from "../journal/outbox-store.ts";
import { getTarget } from "../journal/sync-target-store.ts";
import type { Failpoint } from "../lib/failpoints.ts";
import type { ClockSyncProbe } from "./clock-sync.ts";
import { retentionPlan, type RetentionPlan } from "./retention.ts";

export interface JournalBackupDeps {
  journal: Journal;
  config: Readonly<Config>;
  clock: Clock;
  log: Logger;
  clockSynced: ClockSyncProbe;
  failpoint: Failpoint;
}

export function backupFolder(config: Readonly<Config>): string {
  return config.backups.folder || join(config.dataDir, "backups");
}

export async function runJournalBackup(deps: JournalBackupDeps, trigger: string): Promise<OnlineBackupResult> {
  const synced = await deps.clockSynced();
  const result = await onlineBackup(deps.journal, {
    dir: backupFolder(deps.config),
    trigger,
    nowMs: deps.clock.now(),
    clockSynced: synced,
    failpoint: deps.failpoint,
  });
  deps.log.info(
    { file: result.file, seq: result.seq, sizeBytes: result.sizeBytes, sha256: result.sha256 },
    "journal backup written",
  );
  return result;
}

/** Whether every central event up to `seq` is verified (no central target: nothing to wait for). */
export function centralVerifiedThrough(journal: Journal, seq: number): boolean {
  if (!getTarget(journal, "central")) return true;
  return !unverifiedThrough(journal, "central", seq);
}

export async function planRetention(deps: JournalBackupDeps): Promise<RetentionPlan> {
  const ready = backupRows(deps.journal, ["ready"]);
  return retentionPlan({
    backups: ready.map((r) => ({ id: r.id, createdAtMs: r.created_at_ms, seq: r.seq ?? 0 })),
    nowMs: deps.clock.now(),
    keep: deps.config.backups.keep,
    retentionDays: deps.config.backups.retentionDays,
    clockSynced: await deps.clockSynced(),
    verifiedThrough: (seq) => centralVerifiedThrough(deps.journal, seq),
  });
}

export async function applyRetention(
  deps: JournalBackupDeps,
): Promise<{ deleted: string[]; kept: number; skipped?: string }> {
  const plan = await planRetention(deps);
  const rows = new Map(backupRows(deps.journal, ["ready"]).map((r) => [r.id, r]));
  const deleted: string[] = [];
  // Oldest first: a stop half-way leaves the newer backups.
  for (const decision of [...plan.decisions].sort((a, b) => a.id - b.id)) {
    const row = rows.get(decision.id);
    if (!decision.delete || !row) continue;
    deleteBackup(deps.journal, row, deps.clock.now(), deps.failpoint);
    deleted.push(row.file);
  }
  if (deleted.length > 0) deps.log.info({ deleted: deleted.length }, "old journal backups deleted");
  return { deleted, kept: plan.decisions.length - deleted.length, ...(plan.skipped ? { skipped: plan.skipped } : {}) };
}

export function repairJournalBackups(deps: JournalBackupDeps): void {
  const repaired = repairBackups(deps.journal, backupFolder(deps.config), deps.clock.now());
  if (repaired.failed + repaired.deleted + repaired.partials > 0)
    deps.log.warn(repaired, "journal backups left half-done by a stop were repaired");
}
