import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ResponseFramer } from "../../../drivers/escpos/framer.ts";
import { healthOf, statusFromAsb, statusFromRealtime, unknownStatus } from "../../../drivers/escpos/status.ts";

describe("status parser (DLE EOT bit tables, TM-T88III p.307–310)", () => {
  it("reads a healthy printer as ok, with the drawer pin from DLE EOT 1 bit 2 (not bit 3)", () => {
    const status = statusFromRealtime({ printer: 0x16, offlineCause: 0x12, errorCause: 0x12, paperSensor: 0x12 }, 1);
    assert.equal(status.health, "ok");
    assert.equal(status.online, true);
    assert.equal(status.drawerPin3High, true);
    assert.deepEqual(status.faults, []);
  });

  it("reports cover open, paper end and autocutter error as blocking faults", () => {
    const status = statusFromRealtime({ printer: 0x1e, offlineCause: 0x36, errorCause: 0x1a, paperSensor: 0x7e }, 1);
    assert.equal(status.online, false);
    assert.equal(status.coverOpen, true);
    assert.equal(status.paper, "end");
    assert.deepEqual(status.faults, ["offline", "coverOpen", "autocutter", "paperEnd"]);
    assert.equal(status.health, "error");
  });

  it("reports paper near end as a warning", () => {
    const status = statusFromRealtime({ printer: 0x12, offlineCause: 0x12, errorCause: 0x12, paperSensor: 0x1e }, 1);
    assert.equal(status.paper, "nearEnd");
    assert.equal(status.health, "warning");
  });

  it("never reports unknown as ok", () => {
    assert.equal(statusFromRealtime({ printer: 0x12 }, 1).health, "unknown");
    assert.equal(statusFromRealtime({}, 1).health, "unknown");
    assert.equal(unknownStatus(1).health, "unknown");
    assert.equal(unknownStatus(1, "unresponsive").health, "unknown");
    assert.equal(unknownStatus(1, "disconnected").health, "error");
    // A byte with the wrong fixed bits (0xx1xx10 expected) is not a reading at all.
    const garbage = statusFromRealtime({ printer: 0x00, offlineCause: 0x12, errorCause: 0x12, paperSensor: 0x12 }, 1);
    assert.equal(garbage.online, null);
    assert.notEqual(garbage.health, "ok");
  });

  it("parses ASB blocks (byte 1 drawer/offline/cover, byte 2 errors, byte 3 paper)", () => {
    const ok = statusFromAsb([0x10, 0x00, 0x00, 0x00], 1);
    assert.ok(ok !== null);
    assert.equal(ok.health, "ok");
    assert.equal(ok.drawerPin3High, false);
    const fault = statusFromAsb([0x3c, 0x00, 0x0c, 0x00], 1);
    assert.ok(fault !== null);
    assert.deepEqual(fault.faults, ["offline", "coverOpen", "paperEnd"]);
    assert.equal(fault.drawerPin3High, true);
    assert.equal(statusFromAsb([0x12, 0, 0, 0], 1), null);
    assert.equal(healthOf({ ...unknownStatus(1), online: true, paper: "ok" }), "ok");
  });
});

describe("response framer", () => {
  const stream = Uint8Array.of(
    0x16,
    0x10,
    0x00,
    0x0c,
    0x00,
    0x37,
    0x22,
    0x30,
    0x30,
    0x34,
    0x32,
    0x00,
    0x00,
    0x13,
    0x5f,
    0x47,
    0x41,
    0x00,
    0x37,
    0x25,
    0x00,
  );
  const expected = [
    { type: "realtime", byte: 0x16 },
    { type: "asb", bytes: [0x10, 0x00, 0x0c, 0x00] },
    { type: "process-id", id: "0042" },
    { type: "sequence", byte: 0x00 },
    { type: "xoff" },
    { type: "block", header: 0x5f, data: [0x47, 0x41] },
    { type: "buffer-cleared" },
  ];

  it("classifies every response kind", () => {
    assert.deepEqual(new ResponseFramer().push(stream), expected);
  });

  it("gives the same result for every split of the stream (TCP/USB fragment arbitrarily)", () => {
    for (let a = 0; a <= stream.length; a++) {
      for (let b = a; b <= stream.length; b++) {
        const framer = new ResponseFramer();
        const out = [
          ...framer.push(stream.subarray(0, a)),
          ...framer.push(stream.subarray(a, b)),
          ...framer.push(stream.subarray(b)),
        ];
        assert.deepEqual(out, expected, `split at ${a},${b}`);
      }
    }
  });

  it("drops XON/XOFF when the kernel handles software flow control", () => {
    assert.deepEqual(new ResponseFramer({ flowControlBytes: false }).push(Uint8Array.of(0x11, 0x12, 0x13)), [
      { type: "realtime", byte: 0x12 },
    ]);
  });
});
