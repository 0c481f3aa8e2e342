/**
 * The spooler against a real printer actor and the printer simulator: one test per fault of the
 * issue, checked on the simulated paper (what a cook would see) and in the persisted job states.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { PrintSpooler } from "../../../appliance/devices/spooler.ts";
import { ManualClock } from "../../../appliance/lib/clock.ts";
import { silentLogger } from "../../../appliance/lib/logger.ts";
import { failingNextJobWrite, openJournal, receipt, spoolerRig, ticket, until } from "./spooler-rig.ts";
import { quietWindow } from "../../helpers/wait.ts";

const count = (pages: string[], pattern: RegExp): number => pages.filter((p) => pattern.test(p)).length;

/*
 * The windows below prove that something does NOT happen (a held job is not failed, nothing but
 * status requests is sent, no automatic reprint, no late send). There is no event to wait for
 * instead: the completion budget and the spooler's tick are the driver's and the spooler's own
 * real timers, with no "pass done" signal. Each window spans several ticks (FAST_SPOOLER.tickMs).
 */
/** Longer than FAST_SPOOLER's completion timeout (600 ms), so a job wrongly failed by it would show. */
const PAST_COMPLETION_TIMEOUT_MS = 800;
/** Several spooler ticks (50 ms) and printer polls (40 ms). */
const FEW_TICKS_MS = 300;

