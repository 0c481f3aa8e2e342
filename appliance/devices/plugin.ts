/**
 * The devices feature's registration (appliance/feature.ts): starts the device layer (printers,
 * drawer, pole display and the print spoolers, layer.ts), sets the ordering gate that refuses
 * orders no kitchen route can take, wakes the layer after each COMMIT, prints the boot slip once
 * galleyd listens, and hands app.ts its routes: status and the pole display, the spooler's jobs,
 * the device tests.
 */
import type { AddressInfo } from "node:net";
import { withOptions } from "../http/deps.ts";
import type { StartedFeature } from "../feature.ts";
import { queueBootSlip } from "./boot-slip.ts";
import { startDevices, type DeviceLayer, type DeviceLayerDeps } from "./layer.ts";
import { deviceDiagnosticsRoutes } from "./routes/diagnostics.ts";
import { printJobRoutes } from "./routes/print-jobs.ts";
import { deviceStatusRoutes } from "./routes/status.ts";

export type { DeviceLayer };

export interface DevicesFeature extends StartedFeature {
  readonly layer: DeviceLayer;
  stop(): Promise<void>;
}

export async function startDevicesFeature(deps: DeviceLayerDeps & { version: string }): Promise<DevicesFeature> {
  const layer = await startDevices(deps);
  deps.ctx.gate = layer.gate;
  deps.ctx.bus.onCommitted((events) => {
    layer.onCommitted(events);
  });
  const options = { devices: layer };
  return {
    layer,
    routes: [
      withOptions(deviceStatusRoutes, options),
      withOptions(printJobRoutes, options),
      withOptions(deviceDiagnosticsRoutes, options),
    ],
    listening(address: AddressInfo) {
      // Once per boot the receipt printer says where this board is and how to pair screens.
      try {
        queueBootSlip(layer, { port: address.port, version: deps.version });
      } catch (error) {
        deps.log.warn({ err: error }, "boot slip not printed");
      }
    },
    stop: () => layer.stop(),
  };
}
