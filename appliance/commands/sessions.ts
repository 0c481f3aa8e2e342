/**
 * Cart sessions: one open session per owner (a kiosk, a cashier); lines are added,
 * changed and removed; stock holds with a TTL are taken for counted items; commit turns the
 * session into an immutable order.
 */
import { computeTotals, priceLine } from "../domain/pricing.ts";
import { openSaleOfSession } from "../journal/attempt-store.ts";
import { AppError } from "../lib/errors.ts";
import { newId } from "../lib/ids.ts";
import { hashOf } from "../lib/canonical-json.ts";
import { holdsOfSession, insertHold, setHoldState, expireHolds } from "../journal/catalogue-store.ts";
import {
  closeSession,
  deleteLine,
  getSession,
  idleSessions,
  insertLine,
  insertSession,
  linesOf,
  nextLinePosition,
  openSessionOf,
  touchSession,
  updateLine,
  type SessionRecord,
} from "../journal/session-store.ts";
import type { Principal } from "../../protocol/schemas/auth.ts";
import type { Channel } from "../../protocol/schemas/common.ts";
import type {
  CommitSessionBody,
  LineInput,
  LinePatch,
  OrderView,
  PricedLine,
  SessionLine,
  SessionView,
} from "../../protocol/schemas/orders.ts";
import { pricingContext, requireCatalogue } from "./catalogue.ts";
import { iso, type CommandContext } from "./context.ts";
import { channelFor, commitOrder, replayIfSeen, type CommandResult } from "./order-commit.ts";
import { assertSellable, mergeNeeds, unitsNeeded } from "./stock.ts";

/** `POST /api/sessions`: the caller's open session, or a new one. */
export function openSession(
  ctx: CommandContext,
  principal: Principal,
  requested: Channel | undefined,
): { created: boolean; session: SessionView } {
  const channel = channelFor(principal, requested);
  const result = ctx.journal.transaction(() => {
    const existing = openSessionOf(ctx.journal, principal.id);
    if (existing) return { created: false, id: existing.id };
    const nowMs = ctx.clock.now();
    const id = newId();
    insertSession(ctx.journal, {
      id,
      ownerId: principal.id,
      channel,
      state: "open",
      orderId: null,
      createdAt: iso(nowMs),
      updatedAt: iso(nowMs),
      touchedAtMs: nowMs,
    });
    return { created: true, id };
  });
  return { created: result.created, session: viewSession(ctx, principal, result.id) };
}

export function currentSession(ctx: CommandContext, principal: Principal): SessionView {
  const open = openSessionOf(ctx.journal, principal.id);
  if (!open) throw new AppError("session_not_found", "no open session");
  return viewSession(ctx, principal, open.id);
}

/** The session's lines, re-priced against the current menu; a line that can no longer be sold is flagged. */
export function viewSession(ctx: CommandContext, principal: Principal, id: string): SessionView {
  const session = ownedSession(ctx, principal, id);
  const catalogue = ctx.catalogue.get();
  const pricing = catalogue ? pricingContext(ctx, catalogue) : undefined;
  const holds = holdsOfSession(ctx.journal, id);
  const nowMs = ctx.clock.now();
  const lines: SessionLine[] = linesOf(ctx.journal, id).map((line) => {
    let priced: PricedLine = line.priced;
    let available = true;
    if (pricing) {
      try {
        priced = priceLine(pricing, line.input, line.id);
      } catch {
        available = false;
      }
    }
    const lineHolds = holds.filter((h) => h.line_id === line.id);
    const expiry = lineHolds.length > 0 ? Math.min(...lineHolds.map((h) => h.expires_at_ms)) : undefined;
    return { ...priced, available, ...(expiry !== undefined && expiry > nowMs ? { holdExpiresAt: iso(expiry) } : {}) };
  });
  return {
    id: session.id,
    state: session.state,
    channel: session.channel,
    lines,
    totals: computeTotals(
      lines,
      catalogue?.taxRates ?? new Map<string, number>(),
      ctx.config.pricing.taxMode,
      catalogue?.menu.currency ?? ctx.config.store.currency,
    ),
    ...(session.orderId ? { orderId: session.orderId } : {}),
    createdAt: session.createdAt,
    updatedAt: session.updatedAt,
  };
}

function ownedSession(ctx: CommandContext, principal: Principal, id: string): SessionRecord {
  const session = getSession(ctx.journal, id);
  // Someone else's session does not exist as far as this caller can tell.
  if (!session || session.ownerId !== principal.id) throw new AppError("session_not_found", `no session ${id}`);
  return session;
}

