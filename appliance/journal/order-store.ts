/** Orders (the snapshot lives in the order.placed event; this is the status projection), daily numbers. */
import type { OrderStatus } from "../../protocol/schemas/common.ts";
import type { Actor, PricedLine, ServiceMode, Totals } from "../../protocol/schemas/orders.ts";
import type { Channel } from "../../protocol/schemas/common.ts";
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
  /** Eat in or take away, and the table (absent on orders placed without them). */
  serviceMode?: ServiceMode;
  table?: string;
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
  idempotencyKey: string;
  requestHash: string;
  /** Kitchen item marks that are done (line ids, or lineId/slotId). */
  doneMarks: string[];
  /** The status and seq the first reply carried (idempotent retries return that reply again). */
  placedStatus: OrderStatus;
  placedReplySeq: number;
}

interface OrderRow {
  status: string;
  payload: string;
  updated_at: string;
  last_seq: number;
  session_id: string | null;
  placed_by_id: string;
  idempotency_key: string;
  request_hash: string;
  placed_status: string;
  placed_reply_seq: number;
  done_marks: string;
}

// The snapshot comes from the order.placed event's payload: stored once, immutable there.
const SELECT = `SELECT o.status, e.payload, o.updated_at, o.last_seq, o.session_id, o.placed_by_id, o.idempotency_key, o.request_hash,
  o.placed_status, o.placed_reply_seq, o.done_marks FROM orders o JOIN events e ON e.seq = o.placed_seq`;

function fromRow(row: OrderRow): OrderRecord {
  return {
    snapshot: (JSON.parse(row.payload) as { order: OrderSnapshot }).order,
    status: row.status as OrderStatus,
    updatedAt: row.updated_at,
    lastSeq: row.last_seq,
    sessionId: row.session_id,
    placedById: row.placed_by_id,
    idempotencyKey: row.idempotency_key,
    requestHash: row.request_hash,
    doneMarks: JSON.parse(row.done_marks) as string[],
    placedStatus: row.placed_status as OrderStatus,
    placedReplySeq: row.placed_reply_seq,
  };
}

export interface NewOrderRow {
  snapshot: OrderSnapshot;
  snapshotHash: string;
  status: OrderStatus;
  placedSeq: number;
  lastSeq: number;
  placedById: string;
  sessionId: string | null;
  idempotencyKey: string;
  requestHash: string;
}

