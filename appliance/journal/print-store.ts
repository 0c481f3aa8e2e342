/**
 * Print jobs (migration 0003). Every state change is a compare-and-set on the job's current
 * state, so the spooler, an operator's cancel and a cancelled order can never overwrite each
 * other's decision.
 */
import type { PrintBanner, PrintJobKind, PrintJobState } from "../../protocol/schemas/devices.ts";
import { ACTIVE_JOB_STATES } from "../../protocol/schemas/devices.ts";
import type { Journal } from "./database.ts";

export interface PrintJobRecord {
  seq: number;
  id: string;
  key: string;
  kind: PrintJobKind;
  orderId: string | null;
  orderNumber: number | null;
  station: string | null;
  revision: number;
  printerId: string;
  state: PrintJobState;
  attempts: number;
  banner: PrintBanner | null;
  copyOf: string | null;
  followedBy: string | null;
  /** The structured document (the drivers' ReceiptData, KitchenTicketData, …), re-rendered for the printer at send time. */
  document: unknown;
  queuePos: number;
  /** Bytes reached the printer: resending could print twice. */
  inPrinter: boolean;
  notBeforeMs: number | null;
  expiresAtMs: number;
  createdAt: string;
  updatedAt: string;
  completedAt: string | null;
  lastError: string | null;
  bytesSent: number | null;
  confirmedBy: string | null;
}

/** Bytes of the job reached the printer and its outcome is not settled: it cannot be called back or resent. */
export function isAtPrinter(job: Pick<PrintJobRecord, "state" | "inPrinter">): boolean {
  return job.state === "sending" || job.state === "awaiting-completion" || (job.state === "held" && job.inPrinter);
}

interface JobRow {
  seq: number;
  id: string;
  idempotency_key: string;
  kind: string;
  order_id: string | null;
  order_number: number | null;
  station: string | null;
  revision: number;
  printer_id: string;
  state: string;
  attempts: number;
  banner: string | null;
  copy_of: string | null;
  followed_by: string | null;
  document: string;
  queue_pos: number;
  in_printer: number;
  not_before_ms: number | null;
  expires_at_ms: number;
  created_at: string;
  updated_at: string;
  completed_at: string | null;
  last_error: string | null;
  bytes_sent: number | null;
  confirmed_by: string | null;
}

function fromRow(row: JobRow): PrintJobRecord {
  return {
    seq: row.seq,
    id: row.id,
    key: row.idempotency_key,
    kind: row.kind as PrintJobKind,
    orderId: row.order_id,
    orderNumber: row.order_number,
    station: row.station,
    revision: row.revision,
    printerId: row.printer_id,
    state: row.state as PrintJobState,
    attempts: row.attempts,
    banner: row.banner as PrintBanner | null,
    copyOf: row.copy_of,
    followedBy: row.followed_by,
    document: JSON.parse(row.document) as unknown,
    queuePos: row.queue_pos,
    inPrinter: row.in_printer === 1,
    notBeforeMs: row.not_before_ms,
    expiresAtMs: row.expires_at_ms,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    completedAt: row.completed_at,
    lastError: row.last_error,
    bytesSent: row.bytes_sent,
    confirmedBy: row.confirmed_by,
  };
}

/** A job to write: the record's own fields, the rest the store fills in. */
export interface NewPrintJob extends Pick<
  PrintJobRecord,
  | "id"
  | "key"
  | "kind"
  | "orderId"
  | "orderNumber"
  | "station"
  | "revision"
  | "printerId"
  | "banner"
  | "copyOf"
  | "document"
  | "expiresAtMs"
> {
  /** Take this FIFO position (a REPRINT takes its original's); default: the end of the queue. */
  queuePos?: number;
  at: string;
  /** Default queued; a job whose document could not be built is written `failed` so it shows. */
  state?: PrintJobState;
  lastError?: string;
}

const ACTIVE_SQL = `(${ACTIVE_JOB_STATES.map((s) => `'${s}'`).join(", ")})`;

