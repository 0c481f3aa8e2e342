/**
 * The customer's pole display: a welcome when idle, the counter's total when it places an order,
 * the payment and change due when it is paid, "Order 42 ready" when the kitchen is done — then
 * back to the welcome after `idleSeconds`. The counter screen may also show the line just added
 * (`POST /api/devices/display`). A display that is offline never delays anything. Wired
 * directly, or behind a printer (ESC = n pass-through): then it is made after the printers
 * (registry.ts) and is online while that printer is.
 */
import {
  changeFrame,
  createDisplay,
  createPoleDisplaySimulator,
  formatMoney,
  orderReadyFrame,
  totalFrame,
  welcomeFrame,
  type DisplayFrame,
  type DisplayHandle,
  type Locale,
} from "../../drivers/index.ts";
import { AppError } from "../lib/errors.ts";
import { forModule, type Logger } from "../lib/logger.ts";
import type { JournalEvent } from "../journal/events.ts";
import { getOrder } from "../journal/order-store.ts";
import type { DisplayFrameBody, DisplayStatusView } from "../../protocol/schemas/devices.ts";
import type { DisplayConfig } from "./config-schema.ts";
import type { DeviceKind, DeviceReport, DeviceService } from "./service.ts";
import { displayAlerts } from "./views.ts";

export interface DisplayServiceDeps {
  display: DisplayHandle;
  config: DisplayConfig;
  storeName: string;
  /** Currency of the current menu, for amounts the counter sends. */
  currency(): string;
  locale: Locale;
  /** The number of an order (status events carry only its id). */
  orderNumber(orderId: string): number | undefined;
  /** Whether the wire to the display is up (pass-through: the printer's connection). */
  connected(): boolean;
  log: Logger;
  onChange(): void;
}

export class DisplayService implements DeviceService<DisplayStatusView> {
  readonly kind = "display";
  readonly id = "display";
  readonly #deps: DisplayServiceDeps;
  #idle: NodeJS.Timeout | undefined;

  constructor(deps: DisplayServiceDeps) {
    this.#deps = deps;
  }

