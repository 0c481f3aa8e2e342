/** Journal copies for technicians: consistent online backups, checks of a copy, and restore. */
import { copyFileSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, readFileSync } from "node:fs";
import { createHash, randomUUID } from "node:crypto";
import { basename, dirname, join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { Worker } from "node:worker_threads";
import { fsyncPath } from "../lib/durable-file.ts";
import type { Logger } from "../lib/logger.ts";
import { Journal } from "./database.ts";
import { appendEvent, headSeq, instanceIdOf } from "./events.ts";
import {
  backupRows,
  bootCount,
  insertBackupRow,
  markBackupDeleted,
  markBackupDeleting,
  markBackupFailed,
  markBackupReady,
  type JournalBackupRow,
} from "./backup-store.ts";

export interface BackupInfo {
  file: string;
  sizeBytes: number;
  sha256: string;
  seq: number;
  createdAt: string;
}

export function backupDir(dataDir: string): string {
  return join(dataDir, "backups");
}

/** `PRAGMA integrity_check` of a copy: [] when sound. */
export function checkCopy(path: string): string[] {
  let db: DatabaseSync | undefined;
  try {
    db = new DatabaseSync(path, { readOnly: true });
    const rows = db.prepare("PRAGMA integrity_check(20)").all() as { integrity_check: string }[];
    const result = rows.map((r) => r.integrity_check);
    if (result.length === 1 && result[0] === "ok") {
      const events = db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name = 'events'").get();
      return events ? [] : ["not a Galley journal (no events table)"];
    }
    return result;
  } catch (error) {
    return [(error as Error).message];
  } finally {
    db?.close();
  }
}

export function listBackups(dataDir: string): BackupInfo[] {
  const dir = backupDir(dataDir);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.startsWith("journal-") && f.endsWith(".sqlite"))
    .sort()
    .map((f) => {
      const file = join(dir, f);
      const seq = Number(/-seq(\d+)\.sqlite$/.exec(f)?.[1] ?? 0);
      return {
        file,
        sizeBytes: statSync(file).size,
        sha256: sha256File(file),
        seq,
        createdAt: statSync(file).mtime.toISOString(),
      };
    });
}

/**
 * Replaces the journal with a backup. The current file is kept beside it (never deleted), and the
 * restored journal gets a new device instance id so its new events can never collide upstream
 * with events the old instance sent after the backup was taken.
 */
export function restoreJournal(options: {
  journalPath: string;
  backupFile: string;
  newInstanceId: string;
  log: Logger;
  now: Date;
}): { keptAs: string | undefined; instanceId: string; seq: number } {
  const problems = checkCopy(options.backupFile);
  if (problems.length > 0) throw new Error(`${options.backupFile} is not a sound journal: ${problems.join("; ")}`);
  let keptAs: string | undefined;
  const stamp = options.now
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d+Z$/, "Z");
  if (existsSync(options.journalPath)) {
    keptAs = `${options.journalPath}.replaced-${stamp}`;
    renameSync(options.journalPath, keptAs);
    for (const suffix of ["-wal", "-shm"])
      if (existsSync(options.journalPath + suffix)) renameSync(options.journalPath + suffix, keptAs + suffix);
  }
  copyFileSync(options.backupFile, options.journalPath);
  fsyncPath(options.journalPath);
  const journal = Journal.open({ path: options.journalPath, log: options.log });
  try {
    const previous = instanceIdOf(journal);
    const at = options.now.toISOString();
    journal.transaction(() => {
      journal.run("UPDATE device SET instance_id = ?, restored_from = ? WHERE singleton = 1", [
        options.newInstanceId,
        basename(options.backupFile),
      ]);
      appendEvent(journal, {
        id: randomUUID(),
        type: "journal.restored",
        aggregateId: null,
        actor: { kind: "system", id: "galley-cli", name: "galley restore" },
        payload: {
          from: basename(options.backupFile),
          previousInstanceId: previous,
          instanceId: options.newInstanceId,
        },
        createdAt: at,
      });
    });
    return { keptAs, instanceId: options.newInstanceId, seq: headSeq(journal) };
  } finally {
    journal.close();
  }
}

function sha256File(path: string): string {
  return createHash("sha256").update(readFileSync(path)).digest("hex");
}

// ---------- online backups on a schedule, recorded in the journal (docs/architecture.md#backups-and-retention) ----------

/**
 * The copy, its integrity check and its switch to a self-contained file run in a worker thread,
 * so the kiosk's event loop keeps serving (measured on a 37 MB journal: integrity_check alone
 * blocks ~150 ms, VACUUM INTO ~85 ms; in the worker the loop's longest stall is a few ms). The
 * worker reads from its own read-only connection, and SQLite restarts a multi-step backup
 * whenever another connection writes — every order would restart it — so the whole copy is one
 * step on one read snapshot: consistent, while orders keep committing.
 */
