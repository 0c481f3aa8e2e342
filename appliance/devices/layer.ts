/**
 * The device layer: binds the drivers to galleyd. Builds the printers, drawer and pole display
 * from the `devices` configuration, writes print jobs in the transactions of the events that cause
 * them, runs one spooler per printer, keeps the ordering gate, and publishes the device state on
 * the WebSocket `devices` topic. A failing device marks itself offline; galleyd keeps serving.
 */
import {
  createDisplay,
  createPoleDisplaySimulator,
  createPrinter,
  createPrinterSimulator,
  isBlocked,
  resolveProfile,
  type DisplayHandle,
  type PoleDisplaySimulator,
  type ReceiptPrinter,
} from "../../drivers/index.ts";
import { iso, type CommandContext } from "../commands/context.ts";
import { onAppend, type JournalEvent } from "../journal/events.ts";
import { logDeviceEvent, pruneDeviceEvents } from "../journal/device-log-store.ts";
import { getOrder } from "../journal/order-store.ts";
import { jobCounts, orphanedJobs, pruneJobs, transitionJob } from "../journal/print-store.ts";
import { forModule, type Logger } from "../lib/logger.ts";
import type { DevicesStatus, PrinterStatusView } from "../../protocol/schemas/devices.ts";
import { resolveDevices, type ResolvedDevices, type ResolvedPrinter } from "./config.ts";
import { DisplayService } from "./display-service.ts";
import { DrawerService } from "./drawer-service.ts";
import { OrderingGate } from "./gate.ts";
import { JobWriter } from "./job-writer.ts";
import { PrintArchive } from "./print-archive.ts";
import { PrintSpooler, type SpoolerOptions } from "./spooler.ts";
import { devicesStatus, printerView } from "./views.ts";

/** What the device layer needs from the WebSocket hub (push/hub.ts). */
export interface PushPort {
  /** Kitchen screens subscribed to the kitchen topic now. */
  kitchenScreens(): number;
  /** Called whenever kitchen screens come or go. */
  onKitchenPresence(listener: () => void): () => void;
  /** The `devices` topic's snapshot source. */
  setDevicesSource(source: () => DevicesStatus): void;
  publishDevices(status: DevicesStatus): void;
}

export interface DeviceLayerDeps {
  ctx: CommandContext;
  push: PushPort;
  log: Logger;
  /** Tests and benchmarks tune the spoolers. */
  spooler?: SpoolerOptions;
}

export interface PrinterEntry {
  config: ResolvedPrinter;
  actor: ReceiptPrinter;
  spooler: PrintSpooler;
  changedAt: string;
}

/** Finished jobs and device history older than this are deleted at start and daily. */
const KEEP_JOBS_DAYS = 7;
const KEEP_DEVICE_EVENTS_DAYS = 30;
const PUBLISH_DEBOUNCE_MS = 50;

export class DeviceLayer {
  readonly devices: ResolvedDevices;
  readonly gate: OrderingGate;
  readonly writer: JobWriter;
  readonly printers = new Map<string, PrinterEntry>();
  drawer: DrawerService | undefined;
  display: DisplayService | undefined;
  /** The display's simulator when it is simulated (development, tests). */
  displaySimulator: PoleDisplaySimulator | undefined;
  readonly #deps: DeviceLayerDeps;
  readonly #log: Logger;
  readonly #offs: (() => void)[] = [];
  #archive: PrintArchive | undefined;
  #displayHandle: DisplayHandle | undefined;
  #publishTimer: NodeJS.Timeout | undefined;
  #housekeeping: NodeJS.Timeout | undefined;
  #lastPublished = "";
  #stopped = false;

  constructor(deps: DeviceLayerDeps) {
    this.#deps = deps;
    this.#log = forModule(deps.log, "devices");
    this.devices = resolveDevices(deps.ctx.config);
    this.writer = new JobWriter(deps.ctx, this.devices);
    const { ctx, push } = deps;
    this.gate = new OrderingGate({
      requireKitchenRoute: this.devices.requireKitchenRoute,
      kitchenPrinters: () => this.#workingKitchenPrinters(),
      kitchenScreens: () => push.kitchenScreens(),
      orderExists: (id) => getOrder(ctx.journal, id) !== undefined,
      clock: ctx.clock,
      onChange: (state) => {
        this.#log.info({ ordering: state.state, kitchenPrinters: state.kitchenPrinters, kitchenScreens: state.kitchenScreens }, "ordering gate");
        this.changed();
      },
    });
  }

  get ctx(): CommandContext {
    return this.#deps.ctx;
  }

  // ---- lifecycle ---------------------------------------------------------------------------------

