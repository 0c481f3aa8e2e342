/**
 * The ticket a cashier is building, kept in the browser's storage on every change: a reload, a
 * lock and sign-in, or galleyd restarting leaves it as it was (the menu's own pricing previews
 * each line, line-draft.ts; the order galleyd places is the price that counts).
 *
 * The order id is made once per ticket and is the Idempotency-Key of `POST /api/orders`: once the
 * ticket was sent and no answer came, its lines are frozen (`sending`) and only the same request
 * goes out again, so a lost answer can never make a second order. A definite refusal (galleyd
 * answered 4xx: nothing was written) unfreezes it with a new id. What is being paid is kept the
 * same way: a cash payment sent without an answer (`cash`), a card checkout (`checkoutId`).
 * Framework-free: storage is injected.
 */
import type { OrderView, PlaceOrderBody } from "../../../../protocol/index.ts";
import { newOrderId } from "../../data/ids.ts";
import { lineTotal, sameChoices, toLineInput, type LineDraft } from "../../data/line-draft.ts";
import type { MenuCatalog } from "../../data/menu-catalog.ts";
import type { KeyValueStore } from "../../data/screen-session.ts";

/** Where the ticket is kept (one counter per browser profile). */
export const TICKET_KEY = "galley.counter.ticket";

/** Most units of one line the ticket offers (galleyd's `orders.maxQuantityPerLine` defaults to 50). */
export const MAX_LINE_QUANTITY = 50;

/** Eat in or take away (the optional `serviceMode` of `POST /api/orders`). */
export type ServiceMode = NonNullable<PlaceOrderBody["serviceMode"]>;

export interface TicketLine {
  key: string;
  draft: LineDraft;
}

/** A cash payment handed to galleyd and not yet answered: sent again with the same id. */
export interface PendingCash {
  id: string;
  amount: number;
  tendered: number;
}

interface TicketData {
  version: 1;
  orderId: string;
  lines: TicketLine[];
  serviceMode: ServiceMode | undefined;
  pickupName: string;
  table: string;
  sending: boolean;
  order: OrderView | undefined;
  cash: PendingCash | undefined;
  checkoutId: string | undefined;
  nextKey: number;
}

function emptyTicket(): TicketData {
  return {
    version: 1,
    orderId: newOrderId(),
    lines: [],
    serviceMode: undefined,
    pickupName: "",
    table: "",
    sending: false,
    order: undefined,
    cash: undefined,
    checkoutId: undefined,
    nextKey: 1,
  };
}

/** The stored ticket, or undefined when there is none or it is not one (an older screen's, a hand edit). */
function parse(text: string | null): TicketData | undefined {
  if (!text) return undefined;
  try {
    const data = JSON.parse(text) as Partial<TicketData>;
    if (data.version !== 1 || typeof data.orderId !== "string" || !Array.isArray(data.lines)) return undefined;
    return { ...emptyTicket(), ...data };
  } catch {
    return undefined;
  }
}

export class Ticket {
  readonly #storage: KeyValueStore;
  readonly #key: string;
  readonly #listeners = new Set<() => void>();
  #data: TicketData;

  constructor(storage: KeyValueStore, key = TICKET_KEY) {
    this.#storage = storage;
    this.#key = key;
    this.#data = parse(storage.getItem(key)) ?? emptyTicket();
  }

  get orderId(): string {
    return this.#data.orderId;
  }

  get lines(): readonly TicketLine[] {
    return this.#data.lines;
  }

  get serviceMode(): ServiceMode | undefined {
    return this.#data.serviceMode;
  }

  get pickupName(): string {
    return this.#data.pickupName;
  }

  get table(): string {
    return this.#data.table;
  }

  /** Sent to galleyd without an answer yet: only the same request may go out again. */
  get sending(): boolean {
    return this.#data.sending;
  }

  /** The order galleyd placed from this ticket. */
  get order(): OrderView | undefined {
    return this.#data.order;
  }

  get pendingCash(): PendingCash | undefined {
    return this.#data.cash;
  }

  get checkoutId(): string | undefined {
    return this.#data.checkoutId;
  }

  /** The lines can no longer change: sent, or placed. */
  get locked(): boolean {
    return this.#data.sending || this.#data.order !== undefined;
  }

  get isEmpty(): boolean {
    return this.#data.lines.length === 0;
  }

