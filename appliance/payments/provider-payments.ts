/**
 * Provider tokens (`POST /api/orders/:id/payments` with `method: mobile | card_online`): a phone's
 * or web page's one-time token charged through Square or Stripe, and refunds of such charges.
 * Each call is an attempt written first, with an idempotency key derived from our payment (or
 * refund) id, so an answer that may have been lost is learnt by repeating the same request — the
 * attempt stays `uncertain` (keeping its token) until the provider says. The token is forgotten
 * once the provider answered.
 */
import type { CommandContext } from "../commands/context.ts";
import { actorOf, iso } from "../commands/context.ts";
import { readableOrder } from "../commands/orders.ts";
import { assertPayable, dueOn, replayPayment, writePayment, writeRefund } from "../commands/payments.ts";
import {
  forgetToken,
  getAttempt,
  insertAttempt,
  openAttemptOfPayment,
  openAttempts,
  transitionAttempt,
  type AttemptRecord,
} from "../journal/attempt-store.ts";
import { saveCredentials } from "../journal/terminal-store.ts";
import { getOrder } from "../journal/order-store.ts";
import { findPayment } from "../journal/payment-store.ts";
import { hashOf } from "../lib/canonical-json.ts";
import { AppError } from "../lib/errors.ts";
import { newId } from "../lib/ids.ts";
import type { Logger } from "../lib/logger.ts";
import type { SecretBox } from "../lib/secret-box.ts";
import type { Principal } from "../../protocol/schemas/auth.ts";
import type { PaymentBody, PaymentView } from "../../protocol/schemas/orders.ts";
import type { ChargeOutcome, PaymentProvider, ProviderName, RefundOutcome } from "./providers/types.ts";

export interface ProviderPaymentsDeps {
  ctx: CommandContext;
  box: () => SecretBox;
  /** Builds the providers from the configuration and their sealed secrets (again after a secret changes). */
  build: () => Map<ProviderName, PaymentProvider>;
  recheckMs: number;
  log: Logger;
}

export interface ChargeResult {
  statusCode: number;
  body: PaymentView;
  replayed: boolean;
}

/** No answer, or one that says "try again": the provider may have acted; repeat with the same key. */
function mayHaveActed(outcome: ChargeOutcome | RefundOutcome): boolean {
  return (outcome.result === "unreachable" && outcome.maybeSent) || (outcome.result === "error" && outcome.retryable);
}

export class ProviderPayments {
  readonly #deps: ProviderPaymentsDeps;
  #providers: Map<ProviderName, PaymentProvider>;
  #stopped = false;

  constructor(deps: ProviderPaymentsDeps) {
    this.#deps = deps;
    this.#providers = deps.build();
  }

