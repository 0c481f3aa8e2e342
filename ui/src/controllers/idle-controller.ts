/**
 * Watches a kiosk for touches and keys (on the whole window, in the capture phase, so no
 * component can swallow one) and drives an IdleCountdown: the host re-renders when the phase or
 * the seconds left change, and `onExpire` runs once when time is up.
 *
 * While the countdown shows, stray activity does not dismiss it: the overlay does, on a
 * completed tap (`touch()`), so the tap that dismisses it cannot land on what lies beneath.
 */
import type { ReactiveController, ReactiveControllerHost } from "lit";
import { IdleCountdown, type IdleStatus } from "./idle-countdown.ts";

const ACTIVITY = ["pointerdown", "keydown", "wheel", "touchstart"] as const;

export class IdleController implements ReactiveController {
  readonly #host: ReactiveControllerHost;
  readonly #onExpire: () => void;
  #countdown: IdleCountdown;
  #timer: ReturnType<typeof setInterval> | undefined;
  status: IdleStatus;

  readonly #onActivity = (): void => {
    if (this.status.phase === "warning") return;
    this.#countdown.touch(Date.now());
  };

  constructor(host: ReactiveControllerHost, idleMs: number, warnMs: number, onExpire: () => void) {
    this.#host = host;
    this.#onExpire = onExpire;
    this.#countdown = new IdleCountdown(idleMs, warnMs, Date.now());
    this.#countdown.paused = true;
    this.status = this.#countdown.status(Date.now());
    host.addController(this);
  }

  /** Paused on the attract loop and while an order is being sent. */
  set paused(paused: boolean) {
    if (paused === this.#countdown.paused) return;
    this.#countdown.paused = paused;
    this.#countdown.touch(Date.now());
    this.#refresh();
  }

  /** Starts the count again (the customer tapped "continue" on the countdown). */
  touch(): void {
    this.#countdown.touch(Date.now());
    this.#refresh();
  }

  hostConnected(): void {
    for (const type of ACTIVITY) window.addEventListener(type, this.#onActivity, { capture: true, passive: true });
    this.#timer = setInterval(() => {
      this.#refresh();
    }, 250);
  }

  hostDisconnected(): void {
    for (const type of ACTIVITY) window.removeEventListener(type, this.#onActivity, { capture: true });
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
  }

  #refresh(): void {
    const next = this.#countdown.status(Date.now());
    if (next.phase === this.status.phase && next.secondsLeft === this.status.secondsLeft) return;
    const expired = next.phase === "expired" && this.status.phase !== "expired";
    this.status = next;
    this.#host.requestUpdate();
    if (expired) {
      this.#countdown.touch(Date.now());
      this.#countdown.paused = true;
      this.status = this.#countdown.status(Date.now());
      this.#onExpire();
    }
  }
}
