/**
 * The pickup board: order numbers under "Preparing" and "Ready", from the `board` topic.
 *
 * - A number that moves to Ready while the board watches is highlighted for `highlightMs` (and
 *   the app chimes); numbers already ready when the board (re)loads are not, so a reconnect does
 *   not ring for old orders.
 * - A ready number leaves when its order is completed, or `clearAfterMs` after it became ready
 *   (customers who never came), by the appliance's clock.
 */
import type { OrderView } from "../../../protocol/index.ts";

export interface BoardEntry {
  id: string;
  number: number;
  /** Appliance time (epoch ms) the order became ready. */
  readyAt?: number;
  /** Local time the board saw it turn ready, for the highlight. */
  turnedReadyAt?: number;
  /** The order's seq this entry reflects. */
  seq: number;
  /** When the order was placed (ISO), for "oldest first". */
  createdAt: string;
}

export interface BoardView {
  preparing: BoardEntry[];
  ready: BoardEntry[];
}

export interface PickupBoardOptions {
  clearAfterMs: number;
  highlightMs: number;
}

const PREPARING = new Set(["pending", "in_queue", "in_progress"]);

export class PickupBoard {
  readonly #options: PickupBoardOptions;
  readonly #preparing = new Map<string, BoardEntry>();
  readonly #ready = new Map<string, BoardEntry>();

  constructor(options: PickupBoardOptions) {
    this.#options = options;
  }

  applySnapshot(orders: readonly OrderView[]): void {
    this.#preparing.clear();
    this.#ready.clear();
    for (const order of orders) this.#place(order, undefined);
  }

  /** Applies one order; true when it just turned ready (chime). */
  applyOrder(order: OrderView, localNow: number): boolean {
    const known = this.#preparing.get(order.id) ?? this.#ready.get(order.id);
    if (known && known.seq >= order.seq) return false;
    const wasReady = this.#ready.get(order.id);
    if (wasReady && order.status === "ready") {
      // Still ready (a later event such as an item mark): keep when it turned ready.
      this.#ready.set(order.id, { ...wasReady, seq: order.seq });
      return false;
    }
    this.#preparing.delete(order.id);
    this.#ready.delete(order.id);
    const entry = this.#place(order, localNow);
    return entry !== undefined && order.status === "ready";
  }

  isHighlighted(entry: BoardEntry, localNow: number): boolean {
    return entry.turnedReadyAt !== undefined && localNow - entry.turnedReadyAt < this.#options.highlightMs;
  }

  /** What the board shows at appliance time `serverNow`: preparing oldest first, ready newest first. */
  view(serverNow: number): BoardView {
    const preparing = [...this.#preparing.values()].sort((a, b) =>
      a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : a.number - b.number,
    );
    const ready = [...this.#ready.values()]
      .filter((e) => e.readyAt === undefined || serverNow - e.readyAt < this.#options.clearAfterMs)
      .sort((a, b) => (b.readyAt ?? 0) - (a.readyAt ?? 0) || b.seq - a.seq);
    return { preparing, ready };
  }

  #place(order: OrderView, localNow: number | undefined): BoardEntry | undefined {
    if (PREPARING.has(order.status)) {
      const entry: BoardEntry = { id: order.id, number: order.number, seq: order.seq, createdAt: order.createdAt };
      this.#preparing.set(order.id, entry);
      return entry;
    }
    if (order.status === "ready") {
      const readyAt = Date.parse(order.updatedAt);
      const entry: BoardEntry = {
        id: order.id,
        number: order.number,
        seq: order.seq,
        createdAt: order.createdAt,
        ...(Number.isNaN(readyAt) ? {} : { readyAt }),
        ...(localNow !== undefined ? { turnedReadyAt: localNow } : {}),
      };
      this.#ready.set(order.id, entry);
      return entry;
    }
    return undefined;
  }
}
