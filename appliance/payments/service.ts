/**
 * The payments feature's working parts: the configured terminals (their drivers and queues),
 * checkouts and their long-poll, refunds (terminal, provider, cash, external), provider tokens,
 * and each terminal's end of day against the journal.
 */
import { startZvtSimulator, type PaymentTerminal, type ZvtSimulator } from "../../drivers/index.ts";
import type { CommandContext, TokenPayments } from "../commands/context.ts";
import { actorOf, iso } from "../commands/context.ts";
import type { CommandResult } from "../commands/order-commit.ts";
import { readableOrder } from "../commands/orders.ts";
import { assertPayable, dueOn, replayPayment, writePayment, writeRefund } from "../commands/payments.ts";
import { businessDate } from "../domain/business-day.ts";
import {
  forgetToken,
  getAttempt,
  insertAttempt,
  insertClosing,
  lastClosing,
  openAttempts,
  openSaleOf,
  recentClosings,
  recoveredCount,
  saveCredentials,
  sealedCredentials,
  transitionAttempt,
  type AttemptRecord,
  type ClosingRecord,
} from "../journal/attempt-store.ts";
import { insertNotification } from "../journal/job-store.ts";
import { getOrder, getOrdersByNumber } from "../journal/order-store.ts";
import { findPayment, findRefund, recentPayments, refundsOf, terminalTakings } from "../journal/payment-store.ts";
import { hashOf } from "../lib/canonical-json.ts";
import { AppError } from "../lib/errors.ts";
import type { Failpoint } from "../lib/failpoints.ts";
import { newId } from "../lib/ids.ts";
import { forModule, type Logger } from "../lib/logger.ts";
import type { SecretBox } from "../lib/secret-box.ts";
import type { Principal } from "../../protocol/schemas/auth.ts";
import type { PaymentBody, PaymentView, RefundBody, RefundView } from "../../protocol/schemas/orders.ts";
import type {
  CheckoutBody,
  CheckoutView,
  PaymentOptionsView,
  RecentPaymentsView,
  TerminalClosingView,
  TerminalCredentialsBody,
  TerminalTestView,
  TerminalView,
} from "../../protocol/schemas/payments.ts";
import { checkoutView, readableCheckout, startCheckout } from "./checkouts.ts";
import type { PaymentsConfig, TerminalConfig } from "./config-schema.ts";
import type { PaymentProvider, ProviderName } from "./providers/types.ts";
import { createTerminalDriver, ZVT_DEFAULT_PASSWORD, type TerminalCredentials } from "./terminal-factory.ts";
import { TerminalQueue } from "./terminal-queue.ts";

export interface PaymentsDeps {
  ctx: CommandContext;
  terminals: readonly TerminalConfig[];
  config: PaymentsConfig;
  /** The board's secret box (lib/secret-box.ts), opened on first use. */
  box: () => SecretBox;
  /** Builds the providers from the configuration and their sealed secrets (again after a secret changes). */
  providers: () => Map<ProviderName, PaymentProvider>;
  log: Logger;
  failpoint: Failpoint;
  /** Overrides the driver (tests that script a terminal in-process). */
  driverFor?: (config: TerminalConfig) => PaymentTerminal;
}

interface TerminalSlot {
  config: TerminalConfig;
  /** `sim:` terminals: the simulator galleyd runs for it on 127.0.0.1. */
  simulator?: ZvtSimulator;
  driver: PaymentTerminal | string;
  queue: TerminalQueue;
  started: boolean;
}

/** How long a refund request waits for the terminal beyond its payment timeout. */
const REFUND_WAIT_EXTRA_MS = 15_000;

export class Payments implements TokenPayments {
  readonly #deps: PaymentsDeps;
  readonly #log: Logger;
  readonly #slots = new Map<string, TerminalSlot>();
  readonly #waiters = new Map<string, Set<() => void>>();
  #providers: Map<ProviderName, PaymentProvider>;
  #stopped = false;

