/**
 * Upstream sync and backups as the admin page shows them (README "Sync and backups"): the backlog
 * per target in words ("3 orders not yet upstream, oldest 12 min"), aged locally between pushes
 * without trusting this device's clock; how worried to look; which targets hold dead items; the
 * journal backups newest first. Pure: no I/O.
 */
import type {
  BackupStats,
  JournalBackupView,
  SyncStatus,
  SyncTargetStatus,
  TargetName,
} from "../../../protocol/index.ts";
import type { Translate } from "../i18n/index.ts";

/** The sync status with the local time it arrived, so the oldest order's age keeps counting between pushes. */
export interface ReceivedSyncStatus {
  status: SyncStatus;
  receivedAt: number;
}

/** Age of the oldest order not yet upstream now: galleyd's age plus the time since it said so. */
export function oldestAgeSeconds(target: SyncTargetStatus, receivedAt: number, now: number): number {
  if (target.pending === 0) return 0;
  return target.oldestAgeSeconds + Math.max(0, Math.floor((now - receivedAt) / 1_000));
}

/** "3 orders not yet upstream, oldest 12 min" (galleyd's phrasing), or "Everything is upstream". */
export function backlogText(t: Translate, target: SyncTargetStatus, receivedAt: number, now: number): string {
  if (target.pending === 0) return t("sync.upToDate");
  const minutes = Math.floor(oldestAgeSeconds(target, receivedAt, now) / 60);
  return t("sync.backlog", { count: target.pending, minutes });
}

export type SyncTone = "ok" | "warn" | "bad" | "off";

/** A WARN after 15 min (as `galley doctor`), FAIL when blocked or a day old; dead items need someone. */
export function targetTone(target: SyncTargetStatus, receivedAt: number, now: number): SyncTone {
  if (target.state === "disconnected") return "off";
  const age = oldestAgeSeconds(target, receivedAt, now);
  if (target.state === "blocked" || target.blocked || age > 86_400) return "bad";
  if (target.dead > 0 || !target.online || age > 15 * 60 || target.needsLookup > 0) return "warn";
  return "ok";
}

/** Targets with dead items, whose items someone must look at and re-queue. */
export function targetsWithDead(status: SyncStatus | undefined): TargetName[] {
  return (status?.targets ?? []).filter((t) => t.dead > 0).map((t) => t.target);
}

/** Something that changes when the dead items or open notifications do: reload those lists then. */
export function attentionKey(status: SyncStatus | undefined): string {
  if (!status) return "";
  return JSON.stringify([status.openNotifications, status.targets.map((t) => [t.target, t.dead])]);
}

/** Orders not yet upstream, over every target (the order-backup statistics move with it). */
export function pendingTotal(status: SyncStatus | undefined): number {
  return (status?.targets ?? []).reduce((sum, t) => sum + t.pending, 0);
}

/** Journal backups newest first, deleted ones left out. */
export function journalBackupsNewestFirst(backups: readonly JournalBackupView[]): JournalBackupView[] {
  return backups
    .filter((b) => b.state !== "deleted")
    .sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt) || (b.seq ?? 0) - (a.seq ?? 0));
}

/** Order-backup figures in the order a technician reads them; `local` = in the journal only. */
export function backupFigures(
  stats: BackupStats,
): { key: "total" | "local" | "synced" | "verified" | "missing" | "error"; value: number; alert: boolean }[] {
  const o = stats.overall;
  return [
    { key: "total", value: o.total, alert: false },
    { key: "local", value: o.backup, alert: false },
    { key: "synced", value: o.synced, alert: false },
    { key: "verified", value: o.verified + o.imported + o.duplicate, alert: false },
    { key: "missing", value: o.missing, alert: o.missing > 0 },
    { key: "error", value: o.error, alert: o.error > 0 },
  ];
}