/** Inserts a job unless its idempotency key exists. Returns the job, or undefined for a duplicate. */
export function insertJob(journal: Journal, job: NewPrintJob): PrintJobRecord | undefined {
  const result = journal.run(
    `INSERT INTO print_jobs (id, idempotency_key, kind, order_id, order_number, station, revision, printer_id, state, banner, copy_of,
       document, queue_pos, expires_at_ms, created_at, updated_at, last_error)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, COALESCE(?, (SELECT COALESCE(MAX(seq), 0) + 1 FROM print_jobs)), ?, ?, ?, ?)
     ON CONFLICT (idempotency_key) DO NOTHING`,
    [
      job.id,
      job.key,
      job.kind,
      job.orderId,
      job.orderNumber,
      job.station,
      job.revision,
      job.printerId,
      job.state ?? "queued",
      job.banner,
      job.copyOf,
      JSON.stringify(job.document),
      job.queuePos ?? null,
      job.expiresAtMs,
      job.at,
      job.at,
      job.lastError ?? null,
    ],
  );
  return result.changes === 0 ? undefined : getJob(journal, job.id);
}

export function getJob(journal: Journal, id: string): PrintJobRecord | undefined {
  const row = journal.get<JobRow>("SELECT * FROM print_jobs WHERE id = ?", [id]);
  return row ? fromRow(row) : undefined;
}

export function getJobByKey(journal: Journal, key: string): PrintJobRecord | undefined {
  const row = journal.get<JobRow>("SELECT * FROM print_jobs WHERE idempotency_key = ?", [key]);
  return row ? fromRow(row) : undefined;
}

/** The head of a printer's FIFO: its oldest active job (drawer kicks run beside the queue, not in it). */
export function headJob(journal: Journal, printerId: string): PrintJobRecord | undefined {
  const row = journal.get<JobRow>(
    `SELECT * FROM print_jobs WHERE printer_id = ? AND state IN ${ACTIVE_SQL} AND kind <> 'drawer' ORDER BY queue_pos, seq LIMIT 1`,
    [printerId],
  );
  return row ? fromRow(row) : undefined;
}

/** Every active job of a printer, drawer kicks included, in FIFO order (recovery at start). */
export function activeJobs(journal: Journal, printerId: string): PrintJobRecord[] {
  return journal
    .all<JobRow>(`SELECT * FROM print_jobs WHERE printer_id = ? AND state IN ${ACTIVE_SQL} ORDER BY queue_pos, seq`, [
      printerId,
    ])
    .map(fromRow);
}

/** Drawer kicks waiting to be fired on a printer's drawer. */
export function queuedDrawerJobs(journal: Journal, printerId: string): PrintJobRecord[] {
  return journal
    .all<JobRow>(
      "SELECT * FROM print_jobs WHERE printer_id = ? AND kind = 'drawer' AND state = 'queued' ORDER BY seq",
      [printerId],
    )
    .map(fromRow);
}

/** Active jobs on printers that are not in `printerIds` (the configuration changed). */
export function orphanedJobs(journal: Journal, printerIds: readonly string[]): PrintJobRecord[] {
  const placeholders = printerIds.map(() => "?").join(", ");
  const where = printerIds.length > 0 ? `AND printer_id NOT IN (${placeholders})` : "";
  return journal
    .all<JobRow>(`SELECT * FROM print_jobs WHERE state IN ${ACTIVE_SQL} ${where} ORDER BY seq`, [...printerIds])
    .map(fromRow);
}

export function jobsOfOrder(journal: Journal, orderId: string, kind?: PrintJobKind): PrintJobRecord[] {
  const rows = kind
    ? journal.all<JobRow>("SELECT * FROM print_jobs WHERE order_id = ? AND kind = ? ORDER BY seq", [orderId, kind])
    : journal.all<JobRow>("SELECT * FROM print_jobs WHERE order_id = ? ORDER BY seq", [orderId]);
  return rows.map(fromRow);
}

export interface JobFilter {
  states?: readonly PrintJobState[];
  orderId?: string;
  printerId?: string;
  kind?: PrintJobKind;
  limit: number;
}