  /** Units on the ticket (two burgers and a cola: 3). */
  get count(): number {
    return this.#data.lines.reduce((sum, line) => sum + line.draft.quantity, 0);
  }

  onChange(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** The lines' prices as the menu has them (galleyd's order says what is due). */
  subtotal(catalog: MenuCatalog): number {
    return this.#data.lines.reduce((sum, line) => sum + lineTotal(catalog, line.draft), 0);
  }

  /** Adds a line, or raises the quantity of one with the same choices; returns its key. */
  add(draft: LineDraft): string | undefined {
    if (this.locked) return undefined;
    const same = this.#data.lines.find((line) => sameChoices(line.draft, draft));
    if (same) {
      this.setQuantity(same.key, same.draft.quantity + draft.quantity);
      return same.key;
    }
    const key = `line-${this.#data.nextKey}`;
    const line = { key, draft: { ...structuredClone(draft), quantity: clamp(draft.quantity) } };
    this.#update({ lines: [...this.#data.lines, line], nextKey: this.#data.nextKey + 1 });
    return key;
  }

  /** A new quantity for a line; 0 removes it. */
  setQuantity(key: string, quantity: number): void {
    if (this.locked) return;
    if (quantity <= 0) {
      this.remove(key);
      return;
    }
    this.#update({
      lines: this.#data.lines.map((line) =>
        line.key === key ? { ...line, draft: { ...line.draft, quantity: clamp(quantity) } } : line,
      ),
    });
  }

  /** The line's choices changed on the item page. */
  replace(key: string, draft: LineDraft): void {
    if (this.locked) return;
    this.#update({
      lines: this.#data.lines.map((line) => (line.key === key ? { key, draft: structuredClone(draft) } : line)),
    });
  }

  remove(key: string): void {
    if (this.locked) return;
    this.#update({ lines: this.#data.lines.filter((line) => line.key !== key) });
  }

  setServiceMode(mode: ServiceMode | undefined): void {
    if (this.locked) return;
    this.#update({ serviceMode: mode, ...(mode === "take_away" ? { table: "" } : {}) });
  }

  setPickupName(name: string): void {
    if (!this.locked) this.#update({ pickupName: name.slice(0, 40) });
  }

  setTable(table: string): void {
    if (!this.locked) this.#update({ table: table.slice(0, 12) });
  }

  /** What `POST /api/orders` gets: only the optional fields the cashier filled in. */
  placeBody(): PlaceOrderBody {
    const d = this.#data;
    const name = d.pickupName.trim();
    const table = d.table.trim();
    return {
      id: d.orderId,
      items: d.lines.map((line) => toLineInput(line.draft)),
      ...(name ? { pickupName: name } : {}),
      ...(d.serviceMode ? { serviceMode: d.serviceMode } : {}),
      ...(table && d.serviceMode !== "take_away" ? { table } : {}),
    };
  }

  /** The placing is on its way: frozen until galleyd answers. */
  markSending(): void {
    this.#update({ sending: true });
  }

  placed(order: OrderView): void {
    this.#update({ sending: false, order });
  }

  /** galleyd refused the order (nothing written): editable again, and the next try is a new request. */
  refused(): void {
    this.#update({ sending: false, orderId: newOrderId() });
  }

  setPendingCash(cash: PendingCash | undefined): void {
    this.#update({ cash });
  }

  setCheckout(id: string | undefined): void {
    this.#update({ checkoutId: id });
  }

  /** An order placed earlier (the Orders tab's "Take payment"), to pay here; only over an empty ticket. */
  adopt(order: OrderView): boolean {
    if (!this.isEmpty || this.locked) return false;
    this.#data = { ...emptyTicket(), orderId: order.id, order };
    this.#save();
    return true;
  }

  /** A new, empty ticket (after the order was paid, or the cashier threw the ticket away). */
  clear(): void {
    this.#data = emptyTicket();
    this.#save();
  }

  #update(change: Partial<TicketData>): void {
    this.#data = { ...this.#data, ...change };
    this.#save();
  }

  #save(): void {
    try {
      this.#storage.setItem(this.#key, JSON.stringify(this.#data));
    } catch {
      // A full or refused storage: the ticket still works, it only would not survive a reload.
    }
    for (const listener of this.#listeners) listener();
  }
}

function clamp(quantity: number): number {
  return Math.max(1, Math.min(MAX_LINE_QUANTITY, Math.round(quantity)));
}
