/**
 * The scheduler jobs sync registers (verification, order-backup cleanup and reconciliation, journal
 * backups, the post-restore import), and `needsRestoreImport`, which decides whether that import is still owed.
 */
import { applyRetention, runJournalBackup } from "../jobs/journal-backups.ts";
import { instanceIdOf, restoredFromOf } from "../journal/events.ts";
import { lastJobRun } from "../journal/job-store.ts";
import { pullStoreOrders } from "./import.ts";
import { cleanup, currentBusinessDate, reconcile, verifyNow } from "./order-backups.ts";
import { JOBS, type SyncRuntime } from "./runtime.ts";

/** After a restore: whether the store's orders still have to be pulled from the central server for this instance. */
export function needsRestoreImport(rt: SyncRuntime): boolean {
  if (!restoredFromOf(rt.ctx.journal) || rt.roster.row("central")?.state !== "active") return false;
  const last = lastJobRun(rt.ctx.journal, JOBS.restoreImport);
  if (!last || last.state !== "ok") return true;
  return (JSON.parse(last.summary) as { instanceId?: string }).instanceId !== instanceIdOf(rt.ctx.journal);
}

/** The ":MM before the business day ends" time of the reconciliation job. */
function reconcileAt(dayStartHour: number, minutesBefore: number): string {
  const minutes = (((dayStartHour * 60 - minutesBefore) % 1_440) + 1_440) % 1_440;
  return `${String(Math.floor(minutes / 60)).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}`;
}

/** Registers sync's jobs with its scheduler (started by `startSync`). */
export function addJobs(rt: SyncRuntime): void {
  const { config } = rt.ctx;
  const tz = config.store.timezone;
  rt.scheduler.add({
    name: JOBS.verify,
    description: `compare acknowledged orders with upstream over the last ${config.sync.verification.windowDays} days`,
    schedule:
      config.sync.verification.everyMinutes === 0
        ? { kind: "off" }
        : { kind: "every", ms: config.sync.verification.everyMinutes * 60_000 },
    async run() {
      if (rt.roster.rows().every((r) => r.state !== "active"))
        return { state: "skipped", summary: { reason: "no upstream connected" } };
      if (needsRestoreImport(rt)) await rt.scheduler.runNow(JOBS.restoreImport, "verify");
      const reports = await verifyNow(rt);
      return { summary: { reports } };
    },
  });
  rt.scheduler.add({
    name: JOBS.cleanup,
    description: `delete verified, imported and duplicate order backup records older than ${config.sync.orderBackups.cleanupDays} days`,
    schedule: { kind: "daily", at: config.sync.orderBackups.cleanupAt, timeZone: tz },
    run: () => {
      const result = cleanup(rt, {}, false);
      return Promise.resolve({ summary: { deleted: result.count, cutoff: result.cutoff } });
    },
  });
  rt.scheduler.add({
    name: JOBS.reconcile,
    description: "reconcile the business day's backup records with its orders before it closes",
    schedule: {
      kind: "daily",
      at: reconcileAt(config.orders.dayStartHour, config.sync.orderBackups.reconcileMinutesBeforeDayEnd),
      timeZone: tz,
    },
    run: (trigger) => {
      const row = reconcile(rt, currentBusinessDate(rt), trigger);
      return Promise.resolve({
        summary: { businessDate: row.business_date, orders: row.orders, backups: row.backups, ok: row.ok === 1 },
      });
    },
  });
  rt.scheduler.add({
    name: JOBS.backup,
    description: "write a checked journal backup, then apply retention",
    schedule:
      config.backups.everyHours === 0 ? { kind: "off" } : { kind: "every", ms: config.backups.everyHours * 3_600_000 },
    async run(trigger) {
      try {
        const backup = await runJournalBackup(rt.backups, trigger);
        const retention = await applyRetention(rt.backups);
        return {
          summary: {
            file: backup.file,
            seq: backup.seq,
            sha256: backup.sha256,
            deleted: retention.deleted.length,
            ...(retention.skipped ? { retention: retention.skipped } : {}),
          },
        };
      } catch (error) {
        rt.ctx.journal.transaction(() => {
          rt.notifier.raise({
            kind: "backup_failed",
            severity: "critical",
            message: `the journal backup failed: ${(error as Error).message}`,
            once: true,
          });
        });
        throw error;
      }
    },
  });
  rt.scheduler.add({
    name: JOBS.restoreImport,
    description: "after a restore, import the store's orders this journal lacks from the central server",
    schedule: { kind: "off" },
    async run() {
      const instanceId = instanceIdOf(rt.ctx.journal);
      const result = await pullStoreOrders(
        { journal: rt.ctx.journal, clock: rt.ctx.clock, log: rt.log, central: rt.central },
        {},
        false,
        rt.signal,
      );
      if (result.skipped) throw new Error(result.skipped);
      return {
        summary: {
          instanceId,
          imported: result.entries.filter((e) => e.result === "import").length,
          duplicates: result.entries.filter((e) => e.result === "duplicate").length,
        },
      };
    },
  });
}
