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
import { insertOutbox, itemsOfOrder, orderCreateItem } from "../journal/outbox-store.ts";
import { squareOrderKey, squarePaymentKey, squareRefundKey, zohoSalesOrderNumber } from "./keys.ts";
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
    const orderId =
      source.type === "payment.recorded" || source.type === "payment.refunded"
        ? source.payload.orderId
        : source.aggregateId;
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
        // A payment charged through Square's own API (the card provider) is already on Square:
        // recording it again as EXTERNAL would count it twice, and its refunds go through that API too.
        if (event.type === "payment.recorded" && !chargedBySquare(event.payload.provider)) {
          const createId = ensureOrderCreate(journal, "square", event.payload.orderId, add);
          add("square", "record_payment", squarePaymentKey(event.payload.paymentId), createId);
        }
        if (event.type === "payment.refunded" && !chargedBySquare(event.payload.provider)) {
          const paymentItem = squarePaymentItem(journal, event.payload.orderId, event.payload.paymentId);
          if (paymentItem) add("square", "refund_payment", squareRefundKey(event.payload.refundId), paymentItem);
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

/** Whether a payment (or the payment a refund gives back) was charged through Square's own API. */
function chargedBySquare(provider: string | undefined): boolean {
  return provider === "square";
}

/**
 * The record_payment row a refund goes after, found by the payment's Square key; none when the
 * payment never went to Square (taken before the target was connected or while auto-sync was off,
 * or charged through Square's API). Then nothing is enqueued: RefundPayment needs a Square payment
 * to refund, and creating the payment now only to refund it would put a sale into Square's books
 * that its reports never had. Unlike an order, a payment is not backfilled here; "sync this
 * order" (integrations.ts) replays the order's events in seq order, so there the payment's row is
 * written first and its refunds follow it.
 */
function squarePaymentItem(journal: Journal, orderId: string, paymentId: string): number | undefined {
  const key = squarePaymentKey(paymentId);
  return itemsOfOrder(journal, orderId, "square").find(
    (i) => i.operation === "record_payment" && i.idempotencyKey === key,
  )?.id;
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
