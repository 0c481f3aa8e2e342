/** The devices galleyd drives (printers, drawer, pole display) with live status, and the counter's pole display. */
import { AppError } from "../../lib/errors.ts";
import { showOnDisplay } from "../operations.ts";
import type { DeviceLayer } from "../layer.ts";
import { ErrorBody } from "../../../protocol/schemas/common.ts";
import { deviceEvents } from "../../journal/device-log-store.ts";
import {
  DeviceHistoryQuery,
  DeviceHistoryResponse,
  DevicesStatus,
  DisplayFrameBody,
  DisplayStatusView,
} from "../../../protocol/schemas/devices.ts";
import type { RoutePlugin } from "../../http/deps.ts";

/** What the device routes use: the device layer, absent when galleyd runs without one. */
export interface DeviceRouteOptions {
  devices?: DeviceLayer | undefined;
}

/** The device layer, or `device_not_configured` when galleyd runs without one. */
export function deviceLayerOf(deps: DeviceRouteOptions): DeviceLayer {
  if (!deps.devices) throw new AppError("device_not_configured", "galleyd runs without its device layer");
  return deps.devices;
}

export const deviceStatusRoutes: RoutePlugin<DeviceRouteOptions> = (app, deps, done) => {
  app.get(
    "/api/devices/status",
    {
      config: { access: ["devices:read"] },
      schema: {
        tags: ["devices"],
        summary:
          "Printers, cash drawer and customer display with live status, the ordering state and alerts (the same as the WebSocket devices topic, plus device URIs)",
        response: { 200: DevicesStatus },
      },
    },
    () => deviceLayerOf(deps).status(true),
  );
  app.get(
    "/api/devices/history",
    {
      config: { access: ["diagnostics:read"] },
      schema: {
        tags: ["devices"],
        summary:
          "What the devices did, newest first: printers online/offline/faults, drawer kicks, openings and 'left open' (?device=drawer&limit=)",
        querystring: DeviceHistoryQuery,
        response: { 200: DeviceHistoryResponse },
      },
    },
    (request) => ({
      events: deviceEvents(deviceLayerOf(deps).ctx.journal, request.query.limit ?? 100, request.query.device),
    }),
  );
  app.post(
    "/api/devices/display",
    {
      config: { access: ["payments:take", "devices:operate"] },
      schema: {
        tags: ["devices"],
        summary:
          "Show a frame on the customer's pole display: welcome, the line just added, the total, change due, order ready, or two lines of text",
        body: DisplayFrameBody,
        response: { 200: DisplayStatusView, 409: ErrorBody, 503: ErrorBody },
      },
    },
    (request) => showOnDisplay(deviceLayerOf(deps), request.body),
  );
  done();
};
