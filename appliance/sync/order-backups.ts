/**
 * Order backups (docs/architecture.md#order-backups-and-import): the list with `is_missing` /
 * `can_import`, statistics overall, per business day and per cash shift, verify now, batch import
 * with a preview, cleanup with a preview, and the day's reconciliation (backup count against order
 * count), recorded every time it runs.
 *
 * A "session" is two things here. The business day is always one: days are what reconciliation
 * and the central server count by. Where the store works in cash shifts (`cash.shifts: required`,
 * or any shift recorded), each shift is one too: the orders placed between its opening and its
 * close (or now), and a row for the orders placed while no shift was open, so a manager can tell
 * which cashier's shift an unsynced order belongs to.
 */
import { businessDate } from "../domain/business-day.ts";
import { AppError } from "../lib/errors.ts";
import { insertReconciliation, listReconciliations, type ReconciliationRow } from "../journal/job-store.ts";
import {
  anyCashShift,
  backupCounts,
  backupCountsByShift,
  cashShiftWindows,
  OUTSIDE_SHIFTS,
  cleanupCandidates,
  countCleanupCandidates,
  deleteOrderBackups,
  IMPORTABLE_STATES,
  listOrderBackups,
  orderCountsByDay,
  type BackupFilter,
  type BackupState,
  type OrderBackupRow,
  type ShiftWindow,
  type StateCounts,
} from "../journal/order-backup-store.ts";
import type {
  BackupCounts,
  BackupStats,
  CleanupBody,
  ImportBody,
  ImportResponse,
  OrderBackupView,
  ShiftStats,
} from "../../protocol/schemas/backups.ts";
import { pullStoreOrders, requeueForImport, resendCandidates } from "./import.ts";
import type { SyncRuntime } from "./runtime.ts";
import { verifyTarget, type VerifyReport } from "./verify.ts";

export function backupView(row: OrderBackupRow): OrderBackupView {
  return {
    orderId: row.order_id,
    ref: row.ref,
    number: row.number,
    businessDate: row.business_date,
    total: row.total,
    currency: row.currency,
    state: row.state,
    isMissing: row.state === "missing",
    canImport: (IMPORTABLE_STATES as readonly string[]).includes(row.state),
    origin: row.origin,
    importedFrom: row.imported_from,
    error: row.error,
    createdAt: row.created_at,
    syncedAt: row.synced_at,
    verifiedAt: row.verified_at,
    missingAt: row.missing_at,
  };
}

export function listBackups(
  rt: SyncRuntime,
  filter: BackupFilter,
  limit: number,
  offset: number,
): { backups: OrderBackupView[]; total: number } {
  const { rows, total } = listOrderBackups(rt.ctx.journal, filter, limit, offset);
  return { backups: rows.map(backupView), total };
}

function countsView(c: StateCounts): BackupCounts {
  const good = c.verified + c.imported + c.duplicate;
  return { ...c, successRate: c.total === 0 ? 0 : Math.round((good / c.total) * 1_000) / 10 };
}

const EMPTY_COUNTS: Readonly<StateCounts> = {
  total: 0,
  amount: 0,
  backup: 0,
  synced: 0,
  verified: 0,
  missing: 0,
  imported: 0,
  duplicate: 0,
  error: 0,
};

export function backupStats(rt: SyncRuntime, from?: string, to?: string): BackupStats {
  const { overall, days } = backupCounts(rt.ctx.journal, from, to);
  const orders = orderCountsByDay(rt.ctx.journal, from, to);
  const dates = [...new Set([...days.keys(), ...orders.keys()])].sort().reverse();
  const stats: BackupStats = {
    overall: countsView(overall),
    orders: [...orders.values()].reduce((a, b) => a + b, 0),
    days: dates.map((date) => {
      const counts = days.get(date) ?? EMPTY_COUNTS;
      const n = orders.get(date) ?? 0;
      return { businessDate: date, orders: n, matches: n === counts.total, ...countsView(counts) };
    }),
  };
  const shiftsUsed = rt.ctx.config.cash.shifts === "required" || anyCashShift(rt.ctx.journal);
  return shiftsUsed ? { ...stats, shifts: shiftStats(rt, from, to) } : stats;
}

