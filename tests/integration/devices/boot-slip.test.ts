/** The boot slip: what a technician finds on the receipt printer after plugging the board in. */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { hostname } from "node:os";
import { queueBootSlip } from "../../../appliance/devices/boot-slip.ts";
import { startDeviceRig, until } from "./rig.ts";

describe("boot slip", () => {
  it("prints the board's name, the admin page and a working pairing code per screen, once per boot", async (t) => {
    const rig = await startDeviceRig(t, { devices: { bootSlip: { enabled: true, pairingCodeHours: 24 } } });
    await until("the boot slip", () => rig.counter.pages().some((p) => p.includes("Pair a screen")));
    const slip = rig.counter.pages().find((p) => p.includes("Pair a screen")) ?? "";
    assert.ok(slip.includes(hostname()), slip);
    assert.ok(slip.includes("https://galley.test/admin"), slip);
    const codes = [...slip.matchAll(/\b([0-9A-Z]{4}-[0-9A-Z]{4})\b/g)].map((m) => m[1]);
    // One per paired screen: kiosk, kitchen display, pickup board, counter.
    assert.equal(codes.length, 4, slip);
    assert.ok(slip.indexOf("Kitchen display") < slip.indexOf(codes[1]!), "each code under its screen's name");
    assert.ok(slip.indexOf("Counter") < slip.indexOf(codes[3]!), "the counter's code under its name");

    // The kitchen display's code pairs a kitchen screen.
    const paired = await rig.app.api<{ principal: { role: string } }>("POST", "/api/devices/pair", {
      body: { code: codes[1] },
    });
    assert.equal(paired.status, 201);
    assert.equal(paired.body.principal.role, "kitchen");

    // Once per boot: a galleyd restart in the same boot prints nothing; the next boot prints again.
    const layer = rig.app.app.devices;
    assert.ok(layer);
    const jobs = (await rig.jobs("?kind=boot_slip")).length;
    assert.equal(jobs, 1);
    assert.equal(
      queueBootSlip(layer, {
        port: 8080,
        version: "test",
        bootId: (await rig.jobs("?kind=boot_slip"))[0]!.key.slice("boot_slip:".length),
      }),
      undefined,
    );
    assert.ok(queueBootSlip(layer, { port: 8080, version: "test", bootId: "another-boot" }));
    assert.equal((await rig.jobs("?kind=boot_slip")).length, 2);
  });
});
