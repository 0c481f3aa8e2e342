import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { testConfig } from "../../../appliance/config/load.ts";
import { kitchenPrintersFor, resolveDevices } from "../../../appliance/devices/config.ts";
import { OrderingGate } from "../../../appliance/devices/gate.ts";
import { expiredByOrder, expiresAt, mayManageJob, retryDelayMs } from "../../../appliance/devices/job-policy.ts";
import { AppError } from "../../../appliance/lib/errors.ts";
import { ManualClock } from "../../../appliance/lib/clock.ts";

const EXPIRY = { kitchenMinutes: 45, receiptMinutes: 60, numberSlipMinutes: 10, drawerSeconds: 15 };

describe("job policies", () => {
  it("expires each kind after its own time", () => {
    assert.equal(expiresAt("kitchen", 0, EXPIRY), 45 * 60_000);
    assert.equal(expiresAt("receipt", 0, EXPIRY), 60 * 60_000);
    assert.equal(expiresAt("number_slip", 0, EXPIRY), 10 * 60_000);
    assert.equal(expiresAt("drawer", 0, EXPIRY), 15_000);
  });

  it("does not print a new ticket for an order that is ready, done or cancelled, but does print its cancellation", () => {
    assert.equal(expiredByOrder("kitchen", 1, "in_queue"), undefined);
    assert.equal(expiredByOrder("kitchen", 1, "in_progress"), undefined);
    assert.match(expiredByOrder("kitchen", 1, "ready") ?? "", /ready/);
    assert.match(expiredByOrder("kitchen", 1, "cancelled") ?? "", /cancelled/);
    assert.equal(expiredByOrder("kitchen", 2, "cancelled"), undefined);
    assert.match(expiredByOrder("number_slip", 1, "completed") ?? "", /completed/);
    assert.equal(expiredByOrder("receipt", 1, "completed"), undefined);
  });

  it("lets kitchen staff manage kitchen tickets, cashiers receipts, technicians everything", () => {
    assert.equal(mayManageJob("kitchen", "kitchen"), true);
    assert.equal(mayManageJob("kitchen", "receipt"), false);
    assert.equal(mayManageJob("cashier", "receipt"), true);
    assert.equal(mayManageJob("cashier", "number_slip"), true);
    assert.equal(mayManageJob("cashier", "kitchen"), false);
    assert.equal(mayManageJob("cashier", "drawer"), false);
    for (const kind of ["kitchen", "receipt", "number_slip", "drawer", "test"] as const)
      assert.equal(mayManageJob("technician", kind), true);
    assert.equal(mayManageJob("kiosk", "number_slip"), false);
  });

  it("backs off 1 s … 30 s with jitter", () => {
    assert.equal(
      retryDelayMs(1, 1_000, 30_000, () => 1),
      1_000,
    );
    assert.equal(
      retryDelayMs(1, 1_000, 30_000, () => 0),
      500,
    );
    assert.equal(
      retryDelayMs(3, 1_000, 30_000, () => 1),
      4_000,
    );
    assert.equal(
      retryDelayMs(20, 1_000, 30_000, () => 1),
      30_000,
    );
  });
});

describe("device configuration", () => {
  it("drives simulated printers, drawer and display in development when none are configured", () => {
    const devices = resolveDevices(testConfig({ dataDir: "/tmp/galley-x" }));
    assert.equal(devices.simulatedDefaults, true);
    assert.deepEqual(
      devices.printers.map((p) => [p.id, p.uri, p.kitchenStations, p.receipts, p.numberSlips]),
      [
        ["kitchen", "sim:", ["*"], false, false],
        ["counter", "sim:", [], true, true],
      ],
    );
    assert.equal(devices.drawer?.printer, "counter");
    assert.equal(devices.display?.uri, "sim:");
    assert.equal(devices.printsDir, "/tmp/galley-x/prints");
    assert.deepEqual(
      kitchenPrintersFor(devices, "grill").map((p) => p.id),
      ["kitchen"],
    );
  });

  it("drives nothing in production unless configured, and nothing in development when printers is []", () => {
    const production = resolveDevices(testConfig({ dataDir: "/tmp/x", mode: "production" }));
    assert.deepEqual(
      [production.printers, production.drawer, production.display, production.printsDir],
      [[], undefined, undefined, undefined],
    );
    const none = resolveDevices(testConfig({ dataDir: "/tmp/x", devices: { printers: [], savePrints: false } }));
    assert.deepEqual([none.printers, none.drawer, none.display, none.printsDir], [[], undefined, undefined, undefined]);
  });

  it("reports every broken reference, URI and profile as path: message", () => {
    const config = testConfig({
      dataDir: "/tmp/x",
      devices: {
        printers: [
          { id: "grill", uri: "tcp://10.0.0.5" },
          { id: "grill", uri: "serial:/dev/ttyUSB0?bauds=9600", profile: "epson-tm-x" },
        ],
        drawer: { printer: "counter" },
        display: { uri: "sim:", passThrough: "bar" },
      },
    });
    try {
      resolveDevices(config);
      assert.fail("expected config_invalid");
    } catch (error) {
      assert.ok(error instanceof AppError && error.code === "config_invalid");
      const errors = (error.details?.errors ?? []) as string[];
      for (const start of [
        "devices.printers[1].id: duplicate printer id",
        "devices.printers[1].uri:",
        "devices.printers[1].profile: unknown printer profile",
        'devices.drawer.printer: no printer "counter"',
        "devices.display: give exactly one of uri or passThrough",
        'devices.display.passThrough: no printer "bar"',
      ])
        assert.ok(
          errors.some((e) => e.startsWith(start)),
          `missing "${start}" in:\n${errors.join("\n")}`,
        );
    }
  });
});

describe("ordering gate", () => {
  function gate(routes: { printers: number; screens: number }, requireKitchenRoute = true, existing: string[] = []) {
    const changes: string[] = [];
    const g = new OrderingGate({
      requireKitchenRoute,
      kitchenPrinters: () => routes.printers,
      kitchenScreens: () => routes.screens,
      orderExists: (id) => existing.includes(id),
      clock: new ManualClock(),
      onChange: (s) => changes.push(s.state),
    });
    return { g, changes };
  }

  it("accepts while a kitchen printer or a kitchen screen works, pauses when neither does", () => {
    const routes = { printers: 1, screens: 0 };
    const { g, changes } = gate(routes);
    assert.doesNotThrow(() => {
      g.check("a");
    });
    routes.printers = 0;
    assert.throws(
      () => {
        g.check("a");
      },
      (e: unknown) => e instanceof AppError && e.code === "kitchen_unreachable" && e.status === 503,
    );
    assert.equal(g.state.state, "paused");
    routes.screens = 1;
    assert.doesNotThrow(() => {
      g.check("a");
    });
    assert.deepEqual(changes, ["paused", "accepting"]);
  });

  it("lets a retry of an order that exists through (it gets its stored reply)", () => {
    const { g } = gate({ printers: 0, screens: 0 }, true, ["placed-before"]);
    assert.doesNotThrow(() => {
      g.check("placed-before");
    });
    assert.throws(() => {
      g.check("new-one");
    });
  });

  it("never pauses when requireKitchenRoute is off", () => {
    const { g } = gate({ printers: 0, screens: 0 }, false);
    assert.doesNotThrow(() => {
      g.check("a");
    });
    assert.equal(g.refresh().state, "accepting");
  });
});
