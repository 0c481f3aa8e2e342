import { backoffDelay, sleep, type BackoffOptions } from "../backoff.ts";
import { DriverError, toDriverError } from "../errors.ts";
import {
  ASB_ALL,
  INITIALIZE,
  Peripheral,
  automaticStatusBack,
  bufferedPulse,
  concatBytes,
  realtimePulse,
  realtimeStatusRequest,
  selectPeripheral,
  type DrawerPin,
  type RealtimeStatusKind,
} from "../escpos/commands.ts";
import { ResponseFramer, type PrinterResponse } from "../escpos/framer.ts";
import type { EncodedCommand } from "../escpos/print-document.ts";
import { statusFromAsb, unknownStatus, type PrinterStatus } from "../escpos/status.ts";
import { ListenerSet } from "../listeners.ts";
import { silentDriverLogger, type DriverLogger } from "../logger.ts";
import { Mutex } from "../mutex.ts";
import type { ByteTransport } from "../transport/transport.ts";
import type { PrinterSimulator } from "../sim/printer-simulator.ts";
import type { PrinterProfile } from "./profiles.ts";
import type { PrinterConnection } from "./connection.ts";
import { ReplyWaiters } from "./reply-waiters.ts";
import { sendJob, type JobLink } from "./send-job.ts";
import type { SendOptions, SendOutcome } from "./send-outcome.ts";
import { StatusReader } from "./status-reader.ts";

export type { PrinterConnection } from "./connection.ts";

export interface PrinterActorOptions {
  id: string;
  profile: PrinterProfile;
  transport: ByteTransport;
  logger?: DriverLogger;
  /** Status poll period while online (liveness too: a pulled cable is only seen by a poll). Default 2000. */
  pollIntervalMs?: number;
  /** Wait for each DLE EOT answer. Default 1000. */
  statusTimeoutMs?: number;
  /** Consecutive unanswered polls before the connection is dropped and re-opened. Default 3. */
  unresponsiveLimit?: number;
  reconnect?: BackoffOptions;
  chunkBytes?: number;
  writeTimeoutMs?: number;
  /** The in-process simulator behind a `sim:` URI (dev mode preview, tests). */
  simulator?: PrinterSimulator;
}

const NS = "drivers:printer";
/** A connection that lasted this long resets the reconnect backoff. */
const STABLE_CONNECTION_MS = 5_000;

/**
 * One actor per printer: owns the transport, serialises writes (real-time commands only go
 * between whole commands), keeps the typed status from polls or ASB (status-reader.ts), sends
 * jobs one at a time (send-job.ts), reconnects with backoff and reports events. Nothing here
 * throws out of an event handler; a failing device marks itself offline.
 */
export class PrinterActor {
  readonly id: string;
  readonly profile: PrinterProfile;
  /** Set for `sim:` printers: what was "printed", as text and PNG. */
  readonly simulator: PrinterSimulator | undefined;
  readonly #transport: ByteTransport;
  readonly #logger: DriverLogger;
  readonly #options: PrinterActorOptions;
  readonly #framer: ResponseFramer;
  readonly #writeLock = new Mutex();
  readonly #jobLock = new Mutex();
  readonly #status: StatusReader;
  readonly #jobLink: JobLink;
  readonly #connectedListeners: ListenerSet<[]>;
  readonly #disconnectedListeners: ListenerSet<[DriverError | undefined]>;
  #connection: PrinterConnection = "stopped";
  #stop = new AbortController();
  readonly #replies = new ReplyWaiters();
  #nextTag = Math.floor(Math.random() * 10_000);
  #connecting: Promise<void> | undefined;
  #connectedAt = 0;
  /** Connections that died young in a row (a peer that accepts and drops us): they back off too. */
  #flaps = 0;

