/**
 * WebSocket messages at `/ws`. A client subscribes to topics; for each it gets a snapshot (or,
 * when it resumes with `since`, exactly the deltas it missed), then live deltas. Every delta
 * carries the journal `seq` of its event; `ready` tells the client the seq it is now current to.
 */
import { Type, type Static } from "typebox";
import type { Availability } from "./menu.ts";
import type { OrderView } from "./orders.ts";
import type { DevicesDelta, DevicesStatus } from "./devices.ts";
import type { SyncStatus, SyncStatusDelta } from "./sync.ts";
import { Slug, Uuid } from "./common.ts";
import { TOPICS, type Topic } from "../core/push.ts";

export { PUSH_CLOSE, TOPICS, type Topic } from "../core/push.ts";

export const SubscribeMessage = Type.Object(
  {
    type: Type.Literal("subscribe"),
    topic: Type.Enum(TOPICS),
    /** kitchen: only tickets with lines for this station. */
    station: Type.Optional(Slug),
    /** order: the order to follow. */
    orderId: Type.Optional(Uuid),
    /** Resume: the last seq this client applied. */
    since: Type.Optional(Type.Integer({ minimum: 0 })),
  },
  { additionalProperties: false },
);
export const UnsubscribeMessage = Type.Object(
  { type: Type.Literal("unsubscribe"), topic: Type.Enum(TOPICS) },
  { additionalProperties: false },
);
export const ClientMessage = Type.Union([SubscribeMessage, UnsubscribeMessage]);
export type ClientMessage = Static<typeof ClientMessage>;
export type SubscribeMessage = Static<typeof SubscribeMessage>;

/** A change to one order, as the kitchen, the board and order followers see it. */
export interface OrderDelta {
  kind: "order";
  /** What happened: placed, a status change, or an item marked done in the kitchen. */
  event: "order.placed" | "order.status_changed" | "order.line_marked";
  order: OrderView;
}

/** Availability changed (sold out / back, stock moved). */
export interface AvailabilityDelta {
  kind: "availability";
  availability: Availability;
}

/** The menu was replaced by an import. */
export interface MenuReplacedDelta {
  kind: "menu_replaced";
}

/** `devices` (any signed-in screen): the whole device state on every change (devices.ts); never replayed — a resume gets a fresh snapshot. */
export type Delta = OrderDelta | AvailabilityDelta | MenuReplacedDelta | DevicesDelta | SyncStatusDelta;

export type TopicSnapshot =
  | { topic: "kitchen" | "board"; orders: OrderView[] }
  | { topic: "order"; order: OrderView }
  | { topic: "menu"; availability: Availability }
  | { topic: "devices"; devices: DevicesStatus }
  | { topic: "sync"; status: SyncStatus };

export type ServerMessage =
  | {
      type: "hello";
      seq: number;
      principal: { kind: "user" | "device"; name: string; role: string };
      heartbeatMs: number;
    }
  /** Full state of a topic as of `seq`. */
  | { type: "snapshot"; topic: Topic; seq: number; data: TopicSnapshot }
  /** One change; `seq` is the journal seq of the event that caused it. */
  | { type: "delta"; topic: Topic; seq: number; data: Delta }
  /** The client is current up to `seq` for this topic (after a snapshot or a replay). */
  | { type: "ready"; topic: Topic; seq: number; replayed: number }
  | { type: "error"; code: string; message: string };
