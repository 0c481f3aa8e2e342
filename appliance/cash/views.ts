/**
 * What the cash API answers: a shift with its figures, movements and reports; the list of shifts;
 * a kept X or Z report with its print job. Each view is made for the principal asking, so a blind
 * close hides an open shift's expected figure from cashiers (summary.ts).
 */
import type { Principal } from "../../protocol/schemas/auth.ts";
import type { CashReportView, CashSessionsResponse, CashShiftView } from "../../protocol/schemas/cash.ts";
import type { CommandContext } from "../commands/context.ts";
import {
  getReport,
  getShift,
  movementsOf,
  printJobOfReport,
  reportsOf,
  type ReportRecord,
  type ShiftRecord,
} from "../journal/cash-store.ts";
import { AppError } from "../lib/errors.ts";
import { isBlindFor, summaryFor, summaryOf } from "./summary.ts";

export function shiftView(ctx: CommandContext, principal: Principal, shift: ShiftRecord): CashShiftView {
  const blind = isBlindFor(ctx.config.cash.blindClose, principal, shift);
  return {
    id: shift.id,
    drawer: shift.drawer,
    status: shift.status,
    openedAt: shift.openedAt,
    openedBy: shift.openedBy,
    closedAt: shift.closedAt,
    closedBy: shift.closedBy,
    openingFloat: shift.openingFloat,
    denominations: shift.denominations,
    note: shift.note,
    blind,
    summary: summaryFor(summaryOf(ctx.journal, shift), blind),
    movements: movementsOf(ctx.journal, shift.id),
    reports: reportsOf(ctx.journal, shift.id),
  };
}

export function sessionsView(ctx: CommandContext, principal: Principal, shifts: ShiftRecord[]): CashSessionsResponse {
  return {
    shifts: shifts.map((shift) => {
      const summary = summaryFor(
        summaryOf(ctx.journal, shift),
        isBlindFor(ctx.config.cash.blindClose, principal, shift),
      );
      return {
        id: shift.id,
        drawer: shift.drawer,
        status: shift.status,
        openedAt: shift.openedAt,
        openedBy: shift.openedBy,
        closedAt: shift.closedAt,
        openingFloat: shift.openingFloat,
        expected: summary.expected,
        counted: summary.counted,
        overShort: summary.overShort,
      };
    }),
  };
}

export function reportView(ctx: CommandContext, principal: Principal, report: ReportRecord): CashReportView {
  // An X report of a shift still open stays blind for a cashier, as the shift itself does.
  const shift = getShift(ctx.journal, report.shiftId);
  const blind = shift !== undefined && isBlindFor(ctx.config.cash.blindClose, principal, shift);
  return {
    id: report.id,
    shiftId: report.shiftId,
    drawer: report.payload.drawer,
    kind: report.kind,
    at: report.at,
    by: report.by,
    openedAt: report.payload.openedAt,
    closedAt: report.payload.closedAt,
    summary: summaryFor(report.payload.summary, blind),
    movements: report.payload.movements,
    printJobId: printJobOfReport(ctx.journal, report.id),
  };
}

/** `GET /api/cash/reports/:id`. */
export function cashReport(ctx: CommandContext, principal: Principal, id: string): CashReportView {
  const report = getReport(ctx.journal, id);
  if (!report) throw new AppError("cash_report_not_found", `no cash report ${id}`);
  return reportView(ctx, principal, report);
}
