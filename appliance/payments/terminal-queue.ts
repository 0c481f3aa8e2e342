/**
 * One terminal's queue of attempts (sales, refunds, reversals), on the same `JobRunner` as the
 * print spooler (lib/job-runner.ts), with the five rules of a persisted job
 * (devices/service.ts, design note):
 *
 * 1. the attempt is written in its command's transaction, before the terminal is asked;
 * 2. every move is a compare-and-set (`transitionAttempt`);
 * 3. one at a time, oldest first: `queued → presenting` is committed, then the terminal is asked;
 * 4. an attempt not started by `expiresAtMs` fails instead of charging late;
 * 5. after a crash or a lost answer it is never asked again: `presenting` becomes `uncertain`,
 *    and `uncertain` asks the terminal how our reference ended (`transactionStatus`) until it
 *    knows — then settles it as if the answer had arrived (money written, or nothing). An
 *    approval whose order can no longer be committed is reversed on the terminal.
 *
 * Every case settled that way raises a notification for the operator.
 */
import type { PaymentTerminal, TerminalOutcome, TransactionStatus } from "../../drivers/index.ts";
import type { CommandContext } from "../commands/context.ts";
import { iso } from "../commands/context.ts";
import {
  getAttempt,
  openAttempts,
  transitionAttempt,
  type AttemptOutcome,
  type AttemptRecord,
} from "../journal/attempt-store.ts";
import type { Severity } from "../journal/job-store.ts";
import type { Failpoint } from "../lib/failpoints.ts";
import { JobRunner } from "../lib/job-runner.ts";
import type { Logger } from "../lib/logger.ts";
import { settleApproved, settleWithout } from "./checkouts.ts";
import type { TerminalConfig } from "./config-schema.ts";
import { raiseNotice, type PaymentNoticeKind } from "./notices.ts";

export interface TerminalQueueDeps {
  ctx: CommandContext;
  config: TerminalConfig;
  /** The driver, or why there is none (credentials missing). */
  driver: () => PaymentTerminal | string;
  /** An attempt changed: wake its long-poll waiters. */
  changed: (attemptId: string) => void;
  log: Logger;
  failpoint: Failpoint;
  recheckMs: number;
}

type Answer = Extract<TerminalOutcome, { result: "approved" }> | Extract<TransactionStatus, { state: "approved" }>;

function outcomeOf(answer: Answer, extra: AttemptOutcome = {}): AttemptOutcome {
  return {
    ...extra,
    transactionId: answer.transactionId,
    ...(answer.authCode ? { authCode: answer.authCode } : {}),
    ...(answer.terminalId ? { terminalId: answer.terminalId } : {}),
    receiptLines: answer.receiptLines,
  };
}

export class TerminalQueue {
  readonly runner: JobRunner;
  readonly #deps: TerminalQueueDeps;
  /** When each uncertain attempt may ask the terminal again. */
  readonly #nextCheck = new Map<string, number>();
  #current: string | undefined;

  constructor(deps: TerminalQueueDeps) {
    this.#deps = deps;
    this.runner = new JobRunner(
      {
        recover: () => {
          this.#recover();
        },
        subscribe: () => [],
        step: () => this.#step(),
      },
      {
        tickMs: Math.max(250, Math.min(deps.recheckMs, 5_000)),
        clock: deps.ctx.clock,
        log: deps.log,
        context: { terminal: deps.config.id },
      },
    );
  }

  get id(): string {
    return this.#deps.config.id;
  }

  /** The attempt the terminal is working on now, if any. */
  get current(): string | undefined {
    return this.#current;
  }

