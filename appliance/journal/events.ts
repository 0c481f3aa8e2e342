/**
 * The append-only event log: one contiguous seq for the whole device instance. Each event type
 * has its payload type (`EventPayloads`), so a reader narrows by `type` instead of casting; the
 * events a transaction appended are announced once after its COMMIT (`onCommitted`).
 */
import { canonicalJson, sha256Hex } from "../lib/canonical-json.ts";
import type { Role, OrderStatus } from "../../protocol/schemas/common.ts";
import type { AvailabilityChange } from "../../protocol/schemas/menu.ts";
import type { Actor, PaymentMethod, RefundRoute } from "../../protocol/schemas/orders.ts";
import type {
  AttendanceAction,
  CashMoveType,
  CashMovementView,
  CashSummary,
  Denomination,
} from "../../protocol/schemas/cash.ts";
import type { OrderSnapshot } from "./order-store.ts";
import type { Journal } from "./database.ts";

export const EVENT_TYPES = [
  "menu.imported",
  "menu.availability_changed",
  "stock.set",
  "order.placed",
  "order.status_changed",
  "order.line_marked",
  "payment.recorded",
  "payment.refunded",
  "user.created",
  "user.updated",
  "device.paired",
  "device.revoked",
  "journal.restored",
  "cash.shift_opened",
  "cash.moved",
  "cash.shift_closed",
  "cash.report_created",
  "attendance.clocked",
  "attendance.corrected",
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** Set on the events `galley` imported from the store after a restore (appliance/sync/import.ts); the outbox skips them. */
export type ImportedOrigin = {
  origin?: "imported";
  importedFrom?: { instanceId: string; seq: number };
};

/** Each event type's payload, as the commands write it. */
export interface EventPayloads {
  "menu.imported": { version: number; hash: string; items: number; combos: number; categories: number };
  "menu.availability_changed": AvailabilityChange;
  "stock.set": { itemId: string; onHand: number };
  "order.placed": { order: OrderSnapshot; status: "pending" } & ImportedOrigin;
  "order.status_changed": {
    orderId: string;
    from: OrderStatus;
    to: OrderStatus;
    reason?: string;
    doneMarks: readonly string[];
  } & ImportedOrigin;
  "order.line_marked": {
    orderId: string;
    mark: string;
    done: boolean;
    status: OrderStatus;
    doneMarks: readonly string[];
  };
  "payment.recorded": {
    paymentId: string;
    orderId: string;
    method: PaymentMethod;
    amount: number;
    tip: number;
    currency: string;
    /** Cash only: what was handed over and the change. */
    tendered?: number | null;
    change?: number | null;
    reference?: string;
    paidInFull: boolean;
    /** The configured terminal or the provider that took it. */
    terminal?: string;
    provider?: string;
    /** The card terminal's slip lines for the receipt (masked card, auth code); never a full card number. */
    cardSlip?: string[];
  };
  "payment.refunded": {
    refundId: string;
    paymentId: string;
    orderId: string;
    amount: number;
    currency: string;
    route: RefundRoute;
    reason: string;
    reference?: string;
    /** The payment's own provider (Square refunds go back to Square's payment). */
    provider?: string;
    /** The terminal's slip lines for the refund receipt. */
    cardSlip?: string[];
    /** Everything captured on the order is now refunded. */
    orderRefunded: boolean;
  };
  "user.created": { userId: string; name: string; role: Role };
  "user.updated": { userId: string; name?: string; status?: string; pinChanged?: true };
  "device.paired": { deviceId: string; name: string; role: Role };
  "device.revoked": { deviceId: string };
  "journal.restored": { from: string; previousInstanceId: string; instanceId: string };
  /** A drawer's cash shift began with its float (appliance/cash); aggregate: the shift. */
  "cash.shift_opened": { shiftId: string; drawer: string; openingFloat: number; currency: string };
  /** Cash put in or taken out of the drawer during a shift. */
  "cash.moved": {
    movementId: string;
    shiftId: string;
    drawer: string;
    type: CashMoveType;
    amount: number;
    reason: string;
  };
  /** The count: the shift's figures as they stood at the close. */
  "cash.shift_closed": {
    shiftId: string;
    drawer: string;
    counted: number;
    denominations: Denomination[];
    note: string | null;
    summary: CashSummary;
  };
  /** An X (mid-shift) or Z (close) report, kept and printed on the receipt printer. */
  "cash.report_created": {
    reportId: string;
    shiftId: string;
    drawer: string;
    kind: "x" | "z";
    openedAt: string;
    closedAt: string | null;
    summary: CashSummary;
    movements: CashMovementView[];
  };
  /** Someone clocked in or out or took a break (appliance/attendance); aggregate: the user. */
  "attendance.clocked": { entryId: string; userId: string; name: string; action: AttendanceAction; at: string };
  /** A manager moved, removed or added an entry; the corrected entry is kept, superseded. */
  "attendance.corrected": {
    entryId: string;
    userId: string;
    name: string;
    corrects: string | null;
    action: AttendanceAction;
    at: string;
    voided: boolean;
    reason: string;
  };
}

interface EventBase {
  seq: number;
  id: string;
  instanceId: string;
  aggregateId: string | null;
  actor: Actor;
  hash: string;
  createdAt: string;
}

/** One stored event; `JournalEvent` alone is the union of every type, narrowed by `type`. */
export type JournalEvent<K extends EventType = EventType> = K extends EventType
  ? EventBase & { type: K; payload: EventPayloads[K] }
  : never;

/** Whether `event` is of `type` (for filters, where a `switch` does not fit). */
export function isEvent<K extends EventType>(event: JournalEvent, type: K): event is JournalEvent<K> {
  return event.type === type;
}

interface EventRow {
  seq: number;
  id: string;
  instance_id: string;
  type: string;
  aggregate_id: string | null;
  actor: string;
  payload: string;
  hash: string;
  created_at: string;
}

interface NewEventBase {
  id: string;
  aggregateId: string | null;
  actor: Actor;
  /** The canonical JSON of `payload`, when the caller already has it (large order snapshots). */
  payloadJson?: string;
  createdAt: string;
}

/** An event to append: its type and that type's payload. */
export type NewEvent<K extends EventType = EventType> = K extends EventType
  ? NewEventBase & { type: K; payload: EventPayloads[K] }
  : never;

/**
 * Writers that must land in the same transaction as the event that causes them: the sync outbox
 * (one row per event and upstream target), print jobs for a placed order. A hook that throws
 * aborts the whole command, so an order can never exist without its outbox rows.
 */
export type AppendHook = (journal: Journal, event: JournalEvent) => void;
const appendHooks = new WeakMap<Journal, AppendHook[]>();

/** Registers `hook` for every event appended to `journal`; returns a function that removes it. */
export function onAppend(journal: Journal, hook: AppendHook): () => void {
  const hooks = appendHooks.get(journal) ?? [];
  hooks.push(hook);
  appendHooks.set(journal, hooks);
  return () => {
    const list = appendHooks.get(journal) ?? [];
    appendHooks.set(
      journal,
      list.filter((h) => h !== hook),
    );
  };
}

/** Appends one event; must run inside `journal.transaction()`. Returns it with its seq. */
export function appendEvent(journal: Journal, event: NewEvent): JournalEvent {
  if (!journal.inTransaction) throw new Error("appendEvent outside a transaction");
  const instanceId = instanceIdOf(journal);
  const seq = headSeq(journal) + 1;
  const payload = event.payloadJson ?? canonicalJson(event.payload);
  const hash = sha256Hex(payload);
  journal.run(
    "INSERT INTO events (seq, id, instance_id, type, aggregate_id, actor, payload, hash, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
    [
      seq,
      event.id,
      instanceId,
      event.type,
      event.aggregateId,
      canonicalJson(event.actor),
      payload,
      hash,
      event.createdAt,
    ],
  );
  // The type and its payload come from one NewEvent, so they agree; TypeScript cannot follow that through the union.
  const appended = {
    seq,
    id: event.id,
    instanceId,
    type: event.type,
    aggregateId: event.aggregateId,
    actor: event.actor,
    payload: event.payload,
    hash,
    createdAt: event.createdAt,
  } as JournalEvent;
  for (const hook of appendHooks.get(journal) ?? []) hook(journal, appended);
  journal.collect(COMMITTED, appended, (events) => {
    for (const listener of committedListeners.get(journal) ?? []) listener(events);
  });
  return appended;
}

/** The key under which a transaction collects the events it appended (Journal.collect). */
const COMMITTED = {};

export type CommittedListener = (events: readonly JournalEvent[]) => void;
const committedListeners = new WeakMap<Journal, CommittedListener[]>();

/**
 * Calls `listener` after each COMMIT with the events that transaction appended, in seq order
 * (never after a rollback), before `transaction()` returns. Returns a function that removes it.
 */
export function onCommitted(journal: Journal, listener: CommittedListener): () => void {
  committedListeners.set(journal, [...(committedListeners.get(journal) ?? []), listener]);
  return () => {
    committedListeners.set(
      journal,
      (committedListeners.get(journal) ?? []).filter((l) => l !== listener),
    );
  };
}

/** The seq of the newest event (0 for an empty journal). */
export function headSeq(journal: Journal): number {
  return journal.get<{ s: number | null }>("SELECT MAX(seq) AS s FROM events")?.s ?? 0;
}

/** Events after `since`, oldest first, at most `limit`. */
export function eventsSince(
  journal: Journal,
  since: number,
  limit: number,
  types?: readonly EventType[],
): JournalEvent[] {
  const rows = types
    ? journal.all<EventRow>(
        `SELECT * FROM events WHERE seq > ? AND type IN (${types.map(() => "?").join(", ")}) ORDER BY seq LIMIT ?`,
        [since, ...types, limit],
      )
    : journal.all<EventRow>("SELECT * FROM events WHERE seq > ? ORDER BY seq LIMIT ?", [since, limit]);
  return rows.map(fromRow);
}

/** How many events of `types` lie after `since` (to decide between replay and snapshot). */
export function countSince(journal: Journal, since: number, types: readonly EventType[]): number {
  return (
    journal.get<{ n: number }>(
      `SELECT COUNT(*) AS n FROM events WHERE seq > ? AND type IN (${types.map(() => "?").join(", ")})`,
      [since, ...types],
    )?.n ?? 0
  );
}

/** Events by seq (an outbox's events), in seq order. */
export function eventsBySeq(journal: Journal, seqs: readonly number[]): JournalEvent[] {
  if (seqs.length === 0) return [];
  return journal
    .all<EventRow>(`SELECT * FROM events WHERE seq IN (${seqs.map(() => "?").join(", ")}) ORDER BY seq`, [...seqs])
    .map(fromRow);
}

export function eventsOf(journal: Journal, aggregateId: string): JournalEvent[] {
  return journal.all<EventRow>("SELECT * FROM events WHERE aggregate_id = ? ORDER BY seq", [aggregateId]).map(fromRow);
}

function fromRow(row: EventRow): JournalEvent {
  // The journal only holds what appendEvent wrote, so the payload is the one of its type.
  return {
    seq: row.seq,
    id: row.id,
    instanceId: row.instance_id,
    type: row.type as EventType,
    aggregateId: row.aggregate_id,
    actor: JSON.parse(row.actor) as Actor,
    payload: JSON.parse(row.payload) as unknown,
    hash: row.hash,
    createdAt: row.created_at,
  } as JournalEvent;
}

/** This device instance's id; regenerated by `galley restore` so upstream seqs cannot collide. */
export function instanceIdOf(journal: Journal): string {
  const row = journal.get<{ instance_id: string }>("SELECT instance_id FROM device WHERE singleton = 1");
  if (!row) throw new Error("journal has no device row (initDevice not called)");
  return row.instance_id;
}

/** The backup file this journal was restored from (`galley restore`), or null for an original. */
export function restoredFromOf(journal: Journal): string | null {
  return (
    journal.get<{ restored_from: string | null }>("SELECT restored_from FROM device WHERE singleton = 1")
      ?.restored_from ?? null
  );
}

/** Creates the device row on first start and counts boots. */
export function initDevice(
  journal: Journal,
  newInstanceId: () => string,
  now: string,
): { instanceId: string; bootCount: number } {
  return journal.transaction(() => {
    const existing = journal.get<{ instance_id: string; boot_count: number }>(
      "SELECT instance_id, boot_count FROM device WHERE singleton = 1",
    );
    if (!existing) {
      const instanceId = newInstanceId();
      journal.run("INSERT INTO device (singleton, instance_id, created_at, boot_count) VALUES (1, ?, ?, 1)", [
        instanceId,
        now,
      ]);
      return { instanceId, bootCount: 1 };
    }
    journal.run("UPDATE device SET boot_count = boot_count + 1 WHERE singleton = 1");
    return { instanceId: existing.instance_id, bootCount: existing.boot_count + 1 };
  });
}