function openOwnedSession(ctx: CommandContext, principal: Principal, id: string): SessionRecord {
  const session = ownedSession(ctx, principal, id);
  if (session.state !== "open")
    throw new AppError("session_closed", `session ${id} is ${session.state}`, { details: { state: session.state } });
  return session;
}

/** Units this session holds for lines other than `exceptLine`, so a cart cannot over-hold. */
function heldByOtherLines(
  ctx: CommandContext,
  sessionId: string,
  exceptLine: string | undefined,
  nowMs: number,
): Map<string, number> {
  const held = new Map<string, number>();
  for (const hold of holdsOfSession(ctx.journal, sessionId)) {
    if (hold.line_id === exceptLine || hold.expires_at_ms <= nowMs) continue;
    held.set(hold.item_id, (held.get(hold.item_id) ?? 0) + hold.quantity);
  }
  return held;
}

function takeHolds(
  ctx: CommandContext,
  sessionId: string,
  lineId: string,
  needs: ReadonlyMap<string, number>,
  nowMs: number,
): void {
  const expires = nowMs + ctx.config.stock.holdTtlSeconds * 1_000;
  for (const [itemId, units] of needs) {
    insertHold(
      ctx.journal,
      { id: newId(), session_id: sessionId, line_id: lineId, item_id: itemId, quantity: units, expires_at_ms: expires },
      iso(nowMs),
    );
  }
}

export function addLine(ctx: CommandContext, principal: Principal, sessionId: string, input: LineInput): SessionView {
  ctx.journal.transaction(() => {
    openOwnedSession(ctx, principal, sessionId);
    const catalogue = requireCatalogue(ctx);
    const nowMs = ctx.clock.now();
    if (linesOf(ctx.journal, sessionId).length >= ctx.config.orders.maxLinesPerOrder) {
      throw new AppError("validation_failed", `at most ${ctx.config.orders.maxLinesPerOrder} lines per order`, {
        details: { errors: ["lines: cart is full"] },
      });
    }
    const lineId = newId();
    const priced = priceLine(pricingContext(ctx, catalogue), input, lineId);
    const needs = unitsNeeded(catalogue, priced);
    assertSellable(ctx.journal, needs, nowMs, {
      exceptSession: sessionId,
      alsoHeld: heldByOtherLines(ctx, sessionId, undefined, nowMs),
    });
    insertLine(ctx.journal, sessionId, {
      id: lineId,
      position: nextLinePosition(ctx.journal, sessionId),
      input,
      priced,
      createdAt: iso(nowMs),
    });
    takeHolds(ctx, sessionId, lineId, needs, nowMs);
    touchSession(ctx.journal, sessionId, iso(nowMs), nowMs);
  });
  ctx.bus.emitAvailability();
  return viewSession(ctx, principal, sessionId);
}

export function changeLine(
  ctx: CommandContext,
  principal: Principal,
  sessionId: string,
  lineId: string,
  patch: LinePatch,
): SessionView {
  ctx.journal.transaction(() => {
    openOwnedSession(ctx, principal, sessionId);
    const line = linesOf(ctx.journal, sessionId).find((l) => l.id === lineId);
    if (!line) throw new AppError("line_not_found", `no line ${lineId} in session ${sessionId}`);
    const catalogue = requireCatalogue(ctx);
    const nowMs = ctx.clock.now();
    const input: LineInput = { ...line.input, ...patch };
    const priced = priceLine(pricingContext(ctx, catalogue), input, lineId);
    const needs = unitsNeeded(catalogue, priced);
    // Release this line's holds first, then take what the changed line needs.
    setHoldState(ctx.journal, { lineId }, "released");
    assertSellable(ctx.journal, needs, nowMs, {
      exceptSession: sessionId,
      alsoHeld: heldByOtherLines(ctx, sessionId, lineId, nowMs),
    });
    updateLine(ctx.journal, lineId, input, priced);
    takeHolds(ctx, sessionId, lineId, needs, nowMs);
    touchSession(ctx.journal, sessionId, iso(nowMs), nowMs);
  });
  ctx.bus.emitAvailability();
  return viewSession(ctx, principal, sessionId);
}

