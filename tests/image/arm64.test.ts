/**
 * `npm run test:image`: the Raspberry Pi image, built without binfmt (debootstrap --foreign,
 * second stage under qemu-system-aarch64; about 27 min cold, a few minutes once the second
 * stage is cached), has the Pi firmware and device trees for Pi 3, 4, 400, CM4 and Zero 2 W on
 * its FAT partition, and boots Debian's arm64 kernel under emulation (`-M virt`) to a galleyd
 * that answers ping: Node 24 arm64 and the hardened units run on arm64. Pi firmware boot,
 * tryboot, DRM/GPU and Wi-Fi need the hardware (docs/technician.md).
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { createWriteStream, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { REPO, run, waitForGalleyd } from "./qemu.ts";

const IMAGE = join(REPO, "images", "build-out", "galley-arm64.img");
const ROOTFS = join(REPO, "images", "build-out", "work-arm64", "rootfs");
const has = (tool: string): boolean => spawnSync("sh", ["-c", `command -v ${tool}`], { stdio: "ignore" }).status === 0;
const missing = ["qemu-system-aarch64", "debootstrap", "mke2fs", "mcopy", "cpio"].filter((t) => !has(t));
const reason =
  process.getuid?.() !== 0
    ? "needs root"
    : missing.length > 0
      ? `missing tools: ${missing.join(", ")} (apt-get install qemu-system-arm debootstrap e2fsprogs mtools cpio)`
      : undefined;
const work = mkdtempSync(join(tmpdir(), "galley-arm64-"));

describe("arm64 (Raspberry Pi) image", { skip: reason ? `arm64 image test skipped: ${reason}` : false }, () => {
  before(() => {
    const started = Date.now();
    const result = spawnSync(join(REPO, "images", "build"), ["arm64", "--out", IMAGE], {
      cwd: REPO,
      encoding: "utf8",
      timeout: 60 * 60_000,
    });
    if (result.status !== 0)
      throw new Error(`images/build arm64 failed:\n${(result.stdout + result.stderr).slice(-4_000)}`);
    process.stdout.write(`# arm64 image build ${Math.round((Date.now() - started) / 1_000)} s\n`);
  });
  after(() => {
    rmSync(work, { recursive: true, force: true });
  });

  it("carries the Pi firmware, device trees, kernel, initrd and our boot configuration", () => {
    const files = run("mdir", ["-b", "-i", `${IMAGE}@@4M`, "::/"]);
    for (const name of [
      "start4.elf",
      "fixup4.dat",
      "bootcode.bin",
      "bcm2711-rpi-4-b.dtb",
      "bcm2711-rpi-400.dtb",
      "bcm2711-rpi-cm4-io.dtb",
      "bcm2837-rpi-3-b.dtb",
      "bcm2837-rpi-zero-2-w.dtb",
      "vmlinuz",
      "initrd.img",
      "config.txt",
      "cmdline.txt",
      "galley-setup.example.json",
    ]) {
      assert.match(files, new RegExp(`::/${name.replace(/\./g, "\\.")}\\b`), `${name} on the FAT partition`);
    }
    assert.match(run("mtype", ["-i", `${IMAGE}@@4M`, "::/cmdline.txt"]), /root=LABEL=galley-root ro .*consoleblank=0/);
    assert.match(run("file", [join(ROOTFS, "usr/lib/galley/node/bin/node")]), /ARM aarch64/);
  });

  it("boots Debian's arm64 kernel under emulation to a galleyd that answers ping", async () => {
    const disk = join(work, "disk.img");
    run("cp", ["--sparse=always", IMAGE, disk]);
    run("truncate", ["-s", "+512M", disk]);
    const boot = join(ROOTFS, "boot");
    const kernel = join(boot, readdirSync(boot).find((f) => f.startsWith("vmlinuz-")) ?? "vmlinuz");
    const initrd = join(boot, readdirSync(boot).find((f) => f.startsWith("initrd.img-")) ?? "initrd.img");
    const child = spawn(
      "qemu-system-aarch64",
      [
        "-M",
        "virt",
        "-cpu",
        "cortex-a72",
        "-smp",
        "2",
        "-m",
        "2048",
        "-nographic",
        "-no-reboot",
        "-kernel",
        kernel,
        "-initrd",
        initrd,
        "-append",
        "root=LABEL=galley-root ro rootflags=noatime,errors=remount-ro console=ttyAMA0 panic=-1",
        "-drive",
        `file=${disk},format=raw,if=virtio,cache=writeback`,
        "-netdev",
        "user,id=n0,restrict=on,hostfwd=tcp:127.0.0.1:18094-:8080",
        "-device",
        "virtio-net-pci,netdev=n0",
      ],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    const log = createWriteStream(join(work, "serial.log"));
    child.stdout.pipe(log);
    child.stderr.pipe(log);
    try {
      const seconds = await waitForGalleyd("http://127.0.0.1:18094", child, 600_000);
      process.stdout.write(`# arm64 boot to ping ${seconds.toFixed(0)} s\n`);
      const ping = (await (await fetch("http://127.0.0.1:18094/api/diagnostics/ping")).json()) as { mode: string };
      assert.equal(ping.mode, "production");
    } finally {
      child.kill("SIGKILL");
    }
  });
});
