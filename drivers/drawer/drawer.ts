import { DriverError } from "../errors.ts";
import type { DrawerPin } from "../escpos/commands.ts";
import type { PrinterStatus } from "../escpos/status.ts";
import { ListenerSet } from "../listeners.ts";
import { silentDriverLogger, type DriverLogger } from "../logger.ts";
import type { DrawerPolarity } from "../printer/profiles.ts";

/**
 * What the drawer needs from the printer it hangs on (a PrinterActor fits). Kept narrow so a
 * fake printer can drive the drawer in unit tests.
 */
export interface DrawerHost {
  readonly profile: { supportsRealtimePulse: boolean; drawerPolarity: DrawerPolarity };
  readonly status: PrinterStatus;
  refreshStatus(timeoutMs?: number): Promise<PrinterStatus>;
  pulse(pin: DrawerPin, mode: "buffered" | "realtime"): Promise<void>;
  on(event: "status", listener: (status: PrinterStatus) => void): () => void;
}

export type DrawerState = "unknown" | "closed" | "kicking" | "open" | "open-too-long" | "no-sensor";

export interface DrawerOptions {
  /** Which connector pin fires the solenoid; `both` when the wiring is unknown (Odoo kicks both). Default 2. */
  pin?: DrawerPin | "both";
  /** How pin 3 reads when the drawer is open. Default: the printer profile's. */
  polarity?: DrawerPolarity;
  /** Raise `left-open` after the drawer stayed open this long. Default 60 s. */
  leftOpenAfterMs?: number;
  /** Poll period while kicking or open (250–500 ms, docs/architecture.md#escpos-facts). Default 300. */
  pollOpenMs?: number;
  /** A kick that does not show the drawer open within this time falls back to closed. Default 3 s. */
  kickWindowMs?: number;
  /** `auto` = real-time DLE DC4 where the profile allows, else ESC p. Default auto. */
  kickMode?: "auto" | "buffered" | "realtime";
  logger?: DriverLogger;
}

export type DrawerEvent = "opened" | "closed" | "left-open" | "kicked" | "state";

const NS = "drivers:drawer";

/**
 * The cash drawer on a printer's kick-out connector. The sensor is DLE EOT 1 bit 2 / ASB byte 1
 * bit 2 ("pin 3"), read with a configurable polarity; a change is accepted after two equal reads.
 * Kicks are never retried: a drawer that pops open twice is worse than one that did not open
 * (docs/architecture.md#the-spooler).
 */
export class CashDrawer {
  readonly #host: DrawerHost;
  readonly #options: Required<Omit<DrawerOptions, "logger" | "polarity">> & { polarity: DrawerPolarity };
  readonly #logger: DriverLogger;
  readonly #listeners = new Map<DrawerEvent, ListenerSet<[DrawerState]>>();
  #state: DrawerState = "unknown";
  #candidate: boolean | null = null;
  #offStatus: (() => void) | undefined;
  #pollTimer: NodeJS.Timeout | undefined;
  #leftOpenTimer: NodeJS.Timeout | undefined;
  #kickDeadline = 0;
  #reading = false;

