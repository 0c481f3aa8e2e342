import { ListenerSet } from "../listeners.ts";
import { silentDriverLogger, traceIn, traceOut, type DriverLogger } from "../logger.ts";
import { resolveProfile, type DrawerPolarity, type PrinterProfile } from "../printer/profiles.ts";
import { ArmedFaults, type SimulatorFaults } from "./faults.ts";
import { EscPosInterpreter, type InterpreterEvent } from "./interpreter.ts";
import type { PaperPage } from "./paper.ts";
import { PassThroughRouter } from "./pass-through.ts";
import type { RealtimeCommand } from "./realtime-detector.ts";
import { ReceiveBuffer } from "./receive-buffer.ts";
import { renderPagesPng } from "./render-png.ts";
import { renderPagesText, type TextRenderOptions } from "./render-text.ts";
import {
  asbBlock,
  bufferClearedReply,
  drawerPin3High,
  printerIdReply,
  processIdReply,
  realtimeStatusByte,
  sequenceStatusByte,
  type SimulatedError,
} from "./status-replies.ts";

export type { SimulatedError } from "./status-replies.ts";
export type { SimulatorFaults } from "./faults.ts";

export interface PrinterSimulatorOptions {
  /** Profile (or id) whose geometry and code-page table the simulated printer has. Default epson-tm-t20. */
  profile?: PrinterProfile | string;
  faults?: SimulatorFaults;
  /** How the simulated drawer's switch is wired to pin 3. Default low-is-open. */
  drawerPolarity?: DrawerPolarity;
  /** Whether ESC @ disables ASB (Bixolon SRP-332II behaviour). Default true. */
  asbResetOnInit?: boolean;
  /** A pole display wired in pass-through in front of the printer (ESC = n). */
  passThroughDisplay?: { push(bytes: Uint8Array): void };
  logger?: DriverLogger;
}

export interface SimulatorState {
  paper: "ok" | "nearEnd" | "end";
  coverOpen: boolean;
  drawerOpen: boolean;
  error: SimulatedError | null;
  asbMask: number;
  realtimePulseEnabled: boolean;
  online: boolean;
}

export interface SimulatedPulse {
  pin: 2 | 5;
  realtime: boolean;
  at: number;
}

const NS = "drivers:sim";

