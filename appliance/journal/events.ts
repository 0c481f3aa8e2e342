/** The append-only event log: one contiguous seq for the whole device instance. */
import { canonicalJson, sha256Hex } from "../lib/canonical-json.ts";
import type { Actor } from "../../protocol/schemas/orders.ts";
import type { Journal } from "./database.ts";

export const EVENT_TYPES = [
  "menu.imported",
  "menu.availability_changed",
  "stock.set",
  "order.placed",
  "order.status_changed",
  "order.line_marked",
  "payment.recorded",
  "user.created",
  "user.updated",
  "device.paired",
  "device.revoked",
  "journal.restored",
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export interface JournalEvent {
  seq: number;
  id: string;
  instanceId: string;
  type: EventType;
  aggregateId: string | null;
  actor: Actor;
  payload: Record<string, unknown>;
  hash: string;
  createdAt: string;
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

export interface NewEvent {
  id: string;
  type: EventType;
  aggregateId: string | null;
  actor: Actor;
  payload: Record<string, unknown>;
  /** The canonical JSON of `payload`, when the caller already has it (large order snapshots). */
  payloadJson?: string;
  createdAt: string;
}

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
    appendHooks.set(journal, list.filter((h) => h !== hook));
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
    [seq, event.id, instanceId, event.type, event.aggregateId, canonicalJson(event.actor), payload, hash, event.createdAt],
  );
  const appended: JournalEvent = { seq, id: event.id, instanceId, type: event.type, aggregateId: event.aggregateId, actor: event.actor, payload: event.payload, hash, createdAt: event.createdAt };
  for (const hook of appendHooks.get(journal) ?? []) hook(journal, appended);
  return appended;
}

/** The seq of the newest event (0 for an empty journal). */
export function headSeq(journal: Journal): number {
  return journal.get<{ s: number | null }>("SELECT MAX(seq) AS s FROM events")?.s ?? 0;
}

/** Events after `since`, oldest first, at most `limit`. */
export function eventsSince(journal: Journal, since: number, limit: number, types?: readonly EventType[]): JournalEvent[] {
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
    journal.get<{ n: number }>(`SELECT COUNT(*) AS n FROM events WHERE seq > ? AND type IN (${types.map(() => "?").join(", ")})`, [since, ...types])?.n ?? 0
  );
}

/** Events by seq (an outbox's events), in seq order. */
export function eventsBySeq(journal: Journal, seqs: readonly number[]): JournalEvent[] {
  if (seqs.length === 0) return [];
  return journal.all<EventRow>(`SELECT * FROM events WHERE seq IN (${seqs.map(() => "?").join(", ")}) ORDER BY seq`, [...seqs]).map(fromRow);
}

export function eventsOf(journal: Journal, aggregateId: string): JournalEvent[] {
  return journal.all<EventRow>("SELECT * FROM events WHERE aggregate_id = ? ORDER BY seq", [aggregateId]).map(fromRow);
}

function fromRow(row: EventRow): JournalEvent {
  return {
    seq: row.seq,
    id: row.id,
    instanceId: row.instance_id,
    type: row.type as EventType,
    aggregateId: row.aggregate_id,
    actor: JSON.parse(row.actor) as Actor,
    payload: JSON.parse(row.payload) as Record<string, unknown>,
    hash: row.hash,
    createdAt: row.created_at,
  };
}

/** This device instance's id; regenerated by `galley restore` so upstream seqs cannot collide. */
export function instanceIdOf(journal: Journal): string {
  const row = journal.get<{ instance_id: string }>("SELECT instance_id FROM device WHERE singleton = 1");
  if (!row) throw new Error("journal has no device row (initDevice not called)");
  return row.instance_id;
}

/** The backup file this journal was restored from (`galley restore`), or null for an original. */
export function restoredFromOf(journal: Journal): string | null {
  return journal.get<{ restored_from: string | null }>("SELECT restored_from FROM device WHERE singleton = 1")?.restored_from ?? null;
}

/** Creates the device row on first start and counts boots. */
export function initDevice(journal: Journal, newInstanceId: () => string, now: string): { instanceId: string; bootCount: number } {
  return journal.transaction(() => {
    const existing = journal.get<{ instance_id: string; boot_count: number }>("SELECT instance_id, boot_count FROM device WHERE singleton = 1");
    if (!existing) {
      const instanceId = newInstanceId();
      journal.run("INSERT INTO device (singleton, instance_id, created_at, boot_count) VALUES (1, ?, ?, 1)", [instanceId, now]);
      return { instanceId, bootCount: 1 };
    }
    journal.run("UPDATE device SET boot_count = boot_count + 1 WHERE singleton = 1");
    return { instanceId: existing.instance_id, bootCount: existing.boot_count + 1 };
  });
}
