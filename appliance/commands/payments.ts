/**
 * Taking payment for an order (`POST /api/orders/:id/payment`, idempotent by key).
 * A payment is an immutable record and an event; the total is never overpaid; cash records the
 * tendered amount and the change due. An order waiting as `pending` (a channel without
 * autoQueue: pay first, cook after) goes to the kitchen once it is fully paid.
 */
import { hashOf } from "../lib/canonical-json.ts";
import { AppError } from "../lib/errors.ts";
import { newId } from "../lib/ids.ts";
import { appendEvent, type JournalEvent } from "../journal/events.ts";
import { getOrder, setStatus } from "../journal/order-store.ts";
import { findPayment, insertPayment, paymentsOf } from "../journal/payment-store.ts";
import type { Principal } from "../../protocol/schemas/auth.ts";
import type { PaymentBody, PaymentView, PaymentsSummary } from "../../protocol/schemas/orders.ts";
import { actorOf, iso, type CommandContext } from "./context.ts";
import type { CommandResult } from "./order-commit.ts";
import { readableOrder } from "./orders.ts";

export function paymentsSummary(ctx: CommandContext, principal: Principal, orderId: string): PaymentsSummary {
  const order = readableOrder(ctx, principal, orderId);
  const payments = paymentsOf(ctx.journal, orderId).map((p) => p.view);
  const paid = payments.reduce((sum, p) => sum + p.amount, 0);
  return { orderId, total: order.snapshot.totals.total, paid, due: order.snapshot.totals.total - paid, payments };
}

export function recordPayment(
  ctx: CommandContext,
  principal: Principal,
  orderId: string,
  body: PaymentBody,
  idempotencyKey: string | undefined,
): CommandResult<PaymentView> {
  const key = idempotencyKey ?? `payment:${body.id}`;
  const requestHash = hashOf({ op: "payments.record", principal: principal.id, orderId, body });
  return ctx.journal.transaction(() => {
    const seen = findPayment(ctx.journal, { key }) ?? findPayment(ctx.journal, { id: body.id });
    if (seen) {
      if (seen.requestHash !== requestHash)
        throw new AppError("idempotency_conflict", "this payment id or key was already used with a different request", {
          details: { paymentId: body.id },
        });
      return { statusCode: 201, body: seen.view, events: [], replayed: true };
    }
    const order = getOrder(ctx.journal, orderId);
    if (!order) throw new AppError("order_not_found", `no order ${orderId}`);
    if (order.status === "cancelled" || order.status === "refunded") {
      throw new AppError("illegal_transition", `an order that is ${order.status} cannot be paid`, {
        details: { from: order.status, allowed: [] },
      });
    }
    const total = order.snapshot.totals.total;
    const paid = paymentsOf(ctx.journal, orderId).reduce((sum, p) => sum + p.view.amount, 0);
    if (body.amount > total - paid) {
      throw new AppError("payment_exceeds_due", `only ${total - paid} is due on this order`, {
        details: { due: total - paid, amount: body.amount },
      });
    }
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
    const at = iso(ctx.clock.now());
    const actor = actorOf(principal);
    const events: JournalEvent[] = [];
    const payload = {
      paymentId: body.id,
      orderId,
      method: body.method,
      amount: body.amount,
      tip,
      currency: order.snapshot.totals.currency,
      ...(body.method === "cash" ? { tendered, change } : {}),
      ...(body.reference ? { reference: body.reference } : {}),
      paidInFull: paid + body.amount === total,
    };
    const event = appendEvent(ctx.journal, {
      id: newId(),
      type: "payment.recorded",
      aggregateId: orderId,
      actor,
      payload,
      createdAt: at,
    });
    events.push(event);
    const view: PaymentView = {
      id: body.id,
      orderId,
      method: body.method,
      amount: body.amount,
      tip,
      tendered,
      change,
      currency: order.snapshot.totals.currency,
      reference: body.reference ?? null,
      takenBy: actor,
      createdAt: at,
      seq: event.seq,
    };
    insertPayment(ctx.journal, view, key, requestHash);
    // Pay first, cook after: a fully paid pending order goes to the kitchen.
    if (paid + body.amount === total && order.status === "pending") {
      const queued = appendEvent(ctx.journal, {
        id: newId(),
        type: "order.status_changed",
        aggregateId: orderId,
        actor,
        payload: { orderId, from: "pending", to: "in_queue", reason: "paid", doneMarks: order.doneMarks },
        createdAt: at,
      });
      events.push(queued);
      setStatus(ctx.journal, orderId, "in_queue", at, queued.seq);
    }
    return { statusCode: 201, body: view, events, replayed: false };
  });
}
