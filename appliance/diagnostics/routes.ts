/**
 * Field diagnostics for the admin page and the board's own tools (appliance/diagnostics):
 * the doctor's checks live, connected screens and their page heartbeats, recent logs, and the
 * support bundle download. Test print, drawer kick, display test and device status are the
 * devices layer's routes; pairing codes are /api/screens/pairing-codes.
 */
import { Type } from "typebox";
import type { FieldOps } from "./field-ops.ts";
import {
  DoctorReport,
  HeartbeatBody,
  LogsReply,
  ScreenHeartbeat,
  ScreensReport,
} from "../../protocol/schemas/diagnostics.ts";
import { principalOf } from "../http/auth.ts";
import type { RoutePlugin } from "../http/deps.ts";

const HeartbeatSchema = ScreenHeartbeat;
export const DoctorReportSchema = DoctorReport;
export const ScreensSchema = ScreensReport;
const LogsQuery = Type.Object({ lines: Type.Integer({ minimum: 1, maximum: 5_000, default: 200 }) });
export const LogsSchema = LogsReply;

export const fieldDiagnosticsRoutes: RoutePlugin<{ fieldOps: FieldOps }> = (app, { fieldOps }, done) => {
  const read = { access: ["diagnostics:read"] as const };
  app.get(
    "/api/diagnostics/doctor",
    {
      config: read,
      schema: {
        tags: ["diagnostics"],
        summary: "galley doctor's checks, live: one verdict and hint per check (under 10 s)",
        response: { 200: DoctorReportSchema },
      },
    },
    () => fieldOps.doctor(),
  );
  app.get(
    "/api/diagnostics/screens",
    {
      config: read,
      schema: {
        tags: ["diagnostics"],
        summary: "Connected WebSocket clients and screen page heartbeats",
        response: { 200: ScreensSchema },
      },
    },
    () => fieldOps.screens(),
  );
  app.post(
    "/api/diagnostics/heartbeat",
    {
      config: { access: "authenticated" },
      schema: {
        tags: ["diagnostics"],
        summary: "A screen's page says it is alive (every 15 s); the board restarts its own display when they stop",
        body: HeartbeatBody,
        response: { 200: HeartbeatSchema },
      },
    },
    (request) => fieldOps.heartbeat(principalOf(request), request.socket.remoteAddress, request.body.page),
  );
  app.get(
    "/api/diagnostics/logs",
    {
      config: read,
      schema: {
        tags: ["diagnostics"],
        summary: "galleyd's recent log lines (system journal, else the in-memory ring), redacted",
        querystring: LogsQuery,
        response: { 200: LogsSchema },
      },
    },
    (request) => fieldOps.logs(request.query.lines),
  );
  app.get(
    "/api/diagnostics/support-bundle",
    {
      config: read,
      schema: {
        tags: ["diagnostics"],
        summary: "Support bundle (.tar.gz): doctor, redacted config, logs, journal statistics; no customer data",
      },
    },
    async (_request, reply) => {
      const bundle = await fieldOps.supportBundle();
      void reply
        .header("content-type", "application/gzip")
        .header("content-disposition", `attachment; filename="${bundle.fileName}"`)
        .header("cache-control", "no-store");
      return reply.send(bundle.data);
    },
  );
  done();
};
