/**
 * Payments and refunds: immutable rows keyed by the seq of their `payment.recorded` /
 * `payment.refunded` event. What a payment may still give back is derived (amount + tip − its
 * refunds), never stored.
 */
import type { Actor, PaymentMethod, PaymentView, RefundRoute, RefundView } from "../../protocol/schemas/orders.ts";
import type { Journal } from "./database.ts";

interface PaymentRow {
  seq: number;
  id: string;
  order_id: string;
  method: string;
  amount: number;
  tip: number;
  tendered: number | null;
  change: number | null;
  currency: string;
  reference: string | null;
  idempotency_key: string;
  request_hash: string;
  taken_by: string;
  created_at: string;
  terminal: string | null;
  provider: string | null;
  card_slip: string;
  refunded: number;
}

interface RefundRow {
  seq: number;
  id: string;
  payment_id: string;
  order_id: string;
  amount: number;
  currency: string;
  route: string;
  reason: string;
  reference: string | null;
  card_slip: string;
  terminal: string | null;
  idempotency_key: string;
  request_hash: string;
  taken_by: string;
  created_at: string;
}

export interface PaymentRecord {
  view: PaymentView;
  idempotencyKey: string;
  requestHash: string;
}

export interface RefundRecord {
  view: RefundView;
  terminal: string | null;
  idempotencyKey: string;
  requestHash: string;
}

/** A payment as written: its view without what refunds derive. */
export type NewPayment = Omit<PaymentView, "refunded" | "refundable">;

const PAYMENT_SELECT = /* sql */ `SELECT p.*, COALESCE((SELECT SUM(r.amount) FROM refunds r WHERE r.payment_id = p.id), 0) AS refunded FROM payments p`;

function paymentFromRow(row: PaymentRow): PaymentRecord {
  return {
    view: {
      id: row.id,
      orderId: row.order_id,
      method: row.method as PaymentMethod,
      amount: row.amount,
      tip: row.tip,
      tendered: row.tendered,
      change: row.change,
      currency: row.currency,
      reference: row.reference,
      terminal: row.terminal,
      provider: row.provider,
      cardSlip: JSON.parse(row.card_slip) as string[],
      refunded: row.refunded,
      refundable: row.amount + row.tip - row.refunded,
      takenBy: JSON.parse(row.taken_by) as Actor,
      createdAt: row.created_at,
      seq: row.seq,
    },
    idempotencyKey: row.idempotency_key,
    requestHash: row.request_hash,
  };
}

function refundFromRow(row: RefundRow): RefundRecord {
  return {
    view: {
      id: row.id,
      paymentId: row.payment_id,
      orderId: row.order_id,
      amount: row.amount,
      currency: row.currency,
      route: row.route as RefundRoute,
      reason: row.reason,
      reference: row.reference,
      cardSlip: JSON.parse(row.card_slip) as string[],
      takenBy: JSON.parse(row.taken_by) as Actor,
      createdAt: row.created_at,
      seq: row.seq,
    },
    terminal: row.terminal,
    idempotencyKey: row.idempotency_key,
    requestHash: row.request_hash,
  };
}

