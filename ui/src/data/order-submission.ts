/**
 * One checkout's attempt to turn the kiosk's cart into an order (`POST /api/sessions/:id/commit`).
 * The order id is made once, when the submission is created, and every retry sends the same id
 * (it is also the Idempotency-Key): if galleyd had committed the order and only the answer was
 * lost, the retry gets the stored order back instead of a second one (README "Idempotency").
 *
 * "Placed" only ever follows galleyd's 201 (or its replay of it). A failure is either
 * *definite* (galleyd answered 4xx, or `503 kitchen_unreachable` from the ordering gate, which
 * refuses before anything is written: the customer may change the order) or *uncertain* (no
 * answer, or another 5xx: the order may exist). After an uncertain failure the kiosk offers only
 * "try again" with this same submission, never a changed cart with a new id.
 */
import type { OrderView } from "../../../protocol/index.ts";
import { ApiError, CLIENT_ERRORS, type ApiClient } from "./api.ts";
import { commitSession } from "./endpoints.ts";
import { newOrderId } from "./ids.ts";

export type SubmissionState =
  | { phase: "idle" }
  | { phase: "sending"; attempt: number }
  | { phase: "placed"; order: OrderView; replayed: boolean }
  | { phase: "failed"; error: ApiError; uncertain: boolean };

export interface SubmissionExtra {
  pickupName?: string;
}

/** The cart being committed: its session and the signature of its contents (CartSession.signature). */
export interface SubmissionCart {
  sessionId: string;
  signature: string;
}

export interface SubmitOptions {
  /** Waits before automatic retries of a retryable failure; one retry per entry. */
  retryDelaysMs?: readonly number[];
  sleep?: (ms: number) => Promise<void>;
}

/** Whether galleyd may have carried out a request that failed this way. */
export function mayHaveHappened(error: ApiError): boolean {
  if (error.code === "kitchen_unreachable") return false;
  return error.status === 0 || error.status >= 500;
}

export class OrderSubmission {
  readonly id: string;
  readonly cart: Readonly<SubmissionCart>;
  readonly extra: SubmissionExtra;
  readonly #api: ApiClient;
  readonly #listeners = new Set<(state: SubmissionState) => void>();
  #state: SubmissionState = { phase: "idle" };
  #inFlight: Promise<SubmissionState> | undefined;
  #uncertain = false;

  constructor(api: ApiClient, cart: SubmissionCart, extra: SubmissionExtra = {}, makeId: () => string = newOrderId) {
    this.#api = api;
    this.id = makeId();
    this.cart = { ...cart };
    this.extra = { ...extra };
  }

  get state(): SubmissionState {
    return this.#state;
  }

  /** Whether galleyd might have this order although we have no answer: only retry, never edit. */
  get uncertain(): boolean {
    return this.#uncertain;
  }

  onChange(listener: (state: SubmissionState) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Whether this submission is for exactly this cart (then a retry reuses its id). */
  matches(cart: SubmissionCart, extra: SubmissionExtra = {}): boolean {
    return (
      cart.sessionId === this.cart.sessionId &&
      cart.signature === this.cart.signature &&
      (extra.pickupName ?? "") === (this.extra.pickupName ?? "")
    );
  }

  /** Sends (or re-sends) the order. Concurrent calls share one request: a double tap sends once. */
  submit(options: SubmitOptions = {}): Promise<SubmissionState> {
    if (this.#state.phase === "placed") return Promise.resolve(this.#state);
    this.#inFlight ??= this.#run(options).finally(() => {
      this.#inFlight = undefined;
    });
    return this.#inFlight;
  }

  async #run(options: SubmitOptions): Promise<SubmissionState> {
    const delays = options.retryDelaysMs ?? [700, 1_500];
    const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
    for (let attempt = 1; ; attempt += 1) {
      this.#set({ phase: "sending", attempt });
      try {
        const body = { id: this.id, ...(this.extra.pickupName ? { pickupName: this.extra.pickupName } : {}) };
        const { order, replayed } = await commitSession(this.#api, this.cart.sessionId, body);
        this.#uncertain = false;
        return this.#set({ phase: "placed", order, replayed });
      } catch (caught) {
        const error = caught instanceof ApiError ? caught : new ApiError(0, CLIENT_ERRORS.network, String(caught));
        // No answer or a server fault: the order may have been committed. A refusal wrote nothing.
        this.#uncertain = this.#uncertain || mayHaveHappened(error);
        const delay = delays[attempt - 1];
        if (error.retryable && delay !== undefined) {
          await sleep(delay);
          continue;
        }
        return this.#set({ phase: "failed", error, uncertain: this.#uncertain });
      }
    }
  }

  #set(state: SubmissionState): SubmissionState {
    this.#state = state;
    for (const listener of this.#listeners) listener(state);
    return state;
  }
}