/** Jobs matching `filter`, newest first. */
export function listJobs(journal: Journal, filter: JobFilter): PrintJobRecord[] {
  const where: string[] = [];
  const params: (string | number)[] = [];
  if (filter.states && filter.states.length > 0) {
    where.push(`state IN (${filter.states.map(() => "?").join(", ")})`);
    params.push(...filter.states);
  }
  if (filter.orderId !== undefined) {
    where.push("order_id = ?");
    params.push(filter.orderId);
  }
  if (filter.printerId !== undefined) {
    where.push("printer_id = ?");
    params.push(filter.printerId);
  }
  if (filter.kind !== undefined) {
    where.push("kind = ?");
    params.push(filter.kind);
  }
  const clause = where.length > 0 ? `WHERE ${where.join(" AND ")}` : "";
  return journal
    .all<JobRow>(`SELECT * FROM print_jobs ${clause} ORDER BY seq DESC LIMIT ?`, [...params, filter.limit])
    .map(fromRow);
}

export interface JobCounts {
  waiting: number;
  held: number;
  needsAttention: number;
}

/** Per printer: jobs waiting, held by a fault, and uncertain ones nobody has dealt with. */
export function jobCounts(journal: Journal): Map<string, JobCounts> {
  const rows = journal.all<{ printer_id: string; state: string; n: number }>(
    `SELECT printer_id, state, COUNT(*) AS n FROM print_jobs
     WHERE state IN ${ACTIVE_SQL} OR (state = 'uncertain' AND followed_by IS NULL) GROUP BY printer_id, state`,
  );
  const counts = new Map<string, JobCounts>();
  for (const row of rows) {
    const entry = counts.get(row.printer_id) ?? { waiting: 0, held: 0, needsAttention: 0 };
    if (row.state === "held") entry.held += row.n;
    else if (row.state === "uncertain") entry.needsAttention += row.n;
    else entry.waiting += row.n;
    counts.set(row.printer_id, entry);
  }
  return counts;
}

export interface JobPatch {
  attempts?: number;
  inPrinter?: boolean;
  notBeforeMs?: number | null;
  lastError?: string | null;
  bytesSent?: number | null;
  confirmedBy?: string | null;
  completedAt?: string | null;
  followedBy?: string | null;
}

const COLUMNS: Readonly<Record<keyof JobPatch, string>> = {
  attempts: "attempts",
  inPrinter: "in_printer",
  notBeforeMs: "not_before_ms",
  lastError: "last_error",
  bytesSent: "bytes_sent",
  confirmedBy: "confirmed_by",
  completedAt: "completed_at",
  followedBy: "followed_by",
};

/**
 * Moves a job to `to` if it is still in one of `from` (compare-and-set), applying `patch`.
 * Returns false when someone else moved it first.
 */
export function transitionJob(
  journal: Journal,
  id: string,
  from: readonly PrintJobState[],
  to: PrintJobState,
  at: string,
  patch: JobPatch = {},
): boolean {
  const sets = ["state = ?", "updated_at = ?"];
  const params: (string | number | null)[] = [to, at];
  for (const [key, value] of Object.entries(patch) as [keyof JobPatch, JobPatch[keyof JobPatch]][]) {
    if (value === undefined) continue;
    sets.push(`${COLUMNS[key]} = ?`);
    params.push(typeof value === "boolean" ? (value ? 1 : 0) : value);
  }
  const result = journal.run(
    `UPDATE print_jobs SET ${sets.join(", ")} WHERE id = ? AND state IN (${from.map(() => "?").join(", ")})`,
    [...params, id, ...from],
  );
  return result.changes === 1;
}

/** Number of reprints already made of `key` with `suffix` (`#reprint-`, `#copy-`). */
export function countCopies(journal: Journal, key: string, suffix: string): number {
  const pattern = `${key.replaceAll("\\", "\\\\").replaceAll("%", "\\%").replaceAll("_", "\\_")}${suffix}%`;
  return (
    journal.get<{ n: number }>("SELECT COUNT(*) AS n FROM print_jobs WHERE idempotency_key LIKE ? ESCAPE '\\'", [
      pattern,
    ])?.n ?? 0
  );
}

/** Deletes finished jobs last touched before `beforeIso` (the journal must not grow forever). */
export function pruneJobs(journal: Journal, beforeIso: string): number {
  return journal.run(`DELETE FROM print_jobs WHERE state NOT IN ${ACTIVE_SQL} AND updated_at < ?`, [beforeIso]).changes;
}
