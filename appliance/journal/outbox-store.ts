/**
 * Outbox rows (migration 0004): one per (event, target, operation), written inside the event's own
 * transaction (appliance/sync/outbox.ts), leased and moved by the worker. Plain queries; the state
 * machine lives in appliance/sync/states.ts. Callers that write are inside `journal.transaction()`.
 */
import { OPEN_STATES_SQL, type Operation, type OutboxItem, type OutboxState, type Target } from "./outbox-types.ts";
import type { Journal } from "./database.ts";

interface OutboxDbRow {
  id: number;
  event_seq: number;
  event_id: string;
  target: string;
  operation: string;
  order_id: string | null;
  depends_on: number | null;
  idempotency_key: string;
  state: string;
  attempted: number;
  attempts: number;
  outcome_unknown: number;
  created_at_ms: number;
  first_attempt_at_ms: number | null;
  last_attempt_at_ms: number | null;
  next_attempt_at_ms: number;
  remote_id: string | null;
  remote_version: number | null;
  import_requested: number;
}

const ITEM_COLUMNS = `o.id, o.event_seq, o.event_id, o.target, o.operation, o.order_id, o.depends_on, o.idempotency_key, o.state, o.attempted,
  o.attempts, o.outcome_unknown, o.created_at_ms, o.first_attempt_at_ms, o.last_attempt_at_ms, o.next_attempt_at_ms, o.remote_id, o.remote_version, o.import_requested`;

function itemFromRow(row: OutboxDbRow): OutboxItem {
  return {
    id: row.id,
    eventSeq: row.event_seq,
    eventId: row.event_id,
    target: row.target as Target,
    operation: row.operation as Operation,
    orderId: row.order_id,
    dependsOn: row.depends_on,
    idempotencyKey: row.idempotency_key,
    state: row.state as OutboxState,
    attempted: row.attempted === 1,
    attempts: row.attempts,
    outcomeUnknown: row.outcome_unknown === 1,
    createdAtMs: row.created_at_ms,
    firstAttemptAtMs: row.first_attempt_at_ms,
    lastAttemptAtMs: row.last_attempt_at_ms,
    nextAttemptAtMs: row.next_attempt_at_ms,
    remoteId: row.remote_id,
    remoteVersion: row.remote_version,
    importRequested: row.import_requested === 1,
  };
}

/** A row to write, in the same transaction as its event: the item's identity, the rest starts fresh. */
export interface NewOutboxRow extends Pick<
  OutboxItem,
  "eventSeq" | "eventId" | "target" | "operation" | "orderId" | "dependsOn" | "idempotencyKey" | "createdAtMs"
> {
  createdAt: string;
}

/** Inserts the row unless (target, event, operation) already has one; returns the row's id either way. */
export function insertOutbox(journal: Journal, row: NewOutboxRow): { id: number; created: boolean } {
  const result = journal.run(
    `INSERT INTO outbox (event_seq, event_id, target, operation, order_id, depends_on, idempotency_key, state, created_at, created_at_ms, next_attempt_at_ms)
     VALUES (?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?, 0) ON CONFLICT (target, event_id, operation) DO NOTHING`,
    [
      row.eventSeq,
      row.eventId,
      row.target,
      row.operation,
      row.orderId,
      row.dependsOn,
      row.idempotencyKey,
      row.createdAt,
      row.createdAtMs,
    ],
  );
  if (result.changes === 1) return { id: result.lastInsertRowid, created: true };
  const existing = journal.get<{ id: number }>(
    "SELECT id FROM outbox WHERE target = ? AND event_id = ? AND operation = ?",
    [row.target, row.eventId, row.operation],
  );
  return { id: existing?.id ?? 0, created: false };
}

export function getItem(journal: Journal, id: number): OutboxItem | undefined {
  const row = journal.get<OutboxDbRow>(`SELECT ${ITEM_COLUMNS} FROM outbox o WHERE o.id = ?`, [id]);
  return row ? itemFromRow(row) : undefined;
}

/** The current state of an item (guards every transition against a concurrent writer). */
export function itemState(journal: Journal, id: number): OutboxState | undefined {
  return journal.get<{ state: string }>("SELECT state FROM outbox WHERE id = ?", [id])?.state as
    OutboxState | undefined;
}

export function itemsOfOrder(journal: Journal, orderId: string, target: Target): OutboxItem[] {
  return journal
    .all<OutboxDbRow>(
      `SELECT ${ITEM_COLUMNS} FROM outbox o WHERE o.order_id = ? AND o.target = ? ORDER BY o.event_seq`,
      [orderId, target],
    )
    .map(itemFromRow);
}

export function findItem(
  journal: Journal,
  target: Target,
  eventId: string,
  operation: Operation,
): OutboxItem | undefined {
  const row = journal.get<OutboxDbRow>(
    `SELECT ${ITEM_COLUMNS} FROM outbox o WHERE o.target = ? AND o.event_id = ? AND o.operation = ?`,
    [target, eventId, operation],
  );
  return row ? itemFromRow(row) : undefined;
}

