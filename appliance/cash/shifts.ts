/**
 * A drawer's shift: opened with a float, cash put in and taken out with a reason, closed with the
 * count. Each is one journal transaction with its `cash.*` event, so a shift, its movements and
 * its close are upstream exactly as they happened here.
 *
 * - One open shift per drawer: checked first, and backed by the partial unique index of
 *   migration 0007, whose refusal becomes the same `cash_shift_open`.
 * - A movement is idempotent (Idempotency-Key, else `cash-move:<id>`): a retry returns the stored
 *   movement, the same key with another request is `idempotency_conflict`. Cash out never takes
 *   the drawer below zero.
 * - The close freezes the figures on the shift and writes the Z report in the same transaction.
 */
import type { Principal } from "../../protocol/schemas/auth.ts";
import type {
  CashCloseBody,
  CashCloseResponse,
  CashMoveBody,
  CashMovementView,
  CashOpenBody,
  CashShiftView,
} from "../../protocol/schemas/cash.ts";
import { actorOf, iso, type CommandContext } from "../commands/context.ts";
import type { CommandResult } from "../commands/order-commit.ts";
import {
  closeShiftRow,
  findMovement,
  getShift,
  insertMovement,
  insertShift,
  isSecondOpenShift,
  openShiftOf,
} from "../journal/cash-store.ts";
import { appendEvent } from "../journal/events.ts";
import { hashOf } from "../lib/canonical-json.ts";
import { AppError } from "../lib/errors.ts";
import { newId } from "../lib/ids.ts";
import { writeReport } from "./reports.ts";
import { isBlindFor, summaryOf } from "./summary.ts";
import { reportView, shiftView } from "./views.ts";

function shiftOpenError(drawer: string, cause?: unknown): AppError {
  return new AppError("cash_shift_open", `a cash shift is already open on drawer ${drawer}: close it first`, {
    details: { drawer },
    ...(cause === undefined ? {} : { cause }),
  });
}

function shiftRequired(drawer: string): AppError {
  return new AppError("cash_shift_required", `no cash shift is open on drawer ${drawer}: open one first`, {
    details: { drawer },
  });
}

/** `POST /api/cash/open`. */
export function openShift(ctx: CommandContext, principal: Principal, body: CashOpenBody): CashShiftView {
  const drawer = body.drawer ?? ctx.config.cash.defaultDrawer;
  const openingFloat = body.openingFloat ?? 0;
  const currency = ctx.config.store.currency;
  const id = newId();
  try {
    ctx.journal.transaction(() => {
      if (openShiftOf(ctx.journal, drawer)) throw shiftOpenError(drawer);
      const actor = actorOf(principal);
      const at = iso(ctx.clock.now());
      const event = appendEvent(ctx.journal, {
        id: newId(),
        type: "cash.shift_opened",
        aggregateId: id,
        actor,
        payload: { shiftId: id, drawer, openingFloat, currency },
        createdAt: at,
      });
      insertShift(ctx.journal, {
        id,
        drawer,
        openingFloat,
        currency,
        openedAt: at,
        openedBy: actor,
        openedSeq: event.seq,
      });
    });
  } catch (error) {
    if (isSecondOpenShift(error)) throw shiftOpenError(drawer, error);
    throw error;
  }
  const shift = getShift(ctx.journal, id);
  if (!shift) throw new Error(`shift ${id} vanished after its commit`);
  return shiftView(ctx, principal, shift);
}

