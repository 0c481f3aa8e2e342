/**
 * Order backup records (migration 0004): one row per order, the order's standing with
 * the central server. The order itself is never touched here; cleanup deletes only these records.
 * The statistics also group them by cash shift, reading `cash_shifts` (migration 0007) and
 * never writing it.
 */
import type { Journal } from "./database.ts";

export const BACKUP_STATES = ["backup", "synced", "verified", "missing", "imported", "duplicate", "error"] as const;
export type BackupState = (typeof BACKUP_STATES)[number];

/** States a batch import can act on: gone from the server, or refused by it. */
export const IMPORTABLE_STATES = ["missing", "error"] as const satisfies readonly BackupState[];

export interface OrderBackupRow {
  order_id: string;
  order_seq: number;
  ref: string;
  number: number;
  business_date: string;
  total: number;
  currency: string;
  snapshot_hash: string;
  origin: "local" | "imported";
  imported_from: string | null;
  state: BackupState;
  import_requested: number;
  error: string | null;
  created_at: string;
  created_at_ms: number;
  synced_at: string | null;
  verified_at: string | null;
  missing_at: string | null;
  updated_at: string;
}

export interface NewOrderBackup {
  orderId: string;
  orderSeq: number;
  ref: string;
  number: number;
  businessDate: string;
  total: number;
  currency: string;
  snapshotHash: string;
  origin: "local" | "imported";
  importedFrom: string | null;
  state: BackupState;
  createdAt: string;
  createdAtMs: number;
}

export function insertOrderBackup(journal: Journal, row: NewOrderBackup): void {
  journal.run(
    `INSERT INTO order_backups (order_id, order_seq, ref, number, business_date, total, currency, snapshot_hash, origin, imported_from, state, created_at, created_at_ms, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (order_id) DO NOTHING`,
    [
      row.orderId,
      row.orderSeq,
      row.ref,
      row.number,
      row.businessDate,
      row.total,
      row.currency,
      row.snapshotHash,
      row.origin,
      row.importedFrom,
      row.state,
      row.createdAt,
      row.createdAtMs,
      row.createdAt,
    ],
  );
}

export function getOrderBackup(journal: Journal, orderId: string): OrderBackupRow | undefined {
  return journal.get<OrderBackupRow>("SELECT * FROM order_backups WHERE order_id = ?", [orderId]);
}

/** Moves a record; `at` stamps the matching time column. */
export function setBackupState(
  journal: Journal,
  orderId: string,
  state: BackupState,
  at: string,
  extra: { error?: string | null; importRequested?: boolean } = {},
): void {
  const stamp =
    state === "synced" || state === "imported" || state === "duplicate"
      ? "synced_at = ?,"
      : state === "verified"
        ? "verified_at = ?,"
        : state === "missing"
          ? "missing_at = ?,"
          : "";
  const params: (string | number | null)[] = [state];
  if (stamp) params.push(at);
  let sql = `UPDATE order_backups SET state = ?, ${stamp} updated_at = ?`;
  params.push(at);
  if (extra.error !== undefined) {
    sql += ", error = ?";
    params.push(extra.error);
  }
  if (extra.importRequested !== undefined) {
    sql += ", import_requested = ?";
    params.push(extra.importRequested ? 1 : 0);
  }
  params.push(orderId);
  journal.run(`${sql} WHERE order_id = ?`, params);
}

/** A verified order stays imported or duplicate (how it got there matters to people); only its time is stamped. */
export function stampVerified(journal: Journal, orderId: string, at: string): void {
  journal.run("UPDATE order_backups SET verified_at = ?, updated_at = ? WHERE order_id = ?", [at, at, orderId]);
}

export interface BackupFilter {
  states?: readonly BackupState[];
  isMissing?: boolean;
  canImport?: boolean;
  from?: string;
  to?: string;
  orderIds?: readonly string[];
  origin?: "local" | "imported";
}

