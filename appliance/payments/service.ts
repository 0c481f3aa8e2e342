/**
 * The payments feature as its routes see it: checkouts on a card terminal and their long-poll,
 * what a screen may offer, refunds, the latest payments, and the parts behind them — the
 * terminals (terminals.ts), provider tokens (provider-payments.ts), refunds (refunds.ts), and the
 * waits on attempts (attempt-waiters.ts).
 */
import type { PaymentTerminal } from "../../drivers/index.ts";
import type { CommandContext, TokenPayments } from "../commands/context.ts";
import { iso } from "../commands/context.ts";
import type { CommandResult } from "../commands/order-commit.ts";
import { openSaleOf, transitionAttempt } from "../journal/attempt-store.ts";
import { getOrder, getOrdersByNumber } from "../journal/order-store.ts";
import { recentPayments, refundsOf } from "../journal/payment-store.ts";
import { AppError } from "../lib/errors.ts";
import type { Failpoint } from "../lib/failpoints.ts";
import type { Logger } from "../lib/logger.ts";
import type { SecretBox } from "../lib/secret-box.ts";
import type { Principal } from "../../protocol/schemas/auth.ts";
import type { PaymentBody, RefundBody, RefundView } from "../../protocol/schemas/orders.ts";
import type {
  CheckoutBody,
  CheckoutView,
  PaymentOptionsView,
  RecentPaymentsView,
} from "../../protocol/schemas/payments.ts";
import { AttemptWaiters, settled } from "./attempt-waiters.ts";
import { checkoutView, readableCheckout, startCheckout } from "./checkouts.ts";
import type { PaymentsConfig, TerminalConfig } from "./config-schema.ts";
import { ProviderPayments, type ChargeResult } from "./provider-payments.ts";
import type { PaymentProvider, ProviderName } from "./providers/types.ts";
import { refundPayment } from "./refunds.ts";
import { Terminals } from "./terminals.ts";

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

/** How long a cancel waits for the terminal to confirm the abort. */
const CANCEL_WAIT_MS = 5_000;

export class Payments implements TokenPayments {
  readonly terminals: Terminals;
  readonly providers: ProviderPayments;
  readonly #ctx: CommandContext;
  readonly #config: PaymentsConfig;
  readonly #waiters: AttemptWaiters;

  constructor(deps: PaymentsDeps) {
    this.#ctx = deps.ctx;
    this.#config = deps.config;
    const waiters = new AttemptWaiters(deps.ctx.journal);
    this.#waiters = waiters;
    this.terminals = new Terminals({
      ctx: deps.ctx,
      terminals: deps.terminals,
      config: deps.config,
      box: deps.box,
      log: deps.log,
      failpoint: deps.failpoint,
      changed: (id) => {
        waiters.changed(id);
      },
      driverFor: deps.driverFor,
    });
    this.providers = new ProviderPayments({
      ctx: deps.ctx,
      box: deps.box,
      build: deps.providers,
      recheckMs: deps.config.recheckSeconds * 1_000,
      log: deps.log,
    });
  }

  async start(): Promise<void> {
    await this.terminals.start();
    this.providers.resumeOpen();
  }

  async stop(): Promise<void> {
    this.#waiters.close();
    await this.terminals.stop();
    this.providers.stop();
  }

  /** What this screen may offer: the terminal that serves it (and whether it is online), the providers. */
  options(principal: Principal): PaymentOptionsView {
    const slot = this.terminals.for(principal, undefined);
    const online = slot !== undefined && typeof slot.driver !== "string" && slot.driver.state().online;
    return {
      card: slot ? { terminal: slot.config.id, name: slot.config.name ?? slot.config.id, online } : null,
      providers: this.providers.names(),
    };
  }

  // ---- checkouts ----------------------------------------------------------------------------------

