/**
 * Writing a priced order, shared by `POST /api/orders` (orders.ts) and committing a cart
 * (sessions.ts): the channel it belongs to, the idempotent replay of an earlier identical request,
 * and the order itself — number, reference, events, projection, stock. Inside the caller's
 * transaction.
 */
import { businessDate, nextOrderNumber, orderRef } from "../domain/business-day.ts";
import { ACTIVE_STATUSES } from "../domain/order-status.ts";
import { computeTotals } from "../domain/pricing.ts";
import { canonicalJson, sha256Hex } from "../lib/canonical-json.ts";
import { AppError } from "../lib/errors.ts";
import { newId, randomCode } from "../lib/ids.ts";
import { setOnHand, onHand, setHoldState } from "../journal/catalogue-store.ts";
import { appendEvent, type JournalEvent } from "../journal/events.ts";
import {
  getOrder,
  getOrderByKey,
  insertOrder,
  lastNumber,
  numberInUse,
  numbersInUse,
  refExists,
  saveLastNumber,
  type OrderSnapshot,
} from "../journal/order-store.ts";
import { closeSession } from "../journal/session-store.ts";
import type { Principal } from "../../protocol/schemas/auth.ts";
import type { Channel, OrderStatus } from "../../protocol/schemas/common.ts";
import type { OrderView, PricedLine, ServiceMode } from "../../protocol/schemas/orders.ts";
import { requireCatalogue } from "./catalogue.ts";
import { actorOf, iso, SYSTEM_ACTOR, type CommandContext } from "./context.ts";
import { mergeNeeds, unitsNeeded } from "./stock.ts";
import { orderViewAt } from "./views.ts";

export interface CommandResult<T> {
  statusCode: number;
  body: T;
  events: JournalEvent[];
  /** True when an idempotent retry returned the stored result. */
  replayed: boolean;
}

/** The channel an order belongs to unless the caller names one it may use. */
export function channelFor(principal: Principal, requested: Channel | undefined): Channel {
  if (principal.role === "kiosk") {
    if (requested && requested !== "kiosk") throw new AppError("forbidden", "a kiosk places kiosk orders only");
    return "kiosk";
  }
  return requested ?? "counter";
}

/**
 * Returns the reply of an earlier identical request, or throws if the key or the order id was
 * used for a different one. The first reply is rebuilt from the order's immutable snapshot and
 * the status and seq it carried, so it is the same body, byte for byte.
 */
export function replayIfSeen(
  ctx: CommandContext,
  key: string,
  orderId: string,
  requestHash: string,
): CommandResult<OrderView> | undefined {
  const byKey = getOrderByKey(ctx.journal, key);
  if (byKey && byKey.requestHash !== requestHash) {
    throw new AppError("idempotency_conflict", "this Idempotency-Key was already used with a different request", {
      details: { key },
    });
  }
  const seen = byKey ?? getOrder(ctx.journal, orderId);
  if (!seen) return undefined;
  if (seen.requestHash !== requestHash) {
    throw new AppError("idempotency_conflict", "an order with this id already exists with different content", {
      details: { orderId },
    });
  }
  const body = orderViewAt(
    ctx.config,
    seen.snapshot,
    { status: seen.placedStatus, doneMarks: [] },
    seen.snapshot.createdAt,
    seen.placedReplySeq,
  );
  return { statusCode: 201, body, events: [], replayed: true };
}

interface NewOrder {
  id: string;
  channel: Channel;
  lines: PricedLine[];
  sessionId: string | null;
  key: string;
  requestHash: string;
  nowMs: number;
  pickupName: string | undefined;
  note: string | undefined;
  serviceMode: ServiceMode | undefined;
  table: string | undefined;
}