/** The create_order item of an order for a provider target (a payment waits for it). */
export function orderCreateItem(
  journal: Journal,
  target: Target,
  orderId: string,
  operation: Operation,
): OutboxItem | undefined {
  const row = journal.get<OutboxDbRow>(
    `SELECT ${ITEM_COLUMNS} FROM outbox o WHERE o.order_id = ? AND o.target = ? AND o.operation = ?`,
    [orderId, target, operation],
  );
  return row ? itemFromRow(row) : undefined;
}

/** The first `limit` open items of an ordered target, oldest seq first. */
export function openHead(journal: Journal, target: Target, limit: number): OutboxItem[] {
  return journal
    .all<OutboxDbRow>(
      `SELECT ${ITEM_COLUMNS} FROM outbox o WHERE o.target = ? AND o.state IN ${OPEN_STATES_SQL} ORDER BY o.event_seq LIMIT ?`,
      [target, limit],
    )
    .map(itemFromRow);
}

/** Open items of an unordered target that are due and whose dependency is done, oldest seq first. */
export function dueItems(journal: Journal, target: Target, nowMs: number, limit: number): OutboxItem[] {
  return journal
    .all<OutboxDbRow>(
      `SELECT ${ITEM_COLUMNS} FROM outbox o LEFT JOIN outbox d ON d.id = o.depends_on
       WHERE o.target = ? AND o.state IN ${OPEN_STATES_SQL} AND o.state <> 'sending' AND o.next_attempt_at_ms <= ?
         AND (o.depends_on IS NULL OR d.state IN ('acked', 'verified'))
       ORDER BY o.event_seq LIMIT ?`,
      [target, nowMs, limit],
    )
    .map(itemFromRow);
}

/** The earliest time an open, not-leased item of `target` becomes due (undefined: none). */
export function nextDueAt(journal: Journal, target: Target): number | undefined {
  const row = journal.get<{ t: number | null }>(
    `SELECT MIN(next_attempt_at_ms) AS t FROM outbox WHERE target = ? AND state IN ${OPEN_STATES_SQL} AND state <> 'sending'`,
    [target],
  );
  return row?.t ?? undefined;
}

/** Marks items `sending` under a lease; `attempted=1` in the same transaction (docs/architecture.md#outbox-states). */
export function leaseItems(
  journal: Journal,
  ids: readonly number[],
  owner: string,
  nowMs: number,
  leaseUntilMs: number,
): void {
  for (const id of ids) {
    journal.run(
      `UPDATE outbox SET state = 'sending', attempted = 1, attempts = attempts + 1, first_attempt_at_ms = COALESCE(first_attempt_at_ms, ?),
         last_attempt_at_ms = ?, lease_owner = ?, lease_expires_at_ms = ? WHERE id = ?`,
      [nowMs, nowMs, owner, leaseUntilMs, id],
    );
  }
}

/**
 * Items left `sending` by a process that died (or whose lease ran out): their outcome is unknown,
 * so they wait for a retry with the same key (docs/architecture.md#outbox-states). `exceptOwner`
 * undefined: every lease.
 */
export function recoverLeases(journal: Journal, nowMs: number, exceptOwner?: string): number {
  const result =
    exceptOwner === undefined
      ? journal.run(
          "UPDATE outbox SET state = 'retry_wait', outcome_unknown = 1, next_attempt_at_ms = ?, lease_owner = NULL, lease_expires_at_ms = NULL WHERE state = 'sending'",
          [nowMs],
        )
      : journal.run(
          "UPDATE outbox SET state = 'retry_wait', outcome_unknown = 1, next_attempt_at_ms = ?, lease_owner = NULL, lease_expires_at_ms = NULL WHERE state = 'sending' AND (lease_owner <> ? OR lease_expires_at_ms <= ?)",
          [nowMs, exceptOwner, nowMs],
        );
  return result.changes;
}

export interface ItemUpdate {
  state: OutboxState;
  nextAttemptAtMs?: number;
  status?: number | null;
  errorCode?: string | null;
  errorDetail?: string | null;
  remoteId?: string | null;
  remoteVersion?: number | null;
  ackedAt?: string;
  ackedAtMs?: number;
  verifiedAt?: string;
  checkedAtMs?: number;
  durationMs?: number;
  outcomeUnknown?: boolean;
  networkFailure?: boolean;
  requeuedBy?: string;
  importRequested?: boolean;
}

