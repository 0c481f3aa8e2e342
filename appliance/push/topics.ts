/**
 * What each push topic means, apart from any socket: who may subscribe to it, its snapshot, and
 * the delta one committed journal event makes for one subscription. Live deltas and replays are
 * both built by `deltaFor`, which is why a screen that resumes sees what a connected one saw.
 */
import { availability } from "../commands/catalogue.ts";
import type { CommandContext } from "../commands/context.ts";
import { mayRead, queue, readableOrder } from "../commands/orders.ts";
import { orderView, orderViewAt, stateInEvent } from "../commands/views.ts";
import { forStation } from "../../protocol/index.ts";
import { can } from "../../protocol/core/permissions.ts";
import { AppError } from "../lib/errors.ts";
import type { EventType, JournalEvent } from "../journal/events.ts";
import { getOrder, type OrderSnapshot } from "../journal/order-store.ts";
import type { Principal } from "../../protocol/schemas/auth.ts";
import type { DevicesStatus } from "../../protocol/schemas/devices.ts";
import type { OrderView } from "../../protocol/schemas/orders.ts";
import type { Delta, OrderDelta, ServerMessage, SubscribeMessage, Topic } from "../../protocol/schemas/push.ts";
import type { SyncStatus } from "../../protocol/schemas/sync.ts";

const ORDER_EVENTS: readonly EventType[] = ["order.placed", "order.status_changed", "order.line_marked"];
const MENU_EVENTS: readonly EventType[] = ["menu.availability_changed", "stock.set", "menu.imported", "order.placed"];

export interface Subscription {
  topic: Topic;
  station?: string;
  orderId?: string;
}

/** Where the snapshots of topics owned by other layers come from (unset while that layer is not running). */
export interface TopicSources {
  ctx: CommandContext;
  /** The devices topic (appliance/devices). */
  devices: (() => DevicesStatus) | undefined;
  /** The sync topic (appliance/sync). */
  sync: (() => SyncStatus) | undefined;
}

export type SnapshotData = Extract<ServerMessage, { type: "snapshot" }>["data"];

/** Order snapshots already loaded while building deltas, by order id (one per publish or replay). */
export type OrderSnapshots = Map<string, OrderSnapshot>;

/** The subscription `message` asks for, or an AppError when `principal` may not have it. */
export function subscriptionFor(ctx: CommandContext, principal: Principal, message: SubscribeMessage): Subscription {
  const role = principal.role;
  switch (message.topic) {
    case "kitchen":
      if (!can(role, "queue:read")) throw new AppError("forbidden", "the kitchen topic needs queue:read");
      break;
    case "board":
      if (!can(role, "board:read") && !can(role, "queue:read"))
        throw new AppError("forbidden", "the board topic needs board:read");
      break;
    case "menu":
      if (!can(role, "menu:read")) throw new AppError("forbidden", "the menu topic needs menu:read");
      break;
    case "devices":
      // Every screen may see the device state: kiosks need the ordering state, kitchens printer faults. No URIs in it.
      break;
    case "sync":
      if (!can(role, "sync:read")) throw new AppError("forbidden", "the sync topic needs sync:read");
      break;
    case "order": {
      if (!message.orderId) throw new AppError("validation_failed", "the order topic needs orderId");
      readableOrder(ctx, principal, message.orderId);
      break;
    }
  }
  return {
    topic: message.topic,
    ...(message.station ? { station: message.station } : {}),
    ...(message.orderId ? { orderId: message.orderId } : {}),
  };
}

/**
 * The event types a resuming subscriber of `topic` is replayed, or undefined when the topic is
 * not replayed: menu, devices and sync are small state, so a fresh snapshot is cheaper and exact.
 */
export function replayedEvents(topic: Topic): readonly EventType[] | undefined {
  return topic === "menu" || topic === "devices" || topic === "sync" ? undefined : ORDER_EVENTS;
}

export function snapshotFor(sources: TopicSources, principal: Principal, subscription: Subscription): SnapshotData {
  const { ctx } = sources;
  switch (subscription.topic) {
    case "kitchen":
      return { topic: "kitchen", orders: queue(ctx, subscription.station ? { station: subscription.station } : {}) };
    case "board":
      return { topic: "board", orders: queue(ctx) };
    case "menu":
      return { topic: "menu", availability: availability(ctx) };
    case "devices":
      if (!sources.devices) throw new AppError("device_not_configured", "galleyd runs without its device layer");
      return { topic: "devices", devices: sources.devices() };
    case "sync":
      if (!sources.sync) throw new AppError("internal_error", "sync is not running");
      return { topic: "sync", status: sources.sync() };
    case "order": {
      const record = getOrder(ctx.journal, subscription.orderId ?? "");
      if (!record || !mayRead(principal, record.placedById)) throw new AppError("order_not_found", "no such order");
      return { topic: "order", order: orderView(ctx.config, record) };
    }
  }
}

/** The delta `event` means for one subscription, or undefined if it does not concern it. */
export function deltaFor(
  ctx: CommandContext,
  principal: Principal,
  subscription: Subscription,
  event: JournalEvent,
  snapshots: OrderSnapshots,
): Delta | undefined {
  if (subscription.topic === "devices" || subscription.topic === "sync") return undefined;
  if (subscription.topic === "menu") {
    if (!MENU_EVENTS.includes(event.type)) return undefined;
    if (event.type === "menu.imported") return { kind: "menu_replaced" };
    return { kind: "availability", availability: availability(ctx) };
  }
  if (!ORDER_EVENTS.includes(event.type) || !event.aggregateId) return undefined;
  if (subscription.topic === "order" && subscription.orderId !== event.aggregateId) return undefined;
  const view = orderViewAtEvent(ctx, event, snapshots);
  if (!view) return undefined;
  if (subscription.topic === "order" && !mayRead(principal, view.placedBy.id)) return undefined;
  const shown =
    subscription.topic === "kitchen" && subscription.station ? forStation(view, subscription.station) : view;
  if (!shown) return undefined;
  return { kind: "order", event: event.type as OrderDelta["event"], order: shown };
}

function orderViewAtEvent(ctx: CommandContext, event: JournalEvent, snapshots: OrderSnapshots): OrderView | undefined {
  const id = event.aggregateId ?? "";
  let snapshot = snapshots.get(id);
  if (!snapshot) {
    snapshot = event.type === "order.placed" ? event.payload.order : getOrder(ctx.journal, id)?.snapshot;
    if (!snapshot) return undefined;
    snapshots.set(id, snapshot);
  }
  return orderViewAt(ctx.config, snapshot, stateInEvent(event), event.createdAt, event.seq);
}