  constructor(host: DrawerHost, options: DrawerOptions = {}) {
    this.#host = host;
    this.#logger = options.logger ?? silentDriverLogger;
    this.#options = {
      pin: options.pin ?? 2,
      polarity: options.polarity ?? host.profile.drawerPolarity,
      leftOpenAfterMs: options.leftOpenAfterMs ?? 60_000,
      pollOpenMs: options.pollOpenMs ?? 300,
      kickWindowMs: options.kickWindowMs ?? 3_000,
      kickMode: options.kickMode ?? "auto",
    };
    for (const event of ["opened", "closed", "left-open", "kicked", "state"] as const)
      this.#listeners.set(event, new ListenerSet(`drawer ${event}`, this.#logger));
  }

  get state(): DrawerState {
    return this.#state;
  }
  get polarity(): DrawerPolarity {
    return this.#options.polarity;
  }

  /** Subscribes to drawer events; every listener receives the new state. */
  on(event: DrawerEvent, listener: (state: DrawerState) => void): () => void {
    return this.#listeners.get(event)?.add(listener) ?? (() => undefined);
  }

  #emit(event: DrawerEvent): void {
    this.#listeners.get(event)?.emit(this.#state);
  }

  start(): void {
    if (this.#offStatus !== undefined) return;
    if (this.#options.polarity === "none") {
      this.#setState("no-sensor");
      return;
    }
    this.#offStatus = this.#host.on("status", (status) => {
      this.#onReading(status.drawerPin3High);
    });
    this.#onReading(this.#host.status.drawerPin3High);
  }

  stop(): void {
    this.#offStatus?.();
    this.#offStatus = undefined;
    clearTimeout(this.#pollTimer);
    clearTimeout(this.#leftOpenTimer);
    this.#pollTimer = undefined;
    this.#leftOpenTimer = undefined;
  }

  /** Fires the solenoid once. Throws DriverError when the printer cannot take the pulse. */
  async kick(): Promise<void> {
    const realtime =
      this.#options.kickMode === "realtime" ||
      (this.#options.kickMode === "auto" && this.#host.profile.supportsRealtimePulse);
    if (this.#options.kickMode === "realtime" && !this.#host.profile.supportsRealtimePulse) {
      throw new DriverError("unsupported", "this printer has no real-time drawer pulse");
    }
    const pins: DrawerPin[] = this.#options.pin === "both" ? [2, 5] : [this.#options.pin];
    for (const pin of pins) await this.#host.pulse(pin, realtime ? "realtime" : "buffered");
    this.#logger.info({ ns: NS, pins, realtime }, "drawer kicked");
    if (this.#state !== "no-sensor") {
      this.#kickDeadline = Date.now() + this.#options.kickWindowMs;
      if (this.#state !== "open" && this.#state !== "open-too-long") this.#setState("kicking");
      this.#schedulePoll();
    }
    this.#emit("kicked");
  }

  #isOpen(pin3High: boolean): boolean {
    return this.#options.polarity === "high-is-open" ? pin3High : !pin3High;
  }

  /** One sensor reading; a change needs a second equal reading before it counts. */
  #onReading(pin3High: boolean | null): void {
    if (pin3High === null || this.#options.polarity === "none") return;
    const open = this.#isOpen(pin3High);
    const current =
      this.#state === "open" || this.#state === "open-too-long" ? true : this.#state === "closed" ? false : null;
    if (open === current) {
      this.#candidate = null;
      this.#afterReading();
      return;
    }
    if (this.#candidate === open) {
      this.#candidate = null;
      if (open) this.#opened();
      else this.#closed();
      return;
    }
    this.#candidate = open;
    this.#confirmSoon();
  }

  #afterReading(): void {
    if (this.#state === "kicking" && Date.now() >= this.#kickDeadline) this.#setState("closed");
    this.#schedulePoll();
  }

  #opened(): void {
    this.#setState("open");
    this.#emit("opened");
    clearTimeout(this.#leftOpenTimer);
    this.#leftOpenTimer = setTimeout(() => {
      if (this.#state !== "open") return;
      this.#setState("open-too-long");
      this.#logger.warn({ ns: NS, afterMs: this.#options.leftOpenAfterMs }, "drawer left open");
      this.#emit("left-open");
    }, this.#options.leftOpenAfterMs);
    this.#leftOpenTimer.unref();
    this.#schedulePoll();
  }

  #closed(): void {
    clearTimeout(this.#leftOpenTimer);
    const wasOpen = this.#state === "open" || this.#state === "open-too-long";
    this.#setState("closed");
    if (wasOpen) this.#emit("closed");
  }

  #setState(state: DrawerState): void {
    if (state === this.#state) return;
    this.#state = state;
    this.#emit("state");
  }

  #confirmSoon(): void {
    clearTimeout(this.#pollTimer);
    this.#pollTimer = setTimeout(() => void this.#read(), Math.min(100, this.#options.pollOpenMs));
    this.#pollTimer.unref();
  }

  /** Fast polling only while kicking or open; otherwise the printer's own poll/ASB drives us. */
  #schedulePoll(): void {
    clearTimeout(this.#pollTimer);
    this.#pollTimer = undefined;
    if (this.#offStatus === undefined) return;
    if (this.#state !== "kicking" && this.#state !== "open" && this.#state !== "open-too-long") return;
    this.#pollTimer = setTimeout(() => void this.#read(), this.#options.pollOpenMs);
    this.#pollTimer.unref();
  }

  async #read(): Promise<void> {
    if (this.#reading || this.#offStatus === undefined) return;
    this.#reading = true;
    try {
      const status = await this.#host.refreshStatus();
      this.#onReading(status.drawerPin3High);
      if (status.drawerPin3High === null) this.#schedulePoll();
    } catch (error) {
      this.#logger.debug({ ns: NS, err: error instanceof Error ? error.message : String(error) }, "drawer read failed");
      this.#schedulePoll();
    } finally {
      this.#reading = false;
    }
  }
}

/** Creates the drawer for a printer; call `start()` to begin watching the sensor. */
export function createDrawer(host: DrawerHost, options: DrawerOptions = {}): CashDrawer {
  return new CashDrawer(host, options);
}
