/**
 * `npm run test:image`: the amd64 image boots under QEMU (TCG) like a board: first boot grows
 * the data partition to fill the disk, imports the setup file from the FAT partition (and
 * removes it there), galleyd answers ping from the read-only system, and the doctor is green
 * where it can be.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { hashPin } from "../../appliance/commands/pins.ts";
import type { DoctorReport } from "../../appliance/diagnostics/report.ts";
import { api, buildImage, cannotRun, prepareDisk, run, startVm, waitForGalleyd, type Vm } from "./qemu.ts";

const reason = cannotRun();
const work = mkdtempSync(join(tmpdir(), "galley-qemu-"));
const PIN = "97531";
let vm: Vm | undefined;

describe("amd64 image under QEMU", { skip: reason ? `image tests skipped: ${reason}` : false }, () => {
  const disk = join(work, "disk.img");
  before(async () => {
    const ms = buildImage();
    process.stdout.write(`# image build ${ms} ms\n`);
    const setup = join(work, "galley-setup.json");
    writeFileSync(
      setup,
      JSON.stringify({
        name: "galley-qemu",
        role: "hub",
        display: "none",
        timezone: "Europe/Berlin",
        store: { name: "QEMU Kitchen" },
        adminPinHash: await hashPin(PIN),
        upstream: { url: "https://central.invalid", token: "upstream-token-in-qemu" },
      }),
    );
    prepareDisk(disk, { growMiB: 1024, setupFile: setup });
  });
  after(async () => {
    await vm?.cut();
    rmSync(work, { recursive: true, force: true });
  });

  it("boots, grows /data, imports the setup file, and serves ping", async () => {
    vm = startVm(disk, 18_091, join(work, "serial.log"));
    const seconds = await waitForGalleyd(vm.url, vm.child);
    process.stdout.write(`# first boot to ping: ${seconds.toFixed(0)} s\n`);
    const login = await api<{ token: string }>(vm.url, "POST", "/api/auth/login", { body: { pin: PIN } });
    assert.equal(login.status, 200, "the setup file's admin PIN hash signs in");
    const doctor = await api<DoctorReport>(vm.url, "GET", "/api/diagnostics/doctor", { token: login.body.token });
    assert.equal(doctor.status, 200);
    const byId = new Map(doctor.body.checks.map((c) => [c.id, c]));
    assert.equal(byId.get("journal")?.verdict, "ok");
    assert.equal(byId.get("service")?.verdict, "ok", JSON.stringify(byId.get("service")));
    const total = (byId.get("disk")?.details as { totalBytes: number }).totalBytes;
    assert.ok(total > 1_000 * 1024 * 1024, `the data partition grew to fill the disk: ${total} bytes`);
    assert.ok(doctor.body.durationMs < 10_000, `doctor took ${doctor.body.durationMs} ms under emulation`);
    const ping = await api<{ mode: string }>(vm.url, "GET", "/api/diagnostics/ping");
    assert.equal(ping.body.mode, "production");
    await vm.cut();
    // The FAT partition: the setup file is gone, its redacted receipt is there.
    const listing = run("mdir", ["-b", "-i", `${disk}@@4M`, "::/"]);
    assert.doesNotMatch(listing, /galley-setup\.json/);
    assert.match(listing, /galley-setup\.imported\.json/);
    const receipt = run("mtype", ["-i", `${disk}@@4M`, "::/galley-setup.imported.json"]);
    assert.ok(!receipt.includes("upstream-token-in-qemu") && !receipt.includes("scrypt$"), receipt);
  });
});