describe("print spooler", () => {
  it("prints jobs one at a time in FIFO order and records how each was confirmed", async (t) => {
    const rig = await spoolerRig(t);
    const jobs = [101, 102, 103].map((n) => rig.enqueue("kitchen", ticket(n)));
    rig.spooler.wake();
    await until("all done", () => jobs.every((j) => rig.job(j.id).state === "done"));
    assert.deepEqual(
      rig.pages().map((p) => /#(\d+)/.exec(p)?.[1]),
      ["101", "102", "103"],
    );
    const done = rig.job(jobs[0]!.id);
    assert.equal(done.confirmedBy, "process-id");
    assert.equal(done.attempts, 1);
    assert.ok(
      rig.changes.includes(`${done.key}:preflight`) &&
        rig.changes.includes(`${done.key}:sending`) &&
        rig.changes.includes(`${done.key}:done`),
    );
  });

  it("paper out mid-job: holds the job, never resends it, and finishes it once paper is loaded", async (t) => {
    const rig = await spoolerRig(t);
    rig.simulator.setFaults({ paperOutAtByte: 250 });
    const job = rig.enqueue("kitchen", ticket(7));
    rig.spooler.wake();
    await until("held mid-print", () => rig.job(job.id).state === "held" && rig.job(job.id).inPrinter);
    assert.match(rig.job(job.id).lastError ?? "", /paper out/);
    await quietWindow(PAST_COMPLETION_TIMEOUT_MS, "still held, not failed, after the completion timeout");
    assert.equal(rig.job(job.id).state, "held");
    assert.doesNotMatch(rig.simulator.text(), /ORDER NOTE/, "printing stopped at the paper end");
    rig.simulator.setPaper("ok");
    await until("done", () => rig.job(job.id).state === "done");
    assert.equal(count(rig.pages(), /#7/), 1, "printed exactly once");
    assert.equal(rig.job(job.id).attempts, 1, "not resent");
    assert.ok(
      rig.changes.includes(`${job.key}:awaiting-completion`),
      "waited for the printer's confirmation after the fault cleared",
    );
  });

  it("cover open before a job: holds it without sending a byte, prints when the cover closes", async (t) => {
    const rig = await spoolerRig(t);
    rig.simulator.setCoverOpen(true);
    await until("printer sees the cover", () => rig.printer.status.faults.includes("coverOpen"));
    const received = rig.simulator.bytesReceived;
    const job = rig.enqueue("receipt", receipt(8));
    rig.spooler.wake();
    await until("held", () => rig.job(job.id).state === "held");
    assert.equal(rig.job(job.id).inPrinter, false);
    assert.match(rig.job(job.id).lastError ?? "", /cover open/);
    await quietWindow(200, "a few printer polls while the cover is open: status requests only");
    assert.ok(rig.simulator.bytesReceived - received < 200, "only status requests went to the printer");
    rig.simulator.setCoverOpen(false);
    await until("done", () => rig.job(job.id).state === "done");
    assert.equal(count(rig.pages(), /TOTAL/), 1);
  });

  it("disconnect mid-job: the kitchen ticket is reprinted marked REPRINT, the receipt waits for an operator", async (t) => {
    const rig = await spoolerRig(t);
    rig.simulator.setFaults({ disconnectAtByte: 300 });
    const kitchen = rig.enqueue("kitchen", ticket(9));
    const later = rig.enqueue("kitchen", ticket(10));
    rig.spooler.wake();
    await until("uncertain", () => rig.job(kitchen.id).state === "uncertain");
    rig.pair.setPresent(true);
    await until("reprint and the next ticket done", () => rig.all().filter((j) => j.state === "done").length === 2);
    const original = rig.job(kitchen.id);
    const reprint = rig.job(original.followedBy ?? "");
    assert.equal(reprint.banner, "REPRINT");
    assert.equal(reprint.copyOf, original.id);
    assert.equal(reprint.key, `${original.key}#reprint-1`);
    const pages = rig.pages().join("\n=====\n");
    assert.match(pages, /\*\*\* REPRINT \*\*\*[\s\S]*#9/);
    assert.ok(pages.indexOf("REPRINT") < pages.indexOf("#10"), "the REPRINT took the original's place in the queue");
    assert.equal(rig.job(later.id).state, "done");

    rig.simulator.setFaults({ disconnectAtByte: 400 });
    const paid = rig.enqueue("receipt", receipt(11));
    rig.spooler.wake();
    await until("receipt uncertain", () => rig.job(paid.id).state === "uncertain");
    rig.pair.setPresent(true);
    await quietWindow(FEW_TICKS_MS, "no automatic reprint of a receipt once the printer is back");
    assert.equal(rig.all().filter((j) => j.kind === "receipt").length, 1, "no automatic reprint of a receipt");
    assert.equal(rig.job(paid.id).followedBy, null, "it waits for an operator");
  });

  it("never retries a drawer kick, and kicks even while receipts wait for paper", async (t) => {
    const rig = await spoolerRig(t);
    rig.simulator.setPaper("end");
    const waiting = rig.enqueue("receipt", receipt(12));
    const kick = rig.enqueue("drawer", { reason: "cash payment" });
    rig.spooler.wake();
    await until("kick done", () => rig.job(kick.id).state === "done");
    assert.equal(rig.simulator.pulses.length, 1);
    assert.equal(rig.job(waiting.id).state, "held");
    rig.pair.device.disconnect("cable pulled");
    await until("offline", () => rig.printer.connection === "offline");
    const failed = rig.enqueue("drawer", { reason: "cash payment" });
    rig.spooler.wake();
    await until("kick failed", () => rig.job(failed.id).state === "failed");
    assert.match(rig.job(failed.id).lastError ?? "", /never retried/);
    rig.pair.setPresent(true);
    rig.simulator.setPaper("ok");
    await until("receipt done", () => rig.job(waiting.id).state === "done");
    assert.equal(rig.simulator.pulses.length, 1, "the failed kick never fired later");
    assert.equal(rig.job(failed.id).attempts, 1);
  });

  it("one-way printer: prints, status unknown, outcome unconfirmed (write-only)", async (t) => {
    const rig = await spoolerRig(t, { profile: "oneway-58", sim: { faults: { oneWay: true } } });
    const job = rig.enqueue("kitchen", ticket(13));
    rig.spooler.wake();
    await until("done", () => rig.job(job.id).state === "done");
    assert.equal(rig.job(job.id).confirmedBy, "write-only");
    assert.equal(rig.printer.status.health, "unknown");
    assert.equal(count(rig.pages(), /#13/), 1);
  });

  it("a write error before anything was sent waits and retries, printing once", async (t) => {
    let wrapped: ReturnType<typeof failingNextJobWrite> | undefined;
    const rig = await spoolerRig(t, { wrap: (transport) => (wrapped = failingNextJobWrite(transport)) });
    wrapped?.failNext();
    const job = rig.enqueue("kitchen", ticket(14));
    rig.spooler.wake();
    await until("done", () => rig.job(job.id).state === "done");
    assert.ok(rig.changes.includes(`${job.key}:retry-wait`));
    assert.equal(rig.job(job.id).attempts, 2);
    assert.equal(count(rig.pages(), /#14/), 1);
    assert.equal(rig.job(job.id).banner, null, "nothing had reached the printer: a plain retry, no REPRINT");
  });

  it("expires jobs per kind and kitchen tickets of orders that are already done", async (t) => {
    const clock = new ManualClock(Date.now());
    const rig = await spoolerRig(t, { clock });
    rig.simulator.setPaper("end");
    const slip = rig.enqueue(
      "number_slip",
      { storeName: "X", orderNumber: "15", placedAt: new Date(clock.now()).toISOString() },
      { expiresAtMs: clock.now() + 60_000 },
    );
    const cooked = rig.enqueue("kitchen", ticket(16), { orderId: "order-16" });
    const cancelTicket = rig.enqueue(
      "kitchen",
      { ...ticket(16), kind: "cancelled" },
      { orderId: "order-16", revision: 2 },
    );
    const asked = rig.enqueue("kitchen", { ...ticket(16), banner: "COPY" }, { orderId: "order-16", banner: "COPY" });
    rig.spooler.wake();
    await until("held", () => rig.job(slip.id).state === "held");
    clock.advance(61_000);
    rig.statuses.set("order-16", "cancelled");
    rig.simulator.setPaper("ok");
    await until("settled", () => rig.job(cancelTicket.id).state === "done" && rig.job(asked.id).state === "done");
    assert.equal(rig.job(slip.id).state, "expired");
    assert.equal(rig.job(cooked.id).state, "expired");
    assert.match(rig.job(cooked.id).lastError ?? "", /already cancelled/);
    assert.deepEqual(
      rig.pages().map((p) => (/CANCELLED/.test(p) ? "cancellation" : /COPY/.test(p) ? "copy" : "?")),
      ["cancellation", "copy"],
      "the new ticket expired; the cancellation and a person's COPY printed",
    );
  });

  it("recovers after a crash: a job found at the printer is an unknown outcome, per kind", async (t) => {
    const journal = openJournal();
    const first = await spoolerRig(t, { journal, start: false });
    const kitchen = first.enqueue("kitchen", ticket(17), { state: "sending" });
    const paid = first.enqueue("receipt", receipt(18), { state: "awaiting-completion" });
    const kick = first.enqueue("drawer", { reason: "cash" }, { state: "sending" });
    const pending = first.enqueue("kitchen", ticket(19), { state: "preflight" });
    await first.printer.start();
    first.spooler.start();
    await until(
      "recovered",
      () =>
        first.job(pending.id).state === "done" && first.all().some((j) => j.banner === "REPRINT" && j.state === "done"),
    );
    assert.equal(first.job(kitchen.id).state, "uncertain");
    assert.equal(first.job(paid.id).state, "uncertain");
    assert.equal(first.job(kick.id).state, "failed");
    assert.equal(first.simulator.pulses.length, 0, "a kick interrupted by a crash is never repeated");
    // First a blank tear-off (whatever the interrupted job left on the printer comes off on its own), then the REPRINT.
    assert.deepEqual(
      first.pages().map((p) => (/REPRINT/.test(p) ? "REPRINT " : "") + (/#(\d+)/.exec(p)?.[1] ?? "torn off")),
      ["torn off", "REPRINT 17", "19"],
    );
  });

  it("a cancel during preflight wins over the send", async (t) => {
    const rig = await spoolerRig(t);
    rig.simulator.setCoverOpen(true);
    await until("printer sees the cover", () => rig.printer.status.faults.includes("coverOpen"));
    const job = rig.enqueue("kitchen", ticket(20));
    rig.spooler.wake();
    await until("held", () => rig.job(job.id).state === "held");
    const { cancelJob } = await import("../../../appliance/devices/job-actions.ts");
    cancelJob(rig.journal, rig.job(job.id), Date.now(), "test");
    rig.simulator.setCoverOpen(false);
    await quietWindow(FEW_TICKS_MS, "the cancelled job is not sent once the cover closes");
    assert.equal(rig.job(job.id).state, "cancelled");
    assert.equal(rig.pages().length, 0);
  });

  it("stops without touching a job it could not finish; the next start settles it", async (t) => {
    const rig = await spoolerRig(t);
    rig.simulator.setFaults({ paperOutAtByte: 200 });
    const job = rig.enqueue("kitchen", ticket(21));
    rig.spooler.wake();
    await until("held mid-print", () => rig.job(job.id).state === "held" && rig.job(job.id).inPrinter);
    await rig.spooler.stop(50);
    await rig.printer.stop();
    await rig.spooler.drain();
    assert.equal(rig.job(job.id).state, "held", "left for the next start");
    const next = new PrintSpooler({
      journal: rig.journal,
      printer: rig.printer,
      clock: rig.clock,
      log: silentLogger(),
      orderStatus: () => undefined,
      options: { tickMs: 50 },
    });
    t.after(() => next.stop(50));
    rig.simulator.setPaper("ok");
    await rig.printer.start();
    next.start();
    await until("reprinted", () => rig.all().some((j) => j.banner === "REPRINT" && j.state === "done"));
    assert.equal(rig.job(job.id).state, "uncertain");
    assert.equal(count(rig.pages(), /\*\*\* REPRINT \*\*\*/), 1);
  });
});
