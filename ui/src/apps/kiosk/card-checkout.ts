/**
 * One attempt to pay the kiosk's cart on the card terminal (README "Payments"): `POST
 * /api/checkouts` starts it, `GET /api/checkouts/:id?after=<version>` follows it by long-poll until
 * it is done, `POST /api/checkouts/:id/cancel` asks the terminal to abort. galleyd commits the
 * order only once the terminal approved, so the cart stays open until then; "try again" is a new
 * CardCheckout (a new checkout id and a new order id), never a second use of this one.
 *
 * - A start without an answer is sent again with the same checkout id (galleyd returns the same
 *   checkout), so a lost reply can never start a second charge. A refusal (terminal unavailable,
 *   a payment already running, a cart error) charged nothing.
 * - Following is bounded: at most `maxRounds` requests and `maxFollowMs` in all; then the state is
 *   `lost` until someone follows again (`follow()`). Network failures are retried with backoff.
 * - It runs only while someone follows it (the card step on screen): when the last follower
 *   stops, the loop stops at once (an answer still on its way is ignored).
 *
 * Framework-free; the kiosk's card step (galley-kiosk-card-payment.ts) follows it and the kiosk
 * (kiosk-card-flow.ts) listens to what it means for the order.
 */
import type { CheckoutBody, CheckoutView, PaymentOptionsView } from "../../../../protocol/index.ts";
import { ApiError, CLIENT_ERRORS, type ApiClient } from "../../data/api.ts";
import { newOrderId } from "../../data/ids.ts";

// ---- the endpoints -----------------------------------------------------------------------------------

const checkoutPath = (id: string) => `/api/checkouts/${encodeURIComponent(id)}`;

/** `GET /api/payments/options`: whether a card terminal serves this kiosk, and whether it is online. */
export function fetchPaymentOptions(api: ApiClient): Promise<PaymentOptionsView> {
  return api.request<PaymentOptionsView>("GET", "/api/payments/options", { timeoutMs: 5_000 });
}

/** `POST /api/checkouts` (202): the same `id` again returns the same checkout. */
export function createCheckout(api: ApiClient, body: CheckoutBody): Promise<CheckoutView> {
  return api.request<CheckoutView>("POST", "/api/checkouts", { body, timeoutMs: 10_000 });
}

/** Long-poll: answers once the checkout's version is above `after`, or after `waitMs` with the same view. */
export function fetchCheckout(api: ApiClient, id: string, after: number, waitMs: number): Promise<CheckoutView> {
  return api.request<CheckoutView>("GET", `${checkoutPath(id)}?after=${after}&waitMs=${waitMs}`, {
    timeoutMs: waitMs + 10_000,
  });
}

/** `GET /api/checkouts/current`: this kiosk's checkout still running (404: none). */
export function fetchCurrentCheckout(api: ApiClient): Promise<CheckoutView> {
  return api.request<CheckoutView>("GET", "/api/checkouts/current", { timeoutMs: 5_000 });
}

/** Asks the terminal to abort; the checkout becomes `cancelled` once the terminal confirms. */
export function createCheckoutCancel(api: ApiClient, id: string): Promise<CheckoutView> {
  return api.request<CheckoutView>("POST", `${checkoutPath(id)}/cancel`, { timeoutMs: 10_000 });
}

// ---- one checkout ------------------------------------------------------------------------------------

export type CardCheckoutState =
  /** Asking galleyd to start; `trouble`: no answer yet, sending again. */
  | { phase: "starting"; trouble: boolean }
  /** galleyd refused to start it: nothing was charged. */
  | { phase: "refused"; error: ApiError }
  /** galleyd's checkout as last seen; `trouble`: the last request got no answer, retrying. */
  | { phase: "following"; view: CheckoutView; trouble: boolean; cancelling: boolean }
  /** Following stopped at its bound before the checkout was done: how it ended is unknown here. */
  | { phase: "lost"; view: CheckoutView | undefined };

