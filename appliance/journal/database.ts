/**
 * The journal: the only importer of node:sqlite. One process, one connection, one writer.
 *
 * Durability (docs/architecture.md#durability): WAL with synchronous=FULL, so a committed transaction
 * survives a power cut; NORMAL was measured to lose acknowledged orders. Every command is one
 * synchronous `BEGIN IMMEDIATE … COMMIT` with nothing awaited inside; callers answer only after
 * `transaction()` returns. Work that must wait for COMMIT (announcing the events a transaction
 * appended) is collected with `collect()` and runs after COMMIT, never after a rollback.
 */
import { DatabaseSync, type SQLInputValue, type StatementSync } from "node:sqlite";
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { AppError } from "../lib/errors.ts";
import type { Logger } from "../lib/logger.ts";
import { MIGRATIONS, type Migration } from "./migrations/index.ts";

export type Row = Record<string, SQLInputValue>;
export type Params = readonly SQLInputValue[];

export interface JournalOptions {
  path: string;
  log: Logger;
  /** Skip `PRAGMA integrity_check` (only tools that are about to replace the file). */
  skipIntegrityCheck?: boolean;
  migrations?: readonly Migration[];
  /** Test-only: durability level, to prove the power-cut harness detects loss. Never in production. */
  synchronous?: "FULL" | "NORMAL";
}

export const BUSY_TIMEOUT_MS = 5_000;

/** The restore command a technician is told about when the journal is damaged. */
export const RESTORE_HINT =
  "restore the latest good backup with `galley restore <backup-file>` (list them with `galley backups`)";

export class Journal {
  readonly path: string;
  readonly #db: DatabaseSync;
  readonly #statements = new Map<string, StatementSync>();
  readonly #log: Logger;
  /** What the open transaction collected for after COMMIT (`collect`), by key in first-use order. */
  #collected = new Map<object, Collected>();

  private constructor(path: string, db: DatabaseSync, log: Logger) {
    this.path = path;
    this.#db = db;
    this.#log = log;
  }

  /** Opens (creating if needed), checks integrity, applies pending migrations. */
  static open(options: JournalOptions): Journal {
    if (options.path !== ":memory:") mkdirSync(dirname(options.path), { recursive: true });
    let db: DatabaseSync;
    try {
      db = new DatabaseSync(options.path, { timeout: BUSY_TIMEOUT_MS, enableForeignKeyConstraints: true });
    } catch (cause) {
      throw corrupt(options.path, (cause as Error).message, cause);
    }
    const journal = new Journal(options.path, db, options.log);
    try {
      journal.#configure(options.synchronous ?? "FULL");
      if (!options.skipIntegrityCheck) journal.#assertIntact();
      journal.#migrate(options.migrations ?? MIGRATIONS);
    } catch (error) {
      db.close();
      if (error instanceof AppError) throw error;
      throw corrupt(options.path, (error as Error).message, error);
    }
    return journal;
  }

