/**
 * The devices galleyd drives, resolved from the `devices` key: defaults by mode, and the rules a
 * schema cannot say (ids unique, references exist, URIs and profiles known), each reported as
 * `path: message` in one `config_invalid` error.
 */
import { join } from "node:path";
import { parseDeviceUri, resolveProfile } from "../../drivers/index.ts";
import type { Config } from "../config/schema.ts";
import { AppError } from "../lib/errors.ts";
import type { DevicesConfig, DisplayConfig, DrawerConfig, PrinterConfig } from "./config-schema.ts";

export interface ResolvedPrinter extends PrinterConfig {
  name: string;
}

export interface ResolvedDevices {
  printers: ResolvedPrinter[];
  drawer: DrawerConfig | undefined;
  display: DisplayConfig | undefined;
  expiry: DevicesConfig["expiry"];
  requireKitchenRoute: boolean;
  statusBaseUrl: string | undefined;
  bootSlip: DevicesConfig["bootSlip"];
  /** Where simulated printers' pages are written, or undefined. */
  printsDir: string | undefined;
  /** True when the simulated development set is in use. */
  simulatedDefaults: boolean;
}

const TIMING = {
  pollIntervalMs: 2_000,
  statusTimeoutMs: 1_000,
  reconnectInitialMs: 500,
  reconnectMaxMs: 30_000,
} as const;

/** What `npm start` drives with nothing configured: one printer for every kitchen station, one for the counter. */
export function developmentPrinters(): ResolvedPrinter[] {
  return [
    {
      id: "kitchen",
      name: "Kitchen printer (simulated)",
      uri: "sim:",
      profile: "epson-tm-t20",
      kitchenStations: ["*"],
      receipts: false,
      numberSlips: false,
      ...TIMING,
    },
    {
      id: "counter",
      name: "Counter printer (simulated)",
      uri: "sim:",
      profile: "epson-tm-t20",
      kitchenStations: [],
      receipts: true,
      numberSlips: true,
      ...TIMING,
    },
  ];
}

export function resolveDevices(config: Readonly<Config>): ResolvedDevices {
  const devices = config.devices;
  const development = config.mode === "development";
  const simulatedDefaults = development && devices.printers === undefined;
  const printers = simulatedDefaults
    ? developmentPrinters()
    : (devices.printers ?? []).map((p) => ({ ...p, name: p.name ?? p.id }));
  const drawer =
    devices.drawer ??
    (simulatedDefaults
      ? {
          printer: "counter",
          pin: 2 as const,
          polarity: "profile" as const,
          leftOpenAfterSeconds: 60,
          kickOnCash: true,
        }
      : undefined);
  const display =
    devices.display ?? (simulatedDefaults ? { uri: "sim:", commandSet: "epson" as const, idleSeconds: 30 } : undefined);
  const resolved: ResolvedDevices = {
    printers,
    drawer,
    display,
    expiry: devices.expiry,
    requireKitchenRoute: devices.requireKitchenRoute,
    statusBaseUrl: devices.statusBaseUrl?.replace(/\/+$/, ""),
    bootSlip: devices.bootSlip,
    printsDir: (devices.savePrints ?? development) ? join(config.dataDir, "prints") : undefined,
    simulatedDefaults,
  };
  const errors = deviceConfigErrors(resolved);
  if (errors.length > 0) {
    throw new AppError("config_invalid", `invalid configuration:\n  ${errors.join("\n  ")}`, { details: { errors } });
  }
  return resolved;
}

/** Rules the schema cannot say, each as `path: message`. */
export function deviceConfigErrors(devices: ResolvedDevices): string[] {
  const errors: string[] = [];
  const ids = new Set<string>();
  devices.printers.forEach((printer, index) => {
    const path = `devices.printers[${index}]`;
    if (ids.has(printer.id)) errors.push(`${path}.id: duplicate printer id "${printer.id}"`);
    ids.add(printer.id);
    try {
      parseDeviceUri(printer.uri);
    } catch (error) {
      errors.push(`${path}.uri: ${(error as Error).message}`);
    }
    try {
      resolveProfile(printer.profile, printer.columns === undefined ? {} : { columns: printer.columns });
    } catch (error) {
      errors.push(`${path}.profile: ${(error as Error).message}`);
    }
    if (printer.reconnectInitialMs > printer.reconnectMaxMs)
      errors.push(`${path}.reconnectInitialMs: must not exceed reconnectMaxMs`);
  });
  if (devices.drawer && !ids.has(devices.drawer.printer))
    errors.push(`devices.drawer.printer: no printer "${devices.drawer.printer}" in devices.printers`);
  const display = devices.display;
  if (display) {
    if ((display.uri === undefined) === (display.passThrough === undefined))
      errors.push("devices.display: give exactly one of uri or passThrough");
    if (display.passThrough !== undefined && !ids.has(display.passThrough))
      errors.push(`devices.display.passThrough: no printer "${display.passThrough}" in devices.printers`);
    if (display.uri !== undefined) {
      try {
        parseDeviceUri(display.uri);
      } catch (error) {
        errors.push(`devices.display.uri: ${(error as Error).message}`);
      }
    }
  }
  return errors;
}

/** Printers that print kitchen tickets of `station` (listed, or `*`). */
export function kitchenPrintersFor(devices: ResolvedDevices, station: string): ResolvedPrinter[] {
  return devices.printers.filter((p) => p.kitchenStations.includes(station) || p.kitchenStations.includes("*"));
}

export function receiptPrinter(devices: ResolvedDevices): ResolvedPrinter | undefined {
  return devices.printers.find((p) => p.receipts);
}

export function numberSlipPrinter(devices: ResolvedDevices): ResolvedPrinter | undefined {
  return devices.printers.find((p) => p.numberSlips);
}
