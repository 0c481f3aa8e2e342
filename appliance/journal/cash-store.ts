/**
 * Cash shifts, their movements, the payments and refunds taken while they were open, and their
 * X/Z reports (migration 0007). Rows are written next to their `cash.*` or `payment.*` event in
 * one transaction; a shift's running figures are never stored (appliance/cash/summary.ts derives
 * them), only the frozen copy at its close.
 */
import type { CashMoveType, CashMovementView, CashSummary, Denomination } from "../../protocol/schemas/cash.ts";
import type { Actor } from "../../protocol/schemas/orders.ts";
import type { Journal } from "./database.ts";

export interface ShiftRecord {
  id: string;
  drawer: string;
  status: "open" | "closed";
  openingFloat: number;
  currency: string;
  openedAt: string;
  openedBy: Actor;
  openedSeq: number;
  closedAt: string | null;
  closedBy: Actor | null;
  counted: number | null;
  denominations: Denomination[];
  note: string | null;
  /** The figures frozen at the close (null while open). */
  summary: CashSummary | null;
}

interface ShiftRow {
  id: string;
  drawer: string;
  status: string;
  opening_float: number;
  currency: string;
  opened_at: string;
  opened_by: string;
  opened_seq: number;
  closed_at: string | null;
  closed_by: string | null;
  counted: number | null;
  denominations: string;
  note: string | null;
  summary: string | null;
}

function shiftFromRow(row: ShiftRow): ShiftRecord {
  return {
    id: row.id,
    drawer: row.drawer,
    status: row.status === "open" ? "open" : "closed",
    openingFloat: row.opening_float,
    currency: row.currency,
    openedAt: row.opened_at,
    openedBy: JSON.parse(row.opened_by) as Actor,
    openedSeq: row.opened_seq,
    closedAt: row.closed_at,
    closedBy: row.closed_by === null ? null : (JSON.parse(row.closed_by) as Actor),
    counted: row.counted,
    denominations: JSON.parse(row.denominations) as Denomination[],
    note: row.note,
    summary: row.summary === null ? null : (JSON.parse(row.summary) as CashSummary),
  };
}

export function insertShift(
  journal: Journal,
  shift: Pick<ShiftRecord, "id" | "drawer" | "openingFloat" | "currency" | "openedAt" | "openedBy" | "openedSeq">,
): void {
  journal.run(
    "INSERT INTO cash_shifts (id, drawer, status, opening_float, currency, opened_at, opened_by, opened_seq) VALUES (?, ?, 'open', ?, ?, ?, ?, ?)",
    [
      shift.id,
      shift.drawer,
      shift.openingFloat,
      shift.currency,
      shift.openedAt,
      JSON.stringify(shift.openedBy),
      shift.openedSeq,
    ],
  );
}

/** Whether `error` is the partial unique index refusing a second open shift on a drawer. */
export function isSecondOpenShift(error: unknown): boolean {
  return error instanceof Error && /UNIQUE constraint failed: cash_shifts\.drawer/.test(error.message);
}

export function closeShiftRow(
  journal: Journal,
  id: string,
  close: {
    closedAt: string;
    closedBy: Actor;
    closedSeq: number;
    counted: number;
    denominations: Denomination[];
    note: string | null;
    summary: CashSummary;
  },
): void {
  journal.run(
    "UPDATE cash_shifts SET status = 'closed', closed_at = ?, closed_by = ?, closed_seq = ?, counted = ?, denominations = ?, note = ?, summary = ? WHERE id = ? AND status = 'open'",
    [
      close.closedAt,
      JSON.stringify(close.closedBy),
      close.closedSeq,
      close.counted,
      JSON.stringify(close.denominations),
      close.note,
      JSON.stringify(close.summary),
      id,
    ],
  );
}

export function getShift(journal: Journal, id: string): ShiftRecord | undefined {
  const row = journal.get<ShiftRow>("SELECT * FROM cash_shifts WHERE id = ?", [id]);
  return row && shiftFromRow(row);
}

