/**
 * Checkouts: taking card money on a terminal, as journal commands. A checkout is a `sale`
 * attempt, written before the terminal is asked:
 *
 * - for a **new order** (the kiosk's cart, or items) it holds the order's draft — its lines
 *   priced now, exactly what the customer is charged — and no order exists until the terminal
 *   approves: then the order, its payment and the attempt's `approved` are one transaction. The
 *   kitchen never sees an unpaid card order and the order number exists only once paid;
 * - for an **existing order** (the counter) it takes what is due, or part of it.
 *
 * `settleApproved` is the one way an approval becomes money in the journal; if the order can no
 * longer be committed (cancelled meanwhile, its cart gone), it answers `reverse` and the caller
 * gives the money back on the terminal.
 */
import { hashOf } from "../lib/canonical-json.ts";
import { AppError } from "../lib/errors.ts";
import { newId } from "../lib/ids.ts";
import { getOrder } from "../journal/order-store.ts";
import {
  getAttempt,
  insertAttempt,
  openAttemptOfOrder,
  openSaleOfSession,
  transitionAttempt,
  type AttemptOutcome,
  type AttemptRecord,
  type OrderDraft,
} from "../journal/attempt-store.ts";
import { findPayment } from "../journal/payment-store.ts";
import type { JournalEvent } from "../journal/events.ts";
import { computeTotals } from "../domain/pricing.ts";
import { requireCatalogue } from "../commands/catalogue.ts";
import { actorOf, iso, type CommandContext } from "../commands/context.ts";
import { channelFor, commitOrder } from "../commands/order-commit.ts";
import { orderLines, readableOrder } from "../commands/orders.ts";
import { assertPayable, dueOn, writePayment, writeRefund } from "../commands/payments.ts";
import { orderView } from "../commands/views.ts";
import type { Principal } from "../../protocol/schemas/auth.ts";
import type { CheckoutBody, CheckoutView } from "../../protocol/schemas/payments.ts";
import type { TerminalStage } from "../../drivers/index.ts";
import type { TerminalConfig } from "./config-schema.ts";

const FINAL = new Set(["approved", "declined", "cancelled", "failed", "reversed"]);

/** The checkout as its screen sees it. */
export function checkoutView(
  ctx: CommandContext,
  attempt: AttemptRecord,
  terminal: TerminalConfig | undefined,
): CheckoutView {
  const order = attempt.state === "approved" ? getOrder(ctx.journal, attempt.orderId) : undefined;
  return {
    id: attempt.id,
    orderId: attempt.orderId,
    state: attempt.state,
    done: FINAL.has(attempt.state),
    amount: attempt.amount,
    currency: attempt.currency,
    terminal: { id: attempt.device, name: terminal?.name ?? attempt.device },
    stage:
      attempt.state === "presenting" || attempt.state === "uncertain" ? (attempt.stage as TerminalStage | null) : null,
    message: attempt.state === "presenting" ? attempt.message : "",
    reason: attempt.reason,
    order: order ? orderView(ctx.config, order) : null,
    paymentId: attempt.state === "approved" ? attempt.paymentId : null,
    version: attempt.version,
    createdAt: attempt.createdAt,
    updatedAt: attempt.updatedAt,
  };
}

/** A checkout the caller may see (its own; staff with orders:read see every one). */
export function readableCheckout(ctx: CommandContext, principal: Principal, id: string): AttemptRecord {
  const attempt = getAttempt(ctx.journal, id);
  const mayRead =
    attempt !== undefined &&
    attempt.kind === "sale" &&
    (attempt.principal.id === principal.id || principal.permissions.includes("orders:read"));
  if (!attempt || !mayRead) throw new AppError("checkout_not_found", `no checkout ${id}`);
  return attempt;
}

