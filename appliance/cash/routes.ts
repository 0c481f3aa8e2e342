/**
 * The cash feature's HTTP API: open a drawer's shift, put cash in or take it out, print an X
 * report, close with the count (and its Z report), and look at shifts and kept reports. Everyone
 * who works the till may (`cash:operate`: cashier, manager, admin); a blind close hides the
 * expected figure from cashiers until the count (summary.ts).
 */
import { Type } from "typebox";
import { ErrorBody, Uuid } from "../../protocol/schemas/common.ts";
import {
  CashCloseBody,
  CashCloseResponse,
  CashMoveBody,
  CashMovementView,
  CashOpenBody,
  CashReportBody,
  CashReportView,
  CashSessionQuery,
  CashSessionsQuery,
  CashSessionsResponse,
  CashShiftView,
} from "../../protocol/schemas/cash.ts";
import type { CommandContext } from "../commands/context.ts";
import { principalOf } from "../http/auth.ts";
import type { RoutePlugin } from "../http/deps.ts";
import { IdempotencyHeaders, idempotencyKeyOf, sendIdempotent } from "../http/idempotency.ts";
import { getShift, listShifts, openShiftOf } from "../journal/cash-store.ts";
import { AppError } from "../lib/errors.ts";
import { xReport } from "./reports.ts";
import { closeShift, moveCash, openShift } from "./shifts.ts";
import { cashReport, sessionsView, shiftView } from "./views.ts";

const IdParams = Type.Object({ id: Uuid });
const access = ["cash:operate"] as const;

export const cashRoutes: RoutePlugin<{ ctx: CommandContext }> = (app, deps, done) => {
  const { ctx } = deps;
  const tags = ["cash"];
  app.post(
    "/api/cash/open",
    {
      config: { access },
      schema: {
        tags,
        summary: "Open a shift on a drawer (default: cash.defaultDrawer) with its float; one open shift per drawer",
        body: CashOpenBody,
        response: { 201: CashShiftView, 400: ErrorBody, 409: ErrorBody },
      },
    },
    async (request, reply) => reply.code(201).send(openShift(ctx, principalOf(request), request.body)),
  );
  app.post(
    "/api/cash/move",
    {
      config: { access },
      schema: {
        tags,
        summary:
          "Put cash in or take it out of the open shift's drawer, with a reason; retries with the same id or Idempotency-Key return the stored movement",
        headers: IdempotencyHeaders,
        body: CashMoveBody,
        response: { 201: CashMovementView, 400: ErrorBody, 409: ErrorBody },
      },
    },
    async (request, reply) =>
      sendIdempotent(reply, moveCash(ctx, principalOf(request), request.body, idempotencyKeyOf(request.headers))),
  );
  app.post(
    "/api/cash/report",
    {
      config: { access },
      schema: {
        tags,
        summary: "Print an X report of the open shift (kept; with a blind close, managers only)",
        body: CashReportBody,
        response: { 201: CashReportView, 400: ErrorBody, 403: ErrorBody, 409: ErrorBody },
      },
    },
    async (request, reply) => reply.code(201).send(xReport(ctx, principalOf(request), request.body)),
  );
  app.post(
    "/api/cash/close",
    {
      config: { access },
      schema: {
        tags,
        summary: "Close the open shift with the count (denominations must add up to it); writes its Z report",
        body: CashCloseBody,
        response: { 200: CashCloseResponse, 400: ErrorBody, 409: ErrorBody },
      },
    },
    (request) => closeShift(ctx, principalOf(request), request.body),
  );
  app.get(
    "/api/cash/session",
    {
      config: { access },
      schema: {
        tags,
        summary: "The drawer's open shift (default drawer), or the shift `id`, with its figures, movements and reports",
        querystring: CashSessionQuery,
        response: { 200: CashShiftView, 404: ErrorBody },
      },
    },
    (request) => {
      const { id, drawer } = request.query;
      const principal = principalOf(request);
      if (id !== undefined) {
        const shift = getShift(ctx.journal, id);
        if (!shift || (drawer !== undefined && shift.drawer !== drawer))
          throw new AppError("cash_shift_not_found", `no cash shift ${id}`, { details: { id } });
        return shiftView(ctx, principal, shift);
      }
      const name = drawer ?? ctx.config.cash.defaultDrawer;
      const shift = openShiftOf(ctx.journal, name);
      if (!shift)
        throw new AppError("cash_shift_not_found", `no cash shift is open on drawer ${name}`, {
          details: { drawer: name },
        });
      return shiftView(ctx, principal, shift);
    },
  );
  app.get(
    "/api/cash/sessions",
    {
      config: { access },
      schema: {
        tags,
        summary: "Shifts newest first (open and closed), of one drawer or all; `before` pages back",
        querystring: CashSessionsQuery,
        response: { 200: CashSessionsResponse },
      },
    },
    (request) => {
      const { drawer, before, limit } = request.query;
      const shifts = listShifts(ctx.journal, { drawer, before, limit });
      return sessionsView(ctx, principalOf(request), shifts);
    },
  );
  app.get(
    "/api/cash/reports/:id",
    {
      config: { access },
      schema: {
        tags,
        summary: "A kept X or Z report, with its print job on the receipt printer (null without one)",
        params: IdParams,
        response: { 200: CashReportView, 404: ErrorBody },
      },
    },
    (request) => cashReport(ctx, principalOf(request), request.params.id),
  );
  done();
};
