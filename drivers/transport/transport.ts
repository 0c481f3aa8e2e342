/**
 * One interface for every byte pipe to a device: TCP, serial, USB bulk, usblp and memory.
 * A transport is opened, written, read through listeners and closed; it never reconnects by itself
 * (the device actor does, with backoff), and it reports an unexpected end through `onClose`.
 */
import { DriverError } from "../errors.ts";

export type TransportKind = "tcp" | "serial" | "usb" | "usblp" | "memory";

export interface WriteOptions {
  /** Give up (DriverError `write_timeout`) after this long; the transport is then closed. */
  timeoutMs?: number;
}

export interface ByteTransport {
  readonly kind: TransportKind;
  /** A human-readable name for logs, e.g. `tcp://10.0.0.5:9100`. */
  readonly description: string;
  /** False when the device can never answer (usblp fallback, one-way wiring). */
  readonly bidirectional: boolean;
  readonly isOpen: boolean;
  /** Opens the pipe; rejects with DriverError `open_failed` / `device_not_found`. */
  open(signal?: AbortSignal): Promise<void>;
  /** Resolves once the bytes were accepted by the OS/device (honours backpressure). */
  write(bytes: Uint8Array, options?: WriteOptions): Promise<void>;
  /** Bytes from the device, in arrival order, split arbitrarily. Returns the unsubscribe. */
  onData(listener: (chunk: Uint8Array) => void): () => void;
  /** The pipe ended (cable pulled, device gone, peer closed, or `close()`); `reason` when unexpected. */
  onClose(listener: (reason?: Error) => void): () => void;
  close(): Promise<void>;
}

/** Default per-write timeout: a stalled printer must not hang a job forever. */
export const DEFAULT_WRITE_TIMEOUT_MS = 10_000;

/** Default connect/open timeout. */
export const DEFAULT_OPEN_TIMEOUT_MS = 3_000;

/**
 * One write with a deadline, for the transports over a stream. `start` begins the write and
 * calls `settle` when it is accepted or failed; it may return a cleanup (listeners to drop). The
 * first settle wins. Past `timeoutMs` the write fails with `write_timeout` and `onTimeout` runs
 * (close the pipe: a stalled printer must not take the next bytes as part of this job).
 */
export function writeWithDeadline(
  description: string,
  timeoutMs: number,
  start: (settle: (error?: Error) => void) => (() => void) | undefined,
  onTimeout?: () => void,
): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    let settled = false;
    let cleanup: (() => void) | undefined;
    const settle = (error?: Error): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      cleanup?.();
      if (error === undefined) resolve();
      else reject(error);
    };
    const timer = setTimeout(() => {
      settle(new DriverError("write_timeout", `${description}: write not accepted within ${timeoutMs} ms`));
      onTimeout?.();
    }, timeoutMs);
    const isSettled = (): boolean => settled;
    const drop = start(settle);
    // Settled while starting (accepted at once): drop the listeners now.
    if (isSettled()) drop?.();
    else cleanup = drop;
  });
}
