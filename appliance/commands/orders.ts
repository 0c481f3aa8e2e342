/**
 * Placing orders and moving them through their states. Each command is one journal
 * transaction; the caller replies only after it returns (i.e. after COMMIT), then announces the
 * events on the bus.
 */
import { businessDate, nextOrderNumber, orderRef } from "../domain/business-day.ts";
import { ACTIVE_STATUSES, checkTransition, permissionFor } from "../domain/order-status.ts";
import { can } from "../domain/permissions.ts";
import { computeTotals, priceLine } from "../domain/pricing.ts";
import { canonicalJson, hashOf, sha256Hex } from "../lib/canonical-json.ts";
import { AppError } from "../lib/errors.ts";
import { newId, randomCode } from "../lib/ids.ts";
import { setOnHand, onHand, setHoldState } from "../journal/catalogue-store.ts";
import { appendEvent, eventsOf, type JournalEvent } from "../journal/events.ts";
import {
  getOrder, getOrderByKey, getOrders, insertOrder, lastNumber, numberInUse, numbersInUse, ordersPlacedBy, ordersWithStatus,
  refExists, saveLastNumber, setStatus, type OrderRecord, type OrderSnapshot,
} from "../journal/order-store.ts";
import { closeSession } from "../journal/session-store.ts";
import type { Principal } from "../protocol/auth.ts";
import type { Channel, OrderStatus } from "../protocol/common.ts";
import type { BulkProgressResponse, OrderDetail, OrderView, PlaceOrderBody, PricedLine, StatusChange } from "../protocol/orders.ts";
import { pricingContext, requireCatalogue } from "./catalogue.ts";
import { actorOf, iso, SYSTEM_ACTOR, type CommandContext } from "./context.ts";
import { orderView, orderViewAt, forStation } from "./views.ts";
import { assertSellable, mergeNeeds, unitsNeeded } from "./stock.ts";
import { pricedSessionForCommit } from "./sessions.ts";

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

/** `POST /api/orders`: from `items`, or from the caller's cart `sessionId`. */
export function placeOrder(ctx: CommandContext, principal: Principal, body: PlaceOrderBody, idempotencyKey: string | undefined): CommandResult<OrderView> {
  ctx.gate?.check(body.id);
  if ((body.items === undefined) === (body.sessionId === undefined)) {
    throw new AppError("validation_failed", "give either items or sessionId", { details: { errors: ["body: exactly one of items, sessionId is required"] } });
  }
  const channel = channelFor(principal, body.channel);
  const key = idempotencyKey ?? `order:${body.id}`;
  const requestHash = hashOf({ op: "orders.place", principal: principal.id, body });
  return ctx.journal.transaction(() => {
    const replay = replayIfSeen(ctx, key, body.id, requestHash);
    if (replay) return replay;
    const nowMs = ctx.clock.now();
    let lines: PricedLine[];
    let sessionId: string | null = null;
    if (body.items) {
      const catalogue = requireCatalogue(ctx);
      const pricing = pricingContext(ctx, catalogue);
      if (body.items.length > ctx.config.orders.maxLinesPerOrder) {
        throw new AppError("validation_failed", `at most ${ctx.config.orders.maxLinesPerOrder} lines per order`, { details: { errors: [`items: more than ${ctx.config.orders.maxLinesPerOrder} lines`] } });
      }
      lines = body.items.map((input) => priceLine(pricing, input, newId()));
      assertSellable(ctx.journal, mergeNeeds(lines.map((l) => unitsNeeded(catalogue, l))), nowMs);
    } else {
      const session = pricedSessionForCommit(ctx, principal, body.sessionId as string, nowMs);
      lines = session.lines;
      sessionId = session.id;
    }
    return commitOrder(ctx, principal, { id: body.id, channel, lines, sessionId, key, requestHash, nowMs, pickupName: body.pickupName, note: body.note });
  });
}

