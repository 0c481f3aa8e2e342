/**
 * One interface for every byte pipe to a device: TCP, serial, USB bulk, usblp and memory.
 * A transport is opened, written, read through listeners and closed; it never reconnects by itself
 * (the device actor does, with backoff), and it reports an unexpected end through `onClose`.
 */
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
