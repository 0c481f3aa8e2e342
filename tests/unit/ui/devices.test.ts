/**
 * Device state on the screens: when the kiosk pauses ordering (and resumes by itself), which
 * printer faults the kitchen banner shows, a printer's state and a print job's actions in the
 * admin page; against a real galleyd, a kiosk paused until a kitchen screen connects.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type {
  DeviceAlert,
  DevicesStatus,
  OrderingState,
  PrinterStatusView,
  PrintJobView,
} from "../../../protocol/schemas/index.ts";
import { OrderingWatch } from "../../../ui/src/data/ordering.ts";
import { jobActions, kitchenPrinterNotices, needsAttention, printerCondition } from "../../../ui/src/data/printers.ts";
import { browserSocket, PushClient, socketUrl } from "../../../ui/src/data/push.ts";
import { startTestApp, type TestApp } from "../../helpers/test-app.ts";
import { waitUntil } from "./support/wait.ts";

describe("ordering watch", () => {
  it("pauses at once on a fresh state, after the grace on a live one, and resumes at once", (t) => {
    // The grace is a plain setTimeout: mocked, so the test moves time instead of waiting for it.
    t.mock.timers.enable({ apis: ["setTimeout"] });
    const flips: boolean[] = [];
    const watch = new OrderingWatch({ graceMs: 40, onChange: (paused) => flips.push(paused) });
    watch.update({ state: "paused" }, true);
    assert.equal(watch.paused, true, "what galleyd says on subscribe counts at once");
    watch.update({ state: "accepting" }, false);
    assert.equal(watch.paused, false);

    watch.update({ state: "paused" }, false);
    assert.equal(watch.paused, false, "a kitchen screen reloading does not flash the pause");
    t.mock.timers.tick(80);
    assert.equal(watch.paused, true);
    watch.update({ state: "accepting" }, false);
    assert.deepEqual(flips, [true, false, true, false]);
    watch.dispose();
  });

  it("does not pause when accepting returns within the grace", (t) => {
    t.mock.timers.enable({ apis: ["setTimeout"] });
    const watch = new OrderingWatch({ graceMs: 40 });
    watch.update({ state: "accepting" }, true);
    watch.update({ state: "paused" }, false);
    t.mock.timers.tick(10);
    watch.update({ state: "accepting" }, false);
    t.mock.timers.tick(60);
    assert.equal(watch.paused, false);
    watch.dispose();
  });

  it("pauses at once when a checkout is refused with kitchen_unreachable, until galleyd says accepting", () => {
    const watch = new OrderingWatch({ graceMs: 10_000 });
    watch.update({ state: "accepting" }, true);
    watch.refused();
    assert.equal(watch.paused, true);
    watch.update({ state: "paused" }, false);
    assert.equal(watch.paused, true, "no grace after a refusal");
    watch.update({ state: "accepting" }, true);
    assert.equal(watch.paused, false);
    watch.dispose();
  });
});

function printer(fields: Partial<PrinterStatusView> & { id: string }): PrinterStatusView {
  return {
    name: `${fields.id} printer`,
    kind: "printer",
    profile: "epson-tm-t20",
    simulated: false,
    roles: { kitchenStations: ["*"], receipts: false, numberSlips: false },
    connection: "online",
    health: "ok",
    paper: "ok",
    coverOpen: false,
    faults: [],
    bidirectional: true,
    jobs: { waiting: 0, held: 0, needsAttention: 0 },
    changedAt: "2026-11-25T12:00:00.000Z",
    ...fields,
  };
}

function status(printers: PrinterStatusView[], alerts: DeviceAlert[]): DevicesStatus {
  const ordering: OrderingState = {
    state: "accepting",
    since: "2026-11-25T12:00:00.000Z",
    requireKitchenRoute: true,
    kitchenPrinters: 1,
    kitchenScreens: 1,
  };
  return { printers, drawer: null, display: null, ordering, alerts };
}

describe("printers on the screens", () => {
  const grill = printer({
    id: "grill",
    name: "Grill printer",
    roles: { kitchenStations: ["grill"], receipts: false, numberSlips: false },
    paper: "end",
    faults: ["paperEnd"],
    jobs: { waiting: 0, held: 2, needsAttention: 1 },
  });
  const pass = printer({ id: "pass", name: "Pass printer", connection: "offline", health: "error" });
  const counter = printer({
    id: "counter",
    name: "Counter printer",
    roles: { kitchenStations: [], receipts: true, numberSlips: true },
    coverOpen: true,
    faults: ["coverOpen"],
  });
  const devices = status(
    [grill, pass, counter],
    [
      { code: "ordering_paused", severity: "error", deviceId: "kitchen", message: "" },
      { code: "printer_offline", severity: "error", deviceId: "pass", message: "" },
      { code: "printer_paper_end", severity: "error", deviceId: "grill", message: "" },
      { code: "printer_cover_open", severity: "error", deviceId: "counter", message: "" },
      { code: "print_jobs_uncertain", severity: "warning", deviceId: "grill", message: "" },
      { code: "drawer_left_open", severity: "warning", deviceId: "drawer", message: "" },
    ],
  );

  it("the kitchen banner: faults of the printers that print this kitchen's tickets, with held and uncertain counts", () => {
    const all = kitchenPrinterNotices(devices);
    assert.deepEqual(
      all.map((n) => [n.name, n.codes, n.held, n.uncertain, n.severity]),
      [
        ["Grill printer", ["printer_paper_end", "print_jobs_uncertain"], 2, 1, "error"],
        ["Pass printer", ["printer_offline"], 0, 0, "error"],
      ],
      "not the counter's receipt printer, nor the drawer",
    );
    assert.deepEqual(
      kitchenPrinterNotices(devices, "fryer").map((n) => n.printerId),
      ["pass"],
      "a station sees its own printers",
    );
    assert.deepEqual(kitchenPrinterNotices(status([grill], [])), [], "no alert, no banner");
    assert.deepEqual(kitchenPrinterNotices(undefined), []);
  });

  it("a printer's state in one word, the most urgent first", () => {
    assert.equal(printerCondition(grill), "paperEnd");
    assert.equal(printerCondition(pass), "offline");
    assert.equal(printerCondition(counter), "coverOpen");
    assert.equal(printerCondition(printer({ id: "a", paper: "nearEnd" })), "paperLow");
    assert.equal(printerCondition(printer({ id: "b", health: "unknown", bidirectional: false })), "unknown");
    assert.equal(printerCondition(printer({ id: "c", connection: "connecting", health: "unknown" })), "connecting");
    assert.equal(printerCondition(printer({ id: "d" })), "ready");
  });

  it("print jobs: which need someone, and what can be done with each", () => {
    const job = (fields: Partial<PrintJobView>): PrintJobView => ({
      id: "00000000-0000-4000-8000-000000000000",
      key: "k",
      kind: "receipt",
      state: "uncertain",
      orderId: null,
      orderNumber: 7,
      station: null,
      revision: 1,
      printerId: "counter",
      attempts: 1,
      banner: null,
      copyOf: null,
      followedBy: null,
      sent: true,
      needsAttention: true,
      confirmedBy: null,
      lastError: null,
      createdAt: "",
      updatedAt: "",
      completedAt: null,
      expiresAt: "",
      ...fields,
    });
    const uncertain = job({});
    const reprinted = job({
      kind: "kitchen",
      needsAttention: false,
      followedBy: "00000000-0000-4000-8000-000000000001",
    });
    const heldUnsent = job({ state: "held", sent: false, needsAttention: false });
    const heldMidPrint = job({ state: "held", sent: true, needsAttention: false });
    assert.deepEqual([uncertain, reprinted, heldUnsent, heldMidPrint].map(needsAttention), [true, false, true, true]);
    assert.deepEqual(jobActions(uncertain), { reprint: true, cancel: true });
    assert.deepEqual(jobActions(heldUnsent), { reprint: false, cancel: true });
    assert.deepEqual(
      jobActions(heldMidPrint),
      { reprint: false, cancel: false },
      "the printer has it: it prints when the fault clears",
    );
  });
});

describe("ordering paused against galleyd (requireKitchenRoute, no printer)", () => {
  let app: TestApp;

  before(async () => {
    app = await startTestApp({
      menu: "demo",
      config: { mode: "production", devices: { printers: [], requireKitchenRoute: true } },
    });
  });
  after(() => app.stop());

  it("the kiosk is paused until a kitchen screen connects, then accepts; paused again (after the grace) when it leaves", async () => {
    const kiosk = await app.tokenFor("kiosk");
    const kitchen = await app.tokenFor("kitchen");
    const watch = new OrderingWatch({ graceMs: 50 });
    const kioskPush = new PushClient({
      url: () => socketUrl(app.url, kiosk),
      socket: browserSocket,
      probeIntervalMs: 0,
    });
    kioskPush.subscribe("menu", { snapshot: () => undefined, delta: () => undefined }, { fullStateDeltas: true });
    kioskPush.subscribe(
      "devices",
      {
        snapshot: (data) => {
          if (data.topic === "devices") watch.update(data.devices.ordering, true);
        },
        delta: (data) => {
          if (data.kind === "devices") watch.update(data.devices.ordering, false);
        },
      },
      { fullStateDeltas: true, optional: true },
    );
    // A topic this screen may not read, marked optional, does not hold "online" back.
    kioskPush.subscribe("sync", { snapshot: () => undefined, delta: () => undefined }, { optional: true });
    kioskPush.start();
    const kitchenPush = new PushClient({
      url: () => socketUrl(app.url, kitchen),
      socket: browserSocket,
      probeIntervalMs: 0,
    });
    try {
      await waitUntil(
        () => kioskPush.state === "online" && watch.reported !== undefined,
        "the kiosk online with the device state",
      );
      assert.equal(watch.paused, true);

      kitchenPush.subscribe("kitchen", { snapshot: () => undefined, delta: () => undefined });
      kitchenPush.start();
      await waitUntil(() => !watch.paused, "accepting once a kitchen screen is there");

      kitchenPush.stop();
      await waitUntil(() => watch.reported === "paused", "paused reported");
      assert.equal(watch.paused, false, "within the grace");
      await waitUntil(() => watch.paused, "paused after the grace");
    } finally {
      kioskPush.stop();
      kitchenPush.stop();
      watch.dispose();
    }
  });
});
