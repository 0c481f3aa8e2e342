import { DriverError } from "../errors.ts";
import { ListenerSet } from "../listeners.ts";
import { silentDriverLogger } from "../logger.ts";
import type { ByteTransport, WriteOptions } from "./transport.ts";

/**
 * The device side of an in-memory pipe: what a simulator or a test holds.
 * `send` delivers bytes to the host; `onData` sees what the host wrote.
 */
export interface MemoryDeviceEnd {
  send(bytes: Uint8Array): void;
  onData(listener: (chunk: Uint8Array) => void): () => void;
  /** Simulates the device disappearing (cable pulled): the host transport closes with an error. */
  disconnect(reason?: string): void;
  /** Whether the host side is currently open. */
  readonly hostOpen: boolean;
  /** Everything the host ever wrote, for assertions. */
  readonly received: Uint8Array[];
}

export interface MemoryPairOptions {
  bidirectional?: boolean;
  description?: string;
  /** Makes every write wait this long before it is accepted (a slow device). */
  writeDelayMs?: number;
  /** When true, `open()` fails with `device_not_found` (a device that is not plugged in). */
  absent?: boolean;
}

export interface MemoryPair {
  host: ByteTransport;
  device: MemoryDeviceEnd;
  /** Makes the next `open()` succeed or fail, to simulate hot-plug. */
  setPresent(present: boolean): void;
}

/** Creates a connected in-memory transport and its device end, for tests and the simulator. */
export function createMemoryPair(options: MemoryPairOptions = {}): MemoryPair {
  const toDevice = new ListenerSet<[Uint8Array]>("memory:to-device", silentDriverLogger);
  const toHost = new ListenerSet<[Uint8Array]>("memory:to-host", silentDriverLogger);
  const closed = new ListenerSet<[Error | undefined]>("memory:close", silentDriverLogger);
  const received: Uint8Array[] = [];
  let open = false;
  let present = options.absent !== true;
  const bidirectional = options.bidirectional ?? true;
  // Read through a function: `open` may change while a write awaits.
  const isStillOpen = (): boolean => open;

  const host: ByteTransport = {
    kind: "memory",
    description: options.description ?? "memory:",
    bidirectional,
    get isOpen() {
      return open;
    },
    open() {
      if (!present) return Promise.reject(new DriverError("device_not_found", "memory device is absent"));
      open = true;
      return Promise.resolve();
    },
    async write(bytes: Uint8Array, writeOptions?: WriteOptions) {
      if (!open) throw new DriverError("not_open", "memory transport is not open");
      const delay = options.writeDelayMs ?? 0;
      if (delay > 0) {
        if (writeOptions?.timeoutMs !== undefined && writeOptions.timeoutMs < delay) {
          await sleep(writeOptions.timeoutMs);
          throw new DriverError("write_timeout", "memory write timed out");
        }
        await sleep(delay);
        if (!isStillOpen()) throw new DriverError("closed", "memory transport closed during write");
      }
      const copy = bytes.slice();
      received.push(copy);
      toDevice.emit(copy);
    },
    onData: (listener) => toHost.add(listener),
    onClose: (listener) => closed.add(listener),
    close() {
      if (open) {
        open = false;
        closed.emit(undefined);
      }
      return Promise.resolve();
    },
  };

  const device: MemoryDeviceEnd = {
    send(bytes) {
      if (open && bidirectional) toHost.emit(bytes.slice());
    },
    onData: (listener) => toDevice.add(listener),
    disconnect(reason = "device disconnected") {
      present = false;
      if (open) {
        open = false;
        closed.emit(new DriverError("closed", reason));
      }
    },
    get hostOpen() {
      return open;
    },
    received,
  };

  return {
    host,
    device,
    setPresent(value: boolean) {
      present = value;
    },
  };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
