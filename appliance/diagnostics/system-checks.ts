/**
 * Checks of the board itself: the systemd units, free space, clock, power supply, network.
 * Each returns one line; a fact the board cannot report is "unavailable", never "ok".
 */
import { readdirSync, readFileSync, statfsSync } from "node:fs";
import { lookup } from "node:dns/promises";
import { networkInterfaces } from "node:os";
import { join } from "node:path";
import type { CheckResult } from "./report.ts";
import type { Runner } from "./probe.ts";

export type Check = Omit<CheckResult, "durationMs">;

/** `systemctl show` of one unit, or undefined when this machine has no systemd to ask. */
export async function unitState(run: Runner, unit: string): Promise<Record<string, string> | undefined> {
  const result = await run("systemctl", [
    "show",
    unit,
    "--property=LoadState,ActiveState,SubState,Result,NRestarts,ActiveEnterTimestamp,StatusText",
  ]);
  if (!result.ok) return undefined;
  const state: Record<string, string> = {};
  for (const line of result.stdout.split("\n")) {
    const at = line.indexOf("=");
    if (at > 0) state[line.slice(0, at)] = line.slice(at + 1);
  }
  return state.LoadState ? state : undefined;
}

/** The galleyd service: its systemd state together with whether it answers. */
export function serviceCheck(
  state: Record<string, string> | undefined,
  ping: { answers: boolean; uptimeSeconds?: number; version?: string; error?: string },
): Check {
  const details: Record<string, unknown> = { systemd: state ?? null, answers: ping.answers };
  const restarts = Number(state?.NRestarts ?? 0);
  const where = state ? ` (systemd: ${state.ActiveState}/${state.SubState})` : "";
  if (ping.answers) {
    const up = ping.uptimeSeconds === undefined ? "" : `, up ${formatDuration(ping.uptimeSeconds)}`;
    if (restarts > 0) {
      return {
        id: "service",
        title: "galleyd service",
        verdict: "warn",
        summary: `running${up}, but restarted ${restarts} time(s) since boot${where}`,
        hint: "see why: journalctl -u galleyd -b | grep -iE 'watchdog|error|fatal'",
        details,
      };
    }
    return { id: "service", title: "galleyd service", verdict: "ok", summary: `running${up}${where}`, details };
  }
  if (!state || state.LoadState === "not-found") {
    return {
      id: "service",
      title: "galleyd service",
      verdict: "fail",
      summary: `not answering on its port${ping.error ? ` (${ping.error})` : ""}${where}`,
      hint: "start it: systemctl start galleyd; then journalctl -u galleyd -n 50",
      details,
    };
  }
  if (state.ActiveState === "failed") {
    return {
      id: "service",
      title: "galleyd service",
      verdict: "fail",
      summary: `stopped after repeated failures (result: ${state.Result ?? "?"})`,
      hint: "read journalctl -u galleyd -n 80; fix the cause (exit 65: restore a backup, exit 78: config), then systemctl reset-failed galleyd && systemctl start galleyd",
      details,
    };
  }
  return {
    id: "service",
    title: "galleyd service",
    verdict: "fail",
    summary: `not answering${where}`,
    hint: "journalctl -u galleyd -n 50; systemctl restart galleyd",
    details,
  };
}

/** A unit that is expected to run on a board with a screen (galley-display). */
export function displayUnitCheck(state: Record<string, string> | undefined): Check {
  if (!state || state.LoadState === "not-found") {
    return {
      id: "display",
      title: "local display",
      verdict: "unavailable",
      summary: "no display unit on this machine",
      details: { systemd: state ?? null },
    };
  }
  if (state.ActiveState === "active") {
    return {
      id: "display",
      title: "local display",
      verdict: "ok",
      summary: "cage + Chromium running on tty1",
      details: { systemd: state },
    };
  }
  if (state.ActiveState === "inactive" && state.Result === "success") {
    return {
      id: "display",
      title: "local display",
      verdict: "unavailable",
      summary: "not started (headless board, or screen-only setup)",
      details: { systemd: state },
    };
  }
  return {
    id: "display",
    title: "local display",
    verdict: "fail",
    summary: `display ${state.ActiveState}/${state.SubState}`,
    hint: "check the HDMI cable and screen power; systemctl restart galley-display; journalctl --namespace=display -n 50",
    details: { systemd: state },
  };
}

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

