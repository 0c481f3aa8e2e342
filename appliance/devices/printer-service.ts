/**
 * A receipt printer as a device service: its driver, its spooler (the persisted print queue),
 * its device history (online, offline, faults), its status view and alerts. Drawer jobs of this
 * printer go to the drawer hanging on it.
 */
import {
  createPoleDisplaySimulator,
  createPrinter,
  createPrinterSimulator,
  resolveProfile,
  type ReceiptPrinter,
} from "../../drivers/index.ts";
import { iso } from "../commands/context.ts";
import { logDeviceEvent } from "../journal/device-log-store.ts";
import { getOrder } from "../journal/order-store.ts";
import { forModule, type Logger } from "../lib/logger.ts";
import type { PrinterStatusView } from "../../protocol/schemas/devices.ts";
import type { ResolvedPrinter } from "./config.ts";
import { DrawerService } from "./drawer-service.ts";
import type { DeviceDeps, DeviceKind, DeviceReport, DeviceService, StatusPass } from "./service.ts";
import { PrintSpooler } from "./spooler.ts";
import { printerAlerts, printerView } from "./views.ts";

export class PrinterService implements DeviceService<PrinterStatusView> {
  readonly kind = "printer";
  readonly config: ResolvedPrinter;
  readonly actor: ReceiptPrinter;
  readonly spooler: PrintSpooler;
  changedAt: string;
  readonly #deps: DeviceDeps;
  readonly #log: Logger;

  constructor(config: ResolvedPrinter, deps: DeviceDeps) {
    this.config = config;
    this.#deps = deps;
    this.#log = forModule(deps.log, "devices");
    const { ctx } = deps;
    const profile = resolveProfile(config.profile, config.columns === undefined ? {} : { columns: config.columns });
    const display = deps.devices.display;
    let simulator;
    if (config.uri.startsWith("sim:") && display?.passThrough === config.id) {
      // A simulated display wired behind a simulated printer (ESC = n pass-through).
      deps.simulators.display = createPoleDisplaySimulator(display.commandSet);
      simulator = createPrinterSimulator({ profile, passThroughDisplay: deps.simulators.display, logger: deps.log });
    }
    const actor = createPrinter(config.uri, {
      id: config.id,
      profile,
      logger: deps.log,
      pollIntervalMs: config.pollIntervalMs,
      statusTimeoutMs: config.statusTimeoutMs,
      reconnect: { initialMs: config.reconnectInitialMs, maxMs: config.reconnectMaxMs },
      ...(simulator ? { simulator } : {}),
    });
    this.actor = actor;
    const archive = deps.archive;
    if (archive && actor.simulator)
      actor.simulator.onPrinted((page) => {
        archive.save(config.id, page, profile.dotsPerLine);
      });
    this.changedAt = iso(ctx.clock.now());
    this.spooler = new PrintSpooler({
      journal: ctx.journal,
      printer: actor,
      clock: ctx.clock,
      log: forModule(deps.log, "devices:spooler"),
      orderStatus: (orderId) => getOrder(ctx.journal, orderId)?.status,
      kickDrawer: (job) => {
        const drawer = deps
          .services()
          .find((s): s is DrawerService => s instanceof DrawerService && s.printerId === config.id);
        if (!drawer) return Promise.reject(new Error("no drawer on this printer"));
        return drawer.kick(`job ${job.key}`);
      },
      onChange: () => {
        deps.changed();
      },
      ...(deps.spooler ? { options: deps.spooler } : {}),
    });
    this.#watch();
  }

  get id(): string {
    return this.config.id;
  }

  /** Device history and the gate follow the driver's connection and faults. */
  #watch(): void {
    const { ctx } = this.#deps;
    const { config, actor } = this;
    let faults = "";
    const note = (type: string, detail: Record<string, unknown>): void => {
      this.changedAt = iso(ctx.clock.now());
      try {
        if (!this.#deps.stopped()) logDeviceEvent(ctx.journal, config.id, type, detail, this.changedAt);
      } catch (error) {
        this.#log.warn({ err: error }, "could not record a device event");
      }
      this.#deps.refreshGate();
      this.#deps.changed();
    };
    actor.on("connected", () => {
      note("printer.online", { transport: actor.transportDescription });
    });
    actor.on("disconnected", (reason) => {
      note("printer.offline", { reason: reason?.message ?? "closed" });
    });
    actor.on("status", (status) => {
      const now = status.faults.filter((f) => f !== "disconnected").join(",");
      if (now !== faults) {
        if (now !== "")
          this.#log.warn({ printer: config.id, faults: status.faults, paper: status.paper }, "printer fault");
        note(now === "" ? "printer.ready" : "printer.fault", { faults: status.faults, paper: status.paper });
        faults = now;
      } else {
        this.#deps.refreshGate();
        this.#deps.changed();
      }
    });
  }

  connect(): Promise<void> {
    return this.actor.start();
  }

  start(): void {
    this.spooler.start();
  }

  stop(): Promise<void> {
    return this.spooler.stop();
  }

  /** The printer stops first, so a job still at it settles; then the spooler's last step ends. */
  async disconnect(): Promise<void> {
    await this.actor.stop();
    await this.spooler.drain();
  }

  /** New jobs may have been written in the transaction that just committed. */
  onCommitted(): void {
    this.spooler.wake();
  }

  report(pass: StatusPass): DeviceReport<PrinterStatusView> {
    const { config, actor } = this;
    const view = printerView(
      {
        config,
        profileId: actor.profile.id,
        connection: actor.connection,
        status: actor.status,
        bidirectional: actor.bidirectional,
        changedAt: this.changedAt,
      },
      pass.jobCounts().get(config.id),
      pass.withUris,
    );
    return { view, alerts: printerAlerts(view) };
  }
}

export const printerKind: DeviceKind<ResolvedPrinter> = {
  kind: "printer",
  configs: (devices) => devices.printers,
  create: (config, deps) => new PrinterService(config, deps),
};
