/** Builds the API's views from journal records. */
import type { Config } from "../config/schema.ts";
import { allowedNext } from "../domain/order-status.ts";
import type { OrderRecord, OrderSnapshot } from "../journal/order-store.ts";
import type { OrderStatus } from "../protocol/common.ts";
import type { OrderView } from "../protocol/orders.ts";

/**
 * The view of an order as of one of its events: everything but the status is immutable, so the
 * snapshot plus the status after that event is exactly what a screen saw at that seq. Live
 * pushes and replays use this one function, which is why they cannot differ.
 */
export function orderViewAt(config: Readonly<Config>, snapshot: OrderSnapshot, status: OrderStatus, updatedAt: string, seq: number): OrderView {
  return {
    id: snapshot.id,
    ref: snapshot.ref,
    number: snapshot.number,
    businessDate: snapshot.businessDate,
    channel: snapshot.channel,
    status,
    next: allowedNext(status, config.orders.channels[snapshot.channel]),
    lines: snapshot.lines,
    totals: snapshot.totals,
    ...(snapshot.pickupName ? { pickupName: snapshot.pickupName } : {}),
    ...(snapshot.note ? { note: snapshot.note } : {}),
    placedBy: snapshot.placedBy,
    createdAt: snapshot.createdAt,
    updatedAt,
    seq,
  };
}

export function orderView(config: Readonly<Config>, record: OrderRecord): OrderView {
  return orderViewAt(config, record.snapshot, record.status, record.updatedAt, record.lastSeq);
}

/** Only the lines (and combo components) a kitchen station prepares; undefined if none. */
export function forStation(view: OrderView, station: string): OrderView | undefined {
  const lines = view.lines.flatMap((line) => {
    if (line.station === station) return [line];
    const components = line.components.filter((c) => c.station === station);
    return components.length > 0 ? [{ ...line, components }] : [];
  });
  return lines.length > 0 ? { ...view, lines } : undefined;
}