function whereOf(filter: BackupFilter): { sql: string; params: (string | number)[] } {
  const clauses: string[] = [];
  const params: (string | number)[] = [];
  if (filter.states && filter.states.length > 0) {
    clauses.push(`state IN (${filter.states.map(() => "?").join(", ")})`);
    params.push(...filter.states);
  }
  if (filter.isMissing !== undefined) clauses.push(filter.isMissing ? "state = 'missing'" : "state <> 'missing'");
  if (filter.canImport !== undefined)
    clauses.push(filter.canImport ? "state IN ('missing', 'error')" : "state NOT IN ('missing', 'error')");
  if (filter.from) {
    clauses.push("business_date >= ?");
    params.push(filter.from);
  }
  if (filter.to) {
    clauses.push("business_date <= ?");
    params.push(filter.to);
  }
  if (filter.orderIds) {
    clauses.push(filter.orderIds.length === 0 ? "0" : `order_id IN (${filter.orderIds.map(() => "?").join(", ")})`);
    params.push(...filter.orderIds);
  }
  if (filter.origin) {
    clauses.push("origin = ?");
    params.push(filter.origin);
  }
  return { sql: clauses.length > 0 ? `WHERE ${clauses.join(" AND ")}` : "", params };
}

export function listOrderBackups(
  journal: Journal,
  filter: BackupFilter,
  limit: number,
  offset: number,
): { rows: OrderBackupRow[]; total: number } {
  const where = whereOf(filter);
  const rows = journal.all<OrderBackupRow>(
    `SELECT * FROM order_backups ${where.sql} ORDER BY order_seq DESC LIMIT ? OFFSET ?`,
    [...where.params, limit, offset],
  );
  const total =
    journal.get<{ n: number }>(`SELECT COUNT(*) AS n FROM order_backups ${where.sql}`, where.params)?.n ?? 0;
  return { rows, total };
}

export type StateCounts = Record<BackupState, number> & { total: number; amount: number };

function emptyCounts(): StateCounts {
  return { total: 0, amount: 0, backup: 0, synced: 0, verified: 0, missing: 0, imported: 0, duplicate: 0, error: 0 };
}

/** Counts by state overall and per business day, within an optional date range. */
export function backupCounts(
  journal: Journal,
  from?: string,
  to?: string,
): { overall: StateCounts; days: Map<string, StateCounts> } {
  const where = whereOf({ ...(from ? { from } : {}), ...(to ? { to } : {}) });
  const rows = journal.all<{ business_date: string; state: BackupState; n: number; amount: number }>(
    `SELECT business_date, state, COUNT(*) AS n, SUM(total) AS amount FROM order_backups ${where.sql} GROUP BY business_date, state`,
    where.params,
  );
  const overall = emptyCounts();
  const days = new Map<string, StateCounts>();
  for (const row of rows) {
    let day = days.get(row.business_date);
    if (!day) {
      day = emptyCounts();
      days.set(row.business_date, day);
    }
    for (const counts of [overall, day]) {
      counts[row.state] += row.n;
      counts.total += row.n;
      counts.amount += row.amount;
    }
  }
  return { overall, days };
}

/** A cash shift's window (migration 0007's `cash_shifts`, written by appliance/cash; read here only). */
export interface ShiftWindow {
  id: string;
  drawer: string;
  opened_at: string;
  closed_at: string | null;
}

/**
 * An order (alias `o`) placed while shift `s` was open: from its opening up to, not including, its
 * close. Times are ISO 8601 UTC as `iso()` writes them, so they compare as text.
 */
const IN_SHIFT = "o.created_at >= s.opened_at AND (s.closed_at IS NULL OR o.created_at < s.closed_at)";

function dateRange(from?: string, to?: string): { sql: string; params: string[] } {
  const clauses: string[] = [];
  const params: string[] = [];
  if (from) {
    clauses.push("o.business_date >= ?");
    params.push(from);
  }
  if (to) {
    clauses.push("o.business_date <= ?");
    params.push(to);
  }
  return { sql: clauses.length > 0 ? `AND ${clauses.join(" AND ")}` : "", params };
}

/** Whether any cash shift was ever opened on this board. */
export function anyCashShift(journal: Journal): boolean {
  return journal.get<{ n: number }>("SELECT EXISTS (SELECT 1 FROM cash_shifts) AS n")?.n === 1;
}

/** Cash shifts opened at or after `openedFrom` (ISO; all when undefined), newest first. */
export function cashShiftWindows(journal: Journal, openedFrom?: string): ShiftWindow[] {
  return journal.all<ShiftWindow>(
    `SELECT id, drawer, opened_at, closed_at FROM cash_shifts ${openedFrom ? "WHERE opened_at >= ?" : ""} ORDER BY opened_at DESC, id`,
    openedFrom ? [openedFrom] : [],
  );
}

/** The shift key of the orders placed while no shift was open. */
export const OUTSIDE_SHIFTS = "";

/**
 * Backup counts by state and journal order counts per cash shift, for the orders of business
 * days `from`..`to`; orders placed while no shift was open are under `OUTSIDE_SHIFTS`. With
 * several drawers an order placed while two shifts were open counts in both.
 */
