/**
 * The outbox as people see it: history pages, counts per state and the backlog of
 * orders not yet upstream. Read-only.
 */
import { OPEN_STATES_SQL, type OutboxState, type Target } from "./outbox-types.ts";
import type { Journal } from "./database.ts";

export interface HistoryRow {
  id: number;
  order_id: string | null;
  event_seq: number;
  operation: string;
  state: string;
  attempts: number;
  last_status: number | null;
  last_error_code: string | null;
  last_error_detail: string | null;
  remote_id: string | null;
  next_attempt_at_ms: number;
  acked_at: string | null;
  verified_at: string | null;
  created_at: string;
  duration_ms: number | null;
}

const HISTORY_COLUMNS = `id, order_id, event_seq, operation, state, attempts, last_status, last_error_code, last_error_detail, remote_id, next_attempt_at_ms,
  acked_at, verified_at, created_at, duration_ms`;

export function history(
  journal: Journal,
  target: Target,
  states: readonly OutboxState[] | undefined,
  limit: number,
  offset: number,
): { rows: HistoryRow[]; total: number } {
  const where = states && states.length > 0 ? `AND state IN (${states.map(() => "?").join(", ")})` : "";
  const params = [target, ...(states ?? [])];
  const rows = journal.all<HistoryRow>(
    `SELECT ${HISTORY_COLUMNS} FROM outbox WHERE target = ? ${where} ORDER BY id DESC LIMIT ? OFFSET ?`,
    [...params, limit, offset],
  );
  const total =
    journal.get<{ n: number }>(`SELECT COUNT(*) AS n FROM outbox WHERE target = ? ${where}`, params)?.n ?? 0;
  return { rows, total };
}

/** One item's history row (what a re-queue or a manual sync answers with). */
export function historyRow(journal: Journal, id: number): HistoryRow | undefined {
  return journal.get<HistoryRow>(`SELECT ${HISTORY_COLUMNS} FROM outbox WHERE id = ?`, [id]);
}

/** Item counts per state for a target. */
export function stateCounts(journal: Journal, target: Target): Partial<Record<OutboxState, number>> {
  const rows = journal.all<{ state: string; n: number }>(
    "SELECT state, COUNT(*) AS n FROM outbox WHERE target = ? GROUP BY state",
    [target],
  );
  const out: Partial<Record<OutboxState, number>> = {};
  for (const r of rows) out[r.state as OutboxState] = r.n;
  return out;
}

/** Orders with something not yet upstream, and the oldest such item's creation time. */
export function backlog(journal: Journal, target: Target): { orders: number; items: number; oldestMs: number | null } {
  const row = journal.get<{ orders: number; items: number; oldest: number | null }>(
    `SELECT COUNT(DISTINCT order_id) AS orders, COUNT(*) AS items, MIN(created_at_ms) AS oldest FROM outbox WHERE target = ? AND state IN ${OPEN_STATES_SQL}`,
    [target],
  );
  return { orders: row?.orders ?? 0, items: row?.items ?? 0, oldestMs: row?.oldest ?? null };
}
