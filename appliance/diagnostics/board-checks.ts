/**
 * Checks of the board's hardware: free space (and a read-only remount) where the journal lives,
 * and the power supply (under-voltage, throttling, temperature) where the board reports it.
 * A fact the board cannot report is "unavailable", never "ok".
 */
import { readdirSync, readFileSync, statfsSync } from "node:fs";
import { join } from "node:path";
import type { Runner } from "./probe.ts";
import { formatBytes, type Check } from "./check.ts";

/** Free space where the journal lives, and whether that file system went read-only. */
export function diskCheck(dataDir: string, mountsText?: string): Check {
  let stats;
  try {
    stats = statfsSync(dataDir);
  } catch (error) {
    return {
      id: "disk",
      title: "free space",
      verdict: "fail",
      summary: `cannot read ${dataDir}: ${(error as Error).message}`,
      hint: "is the data partition mounted? findmnt /data",
    };
  }
  const free = stats.bavail * stats.bsize;
  const total = stats.blocks * stats.bsize;
  const percent = total > 0 ? Math.round((free / total) * 100) : 0;
  const details = { dataDir, freeBytes: free, totalBytes: total, freePercent: percent, readOnly: false };
  const mount = mountsText === undefined ? undefined : mountOf(dataDir, mountsText);
  if (mount?.readOnly) {
    details.readOnly = true;
    return {
      id: "disk",
      title: "free space",
      verdict: "fail",
      summary: `${mount.where} is mounted read-only (the card reported errors)`,
      hint: "export the journal (galley backup to a USB stick), then replace the SD card",
      details,
    };
  }
  const summary = `${formatBytes(free)} free of ${formatBytes(total)} (${percent}%) on ${mount?.where ?? dataDir}`;
  if (free < 256 * 1024 * 1024 || percent < 5)
    return {
      id: "disk",
      title: "free space",
      verdict: "fail",
      summary,
      hint: "orders will fail with storage_full: delete old backups (galley backups) and exports in /data/exports",
      details,
    };
  if (free < 1024 * 1024 * 1024 || percent < 15)
    return {
      id: "disk",
      title: "free space",
      verdict: "warn",
      summary,
      hint: "free space soon: old backups, /data/exports, old app releases (galley-release status)",
      details,
    };
  return { id: "disk", title: "free space", verdict: "ok", summary, details };
}

function mountOf(path: string, mountsText: string): { where: string; readOnly: boolean } | undefined {
  let best: { where: string; readOnly: boolean } | undefined;
  for (const line of mountsText.split("\n")) {
    const [, where, , options] = line.split(" ");
    if (!where || !options) continue;
    const prefix = where === "/" ? "/" : `${where}/`;
    if (path !== where && !path.startsWith(prefix)) continue;
    if (!best || where.length >= best.where.length) best = { where, readOnly: options.split(",").includes("ro") };
  }
  return best;
}

/** Raspberry Pi throttling bits (firmware get_throttled): now (0–3) and since boot (16–19). */
const THROTTLE_BITS: readonly [number, string][] = [
  [0, "under-voltage now"],
  [1, "CPU frequency capped now"],
  [2, "throttled now"],
  [3, "soft temperature limit now"],
  [16, "under-voltage since boot"],
  [17, "frequency capped since boot"],
  [18, "throttled since boot"],
  [19, "soft temperature limit since boot"],
];

function decodeThrottled(value: number): { now: string[]; past: string[] } {
  const now: string[] = [];
  const past: string[] = [];
  for (const [bit, label] of THROTTLE_BITS) if (value & (1 << bit)) (bit < 16 ? now : past).push(label);
  return { now, past };
}

/** Under-voltage and throttling where the board reports them (vendor sysfs, vcgencmd, or Debian's rpi_volt hwmon). */
export async function powerCheck(run: Runner, sysRoot = "/sys"): Promise<Check> {
  const temperature = readNumber(join(sysRoot, "class/thermal/thermal_zone0/temp"));
  const details: Record<string, unknown> = { temperatureC: temperature === undefined ? null : temperature / 1000 };
  let throttled: number | undefined;
  const sysfs = readText(join(sysRoot, "devices/platform/soc/soc:firmware/get_throttled"));
  if (sysfs !== undefined) throttled = Number.parseInt(sysfs, 16);
  if (throttled === undefined) {
    const vc = await run("vcgencmd", ["get_throttled"], { timeoutMs: 2_000 });
    const match = vc.ok ? /throttled=0x([0-9a-f]+)/i.exec(vc.stdout) : null;
    if (match?.[1]) throttled = Number.parseInt(match[1], 16);
  }
  if (throttled !== undefined && Number.isFinite(throttled)) {
    details.throttled = `0x${throttled.toString(16)}`;
    const { now, past } = decodeThrottled(throttled);
    if (now.length > 0)
      return {
        id: "power",
        title: "power supply",
        verdict: "fail",
        summary: now.join(", "),
        hint: "use the official 5.1 V / 3 A supply and a short, thick cable; unpowered USB devices draw too much",
        details,
      };
    if (past.length > 0)
      return {
        id: "power",
        title: "power supply",
        verdict: "warn",
        summary: past.join(", "),
        hint: "the supply dipped since boot: check the power supply and cable before the card gets damaged",
        details,
      };
    return {
      id: "power",
      title: "power supply",
      verdict: "ok",
      summary: `no under-voltage or throttling${temperature ? `, ${(temperature / 1000).toFixed(1)} °C` : ""}`,
      details,
    };
  }
  // Debian's kernel: the rpi_volt hwmon driver raises in0_lcrit_alarm on under-voltage.
  const hwmon = findHwmon(sysRoot, "rpi_volt");
  if (hwmon) {
    const alarm = readNumber(join(hwmon, "in0_lcrit_alarm"));
    details.rpiVoltAlarm = alarm ?? null;
    if (alarm === 1)
      return {
        id: "power",
        title: "power supply",
        verdict: "fail",
        summary: "under-voltage now",
        hint: "use the official 5.1 V / 3 A supply and a short, thick cable",
        details,
      };
    return {
      id: "power",
      title: "power supply",
      verdict: "ok",
      summary: `no under-voltage${temperature ? `, ${(temperature / 1000).toFixed(1)} °C` : ""}`,
      details,
    };
  }
  return {
    id: "power",
    title: "power supply",
    verdict: "unavailable",
    summary: "this board does not report under-voltage or throttling",
    details,
  };
}

function findHwmon(sysRoot: string, name: string): string | undefined {
  const base = join(sysRoot, "class/hwmon");
  try {
    for (const entry of readdirSync(base)) {
      if (readText(join(base, entry, "name")) === name) return join(base, entry);
    }
  } catch {
    return undefined;
  }
  return undefined;
}

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, "utf8").trim();
  } catch {
    return undefined;
  }
}

function readNumber(path: string): number | undefined {
  const text = readText(path);
  if (text === undefined) return undefined;
  const value = Number(text);
  return Number.isFinite(value) ? value : undefined;
}
