/** The transports' write deadline: accepted, failed, or given up on, each exactly once. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { DriverError } from "../../../drivers/errors.ts";
import { writeWithDeadline } from "../../../drivers/transport/transport.ts";

describe("write with a deadline", () => {
  it("resolves a write accepted at once and drops its listeners", async () => {
    let dropped = 0;
    await writeWithDeadline("test", 1_000, (settle) => {
      settle();
      return () => (dropped += 1);
    });
    assert.equal(dropped, 1);
  });

  it("takes the first answer only", async () => {
    let later: ((error?: Error) => void) | undefined;
    const write = writeWithDeadline("test", 1_000, (settle) => {
      later = settle;
      return undefined;
    });
    later?.(new DriverError("write_failed", "cable"));
    later?.();
    await assert.rejects(write, (e: unknown) => e instanceof DriverError && e.code === "write_failed");
  });

  it("gives up with write_timeout and lets the transport close the pipe", async () => {
    let closed = 0;
    let dropped = 0;
    const write = writeWithDeadline(
      "tcp://printer",
      20,
      () => () => (dropped += 1),
      () => (closed += 1),
    );
    await assert.rejects(
      write,
      (e: unknown) =>
        e instanceof DriverError &&
        e.code === "write_timeout" &&
        /tcp:\/\/printer: write not accepted within 20 ms/.test(e.message),
    );
    assert.deepEqual([closed, dropped], [1, 1]);
  });
});