/** `POST /api/cash/move`: cash in or out of the drawer's open shift. */
export function moveCash(
  ctx: CommandContext,
  principal: Principal,
  body: CashMoveBody,
  idempotencyKey: string | undefined,
): CommandResult<CashMovementView> {
  const key = idempotencyKey ?? (body.id === undefined ? `cash-move:${newId()}` : `cash-move:${body.id}`);
  const requestHash = hashOf({ op: "cash.move", principal: principal.id, body });
  const drawer = body.drawer ?? ctx.config.cash.defaultDrawer;
  return ctx.journal.transaction(() => {
    const seen =
      findMovement(ctx.journal, { key }) ??
      (body.id === undefined ? undefined : findMovement(ctx.journal, { id: body.id }));
    if (seen) {
      if (seen.requestHash !== requestHash)
        throw new AppError(
          "idempotency_conflict",
          "this movement id or key was already used with a different request",
          {
            details: { movementId: seen.view.id },
          },
        );
      return { statusCode: 201, body: seen.view, events: [], replayed: true };
    }
    const shift = openShiftOf(ctx.journal, drawer);
    if (!shift) throw shiftRequired(drawer);
    if (body.type === "cash_out") {
      const available = summaryOf(ctx.journal, shift).expected ?? 0;
      if (body.amount > available) {
        // A blind cashier is not told the figure the count is meant to be made without.
        const blind = isBlindFor(ctx.config.cash.blindClose, principal, shift);
        throw new AppError("validation_failed", "cannot take out more cash than the drawer should hold", {
          details: {
            errors: ["amount: more than the cash expected in the drawer"],
            amount: body.amount,
            ...(blind ? {} : { available }),
          },
        });
      }
    }
    const actor = actorOf(principal);
    const at = iso(ctx.clock.now());
    const movementId = body.id ?? newId();
    const event = appendEvent(ctx.journal, {
      id: newId(),
      type: "cash.moved",
      aggregateId: shift.id,
      actor,
      payload: { movementId, shiftId: shift.id, drawer, type: body.type, amount: body.amount, reason: body.reason },
      createdAt: at,
    });
    const view: CashMovementView = {
      id: movementId,
      shiftId: shift.id,
      type: body.type,
      amount: body.amount,
      reason: body.reason,
      by: actor,
      at,
      seq: event.seq,
    };
    insertMovement(ctx.journal, view, key, requestHash);
    return { statusCode: 201, body: view, events: [event], replayed: false };
  });
}

/** `POST /api/cash/close`: the count; freezes the figures and writes the Z report. */
export function closeShift(ctx: CommandContext, principal: Principal, body: CashCloseBody): CashCloseResponse {
  const denominations = body.denominations ?? [];
  if (body.denominations !== undefined) {
    const sum = denominations.reduce((total, d) => total + d.value * d.count, 0);
    if (sum !== body.counted) {
      throw new AppError("validation_failed", "the notes and coins counted do not add up to the amount counted", {
        details: { errors: [`denominations: add up to ${sum}, not ${body.counted}`], sum, counted: body.counted },
      });
    }
  }
  const drawer = body.drawer ?? ctx.config.cash.defaultDrawer;
  const { shiftId, report } = ctx.journal.transaction(() => {
    const shift = openShiftOf(ctx.journal, drawer);
    if (!shift) throw shiftRequired(drawer);
    const actor = actorOf(principal);
    const at = iso(ctx.clock.now());
    const summary = summaryOf(ctx.journal, shift, body.counted);
    const note = body.note ?? null;
    const event = appendEvent(ctx.journal, {
      id: newId(),
      type: "cash.shift_closed",
      aggregateId: shift.id,
      actor,
      payload: { shiftId: shift.id, drawer, counted: body.counted, denominations, note, summary },
      createdAt: at,
    });
    closeShiftRow(ctx.journal, shift.id, {
      closedAt: at,
      closedBy: actor,
      closedSeq: event.seq,
      counted: body.counted,
      denominations,
      note,
      summary,
    });
    const closed = { ...shift, status: "closed" as const, closedAt: at, closedBy: actor, summary };
    const z = writeReport(ctx, closed, { kind: "z", summary, actor, at, closedAt: at });
    return { shiftId: shift.id, report: z.record };
  });
  const shift = getShift(ctx.journal, shiftId);
  if (!shift) throw new Error(`shift ${shiftId} vanished after its commit`);
  return { shift: shiftView(ctx, principal, shift), report: reportView(ctx, principal, report) };
}