/**
 * Returns the reply of an earlier identical request, or throws if the key or the order id was
 * used for a different one. The first reply is rebuilt from the order's immutable snapshot and
 * the status and seq it carried, so it is the same body, byte for byte.
 */
export function replayIfSeen(ctx: CommandContext, key: string, orderId: string, requestHash: string): CommandResult<OrderView> | undefined {
  const byKey = getOrderByKey(ctx.journal, key);
  if (byKey && byKey.requestHash !== requestHash) {
    throw new AppError("idempotency_conflict", "this Idempotency-Key was already used with a different request", { details: { key } });
  }
  const seen = byKey ?? getOrder(ctx.journal, orderId);
  if (!seen) return undefined;
  if (seen.requestHash !== requestHash) {
    throw new AppError("idempotency_conflict", "an order with this id already exists with different content", { details: { orderId } });
  }
  const body = orderViewAt(ctx.config, seen.snapshot, { status: seen.placedStatus, doneMarks: [] }, seen.snapshot.createdAt, seen.placedReplySeq);
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
  let ref = orderRef(config.orders.refPrefix, config.orders.refDateFormat, day, randomCode(config.orders.refRandomLength));
  for (let attempt = 0; refExists(journal, ref) && attempt < 10; attempt += 1) {
    ref = orderRef(config.orders.refPrefix, config.orders.refDateFormat, day, randomCode(config.orders.refRandomLength));
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
    placedBy: actorOf(principal),
    createdAt: at,
  };
  const snapshotJson = canonicalJson(draft);
  // From here on the snapshot is the canonical one, exactly as the journal stores it: the reply,
  // the live push and any later replay or retry serialise to the same bytes.
  const snapshot = JSON.parse(snapshotJson) as OrderSnapshot;
  const events: JournalEvent[] = [];
  // Canonical JSON sorts keys: "order" < "status", so the payload text can be assembled around the snapshot's.
  events.push(appendEvent(journal, {
    id: newId(), type: "order.placed", aggregateId: order.id, actor: actorOf(principal),
    payload: { order: snapshot, status: "pending" }, payloadJson: `{"order":${snapshotJson},"status":"pending"}`, createdAt: at,
  }));
  let status: OrderStatus = "pending";
  if (config.orders.channels[order.channel].autoQueue) {
    events.push(appendEvent(journal, {
      id: newId(), type: "order.status_changed", aggregateId: order.id, actor: SYSTEM_ACTOR,
      payload: { orderId: order.id, from: "pending", to: "in_queue", reason: "auto-queued", doneMarks: [] }, createdAt: at,
    }));
    status = "in_queue";
  }
  const lastSeq = events[events.length - 1]?.seq ?? 0;
  insertOrder(journal, {
    snapshot, snapshotHash: sha256Hex(snapshotJson), status, placedSeq: events[0]?.seq ?? 0, lastSeq,
    placedById: principal.id, sessionId: order.sessionId, idempotencyKey: order.key, requestHash: order.requestHash,
  });
  // Stock: holds become sales; counted items go down.
  for (const [itemId, units] of mergeNeeds(order.lines.map((l) => unitsNeeded(catalogue, l)))) {
    setOnHand(journal, itemId, Math.max(0, (onHand(journal, itemId) ?? 0) - units), at);
  }
  if (order.sessionId) {
    setHoldState(journal, { sessionId: order.sessionId }, "converted");
    closeSession(journal, order.sessionId, "committed", at, order.id);
  }
  return { statusCode: 201, body: orderViewAt(config, snapshot, { status, doneMarks: [] }, at, lastSeq), events, replayed: false };
}

