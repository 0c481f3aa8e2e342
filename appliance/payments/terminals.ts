/**
 * The configured card terminals (`devices.terminals`): each one's driver (with its sealed
 * credentials, or the simulator galleyd runs for a `sim:` terminal) and its queue of attempts
 * (terminal-queue.ts); which terminal serves a screen; the technician's status, credentials and
 * test payment; and each terminal's end of day against the journal.
 */
import { startZvtSimulator, type PaymentTerminal, type ZvtSimulator } from "../../drivers/index.ts";
import type { CommandContext } from "../commands/context.ts";
import { iso } from "../commands/context.ts";
import { openAttempts, recoveredCount } from "../journal/attempt-store.ts";
import {
  insertClosing,
  lastClosing,
  recentClosings,
  saveCredentials,
  sealedCredentials,
  type ClosingRecord,
} from "../journal/terminal-store.ts";
import { terminalTakings } from "../journal/payment-store.ts";
import { AppError } from "../lib/errors.ts";
import type { Failpoint } from "../lib/failpoints.ts";
import { newId } from "../lib/ids.ts";
import { forModule, type Logger } from "../lib/logger.ts";
import type { SecretBox } from "../lib/secret-box.ts";
import type { Principal } from "../../protocol/schemas/auth.ts";
import type {
  TerminalClosingView,
  TerminalCredentialsBody,
  TerminalTestView,
  TerminalView,
} from "../../protocol/schemas/payments.ts";
import type { PaymentsConfig, TerminalConfig } from "./config-schema.ts";
import { raiseNotice } from "./notices.ts";
import { createTerminalDriver, ZVT_DEFAULT_PASSWORD, type TerminalCredentials } from "./terminal-factory.ts";
import { TerminalQueue } from "./terminal-queue.ts";

export interface TerminalsDeps {
  ctx: CommandContext;
  terminals: readonly TerminalConfig[];
  config: PaymentsConfig;
  box: () => SecretBox;
  log: Logger;
  failpoint: Failpoint;
  /** An attempt changed: its waiters look again. */
  changed: (attemptId: string) => void;
  /** Overrides the driver (tests and the bench script a terminal in-process). */
  driverFor?: ((config: TerminalConfig) => PaymentTerminal) | undefined;
}

/** One configured terminal: its driver (or why there is none) and its queue. */
export interface TerminalSlot {
  readonly config: TerminalConfig;
  /** `sim:` terminals: the simulator galleyd runs for it on 127.0.0.1. */
  simulator?: ZvtSimulator;
  driver: PaymentTerminal | string;
  readonly queue: TerminalQueue;
  started: boolean;
}

/** `TerminalView.openCheckouts` counts attempts settled by asking within this window. */
const RECOVERED_WINDOW_MS = 86_400_000;

export class Terminals {
  readonly #deps: TerminalsDeps;
  readonly #log: Logger;
  readonly #slots = new Map<string, TerminalSlot>();

  constructor(deps: TerminalsDeps) {
    this.#deps = deps;
    this.#log = forModule(deps.log, "payments");
    for (const config of deps.terminals) {
      const slot: TerminalSlot = {
        config,
        driver: "not started",
        started: false,
        queue: new TerminalQueue({
          ctx: deps.ctx,
          config,
          driver: () => slot.driver,
          changed: deps.changed,
          log: forModule(deps.log, "payments:terminal"),
          failpoint: deps.failpoint,
          recheckMs: deps.config.recheckSeconds * 1_000,
        }),
      };
      this.#slots.set(config.id, slot);
    }
  }

