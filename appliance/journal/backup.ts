/** Journal copies for technicians: consistent online backups, checks of a copy, and restore. */
import { copyFileSync, existsSync, mkdirSync, readdirSync, renameSync, statSync, readFileSync, fsyncSync, openSync, closeSync } from "node:fs";
import { createHash, randomUUID } from "node:crypto";
import { basename, join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import type { Logger } from "../lib/logger.ts";
import { Journal } from "./database.ts";
import { appendEvent, headSeq, instanceIdOf } from "./events.ts";

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

/** Writes a consistent, self-contained copy of the journal (VACUUM INTO), checks it, fsyncs it. */
export function backupJournal(journal: Journal, dataDir: string, now: Date): BackupInfo {
  const dir = backupDir(dataDir);
  mkdirSync(dir, { recursive: true });
  const seq = headSeq(journal);
  const stamp = now.toISOString().replace(/[-:]/g, "").replace(/\.\d+Z$/, "Z");
  const name = `journal-${stamp}-seq${seq}.sqlite`;
  const temporary = join(dir, `.${name}.partial`);
  journal.copyTo(temporary);
  const problems = checkCopy(temporary);
  if (problems.length > 0) throw new Error(`the backup copy failed its integrity check: ${problems.join("; ")}`);
  fsyncFile(temporary);
  const target = join(dir, name);
  renameSync(temporary, target);
  fsyncFile(dir);
  return { file: target, sizeBytes: statSync(target).size, sha256: sha256File(target), seq, createdAt: now.toISOString() };
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
      return { file, sizeBytes: statSync(file).size, sha256: sha256File(file), seq, createdAt: statSync(file).mtime.toISOString() };
    });
}

/**
 * Replaces the journal with a backup. The current file is kept beside it (never deleted), and the
 * restored journal gets a new device instance id so its new events can never collide upstream
 * with events the old instance sent after the backup was taken.
 */
export function restoreJournal(options: { journalPath: string; backupFile: string; newInstanceId: string; log: Logger; now: Date }): { keptAs: string | undefined; instanceId: string; seq: number } {
  const problems = checkCopy(options.backupFile);
  if (problems.length > 0) throw new Error(`${options.backupFile} is not a sound journal: ${problems.join("; ")}`);
  let keptAs: string | undefined;
  const stamp = options.now.toISOString().replace(/[-:]/g, "").replace(/\.\d+Z$/, "Z");
  if (existsSync(options.journalPath)) {
    keptAs = `${options.journalPath}.replaced-${stamp}`;
    renameSync(options.journalPath, keptAs);
    for (const suffix of ["-wal", "-shm"]) if (existsSync(options.journalPath + suffix)) renameSync(options.journalPath + suffix, keptAs + suffix);
  }
  copyFileSync(options.backupFile, options.journalPath);
  fsyncFile(options.journalPath);
  const journal = Journal.open({ path: options.journalPath, log: options.log });
  try {
    const previous = instanceIdOf(journal);
    const at = options.now.toISOString();
    journal.transaction(() => {
      journal.run("UPDATE device SET instance_id = ?, restored_from = ? WHERE singleton = 1", [options.newInstanceId, basename(options.backupFile)]);
      appendEvent(journal, {
        id: randomUUID(),
        type: "journal.restored",
        aggregateId: null,
        actor: { kind: "system", id: "galley-cli", name: "galley restore" },
        payload: { from: basename(options.backupFile), previousInstanceId: previous, instanceId: options.newInstanceId },
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

function fsyncFile(path: string): void {
  const fd = openSync(path, "r");
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
