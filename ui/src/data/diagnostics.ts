/**
 * The technician's diagnostics as the admin page shows them: the doctor's checks
 * (`GET /api/diagnostics/doctor`), connected screens and their heartbeats, recent log lines with
 * a level filter, the pole display's 2×20 cells and the drawer's state in words. The reply shapes
 * come from protocol/schemas/diagnostics.ts. Pure: no I/O.
 */
import type {
  ConnectedClient,
  DoctorCheck,
  DoctorReport,
  DrawerStatusView,
  LogsReply,
  ScreenHeartbeat,
  ScreensReport,
  Verdict,
} from "../../../protocol/index.ts";

export type { ConnectedClient, DoctorCheck, DoctorReport, LogsReply, ScreenHeartbeat, ScreensReport, Verdict };
import type { MessageKey } from "../i18n/index.ts";

// ---- the doctor ------------------------------------------------------------------------------------

/** The words of `galley doctor` (docs/technician.md): OK, WARN, FAIL, N/A. */
export const VERDICT_TEXT: Readonly<Record<Verdict, MessageKey>> = {
  ok: "diag.verdict.ok",
  warn: "diag.verdict.warn",
  fail: "diag.verdict.fail",
  unavailable: "diag.verdict.unavailable",
};

/** A shape per verdict besides its colour, so the list reads without colour too. */
export const VERDICT_ICON: Readonly<Record<Verdict, string>> = { ok: "✓", warn: "!", fail: "✕", unavailable: "–" };

export function verdictCounts(checks: readonly DoctorCheck[]): Record<Verdict, number> {
  const counts: Record<Verdict, number> = { ok: 0, warn: 0, fail: 0, unavailable: 0 };
  for (const check of checks) counts[check.verdict] += 1;
  return counts;
}

// ---- screens ---------------------------------------------------------------------------------------

/** Heartbeats come every 15 s: three missed in a row and the page is taken for stuck. */
export const HEARTBEAT_STALE_SECONDS = 45;

/** One screen (or signed-in person) as the admin page lists it. */
export interface ScreenRow {
  key: string;
  name: string;
  role: string;
  kind: string;
  /** WebSocket connections open now. */
  sockets: number;
  topics: string[];
  page: string | null;
  local: boolean;
  /** Seconds since its last heartbeat; null when it never sent one. */
  lastBeatSeconds: number | null;
  /** Its heartbeats stopped: the page may have crashed or frozen. */
  stale: boolean;
}

/**
 * Heartbeats and open sockets, merged per screen (kind, role and name): screens that beat first,
 * stale ones at the top, then clients with a socket but no heartbeat.
 */
export function screenRows(report: ScreensReport): ScreenRow[] {
  const rows = new Map<string, ScreenRow>();
  const keyOf = (c: { kind: string; role: string; name: string }) => `${c.kind}:${c.role}:${c.name}`;
  for (const beat of report.heartbeats) {
    const key = `${keyOf(beat)}:${beat.local ? "local" : "lan"}`;
    rows.set(key, {
      key,
      name: beat.name,
      role: beat.role,
      kind: beat.kind,
      sockets: 0,
      topics: [],
      page: beat.page,
      local: beat.local,
      lastBeatSeconds: beat.ageSeconds,
      stale: beat.ageSeconds > HEARTBEAT_STALE_SECONDS,
    });
  }
  for (const client of report.connected) {
    const row = [...rows.values()].find((r) => keyOf(r) === keyOf(client));
    if (row) {
      row.sockets += 1;
      row.topics = [...new Set([...row.topics, ...client.topics])];
      continue;
    }
    rows.set(keyOf(client), {
      key: keyOf(client),
      name: client.name,
      role: client.role,
      kind: client.kind,
      sockets: 1,
      topics: [...client.topics],
      page: null,
      local: false,
      lastBeatSeconds: null,
      stale: false,
    });
  }
  const rank = (r: ScreenRow) => (r.stale ? 0 : r.lastBeatSeconds !== null ? 1 : 2);
  return [...rows.values()].sort((a, b) => rank(a) - rank(b) || a.name.localeCompare(b.name));
}

// ---- logs ------------------------------------------------------------------------------------------

