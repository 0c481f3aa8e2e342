import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfig } from "../../../appliance/config/load.ts";
import { AppError } from "../../../appliance/lib/errors.ts";

function fileWith(content: unknown): string {
  const dir = mkdtempSync(join(tmpdir(), "galley-config-"));
  const path = join(dir, "galley.json");
  writeFileSync(path, typeof content === "string" ? content : JSON.stringify(content));
  return path;
}

function errorsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof AppError);
    assert.equal(error.code, "config_invalid");
    return (error.details?.errors as string[] | undefined) ?? [error.message];
  }
  assert.fail("expected config_invalid");
}

describe("configuration", () => {
  it("uses development defaults without a file", () => {
    const { config, source } = loadConfig({ env: {}, cwd: "/tmp/x" });
    assert.equal(source, "development defaults");
    assert.equal(config.mode, "development");
    assert.equal(config.dataDir, "/tmp/x/var");
    assert.equal(config.server.port, 8080);
    assert.equal(config.menu.seed, "demo");
    assert.equal(config.stock.holdTtlSeconds, 900);
    assert.ok(Object.isFrozen(config) && Object.isFrozen(config.server));
  });

  it("applies production defaults to a file and environment overrides on top", () => {
    const path = fileWith({ store: { name: "Harbour Grill", timezone: "Europe/Lisbon" } });
    const { config, adminPin } = loadConfig({
      env: {
        GALLEY_CONFIG: path,
        GALLEY_PORT: "9090",
        GALLEY_HOST: "127.0.0.1",
        GALLEY_DATA_DIR: "/srv/galley",
        GALLEY_ADMIN_PIN: "4321",
      },
    });
    assert.equal(config.mode, "production");
    assert.equal(config.store.name, "Harbour Grill");
    assert.equal(config.server.port, 9090);
    assert.equal(config.server.host, "127.0.0.1");
    assert.equal(config.dataDir, "/srv/galley");
    assert.equal(adminPin, "4321");
    assert.equal(config.orders.refPrefix, "ORD-");
  });

  it("reports every bad key as path: message", () => {
    const path = fileWith({
      server: { port: 70000, hots: "x" },
      orders: { refRandomLength: 2, channels: { kiosk: { terminalStatuses: ["done"], autoQueue: true } } },
      pricing: { taxMode: "sometimes" },
      colour: "blue",
    });
    const errors = errorsOf(() =>
      loadConfig({ env: { GALLEY_CONFIG: path, GALLEY_PORT: "eighty", GALLEY_ADMIN_PIN: "12" } }),
    );
    for (const expected of [
      'GALLEY_PORT: must be a port number, got "eighty"',
      "GALLEY_ADMIN_PIN: must be 4 to 8 digits",
      "colour: unknown key",
      "server.hots: unknown key",
      "server.port: must be <= 65535",
      "orders.refRandomLength: must be >= 4",
      'pricing.taxMode: must be one of "inclusive", "exclusive"',
    ]) {
      assert.ok(
        errors.some((e) => e === expected),
        `missing "${expected}" in:\n${errors.join("\n")}`,
      );
    }
    assert.ok(
      errors.some((e) => e.startsWith("orders.channels.kiosk.terminalStatuses[0]:")),
      errors.join("\n"),
    );
  });

  it("refuses a file that is not JSON, naming the file", () => {
    const path = fileWith("{ port: 80 ");
    const [message] = errorsOf(() => loadConfig({ env: { GALLEY_CONFIG: path } }));
    assert.match(message ?? "", /is not valid JSON/);
    assert.ok(message?.includes(path));
  });

  it("checks rules a schema cannot say", () => {
    const path = fileWith({ store: { timezone: "Mars/Olympus" }, orders: { numberStart: 500, numberMax: 100 } });
    const errors = errorsOf(() => loadConfig({ env: { GALLEY_CONFIG: path } }));
    assert.ok(errors.includes('store.timezone: unknown time zone "Mars/Olympus"'), errors.join("\n"));
    assert.ok(errors.includes("orders.numberStart: must be below orders.numberMax"), errors.join("\n"));
  });
});
