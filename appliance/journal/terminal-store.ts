/**
 * What the payments feature keeps about each card terminal beside its attempts: its secret
 * (`terminal_credentials`, sealed with the board's key; provider secrets use the same table under
 * `provider:<name>`) and its end-of-day closings (`terminal_closings`, migration 0006).
 */
import type { Journal } from "./database.ts";

export function sealedCredentials(journal: Journal, terminal: string): string | undefined {
  return journal.get<{ sealed: string }>("SELECT sealed FROM terminal_credentials WHERE terminal = ?", [terminal])
    ?.sealed;
}

export function saveCredentials(journal: Journal, terminal: string, sealed: string, at: string): void {
  journal.run(
    `INSERT INTO terminal_credentials (terminal, sealed, updated_at) VALUES (?, ?, ?)
     ON CONFLICT (terminal) DO UPDATE SET sealed = excluded.sealed, updated_at = excluded.updated_at`,
    [terminal, sealed, at],
  );
}

export interface ClosingRecord {
  id: number;
  terminal: string;
  closedAt: string;
  since: string | null;
  currency: string;
  terminalTotal: number;
  terminalCount: number;
  journalTotal: number;
  journalCount: number;
  error: string | null;
  receipt: string[];
}

interface ClosingRow {
  id: number;
  terminal: string;
  closed_at: string;
  since: string | null;
  currency: string;
  terminal_total: number;
  terminal_count: number;
  journal_total: number;
  journal_count: number;
  error: string | null;
  receipt: string;
}

function closingFromRow(row: ClosingRow): ClosingRecord {
  return {
    id: row.id,
    terminal: row.terminal,
    closedAt: row.closed_at,
    since: row.since,
    currency: row.currency,
    terminalTotal: row.terminal_total,
    terminalCount: row.terminal_count,
    journalTotal: row.journal_total,
    journalCount: row.journal_count,
    error: row.error,
    receipt: JSON.parse(row.receipt) as string[],
  };
}

export function insertClosing(journal: Journal, closing: Omit<ClosingRecord, "id">): ClosingRecord {
  const result = journal.run(
    `INSERT INTO terminal_closings (terminal, closed_at, since, currency, terminal_total, terminal_count, journal_total,
       journal_count, error, receipt) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [
      closing.terminal,
      closing.closedAt,
      closing.since,
      closing.currency,
      closing.terminalTotal,
      closing.terminalCount,
      closing.journalTotal,
      closing.journalCount,
      closing.error,
      JSON.stringify(closing.receipt),
    ],
  );
  return { ...closing, id: result.lastInsertRowid };
}

/** The last successful closing of a terminal (the next one counts from it). */
export function lastClosing(journal: Journal, terminal: string): ClosingRecord | undefined {
  const row = journal.get<ClosingRow>(
    "SELECT * FROM terminal_closings WHERE terminal = ? AND error IS NULL ORDER BY id DESC LIMIT 1",
    [terminal],
  );
  return row ? closingFromRow(row) : undefined;
}

export function recentClosings(journal: Journal, limit: number): ClosingRecord[] {
  return journal
    .all<ClosingRow>("SELECT * FROM terminal_closings ORDER BY id DESC LIMIT ?", [limit])
    .map(closingFromRow);
}