/** A stateful ESC/POS printer: interprets what it receives, answers status, injects faults. */
export class PrinterSimulator {
  readonly profile: PrinterProfile;
  readonly #logger: DriverLogger;
  readonly #interpreter: EscPosInterpreter;
  readonly #buffer: ReceiveBuffer;
  readonly #replies: ListenerSet<[Uint8Array]>;
  readonly #disconnects: ListenerSet<[]>;
  readonly #processed: ListenerSet<[number]>;
  readonly #printed: ListenerSet<[PaperPage]>;
  readonly #router: PassThroughRouter | undefined;
  readonly #asbResetOnInit: boolean;
  readonly #faults: ArmedFaults;
  #drawerPolarity: DrawerPolarity;
  #state: Omit<SimulatorState, "online"> = {
    paper: "ok",
    coverOpen: false,
    drawerOpen: false,
    error: null,
    asbMask: 0,
    realtimePulseEnabled: true,
  };
  #bytesReceived = 0;
  #bytesProcessed = 0;
  #lastAsb = "";
  #queue: Promise<void> = Promise.resolve();
  readonly pulses: SimulatedPulse[] = [];
  readonly processIds: string[] = [];
  readonly unknownCommands: string[] = [];

  constructor(options: PrinterSimulatorOptions = {}) {
    this.profile = resolveProfile(options.profile ?? "epson-tm-t20");
    this.#logger = options.logger ?? silentDriverLogger;
    this.#faults = new ArmedFaults(options.faults);
    this.#drawerPolarity = options.drawerPolarity ?? "low-is-open";
    this.#asbResetOnInit = options.asbResetOnInit ?? true;
    this.#interpreter = new EscPosInterpreter({ columns: this.profile.columns, codePages: this.profile.codePages });
    this.#buffer = new ReceiveBuffer({
      online: () => this.online,
      mayProcess: (length) => this.#mayProcess(length),
      onCommand: (command, token) => {
        this.#bytesProcessed += token.length;
        for (const event of this.#interpreter.execute(command, token)) this.#onEvent(event);
      },
      onRealtime: (command) => {
        this.#onRealtime(command);
      },
    });
    this.#replies = new ListenerSet("sim reply", this.#logger);
    this.#disconnects = new ListenerSet("sim disconnect", this.#logger);
    this.#processed = new ListenerSet("sim processed", this.#logger);
    this.#printed = new ListenerSet("sim printed", this.#logger);
    const display = options.passThroughDisplay;
    this.#router =
      display === undefined
        ? undefined
        : new PassThroughRouter(
            (b) => {
              display.push(b);
            },
            (b) => {
              this.#buffer.push(b);
            },
          );
  }

  // ---- wiring to endpoints -----------------------------------------------------------------------
  /** Bytes to the host (status answers). */
  onReply(listener: (bytes: Uint8Array) => void): () => void {
    return this.#replies.add(listener);
  }
  /** The simulator wants the connection dropped (disconnect fault). */
  onDisconnect(listener: () => void): () => void {
    return this.#disconnects.add(listener);
  }
  /** Called after each received chunk has been consumed, with the running byte count. */
  onConsumed(listener: (bytesReceived: number) => void): () => void {
    return this.#processed.add(listener);
  }

  /**
   * A page was cut off (one receipt or ticket). Dev mode writes it to ./var/prints with
   * `renderPageText(page)` / `renderPagePng(page, { dotsPerLine })`.
   */
  onPrinted(listener: (page: PaperPage) => void): () => void {
    return this.#printed.add(listener);
  }

  /** Bytes from the host. Resolves once they are consumed (slow reads delay it: backpressure). */
  receive(chunk: Uint8Array): Promise<void> {
    const copy = chunk.slice();
    const delay = this.#faults.readDelayMs;
    if (delay <= 0) {
      this.#take(copy);
      return Promise.resolve();
    }
    this.#queue = this.#queue.then(
      () =>
        new Promise<void>((resolve) =>
          setTimeout(() => {
            this.#take(copy);
            resolve();
          }, delay),
        ),
    );
    return this.#queue;
  }

  #take(chunk: Uint8Array): void {
    const getsIn = this.#faults.disconnectWithin(this.#bytesReceived, chunk.length);
    const bytes = getsIn === undefined ? chunk : chunk.subarray(0, getsIn);
    this.#bytesReceived += bytes.length;
    traceIn(this.#logger, NS, "sim", bytes);
    if (this.#router === undefined) this.#buffer.push(bytes);
    else this.#router.route(bytes);
    this.#processed.emit(this.#bytesReceived);
    if (getsIn !== undefined) this.#disconnects.emit();
  }

  // ---- buffer processing ---------------------------------------------------------------------------
  /** The paper-out fault fires when the printer reaches its byte: the command waits until paper is back. */
  #mayProcess(length: number): boolean {
    if (!this.#faults.paperRunsOut(this.#bytesProcessed, length)) return true;
    this.#state.paper = "end";
    this.#stateChanged();
    return false;
  }

  #onRealtime(command: RealtimeCommand): void {
    switch (command.type) {
      case "status":
        this.#reply(Uint8Array.of(realtimeStatusByte(command.n, this.#state, this.online, this.#drawerPin3High)));
        return;
      case "recover":
        if (this.#state.error === "recoverable" || this.#state.error === "autocutter") this.#state.error = null;
        if (command.n === 2) this.#buffer.clear();
        this.#stateChanged();
        return;
      case "pulse":
        // Ignored while disabled by GS ( D or in an error state [T88 p.383].
        if (this.#state.realtimePulseEnabled && this.#state.error === null) this.#pulse(command.pin, true);
        return;
      case "power-off":
        return;
      case "clear-buffers":
        this.#buffer.clear();
        this.#reply(bufferClearedReply());
        return;
    }
  }

  #onEvent(event: InterpreterEvent): void {
    switch (event.type) {
      case "init":
        if (this.#asbResetOnInit) this.#state.asbMask = 0;
        return;
      case "cut":
        this.#printed.emit(event.page);
        return;
      case "asb":
        this.#state.asbMask = event.mask;
        this.#lastAsb = "";
        if (event.mask !== 0) this.#sendAsb();
        return;
      case "sequence-status":
        this.#reply(Uint8Array.of(sequenceStatusByte(event.n, this.#state.paper, this.#drawerPin3High)));
        return;
      case "process-id":
        this.processIds.push(event.id);
        this.#reply(processIdReply(event.id));
        return;
      case "printer-id":
        this.#reply(printerIdReply(event.n, this.profile.id));
        return;
      case "pulse":
        this.#pulse(event.pin, false);
        return;
      case "realtime-enable":
        if (event.pulse !== undefined) this.#state.realtimePulseEnabled = event.pulse;
        return;
      case "unknown":
        this.unknownCommands.push(event.name);
        return;
    }
  }

  #pulse(pin: 2 | 5, realtime: boolean): void {
    this.pulses.push({ pin, realtime, at: Date.now() });
    this.#logger.debug({ ns: NS, pin, realtime }, "drawer pulse");
    if (!this.#state.drawerOpen) {
      this.#state.drawerOpen = true;
      this.#stateChanged();
    }
  }

  // ---- answers -------------------------------------------------------------------------------------
  #reply(bytes: Uint8Array): void {
    if (this.#faults.mute) return;
    traceOut(this.#logger, NS, "sim", bytes);
    this.#replies.emit(bytes);
  }

  get #drawerPin3High(): boolean {
    return drawerPin3High(this.#drawerPolarity, this.#state.drawerOpen);
  }

  #sendAsb(): void {
    const block = asbBlock(this.#state, this.online, this.#drawerPin3High);
    const key = block.join(",");
    if (key === this.#lastAsb) return;
    this.#lastAsb = key;
    this.#reply(Uint8Array.from(block));
  }

  #stateChanged(): void {
    if (this.#state.asbMask !== 0) this.#sendAsb();
    // Coming back online resumes the buffer where it stopped.
    this.#buffer.resume();
  }

  // ---- controls for tests and the admin preview --------------------------------------------------
  get online(): boolean {
    const s = this.#state;
    return !s.coverOpen && s.paper !== "end" && (s.error === null || s.error === "autoRecoverable");
  }

  get state(): SimulatorState {
    return { ...this.#state, online: this.online };
  }

  get bytesReceived(): number {
    return this.#bytesReceived;
  }

  /** Bytes waiting in the receive buffer (not yet printed). */
  get pendingBytes(): number {
    return this.#buffer.length;
  }

  setPaper(paper: "ok" | "nearEnd" | "end"): void {
    this.#state.paper = paper;
    this.#stateChanged();
  }
  setCoverOpen(open: boolean): void {
    this.#state.coverOpen = open;
    this.#stateChanged();
  }
  setDrawerOpen(open: boolean): void {
    this.#state.drawerOpen = open;
    this.#stateChanged();
  }
  setError(error: SimulatedError | null): void {
    this.#state.error = error;
    this.#stateChanged();
  }
  /** Replaces the injected faults; byte positions count from now. */
  setFaults(faults: SimulatorFaults): void {
    this.#faults.replace(faults, { received: this.#bytesReceived, processed: this.#bytesProcessed });
  }
  setDrawerPolarity(polarity: DrawerPolarity): void {
    this.#drawerPolarity = polarity;
    this.#stateChanged();
  }

  get pages(): readonly PaperPage[] {
    return this.#interpreter.pages;
  }
  /** Pages that have content (the trailing empty page after a cut is left out). */
  get printedPages(): PaperPage[] {
    return this.#interpreter.pages.filter((p) => p.items.length > 0);
  }
  /** Code-page numbers the host selected that this printer does not have. */
  get unknownCodePages(): number[] {
    return this.#interpreter.unknownCodePages;
  }
  /** Tears off everything printed so far. */
  clearPaper(): void {
    this.#interpreter.clearPaper();
  }
  /** What was printed, as text (see render-text.ts). */
  text(options?: TextRenderOptions): string {
    return renderPagesText(this.printedPages, options);
  }
  /** What was printed, as a PNG image. */
  png(): Uint8Array {
    return renderPagesPng(this.printedPages, { dotsPerLine: this.profile.dotsPerLine });
  }
}

/** Creates a printer simulator (see PrinterSimulator). */
export function createPrinterSimulator(options: PrinterSimulatorOptions = {}): PrinterSimulator {
  return new PrinterSimulator(options);
}
