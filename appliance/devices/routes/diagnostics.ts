/** Device diagnostics: a test receipt, the cash drawer, the pole display. */
import type { FastifyReply } from "fastify";
import { Type } from "typebox";
import { kickDrawer, previewTestReceipt, printTestReceipt, testDisplay } from "../operations.ts";
import { ErrorBody } from "../../../protocol/schemas/common.ts";
import { DeviceId, DisplayStatusView, DrawerKickResponse } from "../../../protocol/schemas/devices.ts";
import { principalOf } from "../../http/auth.ts";
import type { RoutePlugin } from "../../http/deps.ts";
import { deviceLayerOf, type DeviceRouteOptions } from "./status.ts";

/** The test receipt's route options: the same printer query and PNG answer for the preview and the print. */
function receiptRoute(summary: string) {
  return {
    config: { access: ["devices:operate"] as const },
    schema: {
      tags: ["diagnostics"],
      summary,
      querystring: Type.Object({ printer: Type.Optional(DeviceId) }, { additionalProperties: false }),
      produces: ["image/png"],
      response: { 200: Type.Unsafe<Uint8Array>({ type: "string", format: "binary" }), 409: ErrorBody },
    },
  };
}

/** A PNG answer that no cache keeps, naming the printer (and the job, when one was printed). */
function sendPng(
  reply: FastifyReply,
  result: { png: Uint8Array; printerId: string; job?: { id: string } },
): FastifyReply {
  void reply
    .header("content-type", "image/png")
    .header("cache-control", "no-store")
    .header("x-printer", result.printerId);
  if (result.job) void reply.header("x-print-job", result.job.id);
  return reply.send(Buffer.from(result.png));
}

export const deviceDiagnosticsRoutes: RoutePlugin<DeviceRouteOptions> = (app, deps, done) => {
  // Reading is safe to repeat (a prefetcher, a reload); printing is a POST.
  app.get(
    "/api/diagnostics/receipt",
    receiptRoute(
      "Preview the test receipt of the receipt printer (?printer= for another) as the PNG a simulator renders from its bytes; prints nothing (header X-Printer)",
    ),
    async (request, reply) => sendPng(reply, await previewTestReceipt(deviceLayerOf(deps), request.query.printer)),
  );
  app.post(
    "/api/diagnostics/receipt",
    receiptRoute(
      "Print a test receipt on the receipt printer (?printer= for another) and return the PNG a simulator renders from the very bytes sent (headers X-Print-Job, X-Printer)",
    ),
    async (request, reply) =>
      sendPng(reply, await printTestReceipt(deviceLayerOf(deps), principalOf(request), request.query.printer)),
  );
  app.post(
    "/api/diagnostics/cash-drawer",
    {
      config: { access: ["devices:operate"] },
      schema: {
        tags: ["diagnostics"],
        summary: "Kick the cash drawer once (never retried) and return its state a moment later",
        response: { 200: DrawerKickResponse, 409: ErrorBody, 503: ErrorBody },
      },
    },
    async (request) => ({ kicked: true as const, drawer: await kickDrawer(deviceLayerOf(deps), principalOf(request)) }),
  );
  app.post(
    "/api/diagnostics/display",
    {
      config: { access: ["devices:operate"] },
      schema: {
        tags: ["diagnostics"],
        summary: "Show a test pattern on the pole display and return the two rows it shows",
        response: { 200: DisplayStatusView, 409: ErrorBody, 503: ErrorBody },
      },
    },
    () => testDisplay(deviceLayerOf(deps)),
  );
  done();
};