export function backupCountsByShift(
  journal: Journal,
  from?: string,
  to?: string,
): { shifts: Map<string, StateCounts>; orders: Map<string, number>; windows: Map<string, ShiftWindow> } {
  const range = dateRange(from, to);
  const outside = `NOT EXISTS (SELECT 1 FROM cash_shifts s WHERE ${IN_SHIFT})`;
  const backupRows = journal.all<{ shift_id: string; state: BackupState; n: number; amount: number }>(
    `SELECT s.id AS shift_id, o.state, COUNT(*) AS n, SUM(o.total) AS amount
       FROM order_backups o JOIN cash_shifts s ON ${IN_SHIFT}
      WHERE 1 ${range.sql} GROUP BY s.id, o.state
     UNION ALL
     SELECT '${OUTSIDE_SHIFTS}', o.state, COUNT(*), SUM(o.total)
       FROM order_backups o WHERE ${outside} ${range.sql} GROUP BY o.state`,
    [...range.params, ...range.params],
  );
  const orderRows = journal.all<{ shift_id: string; n: number }>(
    `SELECT s.id AS shift_id, COUNT(*) AS n FROM orders o JOIN cash_shifts s ON ${IN_SHIFT}
      WHERE 1 ${range.sql} GROUP BY s.id
     UNION ALL
     SELECT '${OUTSIDE_SHIFTS}', COUNT(*) FROM orders o WHERE ${outside} ${range.sql}`,
    [...range.params, ...range.params],
  );
  const shifts = new Map<string, StateCounts>();
  for (const row of backupRows) {
    let counts = shifts.get(row.shift_id);
    if (!counts) {
      counts = emptyCounts();
      shifts.set(row.shift_id, counts);
    }
    counts[row.state] += row.n;
    counts.total += row.n;
    counts.amount += row.amount;
  }
  const orders = new Map(orderRows.filter((r) => r.n > 0).map((r) => [r.shift_id, r.n]));
  const ids = [...new Set([...shifts.keys(), ...orders.keys()])].filter((id) => id !== OUTSIDE_SHIFTS);
  const windows = new Map<string, ShiftWindow>();
  if (ids.length > 0) {
    for (const w of journal.all<ShiftWindow>(
      `SELECT id, drawer, opened_at, closed_at FROM cash_shifts WHERE id IN (${ids.map(() => "?").join(", ")})`,
      ids,
    ))
      windows.set(w.id, w);
  }
  return { shifts, orders, windows };
}

/** Orders in the journal per business day (reconciliation compares them with backup records). */
export function orderCountsByDay(journal: Journal, from?: string, to?: string): Map<string, number> {
  const clauses: string[] = [];
  const params: string[] = [];
  if (from) {
    clauses.push("business_date >= ?");
    params.push(from);
  }
  if (to) {
    clauses.push("business_date <= ?");
    params.push(to);
  }
  const rows = journal.all<{ business_date: string; n: number }>(
    `SELECT business_date, COUNT(*) AS n FROM orders ${clauses.length ? `WHERE ${clauses.join(" AND ")}` : ""} GROUP BY business_date`,
    params,
  );
  return new Map(rows.map((r) => [r.business_date, r.n]));
}

/** Records cleanup may delete: in `states`, created before `beforeMs`. */
export function cleanupCandidates(
  journal: Journal,
  beforeMs: number,
  states: readonly BackupState[],
  limit: number,
): OrderBackupRow[] {
  if (states.length === 0) return [];
  return journal.all<OrderBackupRow>(
    `SELECT * FROM order_backups WHERE created_at_ms < ? AND state IN (${states.map(() => "?").join(", ")}) ORDER BY order_seq LIMIT ?`,
    [beforeMs, ...states, limit],
  );
}

export function countCleanupCandidates(journal: Journal, beforeMs: number, states: readonly BackupState[]): number {
  if (states.length === 0) return 0;
  return (
    journal.get<{ n: number }>(
      `SELECT COUNT(*) AS n FROM order_backups WHERE created_at_ms < ? AND state IN (${states.map(() => "?").join(", ")})`,
      [beforeMs, ...states],
    )?.n ?? 0
  );
}

export function deleteOrderBackups(journal: Journal, orderIds: readonly string[]): number {
  let deleted = 0;
  for (const id of orderIds) deleted += journal.run("DELETE FROM order_backups WHERE order_id = ?", [id]).changes;
  return deleted;
}
