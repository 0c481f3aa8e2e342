import type { BackoffOptions } from "../backoff.ts";
import type { DriverLogger } from "../logger.ts";
import { attachToMemory } from "../sim/endpoints.ts";
import { createPoleDisplaySimulator, type PoleDisplaySimulator } from "../sim/pole-display-simulator.ts";
import { createTransport } from "../transport/create-transport.ts";
import { createMemoryPair } from "../transport/memory.ts";
import type { ByteTransport } from "../transport/transport.ts";
import { parseDeviceUri } from "../transport/uri.ts";
import type { DisplayCommandSetId } from "./command-sets.ts";
import { PoleDisplay, type PassThroughHost } from "./pole-display.ts";

export interface CreateDisplayOptions {
  /** The display's emulation (DIP switches): `epson`, `cd5220` or `logic-controls`. */
  commandSet: DisplayCommandSetId;
  columns?: number;
  throttleMs?: number;
  reconnect?: BackoffOptions;
  logger?: DriverLogger;
  /** For `sim:` URIs: use this simulator instead of a new one. */
  simulator?: PoleDisplaySimulator;
  /** Use this transport instead of the one the URI names. */
  transport?: ByteTransport;
}

export type DisplayHandle = PoleDisplay & { readonly simulator?: PoleDisplaySimulator };

/**
 * A pole display, wired directly (`serial:/dev/ttyUSB1?baud=9600`, `tcp://…`, `sim:`) or behind
 * the printer (pass `{ passThrough: printer }` instead of a URI: bytes go out as ESC = 2 … ESC = 1).
 */
export function createDisplay(
  target: string | { passThrough: PassThroughHost },
  options: CreateDisplayOptions,
): DisplayHandle {
  const common = {
    commandSet: options.commandSet,
    ...(options.columns !== undefined && { columns: options.columns }),
    ...(options.throttleMs !== undefined && { throttleMs: options.throttleMs }),
    ...(options.reconnect && { reconnect: options.reconnect }),
    ...(options.logger && { logger: options.logger }),
  };
  if (typeof target !== "string") return new PoleDisplay({ ...common, passThrough: target.passThrough });
  let transport = options.transport;
  let simulator: PoleDisplaySimulator | undefined;
  if (transport === undefined) {
    const address = parseDeviceUri(target);
    if (address.scheme === "sim") {
      simulator = options.simulator ?? createPoleDisplaySimulator(options.commandSet, options.columns);
      const pair = createMemoryPair({ description: target });
      attachToMemory(simulator, pair.device);
      transport = pair.host;
    } else {
      transport = createTransport(address, options.logger ? { logger: options.logger } : {});
    }
  }
  const display = new PoleDisplay({ ...common, transport }) as DisplayHandle;
  if (simulator !== undefined) Object.defineProperty(display, "simulator", { value: simulator, enumerable: true });
  return display;
}
