/**
 * How long the kiosk explains a cart change the appliance refused: a newly refused change shows
 * for `showMs`, then the cart's error is cleared; a later change (or OK) replaces or clears it
 * sooner. The host calls `changed()` from the cart's `onChange`.
 */
import type { ReactiveController, ReactiveControllerHost } from "lit";
import type { CartSession } from "../data/cart-session.ts";

export class KioskCartNotice implements ReactiveController {
  readonly #cart: CartSession;
  readonly #showMs: number;
  #shown: CartSession["error"];
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(host: ReactiveControllerHost, cart: CartSession, showMs: number) {
    this.#cart = cart;
    this.#showMs = showMs;
    host.addController(this);
  }

  /** The cart changed: a new error starts its time; the same one keeps running. */
  changed(): void {
    const error = this.#cart.error;
    if (error === this.#shown) return;
    this.#shown = error;
    clearTimeout(this.#timer);
    if (error) {
      this.#timer = setTimeout(() => {
        if (this.#cart.error === error) this.#cart.clearError();
      }, this.#showMs);
    }
  }

  hostDisconnected(): void {
    clearTimeout(this.#timer);
  }
}
