/**
 * Regression: a status request whose write was still pending when the printer stopped (galleyd
 * shutting down) or its link closed (cable pulled) left a rejected promise nobody handled, and
 * Node ends the process on an unhandled rejection. Found by the spooler's random-fault test.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { setImmediate as nextTurn } from "node:timers/promises";
import {
  attachToMemory,
  createMemoryPair,
  createPrinter,
  createPrinterSimulator,
  type ByteTransport,
} from "../../../drivers/index.ts";
import { waitFor } from "../../helpers/wait.ts";

/** The host end, counting the writes still in flight (so the test can stop right in the middle of one). */
function countingWrites(transport: ByteTransport): { transport: ByteTransport; inFlight: () => number } {
  let inFlight = 0;
  const counted = Object.create(transport) as ByteTransport;
  Object.defineProperty(counted, "write", {
    value: async (bytes: Uint8Array, options?: { timeoutMs?: number }) => {
      inFlight += 1;
      try {
        await transport.write(bytes, options);
      } finally {
        inFlight -= 1;
      }
    },
  });
  return { transport: counted, inFlight: () => inFlight };
}

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
        const host = countingWrites(pair.host);
        const printer = createPrinter("sim:", {
          id: "p",
          profile: "generic-80",
          transport: host.transport,
          pollIntervalMs: 60_000,
        });
        await printer.start();
        await waitFor(() => host.inFlight() === 0, { what: "the start's own writes to finish" });
        const status = printer.refreshStatus();
        await waitFor(() => host.inFlight() > 0, { what: "the status request's write to be under way" });
        if (end === "stop") await printer.stop();
        else pair.device.disconnect("cable pulled");
        const read = await status;
        assert.notEqual(read.health, "ok", `${end}: nothing read is never ok`);
        // The pending write settles (rejected) when its slow link gives up; one more turn lets Node report it if unhandled.
        await waitFor(() => host.inFlight() === 0, { what: "the pending write to settle" });
        await nextTurn();
        await printer.stop();
      }
    } finally {
      process.off("unhandledRejection", onUnhandled);
    }
    assert.deepEqual(unhandled, []);
  });
});
