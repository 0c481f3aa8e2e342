/** The board's helper programs that need no board: setup-file checks and the display watch's decision. */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { redactSetup, validateSetup } from "../../../images/overlay/usr/lib/galley/libexec/galley-provision.ts";
import { decide } from "../../../images/overlay/usr/lib/galley/libexec/galley-display-watch.ts";

describe("galley-setup.json checks", () => {
  it("accepts the documented example shape", () => {
    const { errors } = validateSetup({
      name: "galley-store-12",
      role: "hub",
      display: "/kitchen",
      timezone: "Europe/Berlin",
      store: { name: "X" },
      wifi: { ssid: "Net", psk: "12345678", country: "DE" },
      upstream: { url: "https://c.example" },
      adminPinHash: "scrypt$16384$8$1$abc$def",
    });
    assert.deepEqual(errors, []);
  });

  it("lists every problem as path: message, so a technician fixes them all at once", () => {
    const { errors } = validateSetup({
      name: "Bad Name",
      role: "screen",
      display: "/nowhere",
      timezone: "Mars/Olympus",
      wifi: { ssid: "", psk: "short", country: "de" },
      adminPinHash: "1234",
      extra: 1,
    });
    const keys = errors.map((e) => e.split(":")[0]);
    assert.deepEqual(
      keys.sort(),
      ["adminPinHash", "display", "extra", "hub", "name", "timezone", "wifi.country", "wifi.psk", "wifi.ssid"].sort(),
    );
  });

  it("redacts the secrets for the receipt left on the boot partition", () => {
    const receipt = JSON.stringify(
      redactSetup({
        wifi: { ssid: "Net", psk: "wifi-secret" },
        upstream: { url: "u", token: "tok-secret" },
        adminPinHash: "scrypt$1$1$1$a$b",
      }),
    );
    for (const secret of ["wifi-secret", "tok-secret", "scrypt$"]) assert.ok(!receipt.includes(secret), secret);
    assert.match(receipt, /"ssid":"Net"/);
  });
});

describe("display heartbeat watch", () => {
  const start = Date.parse("2026-01-01T10:00:00Z");
  const beat = (secondsAfterStart: number, ageSeconds: number, local = true) => ({
    local,
    lastAt: new Date(start + secondsAfterStart * 1_000).toISOString(),
    ageSeconds,
  });

  it("gives a fresh display time to load", () => {
    assert.equal(decide(start, start + 60_000, []), "wait");
  });

  it("is not armed until the local page has sent a heartbeat since the display started", () => {
    assert.equal(decide(start, start + 600_000, []), "not-armed");
    assert.equal(
      decide(start, start + 600_000, [beat(-30, 600)]),
      "not-armed",
      "a heartbeat from before this start does not count",
    );
    assert.equal(
      decide(start, start + 600_000, [beat(30, 20, false)]),
      "not-armed",
      "another board's screen does not count",
    );
  });

  it("restarts when the local page went silent, and not while it beats", () => {
    assert.equal(decide(start, start + 600_000, [beat(300, 10)]), "ok");
    assert.equal(decide(start, start + 600_000, [beat(300, 200)]), "restart");
  });
});
