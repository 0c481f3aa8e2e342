import { backoffDelay, sleep, type BackoffOptions } from "../backoff.ts";
import { DriverError, toDriverError } from "../errors.ts";
import { concatBytes } from "../escpos/commands.ts";
import { ListenerSet } from "../listeners.ts";
import { silentDriverLogger, type DriverLogger } from "../logger.ts";
import type { ByteTransport } from "../transport/transport.ts";
import { DISPLAY_COMMAND_SETS, type DisplayCommandSetId } from "./command-sets.ts";
import { encodePc437, fitCells, transliterate as plain } from "./display-text.ts";
import { changeFrame, itemFrame, orderReadyFrame, totalFrame, welcomeFrame, type DisplayFrame } from "./frames.ts";

/** A printer that forwards bytes to a display wired behind it (ESC = 2 … ESC = 1). */
export interface PassThroughHost {
  writePassThrough(bytes: Uint8Array): Promise<void>;
}

export interface PoleDisplayOptions {
  commandSet: DisplayCommandSetId;
  /** Direct wiring (serial port, usually 9600 8N1). */
  transport?: ByteTransport;
  /** Pass-through wiring via the printer. */
  passThrough?: PassThroughHost;
  columns?: number;
  /** Minimum time between two writes; frames in between are dropped, the latest wins (~10/s). */
  throttleMs?: number;
  reconnect?: BackoffOptions;
  logger?: DriverLogger;
}

const NS = "drivers:display";

/**
 * A 2×20 customer pole display. Always writes two full rows in overwrite mode with explicit
 * positioning (never lets text reach the end of row 2 in scroll mode).
 */
export class PoleDisplay {
  readonly columns: number;
  readonly rows = 2;
  readonly commandSet: DisplayCommandSetId;
  readonly #options: PoleDisplayOptions;
  readonly #logger: DriverLogger;
  readonly #connected: ListenerSet<[]>;
  readonly #disconnected: ListenerSet<[DriverError | undefined]>;
  #initialised = false;
  #running = false;
  #stop = new AbortController();
  #pending: DisplayFrame | undefined;
  #flushing: Promise<void> | undefined;
  #lastWrite = 0;
  #lastFrame: DisplayFrame = ["", ""];

  constructor(options: PoleDisplayOptions) {
    if ((options.transport === undefined) === (options.passThrough === undefined)) {
      throw new DriverError("uri_invalid", "a pole display needs exactly one of transport or passThrough");
    }
    this.#options = options;
    this.columns = options.columns ?? 20;
    this.commandSet = options.commandSet;
    this.#logger = options.logger ?? silentDriverLogger;
    this.#connected = new ListenerSet("display connected", this.#logger);
    this.#disconnected = new ListenerSet("display disconnected", this.#logger);
    options.transport?.onClose((reason) => {
      this.#initialised = false;
      this.#disconnected.emit(reason === undefined ? undefined : toDriverError(reason, "closed"));
      if (this.#running && reason !== undefined) void this.#connectLoop();
    });
  }

  // Read through a call: the flag changes while we await.
  #isRunning(): boolean {
    return this.#running;
  }

  get lastFrame(): DisplayFrame {
    return this.#lastFrame;
  }

  on(event: "connected", listener: () => void): () => void;
  on(event: "disconnected", listener: (reason: DriverError | undefined) => void): () => void;
  on(event: "connected" | "disconnected", listener: (arg: never) => void): () => void {
    return event === "connected"
      ? this.#connected.add(listener as () => void)
      : this.#disconnected.add(listener as (r: DriverError | undefined) => void);
  }

