/**
 * Sync targets and their sealed credentials (migration 0004): one row per upstream, its state
 * (active, blocked, disconnected), settings, failure streak and import cursor, and the tokens it
 * connects with, sealed at rest (appliance/lib/secret-box.ts). Plain queries; the rules live in
 * appliance/sync/.
 */
import type { Target } from "./outbox-types.ts";
import type { Journal } from "./database.ts";

export type TargetState = "active" | "blocked" | "disconnected";

export interface TargetRow {
  target: Target;
  state: TargetState;
  autoSync: boolean;
  settings: Record<string, unknown>;
  blockedCode: string | null;
  blockedReason: string | null;
  blockedAt: string | null;
  notBeforeMs: number;
  connectedAt: string | null;
  disconnectedAt: string | null;
  lastSuccessAt: string | null;
  lastError: string | null;
  lastErrorAt: string | null;
  consecutiveFailures: number;
  errorCount: number;
  importCursor: string | null;
}

interface TargetDbRow {
  target: string;
  state: string;
  auto_sync: number;
  settings: string;
  blocked_code: string | null;
  blocked_reason: string | null;
  blocked_at: string | null;
  not_before_ms: number;
  connected_at: string | null;
  disconnected_at: string | null;
  last_success_at: string | null;
  last_error: string | null;
  last_error_at: string | null;
  consecutive_failures: number;
  error_count: number;
  import_cursor: string | null;
}

function targetFromRow(row: TargetDbRow): TargetRow {
  return {
    target: row.target as Target,
    state: row.state as TargetState,
    autoSync: row.auto_sync === 1,
    settings: JSON.parse(row.settings) as Record<string, unknown>,
    blockedCode: row.blocked_code,
    blockedReason: row.blocked_reason,
    blockedAt: row.blocked_at,
    notBeforeMs: row.not_before_ms,
    connectedAt: row.connected_at,
    disconnectedAt: row.disconnected_at,
    lastSuccessAt: row.last_success_at,
    lastError: row.last_error,
    lastErrorAt: row.last_error_at,
    consecutiveFailures: row.consecutive_failures,
    errorCount: row.error_count,
    importCursor: row.import_cursor,
  };
}

export function getTarget(journal: Journal, target: Target): TargetRow | undefined {
  const row = journal.get<TargetDbRow>("SELECT * FROM sync_targets WHERE target = ?", [target]);
  return row ? targetFromRow(row) : undefined;
}

export function listTargets(journal: Journal): TargetRow[] {
  return journal.all<TargetDbRow>("SELECT * FROM sync_targets ORDER BY target").map(targetFromRow);
}

/** Connects (or reconnects) a target: active, unblocked, with these settings. */
export function connectTarget(
  journal: Journal,
  target: Target,
  settings: Record<string, unknown>,
  autoSync: boolean,
  at: string,
): void {
  journal.run(
    `INSERT INTO sync_targets (target, state, auto_sync, settings, connected_at, updated_at) VALUES (?, 'active', ?, ?, ?, ?)
     ON CONFLICT (target) DO UPDATE SET state = 'active', auto_sync = excluded.auto_sync, settings = excluded.settings,
       blocked_code = NULL, blocked_reason = NULL, blocked_at = NULL, not_before_ms = 0, connected_at = excluded.connected_at,
       disconnected_at = NULL, consecutive_failures = 0, updated_at = excluded.updated_at`,
    [target, autoSync ? 1 : 0, JSON.stringify(settings), at, at],
  );
}

export function disconnectTarget(journal: Journal, target: Target, at: string): void {
  journal.run("UPDATE sync_targets SET state = 'disconnected', disconnected_at = ?, updated_at = ? WHERE target = ?", [
    at,
    at,
    target,
  ]);
}

export function updateTargetSettings(
  journal: Journal,
  target: Target,
  settings: Record<string, unknown>,
  autoSync: boolean,
  at: string,
): void {
  journal.run("UPDATE sync_targets SET settings = ?, auto_sync = ?, updated_at = ? WHERE target = ?", [
    JSON.stringify(settings),
    autoSync ? 1 : 0,
    at,
    target,
  ]);
}

export function blockTarget(journal: Journal, target: Target, code: string, reason: string, at: string): void {
  journal.run(
    "UPDATE sync_targets SET state = 'blocked', blocked_code = ?, blocked_reason = ?, blocked_at = ?, updated_at = ? WHERE target = ? AND state <> 'disconnected'",
    [code, reason, at, at, target],
  );
}

export function setNotBefore(journal: Journal, target: Target, ms: number): void {
  journal.run("UPDATE sync_targets SET not_before_ms = MAX(not_before_ms, ?) WHERE target = ?", [ms, target]);
}

export function recordTargetSuccess(journal: Journal, target: Target, at: string): void {
  journal.run("UPDATE sync_targets SET last_success_at = ?, consecutive_failures = 0 WHERE target = ?", [at, target]);
}

/** Counts one more failed request in a row; returns the new streak length. */
export function recordTargetFailure(journal: Journal, target: Target, error: string, at: string): number {
  journal.run(
    "UPDATE sync_targets SET last_error = ?, last_error_at = ?, consecutive_failures = consecutive_failures + 1, error_count = error_count + 1 WHERE target = ?",
    [error.slice(0, 500), at, target],
  );
  return (
    journal.get<{ n: number }>("SELECT consecutive_failures AS n FROM sync_targets WHERE target = ?", [target])?.n ?? 0
  );
}

export function setImportCursor(journal: Journal, target: Target, cursor: string | null): void {
  journal.run("UPDATE sync_targets SET import_cursor = ? WHERE target = ?", [cursor, target]);
}

// ---------- credentials ----------

export interface SealedCredentials {
  sealed: string;
  keyId: string;
  accessExpiresAtMs: number | null;
  rotatedAt: string;
}

export function getCredentials(journal: Journal, target: Target): SealedCredentials | undefined {
  const row = journal.get<{ sealed: string; key_id: string; access_expires_at_ms: number | null; rotated_at: string }>(
    "SELECT * FROM sync_credentials WHERE target = ?",
    [target],
  );
  return row
    ? { sealed: row.sealed, keyId: row.key_id, accessExpiresAtMs: row.access_expires_at_ms, rotatedAt: row.rotated_at }
    : undefined;
}

export function putCredentials(
  journal: Journal,
  target: Target,
  sealed: string,
  keyId: string,
  accessExpiresAtMs: number | null,
  at: string,
): void {
  journal.run(
    `INSERT INTO sync_credentials (target, sealed, key_id, access_expires_at_ms, rotated_at) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (target) DO UPDATE SET sealed = excluded.sealed, key_id = excluded.key_id, access_expires_at_ms = excluded.access_expires_at_ms, rotated_at = excluded.rotated_at`,
    [target, sealed, keyId, accessExpiresAtMs, at],
  );
}

export function deleteCredentials(journal: Journal, target: Target): void {
  journal.run("DELETE FROM sync_credentials WHERE target = ?", [target]);
}
