/**
 * `POST /api/payments/:id/refund`: money back on one payment, by the way it came in. Cash (the
 * drawer opens) and external money are recorded at once; a card payment goes back on the
 * terminal that took it — a reversal when it is the whole payment on the day of the sale, a
 * refund otherwise — and a token payment through its provider. Those two are attempts, written
 * before anyone is asked, and the request waits for their answer. The Idempotency-Key makes a
 * retry return the same refund (or wait on the same attempt), never a second one.
 */
import type { CommandContext } from "../commands/context.ts";
import { actorOf, iso } from "../commands/context.ts";
import type { CommandResult } from "../commands/order-commit.ts";
import { readableOrder } from "../commands/orders.ts";
import { writeRefund } from "../commands/payments.ts";
import { businessDate } from "../domain/business-day.ts";
import {
  attemptOfRefundKey,
  getAttempt,
  insertAttempt,
  pendingRefunds,
  saleOfPayment,
  type AttemptRecord,
  type NewAttempt,
} from "../journal/attempt-store.ts";
import { findPayment, findRefund } from "../journal/payment-store.ts";
import { hashOf } from "../lib/canonical-json.ts";
import { AppError } from "../lib/errors.ts";
import { newId } from "../lib/ids.ts";
import type { Principal } from "../../protocol/schemas/auth.ts";
import type { PaymentView, RefundBody, RefundView } from "../../protocol/schemas/orders.ts";
import { settled, type AttemptWaiters } from "./attempt-waiters.ts";
import type { PaymentsConfig } from "./config-schema.ts";
import type { ProviderPayments } from "./provider-payments.ts";
import type { Terminals } from "./terminals.ts";

export interface RefundsDeps {
  ctx: CommandContext;
  config: PaymentsConfig;
  terminals: Terminals;
  providers: ProviderPayments;
  waiters: AttemptWaiters;
}

/** How long a refund request waits for the terminal beyond its payment timeout. */
const REFUND_WAIT_EXTRA_MS = 15_000;

type Plan = { kind: "done"; refund: RefundView } | { kind: "attempt"; attemptId: string; fresh: boolean };

export async function refundPayment(
  deps: RefundsDeps,
  principal: Principal,
  paymentId: string,
  body: RefundBody,
  idempotencyKey: string | undefined,
): Promise<CommandResult<RefundView>> {
  const { ctx } = deps;
  if (!idempotencyKey)
    throw new AppError(
      "idempotency_key_invalid",
      "a refund needs an Idempotency-Key header, so a retry never refunds twice",
    );
  const key = `refund:${idempotencyKey}`;
  const requestHash = hashOf({ op: "payments.refund", principal: principal.id, paymentId, body });
  const plan = ctx.journal.transaction((): Plan => {
    const seen = findRefund(ctx.journal, { key });
    if (seen) {
      if (seen.requestHash !== requestHash)
        throw new AppError("idempotency_conflict", "this Idempotency-Key was already used for another refund");
      return { kind: "done", refund: seen.view };
    }
    const running = attemptOfRefundKey(ctx.journal, key);
    if (running) return { kind: "attempt", attemptId: running, fresh: false };
    const payment = findPayment(ctx.journal, { id: paymentId });
    if (!payment) throw new AppError("payment_not_found", `no payment ${paymentId}`);
    readableOrder(ctx, principal, payment.view.orderId);
    // Refunds still waiting for a terminal or provider count as given back already.
    const pending = pendingRefunds(ctx.journal, paymentId);
    const refundable = payment.view.refundable - pending;
    const amount = body.amount ?? refundable;
    if (amount <= 0 || amount > refundable)
      throw new AppError("refund_exceeds_captured", `only ${refundable} can still be refunded on this payment`, {
        details: { refundable, amount, pending },
      });
    const request = { view: payment.view, amount, reason: body.reason, key, requestHash, principal };
    const view = payment.view;
    if (view.method === "cash" || view.method === "external" || (view.method === "card" && !view.terminal))
      return { kind: "done", refund: recordAtOnce(ctx, request) };
    const attempt = view.method === "card" ? terminalAttempt(deps, request) : providerAttempt(deps, request);
    return { kind: "attempt", attemptId: insertAttempt(ctx.journal, attempt).id, fresh: true };
  });
  if (plan.kind === "done") return { statusCode: 201, body: plan.refund, events: [], replayed: false };
  let attempt = getAttempt(ctx.journal, plan.attemptId) as AttemptRecord;
  if (attempt.kind === "provider_refund") {
    if (attempt.state === "presenting" && plan.fresh) attempt = await deps.providers.refund(attempt);
  } else {
    const slot = deps.terminals.get(attempt.device);
    slot?.queue.runner.wake();
    const waitMs = (slot?.config.paymentTimeoutSeconds ?? 120) * 1_000 + REFUND_WAIT_EXTRA_MS;
    attempt = await deps.waiters.until(attempt.id, settled, waitMs);
  }
  return answer(ctx, attempt);
}

