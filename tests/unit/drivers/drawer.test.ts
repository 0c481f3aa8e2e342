import assert from "node:assert/strict";
import { describe, it, type TestContext } from "node:test";
import {
  attachToMemory,
  createDrawer,
  createMemoryPair,
  createPrinter,
  createPrinterSimulator,
  type DrawerPolarity,
  type DrawerState,
} from "../../../drivers/index.ts";
import { waitFor } from "../../helpers/wait.ts";

/** Waits until `check` holds (polling every 10 ms), failing with `what` after `timeoutMs`. */
async function until(what: string, check: () => boolean, timeoutMs = 2000): Promise<void> {
  await waitFor(check, { what, timeoutMs });
}

async function setup(t: TestContext, profile: string, polarity: DrawerPolarity, leftOpenAfterMs = 5_000) {
  const simulator = createPrinterSimulator({ profile, drawerPolarity: polarity });
  const pair = createMemoryPair();
  attachToMemory(simulator, pair.device);
  const printer = createPrinter("sim:", { profile, transport: pair.host, pollIntervalMs: 50, statusTimeoutMs: 100 });
  await printer.start();
  const drawer = createDrawer(printer, { polarity, leftOpenAfterMs, pollOpenMs: 30, kickWindowMs: 500 });
  const events: Array<[string, DrawerState]> = [];
  for (const event of ["opened", "closed", "left-open", "kicked"] as const)
    drawer.on(event, (state) => events.push([event, state]));
  drawer.start();
  t.after(async () => {
    drawer.stop();
    await printer.stop();
  });
  return { simulator, printer, drawer, events };
}

describe("cash drawer", () => {
  for (const polarity of ["low-is-open", "high-is-open"] as const) {
    it(`kicks, sees it open and closed (${polarity})`, async (t) => {
      const { simulator, drawer, events } = await setup(t, "epson-tm-t20", polarity);
      await until("closed", () => drawer.state === "closed");
      await drawer.kick();
      // Real-time pulse where the profile allows it (DLE DC4 1).
      assert.deepEqual(
        simulator.pulses.map((p) => [p.pin, p.realtime]),
        [[2, true]],
      );
      await until("opened", () => drawer.state === "open");
      simulator.setDrawerOpen(false);
      await until("closed again", () => drawer.state === "closed");
      assert.deepEqual(
        events.map(([e]) => e),
        ["kicked", "opened", "closed"],
      );
    });
  }

  it("raises left-open after N seconds and clears it on close", async (t) => {
    const { simulator, drawer, events } = await setup(t, "generic-80", "low-is-open", 150);
    await until("closed", () => drawer.state === "closed");
    await drawer.kick();
    assert.equal(simulator.pulses[0]?.realtime, false, "ESC p on a printer without DLE DC4 1");
    await until("left open", () => drawer.state === "open-too-long");
    simulator.setDrawerOpen(false);
    await until("closed", () => drawer.state === "closed");
    assert.deepEqual(
      events.map(([e]) => e),
      ["kicked", "opened", "left-open", "closed"],
    );
  });

  it("reads a wrong polarity as open, which is why polarity is configurable", async (t) => {
    const { drawer } = await setup(t, "epson-tm-t20", "high-is-open");
    await until("state known", () => drawer.state !== "unknown");
    assert.equal(drawer.state, "closed");
    // The same closed drawer (pin 3 LOW on a high-is-open switch) read with the wrong polarity.
    const wrong = createDrawer({ ...drawerHost(false) }, { polarity: "low-is-open" });
    wrong.start();
    await until("wrong polarity reads open", () => wrong.state === "open");
    wrong.stop();
  });

  it("reports no-sensor and still kicks when the drawer has no switch", async (t) => {
    const { simulator, drawer, events } = await setup(t, "epson-tm-t20", "none");
    assert.equal(drawer.state, "no-sensor");
    await drawer.kick();
    await until("pulse", () => simulator.pulses.length === 1);
    assert.deepEqual(
      events.map(([e]) => e),
      ["kicked"],
    );
  });

  it("kicks both pins when the wiring is unknown, and never retries a failed kick", async () => {
    const pulses: number[] = [];
    let fail = false;
    const host = {
      ...drawerHost(true),
      pulse: (pin: 2 | 5) => {
        if (fail) return Promise.reject(new Error("offline"));
        pulses.push(pin);
        return Promise.resolve();
      },
    };
    const drawer = createDrawer(host, { pin: "both", polarity: "none" });
    await drawer.kick();
    assert.deepEqual(pulses, [2, 5]);
    fail = true;
    await assert.rejects(drawer.kick());
    assert.deepEqual(pulses, [2, 5]);
  });
});

function drawerHost(pin3High: boolean) {
  const status = {
    at: 0,
    source: "realtime" as const,
    online: true,
    coverOpen: false,
    paper: "ok" as const,
    faults: [],
    drawerPin3High: pin3High,
    health: "ok" as const,
    raw: [],
  };
  return {
    profile: { supportsRealtimePulse: false, drawerPolarity: "low-is-open" as const },
    status,
    refreshStatus: () => Promise.resolve(status),
    pulse: () => Promise.resolve(),
    on: () => () => undefined,
  };
}
