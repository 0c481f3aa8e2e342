/**
 * Payment attempts (appliance/payments): every request to a card terminal or a provider, written
 * before it is made. Rows move only by compare-and-set (`transitionAttempt` names the states the
 * caller saw), so the terminal's loop, a customer's cancel and a recovery never overwrite each
 * other; every change bumps `version`, which a kiosk's long-poll waits on.
 */
import type { Principal } from "../../protocol/schemas/auth.ts";
import type { CheckoutState } from "../../protocol/schemas/payments.ts";
import type { LineInput, PricedLine, ServiceMode } from "../../protocol/schemas/orders.ts";
import type { Channel } from "../../protocol/schemas/common.ts";
import type { Journal } from "./database.ts";

export type AttemptKind = "sale" | "refund" | "reversal" | "provider_charge" | "provider_refund";
export type AttemptState = CheckoutState;

/** States a terminal or provider may still move; the others are final. */
export const OPEN_ATTEMPT_STATES: readonly AttemptState[] = ["queued", "presenting", "uncertain"];

/** A new order charged before it is committed: exactly the lines the customer paid for. */
export interface OrderDraft {
  channel: Channel;
  lines: PricedLine[];
  /** The lines as asked (items checkouts), kept for the order's request hash. */
  items?: LineInput[];
  sessionId: string | null;
  pickupName?: string;
  note?: string;
  serviceMode?: ServiceMode;
  table?: string;
  key: string;
  requestHash: string;
}

/** What the terminal or provider answered, as far as it did. */
export interface AttemptOutcome {
  transactionId?: string;
  authCode?: string;
  terminalId?: string;
  receiptLines?: string[];
  /** The original sale, for reversals and refunds. */
  original?: { reference: string; transactionId: string; amount: number };
  /** Provider refunds and charges: the provider's id. */
  providerId?: string;
  /** Reason text for people, e.g. why it was reversed. */
  note?: string;
  /** Extra for the refund it becomes (route, reason). */
  refund?: { route: string; reason: string; key: string; requestHash: string };
  /** Provider charges: the method and tip, and the one-time token until it is used. */
  charge?: { method: string; provider: string; tip: number; key: string; requestHash: string; token?: string };
}

export interface AttemptRecord {
  id: string;
  kind: AttemptKind;
  state: AttemptState;
  device: string;
  orderId: string;
  paymentId: string | null;
  refundId: string | null;
  amount: number;
  currency: string;
  draft: OrderDraft | null;
  principal: Principal;
  requestHash: string;
  stage: string | null;
  message: string;
  reason: string | null;
  outcome: AttemptOutcome | null;
  recovered: boolean;
  version: number;
  createdAt: string;
  updatedAt: string;
  expiresAtMs: number;
}

interface AttemptRow {
  id: string;
  kind: string;
  state: string;
  device: string;
  order_id: string;
  payment_id: string | null;
  refund_id: string | null;
  amount: number;
  currency: string;
  draft: string | null;
  principal: string;
  request_hash: string;
  stage: string | null;
  message: string;
  reason: string | null;
  outcome: string | null;
  recovered: number;
  version: number;
  created_at: string;
  updated_at: string;
  expires_at_ms: number;
}

function fromRow(row: AttemptRow): AttemptRecord {
  return {
    id: row.id,
    kind: row.kind as AttemptKind,
    state: row.state as AttemptState,
    device: row.device,
    orderId: row.order_id,
    paymentId: row.payment_id,
    refundId: row.refund_id,
    amount: row.amount,
    currency: row.currency,
    draft: row.draft === null ? null : (JSON.parse(row.draft) as OrderDraft),
    principal: JSON.parse(row.principal) as Principal,
    requestHash: row.request_hash,
    stage: row.stage,
    message: row.message,
    reason: row.reason,
    outcome: row.outcome === null ? null : (JSON.parse(row.outcome) as AttemptOutcome),
    recovered: row.recovered === 1,
    version: row.version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    expiresAtMs: row.expires_at_ms,
  };
}

export type NewAttempt = Omit<
  AttemptRecord,
  "state" | "stage" | "message" | "reason" | "recovered" | "version" | "updatedAt"
> & {
  state?: AttemptState;
};

