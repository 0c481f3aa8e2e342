/**
 * The kitchen display's tickets: the open orders of the `kitchen` topic (one station's lines when
 * the screen shows a station), kept from a snapshot plus deltas.
 *
 * - A delta older than what the screen has for that order (by the order's own `seq`) is ignored,
 *   so a replay overlapping live deltas changes nothing.
 * - Cancelled tickets stay, struck through, for `cancelLingerMs` before they leave, so a cook sees
 *   why a ticket vanished. Completed ones leave at once.
 * - Columns and all-day counts are computed once per change (`version`), not per render: with
 *   200 open tickets one update must apply within a frame.
 */
import {
  forStation,
  type LocalizedText,
  type OrderStatus,
  type OrderView,
  type PricedLine,
} from "../../../protocol/index.ts";

export type KitchenColumn = "new" | "cooking" | "ready";
export const KITCHEN_COLUMNS: readonly KitchenColumn[] = ["new", "cooking", "ready"];

export function columnOf(status: OrderStatus): KitchenColumn | undefined {
  switch (status) {
    case "pending":
    case "in_queue":
      return "new";
    case "in_progress":
      return "cooking";
    case "ready":
      return "ready";
    case "completed":
    case "refunded":
    case "cancelled":
      return undefined;
  }
}

export interface Ticket {
  order: OrderView;
  column: KitchenColumn;
  /** Local time the screen saw the cancellation; the ticket leaves `cancelLingerMs` later. */
  cancelledAt?: number;
}

/** Marks the kitchen set on an order: line ids, or `lineId/slotId` for combo components. */
export function marksOf(order: OrderView): ReadonlySet<string> {
  return new Set(order.doneMarks);
}

export const componentMark = (lineId: string, slot: string): string => `${lineId}/${slot}`;

/** A line is done when it is marked, or (combo) every component shown is. */
export function isLineDone(line: PricedLine, marks: ReadonlySet<string>): boolean {
  if (marks.has(line.id)) return true;
  return (
    line.kind === "combo" &&
    line.components.length > 0 &&
    line.components.every((c) => marks.has(componentMark(line.id, c.slot)))
  );
}

export function isTicketDone(order: OrderView): boolean {
  const marks = marksOf(order);
  return order.lines.length > 0 && order.lines.every((line) => isLineDone(line, marks));
}

/** Only the lines (and combo components) one station makes, like galleyd's kitchen topic (protocol's `forStation`); the whole order when no station is set. */
export function stationView(order: OrderView, station: string | undefined): OrderView | undefined {
  return station ? forStation(order, station) : order;
}

export interface AllDayCount {
  itemId: string;
  name: LocalizedText;
  count: number;
}

export type ApplyResult = "added" | "updated" | "removed" | "ignored";

export interface KitchenTicketsOptions {
  cancelLingerMs: number;
  now?: () => number;
}

export class KitchenTickets {
  readonly #options: KitchenTicketsOptions;
  readonly #tickets = new Map<string, Ticket>();
  #version = 0;
  #columns: { version: number; value: Record<KitchenColumn, Ticket[]> } | undefined;
  #allDay: { version: number; value: AllDayCount[] } | undefined;

  constructor(options: KitchenTicketsOptions) {
    this.#options = options;
  }

  /** Changes whenever the tickets do. */
  get version(): number {
    return this.#version;
  }

  get size(): number {
    return this.#tickets.size;
  }

  get(id: string): Ticket | undefined {
    return this.#tickets.get(id);
  }

  applySnapshot(orders: readonly OrderView[]): void {
    this.#tickets.clear();
    for (const order of orders) {
      const column = columnOf(order.status);
      if (column) this.#tickets.set(order.id, { order, column });
    }
    this.#changed();
  }

  /** One order as a delta brought it. */
  applyOrder(order: OrderView): ApplyResult {
    const existing = this.#tickets.get(order.id);
    if (existing && existing.order.seq >= order.seq) return "ignored";
    const column = columnOf(order.status);
    if (order.status === "cancelled") {
      if (!existing) return "ignored";
      this.#tickets.set(order.id, { order, column: existing.column, cancelledAt: this.#now() });
      this.#changed();
      return "updated";
    }
    if (!column) {
      if (!existing) return "ignored";
      this.#tickets.delete(order.id);
      this.#changed();
      return "removed";
    }
    this.#tickets.set(order.id, { order, column });
    this.#changed();
    return existing ? "updated" : "added";
  }

  /** Removes cancelled tickets whose time to linger is over. Returns whether any left. */
  sweep(now = this.#now()): boolean {
    let removed = false;
    for (const [id, ticket] of this.#tickets) {
      if (ticket.cancelledAt !== undefined && now - ticket.cancelledAt >= this.#options.cancelLingerMs) {
        this.#tickets.delete(id);
        removed = true;
      }
    }
    if (removed) this.#changed();
    return removed;
  }

  /** Tickets per column, oldest first. */
  columns(): Record<KitchenColumn, Ticket[]> {
    if (this.#columns?.version === this.#version) return this.#columns.value;
    const value: Record<KitchenColumn, Ticket[]> = { new: [], cooking: [], ready: [] };
    for (const ticket of this.#tickets.values()) value[ticket.column].push(ticket);
    for (const column of KITCHEN_COLUMNS) value[column].sort(byAge);
    this.#columns = { version: this.#version, value };
    return value;
  }

  /** All tickets in screen order: the new column, then cooking, then ready. */
  ordered(): Ticket[] {
    const columns = this.columns();
    return KITCHEN_COLUMNS.flatMap((c) => columns[c]);
  }

  /**
   * How many of each item are still to make: every line (or combo component) of tickets not yet
   * ready, cancelled or marked done, times its quantity. Most first.
   */
  allDay(): AllDayCount[] {
    if (this.#allDay?.version === this.#version) return this.#allDay.value;
    const counts = new Map<string, AllDayCount>();
    const add = (itemId: string, name: LocalizedText, n: number) => {
      const entry = counts.get(itemId);
      if (entry) entry.count += n;
      else counts.set(itemId, { itemId, name, count: n });
    };
    for (const ticket of this.#tickets.values()) {
      if (ticket.column === "ready" || ticket.cancelledAt !== undefined) continue;
      const marks = marksOf(ticket.order);
      for (const line of ticket.order.lines) {
        if (marks.has(line.id)) continue;
        if (line.kind === "item") add(line.menuItemId, line.name, line.quantity);
        for (const component of line.components) {
          if (!marks.has(componentMark(line.id, component.slot))) add(component.item, component.name, line.quantity);
        }
      }
    }
    const value = [...counts.values()].sort((a, b) => b.count - a.count || a.itemId.localeCompare(b.itemId));
    this.#allDay = { version: this.#version, value };
    return value;
  }

  #changed(): void {
    this.#version += 1;
  }

  #now(): number {
    return (this.#options.now ?? Date.now)();
  }
}

function byAge(a: Ticket, b: Ticket): number {
  return a.order.createdAt < b.order.createdAt
    ? -1
    : a.order.createdAt > b.order.createdAt
      ? 1
      : a.order.number - b.order.number;
}
