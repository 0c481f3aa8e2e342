/**
 * Attendance entries (migration 0007): clock actions and managers' corrections. A row is never
 * edited except to mark it superseded by the correction that replaces it, so what was clocked
 * stays visible next to what a manager made of it. "Effective" entries are those that count:
 * not superseded, not a removal.
 */
import type { AttendanceAction } from "../../protocol/schemas/cash.ts";
import type { Actor } from "../../protocol/schemas/orders.ts";
import type { Journal } from "./database.ts";

export interface AttendanceRow {
  seq: number;
  id: string;
  user_id: string;
  name: string;
  action: AttendanceAction;
  at: string;
  store_date: string;
  /** Canonical JSON of the Actor who recorded it. */
  actor: string;
  recorded_at: string;
  corrects: string | null;
  voided: number;
  reason: string | null;
  superseded_by: string | null;
}

export interface NewAttendanceEntry {
  seq: number;
  id: string;
  userId: string;
  name: string;
  action: AttendanceAction;
  at: string;
  storeDate: string;
  actor: Actor;
  recordedAt: string;
  corrects: string | null;
  voided: boolean;
  reason: string | null;
}

const EFFECTIVE = "superseded_by IS NULL AND voided = 0";

export function insertAttendance(journal: Journal, entry: NewAttendanceEntry): void {
  journal.run(
    `INSERT INTO attendance (seq, id, user_id, name, action, at, store_date, actor, recorded_at, corrects, voided, reason)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [
      entry.seq,
      entry.id,
      entry.userId,
      entry.name,
      entry.action,
      entry.at,
      entry.storeDate,
      JSON.stringify(entry.actor),
      entry.recordedAt,
      entry.corrects,
      entry.voided ? 1 : 0,
      entry.reason,
    ],
  );
}

export function getAttendance(journal: Journal, id: string): AttendanceRow | undefined {
  return journal.get<AttendanceRow>("SELECT * FROM attendance WHERE id = ?", [id]);
}

/** Marks `id` replaced by the correction `by`; false when it was already superseded. */
export function markSuperseded(journal: Journal, id: string, by: string): boolean {
  return (
    journal.run("UPDATE attendance SET superseded_by = ? WHERE id = ? AND superseded_by IS NULL", [by, id]).changes > 0
  );
}

/** Every row of a store day (corrections and superseded rows included), oldest first. */
export function attendanceOfDay(journal: Journal, storeDate: string, userId?: string): AttendanceRow[] {
  return userId === undefined
    ? journal.all<AttendanceRow>("SELECT * FROM attendance WHERE store_date = ? ORDER BY at, seq", [storeDate])
    : journal.all<AttendanceRow>("SELECT * FROM attendance WHERE store_date = ? AND user_id = ? ORDER BY at, seq", [
        storeDate,
        userId,
      ]);
}

/** The person's latest effective entry (their state now), if any. */
export function latestEffective(journal: Journal, userId: string): AttendanceRow | undefined {
  return journal.get<AttendanceRow>(
    `SELECT * FROM attendance WHERE user_id = ? AND ${EFFECTIVE} ORDER BY at DESC, seq DESC LIMIT 1`,
    [userId],
  );
}

/** The person's effective entries in [from, to) plus the last one before `from` (the state the window starts in). */
export function effectiveBetween(journal: Journal, userId: string, from: string, to: string): AttendanceRow[] {
  const before = journal.get<AttendanceRow>(
    `SELECT * FROM attendance WHERE user_id = ? AND ${EFFECTIVE} AND at < ? ORDER BY at DESC, seq DESC LIMIT 1`,
    [userId, from],
  );
  const within = journal.all<AttendanceRow>(
    `SELECT * FROM attendance WHERE user_id = ? AND ${EFFECTIVE} AND at >= ? AND at < ? ORDER BY at, seq`,
    [userId, from, to],
  );
  return before ? [before, ...within] : within;
}

/** People with a row on `storeDate` or whose latest effective entry leaves them in or on a break. */
export function attendancePeople(journal: Journal, storeDate: string): { userId: string; name: string }[] {
  return journal.all<{ userId: string; name: string }>(
    `SELECT user_id AS userId, name FROM attendance a
      WHERE a.seq = (SELECT MAX(b.seq) FROM attendance b WHERE b.user_id = a.user_id)
        AND (EXISTS (SELECT 1 FROM attendance c WHERE c.user_id = a.user_id AND c.store_date = ?)
          OR (SELECT d.action FROM attendance d WHERE d.user_id = a.user_id AND d.superseded_by IS NULL AND d.voided = 0
              ORDER BY d.at DESC, d.seq DESC LIMIT 1) IN ('clock_in', 'break_start', 'break_end'))
      ORDER BY name, user_id`,
    [storeDate],
  );
}
