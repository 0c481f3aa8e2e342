/**
 * Sliding one-minute windows of attempts at something guessable (a PIN at sign-in, a chosen PIN
 * that may collide with someone else's). An attempt is counted BEFORE the work it guards: a
 * reservation holds its place while the PIN is checked, and a failure keeps it. Counting only
 * after the check let 100 concurrent wrong PINs all pass a limit of 5 (security review, finding 2).
 *
 * Two limits: per key (a client address, a user) and, optionally, for everyone together, so that
 * many addresses cannot add up to a flood either. Memory is bounded by those limits: a key is kept
 * only while it has an attempt in the window, and the total limit caps how many keys can.
 *
 * Windows run on a monotonic clock (lib/clock.ts `monotonicNow`), not the wall clock.
 */
import { AppError } from "../lib/errors.ts";

const WINDOW_MS = 60_000;

export interface LimiterOptions {
  /** Attempts one key may make per minute (failures plus those in flight). */
  perKey: number;
  /** Attempts every key together may make per minute; undefined: no total limit. */
  total?: number;
  /** What the attempts are, for the refusal: "wrong PINs", "PIN choices". */
  what: string;
  /** Monotonic milliseconds. */
  now: () => number;
}

/** A reserved attempt: `keep()` counts it (a failure), `release()` gives the place back (a success). Settle once. */
export interface Attempt {
  keep(): void;
  release(): void;
}

interface Window {
  kept: number[];
  inFlight: number;
}

export class AttemptLimiter {
  readonly #options: LimiterOptions;
  readonly #keys = new Map<string, Window>();
  readonly #all: Window = { kept: [], inFlight: 0 };

  constructor(options: LimiterOptions) {
    this.#options = options;
  }

  /** Reserves an attempt for `key`, or throws `too_many_attempts` (429) with `details.retryAfterSeconds`. */
  reserve(key: string): Attempt {
    const now = this.#options.now();
    const own = this.#window(key, now);
    prune(this.#all, now);
    const { perKey, total, what } = this.#options;
    if (own.kept.length + own.inFlight >= perKey) throw refusal(what, "from here", own, now);
    if (total !== undefined && this.#all.kept.length + this.#all.inFlight >= total)
      throw refusal(what, "on this board", this.#all, now);
    own.inFlight += 1;
    this.#all.inFlight += 1;
    let settled = false;
    const settle = (keep: boolean) => {
      if (settled) return;
      settled = true;
      own.inFlight -= 1;
      this.#all.inFlight -= 1;
      if (keep) {
        own.kept.push(now);
        this.#all.kept.push(now);
      }
      if (own.kept.length === 0 && own.inFlight === 0) this.#keys.delete(key);
    };
    return {
      keep: () => {
        settle(true);
      },
      release: () => {
        settle(false);
      },
    };
  }

  #window(key: string, now: number): Window {
    const existing = this.#keys.get(key);
    if (existing) {
      prune(existing, now);
      return existing;
    }
    // Forget keys whose window has passed before remembering another one.
    for (const [other, window] of this.#keys) {
      prune(window, now);
      if (window.kept.length === 0 && window.inFlight === 0) this.#keys.delete(other);
    }
    const created: Window = { kept: [], inFlight: 0 };
    this.#keys.set(key, created);
    return created;
  }
}

function prune(window: Window, now: number): void {
  let stale = 0;
  while (stale < window.kept.length && now - (window.kept[stale] ?? now) >= WINDOW_MS) stale += 1;
  if (stale > 0) window.kept.splice(0, stale);
}

function refusal(what: string, where: string, window: Window, now: number): AppError {
  const oldest = window.kept[0];
  // Full of attempts still in flight: they settle within seconds.
  const retryAfterSeconds = oldest === undefined ? 1 : Math.max(1, Math.ceil((oldest + WINDOW_MS - now) / 1_000));
  return new AppError("too_many_attempts", `too many ${what} ${where}; try again in ${retryAfterSeconds} s`, {
    details: { retryAfterSeconds },
  });
}
