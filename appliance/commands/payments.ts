/**
 * Money taken and given back for an order. A payment and a refund are immutable records and
 * events; the total is never overpaid and a payment never refunded beyond what it captured.
 *
 * - `recordPayment` (`POST /api/orders/:id/payments`, idempotent by key): cash (with what was
 *   handed over and the change), a standalone card terminal's reference, an external payment.
 *   Provider tokens go to the payments feature (`ctx.tokenPayments`), card terminals through
 *   checkouts (appliance/payments).
 * - `writePayment` / `writeRefund`: the one place a payment or refund is written, inside the
 *   caller's transaction, used by the commands here and by the payments feature once a terminal
 *   or provider approved.
 *
 * An order waiting as `pending` (a channel without autoQueue: pay first, cook after) goes to the
 * kitchen once it is fully paid; an order whose captured total is refunded becomes `refunded`.
 */
import { hashOf } from "../lib/canonical-json.ts";
import { AppError } from "../lib/errors.ts";
import { newId } from "../lib/ids.ts";
import { appendEvent, type JournalEvent } from "../journal/events.ts";
import { getOrder, setStatus, type OrderRecord } from "../journal/order-store.ts";
import { findPayment, insertPayment, insertRefund, paymentsOf, refundsOf } from "../journal/payment-store.ts";
import type { Principal } from "../../protocol/schemas/auth.ts";
import type {
  Actor,
  PaymentBody,
  PaymentMethod,
  PaymentView,
  PaymentsSummary,
  RefundRoute,
  RefundView,
} from "../../protocol/schemas/orders.ts";
import { actorOf, iso, type CommandContext } from "./context.ts";
import type { CommandResult } from "./order-commit.ts";
import { readableOrder } from "./orders.ts";

export function paymentsSummary(ctx: CommandContext, principal: Principal, orderId: string): PaymentsSummary {
  const order = readableOrder(ctx, principal, orderId);
  const payments = paymentsOf(ctx.journal, orderId).map((p) => p.view);
  const refunds = refundsOf(ctx.journal, { orderId }).map((r) => r.view);
  const paid = payments.reduce((sum, p) => sum + p.amount, 0);
  const refunded = refunds.reduce((sum, r) => sum + r.amount, 0);
  return {
    orderId,
    total: order.snapshot.totals.total,
    paid,
    due: order.snapshot.totals.total - paid,
    refunded,
    payments,
    refunds,
  };
}

/** What is still due on an order (total − payments' amounts; tips are on top). */
export function dueOn(ctx: CommandContext, order: OrderRecord): number {
  const paid = paymentsOf(ctx.journal, order.snapshot.id).reduce((sum, p) => sum + p.view.amount, 0);
  return order.snapshot.totals.total - paid;
}

/** Throws unless money may be taken on `order` now. */
export function assertPayable(order: OrderRecord | undefined, orderId: string): asserts order is OrderRecord {
  if (!order) throw new AppError("order_not_found", `no order ${orderId}`);
  if (order.status === "cancelled" || order.status === "refunded") {
    throw new AppError("illegal_transition", `an order that is ${order.status} cannot be paid`, {
      details: { from: order.status, allowed: [] },
    });
  }
}

export interface PaymentWrite {
  id: string;
  method: PaymentMethod;
  amount: number;
  tip: number;
  tendered: number | null;
  change: number | null;
  reference: string | null;
  terminal: string | null;
  provider: string | null;
  cardSlip: readonly string[];
  key: string;
  requestHash: string;
  actor: Actor;
  at: string;
}

