import net from "node:net";
import { DriverError, toDriverError } from "../errors.ts";
import { ListenerSet } from "../listeners.ts";
import { silentDriverLogger, traceIn, traceOut, type DriverLogger } from "../logger.ts";
import {
  DEFAULT_OPEN_TIMEOUT_MS,
  DEFAULT_WRITE_TIMEOUT_MS,
  writeWithDeadline,
  type ByteTransport,
  type WriteOptions,
} from "./transport.ts";

export interface TcpTransportOptions {
  host: string;
  port: number;
  connectTimeoutMs?: number;
  /** TCP keepalive delay: a pulled cable is invisible to write() until buffers fill (docs/architecture.md#escpos-facts). */
  keepAliveMs?: number;
  logger?: DriverLogger;
}

const NS = "drivers:tcp";

/** A raw TCP connection to a network printer (port 9100, "JetDirect"/RAW). */
export function createTcpTransport(options: TcpTransportOptions): ByteTransport {
  const logger = options.logger ?? silentDriverLogger;
  const description = `tcp://${options.host}:${options.port}`;
  const dataListeners = new ListenerSet<[Uint8Array]>(`${description} data`, logger);
  const closeListeners = new ListenerSet<[Error | undefined]>(`${description} close`, logger);
  let socket: net.Socket | undefined;
  let closing = false;

  function attach(s: net.Socket): void {
    let lastError: Error | undefined;
    s.on("data", (chunk: Buffer) => {
      const bytes = new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength);
      traceIn(logger, NS, description, bytes);
      dataListeners.emit(bytes);
    });
    s.on("error", (error) => {
      lastError = error;
    });
    s.on("close", () => {
      if (socket !== s) return;
      socket = undefined;
      const reason = closing
        ? undefined
        : toDriverError(lastError ?? new Error("peer closed the connection"), "closed");
      closing = false;
      closeListeners.emit(reason);
    });
  }

  return {
    kind: "tcp",
    description,
    bidirectional: true,
    get isOpen() {
      return socket !== undefined && !socket.destroyed;
    },
    open(signal?: AbortSignal) {
      if (socket !== undefined) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        const s = net.connect({ host: options.host, port: options.port, noDelay: true });
        const timeoutMs = options.connectTimeoutMs ?? DEFAULT_OPEN_TIMEOUT_MS;
        const fail = (error: Error): void => {
          cleanup();
          s.destroy();
          reject(toDriverError(error, "open_failed", `cannot connect to ${description}`));
        };
        const onAbort = (): void => {
          fail(new Error("aborted"));
        };
        const timer = setTimeout(() => {
          fail(new Error(`no answer within ${timeoutMs} ms`));
        }, timeoutMs);
        const cleanup = (): void => {
          clearTimeout(timer);
          s.removeListener("error", fail);
          signal?.removeEventListener("abort", onAbort);
        };
        signal?.addEventListener("abort", onAbort, { once: true });
        s.once("error", fail);
        s.once("connect", () => {
          cleanup();
          s.setKeepAlive(true, options.keepAliveMs ?? 5_000);
          socket = s;
          attach(s);
          resolve();
        });
      });
    },
    write(bytes: Uint8Array, writeOptions?: WriteOptions) {
      const s = socket;
      if (s === undefined || s.destroyed)
        return Promise.reject(new DriverError("not_open", `${description} is not open`));
      traceOut(logger, NS, description, bytes);
      const timeoutMs = writeOptions?.timeoutMs ?? DEFAULT_WRITE_TIMEOUT_MS;
      return writeWithDeadline(
        description,
        timeoutMs,
        (settle) => {
          const onDrain = (): void => {
            settle();
          };
          const onClose = (): void => {
            settle(new DriverError("closed", `${description} closed during write`));
          };
          s.once("close", onClose);
          const flushed = s.write(bytes, (error) => {
            if (error) settle(toDriverError(error, "write_failed"));
          });
          // Backpressure: when the kernel buffer is full, wait for 'drain' before accepting more.
          if (flushed) settle();
          else s.once("drain", onDrain);
          return () => {
            s.removeListener("drain", onDrain);
            s.removeListener("close", onClose);
          };
        },
        () => s.destroy(new Error("write timeout")),
      );
    },
    onData: (listener) => dataListeners.add(listener),
    onClose: (listener) => closeListeners.add(listener),
    close() {
      const s = socket;
      if (s === undefined) return Promise.resolve();
      closing = true;
      return new Promise<void>((resolve) => {
        s.once("close", () => {
          resolve();
        });
        s.end();
        // A peer that never FINs back must not hold us: destroy after a grace period.
        setTimeout(() => s.destroy(), 500).unref();
      });
    },
  };
}
