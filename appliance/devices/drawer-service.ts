/**
 * The cash drawer on a printer's kick-out connector: kicks (never retried), open/closed from the
 * sensor, and the "drawer left open" alert after `leftOpenAfterSeconds`. Every kick and every
 * opening is written to the device history. The drawer hangs on a printer: it is made after the
 * printers (registry.ts) and its kicks go through that printer.
 */
import { createDrawer, type CashDrawer, type DrawerState, type ReceiptPrinter } from "../../drivers/index.ts";
import { iso } from "../commands/context.ts";
import type { Clock } from "../lib/clock.ts";
import { AppError } from "../lib/errors.ts";
import { forModule, type Logger } from "../lib/logger.ts";
import type { Journal } from "../journal/database.ts";
import { logDeviceEvent } from "../journal/device-log-store.ts";
import type { DrawerStatusView } from "../../protocol/schemas/devices.ts";
import type { DrawerConfig } from "./config-schema.ts";
import type { DeviceKind, DeviceReport, DeviceService } from "./service.ts";
import { drawerAlerts } from "./views.ts";

export interface DrawerServiceDeps {
  printer: ReceiptPrinter;
  config: DrawerConfig;
  journal: Journal;
  clock: Clock;
  log: Logger;
  onChange(): void;
}

export class DrawerService implements DeviceService<DrawerStatusView> {
  readonly kind = "drawer";
  readonly id = "drawer";
  readonly #deps: DrawerServiceDeps;
  readonly #drawer: CashDrawer;
  #openSince: string | null = null;
  #lastKickAt: string | null = null;

  constructor(deps: DrawerServiceDeps) {
    this.#deps = deps;
    const { config } = deps;
    this.#drawer = createDrawer(deps.printer, {
      pin: config.pin,
      ...(config.polarity === "profile" ? {} : { polarity: config.polarity }),
      leftOpenAfterMs: config.leftOpenAfterSeconds * 1_000,
      logger: deps.log,
    });
  }

  get printerId(): string {
    return this.#deps.config.printer;
  }

  get state(): DrawerState {
    return this.#drawer.state;
  }

  start(): void {
    const record = (type: string): void => {
      try {
        logDeviceEvent(this.#deps.journal, "drawer", type, { printer: this.printerId }, iso(this.#deps.clock.now()));
      } catch (error) {
        this.#deps.log.warn({ err: error }, "could not record a drawer event");
      }
    };
    this.#drawer.on("opened", () => {
      this.#openSince = iso(this.#deps.clock.now());
      record("drawer.opened");
    });
    this.#drawer.on("closed", () => {
      this.#openSince = null;
      record("drawer.closed");
    });
    this.#drawer.on("left-open", () => {
      this.#deps.log.warn(
        { printer: this.printerId, afterSeconds: this.#deps.config.leftOpenAfterSeconds },
        "cash drawer left open",
      );
      record("drawer.left_open");
    });
    this.#drawer.on("state", () => {
      this.#deps.onChange();
    });
    this.#drawer.start();
  }

  stop(): void {
    this.#drawer.stop();
  }

  /** Fires the solenoid once; throws when the printer cannot take the pulse (never retried). */
  async kick(reason: string): Promise<void> {
    const at = iso(this.#deps.clock.now());
    try {
      await this.#drawer.kick();
    } catch (error) {
      logDeviceEvent(
        this.#deps.journal,
        "drawer",
        "drawer.kick_failed",
        { printer: this.printerId, reason, error: error instanceof Error ? error.message : String(error) },
        at,
      );
      throw error;
    }
    this.#lastKickAt = at;
    logDeviceEvent(this.#deps.journal, "drawer", "drawer.kicked", { printer: this.printerId, reason }, at);
    this.#deps.onChange();
  }

  /** Resolves once the drawer's state is no longer `kicking`, or after `timeoutMs`. */
  async settled(timeoutMs: number): Promise<DrawerState> {
    const deadline = Date.now() + timeoutMs;
    for (let i = 0; i < 1_000 && this.#drawer.state === "kicking" && Date.now() < deadline; i++) {
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    return this.#drawer.state;
  }

  /** The technician's test: one kick (never retried), then the drawer's state a moment later. */
  async test(by: string): Promise<DrawerStatusView> {
    try {
      await this.kick(`diagnostics by ${by}`);
    } catch (error) {
      throw new AppError(
        "device_unavailable",
        `the drawer could not be kicked: ${error instanceof Error ? error.message : String(error)}`,
        { cause: error },
      );
    }
    await this.settled(1_500);
    return this.status();
  }

  report(): DeviceReport<DrawerStatusView> {
    const view = this.status();
    return { view, alerts: drawerAlerts(view) };
  }

  status(): DrawerStatusView {
    const state = this.#drawer.state;
    return {
      id: "drawer",
      kind: "drawer",
      printerId: this.printerId,
      state,
      openSince: state === "open" || state === "open-too-long" ? this.#openSince : null,
      leftOpenAfterSeconds: this.#deps.config.leftOpenAfterSeconds,
      lastKickAt: this.#lastKickAt,
    };
  }
}

export const drawerKind: DeviceKind<DrawerConfig> = {
  kind: "drawer",
  configs: (devices) => (devices.drawer ? [devices.drawer] : []),
  create: (config, deps) => {
    const printer = deps.printer(config.printer);
    if (!printer) return undefined;
    const { ctx } = deps;
    return new DrawerService({
      printer,
      config,
      journal: ctx.journal,
      clock: ctx.clock,
      log: forModule(deps.log, "devices:drawer"),
      onChange: () => {
        deps.changed();
      },
    });
  },
};