  /** At start: an attempt that was being presented when galleyd stopped has an unknown outcome. */
  #recover(): void {
    const { ctx } = this.#deps;
    for (const attempt of openAttempts(ctx.journal, this.id)) {
      if (attempt.state !== "presenting") continue;
      const moved = ctx.journal.transaction(() =>
        transitionAttempt(ctx.journal, attempt.id, ["presenting"], "uncertain", iso(ctx.clock.now()), {
          stage: "processing",
          reason: "galleyd restarted while the terminal had this payment; asking the terminal how it ended",
          recovered: true,
        }),
      );
      if (moved) this.#deps.changed(attempt.id);
    }
  }

  async #step(): Promise<"progress" | "idle"> {
    const { ctx } = this.#deps;
    const open = openAttempts(ctx.journal, this.id);
    const nowMs = ctx.clock.now();
    // First what galleyd owes an answer to: uncertain attempts whose next check is due.
    const uncertain = open.find((a) => a.state === "uncertain" && (this.#nextCheck.get(a.id) ?? 0) <= nowMs);
    if (uncertain) {
      await this.#check(uncertain);
      return "progress";
    }
    const head = open.find((a) => a.state === "queued");
    if (!head) {
      const waiting = open.filter((a) => a.state === "uncertain").map((a) => this.#nextCheck.get(a.id) ?? nowMs);
      if (waiting.length > 0) this.runner.retryAt(Math.min(...waiting));
      return "idle";
    }
    if (head.expiresAtMs <= nowMs) {
      if (
        settleWithout(ctx, head.id, "failed", "the terminal did not start this payment in time; nothing was charged", {
          from: ["queued"],
        })
      )
        this.#deps.changed(head.id);
      return "progress";
    }
    const driver = this.#deps.driver();
    if (typeof driver === "string") {
      if (settleWithout(ctx, head.id, "failed", `the terminal cannot be used: ${driver}`, { from: ["queued"] }))
        this.#deps.changed(head.id);
      return "progress";
    }
    const claimed = ctx.journal.transaction(() =>
      transitionAttempt(ctx.journal, head.id, ["queued"], "presenting", iso(ctx.clock.now()), {
        stage: "connecting",
        message: "",
      }),
    );
    if (!claimed) return "progress";
    this.#deps.changed(head.id);
    this.#deps.failpoint("payment-before-request");
    this.#current = head.id;
    let outcome: TerminalOutcome;
    try {
      outcome = await this.#ask(driver, claimed);
    } finally {
      this.#current = undefined;
    }
    this.#settle(claimed, outcome);
    return "progress";
  }

  /** Sends the attempt to the terminal; its progress updates the row (and the kiosk). */
  #ask(driver: PaymentTerminal, attempt: AttemptRecord): Promise<TerminalOutcome> {
    const { ctx } = this.#deps;
    let shown = "";
    const onProgress = (progress: { stage: string; text: string }): void => {
      // Terminals repeat their status every few hundred ms: only a change is written (and shown).
      const text = progress.text.slice(0, 80);
      if (`${progress.stage}\n${text}` === shown) return;
      shown = `${progress.stage}\n${text}`;
      try {
        const moved = ctx.journal.transaction(() =>
          transitionAttempt(ctx.journal, attempt.id, ["presenting"], "presenting", iso(ctx.clock.now()), {
            stage: progress.stage,
            message: text,
          }),
        );
        if (moved) this.#deps.changed(attempt.id);
      } catch (error) {
        this.#deps.log.warn({ err: error, attempt: attempt.id }, "could not record the terminal's progress");
      }
    };
    const request = { reference: attempt.id, amount: attempt.amount, currency: attempt.currency };
    const options = { onProgress, timeoutMs: this.#deps.config.paymentTimeoutSeconds * 1_000 };
    if (attempt.kind === "sale") return driver.pay(request, options);
    const original = attempt.outcome?.original;
    const originalTx = original
      ? {
          reference: original.reference,
          transactionId: original.transactionId,
          amount: original.amount,
          currency: attempt.currency,
        }
      : null;
    if (attempt.kind === "reversal" && originalTx) return driver.reverse(originalTx, attempt.id, options);
    return driver.refund(request, originalTx, options);
  }

  /** An answer arrived (or was found by asking): write what it means. */
  #settle(attempt: AttemptRecord, outcome: TerminalOutcome, recovered = false): void {
    const { ctx, log } = this.#deps;
    switch (outcome.result) {
      case "approved": {
        this.#deps.failpoint("payment-after-approval");
        this.#approved(attempt, outcomeOf(outcome, attempt.outcome ?? {}), recovered);
        return;
      }
      case "declined":
        settleWithout(ctx, attempt.id, "declined", outcome.reason || "the card was declined", {
          outcome: { ...(attempt.outcome ?? {}), receiptLines: outcome.receiptLines },
          ...(recovered ? { recovered } : {}),
        });
        break;
      case "cancelled":
        settleWithout(
          ctx,
          attempt.id,
          "cancelled",
          outcome.reason || "cancelled at the terminal",
          recovered ? { recovered } : {},
        );
        break;
      case "not_sent":
        settleWithout(
          ctx,
          attempt.id,
          "failed",
          `the terminal could not be reached: ${outcome.reason}`,
          recovered ? { recovered } : {},
        );
        break;
      case "unknown": {
        const moved = ctx.journal.transaction(() =>
          transitionAttempt(ctx.journal, attempt.id, ["presenting"], "uncertain", iso(ctx.clock.now()), {
            stage: "processing",
            reason: `the terminal's answer was lost (${outcome.reason}); asking the terminal how it ended`,
          }),
        );
        if (moved) log.warn({ attempt: attempt.id, terminal: this.id, reason: outcome.reason }, "terminal answer lost");
        this.#nextCheck.set(attempt.id, ctx.clock.now());
        break;
      }
    }
    this.#deps.changed(attempt.id);
  }

  #approved(attempt: AttemptRecord, outcome: AttemptOutcome, recovered: boolean): void {
    const { ctx, log } = this.#deps;
    const settled = settleApproved(ctx, attempt.id, outcome, { recovered });
    this.#deps.changed(attempt.id);
    if (settled.kind === "committed") {
      this.#deps.failpoint("payment-after-commit");
      if (recovered)
        this.#notify(
          attempt,
          "info",
          "payment_settled",
          `${this.#what(attempt)} was approved; settled after a lost answer or a restart`,
        );
      return;
    }
    if (settled.kind === "gone") return;
    if (attempt.kind !== "sale") {
      // Money went back on the terminal but the refund cannot be written: a person must look.
      settleWithout(ctx, attempt.id, "failed", `the terminal refunded, but ${settled.reason}`, { outcome });
      this.#notify(
        attempt,
        "critical",
        "refund_unrecorded",
        `${this.#what(attempt)} went through on the terminal but ${settled.reason}: record it by hand`,
      );
      return;
    }
    // Approved, but the money cannot go on the order: give it back on the terminal, now.
    log.warn({ attempt: attempt.id, reason: settled.reason }, "approved payment cannot be committed; reversing it");
    void this.#reverseApproved(attempt, outcome, settled.reason);
  }

  async #reverseApproved(attempt: AttemptRecord, outcome: AttemptOutcome, why: string): Promise<void> {
    const { ctx } = this.#deps;
    const driver = this.#deps.driver();
    const original = {
      reference: attempt.id,
      transactionId: outcome.transactionId ?? "",
      amount: attempt.amount,
      currency: attempt.currency,
    };
    const answer =
      typeof driver === "string"
        ? ({ result: "not_sent", reference: attempt.id, reason: driver } as const)
        : await driver.reverse(original, `${attempt.id.slice(0, 30)}-rev`);
    if (answer.result === "approved") {
      settleWithout(
        ctx,
        attempt.id,
        "reversed",
        `the payment was approved but ${why}; it was reversed on the terminal`,
        {
          outcome: { ...outcome, note: why },
          recovered: true,
        },
      );
      this.#notify(
        attempt,
        "warning",
        "payment_reversed",
        `${this.#what(attempt)} was approved but ${why}: reversed on the terminal`,
      );
    } else {
      // Still charged: keep it uncertain so the next check tries again, and tell a person.
      ctx.journal.transaction(() =>
        transitionAttempt(ctx.journal, attempt.id, ["presenting", "uncertain"], "uncertain", iso(ctx.clock.now()), {
          reason: `approved but ${why}; reversing it failed (${answer.result}), retrying`,
          outcome,
        }),
      );
      this.#nextCheck.set(attempt.id, ctx.clock.now() + this.#deps.recheckMs);
      this.#notify(
        attempt,
        "critical",
        "payment_reversal_failed",
        `${this.#what(attempt)} was approved but ${why}, and reversing it failed: check the terminal`,
      );
    }
    this.#deps.changed(attempt.id);
    this.runner.wake();
  }

  /** Asks the terminal how an uncertain attempt ended. */
  async #check(attempt: AttemptRecord): Promise<void> {
    const { ctx } = this.#deps;
    this.#nextCheck.set(attempt.id, ctx.clock.now() + this.#deps.recheckMs);
    const driver = this.#deps.driver();
    if (typeof driver === "string") return;
    const status = await driver.transactionStatus({
      reference: attempt.id,
      amount: attempt.amount,
      currency: attempt.currency,
    });
    const current = getAttempt(ctx.journal, attempt.id);
    if (current?.state !== "uncertain") return;
    switch (status.state) {
      case "approved":
        this.#deps.failpoint("payment-after-approval");
        this.#approved(current, outcomeOf(status, current.outcome ?? {}), true);
        this.#nextCheck.delete(attempt.id);
        return;
      case "failed":
      case "not_found": {
        const reason = status.state === "failed" ? status.reason : "the terminal has no such transaction";
        settleWithout(ctx, attempt.id, "failed", `nothing was charged: ${reason}`, {
          recovered: true,
          from: ["uncertain"],
        });
        this.#nextCheck.delete(attempt.id);
        this.#deps.changed(attempt.id);
        this.#notify(
          current,
          "info",
          "payment_settled",
          `${this.#what(current)} did not go through (${reason}); settled after a lost answer or a restart`,
        );
        return;
      }
      case "in_progress":
      case "unreachable":
        return;
    }
  }

  #what(attempt: AttemptRecord): string {
    const money = `${(attempt.amount / 100).toFixed(2)} ${attempt.currency}`;
    if (attempt.kind === "sale") return `Card payment ${money} (checkout ${attempt.id.slice(0, 8)})`;
    return `Card ${attempt.kind} ${money} of payment ${attempt.paymentId?.slice(0, 8) ?? "?"}`;
  }

  #notify(attempt: AttemptRecord, severity: Severity, kind: PaymentNoticeKind, message: string): void {
    const { ctx } = this.#deps;
    try {
      raiseNotice(ctx, {
        kind,
        severity,
        terminal: this.id,
        orderId: attempt.orderId,
        message,
        details: { attempt: attempt.id, terminal: this.id, state: getAttempt(ctx.journal, attempt.id)?.state ?? null },
      });
    } catch (error) {
      this.#deps.log.error({ err: error, attempt: attempt.id }, "could not raise the payment notification");
    }
  }
}
