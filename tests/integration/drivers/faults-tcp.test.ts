import assert from "node:assert/strict";
import { describe, it, type TestContext } from "node:test";
import {
  createPrinter,
  createPrinterSimulator,
  encodeDocument,
  renderReceipt,
  startSimulatorServer,
  type PrinterSimulatorOptions,
  type PrinterStatus,
} from "../../../drivers/index.ts";
import { SAMPLE_RECEIPT } from "../../fixtures/escpos/sample-documents.ts";
import { quietWindow, waitFor } from "../../helpers/wait.ts";

/** Waits until `check` holds (polling every 10 ms), failing with `what` after `timeoutMs`. */
async function until(what: string, check: () => boolean, timeoutMs = 3000): Promise<void> {
  await waitFor(check, { what, timeoutMs });
}

async function setup(t: TestContext, profile: string, sim: PrinterSimulatorOptions = {}, overrides = {}) {
  const simulator = createPrinterSimulator({ profile, ...sim });
  const server = await startSimulatorServer(simulator);
  const printer = createPrinter(server.uri, {
    profile,
    profileOverrides: overrides,
    pollIntervalMs: 50,
    statusTimeoutMs: 150,
    reconnect: { initialMs: 30, maxMs: 60 },
    chunkBytes: 512,
  });
  t.after(async () => {
    await printer.stop();
    await server.close();
  });
  await printer.start();
  const receipt = encodeDocument(renderReceipt(SAMPLE_RECEIPT, printer.profile), printer.profile);
  return { simulator, server, printer, receipt };
}

describe("printer faults over TCP", () => {
  it("paper out at byte N: the job is held, not failed, and finishes after reloading", async (t) => {
    const { simulator, printer, receipt } = await setup(t, "epson-tm-t20");
    const statuses: PrinterStatus[] = [];
    printer.on("status", (s) => statuses.push(s));
    simulator.setFaults({ paperOutAtByte: 900 });
    const sending = printer.send(receipt, { jobId: "r1", completionTimeoutMs: 200 });
    await until("paper end via ASB", () => statuses.some((s) => s.paper === "end" && s.source === "asb"));
    // Longer than the 200 ms completion budget: printing stays stopped, the job is not failed. The
    // budget is the actor's own timer, with no event when it lapses, so only a stretch of time can show it.
    await quietWindow(300, "held past the completion budget");
    assert.doesNotMatch(simulator.text(), /TOTAL/, "printing stopped at the paper end");
    simulator.setPaper("ok");
    const outcome = await sending;
    assert.equal(outcome.kind, "completed");
    assert.match(simulator.text(), /TOTAL/);
    assert.equal(simulator.printedPages.length, 1, "printed once, not resent");
  });

  it("disconnect mid-job: outcome unknown with the bytes sent, then reconnects", async (t) => {
    const { simulator, server, printer, receipt } = await setup(t, "epson-tm-t20");
    simulator.setFaults({ disconnectAtByte: 1500 });
    const outcome = await printer.send(receipt, { jobId: "r2" });
    assert.equal(outcome.kind, "unknown", JSON.stringify(outcome.kind));
    assert.equal(outcome.reason, "disconnected");
    assert.ok(outcome.bytesSent > 0);
    await until("reconnected", () => printer.connection === "online" && server.connections === 2);
    assert.equal((await printer.send(receipt, { jobId: "r2-reprint" })).kind, "completed");
  });

  it("one-way printer: status stays unknown, jobs complete unconfirmed", async (t) => {
    const { printer, receipt } = await setup(t, "generic-80", { faults: { oneWay: true } }, { bidirectional: false });
    assert.equal(printer.status.health, "unknown");
    const outcome = await printer.send(receipt, { jobId: "r3" });
    assert.equal(outcome.kind === "completed" && outcome.confirmedBy, "write-only");
  });

  it("a printer that never answers (wrong profile) is unresponsive, not ok", async (t) => {
    const { printer } = await setup(t, "generic-80", { faults: { oneWay: true } });
    await until(
      "unresponsive",
      () => printer.status.faults.includes("unresponsive") || printer.status.faults.includes("disconnected"),
    );
    assert.notEqual(printer.status.health, "ok");
  });

  it("slow reads: writes wait for the printer (backpressure) and the job still completes", async (t) => {
    const { simulator, printer } = await setup(t, "generic-80");
    simulator.setFaults({ readDelayMs: 40 });
    const big = encodeDocument(
      {
        blocks: Array.from({ length: 400 }, (_, i) => ({ type: "line" as const, text: `line ${i} ${"=".repeat(38)}` })),
      },
      printer.profile,
    );
    const started = Date.now();
    const outcome = await printer.send(big, { jobId: "slow", preflight: false });
    assert.equal(outcome.kind, "completed");
    assert.ok(Date.now() - started >= 40, "the printer's pace set the job's pace");
    assert.match(simulator.text(), /line 399/);
  });

  it("a second client is refused while one is connected", async (t) => {
    const { server } = await setup(t, "epson-tm-t20");
    const other = createPrinter(server.uri, {
      pollIntervalMs: 50,
      statusTimeoutMs: 100,
      reconnect: { initialMs: 1000, maxMs: 1000 },
    });
    t.after(() => other.stop());
    await other.start();
    await until("refused", () => other.connection === "offline");
    assert.equal(other.status.health, "error");
  });
});
