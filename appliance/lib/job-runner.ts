/**
 * The scheduling half of a persisted job queue, independent of what the jobs do: the print
 * spooler is its first user, a card terminal's payment attempts are meant to be the second
 * (service.ts, design note). The jobs themselves live in the journal — written in the
 * transaction of their cause, moved by compare-and-set — so this holds no job state, only when
 * to look at them:
 *
 * - `start()` settles what a crash left (`recover`), subscribes to the device's events, and
 *   wakes on a timer (expiry, a retry that came due, a status that changed without an event);
 * - `wake()` coalesces: one pump at a time; a wake during a step makes the pump look again;
 * - the pump runs `step()` until the queue is idle, at most `MAX_STEPS` in a row before it
 *   yields to the event loop; a step that throws is logged and retried on the next wake;
 * - `retryAt()` schedules one wake for a job waiting out its back-off;
 * - `stop()` stops taking steps and gives the step in flight `graceMs`; `drain()` waits for it.
 */
import type { Clock } from "../lib/clock.ts";
import type { Logger } from "../lib/logger.ts";

/** What the queue's owner does: its device-specific half. */
export interface JobRunnerSteps {
  /** At start, before the first step: settle jobs a crash or restart left mid-way. */
  recover(): void;
  /** Subscribes to the device's events (each should `wake()`); returns the unsubscribers. */
  subscribe(): (() => void)[];
  /** Moves the head job one step: `progress` to go on, `idle` when nothing can move now. */
  step(): Promise<"progress" | "idle">;
  /** On every wake while running, before the pump: work that runs beside the queue. */
  woken?(): void;
}

export interface JobRunnerOptions {
  /** Housekeeping wake period. */
  tickMs: number;
  clock: Clock;
  log: Logger;
  /** Log fields naming the queue (e.g. `{ printer: id }`). */
  context: Record<string, unknown>;
}

/** Bound on the jobs one pump handles before it yields to the event loop. */
const MAX_STEPS = 200;

export class JobRunner {
  readonly #steps: JobRunnerSteps;
  readonly #options: JobRunnerOptions;
  #started = false;
  #stopped = false;
  #pumping: Promise<void> | undefined;
  #again = false;
  #retryTimer: NodeJS.Timeout | undefined;
  #tick: NodeJS.Timeout | undefined;
  readonly #offs: (() => void)[] = [];

  constructor(steps: JobRunnerSteps, options: JobRunnerOptions) {
    this.#steps = steps;
    this.#options = options;
  }

  /** Stopping or stopped: a step in flight must leave its job for the next start. */
  get stopped(): boolean {
    return this.#stopped;
  }

  /** Recovers jobs interrupted by a crash or restart, then starts taking jobs. */
  start(): void {
    if (this.#started) return;
    this.#started = true;
    this.#steps.recover();
    this.#offs.push(...this.#steps.subscribe());
    this.#tick = setInterval(() => {
      this.wake();
    }, this.#options.tickMs);
    this.#tick.unref();
    this.wake();
  }

  /** New jobs may be waiting (after COMMIT, on device events and on the timer). */
  wake(): void {
    if (!this.#started || this.#stopped) return;
    this.#steps.woken?.();
    if (this.#pumping) {
      this.#again = true;
      return;
    }
    this.#pumping = this.#pump().finally(() => {
      this.#pumping = undefined;
    });
  }

  /** One wake when a job's back-off ends (replaces the previous one). */
  retryAt(whenMs: number): void {
    clearTimeout(this.#retryTimer);
    this.#retryTimer = setTimeout(
      () => {
        this.wake();
      },
      Math.max(0, whenMs - this.#options.clock.now()),
    );
    this.#retryTimer.unref();
  }

  /** Stops taking jobs; gives a step in flight `graceMs` to finish. */
  async stop(graceMs: number): Promise<void> {
    this.#stopped = true;
    clearInterval(this.#tick);
    clearTimeout(this.#retryTimer);
    for (const off of this.#offs.splice(0)) off();
    const pumping = this.#pumping;
    if (pumping) await Promise.race([pumping, new Promise((resolve) => setTimeout(resolve, graceMs).unref())]);
  }

  /** Resolves once the step in flight (if any) has settled. */
  async drain(): Promise<void> {
    await this.#pumping;
  }

  async #pump(): Promise<void> {
    try {
      for (let step = 0; step < MAX_STEPS && !this.#stopped; step++) {
        this.#again = false;
        const result = await this.#steps.step();
        if (result === "idle" && !this.#wokenMeanwhile()) return;
      }
      // Many jobs in a row: yield, then carry on.
      if (!this.#stopped)
        setImmediate(() => {
          this.wake();
        });
    } catch (error) {
      this.#options.log.error(
        { err: error, ...this.#options.context },
        "spooler step failed; retrying on the next tick",
      );
    }
  }

  // Read through a call: `wake()` sets the flag while a step awaits.
  #wokenMeanwhile(): boolean {
    return this.#again;
  }
}
