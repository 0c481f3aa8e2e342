/** Payments: immutable rows keyed by the seq of their payment.recorded event. */
import type { Actor, PaymentMethod, PaymentView } from "../../protocol/schemas/orders.ts";
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
}

export interface PaymentRecord {
  view: PaymentView;
  idempotencyKey: string;
  requestHash: string;
}

function fromRow(row: PaymentRow): PaymentRecord {
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
      takenBy: JSON.parse(row.taken_by) as Actor,
      createdAt: row.created_at,
      seq: row.seq,
    },
    idempotencyKey: row.idempotency_key,
    requestHash: row.request_hash,
  };
}

export function insertPayment(
  journal: Journal,
  payment: PaymentView,
  idempotencyKey: string,
  requestHash: string,
): void {
  journal.run(
    `INSERT INTO payments (seq, id, order_id, method, amount, tip, tendered, change, currency, reference, idempotency_key, request_hash, taken_by, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
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
    ],
  );
}

export function paymentsOf(journal: Journal, orderId: string): PaymentRecord[] {
  return journal.all<PaymentRow>("SELECT * FROM payments WHERE order_id = ? ORDER BY seq", [orderId]).map(fromRow);
}

export function findPayment(journal: Journal, where: { id?: string; key?: string }): PaymentRecord | undefined {
  const row = where.key
    ? journal.get<PaymentRow>("SELECT * FROM payments WHERE idempotency_key = ?", [where.key])
    : journal.get<PaymentRow>("SELECT * FROM payments WHERE id = ?", [where.id ?? ""]);
  return row ? fromRow(row) : undefined;
}
