/**
 * The image checks CI runs on every push (docs/architecture.md#image-checks, 1–5 and 14), against the
 * amd64 rootfs built from images/recipe (Debian trixie, cached by the recipe's hash):
 * - every unit verified with the target's own systemd-analyze, failing on any output;
 * - galleyd's `systemd-analyze security` exposure at most 2.0; timer calendars valid;
 * - boots under systemd-nspawn (root read-only, /data bound): galleyd reaches READY, answers
 *   /api/diagnostics/ping, and is restarted by the watchdog after its event loop is blocked;
 *   galley doctor and the support bundle run on the booted board;
 * - first boot imports the setup file and removes its secrets from the boot partition;
 * - factory reset exports the journal, consumes its flag, wipes, and first boot runs again;
 * - an app release that never reports READY is rolled back to the previous one.
 * Skips with a reason only where the machine cannot (not root); in CI a missing tool fails.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execFileSync } from "node:child_process";
import { boot, buildRootfs, cannotRun, inRootfs, ROOTFS } from "./nspawn.ts";
import { hashPin } from "../../../appliance/commands/pins.ts";

const reason = cannotRun();
if (reason && process.env.CI === "true" && process.getuid?.() === 0)
  throw new Error(`image checks cannot run in CI: ${reason}`);
const skip = reason ? `image checks skipped: ${reason}` : false;

const work = mkdtempSync(join(tmpdir(), "galley-field-"));
const timings: string[] = [];
const read = (path: string): string => readFileSync(path, "utf8");
const statusOf = (path: string): number => (JSON.parse(read(path)) as { status: number }).status;

describe("image checks (amd64 rootfs, target systemd, nspawn)", { skip }, () => {
  before(() => {
    const built = buildRootfs();
    timings.push(`rootfs ${built.ms} ms`);
  });
  after(() => {
    process.stdout.write(`# image check timings: ${timings.join(", ")}\n`);
    rmSync(work, { recursive: true, force: true });
  });

  it("every unit passes the target's systemd-analyze verify with no output at all", () => {
    // verify exits 0 on parse warnings (docs/architecture.md#the-board), so any line it prints is a failure.
    const units = readdirSync(join(ROOTFS, "usr/lib/systemd/system")).filter(
      (n) =>
        n.startsWith("galley") ||
        [
          "data.mount",
          "boot-firmware.mount",
          "var-lib-galley.mount",
          "var-log-journal.mount",
          "var-lib-systemd.mount",
          "var-tmp.mount",
          "var-lib-NetworkManager.mount",
          "etc-NetworkManager-system\\x2dconnections.mount",
        ].includes(n),
    );
    assert.ok(units.length >= 15, `found ${units.length} units`);
    const quoted = units.map((u) => `'${u}'`).join(" ");
    const result = inRootfs(
      `cd /usr/lib/systemd/system && systemd-analyze --version | head -n 1 | sed 's/^/VERSION: /'; { systemd-analyze verify --man=no ${quoted} 2>&1; echo "exit=$?"; } | sed 's/^/VERIFY: /'`,
    );
    const lines = result.stdout.split("\n");
    const version = lines.find((l) => l.startsWith("VERSION: "));
    assert.match(version ?? "", /systemd 25\d/, `the target's systemd: ${version ?? result.stderr}`);
    const verify = lines.filter((l) => l.startsWith("VERIFY: ")).map((l) => l.slice(8));
    assert.deepEqual(verify, ["exit=0"], `systemd-analyze verify printed:\n${verify.join("\n")}\n${result.stderr}`);
  });

  it("galleyd's systemd-analyze security exposure is at most 2.0", () => {
    const result = inRootfs(
      'systemd-analyze security --no-pager --offline=true --threshold=20 galleyd.service 2>&1 | tail -n 3; echo "exit=${PIPESTATUS[0]}"',
    );
    const exposure = /Overall exposure level for galleyd\.service: (\d+\.\d)/.exec(result.stdout);
    assert.ok(exposure?.[1], `no exposure in:\n${result.stdout}${result.stderr}`);
    timings.push(`exposure ${exposure[1]}`);
    assert.ok(Number(exposure[1]) <= 2.0, `exposure ${exposure[1]} > 2.0`);
    assert.match(result.stdout, /exit=0/);
  });

  it("timer calendars parse on the target (systemd-analyze calendar)", () => {
    const result = inRootfs("systemd-analyze calendar hourly '*-*-* 00/6:00:00' 2>&1; echo \"exit=$?\"");
    assert.match(result.stdout, /exit=0/, result.stdout);
    assert.match(result.stdout, /Next elapse/);
  });

  it("boots read-only: galleyd READY, ping, watchdog restart after a blocked event loop, doctor, support bundle", async () => {
    const data = join(work, "main");
    const result = await boot({ scenario: "main", dataDir: data });
    timings.push(`boot main ${result.ms} ms`);
    const out = result.out;
    assert.ok(
      existsSync(join(out, "galleyd-before")),
      `the check never ran (exit ${result.code}):\n${result.console.slice(-3_000)}`,
    );
    // Type=notify: ActiveState=active only after READY=1 arrived from the spawned systemd-notify.
    assert.match(read(join(out, "galleyd-before")), /ActiveState=active/);
    assert.match(read(join(out, "galleyd-before")), /StatusText=serving on http:\/\/127\.0\.0\.1:8080/);
    const ping = JSON.parse(read(join(out, "ping.json"))) as { status: number; body: string };
    assert.equal(ping.status, 200, ping.body);
    assert.equal((JSON.parse(ping.body) as { mode: string }).mode, "production");
    // The watchdog caught the blocked loop and systemd restarted galleyd.
    assert.match(read(join(out, "galleyd-after")), /NRestarts=1/);
    assert.match(read(join(out, "galleyd-after")), /ActiveState=active/);
    const journal = read(join(out, "journal.txt"));
    assert.match(journal, /galleyd\.service: Watchdog timeout \(limit 4s\)!/);
    const downSeconds = Number(read(join(out, "recovered-at"))) - Number(read(join(out, "blocked-at")));
    timings.push(`watchdog recovery ${downSeconds.toFixed(1)} s`);
    assert.ok(downSeconds < 30, `recovered after ${downSeconds} s`);
    assert.equal(statusOf(join(out, "ping-after.json")), 200);
    // Nothing failed on the board (the failsafe was never needed).
    assert.equal(read(join(out, "failed-units")).trim(), "", `failed units:\n${read(join(out, "failed-units"))}`);
    // The local diagnostics token: 0600, the service user's.
    assert.equal(read(join(out, "token-stat")).trim(), "600 galley");
    // galley doctor as root on the board, and the same checks over HTTP with the local token.
    const doctor = JSON.parse(read(join(out, "doctor.json"))) as {
      checks: { id: string; verdict: string }[];
      durationMs: number;
    };
    const byId = new Map(doctor.checks.map((c) => [c.id, c.verdict]));
    assert.equal(byId.get("journal"), "ok");
    assert.equal(byId.get("disk"), "ok");
    assert.ok(["ok", "warn"].includes(byId.get("service") ?? ""), `service: ${byId.get("service")}`);
    assert.ok(doctor.durationMs < 10_000);
    assert.equal(statusOf(join(out, "http-doctor.json")), 200);
    // The support bundle holds no secret: not the local token.
    const bundle = readdirSync(out).find((f) => f.startsWith("galley-support-") && f.endsWith(".tar.gz"));
    assert.ok(bundle, read(join(out, "bundle.stdout")));
    const listing = execFileSync("tar", ["-xzOf", join(out, bundle)], {
      encoding: "utf8",
      maxBuffer: 64 * 1024 * 1024,
    });
    assert.ok(!listing.includes(read(join(out, "doctor.token")).trim()), "the local token leaked into the bundle");
    assert.match(listing, /galleyd\.service/);
  });

  it("first boot imports galley-setup.json and leaves no secret on the boot partition", async () => {
    const data = join(work, "provision");
    const bootDir = join(work, "provision-boot");
    mkdirSync(bootDir, { recursive: true });
    const pin = "2468";
    const setup = {
      name: "galley-test-7",
      role: "hub",
      display: "/board",
      timezone: "Europe/Vienna",
      store: { name: "Test Kitchen Wien" },
      wifi: { ssid: "StoreNet", psk: "wifi-secret-psk-123", country: "AT" },
      upstream: { url: "https://central.invalid", token: "upstream-secret-token-xyz" },
      adminPinHash: await hashPin(pin),
    };
    writeFileSync(join(bootDir, "galley-setup.json"), JSON.stringify(setup));
    writeFileSync(join(bootDir, "cmdline.txt"), "console=tty3 root=LABEL=galley-root ro rootwait\n");
    const result = await boot({ scenario: "provision", dataDir: data, bootDir, files: { "admin-pin": pin } });
    timings.push(`boot first-boot ${result.ms} ms`);
    const out = result.out;
    assert.ok(existsSync(join(out, "login.json")), `the check never ran:\n${result.console.slice(-3_000)}`);
    assert.equal(statusOf(join(out, "login.json")), 200, "the admin PIN from the setup file's hash signs in");
    assert.equal(existsSync(join(bootDir, "galley-setup.json")), false, "the setup file left the boot partition");
    const receipt = read(join(bootDir, "galley-setup.imported.json"));
    for (const secret of [setup.wifi.psk, setup.upstream.token, setup.adminPinHash])
      assert.ok(!receipt.includes(secret), "a secret stayed on the FAT partition");
    const config = JSON.parse(read(join(data, "config", "galley.json"))) as {
      store: { name: string; timezone: string };
    };
    assert.deepEqual([config.store.name, config.store.timezone], ["Test Kitchen Wien", "Europe/Vienna"]);
    assert.equal(read(join(data, "config", "display-url")).trim(), "http://127.0.0.1:8080/board");
    assert.equal(read(join(out, "nm-stat")).trim(), "600 root");
    assert.match(read(join(data, "system", "nm-connections", "galley-wifi.nmconnection")), /psk=wifi-secret-psk-123/);
    assert.equal(read(join(out, "hostname")).trim(), "galley-test-7");
    assert.equal(existsSync(join(data, "config", "needs-setup")), false);
    // The first boot's machine id is pinned on the kernel command line for every later boot.
    assert.match(
      read(join(bootDir, "cmdline.txt")),
      /^console=tty3 root=LABEL=galley-root ro rootwait systemd\.machine_id=[0-9a-f]{32}\n$/,
    );
  });

  it("factory reset: exports the journal, consumes the flag before wiping, first boot runs again, and the setup page sets the board up", async () => {
    const data = join(work, "provision");
    assert.ok(existsSync(join(data, "galley", "journal.sqlite")), "runs after the first-boot check");
    writeFileSync(join(data, "factory-reset.request"), JSON.stringify({ requestedAt: new Date().toISOString() }));
    const result = await boot({ scenario: "reset", dataDir: data });
    timings.push(`boot factory reset ${result.ms} ms`);
    assert.ok(existsSync(join(result.out, "galleyd-before")), `the check never ran:\n${result.console.slice(-3_000)}`);
    assert.equal(existsSync(join(data, "factory-reset.request")), false, "flag consumed");
    const exports = readdirSync(join(data, "exports")).filter((f) => f.startsWith("journal-before-reset-"));
    assert.equal(exports.length, 1, "the journal was exported first");
    assert.equal(
      existsSync(join(data, "system", "nm-connections", "galley-wifi.nmconnection")),
      false,
      "Wi-Fi secrets wiped",
    );
    assert.equal(
      read(join(result.out, "needs-setup-before")).trim(),
      "yes",
      "first boot ran again (no setup file: hotspot and setup page)",
    );
    assert.match(read(join(result.out, "galleyd-before")), /ActiveState=active/, "a fresh galleyd runs");
    assert.ok(statSync(join(data, "galley", "journal.sqlite")).size > 0);
    // The setup page, as a phone on the hotspot uses it; the root side imports it and restarts the board.
    assert.equal(statusOf(join(result.out, "setup-status.json")), 200);
    assert.equal(statusOf(join(result.out, "setup-post.json")), 202, read(join(result.out, "setup-post.json")));
    assert.equal(statusOf(join(result.out, "setup-login.json")), 200, "the admin PIN typed on the setup page signs in");
    assert.equal(
      existsSync(join(data, "config", "needs-setup")),
      false,
      `the board imported it:\n${result.console.slice(-3_000)}`,
    );
    assert.equal(existsSync(join(data, "galley", "setup-request.json")), false, "the hand-over file is consumed");
    assert.equal(read(join(data, "config", "hostname")).trim(), "galley-setup-9");
    assert.equal(read(join(data, "config", "display-url")).trim(), "http://127.0.0.1:8080/board");
    assert.equal(
      (JSON.parse(read(join(data, "config", "galley.json"))) as { store: { timezone: string } }).store.timezone,
      "Europe/Vienna",
    );
  });

  it("when galleyd gives up for good, the failsafe diagnostics page takes its port", async () => {
    const data = join(work, "failsafe");
    mkdirSync(join(data, "config"), { recursive: true });
    // A configuration galleyd refuses (exit 78) on every start; the board counts as provisioned.
    writeFileSync(
      join(data, "config", "galley.json"),
      JSON.stringify({ mode: "production", dataDir: "/var/lib/galley", nonsense: true }),
    );
    writeFileSync(join(data, "config", "provisioned"), "test\n");
    const result = await boot({
      scenario: "failsafe",
      dataDir: data,
      dropin: "[Unit]\nStartLimitBurst=3\n[Service]\nRestartSec=300ms\nRestartSteps=0",
    });
    timings.push(`boot failsafe ${result.ms} ms`);
    const out = result.out;
    assert.ok(existsSync(join(out, "failsafe")), `the check never ran:\n${result.console.slice(-3_000)}`);
    assert.match(read(join(out, "galleyd-after")), /ActiveState=failed/);
    assert.match(read(join(out, "failsafe")), /ActiveState=active/);
    const page = JSON.parse(read(join(out, "failsafe-page.json"))) as { status: number; body: string };
    assert.equal(page.status, 200);
    assert.match(page.body, /Galley has stopped/);
    assert.match(page.body, /galleyd service/);
  });

  it("an app release that never reports READY is rolled back to the previous one", async () => {
    const data = join(work, "rollback");
    const broken = join(data, "releases", "9.9.9-broken");
    mkdirSync(join(broken, "dist"), { recursive: true });
    writeFileSync(
      join(broken, "dist", "galleyd.mjs"),
      "console.error('this release cannot start'); process.exit(3);\n",
    );
    writeFileSync(join(broken, "dist", "galley.mjs"), "process.exit(0);\n");
    writeFileSync(join(broken, "release.json"), JSON.stringify({ version: "9.9.9-broken" }));
    // What `galley-release switch 9.9.9-broken` leaves: current → the trial, previous → factory.
    symlinkSync("9.9.9-broken", join(data, "releases", "current"));
    symlinkSync("/usr/lib/galley/app", join(data, "releases", "previous"));
    writeFileSync(join(data, "releases", "trial"), "9.9.9-broken 0\n");
    const result = await boot({ scenario: "rollback", dataDir: data });
    timings.push(`boot rollback ${result.ms} ms`);
    const out = result.out;
    assert.ok(existsSync(join(out, "galleyd-before")), `the check never ran:\n${result.console.slice(-3_000)}`);
    assert.match(read(join(out, "galleyd-before")), /ActiveState=active/);
    assert.equal(statusOf(join(out, "ping.json")), 200);
    assert.match(read(join(out, "release-status")), /current: {2}\/usr\/lib\/galley\/app/);
    assert.match(read(join(out, "release-status")), /trial: {4}none/);
    assert.match(read(join(out, "journal.txt")), /never reported READY in 3 starts: rolling back/);
  });
});
