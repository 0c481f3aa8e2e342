/**
 * Turning the ticket into a paid order, for the counter's new-order screen: placing it
 * (`POST /api/orders`), reading what is due (`GET /api/orders/:id/payments`) and taking cash
 * (`POST /api/orders/:id/payments`). Card payments are card-checkout.ts's, followed by
 * galley-counter-pay-card.ts.
 *
 * Every request that writes carries an id the ticket keeps (counter-ticket.ts) before it is sent.
 * Without an answer it is sent again, with the same id, a few times with back-off; then the flow
 * says so (`trouble`) and goes on trying when the connection comes back (`resume()`) or the
 * cashier asks. galleyd returns the stored order or payment for a repeated id, so nothing is ever
 * placed or taken twice. A refusal (4xx; the ordering gate's `kitchen_unreachable`, retried
 * a while first) wrote nothing: the cashier is told why, in words.
 */
import type { OrderView, PaymentView, PaymentsSummary } from "../../../../protocol/index.ts";
import { ApiError, CLIENT_ERRORS, type ApiClient } from "../../data/api.ts";
import { newOrderId } from "../../data/ids.ts";
import { fetchOrderPayments } from "./counter-panels-endpoints.ts";
import { createCounterOrder, createPayment } from "./counter-endpoints.ts";
import type { Ticket } from "./counter-ticket.ts";

/** Waits between the automatic retries of a request that got no answer. */
const RETRY_DELAYS_MS = [500, 1_000, 2_000, 4_000];

export type PayActivity = "idle" | "placing" | "cash";

/**
 * The ordering gate refuses orders while no kitchen printer or screen answers (right after
 * galleyd started, before the printers are back): nothing was written, and it opens by itself.
 */
const KITCHEN_UNREACHABLE = "kitchen_unreachable";

/** Sent again by itself: no answer, a server that is busy or restarting, the kitchen coming back. */
function worthRetrying(error: ApiError): boolean {
  return error.retryable || error.code === KITCHEN_UNREACHABLE;
}

function asApiError(error: unknown): ApiError {
  return error instanceof ApiError ? error : new ApiError(0, CLIENT_ERRORS.network, String(error));
}

export class CounterPayFlow {
  readonly #api: ApiClient;
  readonly #ticket: Ticket;
  readonly #onChange: () => void;
  #activity: PayActivity = "idle";
  #trouble = false;
  #error: ApiError | undefined;
  #summary: PaymentsSummary | undefined;
  #lastCash: PaymentView | undefined;

  constructor(api: ApiClient, ticket: Ticket, onChange: () => void) {
    this.#api = api;
    this.#ticket = ticket;
    this.#onChange = onChange;
  }

  /** What is under way. */
  get activity(): PayActivity {
    return this.#activity;
  }

  /** The request under way got no answer (yet): it is being sent again. */
  get trouble(): boolean {
    return this.#trouble;
  }

  /** The last refusal (or an answer that never came), until the next attempt. */
  get error(): ApiError | undefined {
    return this.#error;
  }

  /** The order's payments and what is still due, as galleyd last said. */
  get summary(): PaymentsSummary | undefined {
    return this.#summary;
  }

  /** The last cash payment: its change is shown big. */
  get lastCash(): PaymentView | undefined {
    return this.#lastCash;
  }

  /** Still owed: galleyd's word, or the placed order's total before it answered. */
  get due(): number | undefined {
    return this.#summary?.due ?? this.#ticket.order?.totals.total;
  }

  get paidInFull(): boolean {
    return this.#summary !== undefined && this.#summary.due <= 0 && this.#summary.paid > 0;
  }

  clearError(): void {
    this.#error = undefined;
    this.#onChange();
  }

  /** Places the ticket (again, with the same id, when it was sent without an answer). */
  async place(): Promise<OrderView | undefined> {
    const ticket = this.#ticket;
    if (ticket.order) return ticket.order;
    if (ticket.isEmpty || this.#activity !== "idle") return undefined;
    ticket.markSending();
    const order = await this.#attempt("placing", () => createCounterOrder(this.#api, ticket.placeBody()));
    if (order) {
      ticket.placed(order);
      await this.refresh();
    } else if (this.#error && !this.#mayHaveHappened(this.#error)) {
      ticket.refused();
    }
    this.#onChange();
    return order;
  }

  /** Reads what is due on the placed order. */
  async refresh(): Promise<void> {
    const order = this.#ticket.order;
    if (!order) return;
    try {
      this.#summary = await fetchOrderPayments(this.#api, order.id);
    } catch {
      // The last word stands; the next payment or `resume()` reads it again.
    }
    this.#onChange();
  }

  /** Takes cash: `amount` off what is due, `tendered` handed over (change = tendered − amount). */
  async payCash(amount: number, tendered: number): Promise<PaymentView | undefined> {
    const order = this.#ticket.order;
    if (!order || this.#activity !== "idle" || amount <= 0 || tendered < amount) return undefined;
    const pending = this.#ticket.pendingCash ?? { id: newOrderId(), amount, tendered };
    this.#ticket.setPendingCash(pending);
    return this.#sendCash(order.id);
  }

  /**
   * Carries on what was left under way (a reload, galleyd back after a restart): the order sent
   * without an answer, the cash payment sent without an answer, both with their ids.
   */
  async resume(): Promise<void> {
    if (this.#activity !== "idle") return;
    const ticket = this.#ticket;
    if (ticket.sending && !ticket.order) {
      await this.place();
      return;
    }
    const order = ticket.order;
    if (order && ticket.pendingCash) await this.#sendCash(order.id);
    else await this.refresh();
  }

  /** A new ticket: nothing of the last order is shown any more. */
  reset(): void {
    this.#summary = undefined;
    this.#lastCash = undefined;
    this.#error = undefined;
    this.#trouble = false;
    this.#onChange();
  }

  async #sendCash(orderId: string): Promise<PaymentView | undefined> {
    const pending = this.#ticket.pendingCash;
    if (!pending) return undefined;
    const body = { id: pending.id, method: "cash" as const, amount: pending.amount, tendered: pending.tendered };
    const payment = await this.#attempt("cash", () => createPayment(this.#api, orderId, body));
    if (payment) {
      this.#lastCash = payment;
      this.#ticket.setPendingCash(undefined);
      await this.refresh();
    } else if (this.#error && !this.#mayHaveHappened(this.#error)) {
      // Refused (no shift, more than is due): nothing was taken; the next try is a new payment.
      this.#ticket.setPendingCash(undefined);
    }
    this.#onChange();
    return payment;
  }

  /** Sends `request`, again with back-off while no answer comes; undefined when it did not go through. */
  async #attempt<T>(activity: PayActivity, request: () => Promise<T>): Promise<T | undefined> {
    this.#activity = activity;
    this.#error = undefined;
    this.#trouble = false;
    this.#onChange();
    try {
      for (let attempt = 0; ; attempt += 1) {
        try {
          return await request();
        } catch (caught) {
          const error = asApiError(caught);
          const delay = RETRY_DELAYS_MS[attempt];
          if (!worthRetrying(error) || delay === undefined) {
            this.#error = error;
            return undefined;
          }
          this.#trouble = true;
          this.#onChange();
          await new Promise((resolve) => setTimeout(resolve, delay));
        }
      }
    } finally {
      this.#activity = "idle";
      this.#trouble = false;
    }
  }

  /** galleyd may have carried out a request that failed this way: keep its id for the retry. */
  #mayHaveHappened(error: ApiError): boolean {
    if (error.code === KITCHEN_UNREACHABLE) return false;
    return error.status === 0 || error.status >= 500 || error.retryable;
  }
}
