/**
 * One spooler per printer: a persisted FIFO, one job at a time (docs/architecture.md#the-spooler).
 *
 *   queued → preflight → sending → done
 *   preflight → held            blocking fault (paper end, cover open, offline): waits, burns no retries
 *   sending ⇄ held → awaiting-completion → done
 *                               paper end / cover open mid-job: the printer keeps the bytes and
 *                               resumes; the job is never resent
 *   preflight/sending → retry-wait   transport error before anything was sent: 1 s … 30 s backoff
 *   sending/awaiting/held(mid-job) → unknown outcome → per kind (job-actions.ts): kitchen
 *                               REPRINT, receipt `uncertain`, drawer `failed` (never retried)
 *   queued/held/retry-wait → expired (per kind, or the order is done) · cancelled (operator, order)
 *
 * At start, a job found in `sending`/`awaiting-completion` (or held mid-job) is an unknown outcome:
 * galleyd stopped while it printed. Drawer kicks run beside the queue (drawer-kicks.ts). Nothing
 * here throws to its caller; a failing printer only holds its own jobs. When to look at the queue
 * (wakes, the timer, back-off, stopping) is job-runner.ts; this file is what a step does.
 */
import {
  encodeDocument,
  isBlocked,
  type EncodedCommand,
  type PrinterStatus,
  type ReceiptPrinter,
} from "../../drivers/index.ts";
import { iso } from "../commands/context.ts";
import type { Clock } from "../lib/clock.ts";
import type { Logger } from "../lib/logger.ts";
import type { Journal } from "../journal/database.ts";
import {
  activeJobs,
  getJob,
  headJob,
  isAtPrinter,
  transitionJob,
  type JobPatch,
  type PrintJobRecord,
} from "../journal/print-store.ts";
import type { OrderStatus } from "../../protocol/schemas/common.ts";
import type { PrintJobState } from "../../protocol/schemas/devices.ts";
import { DrawerKicks } from "./drawer-kicks.ts";
import { JobRunner } from "../lib/job-runner.ts";
import { settleUnknownOutcome } from "./job-actions.ts";
import { expiredByOrder, retryDelayMs, WAITING_STATES } from "./job-policy.ts";
import { renderJob } from "./render.ts";
import { describe } from "./views.ts";

export interface SpoolerOptions {
  /** Backoff after a transport error (before anything was sent). Default 1 s … 30 s. */
  retryInitialMs?: number;
  retryMaxMs?: number;
  /** Waiting for the completion sentinel while the printer is not held. Default: the driver's (10 s + 1 s per 8 KiB). */
  completionTimeoutMs?: number;
  /** Longest a job may stay held mid-print (paper end) before its outcome counts as unknown. Default 4 h. */
  maxHoldMs?: number;
  /** Housekeeping period: expiry and retry timers. Default 1 s. */
  tickMs?: number;
  /** A status read younger than this is trusted for preflight (ASB and polling keep it fresh). Default 750 ms. */
  preflightFreshMs?: number;
}

export interface SpoolerDeps {
  journal: Journal;
  printer: ReceiptPrinter;
  clock: Clock;
  log: Logger;
  /** The order's current status (kitchen tickets of a finished order expire). */
  orderStatus(orderId: string): OrderStatus | undefined;
  /** Fires the drawer for a `drawer` job (never retried). Absent: drawer jobs fail. */
  kickDrawer?(job: PrintJobRecord): Promise<void>;
  /** After a job of this printer changed state. */
  onChange?(jobId: string): void;
  options?: SpoolerOptions;
}

const AT_PRINTER: readonly PrintJobState[] = ["sending", "awaiting-completion", "held"];

