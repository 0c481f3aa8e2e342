/**
 * Placing orders and moving them through their states. Each command is one journal
 * transaction; its events go out on the bus at COMMIT (commands/context.ts `announceCommits`),
 * and the caller replies only after it returns.
 */
import { ACTIVE_STATUSES, checkTransition, permissionFor } from "../domain/order-status.ts";
import { can } from "../../protocol/core/permissions.ts";
import { priceLine } from "../domain/pricing.ts";
import { businessDate } from "../domain/business-day.ts";
import { hashOf } from "../lib/canonical-json.ts";
import { AppError } from "../lib/errors.ts";
import { newId } from "../lib/ids.ts";
import { appendEvent, eventsOf } from "../journal/events.ts";
import { paymentsOf } from "../journal/payment-store.ts";
import {
  getOrder,
  getOrders,
  ordersOfDay,
  ordersPlacedBy,
  ordersWithStatus,
  setStatus,
  type OrderRecord,
} from "../journal/order-store.ts";
import type { Principal } from "../../protocol/schemas/auth.ts";
import type { OrderStatus } from "../../protocol/schemas/common.ts";
import type {
  BulkProgressResponse,
  LineInput,
  OrderDetail,
  OrderView,
  PlaceOrderBody,
  PricedLine,
  StatusChange,
} from "../../protocol/schemas/orders.ts";
import { pricingContext, requireCatalogue } from "./catalogue.ts";
import { actorOf, iso, type CommandContext } from "./context.ts";
import { orderView, orderViewAt } from "./views.ts";
import { forStation } from "../../protocol/index.ts";
import { assertSellable, mergeNeeds, unitsNeeded } from "./stock.ts";
import { pricedSessionForCommit } from "./sessions.ts";
import { channelFor, commitOrder, replayIfSeen, type CommandResult } from "./order-commit.ts";

/** `POST /api/orders`: from `items`, or from the caller's cart `sessionId`. */
export function placeOrder(
  ctx: CommandContext,
  principal: Principal,
  body: PlaceOrderBody,
  idempotencyKey: string | undefined,
): CommandResult<OrderView> {
  ctx.gate?.check(body.id);
  if ((body.items === undefined) === (body.sessionId === undefined)) {
    throw new AppError("validation_failed", "give either items or sessionId", {
      details: { errors: ["body: exactly one of items, sessionId is required"] },
    });
  }
  const channel = channelFor(principal, body.channel);
  const key = idempotencyKey ?? `order:${body.id}`;
  const requestHash = hashOf({ op: "orders.place", principal: principal.id, body });
  return ctx.journal.transaction(() => {
    const replay = replayIfSeen(ctx, key, body.id, requestHash);
    if (replay) return replay;
    const nowMs = ctx.clock.now();
    const { lines, sessionId } = orderLines(ctx, principal, body, nowMs);
    return commitOrder(ctx, principal, {
      id: body.id,
      channel,
      lines,
      sessionId,
      key,
      requestHash,
      nowMs,
      pickupName: body.pickupName,
      note: body.note,
      serviceMode: body.serviceMode,
      table: body.table,
    });
  });
}

/**
 * An order's lines, priced now: from `items`, or from the caller's cart `sessionId` (the body's
 * schema requires one of them). An order and a card checkout of a new order both start here.
 */
export function orderLines(
  ctx: CommandContext,
  principal: Principal,
  body: { items?: readonly LineInput[] | undefined; sessionId?: string | undefined },
  nowMs: number,
): { lines: PricedLine[]; sessionId: string | null } {
  if (body.items) return { lines: priceItems(ctx, body.items, nowMs), sessionId: null };
  const session = pricedSessionForCommit(ctx, principal, body.sessionId as string, nowMs);
  return { lines: session.lines, sessionId: session.id };
}

