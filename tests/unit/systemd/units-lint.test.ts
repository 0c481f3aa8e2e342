/**
 * Our own lint for systemd/, beyond what systemd-analyze says (tests/integration/field checks
 * that with the target's systemd): mistakes that parse fine but lose the intended behaviour.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

const SYSTEMD = join(import.meta.dirname, "..", "..", "..", "systemd");
const UNITS = join(SYSTEMD, "system");
const OVERLAY = join(import.meta.dirname, "..", "..", "..", "images", "overlay");

interface Unit {
  name: string;
  sections: Map<string, [string, string][]>;
  text: string;
}

function parse(name: string): Unit {
  const text = readFileSync(join(UNITS, name), "utf8");
  const sections = new Map<string, [string, string][]>();
  let current = "";
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (line === "" || line.startsWith("#") || line.startsWith(";")) continue;
    const section = /^\[(.+)\]$/.exec(line);
    if (section?.[1]) {
      current = section[1];
      sections.set(current, sections.get(current) ?? []);
      continue;
    }
    const at = line.indexOf("=");
    sections.get(current)?.push([line.slice(0, at), line.slice(at + 1)]);
  }
  return { name, sections, text };
}

const units = readdirSync(UNITS).map(parse);
const values = (unit: Unit, section: string, key: string): string[] =>
  (unit.sections.get(section) ?? []).filter(([k]) => k === key).map(([, v]) => v);

describe("systemd units (lint)", () => {
  it("has the units the issue names", () => {
    for (const name of [
      "galleyd.service",
      "galley-display.service",
      "galley-display-watch.timer",
      "galley-failsafe.service",
      "galley-firstboot.service",
      "galley-factory-reset.service",
      "galley-health.timer",
    ]) {
      assert.ok(
        units.some((u) => u.name === name),
        `${name} is missing`,
      );
    }
  });

  it("has no trailing comments on a setting line (systemd takes them as part of the value)", () => {
    for (const unit of units) {
      for (const [key, value] of [...unit.sections.values()].flat()) {
        assert.doesNotMatch(value, /\s[#;]/, `${unit.name}: ${key}=${value} carries an inline comment`);
      }
    }
  });

  it("puts start limits in [Unit], where systemd reads them", () => {
    for (const unit of units) {
      for (const key of ["StartLimitIntervalSec", "StartLimitBurst", "StartLimitAction"]) {
        assert.deepEqual(values(unit, "Service", key), [], `${unit.name}: ${key} belongs in [Unit]`);
      }
    }
  });

  it("never sets MemoryDenyWriteExecute on a unit that runs Node (V8's JIT dies of it)", () => {
    for (const unit of units)
      assert.doesNotMatch(unit.text, /^\s*MemoryDenyWriteExecute\s*=\s*(yes|true|1)/m, unit.name);
  });

  it("galleyd: notify through systemd-notify, watchdog, restart with back-off, failsafe, static user", () => {
    const g = units.find((u) => u.name === "galleyd.service");
    assert.ok(g);
    const service = (key: string) => values(g, "Service", key);
    assert.deepEqual(service("Type"), ["notify"]);
    assert.deepEqual(service("NotifyAccess"), ["all"], "the sender is a spawned systemd-notify");
    assert.deepEqual(service("WatchdogSec"), ["30s"]);
    assert.deepEqual(service("Restart"), ["always"]);
    assert.deepEqual(service("RestartMode"), ["direct"], "OnFailure= only once galleyd gave up, not on every restart");
    assert.ok(
      service("RestartSteps").length === 1 && service("RestartMaxDelaySec").length === 1,
      "exponential back-off",
    );
    assert.ok(
      values(g, "Unit", "StartLimitBurst").length === 1 && values(g, "Unit", "StartLimitIntervalSec").length === 1,
    );
    assert.deepEqual(values(g, "Unit", "OnFailure"), ["galley-failsafe.service"]);
    assert.deepEqual(service("User"), ["galley"]);
    assert.deepEqual(service("SupplementaryGroups"), ["lp dialout"]);
    assert.deepEqual(service("StateDirectory"), ["galley"]);
    assert.deepEqual(service("DevicePolicy"), ["closed"]);
    assert.ok(
      service("DeviceAllow").some((d) => d.startsWith("char-usb")) &&
        service("DeviceAllow").some((d) => d.startsWith("char-ttyUSB")),
    );
    assert.deepEqual(service("PrivateDevices"), [], "PrivateDevices would hide printers");
    assert.ok(service("RestrictAddressFamilies")[0]?.includes("AF_UNIX"), "systemd-notify needs AF_UNIX");
  });

  it("timers catch up after the board was off (Persistent=true) when they run on a calendar", () => {
    for (const unit of units.filter((u) => u.name.endsWith(".timer"))) {
      if (values(unit, "Timer", "OnCalendar").length > 0)
        assert.deepEqual(values(unit, "Timer", "Persistent"), ["true"], unit.name);
    }
  });

  it("every ExecStart program the units name ships in the overlay or in Debian", () => {
    for (const unit of units) {
      for (const exec of values(unit, "Service", "ExecStart").concat(
        values(unit, "Service", "ExecStartPre"),
        values(unit, "Service", "ExecStartPost"),
      )) {
        const program = exec.replace(/^[-+!@:]+/, "").split(/\s+/)[0] ?? "";
        if (!program.startsWith("/usr/lib/galley/")) continue;
        const shipped = program.startsWith("/usr/lib/galley/node/") || existsSync(join(OVERLAY, program));
        assert.ok(shipped, `${unit.name}: ${program} is not in images/overlay`);
      }
    }
  });

  it("journald and coredump limits suit an SD card", () => {
    const journald = readFileSync(join(SYSTEMD, "journald.conf.d", "galley.conf"), "utf8");
    assert.match(journald, /^SystemMaxUse=\d+M$/m);
    assert.match(journald, /^Storage=persistent$/m);
    assert.match(readFileSync(join(SYSTEMD, "coredump.conf.d", "galley.conf"), "utf8"), /^MaxUse=\d+M$/m);
  });
});