export const LOG_LEVELS = ["trace", "debug", "info", "warn", "error", "fatal"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface LogLine {
  raw: string;
  /** ISO time of the line, when it has one. */
  time: string | undefined;
  level: LogLevel | undefined;
  /** `module: message key=value …`, or the raw line when it is not galleyd's JSON. */
  text: string;
}

/** pino's numeric levels, for lines written without the label formatter. */
const PINO_LEVELS: Readonly<Record<number, LogLevel>> = {
  10: "trace",
  20: "debug",
  30: "info",
  40: "warn",
  50: "error",
  60: "fatal",
};
/** Fields shown in their own place, not among the key=value rest. */
const OWN_FIELDS = new Set(["level", "time", "msg", "module", "pid", "hostname"]);
/** journalctl -o short-iso-precise: `2026-11-25T12:03:07.123456+0100 host galleyd[812]: …`. */
const JOURNAL_PREFIX = /^(\d{4}-\d{2}-\d{2}T[\d:.]+(?:[+-]\d{2}:?\d{2}|Z)?)\s+\S+\s+[^:\s]+:\s?(.*)$/;

function levelOf(value: unknown): LogLevel | undefined {
  if (typeof value === "number") return PINO_LEVELS[value];
  if (typeof value === "string")
    return (LOG_LEVELS as readonly string[]).includes(value) ? (value as LogLevel) : undefined;
  return undefined;
}

function compact(value: unknown): string {
  return typeof value === "string" ? value : JSON.stringify(value);
}

/** One log line, from the system journal or the in-memory ring, made readable. */
export function parseLogLine(raw: string): LogLine {
  let time: string | undefined;
  let rest = raw;
  const journal = JOURNAL_PREFIX.exec(raw);
  if (journal) {
    time = journal[1];
    rest = journal[2] ?? "";
  }
  if (rest.startsWith("{")) {
    try {
      const entry = JSON.parse(rest) as Record<string, unknown>;
      const level = levelOf(entry.level);
      if (typeof entry.time === "string") time = entry.time;
      else if (typeof entry.time === "number") time = new Date(entry.time).toISOString();
      const extras = Object.entries(entry)
        .filter(([key]) => !OWN_FIELDS.has(key))
        .map(([key, value]) => `${key}=${compact(value)}`);
      const parts = [
        typeof entry.module === "string" ? `${entry.module}:` : "",
        typeof entry.msg === "string" ? entry.msg : "",
        ...extras,
      ].filter((p) => p !== "");
      return { raw, time, level, text: parts.join(" ") };
    } catch {
      // not JSON after all: shown as it is
    }
  }
  return { raw, time, level: undefined, text: rest };
}

export const LOG_FILTERS = ["all", "info", "warn", "error"] as const;
export type LogFilter = (typeof LOG_FILTERS)[number];

const RANK: Readonly<Record<LogLevel, number>> = { trace: 0, debug: 1, info: 2, warn: 3, error: 4, fatal: 5 };

/** Lines at or above the filter's level; a line without a level counts as info. Order is kept (newest last). */
export function filterLogs(lines: readonly LogLine[], filter: LogFilter): LogLine[] {
  if (filter === "all") return [...lines];
  const min = RANK[filter];
  return lines.filter((line) => RANK[line.level ?? "info"] >= min);
}

// ---- devices ---------------------------------------------------------------------------------------

export const DISPLAY_ROWS = 2;
export const DISPLAY_COLUMNS = 20;

/** The pole display's 2×20 character cells: each row cut or padded with spaces to 20. */
export function displayCells(lines: readonly string[]): string[][] {
  return Array.from({ length: DISPLAY_ROWS }, (_, row) => {
    // One cell per code point: galleyd already mapped the text to the display's single-byte characters.
    const chars = Array.from(lines[row] ?? "").slice(0, DISPLAY_COLUMNS);
    while (chars.length < DISPLAY_COLUMNS) chars.push(" ");
    return chars;
  });
}

export const DRAWER_STATE_TEXT: Readonly<Record<DrawerStatusView["state"], MessageKey>> = {
  unknown: "diag.drawer.unknown",
  closed: "diag.drawer.closed",
  kicking: "diag.drawer.kicking",
  open: "diag.drawer.open",
  "open-too-long": "diag.drawer.openTooLong",
  "no-sensor": "diag.drawer.noSensor",
};

/** `"galley-support-vm-20261125T191339Z.tar.gz"` from `attachment; filename="…"`, else a fallback. */
export function downloadName(contentDisposition: string | null, fallback: string): string {
  const match = /filename="?([^";]+)"?/i.exec(contentDisposition ?? "");
  const name = match?.[1]?.trim() ?? "";
  return /^[\w.-]+$/.test(name) ? name : fallback;
}

/** `4428` → "4.3 KB"; for file sizes on the admin page. */
export function formatBytes(bytes: number): string {
  if (bytes < 1_024) return `${bytes} B`;
  const units = ["KB", "MB", "GB"] as const;
  let value = bytes / 1_024;
  let unit = 0;
  while (value >= 1_024 && unit < units.length - 1) {
    value /= 1_024;
    unit += 1;
  }
  return `${value >= 100 ? Math.round(value) : value.toFixed(1)} ${units[unit] ?? "GB"}`;
}
