/** Journal backup records (migration 0004): every backup file galleyd or `galley backup` wrote, and its fate. */
import type { Journal } from "./database.ts";

export type JournalBackupState = "creating" | "ready" | "failed" | "deleting" | "deleted";

export interface JournalBackupRow {
  id: number;
  file: string;
  state: JournalBackupState;
  trigger: string;
  created_at: string;
  created_at_ms: number;
  boot_count: number;
  clock_synced: number;
  size_bytes: number | null;
  sha256: string | null;
  page_count: number | null;
  seq: number | null;
  integrity: string | null;
  error: string | null;
  deleted_at: string | null;
}

export function insertBackupRow(
  journal: Journal,
  row: {
    file: string;
    trigger: string;
    createdAt: string;
    createdAtMs: number;
    bootCount: number;
    clockSynced: boolean;
  },
): number {
  return journal.run(
    "INSERT INTO journal_backups (file, state, trigger, created_at, created_at_ms, boot_count, clock_synced) VALUES (?, 'creating', ?, ?, ?, ?, ?)",
    [row.file, row.trigger, row.createdAt, row.createdAtMs, row.bootCount, row.clockSynced ? 1 : 0],
  ).lastInsertRowid;
}

export function markBackupReady(
  journal: Journal,
  id: number,
  info: { file: string; sizeBytes: number; sha256: string; pageCount: number; seq: number; integrity: string },
): void {
  journal.run(
    "UPDATE journal_backups SET state = 'ready', file = ?, size_bytes = ?, sha256 = ?, page_count = ?, seq = ?, integrity = ? WHERE id = ?",
    [info.file, info.sizeBytes, info.sha256, info.pageCount, info.seq, info.integrity, id],
  );
}

export function markBackupFailed(journal: Journal, id: number, error: string): void {
  journal.run("UPDATE journal_backups SET state = 'failed', error = ? WHERE id = ?", [error.slice(0, 1_000), id]);
}

export function markBackupDeleting(journal: Journal, id: number): void {
  journal.run("UPDATE journal_backups SET state = 'deleting' WHERE id = ? AND state = 'ready'", [id]);
}

export function markBackupDeleted(journal: Journal, id: number, at: string): void {
  journal.run("UPDATE journal_backups SET state = 'deleted', deleted_at = ? WHERE id = ?", [at, id]);
}

export function backupRows(journal: Journal, states?: readonly JournalBackupState[]): JournalBackupRow[] {
  if (!states) return journal.all<JournalBackupRow>("SELECT * FROM journal_backups ORDER BY id");
  return journal.all<JournalBackupRow>(
    `SELECT * FROM journal_backups WHERE state IN (${states.map(() => "?").join(", ")}) ORDER BY id`,
    [...states],
  );
}

export function bootCount(journal: Journal): number {
  return journal.get<{ boot_count: number }>("SELECT boot_count FROM device WHERE singleton = 1")?.boot_count ?? 0;
}
