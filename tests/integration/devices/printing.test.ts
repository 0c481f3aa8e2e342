/**
 * galleyd printing for real: orders placed over HTTP come out of TCP printer simulators as a cook,
 * a cashier and a customer would read them; the drawer opens on cash; the pole display's 40 cells
 * follow the order; the print-job API lists, reprints and cancels; the runbook's diagnostics work.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { DevicesStatus, PrintJobView } from "../../../protocol/schemas/devices.ts";
import {
  BURGER,
  COLA,
  FRIES,
  isDevicesDelta,
  latestDevices,
  startDeviceRig,
  ticketCopies,
  until,
  type DeviceRig,
} from "./rig.ts";

let rig: DeviceRig;
before(async () => {
  rig = await startDeviceRig(undefined);
});
after(() => rig.stop());

describe("order placed → tickets and slip", () => {
  it("prints one ticket per station with only that station's items and the big number, and the customer's slip", async () => {
    const order = await rig.order([BURGER, FRIES, COLA]);
    const jobs = await rig.waitJobs(
      "tickets and slip printed",
      `?order=${order.id}`,
      (j) => j.length === 4 && j.every((x) => x.state === "done"),
    );
    assert.deepEqual(jobs.map((j) => `${j.kind}:${j.station ?? "-"}:${j.printerId}`).sort(), [
      "kitchen:bar:kitchen",
      "kitchen:fryer:kitchen",
      "kitchen:grill:kitchen",
      "number_slip:-:counter",
    ]);
    const pages = rig.kitchen.pages();
    const grill = pages.find((p) => p.includes("GRILL") && p.includes(`#${order.number}`)) ?? "";
    assert.match(grill, /2 x Burger/);
    assert.match(grill, /Well done/);
    assert.match(grill, /NOTE: no salt/);
    assert.doesNotMatch(grill, /Fries|Cola/, "only the grill's items");
    const bar = pages.find((p) => p.includes("BAR") && p.includes(`#${order.number}`)) ?? "";
    assert.match(bar, /1 x Cola/);
    assert.doesNotMatch(bar, /Burger/);
    for (const station of ["grill", "fryer", "bar"])
      assert.deepEqual(ticketCopies(pages, order.number, station), { plain: 1, reprint: 0, copy: 0 }, station);
    const slip = rig.counter.pages().find((p) => p.includes("Your order number")) ?? "";
    assert.match(slip, new RegExp(`^\\s+${order.number}\\s*$`, "m"), "the number, large, on its own line");
    assert.match(slip, new RegExp(`\\[QR M: https://galley\\.test/kiosk\\?order=${order.id}\\]`));
  });

  it("prints a counter order's kitchen tickets but no slip (slips are for kiosk customers)", async () => {
    const order = await rig.order([FRIES], rig.cashier);
    const jobs = await rig.waitJobs(
      "ticket printed",
      `?order=${order.id}`,
      (j) => j.length === 1 && j[0]?.state === "done",
    );
    assert.equal(jobs[0]?.kind, "kitchen");
  });
});

describe("order paid → receipt, drawer, display", () => {
  it("prints the receipt with totals, change and QR; kicks the drawer on cash; the display shows total, change and ready", async () => {
    const order = await rig.order([BURGER, COLA], rig.cashier);
    const total = (order.totals.total / 100).toFixed(2);
    await until(
      "display shows the total",
      () => rig.pole.lines()[0].startsWith("TOTAL") && rig.pole.lines()[1].endsWith(`EUR${total}`),
    );
    const pulses = rig.counter.simulator.pulses.length;
    await rig.pay(order, "cash", 5_000);
    const jobs = await rig.waitJobs(
      "receipt and kick",
      `?order=${order.id}`,
      (j) =>
        j.filter((x) => x.kind === "receipt" || x.kind === "drawer").every((x) => x.state === "done") &&
        j.some((x) => x.kind === "receipt"),
    );
    assert.ok(jobs.some((j) => j.kind === "drawer" && j.state === "done"));
    assert.equal(rig.counter.simulator.pulses.length, pulses + 1, "one kick");
    const receipt = rig.counter.pages().find((p) => p.includes("ORDER") && p.includes(order.ref)) ?? "";
    assert.match(receipt, new RegExp(`TOTAL +€${total.replace(".", "\\.")}`));
    assert.match(receipt, new RegExp(`Cash +€${total.replace(".", "\\.")}`));
    assert.match(
      receipt,
      new RegExp(`Change +€${((5_000 - order.totals.total) / 100).toFixed(2).replace(".", "\\.")}`),
    );
    assert.match(receipt, /incl\. Food/);
    assert.match(receipt, new RegExp(`\\[QR M: https://galley\\.test/kiosk\\?order=${order.id}\\]`));
    await until("display shows the change", () => rig.pole.lines()[0].startsWith("PAID"));
    assert.equal(rig.pole.lines()[0], `PAID${`EUR50.00`.padStart(16)}`);
    assert.equal(rig.pole.lines()[1], `CHANGE${`EUR${((5_000 - order.totals.total) / 100).toFixed(2)}`.padStart(14)}`);
    await until("drawer open", async () => (await rig.status()).drawer?.state === "open");

    for (const status of ["in_progress", "ready"]) {
      const res = await rig.app.api("PATCH", `/api/orders/${order.id}/status`, {
        token: rig.kitchenStaff,
        body: { status },
      });
      assert.equal(res.status, 200);
    }
    await until("order ready on the display", () => rig.pole.lines()[0].trim() === `Order ${order.number} ready`);
    assert.equal(rig.pole.lines()[0].length + rig.pole.lines()[1].length, 40);
    rig.counter.simulator.setDrawerOpen(false);
    await until("drawer closed", async () => (await rig.status()).drawer?.state === "closed");
  });

  it("card payment: receipt, no drawer kick", async () => {
    const order = await rig.order([FRIES], rig.cashier);
    const pulses = rig.counter.simulator.pulses.length;
    await rig.pay(order, "card");
    const jobs = await rig.waitJobs("receipt", `?order=${order.id}&kind=receipt`, (j) => j[0]?.state === "done");
    assert.equal(jobs.length, 1);
    assert.equal((await rig.jobs(`?order=${order.id}&kind=drawer`)).length, 0);
    assert.equal(rig.counter.simulator.pulses.length, pulses);
    await until("display shows the payment", () => rig.pole.lines()[0].startsWith("PAID  Thank you!"));
  });
});

describe("order cancelled → cancellation tickets", () => {
  it("prints a CANCELLED ticket per station that had a ticket", async () => {
    const order = await rig.order([BURGER, COLA]);
    await rig.waitJobs(
      "tickets printed",
      `?order=${order.id}&kind=kitchen`,
      (j) => j.length === 2 && j.every((x) => x.state === "done"),
    );
    const res = await rig.app.api("PATCH", `/api/orders/${order.id}/status`, {
      token: rig.cashier,
      body: { status: "cancelled", reason: "customer left" },
    });
    assert.equal(res.status, 200);
    const jobs = await rig.waitJobs(
      "cancellations printed",
      `?order=${order.id}&kind=kitchen`,
      (j) => j.filter((x) => x.revision === 2 && x.state === "done").length === 2,
    );
    assert.deepEqual(
      jobs
        .filter((j) => j.revision === 2)
        .map((j) => j.station)
        .sort(),
      ["bar", "grill"],
    );
    const cancellations = rig.kitchen.pages().filter((p) => p.includes("CANCELLED") && p.includes(`#${order.number}`));
    assert.equal(cancellations.length, 2);
    assert.ok(cancellations.some((p) => /- 2 x Burger/.test(p)));
    assert.ok(cancellations.some((p) => /- 1 x Cola/.test(p)));
  });
});

describe("print-job API", () => {
  let kitchenJob: PrintJobView;
  let receiptJob: PrintJobView;
  before(async () => {
    const order = await rig.order([FRIES], rig.cashier);
    await rig.pay(order, "card");
    const jobs = await rig.waitJobs(
      "printed",
      `?order=${order.id}`,
      (j) => j.length === 2 && j.every((x) => x.state === "done"),
    );
    kitchenJob = jobs.find((j) => j.kind === "kitchen") as PrintJobView;
    receiptJob = jobs.find((j) => j.kind === "receipt") as PrintJobView;
  });

  it("lists by state, order, kind and printer", async () => {
    assert.ok(
      (await rig.jobs("?state=done&state=held&kind=kitchen&printer=kitchen&limit=500")).some(
        (j) => j.id === kitchenJob.id,
      ),
    );
    assert.equal((await rig.jobs("?state=queued&kind=kitchen")).length, 0);
    const bad = await rig.app.api("GET", "/api/print-jobs?state=lost", { token: rig.app.adminToken });
    assert.equal(bad.status, 400);
  });

  it("kitchen staff reprint a kitchen ticket as a COPY; a retry with the same key returns the same copy", async () => {
    const first = await rig.app.api<PrintJobView>("POST", `/api/print-jobs/${kitchenJob.id}/reprint`, {
      token: rig.kitchenStaff,
      body: {},
      headers: { "idempotency-key": "reprint-key-1" },
    });
    assert.equal(first.status, 201, JSON.stringify(first.body));
    assert.equal(first.body.banner, "COPY");
    assert.equal(first.body.copyOf, kitchenJob.id);
    const again = await rig.app.api<PrintJobView>("POST", `/api/print-jobs/${kitchenJob.id}/reprint`, {
      token: rig.kitchenStaff,
      body: {},
      headers: { "idempotency-key": "reprint-key-1" },
    });
    assert.equal(again.status, 200);
    assert.equal(again.body.id, first.body.id);
    await rig.waitJobs("copy printed", `?order=${kitchenJob.orderId ?? ""}&kind=kitchen`, (j) =>
      j.some((x) => x.id === first.body.id && x.state === "done"),
    );
    assert.deepEqual(ticketCopies(rig.kitchen.pages(), kitchenJob.orderNumber ?? 0, "fryer"), {
      plain: 1,
      reprint: 0,
      copy: 1,
    });
  });

  it("kitchen staff may not reprint a receipt; a cashier may, on another printer too", async () => {
    const refused = await rig.app.api<{ error: { code: string } }>("POST", `/api/print-jobs/${receiptJob.id}/reprint`, {
      token: rig.kitchenStaff,
      body: {},
    });
    assert.equal(refused.status, 403);
    assert.equal(refused.body.error.code, "forbidden");
    const copy = await rig.app.api<PrintJobView>("POST", `/api/print-jobs/${receiptJob.id}/reprint`, {
      token: rig.cashier,
      body: { printerId: "kitchen" },
    });
    assert.equal(copy.status, 201);
    assert.equal(copy.body.printerId, "kitchen");
    await until("copy printed", () => rig.kitchen.pages().some((p) => /^\s+COPY$/m.test(p) && p.includes("TOTAL")));
    const unknown = await rig.app.api<{ error: { code: string } }>("POST", `/api/print-jobs/${receiptJob.id}/reprint`, {
      token: rig.cashier,
      body: { printerId: "nowhere" },
    });
    assert.equal(unknown.body.error.code, "device_not_configured");
  });

  it("refuses to cancel a finished job and answers 404 for an unknown one", async () => {
    const done = await rig.app.api<{ error: { code: string } }>("POST", `/api/print-jobs/${kitchenJob.id}/cancel`, {
      token: rig.kitchenStaff,
    });
    assert.equal(done.status, 409);
    assert.equal(done.body.error.code, "print_job_conflict");
    const missing = await rig.app.api<{ error: { code: string } }>(
      "POST",
      "/api/print-jobs/0190a0b0-0000-7000-8000-000000000000/cancel",
      { token: rig.app.adminToken },
    );
    assert.equal(missing.status, 404);
    assert.equal(missing.body.error.code, "print_job_not_found");
  });
});

describe("diagnostics (the runbook's endpoints)", () => {
  it("POST /api/diagnostics/receipt prints a test receipt and returns the PNG of the very bytes", async () => {
    const tech = await rig.app.tokenFor("technician");
    const response = await fetch(`${rig.app.url}/api/diagnostics/receipt`, {
      method: "POST",
      headers: { authorization: `Bearer ${tech}` },
    });
    assert.equal(response.status, 200);
    assert.equal(response.headers.get("content-type"), "image/png");
    assert.equal(response.headers.get("x-printer"), "counter");
    const png = new Uint8Array(await response.arrayBuffer());
    assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    assert.ok(png.length > 2_000);
    const jobId = response.headers.get("x-print-job") ?? "";
    await rig.waitJobs("test receipt printed", "?kind=test", (j) =>
      j.some((x) => x.id === jobId && x.state === "done"),
    );
    assert.ok(rig.counter.pages().some((p) => p.includes("Test receipt — Counter printer") && /^\s+TEST$/m.test(p)));
    const other = await fetch(`${rig.app.url}/api/diagnostics/receipt?printer=kitchen`, {
      method: "POST",
      headers: { authorization: `Bearer ${tech}` },
    });
    assert.equal(other.headers.get("x-printer"), "kitchen");
  });

  it("POST /api/diagnostics/cash-drawer kicks once and reports the drawer open", async () => {
    rig.counter.simulator.setDrawerOpen(false);
    await until("closed", async () => (await rig.status()).drawer?.state === "closed");
    const pulses = rig.counter.simulator.pulses.length;
    const res = await rig.app.api<{ kicked: boolean; drawer: { state: string } }>(
      "POST",
      "/api/diagnostics/cash-drawer",
      { token: rig.app.adminToken },
    );
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.kicked, true);
    assert.equal(res.body.drawer.state, "open");
    assert.equal(rig.counter.simulator.pulses.length, pulses + 1);
    rig.counter.simulator.setDrawerOpen(false);
    await until("closed", async () => (await rig.status()).drawer?.state === "closed");
  });

  it("shows a display test and the counter's line just added on the pole display", async () => {
    const test = await rig.app.api<{ lines: string[] }>("POST", "/api/diagnostics/display", {
      token: rig.app.adminToken,
    });
    assert.equal(test.status, 200);
    assert.deepEqual(rig.pole.lines(), ["GALLEY DISPLAY TEST ", "0123456789ABCDEFGHIJ"]);
    assert.deepEqual(test.body.lines, rig.pole.lines());
    const item = await rig.app.api("POST", "/api/devices/display", {
      token: rig.cashier,
      body: { frame: "item", name: "Crème brûlée", quantity: 2, amount: 1_300 },
    });
    assert.equal(item.status, 200);
    assert.deepEqual(rig.pole.lines(), ["Crème brûlée        ", "2 x         EUR13.00"]);
    await rig.app.api("POST", "/api/devices/display", { token: rig.cashier, body: { frame: "welcome" } });
    assert.deepEqual(rig.pole.lines(), ["      Welcome!      ", "   Harbour Grill    "]);
  });
});

describe("device status over HTTP and the WebSocket", () => {
  it("lists the printers, drawer and display with live status; the WebSocket never shows URIs", async () => {
    const status = await rig.status();
    assert.deepEqual(
      status.printers.map((p) => [p.id, p.connection, p.health]),
      [
        ["kitchen", "online", "ok"],
        ["counter", "online", "ok"],
      ],
    );
    assert.equal(status.printers[0]?.uri, rig.kitchen.uri);
    assert.deepEqual(status.printers[1]?.roles, { kitchenStations: [], receipts: true, numberSlips: true });
    assert.equal(status.display?.wiring, "pass-through");
    assert.equal(status.ordering.state, "accepting");

    const kiosk = await rig.socket(rig.kiosk, ["devices"]);
    const snapshot = latestDevices(kiosk) as DevicesStatus;
    assert.equal(snapshot.ordering.state, "accepting");
    assert.equal(snapshot.printers[0]?.uri, undefined);
    rig.kitchen.simulator.setPaper("nearEnd");
    const delta = await kiosk.waitFor(
      (m) =>
        isDevicesDelta(m) &&
        m.data.kind === "devices" &&
        m.data.devices.alerts.some((a) => a.code === "printer_paper_near_end"),
    );
    assert.ok(isDevicesDelta(delta));
    rig.kitchen.simulator.setPaper("ok");
    await kiosk.waitFor(
      (m) =>
        isDevicesDelta(m) &&
        m.data.kind === "devices" &&
        m.data.devices.alerts.length === 0 &&
        m.data.devices.printers[0]?.paper === "ok",
    );
  });

  it("raises 'drawer left open' after N seconds, and clears it when the drawer closes", async () => {
    const cashierScreen = await rig.socket(rig.cashier, ["devices"]);
    await rig.app.api("POST", "/api/diagnostics/cash-drawer", { token: rig.app.adminToken });
    await cashierScreen.waitFor(
      (m) =>
        isDevicesDelta(m) &&
        m.data.kind === "devices" &&
        m.data.devices.alerts.some((a) => a.code === "drawer_left_open"),
      4_000,
    );
    rig.counter.simulator.setDrawerOpen(false);
    await cashierScreen.waitFor(
      (m) => isDevicesDelta(m) && m.data.kind === "devices" && m.data.devices.drawer?.state === "closed",
    );
    const history = await rig.app.api<{ events: { type: string; detail: Record<string, unknown> }[] }>(
      "GET",
      "/api/devices/history?device=drawer&limit=5",
      { token: rig.app.adminToken },
    );
    assert.deepEqual(
      history.body.events.slice(0, 4).map((e) => e.type),
      ["drawer.closed", "drawer.left_open", "drawer.opened", "drawer.kicked"],
    );
    assert.match(String(history.body.events[3]?.detail.reason), /diagnostics by/);
  });
});