/**
 * Per cash shift, newest first, then the orders outside any shift. A shift is listed when it has
 * orders in `from`..`to` or was opened on one of those business days (a shift without orders
 * says so); without a range, every shift is.
 */
function shiftStats(rt: SyncRuntime, from?: string, to?: string): ShiftStats[] {
  const { config, journal } = rt.ctx;
  const { shifts, orders, windows } = backupCountsByShift(journal, from, to);
  const dayOf = (at: string) => businessDate(Date.parse(at), config.store.timezone, config.orders.dayStartHour);
  // A business day starts at most a day and a few hours off its date in UTC: two days earlier is a safe lower bound.
  const openedFrom = from ? new Date(Date.parse(`${from}T00:00:00Z`) - 2 * 86_400_000).toISOString() : undefined;
  for (const w of cashShiftWindows(journal, openedFrom)) {
    const day = dayOf(w.opened_at);
    if ((!from || day >= from) && (!to || day <= to)) windows.set(w.id, w);
  }
  const row = (w: ShiftWindow | undefined, key: string): ShiftStats => {
    const counts = shifts.get(key) ?? EMPTY_COUNTS;
    const n = orders.get(key) ?? 0;
    return {
      id: w?.id ?? null,
      drawer: w?.drawer ?? null,
      openedAt: w?.opened_at ?? null,
      closedAt: w?.closed_at ?? null,
      orders: n,
      matches: n === counts.total,
      ...countsView(counts),
    };
  };
  const listed = [...windows.values()]
    .sort((a, b) => (a.opened_at === b.opened_at ? a.id.localeCompare(b.id) : a.opened_at < b.opened_at ? 1 : -1))
    .map((w) => row(w, w.id));
  if (shifts.has(OUTSIDE_SHIFTS) || orders.has(OUTSIDE_SHIFTS)) listed.push(row(undefined, OUTSIDE_SHIFTS));
  return listed;
}

/** "Verify now": central (and every other connected target) against what upstream holds. */
export async function verifyNow(rt: SyncRuntime, orderIds?: readonly string[]): Promise<VerifyReport[]> {
  const reports: VerifyReport[] = [];
  const sinceMs = rt.ctx.clock.now() - rt.ctx.config.sync.verification.windowDays * 86_400_000;
  for (const row of rt.roster.rows()) {
    if (row.state !== "active") continue;
    const report = await verifyTarget(
      { journal: rt.ctx.journal, clock: rt.ctx.clock, notifier: rt.notifier },
      rt.adapters[row.target],
      orderIds ? { orderIds } : { sinceMs },
      rt.signal,
    );
    reports.push(report);
    if (report.missing > 0) rt.workers[row.target].wake();
  }
  rt.changed();
  return reports;
}

export async function importOrders(
  rt: SyncRuntime,
  body: ImportBody,
  preview: boolean,
  actor: string,
): Promise<ImportResponse> {
  const { journal, clock } = rt.ctx;
  const candidates = resendCandidates(journal, body);
  if (!preview && candidates.length > 0) {
    journal.transaction(() => requeueForImport(journal, candidates, actor, clock.now()));
    rt.workers.central.wake();
  }
  const pull =
    body.pull === false
      ? { entries: [], events: [] }
      : await pullStoreOrders({ journal, clock, log: rt.log, central: rt.central }, body, preview, rt.signal);
  rt.changed();
  return {
    preview,
    resend: candidates.map((c) => ({
      orderId: c.order_id,
      ref: c.ref,
      number: c.number,
      businessDate: c.business_date,
      total: c.total,
      state: c.state,
    })),
    pulled: pull.entries,
    counts: {
      resend: candidates.length,
      imported: pull.entries.filter((e) => e.result === "import").length,
      duplicates: pull.entries.filter((e) => e.result === "duplicate").length,
      errors: pull.entries.filter((e) => e.result === "error").length,
    },
    ...("skipped" in pull && pull.skipped ? { pullSkipped: pull.skipped } : {}),
  };
}

