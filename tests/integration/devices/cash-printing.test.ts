/**
 * A cash shift on paper, through the real cash routes and TCP printer simulators: the drawer opens
 * for the float, each cash movement and the count; the X report mid-shift and the Z report at the
 * close come out of the receipt printer with the figures a cashier checks against the drawer; and
 * a report's paper can be seen without paper (GET /api/print-jobs/:id/preview) — the very image
 * the printer's paper shows.
 */
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { PNG } from "pngjs";
import { renderPagePng, renderPageText, resolveProfile } from "../../../drivers/index.ts";
import type {
  CashCloseResponse,
  CashMovementView,
  CashReportView,
  CashShiftView,
} from "../../../protocol/schemas/cash.ts";
import type { OrderView } from "../../../protocol/schemas/orders.ts";
import type { PrintJobView } from "../../../protocol/schemas/devices.ts";
import { COLA, FRIES, startDeviceRig, until, type DeviceRig } from "./rig.ts";

type Err = { error: { code: string; message: string } };

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const euros = (minor: number): string => `€${(minor / 100).toFixed(2)}`;
/** A report row as printed: label, spaces, the value flush right (a regex, values escaped). */
const row = (label: string, value: string): RegExp =>
  new RegExp(`^${label.replace(/[()]/g, "\\$&")} +${value.replace(/[.()]/g, "\\$&")}$`, "m");

let rig: DeviceRig;
let manager: string;
before(async () => {
  rig = await startDeviceRig(undefined, { config: { cash: { shifts: "required" } } });
  manager = await rig.app.tokenFor("manager");
});
after(() => rig.stop());

/** The printed page of a job: the one the counter printed with `marker` in it. */
function pageWith(marker: RegExp): string | undefined {
  return rig.counter.pages().find((p) => marker.test(p));
}

async function doneJob(what: string, id: string | null): Promise<PrintJobView> {
  assert.ok(id, `${what}: the report names its print job`);
  const [job] = await rig
    .waitJobs(what, "?kind=shift_report", (jobs) => jobs.some((j) => j.id === id && j.state === "done"))
    .then((jobs) => jobs.filter((j) => j.id === id));
  assert.ok(job);
  return job;
}

/** Drawer kicks without an order (cash movements), oldest first. */
async function cashKicks(): Promise<PrintJobView[]> {
  return (await rig.jobs("?kind=drawer")).filter((j) => j.orderId === null).reverse();
}

