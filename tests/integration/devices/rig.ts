/**
 * The real galleyd (startTestApp) driving printers that are TCP printer simulators on 127.0.0.1:
 * a kitchen printer for every station and a counter printer for receipts and number slips, with
 * the cash drawer on the counter printer and the pole display behind it (ESC = n pass-through).
 */
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import type { TestContext } from "node:test";
import {
  createPoleDisplaySimulator,
  createPrinterSimulator,
  renderPageText,
  startSimulatorServer,
  type PoleDisplaySimulator,
  type PrinterSimulator,
  type PrinterSimulatorOptions,
  type SimulatorServer,
} from "../../../drivers/index.ts";
import type { ManualClock } from "../../../appliance/lib/clock.ts";
import type { DevicesStatus, PrintJobView } from "../../../protocol/schemas/devices.ts";
import type { OrderView } from "../../../protocol/schemas/orders.ts";
import type { ServerMessage } from "../../../protocol/schemas/push.ts";
import { startTestApp, type PushClient, type TestApp } from "../../helpers/test-app.ts";
import { waitFor } from "../../helpers/wait.ts";

/** Waits until `check` holds (polling every 20 ms), failing with `what` after `timeoutMs`. */
export async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 5_000): Promise<void> {
  await waitFor(check, { what, timeoutMs, intervalMs: 20 });
}

/** Printer timings fast enough for tests (a pulled cable is seen within ~0.2 s). */
export const FAST = { pollIntervalMs: 50, statusTimeoutMs: 150, reconnectInitialMs: 30, reconnectMaxMs: 120 } as const;

export interface SimPrinter {
  simulator: PrinterSimulator;
  readonly server: SimulatorServer;
  readonly uri: string;
  /** Every page so far as text (one per cut; a page cut short by a fault runs into the next). */
  pages(): string[];
  /** Pulls the cable: the server goes away (connections refused). */
  unplug(): Promise<void>;
  /** Plugs it back in on the same port. */
  plugIn(): Promise<void>;
  close(): Promise<void>;
}

export async function simPrinter(profile: string, options: PrinterSimulatorOptions = {}): Promise<SimPrinter> {
  const simulator = createPrinterSimulator({ profile, ...options });
  let server = await startSimulatorServer(simulator);
  const port = server.port;
  let up = true;
  return {
    simulator,
    get server() {
      return server;
    },
    uri: server.uri,
    pages: () => simulator.printedPages.map((p) => renderPageText(p)),
    async unplug() {
      if (!up) return;
      up = false;
      await server.close();
    },
    async plugIn() {
      if (up) return;
      server = await startSimulatorServer(simulator, { port });
      up = true;
    },
    async close() {
      if (up) await server.close();
      up = false;
    },
  };
}

export interface RigOptions {
  kitchenProfile?: string;
  kitchenSim?: PrinterSimulatorOptions;
  counterProfile?: string;
  /** Use this kitchen printer (e.g. the same one across a galleyd restart). */
  kitchen?: SimPrinter;
  /** Extra keys of `devices` (overrides). */
  devices?: Record<string, unknown>;
  config?: Record<string, unknown>;
  clock?: ManualClock;
}

export interface DeviceRig {
  app: TestApp;
  kitchen: SimPrinter;
  counter: SimPrinter;
  pole: PoleDisplaySimulator;
  kiosk: string;
  cashier: string;
  kitchenStaff: string;
  order(items?: unknown[], token?: string, extra?: Record<string, unknown>): Promise<OrderView>;
  pay(order: OrderView, method: "cash" | "card", tendered?: number): Promise<void>;
  jobs(query?: string): Promise<PrintJobView[]>;
  waitJobs(
    what: string,
    query: string,
    check: (jobs: PrintJobView[]) => boolean,
    timeoutMs?: number,
  ): Promise<PrintJobView[]>;
  status(): Promise<DevicesStatus>;
  socket(token: string, topics: string[]): Promise<PushClient>;
  /** Stops galleyd and both printer simulators (a suite-level rig; one given a test context stops itself). */
  stop(): Promise<void>;
}

export const BURGER = {
  menuItemId: "burger",
  quantity: 2,
  options: [
    { group: "doneness", option: "well" },
    { group: "extras", option: "cheese" },
  ],
  note: "no salt",
};
export const FRIES = { menuItemId: "fries", quantity: 1 };
export const COLA = { menuItemId: "cola", quantity: 1 };