  constructor(deps: PaymentsDeps) {
    this.#deps = deps;
    this.#log = forModule(deps.log, "payments");
    this.#providers = deps.providers();
    for (const config of deps.terminals) {
      const slot: TerminalSlot = {
        config,
        driver: "not started",
        started: false,
        queue: new TerminalQueue({
          ctx: deps.ctx,
          config,
          driver: () => slot.driver,
          changed: (id) => {
            this.#changed(id);
          },
          log: forModule(deps.log, "payments:terminal"),
          failpoint: deps.failpoint,
          recheckMs: deps.config.recheckSeconds * 1_000,
          reverseSameDay: deps.config.reverseSameDay,
        }),
      };
      this.#slots.set(config.id, slot);
    }
  }

  /** Stopping: waiters answer with what they have. */
  get stopped(): boolean {
    return this.#stopped;
  }

  async start(): Promise<void> {
    await Promise.all([...this.#slots.values()].map((slot) => this.#startSlot(slot)));
    // Provider calls cut short by a crash are repeated with the same key: the provider answers what it did.
    for (const attempt of openAttempts(this.#deps.ctx.journal)) {
      if (attempt.kind === "provider_charge" || attempt.kind === "provider_refund") void this.#resumeProvider(attempt);
    }
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    await Promise.all(
      [...this.#slots.values()].map(async (slot) => {
        await slot.queue.runner.stop(2_000);
        if (typeof slot.driver !== "string") await slot.driver.stop();
        await slot.simulator?.close();
      }),
    );
    for (const provider of this.#providers.values()) provider.close();
    for (const wake of [...this.#waiters.values()].flatMap((set) => [...set])) wake();
  }

  async #startSlot(slot: TerminalSlot): Promise<void> {
    if (slot.config.uri === "sim:" && !slot.simulator && !this.#deps.driverFor) {
      slot.simulator = await startZvtSimulator({ password: ZVT_DEFAULT_PASSWORD });
      this.#log.info({ terminal: slot.config.id, uri: slot.simulator.uri }, "simulated card terminal");
    }
    const made = this.#makeDriver(slot.simulator ? { ...slot.config, uri: slot.simulator.uri } : slot.config);
    slot.driver = made;
    if (typeof made !== "string") {
      try {
        await made.start();
      } catch (error) {
        this.#log.warn({ err: error, terminal: slot.config.id }, "terminal did not start; it retries by itself");
      }
    } else {
      this.#log.warn({ terminal: slot.config.id, reason: made }, "terminal not usable");
    }
    if (!slot.started) {
      slot.started = true;
      slot.queue.runner.start();
    }
  }

  #makeDriver(config: TerminalConfig): PaymentTerminal | string {
    if (this.#deps.driverFor) return this.#deps.driverFor(config);
    let credentials: TerminalCredentials | undefined;
    const sealed = sealedCredentials(this.#deps.ctx.journal, config.id);
    if (sealed) {
      try {
        credentials = JSON.parse(this.#deps.box().open(sealed)) as TerminalCredentials;
      } catch (error) {
        return `its credentials cannot be read (${error instanceof Error ? error.message : String(error)}); set them again`;
      }
    }
    const catalogue = this.#deps.ctx.catalogue.get();
    return createTerminalDriver({
      config,
      credentials,
      currency: catalogue?.menu.currency ?? "EUR",
      saleId: this.#deps.ctx.config.store.name.replace(/[^A-Za-z0-9-]/g, "").slice(0, 20) || "galley",
      log: forModule(this.#deps.log, `payments:${config.protocol}`),
    });
  }

  // ---- waiting on checkouts -----------------------------------------------------------------------

  #changed(id: string): void {
    const waiters = this.#waiters.get(id);
    if (!waiters) return;
    this.#waiters.delete(id);
    for (const wake of waiters) wake();
  }

  /** Resolves when the attempt changes, or after `ms`. */
  #waitFor(id: string, ms: number): Promise<void> {
    return new Promise((resolve) => {
      let set = this.#waiters.get(id);
      if (!set) this.#waiters.set(id, (set = new Set()));
      const waiters = set;
      const done = (): void => {
        clearTimeout(timer);
        waiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      timer.unref();
      waiters.add(done);
    });
  }

  /** Waits until the attempt is no longer `queued`/`presenting`/`uncertain`, or `ms` passed. */
  async #settled(id: string, ms: number): Promise<AttemptRecord> {
    const until = Date.now() + ms;
    for (let i = 0; i < 10_000; i++) {
      const attempt = getAttempt(this.#deps.ctx.journal, id);
      if (!attempt) throw new AppError("checkout_not_found", `no attempt ${id}`);
      const left = until - Date.now();
      if (!["queued", "presenting", "uncertain"].includes(attempt.state) || left <= 0 || this.#stopped) return attempt;
      await this.#waitFor(id, left);
    }
    throw new AppError("internal_error", "waiting for the terminal did not end");
  }

  // ---- what a screen may offer --------------------------------------------------------------------

  /** The terminal that serves `principal`: a kiosk by its paired name, staff at the counter. */
  terminalFor(principal: Principal, requested: string | undefined): TerminalConfig | undefined {
    const terminals = [...this.#slots.values()].map((s) => s.config);
    if (requested !== undefined) {
      const named = terminals.find((t) => t.id === requested);
      if (!named) return undefined;
      if (principal.role === "kiosk" && !serves(named, principal)) return undefined;
      return named;
    }
    if (principal.role === "kiosk") return terminals.find((t) => serves(t, principal));
    return terminals.find((t) => t.counter);
  }

  options(principal: Principal): PaymentOptionsView {
    const terminal = this.terminalFor(principal, undefined);
    const slot = terminal ? this.#slots.get(terminal.id) : undefined;
    const online = slot !== undefined && typeof slot.driver !== "string" && slot.driver.state().online;
    return {
      card: terminal ? { terminal: terminal.id, name: terminal.name ?? terminal.id, online } : null,
      providers: [...this.#providers.keys()],
    };
  }

  // ---- checkouts ----------------------------------------------------------------------------------

  startCheckout(principal: Principal, body: CheckoutBody): { statusCode: 200 | 202; body: CheckoutView } {
    const terminal = this.terminalFor(principal, body.terminal);
    if (!terminal)
      throw new AppError(
        "terminal_not_configured",
        body.terminal ? `no terminal ${body.terminal} serves this screen` : "no card terminal serves this screen",
      );
    const slot = this.#slots.get(terminal.id) as TerminalSlot;
    if (typeof slot.driver === "string")
      throw new AppError(
        "terminal_unavailable",
        `${terminal.name ?? terminal.id} cannot take payments: ${slot.driver}`,
      );
    const { attempt, created } = startCheckout(
      this.#deps.ctx,
      principal,
      body,
      terminal,
      this.#deps.config.checkoutExpirySeconds,
    );
    if (created) slot.queue.runner.wake();
    return { statusCode: created ? 202 : 200, body: checkoutView(this.#deps.ctx, attempt, terminal) };
  }

  async checkout(principal: Principal, id: string, after: number | undefined, waitMs: number): Promise<CheckoutView> {
    let attempt = readableCheckout(this.#deps.ctx, principal, id);
    if (after !== undefined && attempt.version <= after && waitMs > 0 && !this.#stopped) {
      const until = Date.now() + waitMs;
      for (let i = 0; i < 1_000 && attempt.version <= after && Date.now() < until; i++) {
        await this.#waitFor(id, until - Date.now());
        if (this.stopped) break;
        attempt = readableCheckout(this.#deps.ctx, principal, id);
      }
    }
    return checkoutView(this.#deps.ctx, attempt, this.#slots.get(attempt.device)?.config);
  }

  /** The caller's newest checkout still running (a kiosk that reloaded mid-payment resumes it). */
  currentCheckout(principal: Principal): CheckoutView {
    const attempt = openSaleOf(this.#deps.ctx.journal, principal.id);
    if (!attempt) throw new AppError("checkout_not_found", "no checkout of yours is running");
    return checkoutView(this.#deps.ctx, attempt, this.#slots.get(attempt.device)?.config);
  }

  /** The customer or the cashier gives up: a queued checkout ends now, a presented one is aborted on the terminal. */
  async cancelCheckout(principal: Principal, id: string): Promise<CheckoutView> {
    const { ctx } = this.#deps;
    const attempt = readableCheckout(ctx, principal, id);
    const slot = this.#slots.get(attempt.device);
    if (attempt.state === "queued") {
      const moved = ctx.journal.transaction(() =>
        transitionAttempt(ctx.journal, id, ["queued"], "cancelled", iso(ctx.clock.now()), {
          stage: "cancelled",
          reason: "cancelled before the terminal started",
        }),
      );
      if (moved) this.#changed(id);
    } else if (attempt.state === "presenting" && slot && typeof slot.driver !== "string" && slot.queue.current === id) {
      await slot.driver.abort();
      // The terminal's own answer (cancelled, or approved if the card was already through) settles it.
      await this.#settled(id, 5_000);
    }
    return checkoutView(ctx, readableCheckout(ctx, principal, id), slot?.config);
  }

  // ---- provider tokens ------------------------------------------------------------------------------

  async charge(
    principal: Principal,
    orderId: string,
    body: PaymentBody,
    idempotencyKey: string | undefined,
  ): Promise<{ statusCode: number; body: PaymentView; replayed: boolean }> {
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
    const key = idempotencyKey ?? `payment:${body.id}`;
    const requestHash = hashOf({ op: "payments.record", principal: principal.id, orderId, body });
    const tip = body.tip ?? 0;
    const started = ctx.journal.transaction(() => {
      const seen = replayPayment(ctx, key, body.id, requestHash);
      if (seen) return { kind: "replay" as const, replay: seen };
      const open = ctx.journal.get<{ id: string }>(
        "SELECT id FROM payment_attempts WHERE payment_id = ? AND state IN ('queued', 'presenting', 'uncertain')",
        [body.id],
      );
      if (open)
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
          charge: { method: body.method, provider: provider.name, tip, key, requestHash, token: body.token as string },
        },
        createdAt: iso(ctx.clock.now()),
        expiresAtMs: ctx.clock.now(),
      });
      return { kind: "charge" as const, attempt, ref: order.snapshot.ref };
    });
    if (started.kind === "replay") return { statusCode: 201, body: started.replay, replayed: true };
    return this.#runCharge(provider, started.attempt, body.token, started.ref);
  }

  async #runCharge(
    provider: PaymentProvider,
    attempt: AttemptRecord,
    token: string,
    orderReference: string,
  ): Promise<{ statusCode: number; body: PaymentView; replayed: boolean }> {
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
        const slip = [
          ...(outcome.cardBrand || outcome.last4
            ? [`${outcome.cardBrand ?? "Card"}${outcome.last4 ? ` **** ${outcome.last4}` : ""}`]
            : []),
          `${provider.name === "square" ? "Square" : "Stripe"} ${outcome.providerPaymentId}`,
        ];
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
          cardSlip: slip,
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
    if ((outcome.result === "unreachable" && outcome.maybeSent) || (outcome.result === "error" && outcome.retryable)) {
      // The provider may have charged: keep the token and ask again (same key) until it says.
      ctx.journal.transaction(() =>
        transitionAttempt(ctx.journal, attempt.id, ["presenting", "uncertain"], "uncertain", at, {
          reason: outcome.message,
        }),
      );
      setTimeout(
        () => void this.#resumeProvider(getAttempt(ctx.journal, attempt.id) ?? attempt),
        this.#deps.config.recheckSeconds * 1_000,
      ).unref();
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

  /** A provider call cut short: repeat it with the same idempotency key. */
  async #resumeProvider(attempt: AttemptRecord): Promise<void> {
    if (this.#stopped) return;
    const provider = this.#providers.get(attempt.device as ProviderName);
    if (!provider) return;
    try {
      if (attempt.kind === "provider_charge") {
        const token = attempt.outcome?.charge?.token;
        const order = getOrder(this.#deps.ctx.journal, attempt.orderId);
        if (!token || !order) return;
        await this.#runCharge(provider, attempt, token, order.snapshot.ref);
      } else if (attempt.kind === "provider_refund") {
        await this.#runProviderRefund(provider, attempt);
      }
    } catch (error) {
      this.#log.info({ attempt: attempt.id, err: error }, "provider attempt resumed");
    }
  }

  // ---- refunds --------------------------------------------------------------------------------------

  async refund(
    principal: Principal,
    paymentId: string,
    body: RefundBody,
    idempotencyKey: string | undefined,
  ): Promise<CommandResult<RefundView>> {
    const { ctx } = this.#deps;
    if (!idempotencyKey)
      throw new AppError(
        "idempotency_key_invalid",
        "a refund needs an Idempotency-Key header, so a retry never refunds twice",
      );
    const key = `refund:${idempotencyKey}`;
    const requestHash = hashOf({ op: "payments.refund", principal: principal.id, paymentId, body });
    const plan = ctx.journal.transaction(() => {
      const seen = findRefund(ctx.journal, { key });
      if (seen) {
        if (seen.requestHash !== requestHash)
          throw new AppError("idempotency_conflict", "this Idempotency-Key was already used for another refund");
        return { kind: "done" as const, refund: seen.view };
      }
      const running = ctx.journal.get<{ id: string }>(
        "SELECT id FROM payment_attempts WHERE json_extract(outcome, '$.refund.key') = ? ORDER BY created_at DESC LIMIT 1",
        [key],
      );
      if (running) return { kind: "attempt" as const, attemptId: running.id, fresh: false };
      const payment = findPayment(ctx.journal, { id: paymentId });
      if (!payment) throw new AppError("payment_not_found", `no payment ${paymentId}`);
      readableOrder(ctx, principal, payment.view.orderId);
      // Refunds still waiting for a terminal or provider count as given back already.
      const pending =
        ctx.journal.get<{ n: number }>(
          `SELECT COALESCE(SUM(amount), 0) AS n FROM payment_attempts
             WHERE payment_id = ? AND kind IN ('refund', 'reversal', 'provider_refund')
               AND state IN ('queued', 'presenting', 'uncertain')`,
          [paymentId],
        )?.n ?? 0;
      const refundable = payment.view.refundable - pending;
      const amount = body.amount ?? refundable;
      if (amount <= 0 || amount > refundable)
        throw new AppError("refund_exceeds_captured", `only ${refundable} can still be refunded on this payment`, {
          details: { refundable, amount, pending },
        });
      const at = iso(ctx.clock.now());
      const view = payment.view;
      // Cash goes back from the drawer (it opens), external money outside galleyd: recorded at once.
      const terminal = view.terminal ? this.#slots.get(view.terminal) : undefined;
      if (view.method === "cash" || view.method === "external" || (view.method === "card" && !view.terminal)) {
        const written = writeRefund(ctx, {
          id: newId(),
          payment: view,
          amount,
          route: view.method === "cash" ? "cash" : "external",
          reason: body.reason,
          reference: null,
          cardSlip: [],
          terminal: null,
          key,
          requestHash,
          actor: actorOf(principal),
          at,
        });
        return { kind: "done" as const, refund: written.view };
      }
      const refundMeta = { route: "", reason: body.reason, key, requestHash };
      if (view.method === "card") {
        if (!terminal)
          throw new AppError(
            "terminal_not_configured",
            `the terminal ${view.terminal ?? ""} that took this payment is gone from the configuration`,
          );
        const sale = ctx.journal.get<{ id: string }>(
          "SELECT id FROM payment_attempts WHERE payment_id = ? AND kind = 'sale'",
          [view.id],
        );
        const sameDay =
          businessDate(Date.parse(view.createdAt), ctx.config.store.timezone, ctx.config.orders.dayStartHour) ===
          businessDate(ctx.clock.now(), ctx.config.store.timezone, ctx.config.orders.dayStartHour);
        const reverse =
          this.#deps.config.reverseSameDay &&
          sameDay &&
          amount === view.amount + view.tip &&
          view.refunded === 0 &&
          !!sale;
        const attempt = insertAttempt(ctx.journal, {
          id: newId(),
          kind: reverse ? "reversal" : "refund",
          device: terminal.config.id,
          orderId: view.orderId,
          paymentId: view.id,
          refundId: newId(),
          amount,
          currency: view.currency,
          draft: null,
          principal,
          requestHash,
          outcome: {
            refund: { ...refundMeta, route: reverse ? "terminal_reversal" : "terminal_refund" },
            original: {
              reference: sale?.id ?? view.id,
              transactionId: view.reference ?? "",
              amount: view.amount + view.tip,
            },
          },
          createdAt: at,
          expiresAtMs: ctx.clock.now() + this.#deps.config.checkoutExpirySeconds * 1_000,
        });
        return { kind: "attempt" as const, attemptId: attempt.id, fresh: true };
      }
      // mobile / card_online: back through the provider that charged it.
      const provider = view.provider ? this.#providers.get(view.provider as ProviderName) : undefined;
      if (!provider)
        throw new AppError("provider_not_configured", `${view.provider ?? "the provider"} is not set up on this board`);
      const attempt = insertAttempt(ctx.journal, {
        id: newId(),
        kind: "provider_refund",
        state: "presenting",
        device: provider.name,
        orderId: view.orderId,
        paymentId: view.id,
        refundId: newId(),
        amount,
        currency: view.currency,
        draft: null,
        principal,
        requestHash,
        outcome: { refund: { ...refundMeta, route: "provider" }, providerId: view.reference ?? "" },
        createdAt: at,
        expiresAtMs: ctx.clock.now(),
      });
      return { kind: "attempt" as const, attemptId: attempt.id, fresh: true };
    });
    if (plan.kind === "done") return { statusCode: 201, body: plan.refund, events: [], replayed: false };
    let attempt = getAttempt(ctx.journal, plan.attemptId) as AttemptRecord;
    if (attempt.kind === "provider_refund") {
      const provider = this.#providers.get(attempt.device as ProviderName);
      if (attempt.state === "presenting" && provider && plan.fresh)
        attempt = await this.#runProviderRefund(provider, attempt);
    } else {
      const slot = this.#slots.get(attempt.device);
      slot?.queue.runner.wake();
      const waitMs = (slot?.config.paymentTimeoutSeconds ?? 120) * 1_000 + REFUND_WAIT_EXTRA_MS;
      attempt = await this.#settled(attempt.id, waitMs);
    }
    return this.#refundAnswer(attempt);
  }

  async #runProviderRefund(provider: PaymentProvider, attempt: AttemptRecord): Promise<AttemptRecord> {
    const { ctx } = this.#deps;
    const payment = findPayment(ctx.journal, { id: attempt.paymentId ?? "" });
    const meta = attempt.outcome?.refund;
    if (!payment || !meta) return attempt;
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
      } else if (
        (outcome.result === "unreachable" && outcome.maybeSent) ||
        (outcome.result === "error" && outcome.retryable)
      ) {
        transitionAttempt(ctx.journal, attempt.id, ["presenting"], "uncertain", at, { reason: outcome.message });
      } else {
        transitionAttempt(
          ctx.journal,
          attempt.id,
          ["presenting", "uncertain"],
          outcome.result === "declined" ? "declined" : "failed",
          at,
          { reason: outcome.message },
        );
      }
    });
    const after = getAttempt(ctx.journal, attempt.id) ?? attempt;
    if (after.state === "uncertain")
      setTimeout(() => void this.#resumeProvider(after), this.#deps.config.recheckSeconds * 1_000).unref();
    return after;
  }

  #refundAnswer(attempt: AttemptRecord): CommandResult<RefundView> {
    const { ctx } = this.#deps;
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

  recentPayments(limit: number, number: number | undefined): RecentPaymentsView {
    const { ctx } = this.#deps;
    const orderIds =
      number === undefined ? undefined : getOrdersByNumber(ctx.journal, number, 20).map((o) => o.snapshot.id);
    const payments = recentPayments(ctx.journal, { limit, ...(orderIds ? { orderIds } : {}) });
    return {
      payments: payments.flatMap((p) => {
        const order = getOrder(ctx.journal, p.view.orderId);
        if (!order) return [];
        return [
          {
            ...p.view,
            orderNumber: order.snapshot.number,
            orderStatus: order.status,
            refunds: refundsOf(ctx.journal, { paymentId: p.view.id }).map((r) => r.view),
          },
        ];
      }),
    };
  }

  // ---- terminals: status, credentials, test, end of day ----------------------------------------------

  terminals(withUris: boolean): TerminalView[] {
    const since = iso(this.#deps.ctx.clock.now() - 86_400_000);
    return [...this.#slots.values()].map((slot) => this.#terminalView(slot, withUris, since));
  }

  #terminalView(slot: TerminalSlot, withUris: boolean, since: string): TerminalView {
    const state = typeof slot.driver === "string" ? undefined : slot.driver.state();
    const { config } = slot;
    return {
      id: config.id,
      name: config.name ?? config.id,
      protocol: config.protocol,
      online: state?.online ?? false,
      busy: state?.busy ?? false,
      credentials: sealedCredentials(this.#deps.ctx.journal, config.id) !== undefined,
      terminalId: state?.terminalId ?? null,
      lastError: typeof slot.driver === "string" ? slot.driver : (state?.lastError ?? null),
      kiosks: [...config.kiosks],
      counter: config.counter,
      openCheckouts: recoveredCount(this.#deps.ctx.journal, config.id, since),
      ...(withUris ? { uri: config.uri } : {}),
    };
  }

  #slot(id: string): TerminalSlot {
    const slot = this.#slots.get(id);
    if (!slot) throw new AppError("terminal_not_configured", `no terminal ${id} in devices.terminals`);
    return slot;
  }

  /** Seals the terminal's password or keys and restarts its driver with them. */
  async setCredentials(id: string, body: TerminalCredentialsBody): Promise<TerminalView> {
    const slot = this.#slot(id);
    const { ctx } = this.#deps;
    if (slot.config.protocol === "zvt" && !("password" in body))
      throw new AppError("validation_failed", "a ZVT terminal takes a password", {
        details: { errors: ["password: required for ZVT terminals"] },
      });
    if (slot.config.protocol === "adyen" && !("keyIdentifier" in body))
      throw new AppError("validation_failed", "an Adyen terminal takes keyIdentifier, keyVersion and passphrase", {
        details: { errors: ["keyIdentifier: required for Adyen terminals"] },
      });
    const sealed = this.#deps.box().seal(JSON.stringify(body));
    ctx.journal.transaction(() => {
      saveCredentials(ctx.journal, id, sealed, iso(ctx.clock.now()));
    });
    if (slot.queue.current === undefined) {
      if (typeof slot.driver !== "string") await slot.driver.stop();
      await this.#startSlot(slot);
    }
    return this.#terminalView(slot, true, iso(ctx.clock.now() - 86_400_000));
  }

  /** Status now, asked of the terminal. */
  async refresh(id: string): Promise<TerminalView> {
    const slot = this.#slot(id);
    if (typeof slot.driver !== "string") await slot.driver.refreshState();
    return this.#terminalView(slot, true, iso(this.#deps.ctx.clock.now() - 86_400_000));
  }

  /** The technician's test: 0.01 charged, then reversed at once. Not an order; nothing in the journal's money. */
  async testPayment(id: string, by: string): Promise<TerminalTestView> {
    const slot = this.#slot(id);
    if (typeof slot.driver === "string") throw new AppError("terminal_unavailable", slot.driver);
    if (slot.queue.current !== undefined || openAttempts(this.#deps.ctx.journal, id).length > 0)
      throw new AppError("payment_in_progress", "the terminal is taking a payment; test it when it is free");
    const currency = this.#deps.ctx.catalogue.get()?.menu.currency ?? "EUR";
    const reference = newId();
    this.#log.info({ terminal: id, by }, "test payment of 0.01");
    const outcome = await slot.driver.pay(
      { reference, amount: 1, currency },
      { timeoutMs: slot.config.paymentTimeoutSeconds * 1_000 },
    );
    let reversed = false;
    if (outcome.result === "approved") {
      const back = await slot.driver.reverse(
        { reference, transactionId: outcome.transactionId, amount: 1, currency },
        newId(),
      );
      reversed = back.result === "approved";
    }
    return {
      result: outcome.result,
      reason: outcome.result === "approved" ? null : outcome.reason,
      reversed,
      receiptLines: outcome.result === "approved" || outcome.result === "declined" ? outcome.receiptLines : [],
      terminal: this.#terminalView(slot, true, iso(this.#deps.ctx.clock.now() - 86_400_000)),
    };
  }

  /** Closes the terminal's day and compares its totals with the journal's card payments since the last close. */
  async endOfDay(id: string): Promise<TerminalClosingView> {
    const { ctx } = this.#deps;
    const slot = this.#slot(id);
    const since = lastClosing(ctx.journal, id)?.closedAt ?? null;
    const currency = ctx.catalogue.get()?.menu.currency ?? "EUR";
    let closing: Omit<ClosingRecord, "id">;
    const closedAtMs = ctx.clock.now();
    try {
      if (typeof slot.driver === "string") throw new AppError("terminal_unavailable", slot.driver);
      if (slot.queue.current !== undefined)
        throw new AppError("payment_in_progress", "the terminal is taking a payment");
      const totals = await slot.driver.endOfDay();
      const journal = terminalTakings(ctx.journal, id, since);
      closing = {
        terminal: id,
        closedAt: iso(closedAtMs),
        since,
        currency: totals.currency || currency,
        terminalTotal: totals.total,
        terminalCount: totals.count,
        journalTotal: journal.total,
        journalCount: journal.count,
        error: null,
        receipt: totals.receiptLines,
      };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const journal = terminalTakings(ctx.journal, id, since);
      closing = {
        terminal: id,
        closedAt: iso(closedAtMs),
        since,
        currency,
        terminalTotal: 0,
        terminalCount: 0,
        journalTotal: journal.total,
        journalCount: journal.count,
        error: message,
        receipt: [],
      };
    }
    const saved = ctx.journal.transaction(() => {
      const row = insertClosing(ctx.journal, closing);
      const difference = row.terminalTotal - row.journalTotal;
      if (row.error !== null || difference !== 0) {
        insertNotification(ctx.journal, {
          kind: "terminal_mismatch",
          severity: "warning",
          target: `terminal:${id}`,
          orderId: null,
          message:
            row.error !== null
              ? `End of day on ${slot.config.name ?? id} failed: ${row.error}`
              : `End of day on ${slot.config.name ?? id}: the terminal booked ${row.terminalTotal}, the journal ${row.journalTotal} (difference ${difference})`,
          details: { closing: row.id, terminalTotal: row.terminalTotal, journalTotal: row.journalTotal, difference },
          raisedAt: row.closedAt,
          deliver: ctx.config.sync.notifications.webhookUrl !== "",
        });
      }
      return row;
    });
    return closingView(saved);
  }

  closings(limit: number): TerminalClosingView[] {
    return recentClosings(this.#deps.ctx.journal, limit).map(closingView);
  }

  /** Seals a provider's secret (Square access token, Stripe secret key) and rebuilds the providers with it. */
  setProviderSecret(name: ProviderName, secret: string): PaymentOptionsView["providers"] {
    const { ctx } = this.#deps;
    const sealed = this.#deps.box().seal(secret);
    ctx.journal.transaction(() => {
      saveCredentials(ctx.journal, `provider:${name}`, sealed, iso(ctx.clock.now()));
    });
    const previous = this.#providers;
    this.#providers = this.#deps.providers();
    for (const provider of previous.values()) provider.close();
    if (!this.#providers.has(name))
      throw new AppError(
        "provider_not_configured",
        `the secret is kept, but ${name} is not enabled or incomplete in payments.providers.${name}`,
      );
    return [...this.#providers.keys()];
  }

  /** The simulator behind a `sim:` terminal (development, demos, tests). */
  simulator(id: string): ZvtSimulator | undefined {
    return this.#slots.get(id)?.simulator;
  }

  /** Ids of the configured terminals. */
  terminalIds(): string[] {
    return [...this.#slots.keys()];
  }
}

function closingView(row: ClosingRecord): TerminalClosingView {
  const difference = row.terminalTotal - row.journalTotal;
  return {
    id: row.id,
    terminal: row.terminal,
    closedAt: row.closedAt,
    since: row.since,
    currency: row.currency,
    terminalTotal: row.terminalTotal,
    terminalCount: row.terminalCount,
    journalTotal: row.journalTotal,
    journalCount: row.journalCount,
    difference,
    matched: row.error === null && difference === 0,
    error: row.error,
  };
}

function serves(terminal: TerminalConfig, principal: Principal): boolean {
  return terminal.kiosks.includes("*") || terminal.kiosks.includes(principal.name);
}