export interface CardCheckoutTiming {
  /** How long galleyd may hold one long-poll. */
  waitMs: number;
  /** Following gives up (state `lost`) after this long… */
  maxFollowMs: number;
  /** …or after this many requests. */
  maxRounds: number;
  /** Waits after failed requests in a row (the last one repeats). */
  backoffMs: readonly number[];
  /** A long-poll answered sooner than this without news waits the rest (a server that does not hold). */
  minRoundMs: number;
}

export const CARD_CHECKOUT_TIMING: CardCheckoutTiming = {
  waitMs: 20_000,
  maxFollowMs: 10 * 60_000,
  maxRounds: 400,
  backoffMs: [500, 1_000, 2_000, 4_000, 8_000],
  minRoundMs: 500,
};

export interface CardCheckoutCart {
  /** The kiosk's cart session; committed by galleyd once the terminal approves. Empty: the order `orderId` exists (the counter). */
  sessionId: string;
  pickupName?: string;
  /** An existing order: part of what is due (default all of it). */
  amount?: number;
}

/** Whether the checkout may still take money: the customer must not be sent away meanwhile. */
export function checkoutRunning(state: CardCheckoutState): boolean {
  switch (state.phase) {
    case "starting":
      return true;
    case "following":
      return !state.view.done;
    case "refused":
    case "lost":
      return false;
  }
}

function asApiError(error: unknown): ApiError {
  return error instanceof ApiError ? error : new ApiError(0, CLIENT_ERRORS.network, String(error));
}

/** One run of the loop: stopping it ends its wait at once and makes it ignore late answers. */
interface Run {
  stopped: boolean;
  wake: (() => void) | undefined;
}

/** Read through a call: the run may be stopped while the loop awaits. */
function ended(run: Run): boolean {
  return run.stopped;
}

export class CardCheckout {
  /** The checkout's id: made once, sent again on every retry of the start. */
  readonly id: string;
  /** The order the approval commits (its number appears only then). */
  readonly orderId: string;
  readonly cart: Readonly<CardCheckoutCart>;
  readonly #api: ApiClient;
  readonly #timing: CardCheckoutTiming;
  readonly #listeners = new Set<(state: CardCheckoutState) => void>();
  #state: CardCheckoutState = { phase: "starting", trouble: false };
  #view: CheckoutView | undefined;
  #followers = 0;
  #run: Run | undefined;
  #cancelRequested = false;

  constructor(
    api: ApiClient,
    cart: CardCheckoutCart,
    timing: Partial<CardCheckoutTiming> = {},
    makeId: () => string = newOrderId,
  ) {
    this.#api = api;
    this.cart = { ...cart };
    this.#timing = { ...CARD_CHECKOUT_TIMING, ...timing };
    this.id = makeId();
    this.orderId = makeId();
  }

  /** A checkout started before this page was loaded (a reload mid-payment), followed from `view` on. */
  static resume(api: ApiClient, view: CheckoutView, timing: Partial<CardCheckoutTiming> = {}): CardCheckout {
    const ids = [view.id, view.orderId];
    const checkout = new CardCheckout(api, { sessionId: "" }, timing, () => ids.shift() ?? newOrderId());
    checkout.#show(view, false);
    return checkout;
  }

  get state(): CardCheckoutState {
    return this.#state;
  }