/** `POST /api/checkouts`: writes the sale attempt (idempotent by its id). Returns it and whether it is new. */
export function startCheckout(
  ctx: CommandContext,
  principal: Principal,
  body: CheckoutBody,
  terminal: TerminalConfig,
  expirySeconds: number,
): { attempt: AttemptRecord; created: boolean } {
  const newOrder = body.sessionId !== undefined || body.items !== undefined;
  if (body.sessionId !== undefined && body.items !== undefined) {
    throw new AppError("validation_failed", "give sessionId or items, not both", {
      details: { errors: ["body: at most one of items, sessionId"] },
    });
  }
  if (newOrder) ctx.gate?.check(body.orderId);
  const requestHash = hashOf({ op: "checkouts.start", principal: principal.id, body, terminal: terminal.id });
  return ctx.journal.transaction(() => {
    const seen = getAttempt(ctx.journal, body.id);
    if (seen) {
      if (seen.requestHash !== requestHash || seen.kind !== "sale")
        throw new AppError("idempotency_conflict", "this checkout id was already used with a different request", {
          details: { checkoutId: body.id },
        });
      return { attempt: seen, created: false };
    }
    const open = openAttemptOfOrder(ctx.journal, body.orderId);
    if (open)
      throw new AppError("payment_in_progress", "this order is already being paid on a terminal", {
        details: { checkoutId: open.id },
      });
    const nowMs = ctx.clock.now();
    let amount: number;
    let currency: string;
    let draft: OrderDraft | null = null;
    if (newOrder) {
      if (getOrder(ctx.journal, body.orderId))
        throw new AppError("idempotency_conflict", "an order with this id already exists", {
          details: { orderId: body.orderId },
        });
      const channel = channelFor(principal, undefined);
      const catalogue = requireCatalogue(ctx);
      const { lines, sessionId } = orderLines(ctx, principal, body, nowMs);
      if (sessionId !== null) {
        const busy = openSaleOfSession(ctx.journal, sessionId);
        if (busy)
          throw new AppError("payment_in_progress", "this cart is already being paid on a terminal", {
            details: { checkoutId: busy },
          });
      }
      const totals = computeTotals(lines, catalogue.taxRates, ctx.config.pricing.taxMode, catalogue.menu.currency);
      amount = totals.total;
      currency = totals.currency;
      draft = {
        channel,
        lines,
        sessionId,
        ...(body.pickupName ? { pickupName: body.pickupName } : {}),
        ...(body.note ? { note: body.note } : {}),
        ...(body.serviceMode ? { serviceMode: body.serviceMode } : {}),
        ...(body.table ? { table: body.table } : {}),
        key: `order:${body.orderId}`,
        requestHash: hashOf({ op: "orders.checkout", principal: principal.id, checkout: body.id }),
      };
    } else {
      const order = readableOrder(ctx, principal, body.orderId);
      assertPayable(order, body.orderId);
      const due = dueOn(ctx, order);
      amount = body.amount ?? due;
      currency = order.snapshot.totals.currency;
      if (amount > due)
        throw new AppError("payment_exceeds_due", `only ${due} is due on this order`, { details: { due, amount } });
    }
    if (amount <= 0)
      throw new AppError("payment_exceeds_due", "nothing is due: a card payment needs an amount above zero", {
        details: { due: 0, amount },
      });
    const attempt = insertAttempt(ctx.journal, {
      id: body.id,
      kind: "sale",
      device: terminal.id,
      orderId: body.orderId,
      paymentId: null,
      refundId: null,
      amount,
      currency,
      draft,
      principal,
      requestHash,
      outcome: null,
      createdAt: iso(nowMs),
      expiresAtMs: nowMs + expirySeconds * 1_000,
    });
    return { attempt, created: true };
  });
}

export type Settled =
  | { kind: "committed"; attempt: AttemptRecord; events: JournalEvent[] }
  /** Someone else settled it first. */
  | { kind: "gone" }
  /** The terminal approved but the order cannot take the money: give it back on the terminal. */
  | { kind: "reverse"; reason: string };

/**
 * The terminal approved `attempt` (a sale, refund or reversal): writes the money and the
 * attempt's `approved` in one transaction. For a sale of a new order, commits the order first.
 */
