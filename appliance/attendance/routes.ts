/**
 * The attendance feature's HTTP API: clock in and out (and breaks), a store day's entries and
 * who is in, and managers' corrections.
 */
import { ErrorBody } from "../../protocol/schemas/common.ts";
import {
  AttendanceCorrectionBody,
  AttendanceEntryView,
  AttendanceQuery,
  AttendanceResponse,
  AttendanceStatusView,
  ClockBody,
} from "../../protocol/schemas/cash.ts";
import type { AttemptLimiter } from "../commands/attempt-limiter.ts";
import type { CommandContext } from "../commands/context.ts";
import { principalOf } from "../http/auth.ts";
import type { RoutePlugin } from "../http/deps.ts";
import { attendanceDay, clock, correct } from "./commands.ts";

export const attendanceRoutes: RoutePlugin<{ ctx: CommandContext; pinLimiter: AttemptLimiter }> = (app, deps, done) => {
  const { ctx, pinLimiter } = deps;
  const tags = ["attendance"];
  app.post(
    "/api/attendance/clock",
    {
      config: { access: ["attendance:clock"] },
      schema: {
        tags,
        summary:
          "Clock in or out, start or end a break: signed in, for oneself; on a paired counter or kitchen display, with the person's PIN",
        body: ClockBody,
        response: {
          201: AttendanceStatusView,
          400: ErrorBody,
          401: ErrorBody,
          404: ErrorBody,
          409: ErrorBody,
          429: ErrorBody,
        },
      },
    },
    async (request, reply) => reply.code(201).send(await clock(ctx, pinLimiter, principalOf(request), request.body)),
  );
  app.get(
    "/api/attendance",
    {
      config: { access: ["attendance:clock", "attendance:manage"] },
      schema: {
        tags,
        summary:
          "A store day's entries (default today) and everyone's state: all of them for a manager, one's own for staff, who is in for a paired screen",
        querystring: AttendanceQuery,
        response: { 200: AttendanceResponse, 403: ErrorBody },
      },
    },
    (request) => attendanceDay(ctx, principalOf(request), request.query),
  );
  app.post(
    "/api/attendance/corrections",
    {
      config: { access: ["attendance:manage"] },
      schema: {
        tags,
        summary:
          "Move, remove or add an entry, with a reason; the corrected entry is kept, superseded (not one's own, unless admin)",
        body: AttendanceCorrectionBody,
        response: { 201: AttendanceEntryView, 400: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody },
      },
    },
    async (request, reply) => reply.code(201).send(correct(ctx, principalOf(request), request.body)),
  );
  done();
};