  async start(): Promise<void> {
    await Promise.all([...this.#slots.values()].map((slot) => this.#startSlot(slot)));
  }

  async stop(): Promise<void> {
    await Promise.all(
      [...this.#slots.values()].map(async (slot) => {
        await slot.queue.runner.stop(2_000);
        if (typeof slot.driver !== "string") await slot.driver.stop();
        await slot.simulator?.close();
      }),
    );
  }

  /** Ids of the configured terminals. */
  ids(): string[] {
    return [...this.#slots.keys()];
  }

  /** The configured terminal, or undefined. */
  get(id: string): TerminalSlot | undefined {
    return this.#slots.get(id);
  }

  /** The configured terminal, or `terminal_not_configured`. */
  slot(id: string): TerminalSlot {
    const slot = this.#slots.get(id);
    if (!slot) throw new AppError("terminal_not_configured", `no terminal ${id} in devices.terminals`);
    return slot;
  }

  /** The terminal that serves `principal`: a kiosk by its paired name, staff at the counter. */
  for(principal: Principal, requested: string | undefined): TerminalSlot | undefined {
    const slots = [...this.#slots.values()];
    if (requested !== undefined) {
      const named = this.#slots.get(requested);
      if (!named || (principal.role === "kiosk" && !serves(named.config, principal))) return undefined;
      return named;
    }
    if (principal.role === "kiosk") return slots.find((s) => serves(s.config, principal));
    return slots.find((s) => s.config.counter);
  }

  views(withUris: boolean): TerminalView[] {
    return [...this.#slots.values()].map((slot) => this.#view(slot, withUris));
  }

  /** Seals the terminal's password or keys and restarts its driver with them. */
  async setCredentials(id: string, body: TerminalCredentialsBody): Promise<TerminalView> {
    const slot = this.slot(id);
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
    return this.#view(slot, true);
  }

  /** Status now, asked of the terminal. */
  async refresh(id: string): Promise<TerminalView> {
    const slot = this.slot(id);
    if (typeof slot.driver !== "string") await slot.driver.refreshState();
    return this.#view(slot, true);
  }

  /** The technician's test: 0.01 charged, then reversed at once. Not an order; nothing in the journal's money. */
  async testPayment(id: string, by: string): Promise<TerminalTestView> {
    const slot = this.slot(id);
    if (typeof slot.driver === "string") throw new AppError("terminal_unavailable", slot.driver);
    if (slot.queue.current !== undefined || openAttempts(this.#deps.ctx.journal, id).length > 0)
      throw new AppError("payment_in_progress", "the terminal is taking a payment; test it when it is free");
    const currency = this.#currency();
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
      terminal: this.#view(slot, true),
    };
  }

  /** Closes the terminal's day and compares its totals with the journal's card payments since the last close. */
  async endOfDay(id: string): Promise<TerminalClosingView> {
    const { ctx } = this.#deps;
    const slot = this.slot(id);
    const since = lastClosing(ctx.journal, id)?.closedAt ?? null;
    const closedAt = iso(ctx.clock.now());
    let terminal: Pick<ClosingRecord, "currency" | "terminalTotal" | "terminalCount" | "error" | "receipt">;
    try {
      if (typeof slot.driver === "string") throw new AppError("terminal_unavailable", slot.driver);
      if (slot.queue.current !== undefined)
        throw new AppError("payment_in_progress", "the terminal is taking a payment");
      const totals = await slot.driver.endOfDay();
      terminal = {
        currency: totals.currency || this.#currency(),
        terminalTotal: totals.total,
        terminalCount: totals.count,
        error: null,
        receipt: totals.receiptLines,
      };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      terminal = { currency: this.#currency(), terminalTotal: 0, terminalCount: 0, error: message, receipt: [] };
    }
    const journal = terminalTakings(ctx.journal, id, since);
    const row = ctx.journal.transaction(() =>
      insertClosing(ctx.journal, {
        terminal: id,
        closedAt,
        since,
        ...terminal,
        journalTotal: journal.total,
        journalCount: journal.count,
      }),
    );
    const view = closingView(row);
    if (!view.matched) {
      const name = slot.config.name ?? id;
      raiseNotice(ctx, {
        kind: "terminal_mismatch",
        severity: "warning",
        terminal: id,
        orderId: null,
        message:
          row.error !== null
            ? `End of day on ${name} failed: ${row.error}`
            : `End of day on ${name}: the terminal booked ${row.terminalTotal}, the journal ${row.journalTotal} (difference ${view.difference})`,
        details: {
          closing: row.id,
          terminalTotal: row.terminalTotal,
          journalTotal: row.journalTotal,
          difference: view.difference,
        },
      });
    }
    return view;
  }

  closings(limit: number): TerminalClosingView[] {
    return recentClosings(this.#deps.ctx.journal, limit).map(closingView);
  }

  async #startSlot(slot: TerminalSlot): Promise<void> {
    if (slot.config.uri === "sim:" && !slot.simulator && !this.#deps.driverFor) {
      slot.simulator = await startZvtSimulator({ password: ZVT_DEFAULT_PASSWORD });
      this.#log.info({ terminal: slot.config.id, uri: slot.simulator.uri }, "simulated card terminal");
    }
    const made = await this.#makeDriver(slot.simulator ? { ...slot.config, uri: slot.simulator.uri } : slot.config);
    slot.driver = made;
    if (typeof made === "string") {
      this.#log.warn({ terminal: slot.config.id, reason: made }, "terminal not usable");
    } else {
      try {
        await made.start();
      } catch (error) {
        this.#log.warn({ err: error, terminal: slot.config.id }, "terminal did not start; it retries by itself");
      }
    }
    if (!slot.started) {
      slot.started = true;
      slot.queue.runner.start();
    }
  }

  async #makeDriver(config: TerminalConfig): Promise<PaymentTerminal | string> {
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
    return createTerminalDriver({
      config,
      credentials,
      currency: this.#currency(),
      saleId: this.#deps.ctx.config.store.name.replace(/[^A-Za-z0-9-]/g, "").slice(0, 20) || "galley",
      log: forModule(this.#deps.log, `payments:${config.protocol}`),
    });
  }

  #currency(): string {
    return this.#deps.ctx.catalogue.get()?.menu.currency ?? "EUR";
  }

  #view(slot: TerminalSlot, withUris: boolean): TerminalView {
    const { ctx } = this.#deps;
    const state = typeof slot.driver === "string" ? undefined : slot.driver.state();
    const { config } = slot;
    return {
      id: config.id,
      name: config.name ?? config.id,
      protocol: config.protocol,
      online: state?.online ?? false,
      busy: state?.busy ?? false,
      credentials: sealedCredentials(ctx.journal, config.id) !== undefined,
      terminalId: state?.terminalId ?? null,
      lastError: typeof slot.driver === "string" ? slot.driver : (state?.lastError ?? null),
      kiosks: [...config.kiosks],
      counter: config.counter,
      openCheckouts: recoveredCount(ctx.journal, config.id, iso(ctx.clock.now() - RECOVERED_WINDOW_MS)),
      ...(withUris ? { uri: config.uri } : {}),
    };
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