/** Writes one item's new state and whatever came with it; clears the lease. */
export function updateItem(journal: Journal, id: number, update: ItemUpdate): void {
  const sets = ["state = ?", "lease_owner = NULL", "lease_expires_at_ms = NULL"];
  const params: (string | number | null)[] = [update.state];
  const add = (column: string, value: string | number | null) => {
    sets.push(`${column} = ?`);
    params.push(value);
  };
  if (update.nextAttemptAtMs !== undefined) add("next_attempt_at_ms", update.nextAttemptAtMs);
  if (update.status !== undefined) add("last_status", update.status);
  if (update.errorCode !== undefined) add("last_error_code", update.errorCode);
  if (update.errorDetail !== undefined)
    add("last_error_detail", update.errorDetail === null ? null : update.errorDetail.slice(0, 1_000));
  if (update.remoteId !== undefined) add("remote_id", update.remoteId);
  if (update.remoteVersion !== undefined) add("remote_version", update.remoteVersion);
  if (update.ackedAt !== undefined) add("acked_at", update.ackedAt);
  if (update.ackedAtMs !== undefined) add("acked_at_ms", update.ackedAtMs);
  if (update.verifiedAt !== undefined) add("verified_at", update.verifiedAt);
  if (update.checkedAtMs !== undefined) add("checked_at_ms", update.checkedAtMs);
  if (update.durationMs !== undefined) add("duration_ms", Math.round(update.durationMs));
  if (update.outcomeUnknown !== undefined) add("outcome_unknown", update.outcomeUnknown ? 1 : 0);
  if (update.networkFailure !== undefined) add("network_failure", update.networkFailure ? 1 : 0);
  if (update.requeuedBy !== undefined) add("requeued_by", update.requeuedBy);
  if (update.importRequested !== undefined) add("import_requested", update.importRequested ? 1 : 0);
  params.push(id);
  journal.run(`UPDATE outbox SET ${sets.join(", ")} WHERE id = ?`, params);
}

/** The network is back: items that failed only because it was down become due now. */
export function wakeNetworkFailures(journal: Journal, target: Target, nowMs: number): number {
  return journal.run(
    "UPDATE outbox SET next_attempt_at_ms = ?, network_failure = 0 WHERE target = ? AND state = 'retry_wait' AND network_failure = 1",
    [nowMs, target],
  ).changes;
}

/** "Sync now": every waiting item of the target is due at once (a target-wide Retry-After still holds). */
export function makeDueNow(journal: Journal, target: Target, nowMs: number): number {
  return journal.run(
    `UPDATE outbox SET next_attempt_at_ms = ? WHERE target = ? AND state IN ${OPEN_STATES_SQL} AND state IN ('retry_wait', 'needs_lookup')`,
    [nowMs, target],
  ).changes;
}

/**
 * Items to verify, oldest first, after `afterId`: every item acknowledged but not yet verified,
 * however old, and verified ones acknowledged within the window (re-checked)
 * (docs/architecture.md#verification).
 */
export function verificationCandidates(
  journal: Journal,
  target: Target,
  sinceMs: number,
  afterId: number,
  limit: number,
  onlyOrderIds?: readonly string[],
): OutboxItem[] {
  if (onlyOrderIds) {
    if (onlyOrderIds.length === 0) return [];
    return journal
      .all<OutboxDbRow>(
        `SELECT ${ITEM_COLUMNS} FROM outbox o WHERE o.target = ? AND o.state IN ('acked', 'verified') AND o.id > ? AND o.order_id IN (${onlyOrderIds.map(() => "?").join(", ")}) ORDER BY o.id LIMIT ?`,
        [target, afterId, ...onlyOrderIds, limit],
      )
      .map(itemFromRow);
  }
  return journal
    .all<OutboxDbRow>(
      `SELECT ${ITEM_COLUMNS} FROM outbox o WHERE o.target = ? AND (o.state = 'acked' OR (o.state = 'verified' AND o.acked_at_ms >= ?)) AND o.id > ? ORDER BY o.id LIMIT ?`,
      [target, sinceMs, afterId, limit],
    )
    .map(itemFromRow);
}

/** Items of the target whose seq lies in (fromSeq, toSeq], acked or verified (central: check after a gap). */
export function ackedInSeqRange(journal: Journal, target: Target, fromSeq: number, toSeq: number): OutboxItem[] {
  return journal
    .all<OutboxDbRow>(
      `SELECT ${ITEM_COLUMNS} FROM outbox o WHERE o.target = ? AND o.event_seq > ? AND o.event_seq <= ? AND o.state IN ('acked', 'verified') ORDER BY o.event_seq`,
      [target, fromSeq, toSeq],
    )
    .map(itemFromRow);
}

/** Whether an item of `target` with seq ≤ `seq` is not yet verified (a backup waits for central to hold it). */
export function unverifiedThrough(journal: Journal, target: Target, seq: number): boolean {
  return (
    journal.get("SELECT 1 AS x FROM outbox WHERE target = ? AND event_seq <= ? AND state <> 'verified' LIMIT 1", [
      target,
      seq,
    ]) !== undefined
  );
}

/** The seq of the item of `target` before `seq` whose event belongs to `instanceId` (central's prev_seq chain). */
export function previousStreamSeq(journal: Journal, target: Target, seq: number, instanceId: string): number {
  const row = journal.get<{ s: number }>(
    "SELECT o.event_seq AS s FROM outbox o JOIN events e ON e.seq = o.event_seq WHERE o.target = ? AND o.event_seq < ? AND e.instance_id = ? ORDER BY o.event_seq DESC LIMIT 1",
    [target, seq, instanceId],
  );
  return row?.s ?? 0;
}