interface RefundRequest {
  view: PaymentView;
  amount: number;
  reason: string;
  key: string;
  requestHash: string;
  principal: Principal;
}

/** Cash goes back from the drawer (it opens), external money outside galleyd: recorded at once. */
function recordAtOnce(ctx: CommandContext, request: RefundRequest): RefundView {
  return writeRefund(ctx, {
    id: newId(),
    payment: request.view,
    amount: request.amount,
    route: request.view.method === "cash" ? "cash" : "external",
    reason: request.reason,
    reference: null,
    cardSlip: [],
    terminal: null,
    key: request.key,
    requestHash: request.requestHash,
    actor: actorOf(request.principal),
    at: iso(ctx.clock.now()),
  }).view;
}

/** The fields every refund attempt shares. */
function baseAttempt(ctx: CommandContext, request: RefundRequest): Omit<NewAttempt, "kind" | "device" | "outcome"> {
  return {
    id: newId(),
    orderId: request.view.orderId,
    paymentId: request.view.id,
    refundId: newId(),
    amount: request.amount,
    currency: request.view.currency,
    draft: null,
    principal: request.principal,
    requestHash: request.requestHash,
    createdAt: iso(ctx.clock.now()),
    expiresAtMs: ctx.clock.now(),
  };
}

/** A card payment goes back on its terminal: reversed the same day when it is all of it, refunded otherwise. */
function terminalAttempt(deps: RefundsDeps, request: RefundRequest): NewAttempt {
  const { ctx } = deps;
  const { view, amount } = request;
  const terminal = view.terminal ? deps.terminals.get(view.terminal) : undefined;
  if (!terminal)
    throw new AppError(
      "terminal_not_configured",
      `the terminal ${view.terminal ?? ""} that took this payment is gone from the configuration`,
    );
  const sale = saleOfPayment(ctx.journal, view.id);
  const day = (ms: number): string => businessDate(ms, ctx.config.store.timezone, ctx.config.orders.dayStartHour);
  const reverse =
    deps.config.reverseSameDay &&
    day(Date.parse(view.createdAt)) === day(ctx.clock.now()) &&
    amount === view.amount + view.tip &&
    view.refunded === 0 &&
    sale !== undefined;
  return {
    ...baseAttempt(ctx, request),
    kind: reverse ? "reversal" : "refund",
    device: terminal.config.id,
    outcome: {
      refund: {
        route: reverse ? "terminal_reversal" : "terminal_refund",
        reason: request.reason,
        key: request.key,
        requestHash: request.requestHash,
      },
      original: { reference: sale ?? view.id, transactionId: view.reference ?? "", amount: view.amount + view.tip },
    },
    expiresAtMs: ctx.clock.now() + deps.config.checkoutExpirySeconds * 1_000,
  };
}

/** A token payment goes back through the provider that charged it. */
function providerAttempt(deps: RefundsDeps, request: RefundRequest): NewAttempt {
  const provider = deps.providers.get(request.view.provider);
  if (!provider)
    throw new AppError(
      "provider_not_configured",
      `${request.view.provider ?? "the provider"} is not set up on this board`,
    );
  return {
    ...baseAttempt(deps.ctx, request),
    kind: "provider_refund",
    state: "presenting",
    device: provider.name,
    outcome: {
      refund: { route: "provider", reason: request.reason, key: request.key, requestHash: request.requestHash },
      providerId: request.view.reference ?? "",
    },
  };
}

/** What the request answers for the attempt as it stands. */
function answer(ctx: CommandContext, attempt: AttemptRecord): CommandResult<RefundView> {
  const viaProvider = attempt.kind === "provider_refund";
  switch (attempt.state) {
    case "approved": {
      const refund = findRefund(ctx.journal, { id: attempt.refundId ?? "" });
      if (!refund) throw new AppError("internal_error", "the refund was approved but is not in the journal");
      return { statusCode: 201, body: refund.view, events: [], replayed: false };
    }
    case "declined":
    case "cancelled":
      throw new AppError(
        viaProvider ? "provider_declined" : "terminal_declined",
        `the refund was ${attempt.state}: ${attempt.reason ?? ""}`.trim(),
      );
    case "failed":
    case "reversed":
      throw new AppError(
        viaProvider ? "provider_unreachable" : "terminal_unavailable",
        `the refund did not go through: ${attempt.reason ?? ""}`.trim(),
      );
    case "queued":
    case "presenting":
    case "uncertain":
      throw new AppError(
        "payment_pending",
        "the refund is still waiting for an answer; send the same request (same Idempotency-Key) again to see how it ended",
        { details: { attempt: attempt.id, state: attempt.state } },
      );
  }
}
