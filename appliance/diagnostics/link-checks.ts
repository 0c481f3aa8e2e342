/**
 * Checks of the links galleyd holds, read over HTTP: the screens connected to it, and the backlog
 * of each upstream it syncs to (blocked, refused items, how long the oldest item has waited).
 */
import type { HttpAnswer } from "./probe.ts";
import { formatDuration, linesFor, type Check } from "./check.ts";
import { notAnswered } from "./galleyd-answer.ts";

export interface ScreenInfo {
  name: string;
  role: string;
  kind: string;
  topics: string[];
}

export function screensCheck(answer: HttpAnswer<{ connected: ScreenInfo[] }>, expectScreens: boolean): Check {
  const missing = notAnswered("screens", "connected screens", answer, "connected screens");
  if (missing) return missing;
  const connected = answer.body?.connected ?? [];
  const screens = connected.filter((c) => c.kind === "device");
  const details = { connected };
  if (screens.length === 0) {
    return {
      id: "screens",
      title: "connected screens",
      verdict: expectScreens ? "warn" : "ok",
      summary: `no screen connected${connected.length > 0 ? ` (${connected.length} staff session(s))` : ""}`,
      hint: "check the screens' network; pair a new screen with a code from /admin (or the boot slip)",
      details,
    };
  }
  const byRole = new Map<string, number>();
  for (const s of screens) byRole.set(s.role, (byRole.get(s.role) ?? 0) + 1);
  return {
    id: "screens",
    title: "connected screens",
    verdict: "ok",
    summary: [...byRole].map(([role, n]) => `${n} ${role}`).join(", "),
    details,
  };
}

interface SyncTarget {
  target?: string;
  name?: string;
  id?: string;
  pending?: number;
  oldestAgeSeconds?: number;
  oldestPendingAt?: string;
  oldestAt?: string;
  state?: string;
  blocked?: boolean;
  blockedReason?: string | null;
  online?: boolean;
  dead?: number;
  lastError?: unknown;
}

function listOf(body: unknown, key: string): unknown[] | undefined {
  if (Array.isArray(body)) return body as unknown[];
  const value = typeof body === "object" && body !== null ? (body as Record<string, unknown>)[key] : undefined;
  return Array.isArray(value) ? (value as unknown[]) : undefined;
}

export function syncChecks(answer: HttpAnswer, nowMs: number): Check[] {
  const missing = notAnswered("sync", "sync backlog", answer, "sync status");
  if (missing) return [missing];
  const targets = listOf(answer.body, "targets") as SyncTarget[] | undefined;
  if (!targets)
    return [
      {
        id: "sync",
        title: "sync backlog",
        verdict: "unavailable",
        summary: "sync status in an unknown shape",
        details: { body: answer.body },
      },
    ];
  if (targets.length === 0)
    return [{ id: "sync", title: "sync backlog", verdict: "ok", summary: "no upstream target connected", details: {} }];
  return targets.map((t, index) => {
    const name = t.target ?? t.name ?? t.id ?? String(index + 1);
    const pending = t.pending ?? 0;
    const oldestAt = t.oldestPendingAt ?? t.oldestAt;
    const age = t.oldestAgeSeconds ?? (oldestAt ? Math.max(0, (nowMs - Date.parse(oldestAt)) / 1_000) : 0);
    const line = linesFor(`sync.${name}`, `sync ${name}`.slice(0, 40), { ...t });
    const summary = `${pending === 0 ? "nothing waiting" : `${pending} waiting, oldest ${formatDuration(age)}`}${t.online === false ? ", upstream offline" : ""}`;
    if (t.blocked === true || t.state === "blocked")
      return line(
        "fail",
        `blocked${t.blockedReason ? ` (${t.blockedReason})` : ""} — ${summary}`,
        "the upstream refused our credentials: reconnect the integration in /admin",
      );
    if ((t.dead ?? 0) > 0)
      return line(
        "warn",
        `${t.dead ?? 0} item(s) refused for good — ${summary}`,
        "fix the cause shown in /admin → sync history, then re-queue them",
      );
    if (pending > 0 && age > 24 * 3_600)
      return line(
        "fail",
        summary,
        "check the upstream line above and the network; nothing is lost, it sends when it can",
      );
    if (pending > 0 && age > 15 * 60)
      return line("warn", summary, "check the upstream line above; orders sync when the network returns");
    return line("ok", summary);
  });
}