export function settleApproved(
  ctx: CommandContext,
  attemptId: string,
  outcome: AttemptOutcome,
  options: { recovered: boolean },
): Settled {
  try {
    return ctx.journal.transaction((): Settled => {
      const attempt = getAttempt(ctx.journal, attemptId);
      if (!attempt || (attempt.state !== "presenting" && attempt.state !== "uncertain")) return { kind: "gone" };
      const at = iso(ctx.clock.now());
      const actor = actorOf(attempt.principal);
      const events: JournalEvent[] = [];
      let paymentId: string | null = null;
      let refundId: string | null = null;
      if (attempt.kind === "sale") {
        if (attempt.draft) {
          const draft = attempt.draft;
          const committed = commitOrder(ctx, attempt.principal, {
            id: attempt.orderId,
            channel: draft.channel,
            lines: draft.lines,
            sessionId: draft.sessionId,
            key: draft.key,
            requestHash: draft.requestHash,
            nowMs: ctx.clock.now(),
            pickupName: draft.pickupName,
            note: draft.note,
            serviceMode: draft.serviceMode,
            table: draft.table,
          });
          events.push(...committed.events);
        }
        const order = getOrder(ctx.journal, attempt.orderId);
        assertPayable(order, attempt.orderId);
        paymentId = newId();
        const written = writePayment(ctx, order, {
          id: paymentId,
          method: "card",
          amount: attempt.amount,
          tip: 0,
          tendered: null,
          change: null,
          reference: outcome.transactionId ?? null,
          terminal: attempt.device,
          provider: null,
          cardSlip: outcome.receiptLines ?? [],
          key: `checkout:${attempt.id}`,
          requestHash: attempt.requestHash,
          actor,
          at,
        });
        events.push(...written.events);
      } else if (attempt.kind === "refund" || attempt.kind === "reversal") {
        const payment = attempt.paymentId ? findPayment(ctx.journal, { id: attempt.paymentId }) : undefined;
        const refund = outcome.refund;
        if (!payment || !refund) throw new AppError("payment_not_found", `no payment for refund attempt ${attempt.id}`);
        refundId = attempt.refundId ?? newId();
        const written = writeRefund(ctx, {
          id: refundId,
          payment: payment.view,
          amount: attempt.amount,
          route: attempt.kind === "reversal" ? "terminal_reversal" : "terminal_refund",
          reason: refund.reason,
          reference: outcome.transactionId ?? null,
          cardSlip: outcome.receiptLines ?? [],
          terminal: attempt.device,
          key: refund.key,
          requestHash: refund.requestHash,
          actor,
          at,
        });
        events.push(...written.events);
      }
      const approved = transitionAttempt(ctx.journal, attempt.id, ["presenting", "uncertain"], "approved", at, {
        stage: "approved",
        message: "",
        outcome,
        paymentId: paymentId ?? attempt.paymentId,
        refundId,
        ...(options.recovered ? { recovered: true } : {}),
      });
      if (!approved) return { kind: "gone" };
      return { kind: "committed", attempt: approved, events };
    });
  } catch (error) {
    if (error instanceof AppError) return { kind: "reverse", reason: error.message };
    throw error;
  }
}

/** Ends an attempt that moved no money (declined, cancelled, failed) or whose money went back (reversed). */
export function settleWithout(
  ctx: CommandContext,
  attemptId: string,
  to: "declined" | "cancelled" | "failed" | "reversed",
  reason: string,
  options: { recovered?: boolean; outcome?: AttemptOutcome; from?: readonly AttemptRecord["state"][] } = {},
): AttemptRecord | undefined {
  return ctx.journal.transaction(() =>
    transitionAttempt(
      ctx.journal,
      attemptId,
      options.from ?? ["queued", "presenting", "uncertain"],
      to,
      iso(ctx.clock.now()),
      {
        stage: to === "declined" ? "declined" : to === "cancelled" ? "cancelled" : null,
        reason,
        ...(options.outcome ? { outcome: options.outcome } : {}),
        ...(options.recovered ? { recovered: true } : {}),
      },
    ),
  );
}
