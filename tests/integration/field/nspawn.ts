/**
 * Boots the amd64 Galley rootfs (images/build rootfs --variant ci: the recipe's base packages,
 * the units, Node 24 from npm, the app release) under systemd-nspawn with its root read-only,
 * the data partition bound from a temporary folder, and test units injected as systemd
 * credentials (systemd.extra-unit.*, systemd.unit-dropin.*) so the image itself stays as built.
 */
import { spawn, spawnSync } from "node:child_process";
import { chmodSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

export const REPO = resolve(import.meta.dirname, "..", "..", "..");
export const ROOTFS = join(REPO, "images", "build-out", "ci-rootfs");
const TEST_FILES = join(import.meta.dirname, "boot");

const has = (tool: string): boolean => spawnSync("sh", ["-c", `command -v ${tool}`], { stdio: "ignore" }).status === 0;

/** Why this machine cannot run the container checks, or undefined when it can. */
export function cannotRun(): string | undefined {
  if (process.getuid?.() !== 0)
    return "needs root (mmdebstrap, chroot, systemd-nspawn); run the tests as root or in CI";
  const missing = ["mmdebstrap", "systemd-nspawn", "mke2fs", "npm"].filter((t) => !has(t));
  if (missing.length > 0)
    return `missing tools: ${missing.join(", ")} (apt-get install mmdebstrap systemd-container e2fsprogs; see .ci/run)`;
  return undefined;
}

/** Builds (or refreshes) the CI rootfs; the Debian base is cached by the recipe's hash. */
export function buildRootfs(): { ms: number; log: string } {
  const started = Date.now();
  const result = spawnSync(
    join(REPO, "images", "build"),
    ["rootfs", "--arch", "amd64", "--variant", "ci", "--out", ROOTFS],
    { cwd: REPO, encoding: "utf8", timeout: 15 * 60_000 },
  );
  const log = `${result.stdout}${result.stderr}`;
  if (result.status !== 0)
    throw new Error(`images/build rootfs failed (${result.status ?? result.signal ?? "?"}):\n${log.slice(-4_000)}`);
  return { ms: Date.now() - started, log };
}

/** Runs a command inside the (not booted) rootfs: the target's own systemd tools. */
export function inRootfs(script: string): { status: number | null; stdout: string; stderr: string } {
  const idDir = mkdtempSync(join(tmpdir(), "galley-mid-"));
  const machineId = join(idDir, "machine-id");
  writeFileSync(machineId, "0123456789abcdef0123456789abcdef\n");
  const result = spawnSync(
    "systemd-nspawn",
    [
      "-q",
      "-D",
      ROOTFS,
      "--read-only",
      "--register=no",
      "--keep-unit",
      "--private-network",
      "--timezone=off",
      "--resolv-conf=off",
      "--link-journal=no",
      `--bind-ro=${machineId}:/etc/machine-id`,
      "--pipe",
      "-E",
      "SYSTEMD_LOG_COLOR=0",
      "--",
      "/bin/bash",
      "-c",
      script,
    ],
    { encoding: "utf8", timeout: 120_000 },
  );
  rmSync(idDir, { recursive: true, force: true });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

export interface BootOptions {
  scenario: "main" | "provision" | "reset" | "rollback" | "failsafe";
  /** More lines for the test's galleyd drop-in (after its own). */
  dropin?: string;
  /** The data partition (bound at /data); created when absent. */
  dataDir: string;
  /** The FAT boot partition (bound at /boot/firmware), for the setup file. */
  bootDir?: string;
  /** Extra files for /mnt. */
  files?: Record<string, string>;
  timeoutMs?: number;
}

export interface BootResult {
  code: number | null;
  ms: number;
  console: string;
  out: string;
}

export function boot(options: BootOptions): Promise<BootResult> {
  const testDir = mkdtempSync(join(tmpdir(), "galley-boot-"));
  cpSync(TEST_FILES, testDir, { recursive: true });
  // galleyd (user galley) loads the test preload from here.
  chmodSync(testDir, 0o755);
  writeFileSync(join(testDir, "scenario"), `${options.scenario}\n`);
  if (options.dropin)
    writeFileSync(
      join(testDir, "galleyd-test.conf"),
      `${readFileSync(join(TEST_FILES, "galleyd-test.conf"), "utf8")}\n${options.dropin}\n`,
    );
  for (const [name, content] of Object.entries(options.files ?? {})) writeFileSync(join(testDir, name), content);
  mkdirSync(options.dataDir, { recursive: true });
  const args = [
    "-q",
    "-D",
    ROOTFS,
    "--read-only",
    "--register=no",
    "--keep-unit",
    "--private-network",
    "--timezone=off",
    "--resolv-conf=off",
    "--link-journal=no",
    "--console=pipe",
    `--bind=${options.dataDir}:/data`,
    `--bind-ro=${testDir}:/mnt`,
    ...(options.bootDir ? [`--bind=${options.bootDir}:/boot/firmware`] : []),
    `--load-credential=systemd.extra-unit.galley-test-check.service:${join(testDir, "galley-test-check.service")}`,
    `--load-credential=systemd.extra-unit.galley-test-check.timer:${join(testDir, "galley-test-check.timer")}`,
    `--load-credential=systemd.unit-dropin.galleyd.service:${join(testDir, "galleyd-test.conf")}`,
    "-b",
    "--",
    "systemd.wants=galley-test-check.timer",
  ];
  const started = Date.now();
  return new Promise((resolveBoot) => {
    const child = spawn("systemd-nspawn", args, { stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    const keep = (chunk: Buffer): void => {
      output = (output + chunk.toString("utf8")).slice(-200_000);
    };
    child.stdout.on("data", keep);
    child.stderr.on("data", keep);
    const timer = setTimeout(() => {
      output += "\n[test] boot timed out: SIGKILL\n";
      child.kill("SIGKILL");
    }, options.timeoutMs ?? 240_000);
    child.on("close", (code) => {
      clearTimeout(timer);
      rmSync(testDir, { recursive: true, force: true });
      resolveBoot({ code, ms: Date.now() - started, console: output, out: join(options.dataDir, "test-out") });
    });
  });
}
