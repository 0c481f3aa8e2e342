/**
 * The screens' topic stores (data/topic-store.ts): each wraps the data class that already keeps
 * the topic's state as its reducer, so the kitchen's ticket ordering, the board's lists and the
 * rest behave as before, and a screen gets one shared store per topic and parameters.
 */
import type { Availability, DevicesStatus, OrderView, SyncStatus } from "../../../protocol/index.ts";
import { PickupBoard, type PickupBoardOptions } from "./board.ts";
import { KitchenTickets, type ApplyResult, type KitchenTicketsOptions } from "./kitchen-tickets.ts";
import type { PushClient } from "./push.ts";
import { getTopicStore, wholeStateReducer, type TopicStore } from "./topic-store.ts";

/** A kitchen delta that changed the tickets: how, and when applying it began (the bench's measure). */
export interface KitchenChange {
  result: Exclude<ApplyResult, "ignored">;
  started: number;
}

export type KitchenStore = TopicStore<"kitchen", KitchenTickets, KitchenChange>;

/** The kitchen's open tickets (one station's lines with `station`). */
export function kitchenStore(
  push: PushClient,
  options: KitchenTicketsOptions & { station?: string | undefined },
): KitchenStore {
  const { station, ...ticketOptions } = options;
  return getTopicStore(
    push,
    "kitchen",
    () => ({
      init: () => new KitchenTickets(ticketOptions),
      snapshot: (tickets, data) => {
        tickets.applySnapshot(data.orders);
        return tickets;
      },
      delta: (tickets, data) => {
        const started = performance.now();
        const result = tickets.applyOrder(data.order);
        return result === "ignored" ? undefined : { state: tickets, change: { result, started } };
      },
    }),
    station ? { station } : {},
  );
}

/** A board delta: the order it brought, and whether it just turned ready (chime, announcement). */
export interface BoardChange {
  order: OrderView;
  turnedReady: boolean;
}

export type BoardStore = TopicStore<"board", PickupBoard, BoardChange>;

/** The pickup board's Preparing and Ready numbers. */
export function boardStore(push: PushClient, options: PickupBoardOptions): BoardStore {
  return getTopicStore(push, "board", () => ({
    init: () => new PickupBoard(options),
    snapshot: (board, data) => {
      board.applySnapshot(data.orders);
      return board;
    },
    // Every order delta re-renders the board, even one it had already seen (as it always did).
    delta: (board, data) => ({
      state: board,
      change: { order: data.order, turnedReady: board.applyOrder(data.order, Date.now()) },
    }),
  }));
}

export type DevicesStore = TopicStore<"devices", DevicesStatus | undefined>;

/** The whole device state (printers, drawer, display, ordering), sent again on every change. */
export function devicesStore(push: PushClient): DevicesStore {
  return getTopicStore(push, "devices", () =>
    wholeStateReducer<"devices", DevicesStatus>({ snapshot: (data) => data.devices, delta: (data) => data.devices }),
  );
}

export type SyncStore = TopicStore<"sync", SyncStatus | undefined>;

/** The sync backlog per target, sent again on every change. */
export function syncStore(push: PushClient): SyncStore {
  return getTopicStore(push, "sync", () =>
    wholeStateReducer<"sync", SyncStatus>({ snapshot: (data) => data.status, delta: (data) => data.status }),
  );
}

/** A menu delta: new availability, or the menu was replaced (load it again). */
export type MenuChange = "availability" | "menu_replaced";

export type MenuStore = TopicStore<"menu", Availability | undefined, MenuChange>;

/** The menu's live availability (sold out, stock); `menu_replaced` leaves it as it is. */
export function menuStore(push: PushClient): MenuStore {
  return getTopicStore<"menu", Availability | undefined, MenuChange>(push, "menu", () => ({
    init: () => undefined,
    snapshot: (_state, data) => data.availability,
    delta: (state, data) =>
      data.kind === "availability"
        ? { state: data.availability, change: "availability" }
        : { state, change: "menu_replaced" },
  }));
}