/** Prices the lines a client asked for and checks their stock (an order or a card checkout from `items`). */
export function priceItems(ctx: CommandContext, items: readonly LineInput[], nowMs: number): PricedLine[] {
  const catalogue = requireCatalogue(ctx);
  const pricing = pricingContext(ctx, catalogue);
  if (items.length > ctx.config.orders.maxLinesPerOrder) {
    throw new AppError("validation_failed", `at most ${ctx.config.orders.maxLinesPerOrder} lines per order`, {
      details: { errors: [`items: more than ${ctx.config.orders.maxLinesPerOrder} lines`] },
    });
  }
  const lines = items.map((input) => priceLine(pricing, input, newId()));
  assertSellable(ctx.journal, mergeNeeds(lines.map((l) => unitsNeeded(catalogue, l))), nowMs);
  return lines;
}

/** `PATCH /api/orders/:id/status`. */
export function changeStatus(
  ctx: CommandContext,
  principal: Principal,
  orderId: string,
  to: OrderStatus,
  reason: string | undefined,
): CommandResult<OrderView> {
  return ctx.journal.transaction(() => {
    const record = readableOrder(ctx, principal, orderId);
    const needed = permissionFor(to);
    if (!can(principal.role, needed)) {
      throw new AppError("forbidden", `moving an order to ${to} needs the ${needed} permission`, {
        details: { permission: needed },
      });
    }
    const flow = ctx.config.orders.channels[record.snapshot.channel];
    const check = checkTransition(record.status, to, flow);
    if (!check.ok) {
      throw new AppError(
        "illegal_transition",
        `an order that is ${record.status} cannot become ${to}; allowed: ${check.allowed.join(", ") || "none (terminal)"}`,
        {
          details: { from: record.status, to, allowed: check.allowed },
        },
      );
    }
    // A refund moves money: the order becomes refunded when its payments are (POST /api/payments/:id/refund).
    if (to === "refunded") {
      const left = paymentsOf(ctx.journal, orderId).reduce((sum, p) => sum + p.view.refundable, 0);
      if (left > 0)
        throw new AppError(
          "illegal_transition",
          `refund the order's payments first (${left} still captured): POST /api/payments/:id/refund`,
          {
            details: { from: record.status, to, allowed: [], refundable: left },
          },
        );
    }
    const at = iso(ctx.clock.now());
    const event = appendEvent(ctx.journal, {
      id: newId(),
      type: "order.status_changed",
      aggregateId: orderId,
      actor: actorOf(principal),
      payload: { orderId, from: record.status, to, ...(reason ? { reason } : {}), doneMarks: record.doneMarks },
      createdAt: at,
    });
    setStatus(ctx.journal, orderId, to, at, event.seq);
    return {
      statusCode: 200,
      body: orderViewAt(ctx.config, record.snapshot, { status: to, doneMarks: record.doneMarks }, at, event.seq),
      events: [event],
      replayed: false,
    };
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
    if (event.type === "order.placed")
      return [{ seq: event.seq, from: null, to: "pending", at: event.createdAt, actor: event.actor }];
    if (event.type === "order.status_changed") {
      const p = event.payload;
      return [
        {
          seq: event.seq,
          from: p.from,
          to: p.to,
          at: event.createdAt,
          actor: event.actor,
          ...(p.reason ? { reason: p.reason } : {}),
        },
      ];
    }
    return [];
  });
  return { ...orderView(ctx.config, record), history };
}

/** The open orders a kitchen or board shows, oldest first, optionally for one station. */
export function queue(
  ctx: CommandContext,
  options: { station?: string; statuses?: readonly OrderStatus[] } = {},
): OrderView[] {
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

/** A business day's orders (default the store's today), newest first; `search`: number, reference or name. */
export function dayOrders(
  ctx: CommandContext,
  query: { date?: string | undefined; q?: string | undefined; limit: number },
): { date: string; orders: OrderView[] } {
  const { config } = ctx;
  const date = query.date ?? businessDate(ctx.clock.now(), config.store.timezone, config.orders.dayStartHour);
  const records = ordersOfDay(ctx.journal, date, { limit: query.limit, ...(query.q ? { search: query.q } : {}) });
  return { date, orders: records.map((r) => orderView(config, r)) };
}