  /** The checkout may still take money. */
  get running(): boolean {
    return checkoutRunning(this.#state);
  }

  /** Every change of state; does not keep the checkout followed. */
  onChange(listener: (state: CardCheckoutState) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /**
   * Starts (or resumes) following while the caller shows it; the returned function stops
   * following (when no one else follows). A `lost` checkout is followed afresh.
   */
  follow(): () => void {
    this.#followers += 1;
    if (!this.#run && (this.running || this.#state.phase === "lost")) this.#start();
    let stopped = false;
    return () => {
      if (stopped) return;
      stopped = true;
      this.#followers -= 1;
      if (this.#followers === 0) this.#stop();
    };
  }

  /** Asks the terminal to abort (once the checkout exists); the state says when it did. */
  async cancel(): Promise<void> {
    this.#cancelRequested = true;
    const state = this.#state;
    if (state.phase !== "following" || state.view.done || state.cancelling) return;
    this.#set({ ...state, cancelling: true });
    const delays = this.#timing.backoffMs;
    for (let attempt = 0; attempt <= delays.length; attempt += 1) {
      try {
        this.#show(await createCheckoutCancel(this.#api, this.id));
        return;
      } catch (caught) {
        const error = asApiError(caught);
        const delay = delays[attempt];
        if (!error.retryable || delay === undefined || !this.running) break;
        await new Promise<void>((resolve) => setTimeout(resolve, delay));
      }
    }
    // Not asked: the button comes back (unless the checkout ended meanwhile).
    const now = this.#state;
    if (now.phase === "following" && !now.view.done) this.#set({ ...now, cancelling: false });
  }

  #start(): void {
    const run: Run = { stopped: false, wake: undefined };
    this.#run = run;
    void this.#loop(run).finally(() => {
      if (this.#run === run) this.#run = undefined;
    });
  }

  #stop(): void {
    const run = this.#run;
    if (!run) return;
    run.stopped = true;
    run.wake?.();
    this.#run = undefined;
  }

  async #loop(run: Run): Promise<void> {
    const { maxFollowMs, maxRounds, waitMs, backoffMs, minRoundMs } = this.#timing;
    const deadline = Date.now() + maxFollowMs;
    let failures = 0;
    if (this.#state.phase === "lost")
      this.#set(this.#view ? this.#following(this.#view, false) : { phase: "starting", trouble: false });
    for (let round = 0; round < maxRounds && Date.now() < deadline; round += 1) {
      const seen = this.#view;
      const began = Date.now();
      try {
        const view = seen
          ? await fetchCheckout(this.#api, this.id, seen.version, waitMs)
          : await createCheckout(this.#api, {
              id: this.id,
              orderId: this.orderId,
              ...(this.cart.sessionId ? { sessionId: this.cart.sessionId } : {}),
              ...(this.cart.pickupName ? { pickupName: this.cart.pickupName } : {}),
              ...(this.cart.amount !== undefined ? { amount: this.cart.amount } : {}),
            });
        if (ended(run)) return;
        failures = 0;
        this.#show(view, false);
        if (view.done) return;
        if (!seen && this.#cancelRequested) void this.cancel();
        if (seen && view.version <= seen.version && Date.now() - began < minRoundMs)
          await this.#sleep(run, minRoundMs - (Date.now() - began));
      } catch (caught) {
        if (ended(run)) return;
        const error = asApiError(caught);
        // A refused start charged nothing; once the checkout exists, only its own end says so.
        if (!seen && !error.retryable) {
          this.#set({ phase: "refused", error });
          return;
        }
        this.#set(seen ? this.#following(this.#view ?? seen, true) : { phase: "starting", trouble: true });
        await this.#sleep(run, backoffMs[Math.min(failures, backoffMs.length - 1)] ?? 1_000);
        failures += 1;
      }
      if (ended(run)) return;
    }
    if (!ended(run) && this.running) this.#set({ phase: "lost", view: this.#view });
  }

  /** A view from galleyd, unless an older one than what is shown. */
  #show(view: CheckoutView, trouble?: boolean): void {
    if (view.id !== this.id) return;
    if (this.#view && view.version < this.#view.version) return;
    const now = this.#state;
    const wasTrouble = now.phase === "following" || now.phase === "starting" ? now.trouble : false;
    // A long-poll that ran out without news changes nothing on screen.
    if (now.phase === "following" && now.view.version === view.version && wasTrouble === (trouble ?? wasTrouble))
      return;
    this.#view = view;
    this.#set(this.#following(view, trouble ?? wasTrouble));
  }

  #following(view: CheckoutView, trouble: boolean): CardCheckoutState {
    const now = this.#state;
    const cancelling = !view.done && now.phase === "following" && now.cancelling;
    return { phase: "following", view, trouble, cancelling };
  }

  #sleep(run: Run, ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        run.wake = undefined;
        resolve();
      };
      const timer = setTimeout(wake, ms);
      run.wake = wake;
    });
  }

  #set(state: CardCheckoutState): void {
    this.#state = state;
    for (const listener of this.#listeners) listener(state);
  }
}