describe("cash shift printing", () => {
  let shift: CashShiftView;
  let cashOrder: OrderView;
  let cardOrder: OrderView;
  let xJob: PrintJobView;
  let zJob: PrintJobView;
  let expected: number;

  it("refuses a cash payment before a shift is open, then opens the drawer for the float", async () => {
    cashOrder = await rig.order([COLA, FRIES], rig.cashier);
    const refused = await rig.app.api<Err>("POST", `/api/orders/${cashOrder.id}/payments`, {
      token: rig.cashier,
      body: { id: randomUUID(), method: "cash", amount: cashOrder.totals.total, tendered: 5_000 },
    });
    assert.equal(refused.status, 409, JSON.stringify(refused.body));
    assert.equal(refused.body.error.code, "cash_shift_required");

    const pulses = rig.counter.simulator.pulses.length;
    const opened = await rig.app.api<CashShiftView>("POST", "/api/cash/open", {
      token: rig.cashier,
      body: { openingFloat: 10_000 },
    });
    assert.equal(opened.status, 201, JSON.stringify(opened.body));
    shift = opened.body;
    await until("the drawer opened for the float", () => rig.counter.simulator.pulses.length === pulses + 1);
    const kicks = await cashKicks();
    assert.deepEqual(
      kicks.map((k) => [k.key, k.state]),
      [[`drawer:open:${shift.id}:counter`, "done"]],
    );
  });

  it("opens the drawer for a cash sale and for each movement; a card sale does not", async () => {
    const pulses = rig.counter.simulator.pulses.length;
    await rig.pay(cashOrder, "cash", 5_000);
    cardOrder = await rig.order([FRIES], rig.cashier);
    await rig.pay(cardOrder, "card");
    await until("the drawer opened for the cash sale", () => rig.counter.simulator.pulses.length === pulses + 1);

    const moves: CashMovementView[] = [];
    for (const body of [
      { type: "cash_in", amount: 2_000, reason: "Change from the bank" },
      { type: "cash_out", amount: 1_200, reason: "Window cleaner – Müller" },
    ]) {
      const moved = await rig.app.api<CashMovementView>("POST", "/api/cash/move", {
        token: rig.cashier,
        body: { id: randomUUID(), ...body },
      });
      assert.equal(moved.status, 201, JSON.stringify(moved.body));
      moves.push(moved.body);
    }
    await until("the drawer opened for both movements", () => rig.counter.simulator.pulses.length === pulses + 3);
    const kicks = await cashKicks();
    assert.deepEqual(
      kicks.map((k) => k.key),
      [`drawer:open:${shift.id}:counter`, ...moves.map((m) => `drawer:${m.id}:counter`)],
    );
    await until("every kick done", async () => (await cashKicks()).every((k) => k.state === "done"));
  });

  it("prints the X report mid-shift with the drawer's figures", async () => {
    expected = 10_000 + cashOrder.totals.total + 2_000 - 1_200;
    const pulses = rig.counter.simulator.pulses.length;
    const report = await rig.app.api<CashReportView>("POST", "/api/cash/report", { token: rig.cashier, body: {} });
    assert.equal(report.status, 201, JSON.stringify(report.body));
    assert.equal(report.body.kind, "x");
    xJob = await doneJob("X report printed", report.body.printJobId);
    assert.equal(xJob.key, `report:${report.body.id}:counter`);
    assert.equal(xJob.printerId, "counter");
    assert.equal(rig.counter.simulator.pulses.length, pulses, "a report does not open the drawer");

    const x = pageWith(/X REPORT/) ?? "";
    assert.match(x, /^ +Galley$/m, "the store");
    assert.match(x, /Mid-shift/);
    assert.match(x, row("Drawer", "main"));
    assert.match(x, row("Opening float", euros(10_000)));
    assert.match(x, row("Cash sales (1)", euros(cashOrder.totals.total)));
    assert.match(x, row("Cash refunds (0)", euros(0)), "nothing out is €0.00, not -€0.00");
    assert.match(x, row("Cash in", euros(2_000)));
    assert.match(x, /^ {2}\d\d:\d\d Change from the bank/m);
    assert.match(x, row("Cash out", `-${euros(1_200)}`));
    assert.match(x, /^ {2}\d\d:\d\d Window cleaner – Müller/m);
    assert.match(x, row("EXPECTED IN DRAWER", euros(expected)));
    assert.match(x, row("Counted", "not yet"));
    assert.doesNotMatch(x, /Over\/short|^Closed/m);
    assert.match(x, row("Card (1)", euros(cardOrder.totals.total)));
    assert.match(x, row("Total taken", euros(cashOrder.totals.total + cardOrder.totals.total)));
    assert.match(x, row("Orders", "2"));
  });

  it("opens the drawer for the count and prints the Z report with what was short", async () => {
    const pulses = rig.counter.simulator.pulses.length;
    const closed = await rig.app.api<CashCloseResponse>("POST", "/api/cash/close", {
      token: rig.cashier,
      body: { counted: expected - 150 },
    });
    assert.equal(closed.status, 200, JSON.stringify(closed.body));
    assert.equal(closed.body.report.kind, "z");
    zJob = await doneJob("Z report printed", closed.body.report.printJobId);
    assert.equal(zJob.key, `report:${closed.body.report.id}:counter`);
    await until("the drawer opened for the count", () => rig.counter.simulator.pulses.length === pulses + 1);
    const kicks = await cashKicks();
    assert.equal(kicks.at(-1)?.key, `drawer:close:${shift.id}:counter`);

    const z = pageWith(/Z REPORT/) ?? "";
    assert.match(z, /Shift closed/);
    assert.match(z, /^Opened +\d\d\/\d\d\/\d{4}, \d\d:\d\d\n {2}by +cashier test$/m);
    assert.match(z, /^Closed +\d\d\/\d\d\/\d{4}, \d\d:\d\d\n {2}by +cashier test$/m);
    assert.match(z, row("Opening float", euros(10_000)));
    assert.match(z, row("Cash sales (1)", euros(cashOrder.totals.total)));
    assert.match(z, row("EXPECTED IN DRAWER", euros(expected)));
    assert.match(z, row("Counted", euros(expected - 150)));
    assert.match(z, row("Over/short", `SHORT ${euros(150)}`));
    assert.match(z, row("Card (1)", euros(cardOrder.totals.total)));
  });

  it("previews a report's paper as the PNG of exactly what the printer printed", async () => {
    const res = await fetch(`${rig.app.url}/api/print-jobs/${zJob.id}/preview`, {
      headers: { authorization: `Bearer ${rig.cashier}` },
    });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get("content-type"), "image/png");
    assert.equal(res.headers.get("x-print-job"), zJob.id);
    assert.equal(res.headers.get("x-printer"), "counter");
    const png = Buffer.from(await res.arrayBuffer());
    assert.deepEqual(png.subarray(0, 8), PNG_SIGNATURE);
    const image = PNG.sync.read(png);
    const profile = resolveProfile("epson-tm-t88");
    assert.ok(image.width >= profile.dotsPerLine && image.width < profile.dotsPerLine + 100, `width ${image.width}`);
    assert.ok(image.height > 600, `a page of some 30 lines is tall (${image.height} px)`);

    // The same bytes on the counter printer's paper give the same picture, and that page reads as the Z report.
    const page = rig.counter.simulator.printedPages.find((p) => /Z REPORT/.test(renderPageText(p)));
    assert.ok(page);
    assert.deepEqual(png, Buffer.from(renderPagePng(page, { dotsPerLine: profile.dotsPerLine })));
    assert.match(renderPageText(page), /SHORT €1\.50/);

    const x = await fetch(`${rig.app.url}/api/print-jobs/${xJob.id}/preview`, {
      headers: { authorization: `Bearer ${rig.cashier}` },
    });
    assert.equal(x.status, 200);
    assert.notDeepEqual(Buffer.from(await x.arrayBuffer()), png, "each job its own paper");
  });

  it("answers 409 for a drawer kick's preview (no paper), 404 for an unknown job, 403 for a kiosk", async () => {
    const kick = (await cashKicks())[0];
    assert.ok(kick);
    const drawer = await rig.app.api<Err>("GET", `/api/print-jobs/${kick.id}/preview`, { token: rig.cashier });
    assert.equal(drawer.status, 409);
    assert.equal(drawer.body.error.code, "print_job_conflict");
    const missing = await rig.app.api<Err>("GET", `/api/print-jobs/${randomUUID()}/preview`, { token: rig.cashier });
    assert.equal(missing.status, 404);
    assert.equal(missing.body.error.code, "print_job_not_found");
    const kiosk = await rig.app.api<Err>("GET", `/api/print-jobs/${zJob.id}/preview`, { token: rig.kiosk });
    assert.equal(kiosk.status, 403);
  });

  it("reprints a report as a COPY", async () => {
    const reprint = await rig.app.api<PrintJobView>("POST", `/api/print-jobs/${zJob.id}/reprint`, {
      token: manager,
      body: {},
    });
    assert.equal(reprint.status, 201, JSON.stringify(reprint.body));
    assert.equal(reprint.body.kind, "shift_report");
    await rig.waitJobs("copy printed", "?kind=shift_report", (jobs) =>
      jobs.some((j) => j.id === reprint.body.id && j.state === "done"),
    );
    const copies = rig.counter.pages().filter((p) => /Z REPORT/.test(p));
    assert.equal(copies.length, 2);
    assert.match(copies[1] ?? "", /^ +COPY$/m);
    assert.doesNotMatch(copies[0] ?? "", /COPY/);
  });
});
