/**
 * The amd64 test image under full-system emulation (QEMU TCG: nested KVM is unusable on CI
 * machines, docs/architecture.md#image-checks): the disk image images/build writes, the kernel and
 * initrd of its rootfs booted directly, galleyd's port forwarded to 127.0.0.1 only, and no other
 * network (`restrict=on`). Power is cut with SIGKILL, which a guest sees as a power loss
 * (cache=writeback still honours the guest's flushes, as an SD card should).
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { createWriteStream, existsSync, readdirSync } from "node:fs";
import { join, resolve } from "node:path";
import WebSocket from "ws";

export const REPO = resolve(import.meta.dirname, "..", "..");
export const IMAGE = join(REPO, "images", "build-out", "galley-amd64.img");
const ROOTFS = join(REPO, "images", "build-out", "work-amd64", "rootfs");

const has = (tool: string): boolean => spawnSync("sh", ["-c", `command -v ${tool}`], { stdio: "ignore" }).status === 0;

export function cannotRun(): string | undefined {
  if (process.getuid?.() !== 0) return "needs root (images/build)";
  const missing = ["qemu-system-x86_64", "mmdebstrap", "mke2fs", "mkfs.vfat", "mcopy", "sfdisk"].filter((t) => !has(t));
  if (missing.length > 0)
    return `missing tools: ${missing.join(", ")} (apt-get install qemu-system-x86 mmdebstrap e2fsprogs dosfstools mtools fdisk)`;
  return undefined;
}

/** Builds the amd64 image (GALLEY_REUSE_IMAGE=1 keeps an existing one). */
export function buildImage(): number {
  const started = Date.now();
  if (process.env.GALLEY_REUSE_IMAGE === "1" && existsSync(IMAGE) && existsSync(ROOTFS)) return 0;
  const result = spawnSync(join(REPO, "images", "build"), ["image", "--arch", "amd64", "--out", IMAGE], {
    cwd: REPO,
    encoding: "utf8",
    timeout: 20 * 60_000,
  });
  if (result.status !== 0)
    throw new Error(`images/build image failed:\n${(result.stdout + result.stderr).slice(-4_000)}`);
  return Date.now() - started;
}

export function kernelAndInitrd(): { kernel: string; initrd: string } {
  const boot = join(ROOTFS, "boot");
  const kernel = readdirSync(boot).find((f) => f.startsWith("vmlinuz-"));
  const initrd = readdirSync(boot).find((f) => f.startsWith("initrd.img-"));
  if (!kernel || !initrd) throw new Error(`no kernel/initrd in ${boot}`);
  return { kernel: join(boot, kernel), initrd: join(boot, initrd) };
}

/** A private copy of the image, grown by `growMiB` (the data partition must fill it on first boot), with a setup file on its FAT partition. */
export function prepareDisk(target: string, options: { growMiB: number; setupFile?: string }): void {
  run("cp", ["--sparse=always", IMAGE, target]);
  if (options.growMiB > 0) run("truncate", ["-s", `+${options.growMiB}M`, target]);
  if (options.setupFile) run("mcopy", ["-o", "-i", `${target}@@4M`, options.setupFile, "::/galley-setup.json"]);
}

export function run(command: string, args: string[]): string {
  const result = spawnSync(command, args, { encoding: "utf8", timeout: 120_000 });
  if (result.status !== 0) throw new Error(`${command} ${args.join(" ")}: ${result.stderr}`);
  return result.stdout;
}

export interface Vm {
  url: string;
  child: ChildProcess;
  /** Guest power loss. */
  cut(): Promise<void>;
}

export function startVm(disk: string, port: number, serialLog: string): Vm {
  const { kernel, initrd } = kernelAndInitrd();
  const args = [
    "-accel",
    "tcg",
    "-cpu",
    "max",
    "-m",
    "1536",
    "-smp",
    "2",
    "-nographic",
    "-no-reboot",
    "-kernel",
    kernel,
    "-initrd",
    initrd,
    "-append",
    "root=LABEL=galley-root ro rootflags=noatime,errors=remount-ro console=ttyS0 panic=-1",
    "-drive",
    `file=${disk},format=raw,if=virtio,cache=writeback`,
    "-netdev",
    `user,id=n0,restrict=on,hostfwd=tcp:127.0.0.1:${port}-:8080`,
    "-device",
    "virtio-net-pci,netdev=n0",
  ];
  const child = spawn("qemu-system-x86_64", args, { stdio: ["ignore", "pipe", "pipe"] });
  const log = createWriteStream(serialLog, { flags: "a" });
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  return {
    url: `http://127.0.0.1:${port}`,
    child,
    cut: () =>
      new Promise((resolveCut) => {
        if (child.exitCode !== null || child.signalCode !== null) {
          resolveCut();
          return;
        }
        child.once("exit", () => {
          resolveCut();
        });
        child.kill("SIGKILL");
      }),
  };
}

// eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters -- the caller names the body type it expects, as tests/helpers/test-app.ts does
export async function api<T = unknown>(
  url: string,
  method: string,
  path: string,
  options: { token?: string; body?: unknown; headers?: Record<string, string>; timeoutMs?: number } = {},
): Promise<{ status: number; body: T }> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.body !== undefined) headers["content-type"] = "application/json";
  const response = await fetch(`${url}${path}`, {
    method,
    headers,
    ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
    signal: AbortSignal.timeout(options.timeoutMs ?? 30_000),
  });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON
  }
  return { status: response.status, body: body as T };
}

/** Polls ping until galleyd answers (bounded). Returns the seconds it took. */
export async function waitForGalleyd(url: string, child: ChildProcess, timeoutMs = 300_000): Promise<number> {
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error("QEMU exited before galleyd answered");
    try {
      const res = await api(url, "GET", "/api/diagnostics/ping", { timeoutMs: 3_000 });
      if (res.status === 200) return (Date.now() - started) / 1_000;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 2_000));
  }
  throw new Error(`galleyd did not answer within ${timeoutMs / 1_000} s`);
}

/** A kitchen screen subscribed to the kitchen topic, so the kiosk may take orders (requireKitchenRoute). */
export async function kitchenScreen(url: string, adminToken: string): Promise<WebSocket> {
  const code = await api<{ code: string }>(url, "POST", "/api/devices/pairing-codes", {
    token: adminToken,
    body: { role: "kitchen", name: "power-cut kitchen" },
  });
  const paired = await api<{ token: string }>(url, "POST", "/api/devices/pair", { body: { code: code.body.code } });
  const socket = new WebSocket(`${url.replace("http", "ws")}/ws?token=${encodeURIComponent(paired.body.token)}`);
  await new Promise<void>((resolveOpen, reject) => {
    socket.once("open", () => {
      resolveOpen();
    });
    socket.once("error", reject);
  });
  socket.send(JSON.stringify({ type: "subscribe", topic: "kitchen" }));
  socket.on("error", () => undefined);
  return socket;
}
