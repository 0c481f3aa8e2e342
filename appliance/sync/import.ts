/**
 * Batch import of missing orders (docs/architecture.md#order-backups-and-import), both
 * directions:
 *
 * (a) local orders the central server lacks (`missing`, or refused: `error`) are sent again with
 *     the same key; the backup record becomes `imported` (created upstream) or `duplicate`
 *     (upstream already had it);
 * (b) orders the server holds that the journal lacks — after a restore, or from another device of
 *     the store — are inserted with `origin=imported`, one transaction each, deduplicated by the
 *     order's UUID, and never sent back up.
 *
 * Both have a preview that writes nothing.
 */
import { hashOf } from "../lib/canonical-json.ts";
import type { Clock } from "../lib/clock.ts";
import { newId } from "../lib/ids.ts";
import type { Logger } from "../lib/logger.ts";
import type { Journal } from "../journal/database.ts";
import { appendEvent, eventsOf, type JournalEvent } from "../journal/events.ts";
import {
  getOrderBackup,
  IMPORTABLE_STATES,
  insertOrderBackup,
  listOrderBackups,
  setBackupState,
  type OrderBackupRow,
} from "../journal/order-backup-store.ts";
import { getOrder, insertOrder, refExists, type OrderSnapshot } from "../journal/order-store.ts";
import { findItem, updateItem } from "../journal/outbox-store.ts";
import { getTarget, setImportCursor } from "../journal/sync-target-store.ts";
import { ORDER_STATUSES, type OrderStatus } from "../../protocol/schemas/common.ts";
import type { CentralAdapter } from "./adapters/central.ts";
import type { StoreOrder } from "./adapters/central-protocol.ts";
import { enqueueEvent, isImported } from "./outbox.ts";
import { moveItem } from "./outcomes.ts";
import { isSyncedEvent } from "./types.ts";

export interface ImportSelection {
  orderIds?: readonly string[];
  from?: string;
  to?: string;
  /** Only records the server is missing (default true); false also re-sends refused ones. */
  onlyMissing?: boolean;
  /** Also pull orders the journal lacks from the server (default true). */
  pull?: boolean;
}

export interface ResendEntry {
  orderId: string;
  ref: string;
  number: number;
  businessDate: string;
  total: number;
  state: string;
}

export interface PullEntry {
  orderId: string;
  ref: string;
  businessDate: string;
  total: number;
  instanceId: string;
  result: "import" | "duplicate" | "error";
  error?: string;
}

const MAX_RESEND = 10_000;
const PAGE = 200;
const MAX_PAGES = 500;

/** Backup records the selection re-sends. */
export function resendCandidates(journal: Journal, selection: ImportSelection): OrderBackupRow[] {
  const states = selection.onlyMissing === false ? IMPORTABLE_STATES : (["missing"] as const);
  return listOrderBackups(
    journal,
    {
      states,
      origin: "local",
      ...(selection.from ? { from: selection.from } : {}),
      ...(selection.to ? { to: selection.to } : {}),
      ...(selection.orderIds ? { orderIds: selection.orderIds } : {}),
    },
    MAX_RESEND,
    0,
  ).rows;
}

/** (a): puts the selected orders' central items back in the queue, same keys. Inside a transaction. */
export function requeueForImport(
  journal: Journal,
  rows: readonly OrderBackupRow[],
  actor: string,
  nowMs: number,
): number {
  let count = 0;
  const at = new Date(nowMs).toISOString();
  for (const row of rows) {
    const placed = eventsOf(journal, row.order_id).find((e) => e.type === "order.placed" && !isImported(e));
    if (!placed) continue;
    let item = findItem(journal, "central", placed.id, "event");
    if (!item) {
      // The order predates the central target: its events join the stream now.
      for (const event of eventsOf(journal, row.order_id)) {
        if (isSyncedEvent(event)) enqueueEvent(journal, ["central"], event, nowMs, "");
      }
      item = findItem(journal, "central", placed.id, "event");
      if (!item) continue;
    }
    if (item.state === "dead" || item.state === "missing_on_server")
      moveItem(journal, item.id, "pending", { nextAttemptAtMs: nowMs, requeuedBy: actor, importRequested: true });
    else if (item.state === "pending" || item.state === "retry_wait")
      updateItem(journal, item.id, { state: item.state, nextAttemptAtMs: nowMs, importRequested: true });
    setBackupState(journal, row.order_id, row.state, at, { importRequested: true });
    count += 1;
  }
  return count;
}

export interface PullDeps {
  journal: Journal;
  clock: Clock;
  log: Logger;
  central: CentralAdapter;
}

