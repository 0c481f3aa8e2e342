/**
 * Writing outbox rows. The append hook runs inside every event's own transaction (journal/events.ts
 * `onAppend`), so an order can never exist without its rows for the enabled targets, and a failure
 * here aborts the command instead of losing the sync (docs/architecture.md#the-outbox). Only
 * inserts happen here: nothing waits for the network.
 */
import { hashOf } from "../lib/canonical-json.ts";
import type { Clock } from "../lib/clock.ts";
import type { Journal } from "../journal/database.ts";
import { eventsOf, onAppend, type JournalEvent } from "../journal/events.ts";
import { insertOrderBackup } from "../journal/order-backup-store.ts";
import { insertOutbox, orderCreateItem } from "../journal/outbox-store.ts";
import { squareOrderKey, squarePaymentKey, zohoSalesOrderNumber } from "./keys.ts";
import { isSyncedEvent } from "./types.ts";
import { type Operation, type Target } from "../journal/outbox-types.ts";

/** Which targets get rows automatically (connected, auto-sync on), kept in memory and refreshed on every change. */
export interface TargetRoster {
  autoTargets(): readonly Target[];
  zohoPrefix(): string;
}

/** Whether an event was written by the import of upstream orders (never sent back up). */
export function isImported(event: JournalEvent): boolean {
  return (
    (event.type === "order.placed" || event.type === "order.status_changed") && event.payload.origin === "imported"
  );
}

export function registerOutboxHook(journal: Journal, roster: TargetRoster, clock: Clock): () => void {
  return onAppend(journal, (j, event) => {
    if (isImported(event)) return;
    if (event.type === "order.placed") recordOrderBackup(j, event, clock.now());
    const targets = roster.autoTargets();
    if (targets.length > 0) enqueueEvent(j, targets, event, clock.now(), roster.zohoPrefix());
  });
}

function recordOrderBackup(journal: Journal, event: JournalEvent<"order.placed">, nowMs: number): void {
  const order = event.payload.order;
  insertOrderBackup(journal, {
    orderId: order.id,
    orderSeq: event.seq,
    ref: order.ref,
    number: order.number,
    businessDate: order.businessDate,
    total: order.totals.total,
    currency: order.totals.currency,
    // The same hash as orders.snapshot_hash (commands/orders.ts), which is written after the event.
    snapshotHash: hashOf(order),
    origin: "local",
    importedFrom: null,
    state: "backup",
    createdAt: event.createdAt,
    createdAtMs: nowMs,
  });
}

/** Writes the rows `event` means for `targets`; returns the ids created. Inside a transaction. */
export function enqueueEvent(
  journal: Journal,
  targets: readonly Target[],
  event: JournalEvent,
  nowMs: number,
  zohoPrefix: string,
): number[] {
  const created: number[] = [];
  const add = (
    target: Target,
    operation: Operation,
    key: string,
    dependsOn: number | null,
    source: JournalEvent = event,
  ): number => {
    const orderId = source.type === "payment.recorded" ? source.payload.orderId : source.aggregateId;
    const row = insertOutbox(journal, {
      eventSeq: source.seq,
      eventId: source.id,
      target,
      operation,
      orderId,
      dependsOn,
      idempotencyKey: key,
      createdAt: source.createdAt,
      createdAtMs: nowMs,
    });
    if (row.created) created.push(row.id);
    return row.id;
  };
  for (const target of targets) {
    switch (target) {
      case "central":
        if (isSyncedEvent(event)) add("central", "event", event.id, null);
        break;
      case "square":
        if (event.type === "order.placed") add("square", "create_order", squareOrderKey(event.payload.order.id), null);
        if (event.type === "payment.recorded") {
          const createId = ensureOrderCreate(journal, "square", event.payload.orderId, add);
          add("square", "record_payment", squarePaymentKey(event.payload.paymentId), createId);
        }
        break;
      case "zoho":
        if (event.type === "order.placed")
          add("zoho", "create_salesorder", zohoSalesOrderNumber(zohoPrefix, event.payload.order.ref), null);
        break;
    }
  }
  return created;
}

/** A payment goes after its order: the order's create row, made now if the order predates the target. */
function ensureOrderCreate(
  journal: Journal,
  target: Target,
  orderId: string,
  add: (target: Target, operation: Operation, key: string, dependsOn: number | null, source?: JournalEvent) => number,
): number | null {
  const existing = orderCreateItem(journal, target, orderId, "create_order");
  if (existing) return existing.id;
  const placed = eventsOf(journal, orderId).find((e) => e.type === "order.placed");
  if (!placed || isImported(placed)) return null;
  return add(target, "create_order", squareOrderKey(orderId), null, placed);
}

/** Every syncable event of one order, for a manual "sync this order". */
export function orderEvents(journal: Journal, orderId: string): JournalEvent[] {
  return eventsOf(journal, orderId).filter((e) => isSyncedEvent(e) && !isImported(e));
}
