/**
 * The scheduler of galleyd's periodic work (verification, order-backup cleanup, the day's
 * reconciliation, journal backups and their retention, notification delivery). Every run — by
 * schedule, at catch-up or on demand — is recorded in `job_runs` with its summary or error; a run
 * a crash interrupted is marked so at the next start. One run of a job at a time.
 */
import type { Clock } from "../lib/clock.ts";
import type { Logger } from "../lib/logger.ts";
import type { Journal } from "../journal/database.ts";
import { finishJobRun, interruptRunningJobs, lastJobRun, startJobRun, type JobRunRow } from "../journal/job-store.ts";
import { describeSchedule, nextRunAt, type Schedule } from "./schedule.ts";

export interface JobResult {
  /** "skipped": nothing to do or not allowed now (e.g. retention with an unsynchronised clock). */
  state?: "ok" | "skipped";
  summary: Record<string, unknown>;
}

export interface JobDefinition {
  name: string;
  description: string;
  schedule: Schedule;
  run(trigger: string, signal: AbortSignal): Promise<JobResult>;
}

export interface JobInfo {
  name: string;
  description: string;
  schedule: string;
  nextRunAt: string | null;
  running: boolean;
  lastRun: {
    id: number;
    trigger: string;
    state: string;
    startedAt: string;
    finishedAt: string | null;
    summary: unknown;
    error: string | null;
  } | null;
}

/** Longest sleep between checks, so a wall-clock change is noticed. */
const MAX_SLEEP_MS = 60_000;

export class Scheduler {
  readonly #journal: Journal;
  readonly #clock: Clock;
  readonly #log: Logger;
  readonly #jobs = new Map<string, JobDefinition>();
  readonly #next = new Map<string, number | undefined>();
  readonly #running = new Map<string, Promise<JobRunRow>>();
  readonly #abort = new AbortController();
  #timer: NodeJS.Timeout | undefined;
  #started = false;

  constructor(options: { journal: Journal; clock: Clock; log: Logger }) {
    this.#journal = options.journal;
    this.#clock = options.clock;
    this.#log = options.log;
  }

  add(job: JobDefinition): void {
    this.#jobs.set(job.name, job);
  }

  has(name: string): boolean {
    return this.#jobs.has(name);
  }

  start(): void {
    if (this.#started) return;
    this.#started = true;
    const at = new Date(this.#clock.now()).toISOString();
    const interrupted = this.#journal.transaction(() => interruptRunningJobs(this.#journal, at));
    if (interrupted > 0) this.#log.warn({ interrupted }, "job runs interrupted by the last stop were marked so");
    const now = this.#clock.now();
    for (const job of this.#jobs.values())
      this.#next.set(job.name, nextRunAt(job.schedule, lastJobRun(this.#journal, job.name)?.started_at_ms, now));
    this.#arm();
  }

  async stop(): Promise<void> {
    this.#started = false;
    if (this.#timer) clearTimeout(this.#timer);
    this.#abort.abort();
    await Promise.allSettled([...this.#running.values()]);
  }

  #arm(): void {
    if (!this.#started) return;
    if (this.#timer) clearTimeout(this.#timer);
    const now = this.#clock.now();
    const times = [...this.#next.values()].filter((t): t is number => t !== undefined);
    const wait = times.length === 0 ? MAX_SLEEP_MS : Math.max(0, Math.min(MAX_SLEEP_MS, Math.min(...times) - now));
    this.#timer = setTimeout(() => {
      void this.runDue().finally(() => {
        this.#arm();
      });
    }, wait);
    this.#timer.unref();
  }

  /** Runs every job whose time has come (the timer calls it; tests may too). */
  async runDue(): Promise<void> {
    const now = this.#clock.now();
    const due = [...this.#jobs.values()].filter((job) => {
      const at = this.#next.get(job.name);
      return at !== undefined && at <= now && !this.#running.has(job.name);
    });
    await Promise.allSettled(due.map((job) => this.runNow(job.name, "schedule")));
  }

  /** Runs a job now (or joins the run in progress) and returns its recorded run. */
  runNow(name: string, trigger: string): Promise<JobRunRow> {
    const job = this.#jobs.get(name);
    if (!job) return Promise.reject(new Error(`no job ${name}`));
    const inProgress = this.#running.get(name);
    if (inProgress) return inProgress;
    const run = this.#execute(job, trigger).finally(() => {
      this.#running.delete(name);
    });
    this.#running.set(name, run);
    return run;
  }

  async #execute(job: JobDefinition, trigger: string): Promise<JobRunRow> {
    const started = this.#clock.now();
    const id = this.#journal.transaction(() =>
      startJobRun(this.#journal, job.name, trigger, new Date(started).toISOString(), started),
    );
    this.#next.set(job.name, nextRunAt(job.schedule, started, started));
    let state: "ok" | "failed" | "skipped" = "ok";
    let summary: Record<string, unknown> = {};
    let error: string | null = null;
    try {
      const result = await job.run(trigger, this.#abort.signal);
      state = result.state ?? "ok";
      summary = result.summary;
    } catch (cause) {
      state = "failed";
      error = cause instanceof Error ? cause.message : String(cause);
      this.#log.error({ err: cause, job: job.name }, "job failed");
    }
    if (this.#journal.isOpen) {
      this.#journal.transaction(() => {
        finishJobRun(this.#journal, id, state, new Date(this.#clock.now()).toISOString(), summary, error);
      });
    }
    this.#log.info({ job: job.name, trigger, state, ...summary }, "job run");
    return (
      lastJobRun(this.#journal, job.name) ?? {
        id,
        job: job.name,
        trigger,
        state,
        started_at: new Date(started).toISOString(),
        started_at_ms: started,
        finished_at: null,
        summary: JSON.stringify(summary),
        error,
      }
    );
  }

  list(): JobInfo[] {
    return [...this.#jobs.values()].map((job) => {
      const last = lastJobRun(this.#journal, job.name);
      const next = this.#next.get(job.name);
      return {
        name: job.name,
        description: job.description,
        schedule: describeSchedule(job.schedule),
        nextRunAt: next === undefined ? null : new Date(next).toISOString(),
        running: this.#running.has(job.name),
        lastRun: last
          ? {
              id: last.id,
              trigger: last.trigger,
              state: last.state,
              startedAt: last.started_at,
              finishedAt: last.finished_at,
              summary: JSON.parse(last.summary) as unknown,
              error: last.error,
            }
          : null,
      };
    });
  }
}
