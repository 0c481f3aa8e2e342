/**
 * The kiosk's cart, kept by the appliance as a cart session (README "Carts"). Every change goes
 * to `/api/sessions/:id/lines`, and the reply — the whole cart as the appliance priced it, each
 * line with its availability and stock hold — replaces what the kiosk shows. An item that counts
 * stock is held for this kiosk while it sits in the cart, so a second kiosk cannot sell the last
 * one meanwhile; abandoning the cart (start over, idle reset) releases the holds.
 *
 * - Changes go out one at a time, in the order the customer made them, so the appliance's cart
 *   and the customer's taps cannot cross.
 * - The screen stays responsive meanwhile: a line being added shows at once as `adding`, a
 *   changed quantity shows the wanted quantity (taps in a row are sent as one change), a removed
 *   line is marked `removing`. Prices and totals stay the appliance's last word until it answers.
 * - A refused change (`out_of_stock`, `item_sold_out`, …) is undone on screen and kept in
 *   `error` for the kiosk to explain. A cart the appliance closed (`session_closed`: expired
 *   while idle) is replaced by a new, empty one. After a change with no answer the cart is read
 *   again, so the screen shows what the appliance has.
 * - A new customer always starts empty: an open cart the appliance still has for this kiosk with
 *   lines in it (left by a reload, or an abandon that never arrived) is abandoned first — and
 *   already when the kiosk comes up (`releaseLeftover`), so its holds do not wait for a customer.
 *
 * The queue is cart-queue.ts, the lines shown while changes are under way cart-lines.ts, and
 * what can be wrong with a line or a change cart-problems.ts. Framework-free (tests run it against
 * a real galleyd).
 */
import type { LinePatch, LocalizedText, SessionView, Totals } from "../../../protocol/index.ts";
import { ApiError, CLIENT_ERRORS, type ApiClient } from "./api.ts";
import { PendingLines, type CartLine } from "./cart-lines.ts";
import { cartErrorOf, catalogProblem, isClosed, type CartError, type CartProblem } from "./cart-problems.ts";
import { CartQueue } from "./cart-queue.ts";
import {
  abandonSession,
  createSession,
  createSessionLine,
  deleteSessionLine,
  fetchCurrentSession,
  fetchSession,
  updateSessionLine,
} from "./endpoints.ts";
import { draftFromLine, MAX_KIOSK_QUANTITY, sameChoices, toLineInput, type LineDraft } from "./line-draft.ts";
import type { MenuCatalog } from "./menu-catalog.ts";

export type { CartLine, LinePending } from "./cart-lines.ts";
export { cartErrorOf, type CartError, type CartProblem } from "./cart-problems.ts";

