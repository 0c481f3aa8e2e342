import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import {
  createPrinter,
  encodeDocument,
  renderTestPage,
  TEST_PAGE_SAMPLES,
  type CreatePrinterOptions,
  type PrinterSimulator,
  type ReceiptPrinter,
} from "../../../drivers/index.ts";
import { waitFor } from "../../helpers/wait.ts";

/** A printer the contract runs against: the simulator behind some transport, or real hardware. */
export interface ContractTarget {
  uri: string;
  options?: CreatePrinterOptions;
  /** Present for simulated targets: lets the suite check what was printed and inject faults. */
  simulator?: PrinterSimulator;
  /** Pulls the link (TCP drop, USB unplug) and restores it, when the target can. */
  dropLink?: () => Promise<void>;
  restoreLink?: () => Promise<void>;
  cleanup(): Promise<void>;
}

/** Waits until `check` holds (polling every 10 ms), failing with `what` after `timeoutMs`. */
async function until(what: string, check: () => boolean, timeoutMs = 5000): Promise<void> {
  await waitFor(check, { what, timeoutMs });
}

/**
 * The hardware contract every printer transport must keep. Run against the TCP simulator, serial
 * over a socat PTY pair, a mock USB device, and a real printer when GALLEY_TEST_PRINTER names one.
 */
export function printerContract(name: string, open: (() => Promise<ContractTarget>) | { skip: string }): void {
  if (typeof open !== "function") {
    describe(`printer contract: ${name}`, { skip: open.skip }, () => undefined);
    return;
  }
  describe(`printer contract: ${name}`, () => {
    let target: ContractTarget;
    let printer: ReceiptPrinter;
    const simOnly = (): { skip: string } | undefined =>
      target.simulator === undefined ? { skip: "needs the simulator" } : undefined;

    before(async () => {
      target = await open();
      printer = createPrinter(target.uri, {
        pollIntervalMs: 200,
        statusTimeoutMs: 500,
        reconnect: { initialMs: 50, maxMs: 200 },
        ...target.options,
      });
      await printer.start();
    });
    after(async () => {
      await printer.stop();
      await target.cleanup();
    });

    it("connects and reads a typed status", () => {
      assert.equal(printer.connection, "online");
      assert.notEqual(printer.status.source, "none");
      assert.equal(typeof printer.status.online, "boolean");
      if (target.simulator !== undefined) assert.equal(printer.status.health, "ok");
    });

    it("prints the test page and confirms it was printed", async () => {
      const page = renderTestPage({ printerName: name, printedAt: new Date().toISOString() }, printer.profile);
      const outcome = await printer.send(encodeDocument(page, printer.profile), { jobId: `contract-${name}` });
      assert.equal(outcome.kind, "completed", JSON.stringify(outcome));
      assert.notEqual(outcome.confirmedBy, "write-only");
      if (target.simulator !== undefined) {
        const text = target.simulator.text();
        assert.match(text, /TEST PAGE/);
        for (const sample of TEST_PAGE_SAMPLES) assert.ok(text.includes(sample), sample);
      }
    });

    it("reports a cover open as a blocking fault and refuses the job", async (t) => {
      const skip = simOnly();
      if (skip) {
        t.skip(skip.skip);
        return;
      }
      const sim = target.simulator!;
      sim.setCoverOpen(true);
      const outcome = await printer.send(
        encodeDocument({ blocks: [{ type: "line", text: "blocked" }] }, printer.profile),
        { jobId: "blocked" },
      );
      assert.equal(outcome.kind, "failed-before-send");
      assert.ok(outcome.status.faults.includes("coverOpen"));
      sim.setCoverOpen(false);
      await printer.refreshStatus();
      assert.equal(printer.status.health, "ok");
    });

    it("fires the drawer pulse", async (t) => {
      const skip = simOnly();
      if (skip) {
        t.skip(skip.skip);
        return;
      }
      const sim = target.simulator!;
      const before = sim.pulses.length;
      await printer.pulse(2, printer.profile.supportsRealtimePulse ? "realtime" : "buffered");
      await until("pulse reached the printer", () => sim.pulses.length === before + 1);
    });

    it("goes offline when the link drops and comes back by itself", async (t) => {
      if (target.dropLink === undefined || target.restoreLink === undefined) {
        t.skip("this target cannot pull its link");
        return;
      }
      const events: string[] = [];
      const offDown = printer.on("disconnected", () => events.push("down"));
      const offUp = printer.on("connected", () => events.push("up"));
      const statuses: string[] = [];
      const offStatus = printer.on("status", (s) => statuses.push(s.health));
      await target.dropLink();
      await until("offline", () => events.includes("down"));
      assert.ok(statuses.includes("error"), "a dropped link is reported as an error, never ok");
      await target.restoreLink();
      await until("online again", () => events.includes("up") && printer.connection === "online");
      offStatus();
      offDown();
      offUp();
      assert.deepEqual(events, ["down", "up"]);
      const outcome = await printer.send(
        encodeDocument({ blocks: [{ type: "line", text: "after reconnect" }, { type: "cut" }] }, printer.profile),
        { jobId: "after" },
      );
      assert.equal(outcome.kind, "completed");
    });
  });
}
