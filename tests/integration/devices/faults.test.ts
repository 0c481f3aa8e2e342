/**
 * One test per printer fault of the issue, through the real galleyd and TCP printer simulators:
 * paper out mid-job, cover open, disconnect mid-job (kitchen REPRINT, receipt uncertain, drawer
 * never retried), a one-way printer, a printer unplugged and plugged back in, and galleyd stopped
 * mid-print. The kitchen screen sees each fault; the kiosk stops taking orders when no kitchen
 * route works.
 */
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import type { PrintJobView } from "../../../protocol/schemas/devices.ts";
import type { PushClient } from "../../helpers/test-app.ts";
import { BURGER, COLA, FRIES, isDevicesDelta, latestDevices, startDeviceRig, ticketCopies, until } from "./rig.ts";
import { quietWindow } from "../../helpers/wait.ts";

const alerted = (client: PushClient, code: string) =>
  client.waitFor(
    (m) => isDevicesDelta(m) && m.data.kind === "devices" && m.data.devices.alerts.some((a) => a.code === code),
    4_000,
  );
const ordering = (client: PushClient, state: "accepting" | "paused") =>
  client.waitFor(
    (m) => isDevicesDelta(m) && m.data.kind === "devices" && m.data.devices.ordering.state === state,
    4_000,
  );
const only = (jobs: PrintJobView[]): PrintJobView => {
  assert.equal(jobs.length, 1, JSON.stringify(jobs));
  return jobs[0] as PrintJobView;
};