export function openShiftOf(journal: Journal, drawer: string): ShiftRecord | undefined {
  const row = journal.get<ShiftRow>("SELECT * FROM cash_shifts WHERE drawer = ? AND status = 'open'", [drawer]);
  return row && shiftFromRow(row);
}

/** Every open shift, most recently opened first. */
export function openShifts(journal: Journal): ShiftRecord[] {
  return journal
    .all<ShiftRow>("SELECT * FROM cash_shifts WHERE status = 'open' ORDER BY opened_seq DESC")
    .map(shiftFromRow);
}

/** Shifts newest first, optionally of one drawer and opened before `before`. */
export function listShifts(
  journal: Journal,
  query: { drawer?: string | undefined; before?: string | undefined; limit: number },
): ShiftRecord[] {
  const where: string[] = [];
  const params: (string | number)[] = [];
  if (query.drawer !== undefined) {
    where.push("drawer = ?");
    params.push(query.drawer);
  }
  if (query.before !== undefined) {
    where.push("opened_at < ?");
    params.push(query.before);
  }
  const clause = where.length > 0 ? `WHERE ${where.join(" AND ")}` : "";
  return journal
    .all<ShiftRow>(`SELECT * FROM cash_shifts ${clause} ORDER BY opened_at DESC, opened_seq DESC LIMIT ?`, [
      ...params,
      query.limit,
    ])
    .map(shiftFromRow);
}

// ---------------------------------------------------------------------------------------------
// Movements

export interface MovementRecord {
  view: CashMovementView;
  idempotencyKey: string;
  requestHash: string;
}

interface MovementRow {
  seq: number;
  id: string;
  shift_id: string;
  type: string;
  amount: number;
  reason: string;
  actor: string;
  created_at: string;
  idempotency_key: string;
  request_hash: string;
}

function movementFromRow(row: MovementRow): MovementRecord {
  return {
    view: {
      id: row.id,
      shiftId: row.shift_id,
      type: row.type as CashMoveType,
      amount: row.amount,
      reason: row.reason,
      by: JSON.parse(row.actor) as Actor,
      at: row.created_at,
      seq: row.seq,
    },
    idempotencyKey: row.idempotency_key,
    requestHash: row.request_hash,
  };
}

export function insertMovement(journal: Journal, view: CashMovementView, key: string, requestHash: string): void {
  journal.run(
    "INSERT INTO cash_movements (seq, id, shift_id, type, amount, reason, actor, created_at, idempotency_key, request_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    [
      view.seq,
      view.id,
      view.shiftId,
      view.type,
      view.amount,
      view.reason,
      JSON.stringify(view.by),
      view.at,
      key,
      requestHash,
    ],
  );
}

export function findMovement(journal: Journal, by: { key: string } | { id: string }): MovementRecord | undefined {
  const row =
    "key" in by
      ? journal.get<MovementRow>("SELECT * FROM cash_movements WHERE idempotency_key = ?", [by.key])
      : journal.get<MovementRow>("SELECT * FROM cash_movements WHERE id = ?", [by.id]);
  return row && movementFromRow(row);
}

export function movementsOf(journal: Journal, shiftId: string): CashMovementView[] {
  return journal
    .all<MovementRow>("SELECT * FROM cash_movements WHERE shift_id = ? ORDER BY seq", [shiftId])
    .map((row) => movementFromRow(row).view);
}

// ---------------------------------------------------------------------------------------------
// Payments and refunds counted in a shift

export interface ShiftPayment {
  shiftId: string;
  kind: "payment" | "refund";
  refId: string;
  /** The payment's method, or the refund's route. */
  method: string;
  amount: number;
  tip: number;
  orderId: string;
  seq: number;
}