/** (b): pages through the store's orders on the central server; inserts the ones the journal lacks unless `preview`. */
export async function pullStoreOrders(
  deps: PullDeps,
  selection: ImportSelection,
  preview: boolean,
  signal: AbortSignal,
): Promise<{ entries: PullEntry[]; events: JournalEvent[]; skipped?: string }> {
  const { journal } = deps;
  const row = getTarget(journal, "central");
  if (!row || row.state !== "active")
    return {
      entries: [],
      events: [],
      skipped: row ? `the central target is ${row.state}` : "the central target is not connected",
    };
  // A filtered pull starts from the beginning and never moves the cursor past orders it left out.
  const filtered = selection.from !== undefined || selection.to !== undefined || selection.orderIds !== undefined;
  let cursor = filtered ? null : row.importCursor;
  const entries: PullEntry[] = [];
  const events: JournalEvent[] = [];
  const wanted = selection.orderIds ? new Set(selection.orderIds) : undefined;
  for (let page = 0; page < MAX_PAGES; page += 1) {
    const result = await deps.central.storeOrders(cursor, PAGE, signal);
    if ("failed" in result) {
      const o = result.failed;
      return {
        entries,
        events,
        skipped: `the central server could not be read (${o.kind === "acked" ? "?" : `${o.code}: ${o.detail}`})`,
      };
    }
    const committed: JournalEvent[] = [];
    for (const remote of result.orders) {
      if (wanted && !wanted.has(remote.id)) continue;
      if (selection.from && remote.business_date < selection.from) continue;
      if (selection.to && remote.business_date > selection.to) continue;
      const entry = describe(remote);
      if (getOrder(journal, remote.id) || getOrderBackup(journal, remote.id)) entry.result = "duplicate";
      else {
        const problem = checkRemote(remote);
        if (problem) {
          entry.result = "error";
          entry.error = problem;
        } else if (refExists(journal, String(remote.snapshot.ref))) {
          entry.result = "error";
          entry.error = `another order already has the reference ${String(remote.snapshot.ref)}`;
        } else if (!preview) {
          committed.push(...importOne(deps, remote));
        }
      }
      entries.push(entry);
    }
    if (!preview && !filtered)
      journal.transaction(() => {
        setImportCursor(journal, "central", result.nextCursor ?? cursor);
      });
    events.push(...committed);
    if (!result.nextCursor) break;
    cursor = result.nextCursor;
  }
  return { entries, events };
}

function describe(remote: StoreOrder): PullEntry {
  const totals = remote.snapshot.totals as { total?: number } | undefined;
  return {
    orderId: remote.id,
    ref: typeof remote.snapshot.ref === "string" ? remote.snapshot.ref : "",
    businessDate: remote.business_date,
    total: typeof totals?.total === "number" ? totals.total : 0,
    instanceId: remote.instance_id,
    result: "import",
  };
}

function checkRemote(remote: StoreOrder): string | undefined {
  const s = remote.snapshot as Partial<OrderSnapshot>;
  if (s.id !== remote.id) return "the snapshot's id is not the order's id";
  if (
    !Array.isArray(s.lines) ||
    s.lines.length === 0 ||
    typeof s.totals?.total !== "number" ||
    typeof s.number !== "number" ||
    typeof s.ref !== "string" ||
    typeof s.businessDate !== "string"
  ) {
    return "the snapshot is incomplete";
  }
  if (hashOf(remote.snapshot) !== remote.snapshot_hash) return "the snapshot does not match its hash";
  if (!(ORDER_STATUSES as readonly string[]).includes(remote.status)) return `unknown status ${remote.status}`;
  return undefined;
}

/** One imported order: its events (marked origin=imported, so the outbox skips them), projection and backup record, in one transaction. */
function importOne(deps: PullDeps, remote: StoreOrder): JournalEvent[] {
  const { journal, clock } = deps;
  const snapshot = remote.snapshot as unknown as OrderSnapshot;
  const status = remote.status as OrderStatus;
  const at = new Date(clock.now()).toISOString();
  return journal.transaction(() => {
    const origin = { origin: "imported" as const, importedFrom: { instanceId: remote.instance_id, seq: remote.seq } };
    const placed = appendEvent(journal, {
      id: newId(),
      type: "order.placed",
      aggregateId: snapshot.id,
      actor: snapshot.placedBy,
      payload: { order: snapshot, status: "pending", ...origin },
      createdAt: at,
    });
    const events = [placed];
    if (status !== "pending") {
      events.push(
        appendEvent(journal, {
          id: newId(),
          type: "order.status_changed",
          aggregateId: snapshot.id,
          actor: { kind: "system", id: "galleyd", name: "import" },
          payload: { orderId: snapshot.id, from: "pending", to: status, reason: "imported", doneMarks: [], ...origin },
          createdAt: at,
        }),
      );
    }
    const last = events[events.length - 1] ?? placed;
    insertOrder(journal, {
      snapshot,
      snapshotHash: remote.snapshot_hash,
      status,
      placedSeq: placed.seq,
      lastSeq: last.seq,
      placedById: snapshot.placedBy.id,
      sessionId: null,
      idempotencyKey: `import:${snapshot.id}`,
      requestHash: `import:${remote.snapshot_hash}`,
    });
    insertOrderBackup(journal, {
      orderId: snapshot.id,
      orderSeq: placed.seq,
      ref: snapshot.ref,
      number: snapshot.number,
      businessDate: snapshot.businessDate,
      total: snapshot.totals.total,
      currency: snapshot.totals.currency,
      snapshotHash: remote.snapshot_hash,
      origin: "imported",
      importedFrom: `${remote.instance_id}:${remote.seq}`,
      state: "imported",
      createdAt: at,
      createdAtMs: clock.now(),
    });
    deps.log.info({ orderId: snapshot.id, from: remote.instance_id }, "order imported from the central server");
    return events;
  });
}