export class PrintSpooler {
  readonly printerId: string;
  readonly #deps: SpoolerDeps;
  readonly #options: Required<Omit<SpoolerOptions, "completionTimeoutMs">> & {
    completionTimeoutMs: number | undefined;
  };
  readonly #runner: JobRunner;
  readonly #drawerKicks: DrawerKicks;
  #inFlight: string | undefined;
  #needsReinit = false;
  /** Bytes already encoded for a job (the diagnostics receipt prints the very bytes it previewed). */
  readonly #encoded = new Map<string, EncodedCommand[]>();

  constructor(deps: SpoolerDeps) {
    this.#deps = deps;
    this.printerId = deps.printer.id;
    const o = deps.options ?? {};
    this.#options = {
      retryInitialMs: o.retryInitialMs ?? 1_000,
      retryMaxMs: o.retryMaxMs ?? 30_000,
      completionTimeoutMs: o.completionTimeoutMs,
      maxHoldMs: o.maxHoldMs ?? 4 * 3_600_000,
      tickMs: o.tickMs ?? 1_000,
      preflightFreshMs: o.preflightFreshMs ?? 750,
    };
    this.#drawerKicks = new DrawerKicks({
      journal: deps.journal,
      printerId: this.printerId,
      clock: deps.clock,
      kickDrawer: deps.kickDrawer?.bind(deps),
      move: (job, from, to, patch) => this.#move(job, from, to, patch),
    });
    this.#runner = new JobRunner(
      {
        recover: () => {
          this.#recover();
        },
        subscribe: () => {
          const { printer } = this.#deps;
          return [
            printer.on("status", (status) => {
              this.#onStatus(status);
            }),
            printer.on("connected", () => {
              this.wake();
            }),
            printer.on("disconnected", () => {
              this.wake();
            }),
          ];
        },
        step: () => this.#step(),
        woken: () => {
          this.#drawerKicks.wake();
        },
      },
      { tickMs: this.#options.tickMs, clock: deps.clock, log: deps.log, context: { printer: this.printerId } },
    );
  }

  get #stopped(): boolean {
    return this.#runner.stopped;
  }

  /** Recovers jobs interrupted by a crash or restart, then starts taking jobs. */
  start(): void {
    this.#runner.start();
  }

  /** New jobs may be waiting (called after COMMIT, on printer events and on a timer). */
  wake(): void {
    this.#runner.wake();
  }

  /** Prints `commands` instead of rendering the job's document (same bytes as a preview). */
  useEncoded(jobId: string, commands: EncodedCommand[]): void {
    this.#encoded.set(jobId, commands);
  }

  /** Stops taking jobs; gives a job at the printer `graceMs` to finish. Call `drain()` after stopping the printer. */
  async stop(graceMs = 2_000): Promise<void> {
    await this.#runner.stop(graceMs);
  }

  /** Resolves once the job in flight (if any) has settled. */
  async drain(): Promise<void> {
    await this.#runner.drain();
  }

  // ---- the queue ---------------------------------------------------------------------------------

  #now(): { nowMs: number; at: string } {
    const nowMs = this.#deps.clock.now();
    return { nowMs, at: iso(nowMs) };
  }

  #changed(jobId: string): void {
    this.#deps.onChange?.(jobId);
  }

  #move(job: PrintJobRecord, from: readonly PrintJobState[], to: PrintJobState, patch: JobPatch = {}): boolean {
    const moved = transitionJob(this.#deps.journal, job.id, from, to, this.#now().at, patch);
    if (moved) this.#changed(job.id);
    return moved;
  }

  async #step(): Promise<"progress" | "idle"> {
    const { journal, printer, log } = this.#deps;
    const job = headJob(journal, this.printerId);
    if (!job) return "idle";
    const { nowMs } = this.#now();
    if (isAtPrinter(job)) {
      // At the printer but nobody is waiting for it (its sender was lost): nobody knows whether it printed.
      this.#settleUnknown(job, "the job was interrupted while printing");
      return "progress";
    }
    const expired = this.#expiry(job, nowMs);
    if (expired !== undefined) {
      this.#move(job, WAITING_STATES, "expired", { lastError: expired });
      log.info({ job: job.id, key: job.key, reason: expired }, "print job expired");
      return "progress";
    }
    if (job.state === "retry-wait" && (job.notBeforeMs ?? 0) > nowMs) {
      this.#retryAt(job.notBeforeMs ?? nowMs);
      return "idle";
    }
    if (printer.connection !== "online") {
      this.#hold(job, "printer offline");
      return "idle";
    }
    // A held job reads the status first: re-entering preflight on every wake would write the row
    // (and fsync) each second for as long as the paper is out.
    let state = job.state;
    if (state !== "held") {
      if (!this.#move(job, WAITING_STATES, "preflight")) return "progress";
      state = "preflight";
    }
    const status = await this.#preflightStatus();
    if (isBlocked(status)) {
      this.#hold({ ...job, state }, describe(status));
      return "idle";
    }
    if (state === "held" && !this.#move(job, ["held"], "preflight")) return "progress";
    let commands: EncodedCommand[] | null;
    try {
      commands = this.#encoded.get(job.id) ?? renderJob(job, printer.profile);
    } catch (error) {
      this.#move(job, ["preflight"], "failed", {
        lastError: `could not render the document: ${error instanceof Error ? error.message : String(error)}`,
      });
      return "progress";
    }
    if (commands === null) {
      this.#move(job, ["preflight"], "done", {
        completedAt: this.#now().at,
        lastError: "nothing to print for this printer",
      });
      return "progress";
    }
    if (this.#stopped) {
      this.#move(job, ["preflight"], "queued");
      return "idle";
    }
    if (this.#needsReinit) await this.#tearOff();
    // A cancel that came during preflight wins: compare-and-set into sending.
    if (!this.#move(job, ["preflight"], "sending", { attempts: job.attempts + 1, inPrinter: true })) return "progress";
    await this.#send(job, commands);
    return "progress";
  }

  async #send(job: PrintJobRecord, commands: EncodedCommand[]): Promise<void> {
    const { printer, log } = this.#deps;
    this.#inFlight = job.id;
    let outcome;
    try {
      outcome = await printer.send(commands, {
        jobId: job.id,
        preflight: false,
        maxHoldMs: this.#options.maxHoldMs,
        ...(this.#options.completionTimeoutMs === undefined
          ? {}
          : { completionTimeoutMs: this.#options.completionTimeoutMs }),
      });
    } finally {
      this.#inFlight = undefined;
      this.#encoded.delete(job.id);
    }
    const { nowMs, at } = this.#now();
    switch (outcome.kind) {
      case "completed":
        this.#move(job, AT_PRINTER, "done", {
          completedAt: at,
          bytesSent: outcome.bytesSent,
          confirmedBy: outcome.confirmedBy,
          lastError: null,
        });
        log.debug({ job: job.id, key: job.key, confirmedBy: outcome.confirmedBy, ms: outcome.durationMs }, "printed");
        return;
      case "failed-before-send": {
        const nothingSent = { inPrinter: false };
        if (this.#stopped || outcome.reason === "stopped") this.#move(job, AT_PRINTER, "queued", nothingSent);
        else if (outcome.reason === "printer-fault")
          this.#move(job, AT_PRINTER, "held", { ...nothingSent, lastError: describe(outcome.status) });
        else if (outcome.reason === "disconnected")
          this.#move(job, AT_PRINTER, "held", { ...nothingSent, lastError: "printer offline" });
        else {
          const delay = retryDelayMs(job.attempts + 1, this.#options.retryInitialMs, this.#options.retryMaxMs);
          this.#move(job, AT_PRINTER, "retry-wait", {
            ...nothingSent,
            notBeforeMs: nowMs + delay,
            lastError: outcome.error?.message ?? "write failed",
          });
          log.warn(
            { job: job.id, key: job.key, err: outcome.error?.message, retryInMs: delay },
            "print job not sent; retrying",
          );
        }
        return;
      }
      case "unknown":
        // Stopping: leave it as it is; the next start settles it (recovery below).
        if (this.#stopped) return;
        this.#settleUnknown(job, `outcome unknown (${outcome.reason} after ${outcome.bytesSent} bytes)`);
        return;
    }
  }

  /**
   * A job was cut off: the printer may hold half a command and half a ticket. Re-initialise
   * (ESC @), then feed and cut, so the fragment comes off on its own instead of running into the
   * top of the next ticket (docs/architecture.md#the-spooler).
   */
  async #tearOff(): Promise<void> {
    const { printer } = this.#deps;
    this.#needsReinit = false;
    try {
      await printer.reinitialize();
      await printer.send(encodeDocument({ blocks: [{ type: "cut" }] }, printer.profile), {
        jobId: "tear-off",
        preflight: false,
        completionTimeoutMs: 2_000,
      });
    } catch (error) {
      this.#deps.log.debug({ err: error, printer: this.printerId }, "tear-off after an interrupted job failed");
    }
  }

  #settleUnknown(job: PrintJobRecord, reason: string): void {
    this.#needsReinit = true;
    const current = getJob(this.#deps.journal, job.id) ?? job;
    const reprint = settleUnknownOutcome(this.#deps.journal, current, reason, this.#now().nowMs);
    this.#deps.log.warn(
      { job: job.id, key: job.key, kind: job.kind, reason, reprint: reprint?.id },
      reprint ? "print outcome unknown; reprinting marked REPRINT" : "print outcome unknown",
    );
    this.#changed(job.id);
    if (reprint) this.#changed(reprint.id);
  }

  #hold(job: PrintJobRecord, reason: string): void {
    if (job.state === "held" && job.lastError === reason) return;
    if (this.#move(job, WAITING_STATES, "held", { lastError: reason, inPrinter: false }))
      this.#deps.log.info({ job: job.id, key: job.key, reason }, "print job held");
  }

  #expiry(job: PrintJobRecord, nowMs: number): string | undefined {
    if (nowMs >= job.expiresAtMs) return "expired before it could print";
    // A COPY was asked for by a person, for this order as it is now: only time expires it.
    return job.orderId === null || job.banner === "COPY"
      ? undefined
      : expiredByOrder(job.kind, job.revision, this.#deps.orderStatus(job.orderId));
  }

  async #preflightStatus(): Promise<PrinterStatus> {
    const { printer } = this.#deps;
    const status = printer.status;
    if (!printer.bidirectional) return status;
    if (status.source !== "none" && Date.now() - status.at <= this.#options.preflightFreshMs) return status;
    return printer.refreshStatus();
  }

  #retryAt(whenMs: number): void {
    this.#runner.retryAt(whenMs);
  }

  /** Mid-job faults: the job is held (not resent) and goes on when the fault clears. */
  #onStatus(status: PrinterStatus): void {
    const id = this.#inFlight;
    if (id !== undefined) {
      const job = getJob(this.#deps.journal, id);
      if (job && isBlocked(status) && !status.faults.includes("disconnected")) {
        if (this.#move(job, ["sending", "awaiting-completion"], "held", { lastError: describe(status) }))
          this.#deps.log.info({ job: id, reason: describe(status) }, "print job held mid-print; it will not be resent");
      } else if (job && !isBlocked(status)) {
        this.#move(job, ["held"], "awaiting-completion", { lastError: null });
      }
    }
    this.wake();
  }

  // ---- recovery ----------------------------------------------------------------------------------

  #recover(): void {
    const { journal, log } = this.#deps;
    for (const job of activeJobs(journal, this.printerId)) {
      if (job.kind === "drawer") {
        this.#drawerKicks.recover(job);
      } else if (job.state === "preflight") {
        this.#move(job, ["preflight"], "queued");
      } else if (isAtPrinter(job)) {
        this.#settleUnknown(job, "galleyd restarted while the job was at the printer");
      }
    }
    log.debug({ printer: this.printerId }, "spooler recovered");
  }
}
