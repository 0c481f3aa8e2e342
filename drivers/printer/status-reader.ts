import { toDriverError } from "../errors.ts";
import { RealtimeStatus, type RealtimeStatusKind } from "../escpos/commands.ts";
import { statusFromRealtime, unknownStatus, type PrinterStatus, type RealtimeReadings } from "../escpos/status.ts";
import { ListenerSet } from "../listeners.ts";
import type { DriverLogger } from "../logger.ts";

/** What the status reader needs from the printer actor that owns the link. */
export interface StatusLink {
  readonly id: string;
  readonly logger: DriverLogger;
  /** Online with the transport open: a request can be written. */
  readable(): boolean;
  bidirectional(): boolean;
  transportOpen(): boolean;
  /** DLE EOT n at a command boundary; its answer byte, or undefined on timeout. */
  queryRealtime(n: RealtimeStatusKind, timeoutMs: number): Promise<number | undefined>;
  /** The printer stopped answering: close the link (the actor reconnects). */
  drop(): void;
}

export interface StatusReaderOptions {
  /** Status poll period while online (liveness too: a pulled cable is only seen by a poll). Default 2000. */
  pollIntervalMs?: number | undefined;
  /** Wait for each DLE EOT answer. Default 1000. */
  statusTimeoutMs?: number | undefined;
  /** Consecutive unanswered polls before the connection is dropped and re-opened. Default 3. */
  unresponsiveLimit?: number | undefined;
}

const NS = "drivers:printer";

/**
 * A printer's typed status: read with DLE EOT 1–4 on demand and by a poll while online, set from
 * ASB blocks by the actor, and reported to listeners only when it changed. A printer that leaves
 * `unresponsiveLimit` polls in a row unanswered gets its link dropped.
 */
export class StatusReader {
  readonly #link: StatusLink;
  readonly #options: StatusReaderOptions;
  readonly #listeners: ListenerSet<[PrinterStatus]>;
  #status: PrinterStatus = unknownStatus(Date.now(), "disconnected");
  #pollTimer: NodeJS.Timeout | undefined;
  #polling = false;
  #missedPolls = 0;

  constructor(link: StatusLink, options: StatusReaderOptions) {
    this.#link = link;
    this.#options = options;
    this.#listeners = new ListenerSet(`${link.id} status`, link.logger);
  }

  get current(): PrinterStatus {
    return this.#status;
  }

  onChange(listener: (status: PrinterStatus) => void): () => void {
    return this.#listeners.add(listener);
  }

  /** Takes `status`; listeners hear of it when anything but its time differs. */
  set(status: PrinterStatus): void {
    const before = this.#status;
    this.#status = status;
    const same =
      before.health === status.health &&
      before.online === status.online &&
      before.paper === status.paper &&
      before.coverOpen === status.coverOpen &&
      before.drawerPin3High === status.drawerPin3High &&
      before.faults.join() === status.faults.join();
    if (!same) this.#listeners.emit(status);
  }

  /**
   * Reads DLE EOT 1–4 now. Never reports `ok` for what it could not read: a one-way printer is
   * `unknown`, a printer that does not answer is `unresponsive`, a closed link is `disconnected`.
   */
  async refresh(timeoutMs = this.#options.statusTimeoutMs ?? 1000): Promise<PrinterStatus> {
    const link = this.#link;
    if (!link.readable()) {
      this.set(unknownStatus(Date.now(), "disconnected"));
      return this.#status;
    }
    if (!link.bidirectional()) {
      this.set(unknownStatus(Date.now()));
      return this.#status;
    }
    try {
      const readings: RealtimeReadings = {};
      readings.printer = await link.queryRealtime(RealtimeStatus.printer, timeoutMs);
      if (readings.printer === undefined) {
        this.#missedPolls++;
        this.set(unknownStatus(Date.now(), "unresponsive"));
        return this.#status;
      }
      readings.offlineCause = await link.queryRealtime(RealtimeStatus.offlineCause, timeoutMs);
      readings.errorCause = await link.queryRealtime(RealtimeStatus.errorCause, timeoutMs);
      readings.paperSensor = await link.queryRealtime(RealtimeStatus.paperSensor, timeoutMs);
      this.#missedPolls = 0;
      this.set(statusFromRealtime(readings, Date.now()));
    } catch (error) {
      link.logger.debug(
        { ns: NS, printer: link.id, err: toDriverError(error, "read_failed").message },
        "status read failed",
      );
      if (!link.transportOpen()) this.set(unknownStatus(Date.now(), "disconnected"));
    }
    return this.#status;
  }

  /** A fresh link starts with a clean count of missed polls. */
  resetMisses(): void {
    this.#missedPolls = 0;
  }

  /** Polls while the link is up. */
  startPolling(): void {
    this.stopPolling();
    if (!this.#link.bidirectional()) return;
    const period = this.#options.pollIntervalMs ?? 2000;
    this.#pollTimer = setInterval(() => {
      if (this.#polling) return;
      this.#polling = true;
      void this.refresh()
        .then(() => {
          if (this.#missedPolls >= (this.#options.unresponsiveLimit ?? 3)) {
            this.#link.logger.warn({ ns: NS, printer: this.#link.id }, "printer stopped answering; reconnecting");
            this.#missedPolls = 0;
            this.#link.drop();
          }
        })
        .finally(() => {
          this.#polling = false;
        });
    }, period);
    this.#pollTimer.unref();
  }

  stopPolling(): void {
    if (this.#pollTimer !== undefined) clearInterval(this.#pollTimer);
    this.#pollTimer = undefined;
  }
}
