/**
 * The kiosk's idle timer as plain logic: `idleMs` after the last touch the kiosk starts over; the
 * last `warnMs` of it are shown as a countdown the customer can dismiss with any touch.
 * Time is passed in, so tests need no clock.
 */
export type IdlePhase = "active" | "warning" | "expired";

export interface IdleStatus {
  phase: IdlePhase;
  /** Whole seconds left until the reset (for the countdown). */
  secondsLeft: number;
}

export class IdleCountdown {
  readonly idleMs: number;
  readonly warnMs: number;
  #lastActivity: number;
  #paused = false;

  constructor(idleMs: number, warnMs: number, now: number) {
    this.idleMs = idleMs;
    this.warnMs = Math.min(warnMs, idleMs);
    this.#lastActivity = now;
  }

  /** A touch, key or scroll: start counting again. */
  touch(now: number): void {
    this.#lastActivity = now;
  }

  /** While paused (attract loop, sending an order) the kiosk never times out. */
  set paused(paused: boolean) {
    this.#paused = paused;
  }

  get paused(): boolean {
    return this.#paused;
  }

  status(now: number): IdleStatus {
    if (this.#paused) return { phase: "active", secondsLeft: Math.ceil(this.idleMs / 1_000) };
    const left = this.idleMs - (now - this.#lastActivity);
    if (left <= 0) return { phase: "expired", secondsLeft: 0 };
    return { phase: left <= this.warnMs ? "warning" : "active", secondsLeft: Math.ceil(left / 1_000) };
  }
}
