/**
 * Waiting on a payment attempt: a kiosk's long-poll (`GET /api/checkouts/:id?after=`), a refund
 * request that waits for the terminal's answer, a cancel that waits for the terminal to confirm.
 * Whoever changes an attempt calls `changed(id)`; every wait is bounded in time and in rounds.
 */
import { getAttempt, type AttemptRecord } from "../journal/attempt-store.ts";
import type { Journal } from "../journal/database.ts";
import { AppError } from "../lib/errors.ts";

/** Bound on the wake-ups one wait handles (each is a change of the attempt). */
const MAX_ROUNDS = 10_000;

export class AttemptWaiters {
  readonly #journal: Journal;
  readonly #waiters = new Map<string, Set<() => void>>();
  #closed = false;

  constructor(journal: Journal) {
    this.#journal = journal;
  }

  /** The attempt changed: its waiters look again. */
  changed(id: string): void {
    const waiters = this.#waiters.get(id);
    if (!waiters) return;
    this.#waiters.delete(id);
    for (const wake of waiters) wake();
  }

  /**
   * Resolves with the attempt once `done(attempt)` holds, or when `ms` passed or galleyd stops
   * (with the attempt as it is then). `read` may refuse (the caller may not see it) by throwing.
   */
  async until(
    id: string,
    done: (attempt: AttemptRecord) => boolean,
    ms: number,
    read: (id: string) => AttemptRecord = (attemptId) => this.#read(attemptId),
  ): Promise<AttemptRecord> {
    const until = Date.now() + ms;
    let attempt = read(id);
    for (let round = 0; round < MAX_ROUNDS && !done(attempt) && Date.now() < until && !this.#closed; round++) {
      await this.#wake(id, until - Date.now());
      attempt = read(id);
    }
    return attempt;
  }

  /** galleyd stops: every wait answers with what it has. */
  close(): void {
    this.#closed = true;
    for (const wake of [...this.#waiters.values()].flatMap((set) => [...set])) wake();
    this.#waiters.clear();
  }

  #read(id: string): AttemptRecord {
    const attempt = getAttempt(this.#journal, id);
    if (!attempt) throw new AppError("checkout_not_found", `no attempt ${id}`);
    return attempt;
  }

  /** Resolves when the attempt changes, or after `ms`. */
  #wake(id: string, ms: number): Promise<void> {
    return new Promise((resolve) => {
      let set = this.#waiters.get(id);
      if (!set) this.#waiters.set(id, (set = new Set()));
      const waiters = set;
      const done = (): void => {
        clearTimeout(timer);
        waiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, Math.max(0, ms));
      timer.unref();
      waiters.add(done);
    });
  }
}

/** The attempt no longer waits on its terminal or provider. */
export function settled(attempt: AttemptRecord): boolean {
  return attempt.state !== "queued" && attempt.state !== "presenting" && attempt.state !== "uncertain";
}
