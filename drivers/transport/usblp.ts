import { constants } from "node:fs";
import { open, stat, type FileHandle } from "node:fs/promises";
import { DriverError, toDriverError } from "../errors.ts";
import { ListenerSet } from "../listeners.ts";
import { silentDriverLogger, traceOut, type DriverLogger } from "../logger.ts";
import { DEFAULT_WRITE_TIMEOUT_MS, type ByteTransport, type WriteOptions } from "./transport.ts";

export interface UsblpTransportOptions {
  path: string;
  logger?: DriverLogger;
  /** How often the device node is checked for disappearance (hot-plug). Default 1000 ms. */
  watchIntervalMs?: number;
}

const NS = "drivers:usblp";

/**
 * The kernel usblp node (`/dev/usb/lpN`) as a write-only fallback. usblp's write() waits without
 * timeout while the printer stalls (paper out) and cannot be cancelled from Node, so each write has
 * a watchdog: past its timeout the transport reports `write_timeout` and closes (the stuck write
 * finishes in the background). The node is watched; when it disappears the transport closes and the
 * actor re-opens it when it is back. Never bidirectional: status is always `unknown`.
 */
export function createUsblpTransport(options: UsblpTransportOptions): ByteTransport {
  const logger = options.logger ?? silentDriverLogger;
  const description = `usblp:${options.path}`;
  const closeListeners = new ListenerSet<[Error | undefined]>(`${description} close`, logger);
  const dataListeners = new ListenerSet<[Uint8Array]>(`${description} data`, logger);
  let handle: FileHandle | undefined;
  let watch: NodeJS.Timeout | undefined;

  function finish(reason: Error | undefined): Promise<void> {
    const current = handle;
    if (current === undefined) return Promise.resolve();
    handle = undefined;
    if (watch !== undefined) clearInterval(watch);
    watch = undefined;
    // A stuck write keeps the handle busy; closing would wait for it, so do not await.
    void current.close().catch(() => undefined);
    closeListeners.emit(reason);
    return Promise.resolve();
  }

  return {
    kind: "usblp",
    description,
    bidirectional: false,
    get isOpen() {
      return handle !== undefined;
    },
    async open() {
      if (handle !== undefined) return;
      try {
        handle = await open(options.path, constants.O_WRONLY | constants.O_APPEND);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        throw code === "ENOENT"
          ? new DriverError("device_not_found", `${options.path} does not exist`, { cause: error })
          : toDriverError(error, "open_failed", `cannot open ${options.path}`);
      }
      watch = setInterval(() => {
        stat(options.path).catch(() => {
          void finish(new DriverError("closed", `${options.path} disappeared`));
        });
      }, options.watchIntervalMs ?? 1000);
      watch.unref();
    },
    async write(bytes: Uint8Array, writeOptions?: WriteOptions) {
      const current = handle;
      if (current === undefined) throw new DriverError("not_open", `${description} is not open`);
      traceOut(logger, NS, description, bytes);
      const timeoutMs = writeOptions?.timeoutMs ?? DEFAULT_WRITE_TIMEOUT_MS;
      let timer: NodeJS.Timeout | undefined;
      const watchdog = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          reject(new DriverError("write_timeout", `${description}: write stalled for ${timeoutMs} ms (paper out?)`));
        }, timeoutMs);
      });
      try {
        let written = 0;
        while (written < bytes.length) {
          const { bytesWritten } = await Promise.race([
            current.write(bytes, written, bytes.length - written),
            watchdog,
          ]);
          written += bytesWritten;
        }
      } catch (error) {
        const driverError = toDriverError(error, "write_failed");
        await finish(driverError);
        throw driverError;
      } finally {
        clearTimeout(timer);
      }
    },
    onData: (listener) => dataListeners.add(listener),
    onClose: (listener) => closeListeners.add(listener),
    close: () => finish(undefined),
  };
}
