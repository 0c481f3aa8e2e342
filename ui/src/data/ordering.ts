/**
 * Whether the kiosk takes orders now, from the `devices` topic's `ordering` state (README
 * "Errors": `kitchen_unreachable`). galleyd pauses ordering when no kitchen route works — no
 * working kitchen printer and no kitchen screen connected — and a checkout is then refused with
 * `503 kitchen_unreachable`.
 *
 * - What galleyd says when the kiosk (re)subscribes counts at once; a pause announced while the
 *   kiosk runs shows only after `graceMs`, so a kitchen screen that reloads does not flash the
 *   "order at the counter" screen at customers. `accepting` counts at once.
 * - A checkout refused with `kitchen_unreachable` pauses at once, whatever the last state said;
 *   the kiosk then asks galleyd for a fresh state (resubscribe), and the next `accepting` ends it.
 *
 * Framework-free; timers are plain `setTimeout`.
 */
import type { OrderingState } from "../../../protocol/index.ts";

export interface OrderingWatchOptions {
  /** How long a pause announced while running waits before it shows. */
  graceMs?: number;
  /** Called whenever `paused` flips. */
  onChange?: (paused: boolean) => void;
}

export class OrderingWatch {
  readonly #graceMs: number;
  readonly #onChange: ((paused: boolean) => void) | undefined;
  #reported: OrderingState["state"] | undefined;
  #refused = false;
  #paused = false;
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(options: OrderingWatchOptions = {}) {
    this.#graceMs = options.graceMs ?? 2_500;
    this.#onChange = options.onChange;
  }

  /** Orders cannot be taken now: show "please order at the counter". */
  get paused(): boolean {
    return this.#paused;
  }

  /** What galleyd last said (undefined before it said anything). */
  get reported(): OrderingState["state"] | undefined {
    return this.#reported;
  }

  /** galleyd's state: `fresh` for a snapshot (subscribe, resume), false for a live change. */
  update(ordering: Pick<OrderingState, "state">, fresh: boolean): void {
    this.#reported = ordering.state;
    if (ordering.state === "accepting") {
      this.#refused = false;
      this.#cancelTimer();
      this.#set(false);
      return;
    }
    if (fresh || this.#refused || this.#graceMs <= 0) {
      this.#cancelTimer();
      this.#set(true);
      return;
    }
    this.#timer ??= setTimeout(() => {
      this.#timer = undefined;
      if (this.#reported === "paused") this.#set(true);
    }, this.#graceMs);
  }

  /** A checkout was refused with `kitchen_unreachable`: paused now, until galleyd says `accepting`. */
  refused(): void {
    this.#refused = true;
    this.#cancelTimer();
    this.#set(true);
  }

  dispose(): void {
    this.#cancelTimer();
  }

  #cancelTimer(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #set(paused: boolean): void {
    if (paused === this.#paused) return;
    this.#paused = paused;
    this.#onChange?.(paused);
  }
}