export async function startDeviceRig(t: TestContext | undefined, options: RigOptions = {}): Promise<DeviceRig> {
  const kitchen = options.kitchen ?? (await simPrinter(options.kitchenProfile ?? "epson-tm-t20", options.kitchenSim));
  const pole = createPoleDisplaySimulator("epson");
  const counter = await simPrinter(options.counterProfile ?? "epson-tm-t88", { passThroughDisplay: pole });
  const app = await startTestApp({
    ...(options.clock ? { clock: options.clock } : {}),
    config: {
      ...options.config,
      devices: {
        printers: [
          {
            id: "kitchen",
            name: "Kitchen printer",
            uri: kitchen.uri,
            profile: options.kitchenProfile ?? "epson-tm-t20",
            kitchenStations: ["*"],
            ...FAST,
          },
          {
            id: "counter",
            name: "Counter printer",
            uri: counter.uri,
            profile: options.counterProfile ?? "epson-tm-t88",
            receipts: true,
            numberSlips: true,
            ...FAST,
          },
        ],
        drawer: { printer: "counter", leftOpenAfterSeconds: 1 },
        display: { passThrough: "counter", commandSet: "epson", welcome: "Harbour Grill", idleSeconds: 30 },
        statusBaseUrl: "https://galley.test",
        savePrints: false,
        bootSlip: { enabled: false },
        ...options.devices,
      },
    },
  });
  const cleanup = async (): Promise<void> => {
    await app.stop();
    await kitchen.close();
    await counter.close();
  };
  t?.after(cleanup);
  const kiosk = await app.tokenFor("kiosk");
  const cashier = await app.tokenFor("cashier");
  const kitchenStaff = await app.tokenFor("kitchen");
  const jobs = async (query = ""): Promise<PrintJobView[]> => {
    const res = await app.api<{ jobs: PrintJobView[] }>("GET", `/api/print-jobs${query}`, { token: app.adminToken });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return res.body.jobs;
  };
  return {
    app,
    kitchen,
    counter,
    pole,
    kiosk,
    cashier,
    kitchenStaff,
    async order(items = [BURGER, FRIES], token = kiosk, extra = {}) {
      const res = await app.placeOrder(token, items, extra);
      assert.equal(res.status, 201, JSON.stringify(res.body));
      return res.body;
    },
    async pay(order, method, tendered) {
      const res = await app.api("POST", `/api/orders/${order.id}/payments`, {
        token: cashier,
        body: { id: randomUUID(), method, amount: order.totals.total, ...(tendered === undefined ? {} : { tendered }) },
      });
      assert.equal(res.status, 201, JSON.stringify(res.body));
    },
    jobs,
    async waitJobs(what, query, check, timeoutMs = 5_000) {
      let last: PrintJobView[] = [];
      await until(what, async () => check((last = await jobs(query))), timeoutMs).catch((error: unknown) => {
        throw new Error(
          `${(error as Error).message}; jobs: ${JSON.stringify(last.map((j) => [j.kind, j.station, j.state, j.banner, j.lastError]))}`,
        );
      });
      return last;
    },
    async status() {
      const res = await app.api<DevicesStatus>("GET", "/api/devices/status", { token: app.adminToken });
      assert.equal(res.status, 200);
      return res.body;
    },
    stop: cleanup,
    async socket(token, topics) {
      const client = await app.socket(token);
      t?.after(() => {
        client.terminate();
      });
      await client.waitFor((m) => m.type === "hello");
      for (const topic of topics) {
        client.send({ type: "subscribe", topic });
        await client.waitFor((m) => m.type === "ready" && m.topic === topic);
      }
      return client;
    },
  };
}

type Delta = Extract<ServerMessage, { type: "delta" }>;

/** The latest device state a `devices` subscriber has (snapshot or delta). */
export function latestDevices(client: PushClient): DevicesStatus | undefined {
  for (let i = client.messages.length - 1; i >= 0; i--) {
    const m = client.messages[i];
    if (m?.type === "delta" && m.data.kind === "devices") return m.data.devices;
    if (m?.type === "snapshot" && m.data.topic === "devices") return m.data.devices;
  }
  return undefined;
}

export function isDevicesDelta(m: ServerMessage): m is Delta {
  return m.type === "delta" && m.data.kind === "devices";
}

/** Copies of a ticket on paper: each `#<number>` line, and whether a REPRINT/COPY banner headed it. */
export function ticketCopies(
  pages: readonly string[],
  number: number,
  station?: string,
): { plain: number; reprint: number; copy: number } {
  const result = { plain: 0, reprint: 0, copy: 0 };
  for (const page of pages) {
    let banner: "reprint" | "copy" | undefined;
    let stationSeen = station === undefined;
    for (const line of page.split("\n")) {
      const text = line.trim();
      if (text.includes("*** REPRINT ***")) banner = "reprint";
      else if (text.includes("*** COPY ***")) banner = "copy";
      else if (station !== undefined && text === station.toUpperCase()) stationSeen = true;
      else if (/^#\d+$/.test(text)) {
        if (text === `#${number}` && stationSeen) result[banner === undefined ? "plain" : banner] += 1;
        banner = undefined;
        stationSeen = station === undefined;
      }
    }
  }
  return result;
}