describe("printer faults (galleyd + TCP printer simulators)", () => {
  it("paper out mid-job: the kitchen screen sees it, the ticket is held and not resent, and prints once paper is loaded", async (t) => {
    const rig = await startDeviceRig(t);
    const kitchenScreen = await rig.socket(rig.kitchenStaff, ["devices", "kitchen"]);
    rig.kitchen.simulator.setFaults({ paperOutAtByte: 200 });
    const order = await rig.order([BURGER]);
    const held = only(
      await rig.waitJobs(
        "held mid-print",
        `?order=${order.id}&kind=kitchen`,
        (j) => j[0]?.state === "held" && j[0].sent,
      ),
    );
    assert.match(held.lastError ?? "", /paper out/);
    await alerted(kitchenScreen, "printer_paper_end");
    // Still held a few spooler ticks later (not failed, not resent): nothing happening has no event to wait for.
    await quietWindow(300, "the held ticket stays held");
    assert.equal(only(await rig.jobs(`?order=${order.id}&kind=kitchen`)).state, "held");
    rig.kitchen.simulator.setPaper("ok");
    const done = only(await rig.waitJobs("printed", `?order=${order.id}&kind=kitchen`, (j) => j[0]?.state === "done"));
    assert.equal(done.attempts, 1, "never resent");
    assert.deepEqual(ticketCopies(rig.kitchen.pages(), order.number, "grill"), { plain: 1, reprint: 0, copy: 0 });
    await kitchenScreen.waitFor(
      (m) => isDevicesDelta(m) && m.data.kind === "devices" && m.data.devices.alerts.length === 0,
    );
  });

  it("cover open: tickets wait without a byte sent (a kitchen screen keeps orders coming) and print when it closes", async (t) => {
    const rig = await startDeviceRig(t);
    const kitchenScreen = await rig.socket(rig.kitchenStaff, ["devices", "kitchen"]);
    rig.kitchen.simulator.setCoverOpen(true);
    await alerted(kitchenScreen, "printer_cover_open");
    const order = await rig.order([FRIES]);
    const held = only(await rig.waitJobs("held", `?order=${order.id}&kind=kitchen`, (j) => j[0]?.state === "held"));
    assert.equal(held.sent, false);
    assert.match(held.lastError ?? "", /cover open/);
    assert.equal(rig.kitchen.pages().length, 0);
    rig.kitchen.simulator.setCoverOpen(false);
    await rig.waitJobs("printed", `?order=${order.id}&kind=kitchen`, (j) => j[0]?.state === "done");
    assert.deepEqual(ticketCopies(rig.kitchen.pages(), order.number, "fryer"), { plain: 1, reprint: 0, copy: 0 });
  });

  it("disconnect mid-job: the kitchen ticket is reprinted marked REPRINT; the receipt waits for an operator; a drawer kick is never retried", async (t) => {
    const rig = await startDeviceRig(t);
    // Kitchen: the link drops 300 bytes into the grill ticket.
    rig.kitchen.simulator.setFaults({ disconnectAtByte: 300 });
    const order = await rig.order([BURGER], rig.cashier);
    const tickets = await rig.waitJobs("reprinted", `?order=${order.id}&kind=kitchen`, (j) =>
      j.some((x) => x.banner === "REPRINT" && x.state === "done"),
    );
    const original = tickets.find((j) => j.banner === null) as PrintJobView;
    assert.equal(original.state, "uncertain");
    assert.equal(original.needsAttention, false, "the kitchen needs nobody: the REPRINT is on its way");
    const copies = ticketCopies(rig.kitchen.pages(), order.number, "grill");
    assert.equal(copies.reprint, 1);
    assert.ok(copies.plain <= 1, "at most the cut-off original");

    // Receipt: the link drops mid-receipt.
    rig.counter.simulator.setFaults({ disconnectAtByte: 500 });
    const cashierScreen = await rig.socket(rig.cashier, ["devices"]);
    await rig.pay(order, "card");
    const receipt = only(
      await rig.waitJobs("receipt uncertain", `?order=${order.id}&kind=receipt`, (j) => j[0]?.state === "uncertain"),
    );
    assert.equal(receipt.needsAttention, true);
    await alerted(cashierScreen, "print_jobs_uncertain");
    const copy = await rig.app.api<PrintJobView>("POST", `/api/print-jobs/${receipt.id}/reprint`, {
      token: rig.cashier,
      body: {},
    });
    assert.equal(copy.status, 201);
    await rig.waitJobs(
      "copy printed",
      `?order=${order.id}&kind=receipt`,
      (j) => j.some((x) => x.banner === "COPY" && x.state === "done") && j.every((x) => !x.needsAttention),
    );

    // Drawer: the counter printer is unplugged when cash is taken.
    await rig.counter.unplug();
    await until("counter offline", async () => (await rig.status()).printers[1]?.connection === "offline");
    const pulses = rig.counter.simulator.pulses.length;
    const cash = await rig.order([COLA], rig.cashier);
    await rig.pay(cash, "cash", 1_000);
    const kick = only(
      await rig.waitJobs("kick failed", `?order=${cash.id}&kind=drawer`, (j) => j[0]?.state === "failed"),
    );
    assert.match(kick.lastError ?? "", /never retried/);
    await rig.counter.plugIn();
    await rig.waitJobs(
      "receipt printed after reconnecting",
      `?order=${cash.id}&kind=receipt`,
      (j) => j[0]?.state === "done",
    );
    assert.equal(rig.counter.simulator.pulses.length, pulses, "the drawer never opened later by itself");
  });

  it("one-way printer: tickets print unconfirmed, its status stays unknown, and it counts as a kitchen route", async (t) => {
    const rig = await startDeviceRig(t, { kitchenProfile: "oneway-58", kitchenSim: { faults: { oneWay: true } } });
    const order = await rig.order([BURGER, FRIES]);
    const jobs = await rig.waitJobs(
      "printed",
      `?order=${order.id}&kind=kitchen`,
      (j) => j.length === 2 && j.every((x) => x.state === "done"),
    );
    assert.deepEqual(
      jobs.map((j) => j.confirmedBy),
      ["write-only", "write-only"],
    );
    const kitchen = (await rig.status()).printers[0]!;
    assert.equal(kitchen.health, "unknown");
    assert.equal(kitchen.bidirectional, false);
    assert.deepEqual(ticketCopies(rig.kitchen.pages(), order.number, "grill"), { plain: 1, reprint: 0, copy: 0 });
  });

  it("unplugged: the printer goes offline, orders pause without a kitchen screen, and queued tickets print when it comes back by itself", async (t) => {
    const rig = await startDeviceRig(t);
    const kioskScreen = await rig.socket(rig.kiosk, ["devices"]);
    assert.equal(latestDevices(kioskScreen)?.ordering.state, "accepting");
    await rig.kitchen.unplug();
    await alerted(kioskScreen, "printer_offline");
    await ordering(kioskScreen, "paused");
    const before = (await rig.jobs()).length;
    const refused = await rig.app.placeOrder(rig.kiosk, [FRIES]);
    assert.equal(refused.status, 503);
    assert.equal(refused.body.error.code, "kitchen_unreachable");
    assert.equal((await rig.jobs()).length, before, "a refused order writes nothing");

    const kitchenScreen = await rig.socket(rig.kitchenStaff, ["kitchen"]);
    await ordering(kioskScreen, "accepting");
    const order = await rig.order([FRIES]);
    await rig.waitJobs("held while offline", `?order=${order.id}&kind=kitchen`, (j) => j[0]?.state === "held");
    kioskScreen.clear();
    await kitchenScreen.close();
    await ordering(kioskScreen, "paused");

    await rig.kitchen.plugIn();
    await ordering(kioskScreen, "accepting");
    await rig.waitJobs(
      "printed after reconnecting",
      `?order=${order.id}&kind=kitchen`,
      (j) => j[0]?.state === "done",
      6_000,
    );
    assert.deepEqual(ticketCopies(rig.kitchen.pages(), order.number, "fryer"), { plain: 1, reprint: 0, copy: 0 });
  });

  it("with requireKitchenRoute off, orders are taken even when no kitchen route works", async (t) => {
    const rig = await startDeviceRig(t, { devices: { requireKitchenRoute: false } });
    await rig.kitchen.unplug();
    await until("kitchen offline", async () => (await rig.status()).printers[0]?.connection === "offline");
    const status = await rig.status();
    assert.equal(status.ordering.state, "accepting");
    assert.equal(status.ordering.kitchenPrinters, 0);
    await rig.order([FRIES]);
  });

  it("galleyd stopped mid-print: the restarted galleyd reprints the kitchen ticket marked REPRINT", async (t) => {
    const dataDir = mkdtempSync(join(tmpdir(), "galley-devices-restart-"));
    const first = await startDeviceRig(undefined, { config: { dataDir } });
    first.kitchen.simulator.setFaults({ paperOutAtByte: 200 });
    const order = await first.order([BURGER]);
    await first.waitJobs(
      "held mid-print",
      `?order=${order.id}&kind=kitchen`,
      (j) => j[0]?.state === "held" && j[0].sent,
    );
    await first.app.stop();
    await first.counter.close();
    // The same printer (its simulator keeps the paper and the buffered half ticket), a new galleyd.
    const kitchen = first.kitchen;
    const second = await startDeviceRig(t, { config: { dataDir }, kitchen });
    kitchen.simulator.setPaper("ok");
    const jobs = await second.waitJobs("reprinted", `?order=${order.id}&kind=kitchen`, (j) =>
      j.some((x) => x.banner === "REPRINT" && x.state === "done"),
    );
    assert.equal(jobs.find((j) => j.banner === null)?.state, "uncertain");
    const copies = ticketCopies(kitchen.pages(), order.number, "grill");
    assert.deepEqual(
      copies,
      { plain: 1, reprint: 1, copy: 0 },
      "the buffered original and one REPRINT: never lost, never silently doubled",
    );
  });
});