const CLEANABLE: readonly BackupState[] = ["verified", "imported", "duplicate"];
const CLEANUP_CHUNK = 500;

/** Cleanup of old records: only verified, imported and duplicate ones, never errors or unverified ones. */
export function cleanup(
  rt: SyncRuntime,
  body: CleanupBody,
  preview: boolean,
): { preview: boolean; cutoff: string; states: string[]; count: number; backups: OrderBackupView[] } {
  const days = body.days ?? rt.ctx.config.sync.orderBackups.cleanupDays;
  const states = (body.states ?? CLEANABLE).filter((s) => CLEANABLE.includes(s));
  if (states.length === 0)
    throw new AppError("validation_failed", "cleanup only touches verified, imported and duplicate records", {
      details: { errors: ["states: verified, imported or duplicate"] },
    });
  const cutoffMs = rt.ctx.clock.now() - days * 86_400_000;
  const { journal } = rt.ctx;
  const shown = cleanupCandidates(journal, cutoffMs, states, CLEANUP_CHUNK).map(backupView);
  if (preview)
    return {
      preview,
      cutoff: new Date(cutoffMs).toISOString(),
      states,
      count: countCleanupCandidates(journal, cutoffMs, states),
      backups: shown,
    };
  let count = 0;
  for (let round = 0; round < 10_000; round += 1) {
    const chunk = cleanupCandidates(journal, cutoffMs, states, CLEANUP_CHUNK);
    if (chunk.length === 0) break;
    count += journal.transaction(() =>
      deleteOrderBackups(
        journal,
        chunk.map((r) => r.order_id),
      ),
    );
  }
  if (count > 0) rt.log.info({ deleted: count, days }, "old order backup records cleaned up");
  return { preview, cutoff: new Date(cutoffMs).toISOString(), states, count, backups: shown };
}

/** The business day that is open now. */
export function currentBusinessDate(rt: SyncRuntime): string {
  const { config, clock } = rt.ctx;
  return businessDate(clock.now(), config.store.timezone, config.orders.dayStartHour);
}

/** Backup count against order count for one business day; recorded, and a mismatch notifies. */
export function reconcile(rt: SyncRuntime, date: string | undefined, trigger: string): ReconciliationRow {
  const day = date ?? currentBusinessDate(rt);
  const { journal, clock } = rt.ctx;
  const counts = backupCounts(journal, day, day).overall;
  const orders = orderCountsByDay(journal, day, day).get(day) ?? 0;
  const notUpstream = counts.backup + counts.missing + counts.error + Math.max(0, orders - counts.total);
  const ok = counts.total === orders && counts.missing === 0 && counts.error === 0;
  const at = new Date(clock.now()).toISOString();
  const row: Omit<ReconciliationRow, "id"> = {
    business_date: day,
    orders,
    backups: counts.total,
    verified: counts.verified + counts.imported + counts.duplicate,
    synced: counts.synced,
    missing: counts.missing,
    errors: counts.error,
    not_upstream: notUpstream,
    ok: ok ? 1 : 0,
    trigger,
    at,
  };
  const id = journal.transaction(() => {
    const inserted = insertReconciliation(journal, row);
    if (!ok) {
      rt.notifier.raise({
        kind: "reconciliation_mismatch",
        severity: "warning",
        message: `business day ${day}: ${counts.total} backup records for ${orders} orders, ${counts.missing} missing on the server, ${counts.error} refused; import or re-send them before closing`,
        details: { businessDate: day, reconciliation: inserted },
      });
    }
    return inserted;
  });
  return { id, ...row };
}

export function reconciliations(rt: SyncRuntime, date: string | undefined, limit: number): ReconciliationRow[] {
  return listReconciliations(rt.ctx.journal, date, limit);
}