/** Writes a priced order: number, reference, events, projection, stock, idempotency. Inside a transaction. */
export function commitOrder(ctx: CommandContext, principal: Principal, order: NewOrder): CommandResult<OrderView> {
  const { journal, config } = ctx;
  const catalogue = requireCatalogue(ctx);
  if (order.lines.length === 0) throw new AppError("session_empty", "an order needs at least one line");
  const at = iso(order.nowMs);
  const day = businessDate(order.nowMs, config.store.timezone, config.orders.dayStartHour);
  // Usually the next number is free and one indexed lookup settles it; only when it is taken
  // (numbers wrapped, or a clock jump reused a day) are all active numbers loaded, once.
  let taken: Set<number> | undefined;
  const inUse = (n: number): boolean => {
    if (taken) return taken.has(n);
    if (!numberInUse(journal, n, ACTIVE_STATUSES)) return false;
    taken = numbersInUse(journal, ACTIVE_STATUSES);
    return true;
  };
  const number = nextOrderNumber(lastNumber(journal, day), config.orders.numberStart, config.orders.numberMax, inUse);
  saveLastNumber(journal, day, number);
  let ref = orderRef(
    config.orders.refPrefix,
    config.orders.refDateFormat,
    day,
    randomCode(config.orders.refRandomLength),
  );
  for (let attempt = 0; refExists(journal, ref) && attempt < 10; attempt += 1) {
    ref = orderRef(
      config.orders.refPrefix,
      config.orders.refDateFormat,
      day,
      randomCode(config.orders.refRandomLength),
    );
  }
  const draft: OrderSnapshot = {
    id: order.id,
    ref,
    number,
    businessDate: day,
    channel: order.channel,
    lines: order.lines,
    totals: computeTotals(order.lines, catalogue.taxRates, config.pricing.taxMode, catalogue.menu.currency),
    ...(order.pickupName ? { pickupName: order.pickupName } : {}),
    ...(order.note ? { note: order.note } : {}),
    ...(order.serviceMode ? { serviceMode: order.serviceMode } : {}),
    ...(order.table ? { table: order.table } : {}),
    placedBy: actorOf(principal),
    createdAt: at,
  };
  const snapshotJson = canonicalJson(draft);
  // From here on the snapshot is the canonical one, exactly as the journal stores it: the reply,
  // the live push and any later replay or retry serialise to the same bytes.
  const snapshot = JSON.parse(snapshotJson) as OrderSnapshot;
  const events: JournalEvent[] = [];
  // Canonical JSON sorts keys: "order" < "status", so the payload text can be assembled around the snapshot's.
  events.push(
    appendEvent(journal, {
      id: newId(),
      type: "order.placed",
      aggregateId: order.id,
      actor: actorOf(principal),
      payload: { order: snapshot, status: "pending" },
      payloadJson: `{"order":${snapshotJson},"status":"pending"}`,
      createdAt: at,
    }),
  );
  let status: OrderStatus = "pending";
  if (config.orders.channels[order.channel].autoQueue) {
    events.push(
      appendEvent(journal, {
        id: newId(),
        type: "order.status_changed",
        aggregateId: order.id,
        actor: SYSTEM_ACTOR,
        payload: { orderId: order.id, from: "pending", to: "in_queue", reason: "auto-queued", doneMarks: [] },
        createdAt: at,
      }),
    );
    status = "in_queue";
  }
  const lastSeq = events[events.length - 1]?.seq ?? 0;
  insertOrder(journal, {
    snapshot,
    snapshotHash: sha256Hex(snapshotJson),
    status,
    placedSeq: events[0]?.seq ?? 0,
    lastSeq,
    placedById: principal.id,
    sessionId: order.sessionId,
    idempotencyKey: order.key,
    requestHash: order.requestHash,
  });
  // Stock: holds become sales; counted items go down.
  for (const [itemId, units] of mergeNeeds(order.lines.map((l) => unitsNeeded(catalogue, l)))) {
    setOnHand(journal, itemId, Math.max(0, (onHand(journal, itemId) ?? 0) - units), at);
  }
  if (order.sessionId) {
    setHoldState(journal, { sessionId: order.sessionId }, "converted");
    closeSession(journal, order.sessionId, "committed", at, order.id);
  }
  return {
    statusCode: 201,
    body: orderViewAt(config, snapshot, { status, doneMarks: [] }, at, lastSeq),
    events,
    replayed: false,
  };
}