export function insertAttempt(journal: Journal, attempt: NewAttempt): AttemptRecord {
  journal.run(
    `INSERT INTO payment_attempts (id, kind, state, device, order_id, payment_id, refund_id, amount, currency, draft,
       principal, request_hash, outcome, created_at, updated_at, expires_at_ms)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [
      attempt.id,
      attempt.kind,
      attempt.state ?? "queued",
      attempt.device,
      attempt.orderId,
      attempt.paymentId,
      attempt.refundId,
      attempt.amount,
      attempt.currency,
      attempt.draft === null ? null : JSON.stringify(attempt.draft),
      JSON.stringify(attempt.principal),
      attempt.requestHash,
      attempt.outcome === null ? null : JSON.stringify(attempt.outcome),
      attempt.createdAt,
      attempt.createdAt,
      attempt.expiresAtMs,
    ],
  );
  return getAttempt(journal, attempt.id) as AttemptRecord;
}

export function getAttempt(journal: Journal, id: string): AttemptRecord | undefined {
  const row = journal.get<AttemptRow>("SELECT * FROM payment_attempts WHERE id = ?", [id]);
  return row ? fromRow(row) : undefined;
}

/** The open sale or provider charge of an order, if any. */
export function openAttemptOfOrder(journal: Journal, orderId: string): AttemptRecord | undefined {
  const row = journal.get<AttemptRow>(
    `SELECT * FROM payment_attempts WHERE order_id = ? AND state IN ('queued', 'presenting', 'uncertain')
       AND kind IN ('sale', 'provider_charge')`,
    [orderId],
  );
  return row ? fromRow(row) : undefined;
}

/** The id of the open card sale paying for a cart (its draft's session), if any. */
export function openSaleOfSession(journal: Journal, sessionId: string): string | undefined {
  return journal.get<{ id: string }>(
    `SELECT id FROM payment_attempts WHERE kind = 'sale' AND state IN ('queued', 'presenting', 'uncertain')
       AND json_extract(draft, '$.sessionId') = ?`,
    [sessionId],
  )?.id;
}

/** The newest open sale a screen or person started, for a kiosk that reloads mid-payment. */
export function openSaleOf(journal: Journal, principalId: string): AttemptRecord | undefined {
  const row = journal.get<AttemptRow>(
    `SELECT * FROM payment_attempts WHERE kind = 'sale' AND state IN ('queued', 'presenting', 'uncertain')
       AND json_extract(principal, '$.id') = ? ORDER BY created_at DESC LIMIT 1`,
    [principalId],
  );
  return row ? fromRow(row) : undefined;
}

/** The open attempt charging our payment id through a provider, if any. */
export function openAttemptOfPayment(journal: Journal, paymentId: string): string | undefined {
  return journal.get<{ id: string }>(
    "SELECT id FROM payment_attempts WHERE payment_id = ? AND state IN ('queued', 'presenting', 'uncertain')",
    [paymentId],
  )?.id;
}

/** The sale attempt that took a card payment (its id was the terminal's reference). */
export function saleOfPayment(journal: Journal, paymentId: string): string | undefined {
  return journal.get<{ id: string }>("SELECT id FROM payment_attempts WHERE payment_id = ? AND kind = 'sale'", [
    paymentId,
  ])?.id;
}

/** The newest refund attempt made for a refund's idempotency key. */
export function attemptOfRefundKey(journal: Journal, key: string): string | undefined {
  return journal.get<{ id: string }>(
    "SELECT id FROM payment_attempts WHERE json_extract(outcome, '$.refund.key') = ? ORDER BY created_at DESC LIMIT 1",
    [key],
  )?.id;
}

/** What refunds still waiting for a terminal or provider will give back on a payment. */
export function pendingRefunds(journal: Journal, paymentId: string): number {
  return (
    journal.get<{ n: number }>(
      `SELECT COALESCE(SUM(amount), 0) AS n FROM payment_attempts
         WHERE payment_id = ? AND kind IN ('refund', 'reversal', 'provider_refund')
           AND state IN ('queued', 'presenting', 'uncertain')`,
      [paymentId],
    )?.n ?? 0
  );
}

/** Open attempts of a device (terminal id or provider name), oldest first. */
export function openAttempts(journal: Journal, device?: string): AttemptRecord[] {
  const rows =
    device === undefined
      ? journal.all<AttemptRow>(
          "SELECT * FROM payment_attempts WHERE state IN ('queued', 'presenting', 'uncertain') ORDER BY created_at, id",
        )
      : journal.all<AttemptRow>(
          `SELECT * FROM payment_attempts WHERE device = ? AND state IN ('queued', 'presenting', 'uncertain')
             ORDER BY created_at, id`,
          [device],
        );
  return rows.map(fromRow);
}

/** Attempts that ended after a crash or a lost answer (`recovered`), for the terminal's view. */
export function recoveredCount(journal: Journal, device: string, sinceIso: string): number {
  return (
    journal.get<{ n: number }>(
      "SELECT COUNT(*) AS n FROM payment_attempts WHERE device = ? AND recovered = 1 AND updated_at >= ?",
      [device, sinceIso],
    )?.n ?? 0
  );
}

export interface AttemptPatch {
  stage?: string | null;
  message?: string;
  reason?: string | null;
  outcome?: AttemptOutcome | null;
  paymentId?: string | null;
  refundId?: string | null;
  recovered?: boolean;
}

/**
 * Moves an attempt to `to` only if it is in one of `from`, applying `patch`; returns the new
 * record, or undefined when someone else moved it first.
 */
export function transitionAttempt(
  journal: Journal,
  id: string,
  from: readonly AttemptState[],
  to: AttemptState,
  at: string,
  patch: AttemptPatch = {},
): AttemptRecord | undefined {
  const sets = ["state = ?", "version = version + 1", "updated_at = ?"];
  const values: (string | number | null)[] = [to, at];
  const set = (column: string, value: string | number | null): void => {
    sets.push(`${column} = ?`);
    values.push(value);
  };
  if (patch.stage !== undefined) set("stage", patch.stage);
  if (patch.message !== undefined) set("message", patch.message);
  if (patch.reason !== undefined) set("reason", patch.reason);
  if (patch.outcome !== undefined) set("outcome", patch.outcome === null ? null : JSON.stringify(patch.outcome));
  if (patch.paymentId !== undefined) set("payment_id", patch.paymentId);
  if (patch.refundId !== undefined) set("refund_id", patch.refundId);
  if (patch.recovered !== undefined) set("recovered", patch.recovered ? 1 : 0);
  const marks = from.map(() => "?").join(", ");
  const changed = journal.run(`UPDATE payment_attempts SET ${sets.join(", ")} WHERE id = ? AND state IN (${marks})`, [
    ...values,
    id,
    ...from,
  ]);
  return changed.changes === 0 ? undefined : getAttempt(journal, id);
}

/** Removes the one-time token of a provider charge once it was used (it is never needed again). */
export function forgetToken(journal: Journal, id: string): void {
  const attempt = getAttempt(journal, id);
  if (!attempt?.outcome?.charge?.token) return;
  const { token: _token, ...charge } = attempt.outcome.charge;
  journal.run("UPDATE payment_attempts SET outcome = ? WHERE id = ?", [
    JSON.stringify({ ...attempt.outcome, charge }),
    id,
  ]);
}