  /** Opens a direct transport (retrying in the background with backoff); resolves after the first attempt. */
  async start(): Promise<void> {
    if (this.#running) return;
    this.#running = true;
    this.#stop = new AbortController();
    if (this.#options.transport !== undefined) await this.#connectOnce();
  }

  async stop(): Promise<void> {
    this.#running = false;
    this.#stop.abort();
    await this.#options.transport?.close();
  }

  async #connectOnce(): Promise<boolean> {
    const transport = this.#options.transport;
    if (transport === undefined || transport.isOpen) return true;
    try {
      await transport.open(this.#stop.signal);
      this.#connected.emit();
      return true;
    } catch (error) {
      this.#logger.warn({ ns: NS, err: toDriverError(error, "open_failed").message }, "display offline; retrying");
      void this.#connectLoop();
      return false;
    }
  }

  async #connectLoop(): Promise<void> {
    const transport = this.#options.transport;
    if (transport === undefined) return;
    const signal = this.#stop.signal;
    for (let attempt = 0; this.#running && !signal.aborted; attempt++) {
      await sleep(backoffDelay(attempt, this.#options.reconnect), signal);
      if (!this.#isRunning()) return;
      try {
        await transport.open(signal);
        this.#connected.emit();
        // Show again what the customer should be seeing.
        await this.show(this.#lastFrame);
        return;
      } catch {
        // keep trying
      }
    }
  }

  async #write(bytes: Uint8Array): Promise<void> {
    const set = DISPLAY_COMMAND_SETS[this.commandSet];
    const payload = this.#initialised ? bytes : concatBytes([set.initialize(), bytes]);
    if (this.#options.passThrough !== undefined) await this.#options.passThrough.writePassThrough(payload);
    else if (this.#options.transport !== undefined) await this.#options.transport.write(payload, { timeoutMs: 2_000 });
    this.#initialised = true;
  }

  /**
   * Shows two rows. Throttled: while a write is in flight or too recent, only the latest frame is
   * kept. Resolves when this frame (or a newer one) was written; rejects when the display is offline.
   */
  show(frame: readonly string[]): Promise<void> {
    this.#pending = [frame[0] ?? "", frame[1] ?? ""];
    this.#flushing ??= this.#flush().finally(() => {
      this.#flushing = undefined;
    });
    return this.#flushing;
  }

  async #flush(): Promise<void> {
    const set = DISPLAY_COMMAND_SETS[this.commandSet];
    // Bounded: each pass writes the newest frame; new frames only arrive from callers.
    for (let pass = 0; pass < 1000 && this.#pending !== undefined; pass++) {
      const wait = this.#lastWrite + (this.#options.throttleMs ?? 100) - Date.now();
      if (wait > 0) await sleep(wait);
      const frame = this.#pending;
      this.#pending = undefined;
      const rows = frame.map((row) => encodePc437(fitCells(row, this.columns)));
      await this.#write(set.writeRows(rows));
      this.#lastWrite = Date.now();
      this.#lastFrame = [fitCells(frame[0], this.columns), fitCells(frame[1], this.columns)];
    }
  }

  async clear(): Promise<void> {
    await this.#write(DISPLAY_COMMAND_SETS[this.commandSet].clear());
    this.#lastFrame = [" ".repeat(this.columns), " ".repeat(this.columns)];
  }

  async brightness(level: 1 | 2 | 3 | 4): Promise<void> {
    await this.#write(DISPLAY_COMMAND_SETS[this.commandSet].brightness(level));
  }

  // The helpers transliterate before laying out, so "€" → "EUR" does not push a price off the row.
  welcome(line1 = "Welcome!", line2 = ""): Promise<void> {
    return this.show(welcomeFrame(plain(line1), plain(line2), this.columns));
  }
  /** The line just added to the order; `price` is already formatted. */
  itemAdded(name: string, quantity: number, price: string): Promise<void> {
    return this.show(itemFrame(plain(name), quantity, plain(price), this.columns));
  }
  total(amount: string): Promise<void> {
    return this.show(totalFrame(plain(amount), "TOTAL", this.columns));
  }
  changeDue(paid: string, change: string): Promise<void> {
    return this.show(changeFrame(plain(paid), plain(change), this.columns));
  }
  orderReady(orderNumber: string | number): Promise<void> {
    return this.show(orderReadyFrame(plain(String(orderNumber)), this.columns));
  }
}