  async start(): Promise<void> {
    const { ctx, push } = this.#deps;
    this.#offs.push(onAppend(ctx.journal, this.writer.onEvent));
    if (this.devices.printsDir !== undefined && this.devices.printers.some((p) => p.uri.startsWith("sim:"))) this.#archive = new PrintArchive(this.devices.printsDir, this.#log);
    for (const config of this.devices.printers) this.#addPrinter(config);
    this.#settleOrphans();
    this.#prune();
    this.#housekeeping = setInterval(() => {
      this.#prune();
    }, 86_400_000);
    this.#housekeeping.unref();

    const drawerConfig = this.devices.drawer;
    const drawerHost = drawerConfig ? this.printers.get(drawerConfig.printer) : undefined;
    if (drawerConfig && drawerHost) {
      this.drawer = new DrawerService({ printer: drawerHost.actor, config: drawerConfig, journal: ctx.journal, clock: ctx.clock, log: forModule(this.#deps.log, "devices:drawer"), onChange: () => { this.changed(); } });
    }
    this.#createDisplay();

    await Promise.all([...this.printers.values()].map((p) => p.actor.start()));
    for (const printer of this.printers.values()) printer.spooler.start();
    this.drawer?.start();
    await this.#displayHandle?.start().catch((error: unknown) => {
      this.#log.warn({ err: error }, "pole display did not start");
    });
    this.display?.start();
    this.#offs.push(
      push.onKitchenPresence(() => {
        this.gate.refresh();
        this.changed();
      }),
    );
    push.setDevicesSource(() => this.status(false));
    this.gate.refresh();
    this.#log.info({ printers: this.devices.printers.map((p) => p.id), drawer: this.drawer !== undefined, display: this.display !== undefined, simulated: this.devices.simulatedDefaults }, "devices started");
  }

  async stop(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    clearTimeout(this.#publishTimer);
    clearInterval(this.#housekeeping);
    for (const off of this.#offs.splice(0)) off();
    const spoolers = [...this.printers.values()].map((p) => p.spooler);
    await Promise.all(spoolers.map((s) => s.stop()));
    this.drawer?.stop();
    this.display?.stop();
    await this.#displayHandle?.stop().catch(() => undefined);
    await Promise.all([...this.printers.values()].map((p) => p.actor.stop()));
    await Promise.all(spoolers.map((s) => s.drain()));
    this.#archive?.close();
  }

  /** After COMMIT: wake the spoolers (new jobs were written in the transaction), update the display. */
  onCommitted(events: readonly JournalEvent[]): void {
    if (this.#stopped) return;
    for (const printer of this.printers.values()) printer.spooler.wake();
    this.display?.onCommitted(events);
    this.changed();
  }

  // ---- building --------------------------------------------------------------------------------------

  #addPrinter(config: ResolvedPrinter): void {
    const { ctx } = this.#deps;
    const profile = resolveProfile(config.profile, config.columns === undefined ? {} : { columns: config.columns });
    const display = this.devices.display;
    let simulator;
    if (config.uri.startsWith("sim:") && display?.passThrough === config.id) {
      // A simulated display wired behind a simulated printer (ESC = n pass-through).
      this.displaySimulator = createPoleDisplaySimulator(display.commandSet);
      simulator = createPrinterSimulator({ profile, passThroughDisplay: this.displaySimulator, logger: this.#deps.log });
    }
    const actor = createPrinter(config.uri, {
      id: config.id,
      profile,
      logger: this.#deps.log,
      pollIntervalMs: config.pollIntervalMs,
      statusTimeoutMs: config.statusTimeoutMs,
      reconnect: { initialMs: config.reconnectInitialMs, maxMs: config.reconnectMaxMs },
      ...(simulator ? { simulator } : {}),
    });
    const archive = this.#archive;
    if (archive && actor.simulator) actor.simulator.onPrinted((page) => { archive.save(config.id, page, profile.dotsPerLine); });
    const entry: PrinterEntry = {
      config,
      actor,
      changedAt: iso(ctx.clock.now()),
      spooler: new PrintSpooler({
        journal: ctx.journal,
        printer: actor,
        clock: ctx.clock,
        log: forModule(this.#deps.log, "devices:spooler"),
        orderStatus: (orderId) => getOrder(ctx.journal, orderId)?.status,
        kickDrawer: (job) => {
          if (!this.drawer || this.drawer.printerId !== config.id) return Promise.reject(new Error("no drawer on this printer"));
          return this.drawer.kick(`job ${job.key}`);
        },
        onChange: () => {
          this.changed();
        },
        ...(this.#deps.spooler ? { options: this.#deps.spooler } : {}),
      }),
    };
    this.printers.set(config.id, entry);
    let faults = "";
    const note = (type: string, detail: Record<string, unknown>): void => {
      entry.changedAt = iso(ctx.clock.now());
      try {
        if (!this.#stopped) logDeviceEvent(ctx.journal, config.id, type, detail, entry.changedAt);
      } catch (error) {
        this.#log.warn({ err: error }, "could not record a device event");
      }
      this.gate.refresh();
      this.changed();
    };
    actor.on("connected", () => { note("printer.online", { transport: actor.transportDescription }); });
    actor.on("disconnected", (reason) => { note("printer.offline", { reason: reason?.message ?? "closed" }); });
    actor.on("status", (status) => {
      const now = status.faults.filter((f) => f !== "disconnected").join(",");
      if (now !== faults) {
        if (now !== "") this.#log.warn({ printer: config.id, faults: status.faults, paper: status.paper }, "printer fault");
        note(now === "" ? "printer.ready" : "printer.fault", { faults: status.faults, paper: status.paper });
        faults = now;
      } else {
        this.gate.refresh();
        this.changed();
      }
    });
  }

  #createDisplay(): void {
    const config = this.devices.display;
    if (!config) return;
    const { ctx } = this.#deps;
    let handle: DisplayHandle;
    let connected: () => boolean;
    if (config.passThrough !== undefined) {
      const host = this.printers.get(config.passThrough);
      if (!host) return;
      handle = createDisplay({ passThrough: host.actor }, { commandSet: config.commandSet, logger: this.#deps.log });
      connected = () => host.actor.connection === "online";
    } else {
      const uri = config.uri ?? "sim:";
      if (uri.startsWith("sim:")) this.displaySimulator = createPoleDisplaySimulator(config.commandSet);
      handle = createDisplay(uri, { commandSet: config.commandSet, logger: this.#deps.log, ...(this.displaySimulator ? { simulator: this.displaySimulator } : {}) });
      let online = false;
      handle.on("connected", () => {
        online = true;
        this.changed();
      });
      handle.on("disconnected", () => {
        online = false;
        this.changed();
      });
      connected = () => online;
    }
    this.#displayHandle = handle;
    const locale = this.writer.documents();
    this.display = new DisplayService({
      display: handle,
      config,
      storeName: ctx.config.store.name,
      currency: () => ctx.catalogue.get()?.menu.currency ?? ctx.config.store.currency,
      locale: { ...(locale.locale === undefined ? {} : { locale: locale.locale }), ...(locale.timeZone === undefined ? {} : { timeZone: locale.timeZone }) },
      orderNumber: (orderId) => getOrder(ctx.journal, orderId)?.snapshot.number,
      connected,
      log: forModule(this.#deps.log, "devices:display"),
      onChange: () => {
        this.changed();
      },
    });
  }

  /** Jobs left on printers that are no longer configured would wait forever: they fail, visibly. */
  #settleOrphans(): void {
    const { journal, clock } = this.#deps.ctx;
    const at = iso(clock.now());
    for (const job of orphanedJobs(journal, [...this.printers.keys()])) {
      transitionJob(journal, job.id, [job.state], "failed", at, { lastError: `printer "${job.printerId}" is no longer configured` });
    }
  }

  #prune(): void {
    const { journal, clock } = this.#deps.ctx;
    try {
      pruneJobs(journal, iso(clock.now() - KEEP_JOBS_DAYS * 86_400_000));
      pruneDeviceEvents(journal, iso(clock.now() - KEEP_DEVICE_EVENTS_DAYS * 86_400_000));
    } catch (error) {
      this.#log.warn({ err: error }, "pruning old print jobs failed");
    }
  }

  // ---- state -----------------------------------------------------------------------------------------

  #workingKitchenPrinters(): number {
    let working = 0;
    for (const { config, actor } of this.printers.values()) {
      if (config.kitchenStations.length > 0 && actor.connection === "online" && !isBlocked(actor.status)) working += 1;
    }
    return working;
  }

  /** The device state as the screens see it (`withUris` for HTTP callers, never on the WebSocket). */
  status(withUris: boolean): DevicesStatus {
    const counts = jobCounts(this.#deps.ctx.journal);
    const printers: PrinterStatusView[] = [...this.printers.values()].map((p) =>
      printerView({ config: p.config, profileId: p.actor.profile.id, connection: p.actor.connection, status: p.actor.status, bidirectional: p.actor.bidirectional, changedAt: p.changedAt }, counts.get(p.config.id), withUris),
    );
    return devicesStatus(printers, this.drawer?.status() ?? null, this.display?.status() ?? null, this.gate.state);
  }

  /** Something changed: publish the device state (coalesced; only when it differs). */
  changed(): void {
    if (this.#stopped || this.#publishTimer !== undefined) return;
    this.#publishTimer = setTimeout(() => {
      this.#publishTimer = undefined;
      if (this.#stopped) return;
      try {
        const status = this.status(false);
        const text = JSON.stringify(status);
        if (text === this.#lastPublished) return;
        this.#lastPublished = text;
        this.#deps.push.publishDevices(status);
      } catch (error) {
        this.#log.warn({ err: error }, "could not publish the device state");
      }
    }, PUBLISH_DEBOUNCE_MS);
    this.#publishTimer.unref();
  }
}

/** Builds and starts the device layer (called by createApp before HTTP serves). */
export async function startDevices(deps: DeviceLayerDeps): Promise<DeviceLayer> {
  const layer = new DeviceLayer(deps);
  await layer.start();
  return layer;
}