export function insertOrder(journal: Journal, order: NewOrderRow): void {
  const s = order.snapshot;
  journal.run(
    `INSERT INTO orders (placed_seq, id, ref, number, business_date, channel, status, currency, subtotal, tax, total, snapshot_hash,
       placed_status, placed_reply_seq, placed_by_id, session_id, idempotency_key, request_hash, created_at, updated_at, last_seq)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [
      order.placedSeq,
      s.id,
      s.ref,
      s.number,
      s.businessDate,
      s.channel,
      order.status,
      s.totals.currency,
      s.totals.subtotal,
      s.totals.tax,
      s.totals.total,
      order.snapshotHash,
      order.status,
      order.lastSeq,
      order.placedById,
      order.sessionId,
      order.idempotencyKey,
      order.requestHash,
      s.createdAt,
      s.createdAt,
      order.lastSeq,
    ],
  );
  s.lines.forEach((line, position) => {
    journal.run(
      "INSERT INTO order_lines (order_seq, position, line_id, menu_item_id, quantity, unit_price, total, tax_class) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
      [order.placedSeq, position, line.id, line.menuItemId, line.quantity, line.unitPrice, line.total, line.taxClass],
    );
  });
}

export function getOrder(journal: Journal, id: string): OrderRecord | undefined {
  const row = journal.get<OrderRow>(`${SELECT} WHERE o.id = ?`, [id]);
  return row ? fromRow(row) : undefined;
}

export function getOrderByKey(journal: Journal, idempotencyKey: string): OrderRecord | undefined {
  const row = journal.get<OrderRow>(`${SELECT} WHERE o.idempotency_key = ?`, [idempotencyKey]);
  return row ? fromRow(row) : undefined;
}

export function getOrders(journal: Journal, ids: readonly string[]): OrderRecord[] {
  if (ids.length === 0) return [];
  return journal.all<OrderRow>(`${SELECT} WHERE o.id IN (${ids.map(() => "?").join(", ")})`, [...ids]).map(fromRow);
}

export function setDoneMarks(journal: Journal, id: string, marks: readonly string[], at: string, seq: number): void {
  journal.run("UPDATE orders SET done_marks = ?, updated_at = ?, last_seq = ? WHERE id = ?", [
    JSON.stringify(marks),
    at,
    seq,
    id,
  ]);
}

export function setStatus(journal: Journal, id: string, status: OrderStatus, at: string, seq: number): void {
  journal.run("UPDATE orders SET status = ?, updated_at = ?, last_seq = ? WHERE id = ?", [status, at, seq, id]);
}

/** Orders in `statuses`, oldest first. */
export function ordersWithStatus(journal: Journal, statuses: readonly OrderStatus[]): OrderRecord[] {
  return journal
    .all<OrderRow>(`${SELECT} WHERE o.status IN (${statuses.map(() => "?").join(", ")}) ORDER BY o.placed_seq`, [
      ...statuses,
    ])
    .map(fromRow);
}

export function ordersPlacedBy(journal: Journal, principalId: string, limit: number): OrderRecord[] {
  return journal
    .all<OrderRow>(`${SELECT} WHERE o.placed_by_id = ? ORDER BY o.created_at DESC, o.placed_seq DESC LIMIT ?`, [
      principalId,
      limit,
    ])
    .map(fromRow);
}

/**
 * One business day's orders, newest first, at most `limit`; `search` matches the number exactly,
 * or the reference or the pickup name (case-insensitive, anywhere in it). Uses `orders_by_day`.
 */
export function ordersOfDay(
  journal: Journal,
  businessDate: string,
  options: { search?: string; limit: number },
): OrderRecord[] {
  const search = options.search?.trim() ?? "";
  if (search === "")
    return journal
      .all<OrderRow>(`${SELECT} WHERE o.business_date = ? ORDER BY o.placed_seq DESC LIMIT ?`, [
        businessDate,
        options.limit,
      ])
      .map(fromRow);
  const like = `%${search.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const number = /^[0-9]{1,6}$/.test(search) ? Number(search) : -1;
  return journal
    .all<OrderRow>(
      `${SELECT} WHERE o.business_date = ? AND (o.number = ? OR lower(o.ref) LIKE ? ESCAPE '\\'
         OR lower(json_extract(e.payload, '$.order.pickupName')) LIKE ? ESCAPE '\\')
       ORDER BY o.placed_seq DESC LIMIT ?`,
      [businessDate, number, like, like, options.limit],
    )
    .map(fromRow);
}

/** Orders with this number, newest first (numbers repeat across business days). */
export function getOrdersByNumber(journal: Journal, number: number, limit: number): OrderRecord[] {
  return journal
    .all<OrderRow>(`${SELECT} WHERE o.number = ? ORDER BY o.placed_seq DESC LIMIT ?`, [number, limit])
    .map(fromRow);
}

export function orderCount(journal: Journal): number {
  return journal.get<{ n: number }>("SELECT COUNT(*) AS n FROM orders")?.n ?? 0;
}

/** Numbers held by orders still on a screen (the slow path, when the next number is taken). */
export function numbersInUse(journal: Journal, activeStatuses: readonly OrderStatus[]): Set<number> {
  const rows = journal.all<{ number: number }>(
    `SELECT number FROM orders WHERE status IN (${activeStatuses.map(() => "?").join(", ")})`,
    [...activeStatuses],
  );
  return new Set(rows.map((r) => r.number));
}

/** Whether an order still on a screen (in `activeStatuses`) holds `number`, for `nextOrderNumber`. */
export function numberInUse(journal: Journal, number: number, activeStatuses: readonly OrderStatus[]): boolean {
  return (
    journal.get(
      `SELECT 1 AS x FROM orders WHERE number = ? AND status IN (${activeStatuses.map(() => "?").join(", ")}) LIMIT 1`,
      [number, ...activeStatuses],
    ) !== undefined
  );
}

export function lastNumber(journal: Journal, businessDate: string): number | null {
  return (
    journal.get<{ last_number: number }>("SELECT last_number FROM order_numbers WHERE business_date = ?", [
      businessDate,
    ])?.last_number ?? null
  );
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
