/**
 * Checks that ask galleyd over its HTTP API (with the local diagnostics token): journal,
 * devices, connected screens, sync backlog. An endpoint this galleyd does not have (404) is
 * "not available" with a hint, never a crash; a refused token says how to get one.
 */
import type { HttpAnswer } from "./probe.ts";
import { formatBytes, formatDuration, type Check } from "./system-checks.ts";

const NOT_AUTHORISED_HINT =
  "run galley doctor as root on the board (it reads galleyd's local token from <dataDir>/run/doctor.token)";

function notAnswered(id: string, title: string, answer: HttpAnswer, what: string): Check | undefined {
  if (answer.status === 0)
    return {
      id,
      title,
      verdict: "unavailable",
      summary: `galleyd did not answer (${answer.error ?? "no answer"})`,
      hint: "see the galleyd service line above",
    };
  if (answer.status === 401 || answer.status === 403)
    return {
      id,
      title,
      verdict: "unavailable",
      summary: `galleyd refused to show ${what} (HTTP ${answer.status})`,
      hint: NOT_AUTHORISED_HINT,
    };
  if (answer.status === 404)
    return {
      id,
      title,
      verdict: "unavailable",
      summary: `not available: this galleyd has no ${what} endpoint`,
      hint: "update the app release (galley-release status); the check appears with it",
    };
  if (answer.status >= 400)
    return {
      id,
      title,
      verdict: "fail",
      summary: `galleyd answered HTTP ${answer.status} for ${what}`,
      hint: "journalctl -u galleyd -n 50",
    };
  return undefined;
}

interface JournalHealth {
  path: string;
  schemaVersion: number;
  seq: number;
  orders: number;
  sizeBytes: number;
  journalMode: string;
  synchronous: string;
  integrity: string[];
}

export function journalCheck(answer: HttpAnswer<JournalHealth>): Check {
  const missing = notAnswered("journal", "journal", answer, "journal health");
  if (missing) return missing;
  const j = answer.body;
  if (!j) return { id: "journal", title: "journal", verdict: "fail", summary: "unreadable journal health answer" };
  const details = { ...j };
  const shape = `${formatBytes(j.sizeBytes)}, ${j.orders} orders, seq ${j.seq}, schema ${j.schemaVersion}`;
  if (j.integrity.length !== 1 || j.integrity[0] !== "ok") {
    return {
      id: "journal",
      title: "journal",
      verdict: "fail",
      summary: `integrity check failed: ${j.integrity.slice(0, 3).join("; ")}`,
      hint: "stop galleyd, galley backups, galley restore <newest good backup>, start galleyd (docs/technician.md)",
      details,
    };
  }
  if (j.journalMode !== "wal" || j.synchronous !== "FULL") {
    return {
      id: "journal",
      title: "journal",
      verdict: "fail",
      summary: `${shape}; durability settings are ${j.journalMode}/${j.synchronous}, expected wal/FULL`,
      hint: "a modified release? reinstall it (galley-release)",
      details,
    };
  }
  return { id: "journal", title: "journal", verdict: "ok", summary: `integrity ok, ${shape}`, details };
}

export interface BackupFacts {
  file: string;
  sizeBytes: number;
  seq: number;
  createdAt: string;
}

export function backupCheck(backups: readonly BackupFacts[] | undefined, nowMs: number, error?: string): Check {
  if (backups === undefined) {
    return {
      id: "backup",
      title: "last backup",
      verdict: "unavailable",
      summary: `cannot list backups${error ? `: ${error}` : ""}`,
      hint: NOT_AUTHORISED_HINT,
    };
  }
  if (backups.length === 0) {
    return {
      id: "backup",
      title: "last backup",
      verdict: "warn",
      summary: "no journal backup yet",
      hint: "make one now: galley backup",
      details: { count: 0 },
    };
  }
  const newest = [...backups].sort((a, b) => a.createdAt.localeCompare(b.createdAt)).at(-1) as BackupFacts;
  const ageSeconds = Math.max(0, (nowMs - Date.parse(newest.createdAt)) / 1_000);
  const details = { count: backups.length, newest };
  const summary = `${formatDuration(ageSeconds)} ago (seq ${newest.seq}, ${formatBytes(newest.sizeBytes)}), ${backups.length} kept`;
  if (ageSeconds > 26 * 3_600)
    return {
      id: "backup",
      title: "last backup",
      verdict: "warn",
      summary,
      hint: "scheduled backups are not running: systemctl list-timers; make one now with galley backup",
      details,
    };
  return { id: "backup", title: "last backup", verdict: "ok", summary, details };
}

/** `GET /api/devices/status` (protocol/schemas/devices.ts), read defensively: fields may be missing. */
interface PrinterView {
  id?: string;
  name?: string;
  uri?: string;
  simulated?: boolean;
  connection?: string;
  health?: string;
  paper?: string;
  coverOpen?: boolean | null;
  faults?: string[];
  bidirectional?: boolean;
  jobs?: { waiting?: number; held?: number; needsAttention?: number };
}
interface DevicesStatusView {
  printers?: PrinterView[];
  drawer?: { id?: string; state?: string; printerId?: string } | null;
  display?: { id?: string; connection?: string; commandSet?: string; wiring?: string } | null;
  ordering?: { state?: string; message?: string; kitchenPrinters?: number; kitchenScreens?: number };
}

const PRINTER_HINT =
  "check power, paper and cable/network (ping its IP); print a test receipt from /admin; the spooler holds jobs until it is back";

