/**
 * Checks of the board's network and time: its addresses, DNS and reachability of the configured
 * upstream, and NTP synchronisation of the clock. A fact the board cannot report is
 * "unavailable", never "ok".
 */
import { lookup } from "node:dns/promises";
import { networkInterfaces } from "node:os";
import type { Runner } from "./probe.ts";
import type { Check } from "./check.ts";

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
