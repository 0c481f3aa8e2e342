import { SerialPort } from "serialport";
import { DriverError, toDriverError } from "../errors.ts";
import { ListenerSet } from "../listeners.ts";
import { silentDriverLogger, traceIn, traceOut, type DriverLogger } from "../logger.ts";
import { DEFAULT_WRITE_TIMEOUT_MS, writeWithDeadline, type ByteTransport, type WriteOptions } from "./transport.ts";
import { formatDeviceUri, type SerialAddress } from "./uri.ts";

export interface SerialTransportOptions extends SerialAddress {
  logger?: DriverLogger;
  /** Wait for the OS to transmit each write (tcdrain). Default true: real backpressure. */
  drain?: boolean;
}

const NS = "drivers:serial";

/**
 * A serial port through `serialport` (RS-232 printers and pole displays, USB-serial adapters).
 * There is no hot-plug event for serial ports: a vanished device closes the port with an error
 * and the device actor keeps retrying `open()` until the node comes back.
 */
export function createSerialTransport(options: SerialTransportOptions): ByteTransport {
  const logger = options.logger ?? silentDriverLogger;
  const description = formatDeviceUri({ ...options, scheme: "serial" });
  const dataListeners = new ListenerSet<[Uint8Array]>(`${description} data`, logger);
  const closeListeners = new ListenerSet<[Error | undefined]>(`${description} close`, logger);
  let port: SerialPort | undefined;
  let closing = false;

  return {
    kind: "serial",
    description,
    bidirectional: true,
    get isOpen() {
      return port?.isOpen === true;
    },
    open() {
      if (port?.isOpen === true) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        const candidate = new SerialPort({
          path: options.path,
          baudRate: options.baudRate,
          dataBits: options.dataBits,
          parity: options.parity,
          stopBits: options.stopBits,
          rtscts: options.flow === "rtscts",
          xon: options.flow === "xonxoff",
          xoff: options.flow === "xonxoff",
          autoOpen: false,
          // Another process holding the printer's port is a configuration error worth reporting.
          lock: true,
        });
        candidate.open((error) => {
          if (error) {
            reject(toDriverError(error, "open_failed", `cannot open ${description}`));
            return;
          }
          port = candidate;
          let lastError: Error | undefined;
          candidate.on("data", (chunk: Buffer) => {
            const bytes = new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength);
            traceIn(logger, NS, description, bytes);
            dataListeners.emit(bytes);
          });
          candidate.on("error", (e: Error) => {
            lastError = e;
          });
          candidate.on("close", (e: Error | null) => {
            if (port !== candidate) return;
            port = undefined;
            const reason = closing ? undefined : toDriverError(e ?? lastError ?? new Error("port closed"), "closed");
            closing = false;
            closeListeners.emit(reason);
          });
          resolve();
        });
      });
    },
    write(bytes: Uint8Array, writeOptions?: WriteOptions) {
      const p = port;
      if (p?.isOpen !== true) return Promise.reject(new DriverError("not_open", `${description} is not open`));
      traceOut(logger, NS, description, bytes);
      const timeoutMs = writeOptions?.timeoutMs ?? DEFAULT_WRITE_TIMEOUT_MS;
      // A printer holding CTS low (paper out with hardware flow control) stalls writes until the deadline.
      return writeWithDeadline(description, timeoutMs, (settle) => {
        p.write(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), (error) => {
          if (error) {
            settle(toDriverError(error, "write_failed"));
            return;
          }
          if (options.drain === false) {
            settle();
            return;
          }
          p.drain((drainError) => {
            settle(drainError ? toDriverError(drainError, "write_failed") : undefined);
          });
        });
        return undefined;
      });
    },
    onData: (listener) => dataListeners.add(listener),
    onClose: (listener) => closeListeners.add(listener),
    close() {
      const p = port;
      if (p?.isOpen !== true) return Promise.resolve();
      closing = true;
      return new Promise<void>((resolve) => {
        p.close(() => {
          resolve();
        });
      });
    },
  };
}