function printerCheck(p: PrinterView, index: number): Check {
  const id = `devices.${p.id ?? `printer-${index + 1}`}`;
  const title = `printer ${p.name ?? p.id ?? index + 1}`.slice(0, 40);
  const where = `${p.uri ?? ""}${p.simulated ? " (simulated)" : ""}`.trim();
  const suffix = where ? ` — ${where}` : "";
  const details = { ...p };
  const faults = p.faults ?? [];
  const jobs = p.jobs ?? {};
  if (p.connection !== "online")
    return {
      id,
      title,
      verdict: "fail",
      summary: `${p.connection ?? "state unknown"}${suffix}`,
      hint: PRINTER_HINT,
      details,
    };
  if (p.health === "error" || p.paper === "end" || p.coverOpen === true) {
    const what = [p.paper === "end" ? "paper out" : "", p.coverOpen ? "cover open" : "", ...faults].filter(Boolean);
    return {
      id,
      title,
      verdict: "fail",
      summary: `${what.join(", ") || "error"}${suffix}`,
      hint: "load paper / close the cover; held jobs print by themselves once it is ready",
      details,
    };
  }
  if ((jobs.needsAttention ?? 0) > 0)
    return {
      id,
      title,
      verdict: "warn",
      summary: `${jobs.needsAttention ?? 0} job(s) with an unknown outcome${suffix}`,
      hint: "decide in /admin → print jobs: reprint or mark done",
      details,
    };
  if (p.health === "warning" || p.paper === "nearEnd")
    return {
      id,
      title,
      verdict: "warn",
      summary: `${p.paper === "nearEnd" ? "paper near end" : faults.join(", ") || "warning"}${suffix}`,
      hint: "have a paper roll ready",
      details,
    };
  if (p.health === "unknown" || p.health === undefined) {
    return {
      id,
      title,
      verdict: p.bidirectional === false ? "ok" : "warn",
      summary: `online, status not readable${p.bidirectional === false ? " (one-way printer)" : ""}${suffix}`,
      hint: "print a test receipt from /admin to be sure",
      details,
    };
  }
  return {
    id,
    title,
    verdict: "ok",
    summary: `online, paper ok${(jobs.waiting ?? 0) > 0 ? `, ${jobs.waiting ?? 0} job(s) waiting` : ""}${suffix}`,
    details,
  };
}

export function deviceChecks(answer: HttpAnswer): Check[] {
  const missing = notAnswered("devices", "devices", answer, "device status");
  if (missing) return [missing];
  const status = (typeof answer.body === "object" && answer.body !== null ? answer.body : {}) as DevicesStatusView;
  if (!Array.isArray(status.printers))
    return [
      {
        id: "devices",
        title: "devices",
        verdict: "unavailable",
        summary: "device status in an unknown shape",
        details: { body: answer.body },
      },
    ];
  const checks: Check[] = status.printers.map(printerCheck);
  if (status.printers.length === 0)
    checks.push({
      id: "devices.printers",
      title: "printers",
      verdict: "warn",
      summary: "no printer configured",
      hint: "plug in the printer and configure it (devices in the config file / /admin)",
    });
  const drawer = status.drawer;
  if (drawer) {
    const state = drawer.state ?? "unknown";
    const verdict = state === "open-too-long" ? "warn" : state === "unknown" ? "unavailable" : "ok";
    checks.push({
      id: "devices.drawer",
      title: "cash drawer",
      verdict,
      summary: state === "no-sensor" ? "no open/closed sensor (kick works, state not reported)" : `drawer ${state}`,
      hint:
        state === "open-too-long"
          ? "close the drawer; check it is not jammed"
          : "kick it from /admin (diagnostics) to test",
      details: { ...drawer },
    });
  }
  const display = status.display;
  if (display) {
    checks.push(
      display.connection === "online"
        ? {
            id: "devices.display",
            title: "pole display",
            verdict: "ok",
            summary: `online (${display.commandSet ?? "?"}, ${display.wiring ?? "?"})`,
            details: { ...display },
          }
        : {
            id: "devices.display",
            title: "pole display",
            verdict: "fail",
            summary: "offline",
            hint: "check the serial cable and the display's power; run the display test in /admin",
            details: { ...display },
          },
    );
  }
  const ordering = status.ordering;
  if (ordering?.state === "paused") {
    checks.push({
      id: "devices.ordering",
      title: "kiosk ordering",
      verdict: "fail",
      summary: `paused: ${ordering.message ?? "no kitchen printer or kitchen screen works"}`,
      hint: "bring a kitchen printer online or open the kitchen display; kiosks take orders again by themselves",
      details: { ...ordering },
    });
  }
  return checks;
}

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
    const id = `sync.${name}`;
    const title = `sync ${name}`.slice(0, 40);
    const details = { ...t };
    const summary = `${pending === 0 ? "nothing waiting" : `${pending} waiting, oldest ${formatDuration(age)}`}${t.online === false ? ", upstream offline" : ""}`;
    if (t.blocked === true || t.state === "blocked")
      return {
        id,
        title,
        verdict: "fail" as const,
        summary: `blocked${t.blockedReason ? ` (${t.blockedReason})` : ""} — ${summary}`,
        hint: "the upstream refused our credentials: reconnect the integration in /admin",
        details,
      };
    if ((t.dead ?? 0) > 0)
      return {
        id,
        title,
        verdict: "warn" as const,
        summary: `${t.dead ?? 0} item(s) refused for good — ${summary}`,
        hint: "fix the cause shown in /admin → sync history, then re-queue them",
        details,
      };
    if (pending > 0 && age > 24 * 3_600)
      return {
        id,
        title,
        verdict: "fail" as const,
        summary,
        hint: "check the upstream line above and the network; nothing is lost, it sends when it can",
        details,
      };
    if (pending > 0 && age > 15 * 60)
      return {
        id,
        title,
        verdict: "warn" as const,
        summary,
        hint: "check the upstream line above; orders sync when the network returns",
        details,
      };
    return { id, title, verdict: "ok" as const, summary, details };
  });
}