  #configure(synchronous: "FULL" | "NORMAL"): void {
    const mode = this.#db.prepare("PRAGMA journal_mode = WAL").get() as { journal_mode: string } | undefined;
    if (mode?.journal_mode !== "wal" && this.path !== ":memory:") {
      throw new Error(`could not switch to WAL (got ${mode?.journal_mode ?? "nothing"})`);
    }
    this.#db.exec(`PRAGMA synchronous = ${synchronous}`);
    this.#db.exec("PRAGMA foreign_keys = ON");
    this.#db.exec("PRAGMA temp_store = MEMORY");
    this.#db.exec("PRAGMA journal_size_limit = 8388608");
    this.#db.exec(`PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS}`);
  }

  /** The settings that matter for durability, as SQLite reports them (tests and `galley doctor`). */
  pragmas(): { journalMode: string; synchronous: number; foreignKeys: number; busyTimeout: number } {
    const one = (sql: string) => Object.values(this.#db.prepare(sql).get() ?? {})[0];
    return {
      journalMode: String(one("PRAGMA journal_mode")),
      synchronous: Number(one("PRAGMA synchronous")),
      foreignKeys: Number(one("PRAGMA foreign_keys")),
      busyTimeout: Number(one("PRAGMA busy_timeout")),
    };
  }

  /** `PRAGMA integrity_check`: "ok" or the problems found (first 20). */
  integrityCheck(): string[] {
    const rows = this.#db.prepare("PRAGMA integrity_check(20)").all() as { integrity_check: string }[];
    return rows.map((r) => r.integrity_check);
  }

  #assertIntact(): void {
    const result = this.integrityCheck();
    if (result.length !== 1 || result[0] !== "ok") {
      throw corrupt(this.path, result.join("; "));
    }
  }

  #migrate(migrations: readonly Migration[]): void {
    this.#db.exec(
      "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL) STRICT",
    );
    const applied = new Set(
      (this.#db.prepare("SELECT version FROM schema_migrations").all() as { version: number }[]).map((r) => r.version),
    );
    const known = Math.max(0, ...migrations.map((m) => m.version));
    const newest = Math.max(0, ...applied);
    if (newest > known) {
      this.#log.warn({ newest, known }, "journal was written by a newer release; running on its older schema subset");
    }
    for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
      if (applied.has(migration.version)) continue;
      this.transaction(() => {
        this.#db.exec(migration.sql);
        this.run("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)", [
          migration.version,
          migration.name,
          new Date().toISOString(),
        ]);
      });
      this.#log.info({ version: migration.version, name: migration.name }, "migration applied");
    }
  }

  /** Highest applied schema version. */
  schemaVersion(): number {
    const row = this.get<{ v: number | null }>("SELECT MAX(version) AS v FROM schema_migrations");
    return row?.v ?? 0;
  }

  /**
   * Runs `fn` inside `BEGIN IMMEDIATE … COMMIT`. `fn` must be synchronous: a returned promise is
   * refused (and rolled back) because anything awaited would run inside another command's
   * transaction. Nested calls are refused for the same reason.
   */
  transaction<T>(fn: () => T): T {
    if (this.#db.isTransaction) throw new Error("journal.transaction() called inside a transaction");
    this.#exec("BEGIN IMMEDIATE");
    this.#collected = new Map();
    let result: T;
    try {
      result = fn();
      if (isThenable(result))
        throw new Error("journal.transaction() callback must be synchronous (it returned a promise)");
      this.#exec("COMMIT");
    } catch (error) {
      // What was collected never happened.
      this.#collected = new Map();
      // SQLite may already have rolled back on its own (docs/architecture.md#durability); only roll back what is open.
      if (stillInTransaction(this.#db)) this.#db.exec("ROLLBACK");
      throw error;
    }
    this.#flushCollected();
    return result;
  }

  /**
   * Inside a transaction: keeps `item` under `key` until COMMIT, then calls `flush` once with
   * everything collected under that key, in order (the `flush` given first is used). A rollback
   * drops it all. Flushes run synchronously before `transaction()` returns, so a caller still
   * answers after them; one that throws is logged and neither stops the others nor undoes the
   * commit (the work is done; its announcement failed).
   */
  collect<T>(key: object, item: T, flush: (items: T[]) => void): void {
    if (!this.#db.isTransaction) throw new Error("journal.collect() outside a transaction");
    const entry = this.#collected.get(key);
    if (entry) entry.items.push(item);
    else this.#collected.set(key, { items: [item], flush: flush as Collected["flush"] }); // the items under one key are the flush's T
  }

  #flushCollected(): void {
    const collected = this.#collected;
    if (collected.size === 0) return;
    // A flush may run its own transaction (a listener writing after COMMIT): it gets a fresh map.
    this.#collected = new Map();
    for (const { items, flush } of collected.values()) {
      try {
        flush(items);
      } catch (error) {
        this.#log.error({ err: error }, "work after COMMIT failed");
      }
    }
  }

  get inTransaction(): boolean {
    return this.#db.isTransaction;
  }

  run(sql: string, params: Params = []): { changes: number; lastInsertRowid: number } {
    const result = this.#guard(() => this.#statement(sql).run(...params));
    return { changes: Number(result.changes), lastInsertRowid: Number(result.lastInsertRowid) };
  }

  // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters -- the caller names the row shape it selected
  get<T>(sql: string, params: Params = []): T | undefined {
    return this.#guard(() => this.#statement(sql).get(...params)) as T | undefined;
  }

  all<T>(sql: string, params: Params = []): T[] {
    return this.#guard(() => this.#statement(sql).all(...params)) as T[];
  }

  /** Checkpoints the WAL into the main file (before backups, at idle, at shutdown). */
  checkpoint(): void {
    this.#db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
  }

  /** Writes a consistent copy of the journal to `path` (`VACUUM INTO`, one statement). */
  copyTo(path: string): void {
    this.#guard(() => this.#db.prepare("VACUUM INTO ?").run(path));
  }

  close(): void {
    if (!this.#db.isOpen) return;
    try {
      this.checkpoint();
    } catch (error) {
      this.#log.warn({ err: error }, "checkpoint at close failed");
    }
    this.#statements.clear();
    this.#db.close();
  }

  get isOpen(): boolean {
    return this.#db.isOpen;
  }

  #statement(sql: string): StatementSync {
    let statement = this.#statements.get(sql);
    if (!statement) {
      statement = this.#db.prepare(sql);
      this.#statements.set(sql, statement);
    }
    return statement;
  }

  #exec(sql: string): void {
    this.#guard(() => {
      this.#db.exec(sql);
    });
  }

  /** Maps SQLite failures a user must hear about to stable codes; the rest propagate. */
  #guard<T>(fn: () => T): T {
    try {
      return fn();
    } catch (error) {
      const code = (error as { errcode?: number }).errcode;
      // SQLITE_FULL (13): disk full. The order must fail loudly, never pretend (docs/architecture.md#durability).
      if (code === 13)
        throw new AppError("storage_full", "the journal's disk is full: nothing was saved", { cause: error });
      // SQLITE_CORRUPT (11) / SQLITE_NOTADB (26)
      if (code === 11 || code === 26) throw corrupt(this.path, (error as Error).message, error);
      throw error;
    }
  }
}

interface Collected {
  items: unknown[];
  flush: (items: unknown[]) => void;
}

function stillInTransaction(db: DatabaseSync): boolean {
  return db.isTransaction;
}

function isThenable(value: unknown): boolean {
  return typeof value === "object" && value !== null && typeof (value as { then?: unknown }).then === "function";
}

function corrupt(path: string, detail: string, cause?: unknown): AppError {
  return new AppError("journal_corrupt", `the journal ${path} is damaged (${detail}); ${RESTORE_HINT}`, {
    cause,
    details: { path },
  });
}
