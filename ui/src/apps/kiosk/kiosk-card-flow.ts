/**
 * Paying by card at the kiosk, for galley-kiosk-app: whether a card terminal serves this kiosk
 * (`GET /api/payments/options`, read again whenever checkout shows), the current card checkout
 * (card-checkout.ts; the card step on screen follows it), and what its end means. Approved: galleyd
 * committed the order, so the cart is done, the host shows the confirmation with the order's
 * number and `confirmMs` later `onConfirmationOver` runs. Refused before it started: the cart is
 * read again (or replaced when it expired), as after a refused commit. Declined, cancelled,
 * failed: the cart stays open for "Try again" (a new checkout) or "Pay at the counter".
 */
import type { ReactiveController, ReactiveControllerHost } from "lit";
import type { CheckoutView, OrderView, PaymentOptionsView } from "../../../../protocol/index.ts";
import { ApiError, type ApiClient } from "../../data/api.ts";
import type { CartSession } from "../../data/cart-session.ts";
import { CardCheckout, fetchCurrentCheckout, fetchPaymentOptions, type CardCheckoutState } from "./card-checkout.ts";

export type CardOption = NonNullable<PaymentOptionsView["card"]>;

export interface KioskCardFlowOptions {
  api: ApiClient;
  cart: CartSession;
  confirmMs: number;
  onApproved: (order: OrderView) => void;
  onConfirmationOver: () => void;
  onKitchenUnreachable: () => void;
  onCartExpired: () => void;
}

/** Refusals of a checkout's start that say nothing about the cart. */
const TERMINAL_REFUSALS = new Set(["terminal_unavailable", "terminal_not_configured", "payment_in_progress"]);

export class KioskCardFlow implements ReactiveController {
  readonly #host: ReactiveControllerHost;
  readonly #options: KioskCardFlowOptions;
  /** The terminal serving this kiosk; null: none (or galleyd takes no card payments). */
  #card: CardOption | null = null;
  #checkout: CardCheckout | undefined;
  #unlisten: (() => void) | undefined;
  #placed: OrderView | undefined;
  #confirmTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(host: ReactiveControllerHost, options: KioskCardFlowOptions) {
    this.#host = host;
    this.#options = options;
    host.addController(this);
  }

  /** The card terminal for this kiosk (offline ones too: checkout shows why card is not possible). */
  get card(): CardOption | null {
    return this.#card;
  }

  get checkout(): CardCheckout | undefined {
    return this.#checkout;
  }

  /** A checkout may still take money: the customer stays on the card step. */
  get running(): boolean {
    return this.#checkout?.running ?? false;
  }

  /** The order an approved card payment placed, while its confirmation shows. */
  get placed(): OrderView | undefined {
    return this.#placed;
  }

  /** Reads whether a terminal serves this kiosk; on no answer the last word stands. */
  async refreshOptions(): Promise<void> {
    try {
      this.#card = (await fetchPaymentOptions(this.#options.api)).card;
    } catch (error) {
      // galleyd without card payments (404) or a role without them: no card. No answer: unchanged.
      if (error instanceof ApiError && error.status !== 0 && !error.retryable) this.#card = null;
    }
    this.#host.requestUpdate();
  }

  /** A new checkout of the kiosk's cart (a new checkout id and order id); false when there is no cart. */
  start(): boolean {
    const sessionId = this.#options.cart.sessionId;
    if (!sessionId || this.running) return false;
    this.#adopt(new CardCheckout(this.#options.api, { sessionId }));
    return true;
  }

  /**
   * After a reload: the checkout this kiosk left running (the customer may be at the terminal),
   * followed again so its outcome — and the order number — still reach the screen.
   */
  async resumeRunning(): Promise<boolean> {
    if (this.#checkout) return false;
    let view: CheckoutView;
    try {
      view = await fetchCurrentCheckout(this.#options.api);
    } catch {
      return false;
    }
    // A customer may have started a new checkout while the answer was on its way.
    if (view.done || this.#following()) return false;
    this.#adopt(CardCheckout.resume(this.#options.api, view));
    return true;
  }

  #following(): boolean {
    return this.#checkout !== undefined;
  }

  #adopt(checkout: CardCheckout): void {
    this.#drop();
    this.#checkout = checkout;
    this.#unlisten = checkout.onChange((state) => {
      if (this.#checkout === checkout) this.#changed(state);
    });
    this.#changed(checkout.state);
  }

  /** The next customer starts afresh; refused while a checkout may still take money. */
  reset(): boolean {
    if (this.running) return false;
    this.#drop();
    clearTimeout(this.#confirmTimer);
    this.#placed = undefined;
    this.#host.requestUpdate();
    return true;
  }

  hostDisconnected(): void {
    clearTimeout(this.#confirmTimer);
  }

  #drop(): void {
    this.#unlisten?.();
    this.#unlisten = undefined;
    this.#checkout = undefined;
  }

  #changed(state: CardCheckoutState): void {
    this.#host.requestUpdate();
    if (state.phase === "refused") {
      this.#refused(state.error);
      return;
    }
    if (state.phase !== "following" || state.view.state !== "approved" || !state.view.order || this.#placed) return;
    const order = state.view.order;
    this.#placed = order;
    this.#options.cart.committed();
    this.#options.onApproved(order);
    clearTimeout(this.#confirmTimer);
    this.#confirmTimer = setTimeout(() => {
      this.#options.onConfirmationOver();
    }, this.#options.confirmMs);
  }

  /** galleyd refused to start the checkout: nothing was charged, nothing written. */
  #refused(error: ApiError): void {
    if (error.code === "kitchen_unreachable") {
      this.#options.onKitchenUnreachable();
      return;
    }
    if (TERMINAL_REFUSALS.has(error.code)) {
      void this.refreshOptions();
      return;
    }
    void this.#options.cart.recover(error);
    if (error.code === "session_closed" || error.code === "session_not_found") this.#options.onCartExpired();
  }
}
