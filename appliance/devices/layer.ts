/**
 * The device layer: binds the drivers to galleyd. Makes one device service per configured device
 * (registry.ts: printers, drawer, pole display — service.ts says what each offers), writes print
 * jobs in the transactions of the events that cause them, keeps the ordering gate, and publishes
 * the device state on the WebSocket `devices` topic. Status, alerts, event routing and shutdown go
 * through the list of services. A failing device marks itself offline; galleyd keeps serving.
 */
import { isBlocked, type PoleDisplaySimulator } from "../../drivers/index.ts";
import { iso, type CommandContext } from "../commands/context.ts";
import { onAppend, type JournalEvent } from "../journal/events.ts";
import { pruneDeviceEvents } from "../journal/device-log-store.ts";
import { getOrder } from "../journal/order-store.ts";
import { jobCounts, orphanedJobs, pruneJobs, transitionJob, type JobCounts } from "../journal/print-store.ts";
import { forModule, type Logger } from "../lib/logger.ts";
import type { DevicesStatus } from "../../protocol/schemas/devices.ts";
import { resolveDevices, type ResolvedDevices } from "./config.ts";
import { DisplayService } from "./display-service.ts";
import { DrawerService } from "./drawer-service.ts";
import { OrderingGate } from "./gate.ts";
import { JobWriter } from "./job-writer.ts";
import { PrintArchive } from "./print-archive.ts";
import { PrinterService } from "./printer-service.ts";
import { DEVICE_KINDS } from "./registry.ts";
import type { DeviceDeps, DeviceService } from "./service.ts";
import type { SpoolerOptions } from "./spooler.ts";
import { devicesStatus } from "./views.ts";

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

/** Finished jobs and device history older than this are deleted at start and daily. */
const KEEP_JOBS_DAYS = 7;
const KEEP_DEVICE_EVENTS_DAYS = 30;
const PUBLISH_DEBOUNCE_MS = 50;

export class DeviceLayer {
  readonly devices: ResolvedDevices;
  readonly gate: OrderingGate;
  readonly writer: JobWriter;
  readonly #services: DeviceService[] = [];
  readonly printers = new Map<string, PrinterService>();
  readonly #deps: DeviceLayerDeps;
  readonly #log: Logger;
  readonly #offs: (() => void)[] = [];
  readonly #simulators: DeviceDeps["simulators"] = { display: undefined };
  #archive: PrintArchive | undefined;
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
        this.#log.info(
          { ordering: state.state, kitchenPrinters: state.kitchenPrinters, kitchenScreens: state.kitchenScreens },
          "ordering gate",
        );
        this.changed();
      },
    });
  }

  get ctx(): CommandContext {
    return this.#deps.ctx;
  }

  /** Every device, in registration order (registry.ts): printers, then the drawer, then the display. */
  get services(): readonly DeviceService[] {
    return this.#services;
  }

  /** The cash drawer, when one is configured (diagnostics, drawer jobs). */
  get drawer(): DrawerService | undefined {
    return this.services.find((s) => s instanceof DrawerService);
  }

  /** The pole display, when one is configured (the counter's frames, diagnostics). */
  get display(): DisplayService | undefined {
    return this.services.find((s) => s instanceof DisplayService);
  }

  /** The display's simulator when it is simulated (development, tests). */
  get displaySimulator(): PoleDisplaySimulator | undefined {
    return this.#simulators.display;
  }

  // ---- lifecycle ---------------------------------------------------------------------------------

  async start(): Promise<void> {
    const { ctx, push } = this.#deps;
    this.#offs.push(onAppend(ctx.journal, this.writer.onEvent));
    if (this.devices.printsDir !== undefined && this.devices.printers.some((p) => p.uri.startsWith("sim:")))
      this.#archive = new PrintArchive(this.devices.printsDir, this.#log);
    const deviceDeps = this.#deviceDeps();
    for (const kind of DEVICE_KINDS) for (const service of kind.createAll(deviceDeps)) this.#add(service);
    this.#settleOrphans();
    this.#prune();
    this.#housekeeping = setInterval(() => {
      this.#prune();
    }, 86_400_000);
    this.#housekeeping.unref();

    for (const service of this.services) {
      const hook = service.onAppend?.bind(service);
      if (hook) this.#offs.push(onAppend(ctx.journal, hook));
    }
    // Every device connects at once (a printer that does not answer must not delay the others);
    // work starts once all have tried, in registration order (a drawer after its printer's queue).
    await Promise.all(this.services.map((s) => s.connect?.() ?? Promise.resolve()));
    for (const service of this.services) service.start();
    this.#offs.push(
      push.onKitchenPresence(() => {
        this.gate.refresh();
        this.changed();
      }),
    );
    push.setDevicesSource(() => this.status(false));
    this.gate.refresh();
    this.#log.info(
      {
        printers: this.devices.printers.map((p) => p.id),
        devices: this.services.map((s) => `${s.kind}:${s.id}`),
        simulated: this.devices.simulatedDefaults,
      },
      "devices started",
    );
  }

  async stop(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    clearTimeout(this.#publishTimer);
    clearInterval(this.#housekeeping);
    for (const off of this.#offs.splice(0)) off();
    await Promise.all(
      this.services.map(async (s) => {
        await s.stop();
      }),
    );
    await Promise.all(this.services.map((s) => s.disconnect?.() ?? Promise.resolve()));
    this.#archive?.close();
  }

  /** After COMMIT: every device reacts (spoolers wake for the jobs written in the transaction, the display shows a frame). */
  onCommitted(events: readonly JournalEvent[]): void {
    if (this.#stopped) return;
    for (const service of this.services) service.onCommitted?.(events);
    this.changed();
  }

  // ---- building --------------------------------------------------------------------------------------

  #deviceDeps(): DeviceDeps {
    return {
      ctx: this.#deps.ctx,
      devices: this.devices,
      log: this.#deps.log,
      printer: (id) => this.printers.get(id)?.actor,
      services: () => this.services,
      documents: () => this.writer.documents(),
      changed: () => {
        this.changed();
      },
      refreshGate: () => {
        this.gate.refresh();
      },
      stopped: () => this.#stopped,
      archive: this.#archive,
      spooler: this.#deps.spooler,
      simulators: this.#simulators,
    };
  }

  #add(service: DeviceService): void {
    this.#services.push(service);
    if (service instanceof PrinterService) this.printers.set(service.id, service);
  }

  /** Jobs left on printers that are no longer configured would wait forever: they fail, visibly. */
  #settleOrphans(): void {
    const { journal, clock } = this.#deps.ctx;
    const at = iso(clock.now());
    for (const job of orphanedJobs(journal, [...this.printers.keys()])) {
      transitionJob(journal, job.id, [job.state], "failed", at, {
        lastError: `printer "${job.printerId}" is no longer configured`,
      });
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
    let counts: ReadonlyMap<string, JobCounts> | undefined;
    const pass = { withUris, jobCounts: () => (counts ??= jobCounts(this.#deps.ctx.journal)) };
    return devicesStatus(
      this.services.map((s) => s.report(pass)),
      this.gate.state,
    );
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
