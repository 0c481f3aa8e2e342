/**
 * The ordering gate: when `devices.requireKitchenRoute` is on and no kitchen route works — no
 * printer for kitchen tickets online without a blocking fault, and no kitchen screen on the
 * kitchen topic — the kiosk stops taking orders. `placeOrder` and `commitSession` call `check()`
 * before their transaction, so a refused order writes nothing and the kiosk gets
 * `503 kitchen_unreachable` at once instead of an order nobody would cook.
 */
import { iso } from "../commands/context.ts";
import type { Clock } from "../lib/clock.ts";
import { AppError } from "../lib/errors.ts";
import type { OrderingState } from "../../protocol/schemas/devices.ts";

export interface GateSources {
  requireKitchenRoute: boolean;
  /** Printers serving kitchen tickets that are online without a blocking fault. */
  kitchenPrinters(): number;
  /** Kitchen screens subscribed to the kitchen topic. */
  kitchenScreens(): number;
  /** An order with this id exists already (a retry gets its stored reply, even while paused). */
  orderExists(orderId: string): boolean;
  clock: Clock;
  /** The state changed (accepting ⇄ paused). */
  onChange?(state: OrderingState): void;
}

const PAUSED_MESSAGE = "orders are paused: no kitchen printer is working and no kitchen screen is connected";

export class OrderingGate {
  readonly #sources: GateSources;
  #state: OrderingState;

  constructor(sources: GateSources) {
    this.#sources = sources;
    this.#state = this.#compute(iso(sources.clock.now()));
  }

  get state(): OrderingState {
    return this.#state;
  }

  /** Re-reads the routes; tells `onChange` when accepting/paused flipped. Returns the state. */
  refresh(): OrderingState {
    const previous = this.#state;
    const next = this.#compute(previous.since);
    const flipped = next.state !== previous.state;
    this.#state = flipped ? { ...next, since: iso(this.#sources.clock.now()) } : next;
    if (flipped || next.kitchenPrinters !== previous.kitchenPrinters || next.kitchenScreens !== previous.kitchenScreens)
      this.#sources.onChange?.(this.#state);
    return this.#state;
  }

  /** Throws `kitchen_unreachable` while paused (the kitchen is checked live, not from a cache). */
  check(orderId?: string): void {
    if (!this.#sources.requireKitchenRoute) return;
    if (this.refresh().state === "accepting") return;
    if (orderId !== undefined && this.#sources.orderExists(orderId)) return;
    throw new AppError("kitchen_unreachable", PAUSED_MESSAGE, { details: { since: this.#state.since } });
  }

  #compute(since: string): OrderingState {
    const kitchenPrinters = this.#sources.kitchenPrinters();
    const kitchenScreens = this.#sources.kitchenScreens();
    const paused = this.#sources.requireKitchenRoute && kitchenPrinters === 0 && kitchenScreens === 0;
    return {
      state: paused ? "paused" : "accepting",
      ...(paused ? { reason: "kitchen_unreachable" as const, message: PAUSED_MESSAGE } : {}),
      since,
      requireKitchenRoute: this.#sources.requireKitchenRoute,
      kitchenPrinters,
      kitchenScreens,
    };
  }
}