/** `PATCH /api/orders/:id/status`. */
export function changeStatus(ctx: CommandContext, principal: Principal, orderId: string, to: OrderStatus, reason: string | undefined): CommandResult<OrderView> {
  return ctx.journal.transaction(() => {
    const record = readableOrder(ctx, principal, orderId);
    const needed = permissionFor(to);
    if (!can(principal.role, needed)) {
      throw new AppError("forbidden", `moving an order to ${to} needs the ${needed} permission`, { details: { permission: needed } });
    }
    const flow = ctx.config.orders.channels[record.snapshot.channel];
    const check = checkTransition(record.status, to, flow);
    if (!check.ok) {
      throw new AppError("illegal_transition", `an order that is ${record.status} cannot become ${to}; allowed: ${check.allowed.join(", ") || "none (terminal)"}`, {
        details: { from: record.status, to, allowed: check.allowed },
      });
    }
    const at = iso(ctx.clock.now());
    const event = appendEvent(ctx.journal, {
      id: newId(), type: "order.status_changed", aggregateId: orderId, actor: actorOf(principal),
      payload: { orderId, from: record.status, to, ...(reason ? { reason } : {}), doneMarks: record.doneMarks }, createdAt: at,
    });
    setStatus(ctx.journal, orderId, to, at, event.seq);
    return { statusCode: 200, body: orderViewAt(ctx.config, record.snapshot, { status: to, doneMarks: record.doneMarks }, at, event.seq), events: [event], replayed: false };
  });
}

/** Whether `principal` may see an order placed by `placedById` (kiosks see their own only). */
export function mayRead(principal: Principal, placedById: string): boolean {
  return can(principal.role, "orders:read") || (can(principal.role, "orders:read_own") && principal.id === placedById);
}

/** The order `principal` asked for, or `order_not_found` when there is none or it is not theirs to see. */
export function readableOrder(ctx: CommandContext, principal: Principal, orderId: string): OrderRecord {
  const record = getOrder(ctx.journal, orderId);
  if (!record || !mayRead(principal, record.placedById)) throw new AppError("order_not_found", `no order ${orderId}`);
  return record;
}

export function getOrderDetail(ctx: CommandContext, principal: Principal, orderId: string): OrderDetail {
  const record = readableOrder(ctx, principal, orderId);
  const history: StatusChange[] = eventsOf(ctx.journal, orderId).flatMap((event): StatusChange[] => {
    if (event.type === "order.placed") return [{ seq: event.seq, from: null, to: "pending", at: event.createdAt, actor: event.actor }];
    if (event.type === "order.status_changed") {
      const p = event.payload as { from: OrderStatus; to: OrderStatus; reason?: string };
      return [{ seq: event.seq, from: p.from, to: p.to, at: event.createdAt, actor: event.actor, ...(p.reason ? { reason: p.reason } : {}) }];
    }
    return [];
  });
  return { ...orderView(ctx.config, record), history };
}

/** The open orders a kitchen or board shows, oldest first, optionally for one station. */
export function queue(ctx: CommandContext, options: { station?: string; statuses?: readonly OrderStatus[] } = {}): OrderView[] {
  const statuses = options.statuses && options.statuses.length > 0 ? options.statuses : ACTIVE_STATUSES;
  const views = ordersWithStatus(ctx.journal, statuses).map((r) => orderView(ctx.config, r));
  if (!options.station) return views;
  const station = options.station;
  return views.flatMap((v) => forStation(v, station) ?? []);
}

export function bulkProgress(ctx: CommandContext, principal: Principal, ids: readonly string[]): BulkProgressResponse {
  const found = getOrders(ctx.journal, ids).filter((r) => mayRead(principal, r.placedById));
  const byId = new Map(found.map((r) => [r.snapshot.id, r]));
  return {
    orders: ids.flatMap((id) => {
      const r = byId.get(id);
      return r ? [{ id, number: r.snapshot.number, status: r.status, updatedAt: r.updatedAt }] : [];
    }),
    missing: ids.filter((id) => !byId.has(id)),
  };
}

export function myOrders(ctx: CommandContext, principal: Principal, limit = 50): OrderView[] {
  return ordersPlacedBy(ctx.journal, principal.id, limit).map((r) => orderView(ctx.config, r));
}