  names(): ProviderName[] {
    return [...this.#providers.keys()];
  }

  get(name: string | null): PaymentProvider | undefined {
    return name === null ? undefined : this.#providers.get(name as ProviderName);
  }

  /** Provider calls cut short by a crash are repeated with the same key: the provider answers what it did. */
  resumeOpen(): void {
    for (const attempt of openAttempts(this.#deps.ctx.journal)) {
      if (attempt.kind === "provider_charge" || attempt.kind === "provider_refund") void this.#resume(attempt);
    }
  }

  stop(): void {
    this.#stopped = true;
    for (const provider of this.#providers.values()) provider.close();
  }

  /** Seals a provider's secret (Square access token, Stripe secret key) and rebuilds the providers with it. */
  setSecret(name: ProviderName, secret: string): ProviderName[] {
    const { ctx } = this.#deps;
    const sealed = this.#deps.box().seal(secret);
    ctx.journal.transaction(() => {
      saveCredentials(ctx.journal, `provider:${name}`, sealed, iso(ctx.clock.now()));
    });
    const previous = this.#providers;
    this.#providers = this.#deps.build();
    for (const provider of previous.values()) provider.close();
    if (!this.#providers.has(name))
      throw new AppError(
        "provider_not_configured",
        `the secret is kept, but ${name} is not enabled or incomplete in payments.providers.${name}`,
      );
    return this.names();
  }

  async charge(
    principal: Principal,
    orderId: string,
    body: PaymentBody,
    idempotencyKey: string | undefined,
  ): Promise<ChargeResult> {
    const { ctx } = this.#deps;
    if (!body.provider || !body.token)
      throw new AppError("validation_failed", `${body.method} payments need provider and token`, {
        details: { errors: ["provider and token: required for mobile and card_online"] },
      });
    if (body.tendered !== undefined)
      throw new AppError("validation_failed", "tendered is for cash payments", {
        details: { errors: ["tendered: only with method cash"] },
      });
    const provider = this.#providers.get(body.provider);
    if (!provider) throw new AppError("provider_not_configured", `${body.provider} is not set up on this board`);
    const token = body.token;
    const key = idempotencyKey ?? `payment:${body.id}`;
    const requestHash = hashOf({ op: "payments.record", principal: principal.id, orderId, body });
    const started = ctx.journal.transaction(() => {
      const seen = replayPayment(ctx, key, body.id, requestHash);
      if (seen) return { kind: "replay" as const, replay: seen };
      if (openAttemptOfPayment(ctx.journal, body.id))
        throw new AppError("payment_in_progress", "this payment is being charged", { details: { paymentId: body.id } });
      const order = readableOrder(ctx, principal, orderId);
      assertPayable(order, orderId);
      const due = dueOn(ctx, order);
      if (body.amount > due)
        throw new AppError("payment_exceeds_due", `only ${due} is due on this order`, {
          details: { due, amount: body.amount },
        });
      const attempt = insertAttempt(ctx.journal, {
        id: newId(),
        kind: "provider_charge",
        state: "presenting",
        device: provider.name,
        orderId,
        paymentId: body.id,
        refundId: null,
        amount: body.amount,
        currency: order.snapshot.totals.currency,
        draft: null,
        principal,
        requestHash,
        outcome: {
          charge: { method: body.method, provider: provider.name, tip: body.tip ?? 0, key, requestHash, token },
        },
        createdAt: iso(ctx.clock.now()),
        expiresAtMs: ctx.clock.now(),
      });
      return { kind: "charge" as const, attempt, ref: order.snapshot.ref };
    });
    if (started.kind === "replay") return { statusCode: 201, body: started.replay, replayed: true };
    return this.#runCharge(provider, started.attempt, token, started.ref);
  }

  /** Sends a refund attempt (written by refunds.ts) to its provider and writes what it answered. */
  async refund(attempt: AttemptRecord): Promise<AttemptRecord> {
    const { ctx } = this.#deps;
    const provider = this.get(attempt.device);
    const payment = findPayment(ctx.journal, { id: attempt.paymentId ?? "" });
    const meta = attempt.outcome?.refund;
    if (!provider || !payment || !meta) return attempt;
    const outcome = await provider.refund({
      refundId: attempt.refundId ?? attempt.id,
      providerPaymentId: payment.view.reference ?? "",
      amount: attempt.amount,
      currency: attempt.currency,
      reason: meta.reason,
    });
    const at = iso(ctx.clock.now());
    ctx.journal.transaction(() => {
      if (outcome.result === "refunded") {
        writeRefund(ctx, {
          id: attempt.refundId ?? newId(),
          payment: payment.view,
          amount: attempt.amount,
          route: "provider",
          reason: meta.reason,
          reference: outcome.providerRefundId,
          cardSlip: [],
          terminal: null,
          key: meta.key,
          requestHash: meta.requestHash,
          actor: actorOf(attempt.principal),
          at,
        });
        transitionAttempt(ctx.journal, attempt.id, ["presenting", "uncertain"], "approved", at, {
          outcome: { ...attempt.outcome, providerId: outcome.providerRefundId },
        });
      } else {
        const to = mayHaveActed(outcome) ? "uncertain" : outcome.result === "declined" ? "declined" : "failed";
        transitionAttempt(ctx.journal, attempt.id, ["presenting", "uncertain"], to, at, { reason: outcome.message });
      }
    });
    const after = getAttempt(ctx.journal, attempt.id) ?? attempt;
    if (after.state === "uncertain") this.#recheck(after.id);
    return after;
  }

  async #runCharge(
    provider: PaymentProvider,
    attempt: AttemptRecord,
    token: string,
    orderReference: string,
  ): Promise<ChargeResult> {
    const { ctx } = this.#deps;
    const charge = attempt.outcome?.charge;
    const paymentId = attempt.paymentId as string;
    const outcome = await provider.charge({
      paymentId,
      amount: attempt.amount,
      currency: attempt.currency,
      token,
      orderReference,
      ...(charge && charge.tip > 0 ? { tip: charge.tip } : {}),
    });
    const at = iso(ctx.clock.now());
    if (outcome.result === "captured") {
      const view = ctx.journal.transaction(() => {
        const order = getOrder(ctx.journal, attempt.orderId);
        assertPayable(order, attempt.orderId);
        const card = outcome.cardBrand || outcome.last4;
        const written = writePayment(ctx, order, {
          id: paymentId,
          method: (charge?.method ?? "card_online") as PaymentView["method"],
          amount: attempt.amount,
          tip: charge?.tip ?? 0,
          tendered: null,
          change: null,
          reference: outcome.providerPaymentId,
          terminal: null,
          provider: provider.name,
          cardSlip: [
            ...(card ? [`${outcome.cardBrand ?? "Card"}${outcome.last4 ? ` **** ${outcome.last4}` : ""}`] : []),
            `${provider.name === "square" ? "Square" : "Stripe"} ${outcome.providerPaymentId}`,
          ],
          key: charge?.key ?? `payment:${paymentId}`,
          requestHash: charge?.requestHash ?? attempt.requestHash,
          actor: actorOf(attempt.principal),
          at,
        });
        transitionAttempt(ctx.journal, attempt.id, ["presenting", "uncertain"], "approved", at, {
          outcome: { ...attempt.outcome, providerId: outcome.providerPaymentId },
        });
        forgetToken(ctx.journal, attempt.id);
        return written.view;
      });
      return { statusCode: 201, body: view, replayed: false };
    }
    if (mayHaveActed(outcome)) {
      // The provider may have charged: keep the token and ask again (same key) until it says.
      ctx.journal.transaction(() =>
        transitionAttempt(ctx.journal, attempt.id, ["presenting", "uncertain"], "uncertain", at, {
          reason: outcome.message,
        }),
      );
      this.#recheck(attempt.id);
      throw new AppError(
        "provider_unreachable",
        `${provider.name} did not answer; the payment is being checked again (nothing is recorded as paid yet)`,
      );
    }
    const to = outcome.result === "declined" ? "declined" : "failed";
    ctx.journal.transaction(() => {
      transitionAttempt(ctx.journal, attempt.id, ["presenting", "uncertain"], to, at, { reason: outcome.message });
      forgetToken(ctx.journal, attempt.id);
    });
    if (outcome.result === "declined")
      throw new AppError("provider_declined", `${provider.name} declined the payment: ${outcome.message}`, {
        details: { code: outcome.code },
      });
    if (outcome.result === "unreachable")
      throw new AppError("provider_unreachable", `${provider.name} cannot be reached; nothing was charged`);
    throw new AppError("provider_error", `${provider.name} refused the payment: ${outcome.message}`, {
      details: { code: outcome.code },
    });
  }

  #recheck(attemptId: string): void {
    setTimeout(() => {
      const attempt = getAttempt(this.#deps.ctx.journal, attemptId);
      if (attempt?.state === "uncertain") void this.#resume(attempt);
    }, this.#deps.recheckMs).unref();
  }

  /** A provider call cut short: repeat it with the same idempotency key. */
  async #resume(attempt: AttemptRecord): Promise<void> {
    if (this.#stopped) return;
    const provider = this.get(attempt.device);
    if (!provider) return;
    try {
      if (attempt.kind === "provider_charge") {
        const token = attempt.outcome?.charge?.token;
        const order = getOrder(this.#deps.ctx.journal, attempt.orderId);
        if (!token || !order) return;
        await this.#runCharge(provider, attempt, token, order.snapshot.ref);
      } else if (attempt.kind === "provider_refund") {
        await this.refund(attempt);
      }
    } catch (error) {
      this.#deps.log.info({ attempt: attempt.id, err: error }, "provider attempt resumed");
    }
  }
}
