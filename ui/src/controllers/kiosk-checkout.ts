/**
 * The kiosk's checkout: turns the cart into an order through one OrderSubmission per checkout
 * (data/order-submission.ts), and says what the answer means. Placed: the cart is done, the host
 * shows the confirmation, and `confirmMs` later `onConfirmationOver` runs. Refused because no
 * kitchen route works: `onKitchenUnreachable`. Refused otherwise (nothing written): the cart is
 * read again, or replaced when it expired (`onCartExpired`). The host re-renders on every change
 * of the submission's state.
 */
import type { ReactiveController, ReactiveControllerHost } from "lit";
import type { OrderView } from "../../../protocol/index.ts";
import type { ApiClient, ApiError } from "../data/api.ts";
import type { CartSession } from "../data/cart-session.ts";
import type { MenuCatalog } from "../data/menu-catalog.ts";
import { mayHaveHappened, OrderSubmission, type SubmissionState } from "../data/order-submission.ts";

export interface KioskCheckoutOptions {
  api: ApiClient;
  cart: CartSession;
  /** The live menu: a cart with a line it cannot sell is not sent. */
  catalog: () => MenuCatalog | undefined;
  /** How long the confirmation shows. */
  confirmMs: number;
  onPlaced: (order: OrderView) => void;
  onConfirmationOver: () => void;
  onKitchenUnreachable: () => void;
  onCartExpired: () => void;
}

export class KioskCheckout implements ReactiveController {
  readonly #host: ReactiveControllerHost;
  readonly #options: KioskCheckoutOptions;
  #submission: OrderSubmission | undefined;
  #state: SubmissionState = { phase: "idle" };
  #placed: OrderView | undefined;
  #confirmTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(host: ReactiveControllerHost, options: KioskCheckoutOptions) {
    this.#host = host;
    this.#options = options;
    host.addController(this);
  }

  /** This checkout's submission, once the customer tried to place the order. */
  get submission(): OrderSubmission | undefined {
    return this.#submission;
  }

  get state(): SubmissionState {
    return this.#state;
  }

  /** The last attempt got no answer: the order may exist, so only "try again" is offered. */
  get uncertain(): boolean {
    return this.#submission?.uncertain ?? false;
  }

  /** The order placed, while its confirmation shows. */
  get placed(): OrderView | undefined {
    return this.#placed;
  }

  /** The next customer's checkout starts afresh. */
  reset(): void {
    clearTimeout(this.#confirmTimer);
    this.#submission = undefined;
    this.#state = { phase: "idle" };
    this.#placed = undefined;
    this.#host.requestUpdate();
  }

  async placeOrder(): Promise<void> {
    const { cart } = this.#options;
    await cart.settled();
    const sessionId = cart.sessionId;
    const catalog = this.#options.catalog();
    if (!catalog || !sessionId) return;
    const signed = { sessionId, signature: cart.signature };
    let submission = this.#submission;
    // The same checkout keeps its order id for every retry; only a definite refusal (nothing
    // written) followed by a changed cart makes a new one. An uncertain one may only be retried.
    if (!submission?.uncertain) {
      if (cart.isEmpty || cart.problems(catalog).size > 0) return;
      if (!submission?.matches(signed)) {
        const created = new OrderSubmission(this.#options.api, signed);
        created.onChange((state) => {
          if (this.#submission !== created) return;
          this.#state = state;
          this.#host.requestUpdate();
        });
        this.#submission = created;
        this.#host.requestUpdate();
        submission = created;
      }
    }
    const result = await submission.submit();
    if (this.#submission !== submission) return;
    if (result.phase === "failed") {
      this.#refused(result.error);
      return;
    }
    if (result.phase !== "placed") return;
    this.#placed = result.order;
    this.#host.requestUpdate();
    cart.committed();
    this.#options.onPlaced(result.order);
    clearTimeout(this.#confirmTimer);
    this.#confirmTimer = setTimeout(() => {
      this.#options.onConfirmationOver();
    }, this.#options.confirmMs);
  }

  hostDisconnected(): void {
    clearTimeout(this.#confirmTimer);
  }

  /** A checkout the appliance refused (nothing was written). */
  #refused(error: ApiError): void {
    if (error.code === "kitchen_unreachable") {
      this.#options.onKitchenUnreachable();
      return;
    }
    if (mayHaveHappened(error)) return;
    void this.#options.cart.recover(error);
    if (error.code === "session_closed" || error.code === "session_not_found") {
      // The cart expired: a new, empty one replaces it and the customer is told.
      this.#submission = undefined;
      this.#state = { phase: "idle" };
      this.#host.requestUpdate();
      this.#options.onCartExpired();
    }
  }
}
