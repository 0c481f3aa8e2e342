/** Builds the API's views from journal records. */
import type { Config } from "../config/schema.ts";
import { allowedNext } from "../domain/order-status.ts";
import type { JournalEvent } from "../journal/events.ts";
import type { OrderRecord, OrderSnapshot } from "../journal/order-store.ts";
import type { OrderStatus } from "../../protocol/schemas/common.ts";
import type { OrderView } from "../../protocol/schemas/orders.ts";

/** The parts of an order that change after commit: every order event's payload carries them as they were after it. */
export interface OrderState {
  status: OrderStatus;
  doneMarks: readonly string[];
}

/**
 * The view of an order as of one of its events: the snapshot is immutable and each order event
 * carries the mutable state after it, so snapshot + that state is exactly what a screen saw at
 * that seq. Live pushes and replays use this one function, which is why they cannot differ.
 */
export function orderViewAt(
  config: Readonly<Config>,
  snapshot: OrderSnapshot,
  state: OrderState,
  updatedAt: string,
  seq: number,
): OrderView {
  const { status, doneMarks } = state;
  return {
    id: snapshot.id,
    ref: snapshot.ref,
    number: snapshot.number,
    businessDate: snapshot.businessDate,
    channel: snapshot.channel,
    status,
    next: allowedNext(status, config.orders.channels[snapshot.channel]),
    doneMarks: [...doneMarks],
    lines: snapshot.lines,
    totals: snapshot.totals,
    ...(snapshot.pickupName ? { pickupName: snapshot.pickupName } : {}),
    ...(snapshot.note ? { note: snapshot.note } : {}),
    ...(snapshot.serviceMode ? { serviceMode: snapshot.serviceMode } : {}),
    ...(snapshot.table ? { table: snapshot.table } : {}),
    placedBy: snapshot.placedBy,
    createdAt: snapshot.createdAt,
    updatedAt,
    seq,
  };
}

export function orderView(config: Readonly<Config>, record: OrderRecord): OrderView {
  return orderViewAt(
    config,
    record.snapshot,
    { status: record.status, doneMarks: record.doneMarks },
    record.updatedAt,
    record.lastSeq,
  );
}

/** The order state recorded in an order event's payload. */
export function stateInEvent(event: JournalEvent): OrderState {
  if (event.type === "order.status_changed") return { status: event.payload.to, doneMarks: event.payload.doneMarks };
  if (event.type === "order.line_marked") return { status: event.payload.status, doneMarks: event.payload.doneMarks };
  // order.placed: a new order is pending with nothing done.
  return { status: "pending", doneMarks: [] };
}