/** Writes a payment on `order` (already checked payable, `amount` ≤ due) and queues a fully paid pending order. Inside a transaction. */
export function writePayment(
  ctx: CommandContext,
  order: OrderRecord,
  write: PaymentWrite,
): { view: PaymentView; events: JournalEvent[] } {
  const orderId = order.snapshot.id;
  const due = dueOn(ctx, order);
  if (write.amount > due) {
    throw new AppError("payment_exceeds_due", `only ${due} is due on this order`, {
      details: { due, amount: write.amount },
    });
  }
  const events: JournalEvent[] = [];
  const event = appendEvent(ctx.journal, {
    id: newId(),
    type: "payment.recorded",
    aggregateId: orderId,
    actor: write.actor,
    payload: {
      paymentId: write.id,
      orderId,
      method: write.method,
      amount: write.amount,
      tip: write.tip,
      currency: order.snapshot.totals.currency,
      ...(write.method === "cash" ? { tendered: write.tendered, change: write.change } : {}),
      ...(write.reference ? { reference: write.reference } : {}),
      ...(write.terminal ? { terminal: write.terminal } : {}),
      ...(write.provider ? { provider: write.provider } : {}),
      ...(write.cardSlip.length > 0 ? { cardSlip: [...write.cardSlip] } : {}),
      paidInFull: write.amount === due,
    },
    createdAt: write.at,
  });
  events.push(event);
  const payment = {
    id: write.id,
    orderId,
    method: write.method,
    amount: write.amount,
    tip: write.tip,
    tendered: write.tendered,
    change: write.change,
    currency: order.snapshot.totals.currency,
    reference: write.reference,
    terminal: write.terminal,
    provider: write.provider,
    cardSlip: [...write.cardSlip],
    takenBy: write.actor,
    createdAt: write.at,
    seq: event.seq,
  };
  insertPayment(ctx.journal, payment, write.key, write.requestHash);
  // Pay first, cook after: a fully paid pending order goes to the kitchen.
  if (write.amount === due && order.status === "pending") {
    const queued = appendEvent(ctx.journal, {
      id: newId(),
      type: "order.status_changed",
      aggregateId: orderId,
      actor: write.actor,
      payload: { orderId, from: "pending", to: "in_queue", reason: "paid", doneMarks: order.doneMarks },
      createdAt: write.at,
    });
    events.push(queued);
    setStatus(ctx.journal, orderId, "in_queue", write.at, queued.seq);
  }
  return { view: { ...payment, refunded: 0, refundable: write.amount + write.tip }, events };
}

export interface RefundWrite {
  id: string;
  payment: PaymentView;
  amount: number;
  route: RefundRoute;
  reason: string;
  reference: string | null;
  cardSlip: readonly string[];
  terminal: string | null;
  key: string;
  requestHash: string;
  actor: Actor;
  at: string;
}

/**
 * Writes a refund of `payment` (the money already went back, or goes back with it: cash, external)
 * and makes the order `refunded` once everything captured on it is refunded. Inside a transaction.
 */
export function writeRefund(ctx: CommandContext, write: RefundWrite): { view: RefundView; events: JournalEvent[] } {
  const current = findPayment(ctx.journal, { id: write.payment.id });
  if (!current) throw new AppError("payment_not_found", `no payment ${write.payment.id}`);
  if (write.amount > current.view.refundable) {
    throw new AppError(
      "refund_exceeds_captured",
      `only ${current.view.refundable} can still be refunded on this payment`,
      {
        details: { refundable: current.view.refundable, amount: write.amount },
      },
    );
  }
  const orderId = current.view.orderId;
  const order = getOrder(ctx.journal, orderId);
  if (!order) throw new AppError("order_not_found", `no order ${orderId}`);
  const payments = paymentsOf(ctx.journal, orderId);
  const captured = payments.reduce((sum, p) => sum + p.view.amount + p.view.tip, 0);
  const refundedBefore = payments.reduce((sum, p) => sum + p.view.refunded, 0);
  const orderRefunded = refundedBefore + write.amount >= captured;
  const events: JournalEvent[] = [];
  const event = appendEvent(ctx.journal, {
    id: newId(),
    type: "payment.refunded",
    aggregateId: orderId,
    actor: write.actor,
    payload: {
      refundId: write.id,
      paymentId: current.view.id,
      orderId,
      amount: write.amount,
      currency: current.view.currency,
      route: write.route,
      reason: write.reason,
      ...(write.reference ? { reference: write.reference } : {}),
      ...(current.view.provider ? { provider: current.view.provider } : {}),
      ...(write.cardSlip.length > 0 ? { cardSlip: [...write.cardSlip] } : {}),
      orderRefunded,
    },
    createdAt: write.at,
  });
  events.push(event);
  const view: RefundView = {
    id: write.id,
    paymentId: current.view.id,
    orderId,
    amount: write.amount,
    currency: current.view.currency,
    route: write.route,
    reason: write.reason,
    reference: write.reference,
    cardSlip: [...write.cardSlip],
    takenBy: write.actor,
    createdAt: write.at,
    seq: event.seq,
  };
  insertRefund(ctx.journal, view, write.terminal, write.key, write.requestHash);
  // Everything captured went back: the order is refunded, whatever its channel's terminal states
  // (a completed kiosk order too: a manager's refund is the one way out of `completed`).
  if (orderRefunded && order.status !== "refunded" && order.status !== "cancelled") {
    const moved = appendEvent(ctx.journal, {
      id: newId(),
      type: "order.status_changed",
      aggregateId: orderId,
      actor: write.actor,
      payload: { orderId, from: order.status, to: "refunded", reason: "refunded", doneMarks: order.doneMarks },
      createdAt: write.at,
    });
    events.push(moved);
    setStatus(ctx.journal, orderId, "refunded", write.at, moved.seq);
  }
  return { view, events };
}

