/**
 * Regression: a status request whose write was still pending when the printer stopped (galleyd
 * shutting down) or its link closed (cable pulled) left a rejected promise nobody handled, and
 * Node ends the process on an unhandled rejection. Found by the spooler's random-fault test.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { attachToMemory, createMemoryPair, createPrinter, createPrinterSimulator } from "../../../drivers/index.ts";

describe("printer actor stopping mid-request", () => {
  it("leaves no unhandled rejection when stopped or disconnected while a status write is pending", async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown): void => {
      unhandled.push(reason);
    };
    process.on("unhandledRejection", onUnhandled);
    try {
      for (const end of ["stop", "disconnect"] as const) {
        const simulator = createPrinterSimulator({ profile: "generic-80" });
        // A slow link (a 9600-baud serial printer): every write takes a while to be accepted.
        const pair = createMemoryPair({ writeDelayMs: 30 });
        attachToMemory(simulator, pair.device);
        const printer = createPrinter("sim:", { id: "p", profile: "generic-80", transport: pair.host, pollIntervalMs: 60_000 });
        await printer.start();
        const status = printer.refreshStatus();
        await new Promise((r) => setTimeout(r, 10));
        if (end === "stop") await printer.stop();
        else pair.device.disconnect("cable pulled");
        const read = await status;
        assert.notEqual(read.health, "ok", `${end}: nothing read is never ok`);
        await new Promise((r) => setTimeout(r, 60));
        await printer.stop();
      }
    } finally {
      process.off("unhandledRejection", onUnhandled);
    }
    assert.deepEqual(unhandled, []);
  });
});
