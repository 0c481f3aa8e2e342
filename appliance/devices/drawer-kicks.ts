/**
 * The drawer kicks of one printer, fired beside its print queue: a cash drawer must open even
 * while receipts wait for paper. A kick is tried once and never retried — a drawer that pops open
 * twice is worse than one that did not open — and one that waited past its expiry is dropped.
 */
import { iso } from "../commands/context.ts";
import type { Clock } from "../lib/clock.ts";
import type { Journal } from "../journal/database.ts";
import { queuedDrawerJobs, type JobPatch, type PrintJobRecord } from "../journal/print-store.ts";
import type { PrintJobState } from "../../protocol/schemas/devices.ts";

export interface DrawerKickDeps {
  journal: Journal;
  printerId: string;
  clock: Clock;
  /** Fires the drawer for a `drawer` job. Absent: drawer jobs fail. */
  kickDrawer: ((job: PrintJobRecord) => Promise<void>) | undefined;
  /** The spooler's compare-and-set move (it also reports the change). */
  move: (job: PrintJobRecord, from: readonly PrintJobState[], to: PrintJobState, patch?: JobPatch) => boolean;
}

export class DrawerKicks {
  readonly #deps: DrawerKickDeps;
  #kicking = false;

  constructor(deps: DrawerKickDeps) {
    this.#deps = deps;
  }

  /** Fires the queued kicks, unless a round is already firing (it picks up new ones next wake). */
  wake(): void {
    if (this.#kicking) return;
    const jobs = queuedDrawerJobs(this.#deps.journal, this.#deps.printerId);
    if (jobs.length === 0) return;
    this.#kicking = true;
    void this.#kick(jobs).finally(() => {
      this.#kicking = false;
    });
  }

  /** At start: a kick that had left the queue may or may not have fired; it is never fired again. */
  recover(job: PrintJobRecord): void {
    if (job.state !== "queued")
      this.#deps.move(job, ["preflight", "sending", "awaiting-completion", "held", "retry-wait"], "failed", {
        lastError: "galleyd restarted during the kick; a drawer kick is never retried",
      });
  }

  async #kick(jobs: PrintJobRecord[]): Promise<void> {
    const { move, clock } = this.#deps;
    for (const job of jobs) {
      if (clock.now() >= job.expiresAtMs) {
        move(job, ["queued"], "expired", { lastError: "the drawer was not reached in time" });
        continue;
      }
      if (!move(job, ["queued"], "sending", { attempts: 1, inPrinter: true })) continue;
      try {
        if (!this.#deps.kickDrawer) throw new Error("no drawer on this printer");
        await this.#deps.kickDrawer(job);
        move(job, ["sending"], "done", { completedAt: iso(clock.now()) });
      } catch (error) {
        // Never retried: a drawer that pops open twice is worse than one that did not open.
        move(job, ["sending"], "failed", {
          lastError: `${error instanceof Error ? error.message : String(error)}; a drawer kick is never retried`,
        });
      }
    }
  }
}
