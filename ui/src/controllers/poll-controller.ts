/**
 * Keeps a view live: runs `run` when its host connects and every `intervalMs` while the page is
 * visible (a hidden tab asks nothing; it catches up the moment it is shown again), never two at
 * once (data/ticker.ts). `refresh()` runs it now, e.g. from a Refresh button.
 */
import type { ReactiveController, ReactiveControllerHost } from "lit";
import { Ticker } from "../data/ticker.ts";

export class PollController implements ReactiveController {
  readonly ticker: Ticker;
  readonly #onVisibility = () => {
    if (document.visibilityState === "visible") void this.ticker.tick();
  };

  constructor(host: ReactiveControllerHost, intervalMs: number, run: () => Promise<unknown>) {
    this.ticker = new Ticker({ intervalMs, run, when: () => document.visibilityState === "visible" });
    host.addController(this);
  }

  hostConnected(): void {
    document.addEventListener("visibilitychange", this.#onVisibility);
    this.ticker.start();
  }

  hostDisconnected(): void {
    document.removeEventListener("visibilitychange", this.#onVisibility);
    this.ticker.stop();
  }

  refresh(): Promise<void> {
    return this.ticker.tick();
  }
}
