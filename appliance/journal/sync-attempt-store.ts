/**
 * The sync request log (migration 0004, `sync_attempts`): one row per request made upstream,
 * batch or lookup, with its outcome; the integration stats count them.
 */
import type { Target } from "./outbox-types.ts";
import type { Journal } from "./database.ts";

export interface AttemptRow {
  target: Target;
  operation: string;
  outboxId: number | null;
  items: number;
  outcome: string;
  httpStatus: number | null;
  errorCode: string | null;
  detail: string | null;
  durationMs: number;
  at: string;
}

export function recordAttempt(journal: Journal, attempt: AttemptRow): void {
  journal.run(
    "INSERT INTO sync_attempts (target, operation, outbox_id, items, outcome, http_status, error_code, detail, duration_ms, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    [
      attempt.target,
      attempt.operation,
      attempt.outboxId,
      attempt.items,
      attempt.outcome,
      attempt.httpStatus,
      attempt.errorCode,
      attempt.detail?.slice(0, 500) ?? null,
      Math.round(attempt.durationMs),
      attempt.at,
    ],
  );
}

export function attemptCount(journal: Journal, target: Target): number {
  return journal.get<{ n: number }>("SELECT COUNT(*) AS n FROM sync_attempts WHERE target = ?", [target])?.n ?? 0;
}