  startCheckout(principal: Principal, body: CheckoutBody): { statusCode: 200 | 202; body: CheckoutView } {
    const slot = this.terminals.for(principal, body.terminal);
    if (!slot)
      throw new AppError(
        "terminal_not_configured",
        body.terminal ? `no terminal ${body.terminal} serves this screen` : "no card terminal serves this screen",
      );
    const { config } = slot;
    if (typeof slot.driver === "string")
      throw new AppError("terminal_unavailable", `${config.name ?? config.id} cannot take payments: ${slot.driver}`);
    const { attempt, created } = startCheckout(this.#ctx, principal, body, config, this.#config.checkoutExpirySeconds);
    if (created) slot.queue.runner.wake();
    return { statusCode: created ? 202 : 200, body: checkoutView(this.#ctx, attempt, config) };
  }

  /** The checkout; with `after`, once its version is above it (or `waitMs` passed). */
  async checkout(principal: Principal, id: string, after: number | undefined, waitMs: number): Promise<CheckoutView> {
    const read = (attemptId: string) => readableCheckout(this.#ctx, principal, attemptId);
    const attempt =
      after === undefined
        ? read(id)
        : await this.#waiters.until(id, (current) => current.version > after, waitMs, read);
    return checkoutView(this.#ctx, attempt, this.terminals.get(attempt.device)?.config);
  }

  /** The caller's newest checkout still running (a kiosk that reloaded mid-payment resumes it). */
  currentCheckout(principal: Principal): CheckoutView {
    const attempt = openSaleOf(this.#ctx.journal, principal.id);
    if (!attempt) throw new AppError("checkout_not_found", "no checkout of yours is running");
    return checkoutView(this.#ctx, attempt, this.terminals.get(attempt.device)?.config);
  }

  /** The customer or the cashier gives up: a queued checkout ends now, a presented one is aborted on the terminal. */
  async cancelCheckout(principal: Principal, id: string): Promise<CheckoutView> {
    const ctx = this.#ctx;
    const attempt = readableCheckout(ctx, principal, id);
    const slot = this.terminals.get(attempt.device);
    if (attempt.state === "queued") {
      const moved = ctx.journal.transaction(() =>
        transitionAttempt(ctx.journal, id, ["queued"], "cancelled", iso(ctx.clock.now()), {
          stage: "cancelled",
          reason: "cancelled before the terminal started",
        }),
      );
      if (moved) this.#waiters.changed(id);
    } else if (attempt.state === "presenting" && slot && typeof slot.driver !== "string" && slot.queue.current === id) {
      await slot.driver.abort();
      // The terminal's own answer (cancelled, or approved if the card was already through) settles it.
      await this.#waiters.until(id, settled, CANCEL_WAIT_MS);
    }
    return checkoutView(ctx, readableCheckout(ctx, principal, id), slot?.config);
  }

  // ---- tokens and refunds -------------------------------------------------------------------------

  /** `POST /api/orders/:id/payments` with a provider token (commands/context.ts `TokenPayments`). */
  charge(principal: Principal, orderId: string, body: PaymentBody, key: string | undefined): Promise<ChargeResult> {
    return this.providers.charge(principal, orderId, body, key);
  }

  refund(
    principal: Principal,
    paymentId: string,
    body: RefundBody,
    idempotencyKey: string | undefined,
  ): Promise<CommandResult<RefundView>> {
    return refundPayment(
      {
        ctx: this.#ctx,
        config: this.#config,
        terminals: this.terminals,
        providers: this.providers,
        waiters: this.#waiters,
      },
      principal,
      paymentId,
      body,
      idempotencyKey,
    );
  }

  /** The latest payments with their order's number and state and their refunds, newest first. */
  recentPayments(limit: number, number: number | undefined): RecentPaymentsView {
    const { journal } = this.#ctx;
    const orderIds =
      number === undefined ? undefined : getOrdersByNumber(journal, number, 20).map((o) => o.snapshot.id);
    const payments = recentPayments(journal, { limit, ...(orderIds ? { orderIds } : {}) });
    return {
      payments: payments.flatMap((p) => {
        const order = getOrder(journal, p.view.orderId);
        if (!order) return [];
        const refunds = refundsOf(journal, { paymentId: p.view.id }).map((r) => r.view);
        return [{ ...p.view, orderNumber: order.snapshot.number, orderStatus: order.status, refunds }];
      }),
    };
  }
}