/** Returns the stored payment of an earlier identical request, or throws if its id or key was used for another. */
export function replayPayment(
  ctx: CommandContext,
  key: string,
  paymentId: string,
  requestHash: string,
): PaymentView | undefined {
  const seen = findPayment(ctx.journal, { key }) ?? findPayment(ctx.journal, { id: paymentId });
  if (!seen) return undefined;
  if (seen.requestHash !== requestHash)
    throw new AppError("idempotency_conflict", "this payment id or key was already used with a different request", {
      details: { paymentId },
    });
  return seen.view;
}

export function recordPayment(
  ctx: CommandContext,
  principal: Principal,
  orderId: string,
  body: PaymentBody,
  idempotencyKey: string | undefined,
): CommandResult<PaymentView> {
  if (body.method === "mobile" || body.method === "card_online" || body.token !== undefined) {
    throw new AppError("validation_failed", "mobile and card_online payments charge a provider token", {
      details: { errors: ["method: mobile and card_online need provider and token, and are charged by the provider"] },
    });
  }
  if (body.provider !== undefined) {
    throw new AppError("validation_failed", "provider is for mobile and card_online payments", {
      details: { errors: ["provider: only with method mobile or card_online"] },
    });
  }
  const key = idempotencyKey ?? `payment:${body.id}`;
  const requestHash = hashOf({ op: "payments.record", principal: principal.id, orderId, body });
  return ctx.journal.transaction(() => {
    const seen = replayPayment(ctx, key, body.id, requestHash);
    if (seen) return { statusCode: 201, body: seen, events: [], replayed: true };
    const order = getOrder(ctx.journal, orderId);
    assertPayable(order, orderId);
    const tip = body.tip ?? 0;
    // Cash records what was handed over (exact money when not given) and the change; other methods neither.
    let tendered: number | null = null;
    let change: number | null = null;
    if (body.method === "cash") {
      tendered = body.tendered ?? body.amount + tip;
      if (tendered < body.amount + tip)
        throw new AppError("payment_exceeds_due", "the cash handed over does not cover the amount", {
          details: { tendered, amount: body.amount + tip },
        });
      change = tendered - body.amount - tip;
    } else if (body.tendered !== undefined) {
      throw new AppError("validation_failed", "tendered is for cash payments", {
        details: { errors: ["tendered: only with method cash"] },
      });
    }
    const written = writePayment(ctx, order, {
      id: body.id,
      method: body.method,
      amount: body.amount,
      tip,
      tendered,
      change,
      reference: body.reference ?? null,
      terminal: null,
      provider: null,
      cardSlip: [],
      key,
      requestHash,
      actor: actorOf(principal),
      at: iso(ctx.clock.now()),
    });
    return { statusCode: 201, body: written.view, events: written.events, replayed: false };
  });
}
