import assert from "node:assert/strict";
import { describe, it, type TestContext } from "node:test";
import {
  attachToMemory,
  createMemoryPair,
  createPrinter,
  createPrinterSimulator,
  DriverError,
  encodeDocument,
  type PrinterSimulatorOptions,
  type PrinterStatus,
} from "../../../drivers/index.ts";
import { quietWindow, waitFor } from "../../helpers/wait.ts";

const FAST = { pollIntervalMs: 50, statusTimeoutMs: 100, reconnect: { initialMs: 20, maxMs: 40 } };

/** Waits until `check` holds (polling every 10 ms), failing with `what` after `timeoutMs`. */
async function until(what: string, check: () => boolean, timeoutMs = 2000): Promise<void> {
  await waitFor(check, { what, timeoutMs });
}

function setup(t: TestContext, profile = "epson-tm-t20", sim: PrinterSimulatorOptions = {}, unresponsiveLimit = 3) {
  const simulator = createPrinterSimulator({ profile, ...sim });
  const pair = createMemoryPair({ description: "memory:test" });
  attachToMemory(simulator, pair.device);
  const printer = createPrinter("sim:", { profile, transport: pair.host, unresponsiveLimit, ...FAST });
  t.after(() => printer.stop());
  const job = (text: string) => encodeDocument({ blocks: [{ type: "line", text }, { type: "cut" }] }, printer.profile);
  return { simulator, pair, printer, job };
}

describe("printer actor", () => {
  it("prints a job confirmed by the GS ( H process-ID response", async (t) => {
    const { simulator, printer, job } = setup(t);
    await printer.start();
    assert.equal(printer.connection, "online");
    assert.equal(printer.status.health, "ok");
    const outcome = await printer.send(job("Hello kitchen"), { jobId: "job-1" });
    assert.equal(outcome.kind, "completed");
    assert.equal(outcome.confirmedBy, "process-id");
    assert.match(simulator.text(), /Hello kitchen/);
    assert.equal(simulator.processIds.length, 1);
  });

  it("confirms with GS r 1 on printers without process IDs", async (t) => {
    const { printer, job } = setup(t, "generic-80");
    await printer.start();
    const outcome = await printer.send(job("x"), { jobId: "j" });
    assert.equal(outcome.kind === "completed" && outcome.confirmedBy, "status-request");
  });

  it("refuses to send on a blocking fault and sends nothing", async (t) => {
    const { simulator, printer, job } = setup(t);
    await printer.start();
    simulator.setCoverOpen(true);
    const outcome = await printer.send(job("never"), { jobId: "j" });
    assert.equal(outcome.kind, "failed-before-send");
    assert.equal(outcome.reason, "printer-fault");
    assert.ok(outcome.status.faults.includes("coverOpen"));
    simulator.setCoverOpen(false);
    assert.doesNotMatch(simulator.text(), /never/);
  });

  it("waits through a paper end in the middle of a job and completes once paper is loaded", async (t) => {
    const { simulator, printer, job } = setup(t, "generic-80");
    await printer.start();
    const seen: PrinterStatus[] = [];
    printer.on("status", (s) => seen.push(s));
    simulator.setFaults({ paperOutAtByte: 20 });
    const sending = printer.send(job("a long enough ticket line"), { jobId: "j", completionTimeoutMs: 300 });
    await until("paper end reported", () => seen.some((s) => s.faults.includes("paperEnd")));
    // Longer than the 300 ms completion budget: held, not failed. The budget is the actor's own timer,
    // with no event when it lapses, so only a stretch of time can show that it did not fail the job.
    await quietWindow(400, "held past the completion budget");
    simulator.setPaper("ok");
    const outcome = await sending;
    assert.equal(outcome.kind, "completed");
    assert.match(simulator.text(), /a long enough ticket line/);
  });

  it("reports unknown when the link drops mid-job, then comes back by itself", async (t) => {
    const { simulator, pair, printer, job } = setup(t);
    await printer.start();
    const events: string[] = [];
    printer.on("disconnected", () => events.push("disconnected"));
    printer.on("connected", () => events.push("connected"));
    simulator.setFaults({ disconnectAtByte: 30 });
    const outcome = await printer.send(job("x".repeat(200)), { jobId: "j", preflight: false });
    assert.equal(outcome.kind, "unknown");
    assert.equal(printer.status.health, "error");
    assert.ok(printer.status.faults.includes("disconnected"));
    const failed = await printer.send(job("y"), { jobId: "k" });
    assert.equal(failed.kind === "failed-before-send" && failed.reason, "disconnected");
    pair.setPresent(true);
    await until("reconnected", () => printer.connection === "online");
    assert.deepEqual(events, ["disconnected", "connected"]);
    assert.equal((await printer.send(job("after"), { jobId: "l" })).kind, "completed");
  });

  it("keeps a one-way printer's status unknown and marks outcomes write-only", async (t) => {
    const { printer, job } = setup(t, "oneway-58", { faults: { oneWay: true } });
    await printer.start();
    assert.equal(printer.connection, "online");
    assert.equal((await printer.refreshStatus()).health, "unknown");
    const outcome = await printer.send(job("x"), { jobId: "j" });
    assert.equal(outcome.kind === "completed" && outcome.confirmedBy, "write-only");
    assert.equal(outcome.status.health, "unknown");
  });

  it("marks a silent printer unresponsive (never ok) and times the job out as unknown", async (t) => {
    // A high limit keeps the liveness check from dropping the link during this test.
    const { simulator, printer, job } = setup(t, "generic-80", {}, 100);
    await printer.start();
    simulator.setFaults({ silent: true });
    const status = await printer.refreshStatus();
    assert.ok(status.faults.includes("unresponsive"));
    assert.equal(status.health, "unknown");
    const outcome = await printer.send(job("x"), { jobId: "j", completionTimeoutMs: 150 });
    assert.equal(outcome.kind === "unknown" && outcome.reason, "completion-timeout");
  });

  it("is not broken by a listener that throws", async (t) => {
    const { simulator, printer } = setup(t);
    printer.on("status", () => {
      throw new Error("bad listener");
    });
    const statuses: PrinterStatus[] = [];
    printer.on("status", (s) => statuses.push(s));
    await printer.start();
    simulator.setCoverOpen(true);
    await until("cover open seen", () => statuses.some((s) => s.faults.includes("coverOpen")));
  });

  it("pulses the drawer in real time only where the profile allows", async (t) => {
    const { simulator, printer } = setup(t, "generic-80");
    await printer.start();
    await assert.rejects(
      printer.pulse(2, "realtime"),
      (e: unknown) => e instanceof DriverError && e.code === "unsupported",
    );
    await printer.pulse(5, "buffered");
    await until("pulse", () => simulator.pulses.length === 1);
    assert.deepEqual([simulator.pulses[0]?.pin, simulator.pulses[0]?.realtime], [5, false]);
  });

  it("serialises concurrent jobs in call order", async (t) => {
    const { simulator, printer, job } = setup(t);
    await printer.start();
    const outcomes = await Promise.all(
      ["one", "two", "three"].map((text, i) => printer.send(job(text), { jobId: String(i) })),
    );
    assert.deepEqual(
      outcomes.map((o) => o.kind),
      ["completed", "completed", "completed"],
    );
    assert.deepEqual(
      simulator.printedPages.map((p) =>
        p.items[0]?.kind === "text" ? p.items[0].runs.map((r) => r.text).join("") : "",
      ),
      ["one", "two", "three"],
    );
  });
});
