/**
 * The kinds of device galleyd drives, in the order they are made, started and shown: printers
 * first (a drawer and a pass-through display hang on one), then what depends on them. A new kind
 * is one line here and its own service file (service.ts says what that file holds).
 */
import { displayKind } from "./display-service.ts";
import { drawerKind } from "./drawer-service.ts";
import { printerKind } from "./printer-service.ts";
import { deviceFactory, type DeviceFactory } from "./service.ts";

export const DEVICE_KINDS: readonly DeviceFactory[] = [
  deviceFactory(printerKind),
  deviceFactory(drawerKind),
  deviceFactory(displayKind),
];
