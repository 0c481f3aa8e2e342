/** Orders (immutable snapshot + status projection), daily numbers and idempotency records. */
import type { OrderStatus } from "../protocol/common.ts";
import type { Actor, PricedLine, Totals } from "../protocol/orders.ts";
import type { Channel } from "../protocol/common.ts";
import type { Journal } from "./database.ts";

/** What never changes after commit. Hashed into `snapshot_hash`; upstream verification compares it. */
export interface OrderSnapshot {
  id: string;
  ref: string;
  number: number;
  businessDate: string;
  channel: Channel;
  lines: PricedLine[];
  totals: Totals;
  pickupName?: string;
  note?: string;
  placedBy: Actor;
  createdAt: string;
}

export interface OrderRecord {
  snapshot: OrderSnapshot;
  status: OrderStatus;
  updatedAt: string;
  lastSeq: number;
  sessionId: string | null;
  placedById: string;
}

interface OrderRow {
  id: string;
  status: string;
  snapshot: string;
  updated_at: string;
  last_seq: number;
  session_id: string | null;
  placed_by_id: string;
}

const COLUMNS = "id, status, snapshot, updated_at, last_seq, session_id, placed_by_id";

function fromRow(row: OrderRow): OrderRecord {
  return {
    snapshot: JSON.parse(row.snapshot) as OrderSnapshot,
    status: row.status as OrderStatus,
    updatedAt: row.updated_at,
    lastSeq: row.last_seq,
    sessionId: row.session_id,
    placedById: row.placed_by_id,
  };
}

export function insertOrder(
  journal: Journal,
  order: { snapshot: OrderSnapshot; snapshotJson: string; snapshotHash: string; status: OrderStatus; placedById: string; sessionId: string | null; seq: number },
): void {
  const s = order.snapshot;
  journal.run(
    `INSERT INTO orders (id, ref, number, business_date, channel, status, currency, subtotal, tax, total, snapshot, snapshot_hash,
       placed_by_id, session_id, created_at, updated_at, last_seq)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [s.id, s.ref, s.number, s.businessDate, s.channel, order.status, s.totals.currency, s.totals.subtotal, s.totals.tax, s.totals.total,
      order.snapshotJson, order.snapshotHash, order.placedById, order.sessionId, s.createdAt, s.createdAt, order.seq],
  );
  s.lines.forEach((line, position) => {
    journal.run(
      "INSERT INTO order_lines (id, order_id, position, menu_item_id, quantity, unit_price, total, tax_class) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
      [line.id, s.id, position, line.menuItemId, line.quantity, line.unitPrice, line.total, line.taxClass],
    );
  });
}

export function getOrder(journal: Journal, id: string): OrderRecord | undefined {
  const row = journal.get<OrderRow>(`SELECT ${COLUMNS} FROM orders WHERE id = ?`, [id]);
  return row ? fromRow(row) : undefined;
}

export function getOrders(journal: Journal, ids: readonly string[]): OrderRecord[] {
  if (ids.length === 0) return [];
  return journal.all<OrderRow>(`SELECT ${COLUMNS} FROM orders WHERE id IN (${ids.map(() => "?").join(", ")})`, [...ids]).map(fromRow);
}

export function setStatus(journal: Journal, id: string, status: OrderStatus, at: string, seq: number): void {
  journal.run("UPDATE orders SET status = ?, updated_at = ?, last_seq = ? WHERE id = ?", [status, at, seq, id]);
}

/** Orders in `statuses`, oldest first. */
export function ordersWithStatus(journal: Journal, statuses: readonly OrderStatus[]): OrderRecord[] {
  return journal
    .all<OrderRow>(`SELECT ${COLUMNS} FROM orders WHERE status IN (${statuses.map(() => "?").join(", ")}) ORDER BY created_at, rowid`, [...statuses])
    .map(fromRow);
}

export function ordersPlacedBy(journal: Journal, principalId: string, limit: number): OrderRecord[] {
  return journal
    .all<OrderRow>(`SELECT ${COLUMNS} FROM orders WHERE placed_by_id = ? ORDER BY created_at DESC, rowid DESC LIMIT ?`, [principalId, limit])
    .map(fromRow);
}

export function orderCount(journal: Journal): number {
  return journal.get<{ n: number }>("SELECT COUNT(*) AS n FROM orders")?.n ?? 0;
}

/** Numbers held by orders that are still on a screen, for `nextOrderNumber`. */
export function numbersInUse(journal: Journal, activeStatuses: readonly OrderStatus[]): Set<number> {
  const rows = journal.all<{ number: number }>(`SELECT number FROM orders WHERE status IN (${activeStatuses.map(() => "?").join(", ")})`, [...activeStatuses]);
  return new Set(rows.map((r) => r.number));
}

export function lastNumber(journal: Journal, businessDate: string): number | null {
  return journal.get<{ last_number: number }>("SELECT last_number FROM order_numbers WHERE business_date = ?", [businessDate])?.last_number ?? null;
}

export function saveLastNumber(journal: Journal, businessDate: string, number: number): void {
  journal.run(
    "INSERT INTO order_numbers (business_date, last_number) VALUES (?, ?) ON CONFLICT (business_date) DO UPDATE SET last_number = excluded.last_number",
    [businessDate, number],
  );
}

export function refExists(journal: Journal, ref: string): boolean {
  return journal.get("SELECT 1 AS x FROM orders WHERE ref = ?", [ref]) !== undefined;
}

export interface IdempotencyRecord {
  key: string;
  operation: string;
  principalId: string;
  requestHash: string;
  statusCode: number;
  response: unknown;
  resourceId: string | null;
}

export function findIdempotency(journal: Journal, key: string): IdempotencyRecord | undefined {
  const row = journal.get<{ key: string; operation: string; principal_id: string; request_hash: string; status_code: number; response: string; resource_id: string | null }>(
    "SELECT * FROM idempotency WHERE key = ?",
    [key],
  );
  return row
    ? { key: row.key, operation: row.operation, principalId: row.principal_id, requestHash: row.request_hash, statusCode: row.status_code, response: JSON.parse(row.response) as unknown, resourceId: row.resource_id }
    : undefined;
}

export function findIdempotencyByResource(journal: Journal, resourceId: string): IdempotencyRecord | undefined {
  const row = journal.get<{ key: string }>("SELECT key FROM idempotency WHERE resource_id = ? LIMIT 1", [resourceId]);
  return row ? findIdempotency(journal, row.key) : undefined;
}

export function saveIdempotency(journal: Journal, record: IdempotencyRecord, at: string): void {
  journal.run(
    "INSERT INTO idempotency (key, operation, principal_id, request_hash, status_code, response, resource_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
    [record.key, record.operation, record.principalId, record.requestHash, record.statusCode, JSON.stringify(record.response), record.resourceId, at],
  );
}