export class CartSession {
  readonly #api: ApiClient;
  readonly #listeners = new Set<() => void>();
  readonly #queue = new CartQueue(() => {
    this.#changed();
  });
  readonly #pending = new PendingLines();
  #view: SessionView | undefined;
  /** The session opened for a generation (abandoned when that customer's cart is reset). */
  #opened: { generation: number; id: string } | undefined;
  #error: CartError | undefined;
  /** Line availability is being read again (after a sold-out change): don't trust `available` meanwhile. */
  #stale = false;
  #lines: readonly CartLine[] = [];

  constructor(api: ApiClient) {
    this.#api = api;
  }

  /** The appliance's cart as last seen. */
  get view(): SessionView | undefined {
    return this.#view;
  }

  get sessionId(): string | undefined {
    return this.#view?.id;
  }

  /** Lines as shown: the appliance's, with what is under way, then lines being added. A new array on every change. */
  get lines(): readonly CartLine[] {
    return this.#lines;
  }

  /** Totals as the appliance computed them (undefined before the first reply). */
  get totals(): Totals | undefined {
    return this.#view?.totals;
  }

  /** Units in the cart as shown (two burgers and a cola: 3), counting lines being added. */
  get count(): number {
    let n = 0;
    for (const line of this.#lines) if (line.pending !== "removing") n += line.draft.quantity;
    return n;
  }

  get isEmpty(): boolean {
    return this.count === 0;
  }

  /** Changes are queued or under way: totals may be about to change. */
  get busy(): boolean {
    return this.#queue.busy;
  }

  /** The last change the appliance refused (or that got no answer), until the next change. */
  get error(): CartError | undefined {
    return this.#error;
  }

  /** The contents as the appliance has them: a checkout retried on an unchanged cart keeps its order id. */
  get signature(): string {
    const view = this.#view;
    return view ? `${view.id}|${view.lines.map((l) => `${l.id}:${l.quantity}:${l.unitPrice}`).join(",")}` : "";
  }

  onChange(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  line(key: string): CartLine | undefined {
    return this.#lines.find((l) => l.key === key);
  }

  clearError(): void {
    if (!this.#error) return;
    this.#error = undefined;
    this.#changed();
  }

  /** A customer starts: opens the kiosk's cart (abandoning a leftover one with lines). */
  start(): Promise<void> {
    return this.#queue.enqueue(async (generation) => {
      await this.#open(generation);
    });
  }

  /** The kiosk came up (a reload): a cart it left with lines in it is abandoned, releasing its holds. */
  releaseLeftover(): Promise<void> {
    return this.#queue.enqueue(async () => {
      if (this.#view) return;
      try {
        const left = await fetchCurrentSession(this.#api);
        if (left.lines.length > 0) await abandonSession(this.#api, left.id);
      } catch {
        // None, or unreachable: the next customer's start abandons it.
      }
    });
  }

  /** Adds a line (or raises the quantity of an identical one). Shown at once as `adding`. */
  add(draft: LineDraft): Promise<void> {
    const add = this.#pending.add(draft);
    this.#error = undefined;
    this.#changed();
    return this.#queue.enqueue(async (generation) => {
      try {
        const id = await this.#open(generation);
        const same = this.#view?.lines.find(
          (l) => !this.#pending.removing.has(l.id) && sameChoices(draftFromLine(l), add.draft),
        );
        if (!same) {
          this.#apply(generation, await createSessionLine(this.#api, id, toLineInput(add.draft)));
          return;
        }
        const wanted = this.#pending.quantities.get(same.id);
        const quantity = Math.min(MAX_KIOSK_QUANTITY, (wanted ?? same.quantity) + add.draft.quantity);
        // A quantity change of that line is queued: it sends the sum.
        if (wanted !== undefined) this.#pending.quantities.set(same.id, quantity);
        else this.#apply(generation, await updateSessionLine(this.#api, id, same.id, { quantity }));
      } catch (error) {
        await this.#failed(generation, error, add.draft.name);
      } finally {
        this.#pending.added(add);
      }
    });
  }

  /** Sets a line's quantity (0 removes it). Taps in a row are sent as one change. */
  setQuantity(key: string, quantity: number): Promise<void> {
    const line = this.#view?.lines.find((l) => l.id === key);
    if (!line || this.#pending.removing.has(key)) return Promise.resolve();
    if (quantity <= 0) return this.remove(key);
    this.#error = undefined;
    this.#pending.quantities.set(key, Math.min(MAX_KIOSK_QUANTITY, Math.round(quantity)));
    this.#changed();
    return this.#queue.enqueue(async (generation) => {
      const wanted = this.#pending.quantities.get(key);
      const current = this.#view?.lines.find((l) => l.id === key);
      if (wanted === undefined || !current || !this.#view) return;
      try {
        if (current.quantity !== wanted)
          this.#apply(generation, await updateSessionLine(this.#api, this.#view.id, key, { quantity: wanted }));
        if (this.#pending.quantities.get(key) === wanted) this.#pending.quantities.delete(key);
      } catch (error) {
        this.#pending.quantities.delete(key);
        await this.#failed(generation, error, current.name);
      }
    });
  }

  /** Replaces a line's choices and quantity after it was changed on the item page. */
  replace(key: string, draft: LineDraft): Promise<void> {
    const line = this.#view?.lines.find((l) => l.id === key);
    if (!line || this.#pending.removing.has(key)) return Promise.resolve();
    const edit = structuredClone(draft);
    this.#error = undefined;
    this.#pending.quantities.delete(key);
    this.#pending.edits.set(key, edit);
    this.#changed();
    return this.#queue.enqueue(async (generation) => {
      const input = toLineInput(edit);
      const patch: LinePatch =
        edit.kind === "item"
          ? { quantity: input.quantity, options: input.options ?? [] }
          : { quantity: input.quantity, slots: input.slots ?? [] };
      try {
        if (!this.#view) return;
        this.#apply(generation, await updateSessionLine(this.#api, this.#view.id, key, patch));
      } catch (error) {
        await this.#failed(generation, error, edit.name);
      } finally {
        if (this.#pending.edits.get(key) === edit) this.#pending.edits.delete(key);
      }
    });
  }

  remove(key: string): Promise<void> {
    const line = this.#view?.lines.find((l) => l.id === key);
    if (!line || this.#pending.removing.has(key)) return Promise.resolve();
    this.#error = undefined;
    this.#pending.quantities.delete(key);
    this.#pending.edits.delete(key);
    this.#pending.removing.add(key);
    this.#changed();
    return this.#queue.enqueue(async (generation) => {
      try {
        if (!this.#view) return;
        this.#apply(generation, await deleteSessionLine(this.#api, this.#view.id, key));
      } catch (error) {
        await this.#failed(generation, error, line.name);
      } finally {
        this.#pending.removing.delete(key);
      }
    });
  }

  /**
   * Reads the cart again (a dish sold out or came back: the appliance re-checks each line). Until
   * the answer, lines' `available` is not trusted, so a dish back on sale does not flicker.
   */
  refresh(): Promise<void> {
    if (!this.#view) return Promise.resolve();
    this.#stale = true;
    return this.#queue.enqueue(async (generation) => {
      await this.#reread(generation);
    });
  }

  /**
   * What a refused checkout means for the cart: a closed cart is replaced by a new one (the
   * customer is told); otherwise the cart is read again so each line shows what is wrong.
   */
  recover(error: unknown): Promise<void> {
    return this.#queue.enqueue(async (generation) => {
      const code = error instanceof ApiError ? error.code : CLIENT_ERRORS.network;
      if (isClosed(code)) await this.#failed(generation, error, undefined);
      else await this.#reread(generation);
    });
  }

  /** Resolves once every queued change has been answered. */
  settled(): Promise<void> {
    return this.#queue.settled();
  }

  /**
   * The customer left (start over, idle reset): the screen forgets the cart at once, and the
   * appliance abandons it — after the change under way, if any — which releases its holds.
   */
  abandon(): Promise<void> {
    const generation = this.#forget();
    return this.#queue.enqueue(async () => {
      const opened = this.#opened;
      if (opened?.generation !== generation) return;
      this.#opened = undefined;
      try {
        await abandonSession(this.#api, opened.id);
      } catch {
        // Unreachable, or already closed: a leftover is abandoned when the next customer starts,
        // and the appliance expires idle carts by itself.
      }
    });
  }

  /** The cart became an order (commit succeeded): forget it; the next customer gets a new one. */
  committed(): void {
    this.#forget();
    this.#opened = undefined;
  }

  /** Why lines cannot be ordered now, by line key (empty when all is well). */
  problems(catalog: MenuCatalog): Map<string, CartProblem> {
    const problems = new Map<string, CartProblem>();
    for (const entry of this.#lines) {
      const { line, draft } = entry;
      if (!line || entry.pending === "removing") continue;
      const problem =
        catalogProblem(catalog, draft) ??
        (line.available || this.#stale ? undefined : { kind: "unavailable" as const });
      if (problem) problems.set(entry.key, problem);
    }
    return problems;
  }

  // ---- internals ---------------------------------------------------------------------------------

  /** The open cart's id, opening one if needed; a leftover with lines is abandoned first. */
  async #open(generation: number): Promise<string> {
    if (this.#view?.state === "open") return this.#view.id;
    let view = await createSession(this.#api);
    if (view.lines.length > 0) {
      // Every customer starts empty: these lines are someone else's.
      await abandonSession(this.#api, view.id);
      view = await createSession(this.#api);
    }
    this.#opened = { generation, id: view.id };
    this.#apply(generation, view);
    return view.id;
  }

  #apply(generation: number, view: SessionView): void {
    if (generation !== this.#queue.generation) return;
    this.#view = view;
    this.#stale = false;
    this.#changed();
  }

  async #reread(generation: number): Promise<void> {
    const id = this.#view?.id;
    if (!id) return;
    try {
      const view = await fetchSession(this.#api, id);
      if (view.state === "open") this.#apply(generation, view);
      else await this.#failed(generation, new ApiError(409, "session_closed", `the cart is ${view.state}`), undefined);
    } catch (error) {
      if (error instanceof ApiError && isClosed(error.code)) await this.#failed(generation, error, undefined);
      // No answer: keep what we have.
    }
  }

  /** A change failed: say why; replace a closed cart; after no answer, read the cart again. */
  async #failed(generation: number, error: unknown, name: LocalizedText | undefined): Promise<void> {
    if (generation !== this.#queue.generation) return;
    const cartError = cartErrorOf(error, name);
    this.#error = cartError;
    this.#changed();
    if (isClosed(cartError.code)) {
      this.#view = undefined;
      try {
        await this.#open(generation);
      } catch {
        // The next change tries again.
      }
    } else if (cartError.status === 0 || cartError.status >= 500) {
      await this.#reread(generation);
    }
  }

  /** Drops everything of the current customer; returns their generation. */
  #forget(): number {
    const generation = this.#queue.advance();
    this.#view = undefined;
    this.#pending.clear();
    this.#error = undefined;
    this.#stale = false;
    this.#changed();
    return generation;
  }

  #changed(): void {
    this.#lines = this.#pending.over(this.#view);
    for (const listener of this.#listeners) listener();
  }
}
