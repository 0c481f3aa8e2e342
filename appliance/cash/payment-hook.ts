/**
 * Payments and refunds count in the open shift: an `onAppend` hook on `payment.recorded` and
 * `payment.refunded` records each in `cash_shift_payments`, inside the payment's own transaction,
 * so a payment is never in the journal without its place in the shift's figures.
 *
 * With `cash.shifts: required`, cash taken (or handed back) while no shift is open throws
 * `cash_shift_required` from the hook, which rolls the payment's whole transaction back: the
 * cashier hears it before the money changes hands in the books. Other methods with no open shift
 * are counted in none.
 *
 * Which shift, when several drawers are open: the one the same person opened, else the default
 * drawer's, else the most recently opened.
 */
import type { Actor } from "../../protocol/schemas/orders.ts";
import type { CommandContext } from "../commands/context.ts";
import { insertShiftPayment, openShifts, type ShiftRecord } from "../journal/cash-store.ts";
import type { Journal } from "../journal/database.ts";
import { isEvent, type JournalEvent } from "../journal/events.ts";
import { AppError } from "../lib/errors.ts";

/** The shift a payment taken by `actor` counts in, or undefined when none is open. */
export function shiftForPayment(journal: Journal, actor: Actor, defaultDrawer: string): ShiftRecord | undefined {
  const open = openShifts(journal);
  if (open.length <= 1) return open[0];
  return (
    open.find((s) => s.openedBy.kind === actor.kind && s.openedBy.id === actor.id) ??
    open.find((s) => s.drawer === defaultDrawer) ??
    open[0]
  );
}

function requireShift(ctx: CommandContext, what: "cash payment" | "cash refund"): void {
  if (ctx.config.cash.shifts !== "required") return;
  const message =
    what === "cash payment"
      ? "open a cash shift (POST /api/cash/open) before taking cash"
      : "open a cash shift (POST /api/cash/open) before giving cash back";
  throw new AppError("cash_shift_required", message, { details: { what, drawer: ctx.config.cash.defaultDrawer } });
}

/** The append hook (plugin.ts registers it at start). */
export function cashPaymentHook(ctx: CommandContext): (journal: Journal, event: JournalEvent) => void {
  return (journal, event) => {
    if (isEvent(event, "payment.recorded")) {
      const p = event.payload;
      const shift = shiftForPayment(journal, event.actor, ctx.config.cash.defaultDrawer);
      if (!shift) {
        if (p.method === "cash") requireShift(ctx, "cash payment");
        return;
      }
      insertShiftPayment(journal, {
        shiftId: shift.id,
        kind: "payment",
        refId: p.paymentId,
        method: p.method,
        amount: p.amount,
        tip: p.tip,
        orderId: p.orderId,
        seq: event.seq,
      });
    } else if (isEvent(event, "payment.refunded")) {
      const r = event.payload;
      const shift = shiftForPayment(journal, event.actor, ctx.config.cash.defaultDrawer);
      if (!shift) {
        if (r.route === "cash") requireShift(ctx, "cash refund");
        return;
      }
      insertShiftPayment(journal, {
        shiftId: shift.id,
        kind: "refund",
        refId: r.refundId,
        method: r.route,
        amount: r.amount,
        tip: 0,
        orderId: r.orderId,
        seq: event.seq,
      });
    }
  };
}
