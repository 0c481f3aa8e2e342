/**
 * The order state machine (docs/architecture.md#orders-carts-and-payments):
 *
 *   pending → in_queue → in_progress → ready → completed → refunded
 *   any non-terminal state → cancelled
 *
 * plus one step back ("recall") from in_progress and ready, which the kitchen's undo needs.
 * Which states are terminal is configured per channel; refunded and cancelled always are.
 */
import type { ChannelFlow } from "../config/schema.ts";
import type { OrderStatus } from "../../protocol/schemas/common.ts";
import type { Permission } from "../../protocol/core/permissions.ts";

const FORWARD: Readonly<Record<OrderStatus, OrderStatus | null>> = {
  pending: "in_queue",
  in_queue: "in_progress",
  in_progress: "ready",
  ready: "completed",
  completed: "refunded",
  refunded: null,
  cancelled: null,
};

const RECALL: Readonly<Partial<Record<OrderStatus, OrderStatus>>> = {
  in_progress: "in_queue",
  ready: "in_progress",
};

const ALWAYS_TERMINAL: readonly OrderStatus[] = ["refunded", "cancelled"];

export function isTerminal(status: OrderStatus, flow: Pick<ChannelFlow, "terminalStatuses">): boolean {
  return ALWAYS_TERMINAL.includes(status) || flow.terminalStatuses.includes(status);
}

/** The states `status` may move to, in the order a screen would offer them. */
export function allowedNext(status: OrderStatus, flow: Pick<ChannelFlow, "terminalStatuses">): OrderStatus[] {
  if (isTerminal(status, flow)) return [];
  const next: OrderStatus[] = [];
  const forward = FORWARD[status];
  if (forward) next.push(forward);
  const back = RECALL[status];
  if (back) next.push(back);
  next.push("cancelled");
  return next;
}

/** Active orders are the kitchen's and the board's business: not yet handed over or stopped. */
export const ACTIVE_STATUSES: readonly OrderStatus[] = ["pending", "in_queue", "in_progress", "ready"];

export function isActive(status: OrderStatus): boolean {
  return ACTIVE_STATUSES.includes(status);
}

/** The permission a move needs: kitchen staff progress orders, cashiers cancel, managers refund. */
export function permissionFor(to: OrderStatus): Permission {
  switch (to) {
    case "cancelled":
      return "orders:cancel";
    case "refunded":
      return "orders:refund";
    case "pending":
    case "in_queue":
    case "in_progress":
    case "ready":
    case "completed":
      return "orders:progress";
  }
}

export type TransitionCheck = { ok: true } | { ok: false; allowed: OrderStatus[] };

export function checkTransition(
  from: OrderStatus,
  to: OrderStatus,
  flow: Pick<ChannelFlow, "terminalStatuses">,
): TransitionCheck {
  const allowed = allowedNext(from, flow);
  return allowed.includes(to) ? { ok: true } : { ok: false, allowed };
}