  /** A direct display opens its wire (retrying by itself); one behind a printer has nothing to open. */
  async connect(): Promise<void> {
    await this.#deps.display.start().catch((error: unknown) => {
      this.#deps.log.warn({ err: error }, "pole display did not start");
    });
  }

  start(): void {
    void this.#show(this.#welcome(), false);
  }

  stop(): void {
    clearTimeout(this.#idle);
  }

  async disconnect(): Promise<void> {
    await this.#deps.display.stop().catch(() => undefined);
  }

  #welcome(): DisplayFrame {
    const { display } = this.#deps;
    // Frames are laid out by the driver helpers, which transliterate for the display's code page.
    return welcomeFrame("Welcome!", this.#deps.config.welcome ?? this.#deps.storeName, display.columns);
  }

  /** Amounts laid out as they will be shown: PC437 has no euro sign, so it is spelled out first (as the driver would). */
  #money(minor: number, currency = this.#deps.currency()): string {
    return formatMoney(minor, currency, this.#deps.locale).replaceAll("€", "EUR");
  }

  /** Reacts to committed events (after COMMIT). */
  onCommitted(events: readonly JournalEvent[]): void {
    for (const event of events) {
      const frame = this.#frameFor(event);
      if (frame) void this.#show(frame, true);
    }
  }

  #frameFor(event: JournalEvent): DisplayFrame | undefined {
    const columns = this.#deps.display.columns;
    if (event.type === "order.placed") {
      const order = event.payload.order;
      return order.channel === "counter"
        ? totalFrame(this.#money(order.totals.total, order.totals.currency), "TOTAL", columns)
        : undefined;
    }
    if (event.type === "payment.recorded") {
      const p = event.payload;
      // Cash payments always carry what was handed over; the type also admits null, which shows the total.
      if (p.method === "cash" && p.tendered !== undefined && p.tendered !== null)
        return changeFrame(this.#money(p.tendered, p.currency), this.#money(p.change ?? 0, p.currency), columns);
      return totalFrame(this.#money(p.amount + p.tip, p.currency), "PAID  Thank you!", columns);
    }
    if (event.type === "order.status_changed") {
      const { orderId, to } = event.payload;
      const number = to === "ready" ? this.#deps.orderNumber(orderId) : undefined;
      return number === undefined ? undefined : orderReadyFrame(number, columns);
    }
    return undefined;
  }

  /** `POST /api/devices/display` and the display test: shows a frame now; resolves once written. */
  async showFrame(body: DisplayFrameBody): Promise<void> {
    const columns = this.#deps.display.columns;
    let frame: DisplayFrame;
    switch (body.frame) {
      case "welcome":
        frame = this.#welcome();
        break;
      case "item":
        await this.#deps.display.itemAdded(body.name, body.quantity, this.#money(body.amount));
        this.#afterShow(true);
        return;
      case "total":
        frame = totalFrame(this.#money(body.amount), "TOTAL", columns);
        break;
      case "change":
        frame = changeFrame(this.#money(body.paid), this.#money(body.change), columns);
        break;
      case "ready":
        frame = orderReadyFrame(body.number, columns);
        break;
      case "text":
        frame = [body.lines[0] ?? "", body.lines[1] ?? ""];
        break;
    }
    await this.#deps.display.show(frame);
    this.#afterShow(body.frame !== "welcome");
  }

  async #show(frame: DisplayFrame, thenIdle: boolean): Promise<void> {
    try {
      await this.#deps.display.show(frame);
      this.#afterShow(thenIdle);
    } catch (error) {
      this.#deps.log.debug(
        { err: error instanceof Error ? error.message : String(error) },
        "pole display not reachable",
      );
    }
  }

  #afterShow(thenIdle: boolean): void {
    clearTimeout(this.#idle);
    if (thenIdle) {
      this.#idle = setTimeout(() => void this.#show(this.#welcome(), false), this.#deps.config.idleSeconds * 1_000);
      this.#idle.unref();
    }
    this.#deps.onChange();
  }

  /** The technician's test pattern; returns the two rows the display shows. */
  async test(): Promise<DisplayStatusView> {
    await this.showFrameOrFail({ frame: "text", lines: ["GALLEY DISPLAY TEST", "0123456789ABCDEFGHIJ"] });
    return this.status();
  }

  /** `showFrame`, a display that does not take the frame reported as `device_unavailable`. */
  async showFrameOrFail(body: DisplayFrameBody): Promise<void> {
    try {
      await this.showFrame(body);
    } catch (error) {
      throw new AppError(
        "device_unavailable",
        `the customer display did not take the frame: ${error instanceof Error ? error.message : String(error)}`,
        { cause: error },
      );
    }
  }

  report(): DeviceReport<DisplayStatusView> {
    const view = this.status();
    return { view, alerts: displayAlerts(view) };
  }

  status(): DisplayStatusView {
    const { display, config } = this.#deps;
    const [first, second] = display.lastFrame;
    return {
      id: "display",
      kind: "display",
      wiring: config.passThrough === undefined ? "direct" : "pass-through",
      commandSet: config.commandSet,
      connection: this.#deps.connected() ? "online" : "offline",
      lines: [first, second],
    };
  }
}

export const displayKind: DeviceKind<DisplayConfig> = {
  kind: "display",
  configs: (devices) => (devices.display ? [devices.display] : []),
  create: (config, deps) => {
    const { ctx } = deps;
    let handle: DisplayHandle;
    let connected: () => boolean;
    if (config.passThrough !== undefined) {
      const host = deps.printer(config.passThrough);
      if (!host) return undefined;
      handle = createDisplay({ passThrough: host }, { commandSet: config.commandSet, logger: deps.log });
      connected = () => host.connection === "online";
    } else {
      const uri = config.uri ?? "sim:";
      if (uri.startsWith("sim:")) deps.simulators.display = createPoleDisplaySimulator(config.commandSet);
      const simulator = deps.simulators.display;
      handle = createDisplay(uri, {
        commandSet: config.commandSet,
        logger: deps.log,
        ...(simulator ? { simulator } : {}),
      });
      let online = false;
      handle.on("connected", () => {
        online = true;
        deps.changed();
      });
      handle.on("disconnected", () => {
        online = false;
        deps.changed();
      });
      connected = () => online;
    }
    const locale = deps.documents();
    return new DisplayService({
      display: handle,
      config,
      storeName: ctx.config.store.name,
      currency: () => ctx.catalogue.get()?.menu.currency ?? ctx.config.store.currency,
      locale: {
        ...(locale.locale === undefined ? {} : { locale: locale.locale }),
        ...(locale.timeZone === undefined ? {} : { timeZone: locale.timeZone }),
      },
      orderNumber: (orderId) => getOrder(ctx.journal, orderId)?.snapshot.number,
      connected,
      log: forModule(deps.log, "devices:display"),
      onChange: () => {
        deps.changed();
      },
    });
  },
};
