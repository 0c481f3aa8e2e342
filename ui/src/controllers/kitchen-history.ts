/**
 * What the kitchen screen did, so a cook can take it back: undo reverts the last action (a bump,
 * an item mark, a recall); recall brings the last bumped ticket one step back (ready → cooking,
 * cooking → new). Both go through the order's `next` (galleyd's state machine): a step it does
 * not allow (an order already handed over) is reported, not attempted.
 */
import type { OrderStatus, OrderView } from "../../../protocol/index.ts";

export type KitchenAction =
  | { kind: "bump"; orderId: string; number: number; from: OrderStatus; to: OrderStatus }
  | { kind: "recall"; orderId: string; number: number; from: OrderStatus; to: OrderStatus }
  | { kind: "mark"; orderId: string; number: number; mark: string; done: boolean };

/** The request that carries out an undo or recall, or why there is none. */
export type Step =
  | { kind: "status"; orderId: string; number: number; status: OrderStatus }
  | { kind: "mark"; orderId: string; number: number; mark: string; done: boolean }
  | { kind: "impossible"; number: number }
  | { kind: "nothing" };

/** One step back in the state machine: the recall target `next` offers, if any. */
export function backStep(order: Pick<OrderView, "status" | "next">): OrderStatus | undefined {
  const back: Partial<Record<OrderStatus, OrderStatus>> = { in_progress: "in_queue", ready: "in_progress" };
  const target = back[order.status];
  return target && order.next.includes(target) ? target : undefined;
}

export class KitchenHistory {
  readonly #limit: number;
  #actions: KitchenAction[] = [];

  constructor(limit = 50) {
    this.#limit = limit;
  }

  get size(): number {
    return this.#actions.length;
  }

  record(action: KitchenAction): void {
    this.#actions.push(action);
    if (this.#actions.length > this.#limit) this.#actions.shift();
  }

  /**
   * Takes the last action off the history and says how to revert it, given the order as it is
   * now (`find`; undefined when it left the screen).
   */
  undo(find: (orderId: string) => Pick<OrderView, "status" | "next"> | undefined): Step {
    const action = this.#actions.pop();
    if (!action) return { kind: "nothing" };
    if (action.kind === "mark")
      return { kind: "mark", orderId: action.orderId, number: action.number, mark: action.mark, done: !action.done };
    const order = find(action.orderId);
    if (!order || order.status !== action.to || !order.next.includes(action.from))
      return { kind: "impossible", number: action.number };
    return { kind: "status", orderId: action.orderId, number: action.number, status: action.from };
  }

  /**
   * The last bumped ticket, one step back. The bump leaves the history (the next recall reaches
   * the bump before it); the caller records the recall itself, so undo can re-bump.
   */
  recall(find: (orderId: string) => Pick<OrderView, "status" | "next"> | undefined): Step {
    for (let i = this.#actions.length - 1; i >= 0; i -= 1) {
      const action = this.#actions[i];
      if (action?.kind !== "bump") continue;
      this.#actions.splice(i, 1);
      const order = find(action.orderId);
      const target = order ? backStep(order) : undefined;
      if (!order || !target) return { kind: "impossible", number: action.number };
      return { kind: "status", orderId: action.orderId, number: action.number, status: target };
    }
    return { kind: "nothing" };
  }
}