  constructor(options: PrinterActorOptions) {
    this.id = options.id;
    this.profile = options.profile;
    this.#transport = options.transport;
    this.simulator = options.simulator;
    this.#options = options;
    this.#logger = options.logger ?? silentDriverLogger;
    // With software flow control the kernel consumes XON/XOFF before we see them.
    this.#framer = new ResponseFramer();
    this.#status = new StatusReader(
      {
        id: this.id,
        logger: this.#logger,
        readable: () => this.#connection === "online" && this.#transport.isOpen,
        bidirectional: () => this.bidirectional,
        transportOpen: () => this.#transport.isOpen,
        queryRealtime: (n, timeoutMs) => this.#queryRealtime(n, timeoutMs),
        drop: () => void this.#transport.close(),
      },
      options,
    );
    this.#jobLink = {
      profile: this.profile,
      replies: this.#replies,
      chunkBytes: options.chunkBytes,
      connection: () => this.#connection,
      status: () => this.#status.current,
      bidirectional: () => this.bidirectional,
      transportOpen: () => this.#transport.isOpen,
      refreshStatus: () => this.refreshStatus(),
      write: (bytes) => this.#write(bytes),
      locked: (fn) => this.#writeLock.run(() => fn((bytes) => this.#transport.write(bytes))),
      nextTag: () => this.#tag(),
      armAsb: () => this.#armAsb(),
    };
    this.#connectedListeners = new ListenerSet(`${this.id} connected`, this.#logger);
    this.#disconnectedListeners = new ListenerSet(`${this.id} disconnected`, this.#logger);
    this.#transport.onData((chunk) => {
      for (const response of this.#framer.push(chunk)) this.#onResponse(response);
    });
    this.#transport.onClose((reason) => {
      this.#onClosed(reason);
    });
  }

  /** True when the printer can answer (profile and transport both bidirectional). */
  get bidirectional(): boolean {
    return this.profile.bidirectional && this.#transport.bidirectional;
  }
  get status(): PrinterStatus {
    return this.#status.current;
  }
  get connection(): PrinterConnection {
    return this.#connection;
  }
  // Read through methods where TypeScript would keep a narrowing across an await.
  #currentConnection(): PrinterConnection {
    return this.#connection;
  }

  get transportDescription(): string {
    return this.#transport.description;
  }

  on(event: "status", listener: (status: PrinterStatus) => void): () => void;
  on(event: "connected", listener: () => void): () => void;
  on(event: "disconnected", listener: (reason: DriverError | undefined) => void): () => void;
  on(event: "status" | "connected" | "disconnected", listener: (arg: never) => void): () => void {
    if (event === "status") return this.#status.onChange(listener as (s: PrinterStatus) => void);
    if (event === "connected") return this.#connectedListeners.add(listener as () => void);
    return this.#disconnectedListeners.add(listener as (r: DriverError | undefined) => void);
  }

  // ---- lifecycle ----------------------------------------------------------------------------------
  /** Starts connecting; resolves once the first attempt settled (online or offline-and-retrying). */
  start(): Promise<void> {
    if (this.#connection !== "stopped") return Promise.resolve();
    this.#stop = new AbortController();
    return new Promise((resolve) => {
      this.#connecting = this.#connectLoop(resolve);
    });
  }

  async stop(): Promise<void> {
    if (this.#connection === "stopped") return;
    this.#connection = "stopped";
    this.#stop.abort();
    this.#status.stopPolling();
    this.#replies.failAll(new DriverError("stopped", `${this.id} stopped`));
    await this.#connecting;
    await this.#transport.close().catch(() => undefined);
    this.#status.set(unknownStatus(Date.now(), "disconnected"));
  }

  async #connectLoop(firstAttemptDone: () => void, initialDelayMs = 0): Promise<void> {
    let attempt = 0;
    const signal = this.#stop.signal;
    if (initialDelayMs > 0) await sleep(initialDelayMs, signal);
    // Read through a function: the flag changes while we await.
    const aborted = (): boolean => signal.aborted;
    while (!aborted()) {
      this.#connection = "connecting";
      try {
        await this.#transport.open(signal);
        if (aborted()) {
          await this.#transport.close();
          break;
        }
        await this.#onOpened();
        firstAttemptDone();
        return;
      } catch (error) {
        const reason = toDriverError(error, "open_failed");
        if (aborted()) break;
        const wasOnline = this.#currentConnection() === "online";
        this.#connection = "offline";
        this.#status.set(unknownStatus(Date.now(), "disconnected"));
        if (attempt === 0 || wasOnline)
          this.#logger.warn({ ns: NS, printer: this.id, err: reason.message }, "printer offline; retrying");
        firstAttemptDone();
        await sleep(backoffDelay(attempt++, this.#options.reconnect), signal);
      }
    }
    firstAttemptDone();
  }

  async #onOpened(): Promise<void> {
    this.#framer.reset();
    this.#status.resetMisses();
    this.#connection = "online";
    this.#connectedAt = Date.now();
    this.#logger.info({ ns: NS, printer: this.id, transport: this.#transport.description }, "printer connected");
    if (this.bidirectional) {
      await this.refreshStatus();
      if (this.profile.asb) await this.#armAsb();
    } else {
      this.#status.set(unknownStatus(Date.now()));
    }
    this.#connectedListeners.emit();
    this.#status.startPolling();
  }

  #onClosed(reason: Error | undefined): void {
    this.#status.stopPolling();
    const error = reason === undefined ? undefined : toDriverError(reason, "closed");
    this.#replies.failAll(error ?? new DriverError("closed", `${this.id} connection closed`));
    if (this.#connection === "stopped") return;
    this.#connection = "offline";
    this.#status.set(unknownStatus(Date.now(), "disconnected"));
    this.#logger.warn({ ns: NS, printer: this.id, err: error?.message }, "printer disconnected");
    this.#disconnectedListeners.emit(error);
    // Hot-plug: come back by ourselves; a link that keeps dying young backs off like a failed open.
    const stable = Date.now() - this.#connectedAt > STABLE_CONNECTION_MS;
    this.#flaps = stable ? 0 : this.#flaps + 1;
    this.#connecting = this.#connectLoop(
      () => undefined,
      this.#flaps === 0 ? 0 : backoffDelay(this.#flaps - 1, this.#options.reconnect),
    );
  }

  // ---- responses ----------------------------------------------------------------------------------
  #onResponse(response: PrinterResponse): void {
    switch (response.type) {
      case "realtime":
        this.#replies.onRealtime(response.byte);
        return;
      case "asb": {
        const status = statusFromAsb(response.bytes, Date.now());
        if (status !== null) this.#status.set(status);
        return;
      }
      case "sequence":
        this.#replies.onSequence(response.byte);
        return;
      case "process-id":
        this.#replies.onProcessId(response.id);
        return;
      case "buffer-cleared":
      case "block":
      case "xon":
      case "xoff":
      case "garbage":
        this.#logger.debug({ ns: NS, printer: this.id, response: response.type }, "unsolicited response");
        return;
    }
  }

  // ---- status ---------------------------------------------------------------------------------------
  #write(bytes: Uint8Array): Promise<void> {
    return this.#writeLock.run(() => this.#transport.write(bytes, { timeoutMs: this.#options.writeTimeoutMs }));
  }

  /** Sends DLE EOT n at a command boundary and waits for its byte (undefined on timeout). */
  async #queryRealtime(n: RealtimeStatusKind, timeoutMs: number): Promise<number | undefined> {
    return this.#writeLock.run(async () => {
      const answer = this.#replies.expectRealtime(timeoutMs);
      // stop() or a closed link may reject the answer while the write is still pending: mark it
      // handled now (an unhandled rejection would end the process); the caller still gets it below.
      answer.catch(() => undefined);
      await this.#transport.write(realtimeStatusRequest(n), { timeoutMs });
      return answer;
    });
  }

  /** Reads DLE EOT 1–4 now (see StatusReader.refresh: never `ok` for what it could not read). */
  refreshStatus(timeoutMs?: number): Promise<PrinterStatus> {
    return this.#status.refresh(timeoutMs);
  }

  async #armAsb(): Promise<void> {
    await this.#write(automaticStatusBack(ASB_ALL)).catch(() => undefined);
  }

  // ---- printing ------------------------------------------------------------------------------------
  #tag(): string {
    this.#nextTag = (this.#nextTag + 1) % 10_000;
    return String(this.#nextTag).padStart(4, "0");
  }

  /** Sends one job (send-job.ts); jobs are serialised. */
  send(commands: readonly EncodedCommand[], options: SendOptions): Promise<SendOutcome> {
    return this.#jobLock.run(() => sendJob(this.#jobLink, commands, options));
  }

  // ---- drawer and pass-through ----------------------------------------------------------------------
  /**
   * Kicks a drawer pin. `realtime` uses DLE DC4 fn 1 (works while the printer is offline) and needs
   * `supportsRealtimePulse`; `buffered` uses ESC p and waits behind queued print data.
   */
  async pulse(pin: DrawerPin, mode: "buffered" | "realtime"): Promise<void> {
    if (this.#connection !== "online") throw new DriverError("not_open", `${this.id} is offline`);
    if (mode === "realtime") {
      if (!this.profile.supportsRealtimePulse)
        throw new DriverError("unsupported", `${this.profile.id} has no real-time pulse (DLE DC4 1)`);
      await this.#write(realtimePulse(pin, 1));
      return;
    }
    await this.#write(bufferedPulse(pin));
  }

  /** Writes bytes to a pole display wired in pass-through: ESC = 2, the bytes, ESC = 1. */
  async writePassThrough(bytes: Uint8Array): Promise<void> {
    if (this.#connection !== "online") throw new DriverError("not_open", `${this.id} is offline`);
    await this.#write(concatBytes([selectPeripheral(Peripheral.display), bytes, selectPeripheral(Peripheral.printer)]));
  }

  /** Re-initialises the printer (ESC @) and re-arms ASB; used after an interrupted job. */
  async reinitialize(): Promise<void> {
    await this.#write(INITIALIZE);
    if (this.profile.asb) await this.#armAsb();
  }
}