const COPY_IN_WORKER = `
const { parentPort, workerData } = require("node:worker_threads");
const { DatabaseSync, backup } = require("node:sqlite");
const { closeSync, fsyncSync, openSync, readSync } = require("node:fs");
const { createHash } = require("node:crypto");
(async () => {
  const reader = new DatabaseSync(workerData.source, { readOnly: true, timeout: 5000 });
  let pages;
  try {
    pages = await backup(reader, workerData.target, { rate: 2000000000 });
  } finally {
    reader.close();
  }
  const copy = new DatabaseSync(workerData.target);
  let integrity;
  let seq;
  try {
    integrity = copy.prepare("PRAGMA integrity_check(20)").all().map((r) => r.integrity_check).join("; ");
    seq = copy.prepare("SELECT COALESCE(MAX(seq), 0) AS s FROM events").get().s;
    copy.exec("PRAGMA journal_mode = DELETE");
  } finally {
    copy.close();
  }
  // fsync and hash here too: on an SD card both take long enough to be felt on the kiosk.
  const fd = openSync(workerData.target, "r");
  const hash = createHash("sha256");
  try {
    fsyncSync(fd);
    const chunk = Buffer.allocUnsafe(1 << 20);
    for (let read = readSync(fd, chunk); read > 0; read = readSync(fd, chunk)) hash.update(chunk.subarray(0, read));
  } finally {
    closeSync(fd);
  }
  parentPort.postMessage({ pages, integrity, seq, sha256: hash.digest("hex") });
})().catch((error) => parentPort.postMessage({ error: String(error && error.message ? error.message : error) }));
`;

interface CopyResult {
  pages: number;
  integrity: string;
  seq: number;
  sha256: string;
}

function copyInWorker(source: string, target: string): Promise<CopyResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(COPY_IN_WORKER, { eval: true, workerData: { source, target } });
    worker.once("message", (message: CopyResult | { error: string }) => {
      void worker.terminate();
      if ("error" in message) reject(new Error(message.error));
      else resolve(message);
    });
    worker.once("error", reject);
    worker.once("exit", (code) => {
      if (code !== 0) reject(new Error(`the backup worker exited with ${code}`));
    });
  });
}

export interface OnlineBackupOptions {
  /** Folder for backups (created if missing). */
  dir: string;
  trigger: string;
  nowMs: number;
  clockSynced: boolean;
  failpoint?: (name: "backup-before-rename") => void;
}

export interface OnlineBackupResult {
  id: number;
  file: string;
  sizeBytes: number;
  sha256: string;
  pageCount: number;
  seq: number;
  integrity: string;
}

/**
 * A consistent, checked, hashed, fsynced copy of the live journal, recorded in `journal_backups`:
 * `creating` before anything is written, `ready` after the rename, `failed` with the reason.
 * A crash in between leaves a `.partial` file and a `creating` row, repaired at the next start.
 */
export async function onlineBackup(journal: Journal, options: OnlineBackupOptions): Promise<OnlineBackupResult> {
  mkdirSync(options.dir, { recursive: true });
  const stamp = new Date(options.nowMs)
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d+Z$/, "Z");
  const id = journal.transaction(() =>
    insertBackupRow(journal, {
      file: "",
      trigger: options.trigger,
      createdAt: new Date(options.nowMs).toISOString(),
      createdAtMs: options.nowMs,
      bootCount: bootCount(journal),
      clockSynced: options.clockSynced,
    }),
  );
  const temporary = join(options.dir, `.journal-${stamp}-${id}.partial`);
  try {
    journal.checkpoint();
    const { pages: pageCount, seq, integrity, sha256 } = await copyInWorker(journal.path, temporary);
    if (integrity !== "ok") throw new Error(`the backup copy failed its integrity check: ${integrity}`);
    options.failpoint?.("backup-before-rename");
    const file = join(options.dir, `journal-${stamp}-seq${seq}.sqlite`);
    renameSync(temporary, file);
    fsyncPath(options.dir);
    const sizeBytes = statSync(file).size;
    journal.transaction(() => {
      markBackupReady(journal, id, { file, sizeBytes, sha256, pageCount, seq, integrity });
    });
    return { id, file, sizeBytes, sha256, pageCount, seq, integrity };
  } catch (error) {
    rmSync(temporary, { force: true });
    if (journal.isOpen)
      journal.transaction(() => {
        markBackupFailed(journal, id, (error as Error).message);
      });
    throw error;
  }
}

/**
 * After a crash: `creating` rows failed (their `.partial` files removed), `deleting` rows finish
 * their deletion. Returns what it repaired.
 */
export function repairBackups(
  journal: Journal,
  dir: string,
  nowMs: number,
): { failed: number; deleted: number; partials: number } {
  let partials = 0;
  if (existsSync(dir)) {
    for (const name of readdirSync(dir)) {
      if (name.startsWith(".journal-") && name.endsWith(".partial")) {
        rmSync(join(dir, name), { force: true });
        partials += 1;
      }
    }
  }
  const at = new Date(nowMs).toISOString();
  const creating = backupRows(journal, ["creating"]);
  const deleting = backupRows(journal, ["deleting"]);
  for (const row of deleting) if (row.file) rmSync(row.file, { force: true });
  if (partials > 0 || deleting.length > 0) fsyncPath(existsSync(dir) ? dir : ".");
  journal.transaction(() => {
    for (const row of creating) markBackupFailed(journal, row.id, "interrupted (galleyd stopped while writing it)");
    for (const row of deleting) markBackupDeleted(journal, row.id, at);
  });
  return { failed: creating.length, deleted: deleting.length, partials };
}

/** Retention's delete of one backup: `deleting` first, then unlink, then `deleted` (a crash in between is repaired at start). */
export function deleteBackup(
  journal: Journal,
  row: JournalBackupRow,
  nowMs: number,
  failpoint?: (name: "retention-after-deleting") => void,
): void {
  journal.transaction(() => {
    markBackupDeleting(journal, row.id);
  });
  failpoint?.("retention-after-deleting");
  rmSync(row.file, { force: true });
  fsyncPath(dirname(row.file));
  journal.transaction(() => {
    markBackupDeleted(journal, row.id, new Date(nowMs).toISOString());
  });
}