/** NTP synchronisation through timedatectl (systemd-timesyncd). */
export async function clockCheck(run: Runner): Promise<Check> {
  const result = await run("timedatectl", [
    "show",
    "--property=NTPSynchronized",
    "--property=NTP",
    "--property=Timezone",
  ]);
  const now = new Date().toISOString();
  if (!result.ok) {
    return {
      id: "clock",
      title: "clock",
      verdict: "unavailable",
      summary: `cannot ask timedatectl here (time now ${now})`,
      details: { time: now },
    };
  }
  const props = Object.fromEntries(
    result.stdout
      .split("\n")
      .filter((l) => l.includes("="))
      .map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)]),
  );
  const details = { time: now, ...props };
  if (props.NTPSynchronized === "yes")
    return {
      id: "clock",
      title: "clock",
      verdict: "ok",
      summary: `synchronised (${now}, ${props.Timezone ?? "?"})`,
      details,
    };
  return {
    id: "clock",
    title: "clock",
    verdict: "warn",
    summary: `not synchronised (board time ${now}); a Pi has no battery clock`,
    hint: "needs network to an NTP server: timedatectl timesync-status; printed times and backup retention wait for it",
    details,
  };
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

export function decodeThrottled(value: number): { now: string[]; past: string[] } {
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

/** Interfaces with an address other than loopback. */
export function networkCheck(interfaces = networkInterfaces()): Check {
  const found: { name: string; address: string; family: string }[] = [];
  for (const [name, addresses] of Object.entries(interfaces)) {
    for (const a of addresses ?? [])
      if (!a.internal && (a.family === "IPv4" || !a.address.startsWith("fe80")))
        found.push({ name, address: a.address, family: a.family });
  }
  if (found.length === 0) {
    return {
      id: "network",
      title: "network",
      verdict: "fail",
      summary: "no network address (only loopback)",
      hint: "plug in Ethernet, or set wifi in galley-setup.json; nmcli device status shows what NetworkManager sees",
      details: { interfaces: [] },
    };
  }
  const v4 = found.filter((f) => f.family === "IPv4");
  return {
    id: "network",
    title: "network",
    verdict: "ok",
    summary: (v4.length > 0 ? v4 : found).map((f) => `${f.name} ${f.address}`).join(", "),
    details: { interfaces: found },
  };
}

/** DNS resolution and reachability of the configured upstream (central service or POS provider). */
export async function upstreamChecks(url: string | undefined, timeoutMs = 3_000): Promise<Check[]> {
  if (!url) {
    return [
      {
        id: "upstream",
        title: "upstream",
        verdict: "unavailable",
        summary: "no upstream configured (single store without sync)",
      },
    ];
  }
  let host: string;
  try {
    host = new URL(url).hostname;
  } catch {
    return [
      {
        id: "upstream",
        title: "upstream",
        verdict: "fail",
        summary: `upstream URL is not a URL: ${url}`,
        hint: "fix upstream.url in galley-setup.json / /data/config/upstream.json",
      },
    ];
  }
  const results: Check[] = [];
  try {
    const address = await withTimeout(lookup(host), timeoutMs, `DNS lookup of ${host} timed out`);
    results.push({
      id: "dns",
      title: "DNS",
      verdict: "ok",
      summary: `${host} → ${address.address}`,
      details: { host, address: address.address },
    });
  } catch (error) {
    results.push({
      id: "dns",
      title: "DNS",
      verdict: "fail",
      summary: `${host} does not resolve: ${(error as Error).message}`,
      hint: "check the router's DNS: resolvectl status / cat /etc/resolv.conf",
      details: { host },
    });
    results.push({
      id: "upstream",
      title: "upstream",
      verdict: "fail",
      summary: `not reachable (no DNS for ${host})`,
      hint: "orders keep working offline and sync when the network returns",
    });
    return results;
  }
  try {
    const response = await fetch(url, { method: "HEAD", signal: AbortSignal.timeout(timeoutMs), redirect: "manual" });
    results.push({
      id: "upstream",
      title: "upstream",
      verdict: "ok",
      summary: `${new URL(url).origin} answers (HTTP ${response.status})`,
      details: { status: response.status },
    });
  } catch (error) {
    const cause =
      error instanceof Error && error.cause instanceof Error ? error.cause.message : (error as Error).message;
    results.push({
      id: "upstream",
      title: "upstream",
      verdict: "fail",
      summary: `${new URL(url).origin} not reachable: ${cause}`,
      hint: "a firewall or proxy may block it; orders keep working offline and sync later",
    });
  }
  return results;
}

function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => {
      reject(new Error(message));
    }, ms);
  });
  return Promise.race([promise, timeout]).finally(() => {
    clearTimeout(timer);
  });
}

export function formatBytes(bytes: number): string {
  const units = ["B", "KB", "MB", "GB", "TB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value >= 10 || unit === 0 ? Math.round(value) : value.toFixed(1)} ${units[unit] ?? "B"}`;
}

export function formatDuration(seconds: number): string {
  if (seconds < 90) return `${Math.round(seconds)} s`;
  if (seconds < 5_400) return `${Math.round(seconds / 60)} min`;
  if (seconds < 172_800) return `${Math.round(seconds / 3_600)} h`;
  return `${Math.round(seconds / 86_400)} days`;
}