export function removeLine(ctx: CommandContext, principal: Principal, sessionId: string, lineId: string): SessionView {
  ctx.journal.transaction(() => {
    openOwnedSession(ctx, principal, sessionId);
    if (!linesOf(ctx.journal, sessionId).some((l) => l.id === lineId))
      throw new AppError("line_not_found", `no line ${lineId} in session ${sessionId}`);
    const nowMs = ctx.clock.now();
    setHoldState(ctx.journal, { lineId }, "released");
    deleteLine(ctx.journal, lineId);
    touchSession(ctx.journal, sessionId, iso(nowMs), nowMs);
  });
  ctx.bus.emitAvailability();
  return viewSession(ctx, principal, sessionId);
}

/** Abandon: the cart is kept for analytics, its holds are released. */
export function abandonSession(ctx: CommandContext, principal: Principal, sessionId: string): SessionView {
  ctx.journal.transaction(() => {
    openOwnedSession(ctx, principal, sessionId);
    // The customer may be at the card terminal with this cart: its holds stay until that ends.
    const paying = openSaleOfSession(ctx.journal, sessionId);
    if (paying)
      throw new AppError("payment_in_progress", "this cart is being paid on a card terminal", {
        details: { checkoutId: paying },
      });
    setHoldState(ctx.journal, { sessionId }, "released");
    closeSession(ctx.journal, sessionId, "abandoned", iso(ctx.clock.now()));
  });
  ctx.bus.emitAvailability();
  return viewSession(ctx, principal, sessionId);
}

/**
 * Re-prices an open session for commit and checks its stock: lines whose holds are still live
 * are covered; a line whose hold ran out is re-checked and fails with `hold_expired` if the
 * stock is gone. Runs inside the commit's transaction.
 */
export function pricedSessionForCommit(
  ctx: CommandContext,
  principal: Principal,
  sessionId: string,
  nowMs: number,
): { id: string; channel: Channel; lines: PricedLine[] } {
  const session = openOwnedSession(ctx, principal, sessionId);
  const catalogue = requireCatalogue(ctx);
  const pricing = pricingContext(ctx, catalogue);
  const records = linesOf(ctx.journal, sessionId);
  if (records.length === 0) throw new AppError("session_empty", "the cart is empty");
  const lines = records.map((r) => priceLine(pricing, r.input, r.id));
  const holds = holdsOfSession(ctx.journal, sessionId);
  const uncovered: Map<string, number>[] = [];
  for (const line of lines) {
    const needs = unitsNeeded(catalogue, line);
    if (needs.size === 0) continue;
    const live = holds.filter((h) => h.line_id === line.id && h.expires_at_ms > nowMs);
    const covered = [...needs].every(
      ([item, units]) => live.filter((h) => h.item_id === item).reduce((n, h) => n + h.quantity, 0) >= units,
    );
    if (!covered) uncovered.push(needs);
  }
  if (uncovered.length > 0) {
    // Live holds of this session's other lines are already counted as held (by this session), so
    // exclude none of them: the expired lines must fit into what nobody holds.
    assertSellable(ctx.journal, mergeNeeds(uncovered), nowMs, { code: "hold_expired" });
  }
  return { id: sessionId, channel: session.channel, lines };
}

/** `POST /api/sessions/:id/commit`. */
export function commitSession(
  ctx: CommandContext,
  principal: Principal,
  sessionId: string,
  body: CommitSessionBody,
  idempotencyKey: string | undefined,
): CommandResult<OrderView> {
  ctx.gate?.check(body.id);
  const key = idempotencyKey ?? `order:${body.id}`;
  const requestHash = hashOf({ op: "sessions.commit", principal: principal.id, sessionId, body });
  return ctx.journal.transaction(() => {
    const replay = replayIfSeen(ctx, key, body.id, requestHash);
    if (replay) return replay;
    const nowMs = ctx.clock.now();
    const { channel, lines } = pricedSessionForCommit(ctx, principal, sessionId, nowMs);
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

/** Housekeeping: expire holds past their TTL and abandon idle carts. Returns what changed. */
export function sweepSessions(ctx: CommandContext): { expiredHolds: number; abandoned: number } {
  const nowMs = ctx.clock.now();
  const result = ctx.journal.transaction(() => {
    const expired = expireHolds(ctx.journal, nowMs);
    const idle = idleSessions(ctx.journal, nowMs - ctx.config.sessions.idleAbandonSeconds * 1_000);
    for (const id of idle) {
      setHoldState(ctx.journal, { sessionId: id }, "released");
      closeSession(ctx.journal, id, "expired", iso(nowMs));
    }
    return { expiredHolds: expired.length, abandoned: idle.length };
  });
  if (result.expiredHolds > 0 || result.abandoned > 0) ctx.bus.emitAvailability();
  return result;
}
