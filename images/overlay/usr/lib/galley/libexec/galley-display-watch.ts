/**
 * galley-display-watch.service (every 30 s): restarts the board's own display when its page
 * stopped sending heartbeats. A crashed ("Aw, Snap!") or hung tab does not exit Chromium, so
 * Restart= alone cannot catch it. The pages post `POST /api/diagnostics/heartbeat` every 15 s;
 * galleyd marks those that come over loopback as the local display.
 *
 * Armed only once a local heartbeat was seen since the display started, so a page that never
 * sends them is left alone instead of being restarted forever. Does nothing while galleyd is
 * down (the failsafe page is then on screen).
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";

const TOKEN_FILE = process.env.GALLEY_TOKEN_FILE ?? "/var/lib/galley/run/doctor.token";
const BASE = process.env.GALLEY_URL ?? "http://127.0.0.1:8080";
/** A display younger than this gets time to load its page. */
const GRACE_SECONDS = 120;
/** A local heartbeat older than this means the page is gone or hung. */
const STALE_SECONDS = 90;

interface Heartbeat {
  local: boolean;
  lastAt: string;
  ageSeconds: number;
}

const say = (message: string): void => {
  process.stdout.write(`galley-display-watch: ${message}\n`);
};

function displaySinceMs(): number | undefined {
  const out = execFileSync(
    "systemctl",
    ["show", "galley-display.service", "--property=ActiveState,ActiveEnterTimestamp"],
    { encoding: "utf8", timeout: 5_000 },
  );
  const props = Object.fromEntries(
    out
      .trim()
      .split("\n")
      .map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)]),
  );
  if (props.ActiveState !== "active" || !props.ActiveEnterTimestamp) return undefined;
  const ms = Date.parse(props.ActiveEnterTimestamp.replace(/^\w+ /, "").replace(/ (\w+)$/, ""));
  return Number.isFinite(ms) ? ms : undefined;
}

export function decide(
  displayStartMs: number,
  nowMs: number,
  beats: readonly Heartbeat[],
): "restart" | "wait" | "not-armed" | "ok" {
  if ((nowMs - displayStartMs) / 1_000 < GRACE_SECONDS) return "wait";
  const local = beats.filter((b) => b.local && Date.parse(b.lastAt) >= displayStartMs);
  if (local.length === 0) return "not-armed";
  const freshest = Math.min(...local.map((b) => b.ageSeconds));
  return freshest > STALE_SECONDS ? "restart" : "ok";
}

async function main(): Promise<number> {
  const since = displaySinceMs();
  if (since === undefined) return 0;
  let token: string;
  try {
    token = readFileSync(TOKEN_FILE, "utf8").trim();
  } catch {
    return 0;
  }
  let beats: Heartbeat[];
  try {
    const response = await fetch(`${BASE}/api/diagnostics/screens`, {
      headers: { authorization: `Bearer ${token}` },
      signal: AbortSignal.timeout(5_000),
    });
    if (!response.ok) return 0;
    beats = ((await response.json()) as { heartbeats: Heartbeat[] }).heartbeats;
  } catch {
    return 0;
  }
  const verdict = decide(since, Date.now(), beats);
  if (verdict === "restart") {
    say(`no heartbeat from the local page for over ${STALE_SECONDS} s: restarting the display`);
    execFileSync("systemctl", ["restart", "galley-display.service"], { timeout: 30_000 });
  }
  return 0;
}

if (import.meta.main) process.exitCode = await main();