export function insertShiftPayment(journal: Journal, row: ShiftPayment): void {
  journal.run(
    "INSERT INTO cash_shift_payments (shift_id, kind, ref_id, method, amount, tip, order_id, seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
    [row.shiftId, row.kind, row.refId, row.method, row.amount, row.tip, row.orderId, row.seq],
  );
}

/** A shift's payments and refunds; a refund also names the method of the payment it gave back on. */
export function shiftPayments(journal: Journal, shiftId: string): (ShiftPayment & { paymentMethod: string | null })[] {
  return journal
    .all<{
      kind: string;
      ref_id: string;
      method: string;
      amount: number;
      tip: number;
      order_id: string;
      seq: number;
      payment_method: string | null;
    }>(
      `SELECT s.kind, s.ref_id, s.method, s.amount, s.tip, s.order_id, s.seq,
              (SELECT p.method FROM refunds r JOIN payments p ON p.id = r.payment_id WHERE r.id = s.ref_id) AS payment_method
         FROM cash_shift_payments s WHERE s.shift_id = ? ORDER BY s.seq`,
      [shiftId],
    )
    .map((row) => ({
      shiftId,
      kind: row.kind === "refund" ? "refund" : "payment",
      refId: row.ref_id,
      method: row.method,
      amount: row.amount,
      tip: row.tip,
      orderId: row.order_id,
      seq: row.seq,
      paymentMethod: row.kind === "refund" ? row.payment_method : null,
    }));
}

// ---------------------------------------------------------------------------------------------
// Reports

export interface ReportRecord {
  id: string;
  shiftId: string;
  kind: "x" | "z";
  by: Actor;
  at: string;
  seq: number;
  /** The `cash.report_created` payload as written. */
  payload: {
    drawer: string;
    openedAt: string;
    closedAt: string | null;
    summary: CashSummary;
    movements: CashMovementView[];
  };
}

interface ReportRow {
  seq: number;
  id: string;
  shift_id: string;
  kind: string;
  actor: string;
  created_at: string;
  payload: string;
}

function reportFromRow(row: ReportRow): ReportRecord {
  return {
    id: row.id,
    shiftId: row.shift_id,
    kind: row.kind === "z" ? "z" : "x",
    by: JSON.parse(row.actor) as Actor,
    at: row.created_at,
    seq: row.seq,
    payload: JSON.parse(row.payload) as ReportRecord["payload"],
  };
}

export function insertReport(journal: Journal, report: ReportRecord): void {
  journal.run(
    "INSERT INTO cash_reports (seq, id, shift_id, kind, actor, created_at, payload) VALUES (?, ?, ?, ?, ?, ?, ?)",
    [
      report.seq,
      report.id,
      report.shiftId,
      report.kind,
      JSON.stringify(report.by),
      report.at,
      JSON.stringify(report.payload),
    ],
  );
}

export function getReport(journal: Journal, id: string): ReportRecord | undefined {
  const row = journal.get<ReportRow>("SELECT * FROM cash_reports WHERE id = ?", [id]);
  return row && reportFromRow(row);
}

/** A shift's reports, oldest first (without their payloads). */
export function reportsOf(journal: Journal, shiftId: string): { id: string; kind: "x" | "z"; at: string }[] {
  return journal
    .all<{
      id: string;
      kind: string;
      created_at: string;
    }>("SELECT id, kind, created_at FROM cash_reports WHERE shift_id = ? ORDER BY seq", [shiftId])
    .map((row) => ({ id: row.id, kind: row.kind === "z" ? "z" : "x", at: row.created_at }));
}

/** The report's print job, written by the devices feature as `report:<reportId>:<printerId>`; null without one. */
export function printJobOfReport(journal: Journal, reportId: string): string | null {
  return (
    journal.get<{ id: string }>("SELECT id FROM print_jobs WHERE idempotency_key LIKE 'report:' || ? || ':%' LIMIT 1", [
      reportId,
    ])?.id ?? null
  );
}
