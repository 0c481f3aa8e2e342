import type { DriverLogger } from "../logger.ts";
import { createSerialTransport } from "./serial.ts";
import { createTcpTransport } from "./tcp.ts";
import type { ByteTransport } from "./transport.ts";
import type { DeviceAddress, SimAddress } from "./uri.ts";
import { createUsbTransport, type UsbBackend } from "./usb.ts";
import { createUsblpTransport } from "./usblp.ts";

export interface TransportFactoryOptions {
  logger?: DriverLogger;
  /** Replaces the `usb` package (tests inject a mock WebUSB backend). */
  usbBackend?: UsbBackend;
  connectTimeoutMs?: number;
}

/** Builds the transport for a parsed hardware address (sim: is handled by the device factories). */
export function createTransport(
  address: Exclude<DeviceAddress, SimAddress>,
  options: TransportFactoryOptions = {},
): ByteTransport {
  const logger = options.logger;
  switch (address.scheme) {
    case "tcp":
      return createTcpTransport({
        host: address.host,
        port: address.port,
        ...(logger && { logger }),
        ...(options.connectTimeoutMs !== undefined && { connectTimeoutMs: options.connectTimeoutMs }),
      });
    case "serial":
      return createSerialTransport({ ...address, ...(logger && { logger }) });
    case "usb":
      return createUsbTransport({
        ...address,
        ...(logger && { logger }),
        ...(options.usbBackend && { backend: options.usbBackend }),
      });
    case "usblp":
      return createUsblpTransport({ path: address.path, ...(logger && { logger }) });
  }
}
