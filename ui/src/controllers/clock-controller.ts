/** Re-renders its host every `intervalMs` with the current time (ticket ages, the board's clearing). */
import type { ReactiveController, ReactiveControllerHost } from "lit";

export class ClockController implements ReactiveController {
  readonly #host: ReactiveControllerHost;
  readonly #intervalMs: number;
  readonly #now: () => number;
  #timer: ReturnType<typeof setInterval> | undefined;
  /** Time of the last tick, from `now` (the appliance's clock when given). */
  value: number;

  constructor(host: ReactiveControllerHost, intervalMs: number, now: () => number = () => Date.now()) {
    this.#host = host;
    this.#intervalMs = intervalMs;
    this.#now = now;
    this.value = now();
    host.addController(this);
  }

  hostConnected(): void {
    this.value = this.#now();
    this.#timer = setInterval(() => {
      this.value = this.#now();
      this.#host.requestUpdate();
    }, this.#intervalMs);
  }

  hostDisconnected(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
  }
}
