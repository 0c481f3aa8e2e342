/**
 * What the scheduled jobs did (migration 0004): one row per run, plus the reconciliation reports
 * and the notifications raised for people, with their delivery outbox.
 */
import type { Journal } from "./database.ts";

// ---------- job runs ----------

export type JobRunState = "running" | "ok" | "failed" | "skipped" | "interrupted";

export interface JobRunRow {
  id: number;
  job: string;
  trigger: string;
  state: JobRunState;
  started_at: string;
  started_at_ms: number;
  finished_at: string | null;
  summary: string;
  error: string | null;
}

export function startJobRun(journal: Journal, job: string, trigger: string, at: string, atMs: number): number {
  return journal.run(
    "INSERT INTO job_runs (job, trigger, state, started_at, started_at_ms) VALUES (?, ?, 'running', ?, ?)",
    [job, trigger, at, atMs],
  ).lastInsertRowid;
}

export function finishJobRun(
  journal: Journal,
  id: number,
  state: Exclude<JobRunState, "running">,
  at: string,
  summary: unknown,
  error: string | null,
): void {
  journal.run("UPDATE job_runs SET state = ?, finished_at = ?, summary = ?, error = ? WHERE id = ?", [
    state,
    at,
    JSON.stringify(summary ?? {}),
    error?.slice(0, 1_000) ?? null,
    id,
  ]);
}

/** Runs a crash left `running` are marked interrupted at start. */
export function interruptRunningJobs(journal: Journal, at: string): number {
  return journal.run("UPDATE job_runs SET state = 'interrupted', finished_at = ? WHERE state = 'running'", [at])
    .changes;
}

export function lastJobRun(journal: Journal, job: string): JobRunRow | undefined {
  return journal.get<JobRunRow>("SELECT * FROM job_runs WHERE job = ? ORDER BY id DESC LIMIT 1", [job]);
}

// ---------- reconciliations ----------

export interface ReconciliationRow {
  id: number;
  business_date: string;
  orders: number;
  backups: number;
  verified: number;
  synced: number;
  missing: number;
  errors: number;
  not_upstream: number;
  ok: number;
  trigger: string;
  at: string;
}

export function insertReconciliation(journal: Journal, row: Omit<ReconciliationRow, "id">): number {
  return journal.run(
    "INSERT INTO reconciliations (business_date, orders, backups, verified, synced, missing, errors, not_upstream, ok, trigger, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    [
      row.business_date,
      row.orders,
      row.backups,
      row.verified,
      row.synced,
      row.missing,
      row.errors,
      row.not_upstream,
      row.ok,
      row.trigger,
      row.at,
    ],
  ).lastInsertRowid;
}

export function listReconciliations(
  journal: Journal,
  businessDate: string | undefined,
  limit: number,
): ReconciliationRow[] {
  return businessDate
    ? journal.all<ReconciliationRow>("SELECT * FROM reconciliations WHERE business_date = ? ORDER BY id DESC LIMIT ?", [
        businessDate,
        limit,
      ])
    : journal.all<ReconciliationRow>("SELECT * FROM reconciliations ORDER BY id DESC LIMIT ?", [limit]);
}

// ---------- notifications ----------

export type Severity = "info" | "warning" | "critical";

export interface NotificationRow {
  id: number;
  kind: string;
  severity: Severity;
  target: string | null;
  order_id: string | null;
  message: string;
  details: string;
  raised_at: string;
  cleared_at: string | null;
  cleared_by: string | null;
  delivery_state: "none" | "pending" | "sent" | "retry_wait";
  delivery_attempts: number;
  next_delivery_ms: number;
  delivered_at: string | null;
}

export interface NewNotification {
  kind: string;
  severity: Severity;
  target: string | null;
  orderId: string | null;
  message: string;
  details: Record<string, unknown>;
  raisedAt: string;
  deliver: boolean;
}

export function insertNotification(journal: Journal, n: NewNotification): number {
  return journal.run(
    "INSERT INTO sync_notifications (kind, severity, target, order_id, message, details, raised_at, delivery_state) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
    [
      n.kind,
      n.severity,
      n.target,
      n.orderId,
      n.message,
      JSON.stringify(n.details),
      n.raisedAt,
      n.deliver ? "pending" : "none",
    ],
  ).lastInsertRowid;
}

export function listNotifications(
  journal: Journal,
  options: { open?: boolean; limit: number; offset: number },
): { rows: NotificationRow[]; total: number; open: number } {
  const where = options.open ? "WHERE cleared_at IS NULL" : "";
  const rows = journal.all<NotificationRow>(
    `SELECT * FROM sync_notifications ${where} ORDER BY id DESC LIMIT ? OFFSET ?`,
    [options.limit, options.offset],
  );
  const total = journal.get<{ n: number }>(`SELECT COUNT(*) AS n FROM sync_notifications ${where}`)?.n ?? 0;
  const open =
    journal.get<{ n: number }>("SELECT COUNT(*) AS n FROM sync_notifications WHERE cleared_at IS NULL")?.n ?? 0;
  return { rows, total, open };
}

export function getNotification(journal: Journal, id: number): NotificationRow | undefined {
  return journal.get<NotificationRow>("SELECT * FROM sync_notifications WHERE id = ?", [id]);
}

export function clearNotification(journal: Journal, id: number, by: string, at: string): boolean {
  return (
    journal.run("UPDATE sync_notifications SET cleared_at = ?, cleared_by = ? WHERE id = ? AND cleared_at IS NULL", [
      at,
      by,
      id,
    ]).changes === 1
  );
}

/** Whether an open notification of this kind (and target) exists, so a streak raises one, not one per failure. */
export function openNotificationExists(
  journal: Journal,
  kind: string,
  target: string | null,
  orderId: string | null,
): boolean {
  return (
    journal.get(
      "SELECT 1 AS x FROM sync_notifications WHERE kind = ? AND target IS ? AND order_id IS ? AND cleared_at IS NULL LIMIT 1",
      [kind, target, orderId],
    ) !== undefined
  );
}

export function dueDeliveries(journal: Journal, nowMs: number, limit: number): NotificationRow[] {
  return journal.all<NotificationRow>(
    "SELECT * FROM sync_notifications WHERE delivery_state IN ('pending', 'retry_wait') AND next_delivery_ms <= ? ORDER BY id LIMIT ?",
    [nowMs, limit],
  );
}

export function markDelivered(journal: Journal, id: number, at: string): void {
  journal.run(
    "UPDATE sync_notifications SET delivery_state = 'sent', delivered_at = ?, delivery_attempts = delivery_attempts + 1 WHERE id = ?",
    [at, id],
  );
}

export function markDeliveryRetry(journal: Journal, id: number, nextMs: number): void {
  journal.run(
    "UPDATE sync_notifications SET delivery_state = 'retry_wait', next_delivery_ms = ?, delivery_attempts = delivery_attempts + 1 WHERE id = ?",
    [nextMs, id],
  );
}
