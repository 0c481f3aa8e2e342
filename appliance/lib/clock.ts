/**
 * Wall-clock access, injected so tests can move time. Wall time is recorded, never trusted for
 * ordering or identity (docs/architecture.md#identity-and-time): ordering comes from the
 * journal's seq.
 */
export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/**
 * Monotonic milliseconds, for rate limits and other windows of elapsed time: the wall clock jumps
 * when a board without a real-time clock reaches NTP, and a jump back must not stretch a window.
 */
export const monotonicNow = (): number => performance.now();

/** A clock for tests: starts at `start` and only moves when told to. */
export class ManualClock implements Clock {
  #now: number;
  constructor(start = Date.UTC(2026, 10, 25, 12, 0, 0)) {
    this.#now = start;
  }
  now(): number {
    return this.#now;
  }
  advance(ms: number): void {
    this.#now += ms;
  }
  set(ms: number): void {
    this.#now = ms;
  }
}
