/**
 * X and Z reports: the shift's figures at one moment, kept as they were (`cash_reports`) and
 * announced as `cash.report_created`, on which the devices feature queues the paper in the same
 * transaction (`report:<reportId>:<printerId>`). An X report is asked for mid-shift; the Z report
 * is written by the close (shifts.ts).
 *
 * With a blind close a cashier may not print an X report: it would show the expected figure the
 * count is meant to be made without. A manager can.
 */
import type { Principal } from "../../protocol/schemas/auth.ts";
import type { CashReportBody, CashReportView, CashSummary } from "../../protocol/schemas/cash.ts";
import type { Actor } from "../../protocol/schemas/orders.ts";
import { actorOf, iso, type CommandContext } from "../commands/context.ts";
import { insertReport, movementsOf, openShiftOf, type ReportRecord, type ShiftRecord } from "../journal/cash-store.ts";
import { appendEvent, type JournalEvent } from "../journal/events.ts";
import { AppError } from "../lib/errors.ts";
import { newId } from "../lib/ids.ts";
import { summaryOf } from "./summary.ts";
import { reportView } from "./views.ts";

/** Writes a report of `shift` with `summary` and its event; inside a transaction. */
export function writeReport(
  ctx: CommandContext,
  shift: ShiftRecord,
  report: { kind: "x" | "z"; summary: CashSummary; actor: Actor; at: string; closedAt: string | null },
): { record: ReportRecord; event: JournalEvent } {
  const id = newId();
  const movements = movementsOf(ctx.journal, shift.id);
  const event = appendEvent(ctx.journal, {
    id: newId(),
    type: "cash.report_created",
    aggregateId: shift.id,
    actor: report.actor,
    payload: {
      reportId: id,
      shiftId: shift.id,
      drawer: shift.drawer,
      kind: report.kind,
      openedAt: shift.openedAt,
      closedAt: report.closedAt,
      summary: report.summary,
      movements,
    },
    createdAt: report.at,
  });
  const record: ReportRecord = {
    id,
    shiftId: shift.id,
    kind: report.kind,
    by: report.actor,
    at: report.at,
    seq: event.seq,
    payload: {
      drawer: shift.drawer,
      openedAt: shift.openedAt,
      closedAt: report.closedAt,
      summary: report.summary,
      movements,
    },
  };
  insertReport(ctx.journal, record);
  return { record, event };
}

/** `POST /api/cash/report`: an X report of the drawer's open shift. */
export function xReport(ctx: CommandContext, principal: Principal, body: CashReportBody): CashReportView {
  if (ctx.config.cash.blindClose && principal.role === "cashier") {
    throw new AppError(
      "forbidden",
      "with a blind close a cashier counts before seeing the figures: a manager can print an X report",
      { details: { blindClose: true } },
    );
  }
  const drawer = body.drawer ?? ctx.config.cash.defaultDrawer;
  const record = ctx.journal.transaction(() => {
    const shift = openShiftOf(ctx.journal, drawer);
    if (!shift)
      throw new AppError("cash_shift_required", `no cash shift is open on drawer ${drawer}`, { details: { drawer } });
    return writeReport(ctx, shift, {
      kind: "x",
      summary: summaryOf(ctx.journal, shift),
      actor: actorOf(principal),
      at: iso(ctx.clock.now()),
      closedAt: null,
    }).record;
  });
  return reportView(ctx, principal, record);
}
