import type { BackoffOptions } from "../backoff.ts";
import { DriverError } from "../errors.ts";
import type { DriverLogger } from "../logger.ts";
import { attachToMemory } from "../sim/endpoints.ts";
import { createPrinterSimulator, type PrinterSimulator } from "../sim/printer-simulator.ts";
import { createTransport } from "../transport/create-transport.ts";
import { createMemoryPair } from "../transport/memory.ts";
import type { ByteTransport } from "../transport/transport.ts";
import { parseDeviceUri, type SimAddress } from "../transport/uri.ts";
import type { UsbBackend } from "../transport/usb.ts";
import { PrinterActor } from "./printer.ts";
import { resolveProfile, type DrawerPolarity, type PrinterProfile } from "./profiles.ts";

export interface CreatePrinterOptions {
  /** Profile id (`epson-tm-t20`, `generic-58`, …) or a full profile. Default `epson-tm-t20`. */
  profile?: PrinterProfile | string;
  /** Per-installation overrides, e.g. `{ columns: 42 }` or `{ bidirectional: false }`. */
  profileOverrides?: Partial<PrinterProfile>;
  /** Name in logs and events. Default: the URI. */
  id?: string;
  logger?: DriverLogger;
  pollIntervalMs?: number;
  statusTimeoutMs?: number;
  /** Unanswered polls in a row before the link is dropped and re-opened. Default 3. */
  unresponsiveLimit?: number;
  reconnect?: BackoffOptions;
  chunkBytes?: number;
  writeTimeoutMs?: number;
  connectTimeoutMs?: number;
  /** Replaces the `usb` package's WebUSB object (tests). */
  usbBackend?: UsbBackend;
  /** For `sim:` URIs: use this simulator instead of a new one. */
  simulator?: PrinterSimulator;
  /** Use this transport instead of the one the URI names (tests, custom wiring). */
  transport?: ByteTransport;
}

const SIM_POLARITIES: readonly DrawerPolarity[] = ["low-is-open", "high-is-open", "none"];

function simulatorFor(
  address: SimAddress,
  profile: PrinterProfile,
  logger: DriverLogger | undefined,
): PrinterSimulator {
  const drawer = address.params.drawer;
  if (drawer !== undefined && !(SIM_POLARITIES as readonly string[]).includes(drawer)) {
    throw new DriverError("uri_invalid", `sim: drawer must be ${SIM_POLARITIES.join("|")}`);
  }
  return createPrinterSimulator({
    profile,
    ...(drawer !== undefined && { drawerPolarity: drawer as DrawerPolarity }),
    ...(address.params.oneway === "true" && { faults: { oneWay: true } }),
    ...(logger && { logger }),
  });
}

/**
 * Builds the printer actor for a device URI (see transport/uri.ts). Nothing is opened until
 * `start()`. A `sim:` URI gets an in-process simulator (exposed as `printer.simulator`).
 */
export function createPrinter(uri: string, options: CreatePrinterOptions = {}): PrinterActor {
  const address = parseDeviceUri(uri);
  const profile = resolveProfile(options.profile ?? "epson-tm-t20", options.profileOverrides);
  const logger = options.logger;
  let transport = options.transport;
  let simulator: PrinterSimulator | undefined;
  if (transport === undefined) {
    if (address.scheme === "sim") {
      simulator = options.simulator ?? simulatorFor(address, profile, logger);
      const pair = createMemoryPair({ description: uri });
      attachToMemory(simulator, pair.device);
      transport = pair.host;
    } else {
      transport = createTransport(address, {
        ...(logger && { logger }),
        ...(options.usbBackend && { usbBackend: options.usbBackend }),
        ...(options.connectTimeoutMs !== undefined && { connectTimeoutMs: options.connectTimeoutMs }),
      });
    }
  }
  return new PrinterActor({
    id: options.id ?? uri,
    profile,
    transport,
    ...(simulator && { simulator }),
    ...(logger && { logger }),
    ...(options.pollIntervalMs !== undefined && { pollIntervalMs: options.pollIntervalMs }),
    ...(options.statusTimeoutMs !== undefined && { statusTimeoutMs: options.statusTimeoutMs }),
    ...(options.unresponsiveLimit !== undefined && { unresponsiveLimit: options.unresponsiveLimit }),
    ...(options.reconnect && { reconnect: options.reconnect }),
    ...(options.chunkBytes !== undefined && { chunkBytes: options.chunkBytes }),
    ...(options.writeTimeoutMs !== undefined && { writeTimeoutMs: options.writeTimeoutMs }),
  });
}
