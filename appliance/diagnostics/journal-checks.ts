/**
 * Checks of the journal's safety: its integrity and durability settings as galleyd reports them
 * over HTTP, and the age of the newest journal backup on disk.
 */
import type { HttpAnswer } from "./probe.ts";
import { formatBytes, formatDuration, type Check } from "./check.ts";
import { NOT_AUTHORISED_HINT, notAnswered } from "./galleyd-answer.ts";

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