export function insertPayment(
  journal: Journal,
  payment: NewPayment,
  idempotencyKey: string,
  requestHash: string,
): void {
  journal.run(
    `INSERT INTO payments (seq, id, order_id, method, amount, tip, tendered, change, currency, reference, idempotency_key,
       request_hash, taken_by, created_at, terminal, provider, card_slip)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [
      payment.seq,
      payment.id,
      payment.orderId,
      payment.method,
      payment.amount,
      payment.tip,
      payment.tendered,
      payment.change,
      payment.currency,
      payment.reference,
      idempotencyKey,
      requestHash,
      JSON.stringify(payment.takenBy),
      payment.createdAt,
      payment.terminal,
      payment.provider,
      JSON.stringify(payment.cardSlip),
    ],
  );
}

export function paymentsOf(journal: Journal, orderId: string): PaymentRecord[] {
  return journal
    .all<PaymentRow>(`${PAYMENT_SELECT} WHERE p.order_id = ? ORDER BY p.seq`, [orderId])
    .map(paymentFromRow);
}

export function findPayment(journal: Journal, where: { id?: string; key?: string }): PaymentRecord | undefined {
  const row = where.key
    ? journal.get<PaymentRow>(`${PAYMENT_SELECT} WHERE p.idempotency_key = ?`, [where.key])
    : journal.get<PaymentRow>(`${PAYMENT_SELECT} WHERE p.id = ?`, [where.id ?? ""]);
  return row ? paymentFromRow(row) : undefined;
}

/** The newest payments first, optionally of the orders with one number. */
export function recentPayments(
  journal: Journal,
  options: { limit: number; orderIds?: readonly string[] },
): PaymentRecord[] {
  if (options.orderIds) {
    if (options.orderIds.length === 0) return [];
    const marks = options.orderIds.map(() => "?").join(", ");
    return journal
      .all<PaymentRow>(`${PAYMENT_SELECT} WHERE p.order_id IN (${marks}) ORDER BY p.seq DESC LIMIT ?`, [
        ...options.orderIds,
        options.limit,
      ])
      .map(paymentFromRow);
  }
  return journal.all<PaymentRow>(`${PAYMENT_SELECT} ORDER BY p.seq DESC LIMIT ?`, [options.limit]).map(paymentFromRow);
}

/** Card payments a terminal took (and what was refunded on it) since `sinceIso` (exclusive), for its end of day. */
export function terminalTakings(
  journal: Journal,
  terminal: string,
  sinceIso: string | null,
): { total: number; count: number } {
  const since = sinceIso ?? "";
  const taken = journal.get<{ total: number; count: number }>(
    `SELECT COALESCE(SUM(amount + tip), 0) AS total, COUNT(*) AS count FROM payments WHERE terminal = ? AND created_at > ?`,
    [terminal, since],
  ) ?? { total: 0, count: 0 };
  const back = journal.get<{ total: number; count: number }>(
    `SELECT COALESCE(SUM(amount), 0) AS total, COUNT(*) AS count FROM refunds WHERE terminal = ? AND created_at > ?`,
    [terminal, since],
  ) ?? { total: 0, count: 0 };
  return { total: taken.total - back.total, count: taken.count + back.count };
}

export function insertRefund(
  journal: Journal,
  refund: RefundView,
  terminal: string | null,
  idempotencyKey: string,
  requestHash: string,
): void {
  journal.run(
    `INSERT INTO refunds (seq, id, payment_id, order_id, amount, currency, route, reason, reference, card_slip, terminal,
       idempotency_key, request_hash, taken_by, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [
      refund.seq,
      refund.id,
      refund.paymentId,
      refund.orderId,
      refund.amount,
      refund.currency,
      refund.route,
      refund.reason,
      refund.reference,
      JSON.stringify(refund.cardSlip),
      terminal,
      idempotencyKey,
      requestHash,
      JSON.stringify(refund.takenBy),
      refund.createdAt,
    ],
  );
}

export function refundsOf(journal: Journal, where: { orderId?: string; paymentId?: string }): RefundRecord[] {
  const [column, value] = where.paymentId ? ["payment_id", where.paymentId] : ["order_id", where.orderId ?? ""];
  return journal.all<RefundRow>(`SELECT * FROM refunds WHERE ${column} = ? ORDER BY seq`, [value]).map(refundFromRow);
}

export function findRefund(journal: Journal, where: { id?: string; key?: string }): RefundRecord | undefined {
  const row = where.key
    ? journal.get<RefundRow>("SELECT * FROM refunds WHERE idempotency_key = ?", [where.key])
    : journal.get<RefundRow>("SELECT * FROM refunds WHERE id = ?", [where.id ?? ""]);
  return row ? refundFromRow(row) : undefined;
}
